"""The audit log: every status change of an order, shipment or return, with who and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database


def utc_text(moment: datetime) -> str:
    """Stored form of a time: UTC, to the second, sortable as text."""
    # isoformat is several times faster than strftime, and a sync stamps every order twice;
    # a time already in UTC (what the mappers make) is written without converting it.
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="seconds")[:-6] + "Z"


def parse_utc_text(text: str) -> datetime:
    if not text.endswith("Z"):
        raise ValueError(f"{text!r} is not a stored UTC time")
    return datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)


def now_text() -> str:
    return utc_text(datetime.now(UTC))


INSERT_HEAD = "INSERT INTO audit_log (at, entity, entity_id, action, old_value, new_value, actor, note)"
INSERT = f"{INSERT_HEAD} VALUES (?, ?, ?, ?, ?, ?, ?, ?)"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    entity: str
    entity_id: int
    action: str
    old_value: str
    new_value: str
    actor: str
    note: str


def record(
    db: Database,
    entity: str,
    entity_id: int,
    action: str,
    *,
    old: str = "",
    new: str = "",
    actor: str = "",
    note: str = "",
    at: str | None = None,
) -> None:
    db.execute(INSERT, [at or now_text(), entity, entity_id, action, old, new, actor, note])


def history(db: Database, entity: str, entity_id: int) -> list[AuditEntry]:
    rows = db.execute(
        "SELECT at, entity, entity_id, action, old_value, new_value, actor, note FROM audit_log"
        " WHERE entity = ? AND entity_id = ? ORDER BY id",
        [entity, entity_id],
    ).fetchall()
    return [AuditEntry(parse_utc_text(r[0]), *r[1:]) for r in rows]
