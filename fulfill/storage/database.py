"""Opening a store safely: checks, backups and migrations, and SQLite errors in plain words.

A store is one SQLite file. Opening it:
  1. refuses a file that is not SQLite, not a fulfill store, damaged, or from a newer fulfill;
  2. copies it to backups/ before any migration, then migrates inside transactions;
  3. turns on WAL, foreign keys and a busy timeout.
Nothing here ever deletes or rewrites a file it refused.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database

from fulfill import paths
from fulfill.errors import (
    StoreCorrupt,
    StoreDiskFull,
    StoreError,
    StoreLocked,
    StoreMissing,
    StoreNotOurs,
    StoreReadOnly,
    StoreTooNew,
)
from fulfill.storage import schema
from fulfill.translation import _

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_BUSY_TIMEOUT_S = 5.0


def classify(error: sqlite3.Error, path: Path) -> StoreError:
    """Turn an SQLite error into one the user can act on, in the interface's language."""
    name = getattr(error, "sqlite_errorname", "") or ""
    text = str(error)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return StoreLocked(
            _("The store {name} is in use by another program.").format(name=path.name),
            _("Close other fulfill windows or programs using it, then try again. Nothing was "
              "changed."),
        )
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return StoreReadOnly(
            _("The store {path} cannot be written: the file or its folder is read-only.").format(
                path=path),
            _("Allow writing to it (or copy it to a folder you can write to) and open it again."),
        )
    if name == "SQLITE_FULL" or "disk is full" in text or "database or disk is full" in text:
        return StoreDiskFull(
            _("The disk holding {name} is full.").format(name=path.name),
            _("Free some space and try again. This last change was not saved; everything saved "
              "before it is safe."),
        )
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text:
        return StoreCorrupt(
            _("The store {path} is damaged ({error}).").format(path=path, error=text),
            _restore_advice(path),
        )
    if name.startswith("SQLITE_CANTOPEN"):
        return StoreMissing(
            _("The store {path} cannot be opened ({error}).").format(path=path, error=text),
            _("Check that the folder exists and that you may write to it."),
        )
    if name.startswith("SQLITE_IOERR"):
        return StoreError(
            _("The disk reported an error while using {name} ({error}).").format(
                name=path.name, error=text),
            _("Check the disk or network drive, then try again. Saved data is not affected."),
        )
    return StoreError(_("The store {name} reported an error: {error}.").format(
        name=path.name, error=text), "")


def _restore_advice(path: Path) -> str:
    return _("fulfill has not changed it. Restore the newest copy from {folder} or send the "
             "file to support.").format(folder=paths.backups_dir(path))


def _not_ours_advice() -> str:
    return _("Choose the .sqlite file fulfill created, or start a new store. The file was not "
             "changed.")


@contextlib.contextmanager
def store_errors(path: Path) -> Iterator[None]:
    """Re-raise SQLite errors as StoreError subclasses with advice."""
    try:
        yield
    except sqlite3.Error as error:
        raise classify(error, path) from error
    except UnicodeDecodeError as error:  # text SQLite read back is not text: a damaged page
        raise StoreCorrupt(
            _("The store {path} is damaged (unreadable text: {error}).").format(
                path=path, error=error.reason),
            _restore_advice(path),
        ) from error


def _check_header(path: Path) -> None:
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise StoreNotOurs(
            _("{path} is not a fulfill store (it is not an SQLite database).").format(path=path),
            _not_ours_advice(),
        )


T = TypeVar("T")


