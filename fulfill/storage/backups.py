"""Backups of a store: automatic ones that rotate, Backup now, and Restore.

Copies are made with SQLite's online backup (consistent while the app writes), into a
temporary file that is checked and then renamed into backups/ beside the store, so a
half-written copy never looks like a backup. Restore checks the chosen file as thoroughly
as opening a store does (SQLite, ours, not newer, not damaged) before anything is replaced,
and backs up the current store first: a restore can itself be undone.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fulfill import paths
from fulfill.errors import StoreError
from fulfill.storage.database import _check_header, _verify, connect, store_errors
from fulfill.translation import N_, _

__all__ = ["AUTOMATIC_EVERY", "KEEP_AUTOMATIC", "Backup", "automatic_backup", "back_up",
           "backups", "check_backup", "restore"]

AUTOMATIC_EVERY = timedelta(hours=20)  # about once a working day
KEEP_AUTOMATIC = 10  # the newest automatic backups kept; manual ones are the seller's to delete
# How each kind of backup is named in the Restore list.
_KIND_WORDS = {"auto": N_("automatic"), "manual": N_("made by hand"),
               "before-restore": N_("taken before a restore")}
_NAME = re.compile(r"^(?P<stem>.+)\.(?P<kind>auto|manual|before-restore)\.(?P<at>\d{8}-\d{6})"
                   r"\.sqlite$")


@dataclass(frozen=True)
class Backup:
    path: Path
    kind: str  # "auto", "manual", "before-restore"
    made_at: datetime
    size: int

    @property
    def label(self) -> str:
        """"2026-11-21 09:14 (automatic)", in the interface's language."""
        kind = _KIND_WORDS.get(self.kind)
        # Translators: a backup in the Restore list: "2026-11-21 09:14 (automatic)".
        return _("{when} ({kind})").format(when=f"{self.made_at.astimezone():%Y-%m-%d %H:%M}",
                                           kind=_(kind) if kind else self.kind)


def backups(store_path: Path) -> list[Backup]:
    """The store's backups, newest first (migration copies and foreign files aside)."""
    folder = paths.backups_dir(store_path)
    found = []
    for path in folder.glob(f"{store_path.stem}.*.sqlite") if folder.exists() else ():
        match = _NAME.match(path.name)
        if match and match["stem"] == store_path.stem:
            at = datetime.strptime(match["at"], "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
            found.append(Backup(path, match["kind"], at, path.stat().st_size))
    return sorted(found, key=lambda b: (b.made_at, b.path.name), reverse=True)


def _copy(source: Path, target: Path) -> None:
    """Online-backup `source` into `target` through a temporary file beside it."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with store_errors(source), contextlib.closing(connect(source).conn) as conn, \
                contextlib.closing(sqlite3.connect(str(partial))) as copy:
            conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except OSError as error:
        raise StoreError(_("The backup could not be written to {folder} ({error}).").format(
                             folder=target.parent, error=error.strerror or error),
                         _("Free some disk space or check the folder, then try again. The store "
                           "itself is unchanged.")) from error
    finally:
        partial.unlink(missing_ok=True)


def back_up(store_path: Path, *, kind: str = "manual", now: datetime | None = None) -> Backup:
    """Copy the store into its backups folder now; automatic copies beyond the newest
    KEEP_AUTOMATIC are then deleted."""
    at = (now or datetime.now(UTC)).astimezone(UTC)
    folder = paths.backups_dir(store_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{store_path.stem}.{kind}.{at:%Y%m%d-%H%M%S}.sqlite"
    n = 1
    while target.exists():  # two backups in one second keep both
        target = folder / f"{store_path.stem}.{kind}.{at:%Y%m%d-%H%M%S}-{n}.sqlite"
        n += 1
    _copy(store_path, target)
    for old in [b for b in backups(store_path) if b.kind == "auto"][KEEP_AUTOMATIC:]:
        old.path.unlink(missing_ok=True)
    return Backup(target, kind, at.replace(microsecond=0), target.stat().st_size)


def automatic_backup(store_path: Path, *, now: datetime | None = None,
                     every: timedelta = AUTOMATIC_EVERY) -> Backup | None:
    """A backup when the newest automatic one is older than `every` (or there is none)."""
    at = now or datetime.now(UTC)
    if not store_path.exists():
        return None
    newest = next((b for b in backups(store_path) if b.kind == "auto"), None)
    if newest is not None and at - newest.made_at < every:
        return None
    return back_up(store_path, kind="auto", now=at)


@dataclass(frozen=True)
class BackupCheck:
    path: Path
    schema_version: int
    orders: int
    returns: int


def check_backup(path: Path) -> BackupCheck:
    """Everything opening a store checks (SQLite, ours, not newer, not damaged), read-only.
    Raises StoreError saying what is wrong; the file is never changed."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(_("There is no file at {path}.").format(path=path),
                         _("Choose a backup from the list."))
    _check_header(path)
    uri = f"file:{path.as_posix()}?mode=ro"
    with store_errors(path), contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
        from sqlite_utils import Database

        db = Database(conn)
        version = _verify(db, path, check_integrity=True)
        if "orders" not in db.table_names():
            raise StoreError(_("{name} holds no fulfill data.").format(name=path.name),
                             _("Choose another backup; this one was not made by fulfill."))
        orders = conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
        rmas = (conn.execute("SELECT COUNT(*) FROM rmas").fetchone()[0]
                if "rmas" in db.table_names() else 0)
    return BackupCheck(path, version, orders, rmas)


def restore(store_path: Path, backup_path: Path, *, now: datetime | None = None) -> Backup:
    """Replace the store with a checked backup, after backing up the store as it is.
    Every connection to the store must be closed first. Returns the safety copy."""
    check_backup(backup_path)
    safety = back_up(store_path, kind="before-restore", now=now) if store_path.exists() else None
    staged = store_path.with_name(store_path.name + ".restoring")
    _copy(Path(backup_path), staged)
    for suffix in ("-wal", "-shm"):  # the old store's journal must not be replayed on the copy
        Path(f"{store_path}{suffix}").unlink(missing_ok=True)
    os.replace(staged, store_path)
    return safety or Backup(store_path, "before-restore", datetime.now(UTC), 0)
