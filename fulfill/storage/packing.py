"""Packing-station records: sessions (one parcel being packed), every scan, what was printed,
and batches. Plain reads and writes; the rules live in fulfill.services.packing."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from fulfill.storage.audit import now_text, parse_utc_text, utc_text

OPEN_STATES = ("packing", "printed")
MIS_SCANS = ("extra", "wrong_item", "unknown")


@dataclass
class SessionRow:
    id: int
    order_id: int
    parcel_no: int
    station: str
    holder: str
    state: str
    note: str
    shipment_id: int | None
    started_at: datetime
    completed_at: datetime | None
    printed_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime


_SESSION_COLUMNS = ("id, order_id, parcel_no, station, holder, state, note, shipment_id, started_at,"
                    " completed_at, printed_at, finished_at, heartbeat_at")


def _time(text: str | None) -> datetime | None:
    return parse_utc_text(text) if text else None


def _session(row: tuple) -> SessionRow:
    return SessionRow(*row[:8], parse_utc_text(row[8]), _time(row[9]), _time(row[10]),
                      _time(row[11]), parse_utc_text(row[12]))


class PackingRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- sessions ------------------------------------------------------------------------
    def session(self, session_id: int) -> SessionRow | None:
        row = self.db.execute(f"SELECT {_SESSION_COLUMNS} FROM pack_sessions WHERE id = ?",
                              [session_id]).fetchone()
        return _session(row) if row else None

    def open_session_for_order(self, order_id: int) -> SessionRow | None:
        row = self.db.execute(
            f"SELECT {_SESSION_COLUMNS} FROM pack_sessions WHERE order_id = ? AND state IN"
            " ('packing', 'printed')", [order_id]).fetchone()
        return _session(row) if row else None

    def open_sessions_at(self, station: str) -> list[SessionRow]:
        return [_session(r) for r in self.db.execute(
            f"SELECT {_SESSION_COLUMNS} FROM pack_sessions WHERE station = ? AND state IN"
            " ('packing', 'printed') ORDER BY heartbeat_at DESC", [station])]

    def start_session(self, order_id: int, parcel_no: int, station: str, holder: str) -> int:
        now = now_text()
        return self.db.execute(
            "INSERT INTO pack_sessions (order_id, parcel_no, station, holder, state, started_at,"
            " heartbeat_at) VALUES (?, ?, ?, ?, 'packing', ?, ?)",
            [order_id, parcel_no, station, holder, now, now]).lastrowid

    def take_over(self, session_id: int, station: str, holder: str) -> None:
        self.db.execute("UPDATE pack_sessions SET station = ?, holder = ?, heartbeat_at = ?"
                        " WHERE id = ?", [station, holder, now_text(), session_id])

    def heartbeat(self, holder: str) -> None:
        self.db.execute("UPDATE pack_sessions SET heartbeat_at = ? WHERE holder = ? AND state IN"
                        " ('packing', 'printed')", [now_text(), holder])

    def release(self, holder: str) -> None:
        """Mark the holder's open sessions as no longer watched (a long-past heartbeat)."""
        self.db.execute("UPDATE pack_sessions SET heartbeat_at = '2000-01-01T00:00:00Z'"
                        " WHERE holder = ? AND state IN ('packing', 'printed')", [holder])

    def update(self, session_id: int, **fields: Any) -> None:
        allowed = {"state", "note", "shipment_id", "completed_at", "printed_at", "finished_at"}
        if not fields or set(fields) - allowed:
            raise ValueError(f"Cannot update pack session fields {sorted(fields)}")
        values = [utc_text(v) if isinstance(v, datetime) else v for v in fields.values()]
        self.db.execute(f"UPDATE pack_sessions SET {', '.join(f + ' = ?' for f in fields)}"
                        " WHERE id = ?", [*values, session_id])

    def sessions_for_order(self, order_id: int) -> list[SessionRow]:
        return [_session(r) for r in self.db.execute(
            f"SELECT {_SESSION_COLUMNS} FROM pack_sessions WHERE order_id = ? ORDER BY id",
            [order_id])]

    def set_aside(self) -> list[SessionRow]:
        """Orders set aside for missing data whose latest session is still the set-aside one."""
        return [_session(r) for r in self.db.execute(
            f"SELECT {_SESSION_COLUMNS} FROM pack_sessions s WHERE state = 'set_aside' AND id ="
            " (SELECT max(id) FROM pack_sessions WHERE order_id = s.order_id) ORDER BY id")]

    # --- scans ---------------------------------------------------------------------------
    def add_scan(self, session_id: int, code: str, sku: str, outcome: str, message: str = "") -> int:
        return self.db.execute(
            "INSERT INTO pack_scans (session_id, at, code, sku, outcome, message)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [session_id, now_text(), code, sku, outcome, message]).lastrowid

    def packed_counts(self, session_id: int) -> Counter[str]:
        """SKU -> pieces packed in the session: item scans less undone ones."""
        counts: Counter[str] = Counter()
        for sku, outcome in self.db.execute(
                "SELECT sku, outcome FROM pack_scans WHERE session_id = ? AND outcome IN"
                " ('item', 'undo') ORDER BY id", [session_id]):
            counts[sku] += 1 if outcome == "item" else -1
        return +counts

    def shipped_counts(self, order_id: int) -> Counter[str]:
        """SKU -> pieces already shipped in earlier parcels of the order."""
        counts: Counter[str] = Counter()
        for (session_id,) in self.db.execute(
                "SELECT id FROM pack_sessions WHERE order_id = ? AND state = 'shipped'", [order_id]):
            counts.update(self.packed_counts(session_id))
        return counts

    def last_item_scan(self, session_id: int) -> str | None:
        """The SKU of the latest item scan not yet undone."""
        stack: list[str] = []
        for sku, outcome in self.db.execute(
                "SELECT sku, outcome FROM pack_scans WHERE session_id = ? AND outcome IN"
                " ('item', 'undo') ORDER BY id", [session_id]):
            if outcome == "item":
                stack.append(sku)
            elif stack:
                stack.pop()
        return stack[-1] if stack else None

    # --- printed papers ------------------------------------------------------------------
    def record_printed(self, order_id: int, kinds: list[str], station: str,
                       snapshot: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT INTO printed_papers (order_id, at, kinds, station, snapshot)"
            " VALUES (?, ?, ?, ?, ?)",
            [order_id, now_text(), "+".join(kinds), station,
             json.dumps(snapshot, ensure_ascii=False, sort_keys=True)])

    def last_printed(self, order_id: int) -> tuple[datetime, dict[str, Any]] | None:
        row = self.db.execute("SELECT at, snapshot FROM printed_papers WHERE order_id = ?"
                              " ORDER BY id DESC LIMIT 1", [order_id]).fetchone()
        return (parse_utc_text(row[0]), json.loads(row[1])) if row else None

    # --- batches -------------------------------------------------------------------------
    def create_batch(self, name: str, order_ids: list[int]) -> int:
        batch_id = self.db.execute("INSERT INTO pack_batches (name, created_at) VALUES (?, ?)",
                                   [name, now_text()]).lastrowid
        self.db.conn.executemany(
            "INSERT INTO pack_batch_orders (batch_id, order_id, position) VALUES (?, ?, ?)",
            [(batch_id, order_id, n) for n, order_id in enumerate(dict.fromkeys(order_ids))])
        return batch_id

    def batches(self, *, include_closed: bool = False) -> list[tuple[int, str, datetime, bool]]:
        where = "" if include_closed else " WHERE closed_at IS NULL"
        return [(r[0], r[1], parse_utc_text(r[2]), r[3] is not None) for r in self.db.execute(
            f"SELECT id, name, created_at, closed_at FROM pack_batches{where} ORDER BY id DESC")]

    def batch_order_ids(self, batch_id: int) -> list[int]:
        return [r[0] for r in self.db.execute(
            "SELECT order_id FROM pack_batch_orders WHERE batch_id = ? ORDER BY position",
            [batch_id])]

    def close_batch(self, batch_id: int) -> None:
        self.db.execute("UPDATE pack_batches SET closed_at = ? WHERE id = ?", [now_text(), batch_id])

    # --- figures -------------------------------------------------------------------------
    def shipped_between(self, start: datetime, end: datetime, station: str | None = None
                        ) -> list[tuple[datetime, datetime]]:
        """(started, finished) of the parcels shipped from Pack mode in [start, end)."""
        sql = ("SELECT started_at, finished_at FROM pack_sessions WHERE state = 'shipped'"
               " AND finished_at >= ? AND finished_at < ?")
        params: list[Any] = [utc_text(start), utc_text(end)]
        if station:
            sql += " AND station = ?"
            params.append(station)
        return [(parse_utc_text(a), parse_utc_text(b)) for a, b in self.db.execute(sql, params)]

    def mis_scans_between(self, start: datetime, end: datetime, station: str | None = None) -> int:
        sql = ("SELECT count(*) FROM pack_scans c JOIN pack_sessions s ON s.id = c.session_id"
               f" WHERE c.outcome IN {MIS_SCANS} AND c.at >= ? AND c.at < ?")
        params: list[Any] = [utc_text(start), utc_text(end)]
        if station:
            sql += " AND s.station = ?"
            params.append(station)
        return self.db.execute(sql, params).fetchone()[0]