def in_chunks(items: Sequence[T], size: int = 500) -> Iterator[list[T]]:
    """`items` in slices small enough for one `IN (?, ?, …)`: SQLite caps bound parameters."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def marks(values: Sequence[object]) -> str:
    """The placeholders for `values` in an `IN (…)`: "?, ?, ?"."""
    return ", ".join("?" * len(values))


@contextlib.contextmanager
def atomic(db: Database, name: str = "orders_save") -> Iterator[None]:
    """db.atomic() under a fixed savepoint name. sqlite-utils asks the operating system for
    a random name for each savepoint: a system call, and a new statement to compile, twice
    per page of a sync. SQLite nests savepoints of one name correctly."""
    conn = db.conn
    if not conn.in_transaction:
        with db.atomic():
            yield
        return
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # an error may have ended the whole transaction already
            conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            conn.execute(f"RELEASE SAVEPOINT {name}")
        raise
    conn.execute(f"RELEASE SAVEPOINT {name}")


def connect(path: Path, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT_S) -> Database:
    """A plain connection, no checks: for a thread that reads a store opened before."""
    conn = sqlite3.connect(str(path), timeout=busy_timeout, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return Database(conn)


def _backup(db: Database, path: Path, version: int) -> Path:
    """Copy the whole store with SQLite's online backup before changing its schema."""
    folder = paths.backups_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}.v{version}.{stamp}.sqlite"
    with contextlib.closing(sqlite3.connect(str(target))) as copy:
        db.conn.backup(copy)
    log.info("Backed up %s to %s before migrating", path, target)
    return target


def _verify(db: Database, path: Path, *, check_integrity: bool) -> int:
    """Refuse files that are not ours, damaged or newer. Returns the file's schema version."""
    tables = set(db.table_names())
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    user_tables = {t for t in tables if not t.startswith(("sqlite_", "_sqlite_migrations"))}
    if user_tables and app_id != schema.APPLICATION_ID:
        raise StoreNotOurs(
            _("{path} is an SQLite database of another program, not a fulfill store.").format(
                path=path),
            _not_ours_advice(),
        )
    version = db.execute("PRAGMA user_version").fetchone()[0]
    applied = {m.name for m in schema.migrations.applied(db)}
    if version > schema.SCHEMA_VERSION or applied - schema.KNOWN_MIGRATIONS:
        raise StoreTooNew(
            _("{name} was saved by a newer version of fulfill (schema {version}; this version "
              "knows up to {known}).").format(name=path.name, version=version,
                                             known=schema.SCHEMA_VERSION),
            _("Update fulfill to open it. The file was not changed."),
        )
    if check_integrity and user_tables:
        problems = [row[0] for row in db.execute("PRAGMA integrity_check(5)").fetchall()]
        if problems != ["ok"]:
            raise StoreCorrupt(
                _("The store {path} is damaged: {problems}.").format(
                    path=path, problems="; ".join(problems)),
                _restore_advice(path),
            )
    return version


# SQLite pages of new stores, in bytes. An order keeps its platform payload (a few KB of
# JSON): on SQLite's default 4 KB pages most payloads spilled into chains of overflow pages.
# With 16 KB pages, 10,000 synced orders take 32 MB instead of 37 and SQLite spends a sixth
# less time writing them (0.36 s instead of 0.44 s). Existing stores keep their page size.
NEW_STORE_PAGE_SIZE = 16_384


def open_store_db(
    path: Path,
    *,
    create: bool = True,
    check_integrity: bool = True,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT_S,
) -> Database:
    """Open (or create) a store file, verified and migrated to this version's schema."""
    path = Path(path)
    existed = path.exists() and path.stat().st_size > 0
    if not existed and not create:
        raise StoreMissing(_("There is no store at {path}.").format(path=path),
                           _("Check the path, or create a new store."))
    if existed:
        _check_header(path)
    elif not path.parent.exists():
        raise StoreMissing(_("The folder {folder} does not exist.").format(folder=path.parent),
                           _("Create it or choose another place."))
    db = None
    try:
        with store_errors(path):
            db = connect(path, busy_timeout=busy_timeout)
            if not existed:  # only an empty file takes a page size
                db.execute(f"PRAGMA page_size = {NEW_STORE_PAGE_SIZE}")
            version = _verify(db, path, check_integrity=check_integrity)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            if schema.migrations.pending(db):
                if existed and version > 0:
                    _backup(db, path, version)
                schema.migrations.apply(db)
            # Stamped after every open, so a stop between migrating and stamping heals itself.
            if version != schema.SCHEMA_VERSION:
                db.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")
            if db.execute("PRAGMA application_id").fetchone()[0] != schema.APPLICATION_ID:
                db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        return db
    except BaseException:
        if db is not None:
            db.close()
        raise
