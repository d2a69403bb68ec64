"""A store that is wrong, damaged, newer, locked, read-only or full: a clear refusal, nothing lost."""

import hashlib
import sqlite3

import pytest
from sqlite_utils import Migrations

from fulfill.errors import (
    StoreCorrupt, StoreDiskFull, StoreLocked, StoreMissing, StoreNotOurs, StoreReadOnly, StoreTooNew,
)
from fulfill.storage import Store, schema
from fulfill.storage.database import open_store_db
from tests.factories import account, order


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make_store(path, orders=3):
    with Store.open(path) as store:
        acc = store.accounts.add(account())
        store.orders.save([order(acc.id, f"#{n}") for n in range(orders)])
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_a_text_file_is_refused_untouched(tmp_path):
    path = tmp_path / "orders.sqlite"
    path.write_text("order,name\n1,Kim\n")
    before = _digest(path)
    with pytest.raises(StoreNotOurs, match="not an SQLite database") as info:
        Store.open(path)
    assert "Choose the .sqlite file" in str(info.value)
    assert _digest(path) == before


def test_another_programs_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE songs (title TEXT)")
    before = _digest(path)
    with pytest.raises(StoreNotOurs, match="another program"):
        Store.open(path)
    assert _digest(path) == before


def test_missing_store_without_create(tmp_path):
    with pytest.raises(StoreMissing, match="no store"):
        Store.open(tmp_path / "nope.sqlite", create=False)


def test_store_from_a_newer_version_is_refused_untouched(store_path):
    _make_store(store_path)
    with sqlite3.connect(store_path) as conn:
        conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    before = _digest(store_path)
    with pytest.raises(StoreTooNew, match="newer version of fulfill") as info:
        Store.open(store_path)
    assert "Update fulfill" in info.value.advice
    assert _digest(store_path) == before


def test_unknown_applied_migration_means_newer(store_path):
    _make_store(store_path)
    with sqlite3.connect(store_path) as conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                     " VALUES ('fulfill', 'm999_future', 'x')")
    with pytest.raises(StoreTooNew):
        Store.open(store_path)


def test_damaged_store_is_refused_with_the_backup_folder_named(store_path):
    _make_store(store_path, orders=200)
    data = bytearray(store_path.read_bytes())
    page = 4096
    # Overwrite the middle of a few b-tree pages, keeping the header intact.
    for offset in range(page * 2 + 100, len(data) - page, page * 3):
        data[offset : offset + 200] = b"\xff" * 200
    store_path.write_bytes(bytes(data))
    before = _digest(store_path)
    with pytest.raises(StoreCorrupt) as info:
        Store.open(store_path)
    assert "backups" in info.value.advice
    assert _digest(store_path) == before


def test_store_held_exclusively_by_another_program_says_so(store_path):
    _make_store(store_path)
    holder = sqlite3.connect(store_path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE orders SET note = 'held' WHERE id = 1")
    try:
        with pytest.raises(StoreLocked, match="in use by another program") as info:
            Store.open(store_path, busy_timeout=0.1)
        assert "Close other fulfill windows" in info.value.advice
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Store.open(store_path) as store:
        assert store.orders.count() == 3


def test_write_while_another_program_writes_says_locked_and_loses_nothing(store_path):
    _make_store(store_path)
    with Store.open(store_path, busy_timeout=0.1) as store:
        holder = sqlite3.connect(store_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreLocked), store.errors():
                store.orders.save([order(store.accounts.all()[0].id, "#new")])
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert store.orders.count() == 3
        store.orders.save([order(store.accounts.all()[0].id, "#new")])
        assert store.orders.count() == 4


def test_read_only_store_says_so(store_path):
    _make_store(store_path)
    with Store.open(store_path) as store:
        # A read-only connection is what SQLite gives for a file the user may not write.
        store.db.execute("PRAGMA query_only = ON")
        with pytest.raises(StoreReadOnly, match="read-only"), store.errors():
            store.orders.save([order(1, "#new")])
        store.db.execute("PRAGMA query_only = OFF")
        assert store.orders.count() == 3


def test_full_disk_loses_nothing_and_half_writes_nothing(store_path):
    _make_store(store_path, orders=3)
    with Store.open(store_path) as store:
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages + 2}")
        acc_id = store.accounts.all()[0].id
        big = [order(acc_id, f"#big{n}") for n in range(300)]
        with pytest.raises(StoreDiskFull, match="disk .* is full") as info, store.errors():
            store.orders.save(big)
        assert "everything saved before it is safe" in info.value.advice
        assert store.orders.count() == 3
        assert store.db.execute("SELECT count(*) FROM orders_fts").fetchone()[0] == 3
    with Store.open(store_path) as store:
        assert store.orders.count() == 3


def _with_extra_migration(monkeypatch, extra):
    """Pretend this build has one more migration than it does."""
    newer = Migrations(schema.MIGRATION_SET)
    for migration in schema.migrations._migrations:
        newer(name=migration.name)(migration.fn)
    newer(name=extra.__name__)(extra)
    monkeypatch.setattr(schema, "migrations", newer)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    monkeypatch.setattr(schema, "KNOWN_MIGRATIONS", schema.KNOWN_MIGRATIONS | {extra.__name__})


def test_migration_backs_up_first_and_keeps_data(store_path, monkeypatch):
    _make_store(store_path)
    old_version = schema.SCHEMA_VERSION

    def m999_add_gift_note(db):
        db.execute("ALTER TABLE orders ADD COLUMN gift_note TEXT NOT NULL DEFAULT ''")

    _with_extra_migration(monkeypatch, m999_add_gift_note)
    with Store.open(store_path) as store:
        assert store.orders.count() == 3
        assert "gift_note" in store.db["orders"].columns_dict
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == old_version + 1
    backups = list((store_path.parent / "backups").glob(f"store.v{old_version}.*.sqlite"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT count(*) FROM orders").fetchone()[0] == 3


def test_failed_migration_rolls_back(store_path, monkeypatch):
    _make_store(store_path)

    def m999_broken(db):
        db.execute("ALTER TABLE orders ADD COLUMN half_done TEXT")
        db.execute("THIS IS NOT SQL")

    _with_extra_migration(monkeypatch, m999_broken)
    with pytest.raises(Exception):
        open_store_db(store_path)
    with sqlite3.connect(store_path) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(orders)")]
        assert "half_done" not in columns
        assert conn.execute("SELECT count(*) FROM orders").fetchone()[0] == 3
