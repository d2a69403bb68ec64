"""Channel tests talk to real HTTP servers on loopback and keep secrets in a test keychain."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

SHARED_FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "channels"


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
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def shared_fixture(platform: str, name: str) -> Path:
    """A real payload published by the platform; the test skips when shared/ is absent."""
    path = SHARED_FIXTURES / platform / name
    if not path.exists():
        pytest.skip(f"shared fixture {platform}/{name} not available")
    return path
