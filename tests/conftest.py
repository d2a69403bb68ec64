"""Shared fixtures. Tests never touch the user's data folder or the network."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

# Qt must never need a display in tests (CI has none).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXED_NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fulfill_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("fulfill-home")
    monkeypatch.setenv("FULFILL_HOME", str(home))
    return home


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store.sqlite"


@pytest.fixture
def store(store_path: Path):
    from fulfill.storage import Store

    with Store.open(store_path) as opened:
        yield opened


class MemoryKeyring(KeyringBackend):
    """A keychain that forgets everything when the test ends."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def delete_password(self, service, username):
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.entries:
            raise PasswordDeleteError(username)
        del self.entries[(service, username)]


@pytest.fixture(autouse=True)
def memory_keyring():
    """Tests never read or write the real keychain."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def seeded_demo_file(tmp_path_factory: pytest.TempPathFactory, name: str, *, orders: int = 300,
                     now: datetime = FIXED_NOW, **seed: object) -> Path:
    """A demo store file seeded once (per module, by the caller's fixture); tests copy it."""
    from fulfill.services import demo
    from fulfill.storage import Store

    path = tmp_path_factory.mktemp(name) / "demo.sqlite"
    with Store.open(path) as store:
        demo.seed(store, orders, now=now, **seed)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def fresh_copy(seeded: Path, tmp_path: Path) -> Path:
    """A copy of a seeded store for one test to change."""
    path = tmp_path / seeded.name
    path.write_bytes(seeded.read_bytes())
    return path
