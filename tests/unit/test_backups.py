"""Backups on real store files: made while the store is open, rotated, checked, restored,
and a damaged or foreign backup refused without touching the store."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from fulfill import paths
from fulfill.errors import StoreCorrupt, StoreError, StoreNotOurs, StoreTooNew
from fulfill.services import demo
from fulfill.storage import Store, backups
from tests.conftest import FIXED_NOW


@pytest.fixture
def shop(tmp_path):
    path = tmp_path / "store.sqlite"
    with Store.open(path) as store:
        demo.seed(store, 40, now=FIXED_NOW)
    return path


def count(path) -> int:
    with Store.open(path) as store:
        return store.orders.count()


def test_backup_now_copies_an_open_store_and_the_copy_checks_out(shop):
    with Store.open(shop) as store:  # the app is running and writing
        made = backups.back_up(shop, now=FIXED_NOW)
        demo.seed(store, 60, now=FIXED_NOW, seed=7)
    assert made.path.parent == paths.backups_dir(shop) and made.kind == "manual"
    check = backups.check_backup(made.path)
    assert check.orders == 40 and check.schema_version >= 5
    assert [b.path for b in backups.backups(shop)] == [made.path]
    assert not list(made.path.parent.glob("*.partial"))


def test_automatic_backups_come_once_a_day_and_the_oldest_go(shop):
    first = backups.automatic_backup(shop, now=FIXED_NOW)
    assert first is not None and first.kind == "auto"
    assert backups.automatic_backup(shop, now=FIXED_NOW + timedelta(hours=3)) is None
    manual = backups.back_up(shop, now=FIXED_NOW + timedelta(hours=4))
    for day in range(1, 15):
        assert backups.automatic_backup(shop, now=FIXED_NOW + timedelta(days=day)) is not None
    kept = backups.backups(shop)
    automatic = [b for b in kept if b.kind == "auto"]
    assert len(automatic) == backups.KEEP_AUTOMATIC
    assert automatic[0].made_at == FIXED_NOW + timedelta(days=14)
    assert manual.path in [b.path for b in kept]  # the seller's own copies are never rotated
    assert not first.path.exists()


def test_restore_round_trip_keeps_a_copy_of_what_it_replaced(shop):
    saved = backups.back_up(shop, now=FIXED_NOW)
    with Store.open(shop) as store:
        demo.seed(store, 70, now=FIXED_NOW, seed=9)
    grown = count(shop)
    assert grown > 40
    safety = backups.restore(shop, saved.path, now=FIXED_NOW + timedelta(minutes=5))
    assert count(shop) == 40
    assert safety.kind == "before-restore" and backups.check_backup(safety.path).orders == grown
    backups.restore(shop, safety.path, now=FIXED_NOW + timedelta(minutes=6))  # undo the restore
    assert count(shop) == grown


def _damaged_copy(good, tmp_path):
    bad = tmp_path / "damaged.sqlite"
    data = bytearray(good.read_bytes())
    page = 4096
    for offset in range(page * 2, min(len(data), page * 12)):
        data[offset] = 0x5A
    bad.write_bytes(bytes(data))
    return bad


@pytest.mark.parametrize("kind", ["damaged", "garbage", "foreign", "newer", "truncated"])
def test_a_bad_backup_is_refused_and_the_store_is_untouched(shop, tmp_path, kind):
    good = backups.back_up(shop, now=FIXED_NOW).path
    if kind == "damaged":
        bad, error = _damaged_copy(good, tmp_path), StoreCorrupt
    elif kind == "garbage":
        bad, error = tmp_path / "photo.sqlite", StoreNotOurs
        bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 5000)
    elif kind == "foreign":
        bad, error = tmp_path / "other.sqlite", StoreNotOurs
        with sqlite3.connect(bad) as conn:
            conn.execute("CREATE TABLE notes (text TEXT)")
    elif kind == "newer":
        bad, error = tmp_path / "newer.sqlite", StoreTooNew
        bad.write_bytes(good.read_bytes())
        with sqlite3.connect(bad) as conn:
            conn.execute("PRAGMA user_version = 999")
    else:
        bad, error = tmp_path / "cut.sqlite", StoreError
        bad.write_bytes(good.read_bytes()[:6000])
    before = shop.read_bytes()
    with pytest.raises(error) as refused:
        backups.restore(shop, bad)
    assert refused.value.advice
    assert shop.read_bytes() == before and count(shop) == 40
    assert [b.kind for b in backups.backups(shop)] == ["manual"]  # no safety copy either
