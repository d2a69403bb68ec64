"""Per-account sync bookkeeping: watermark, the run under way, the sync log, problems."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from fulfill.storage.audit import now_text, parse_utc_text, utc_text


@dataclass
class SyncState:
    watermark: datetime | None = None
    run_since: datetime | None = None
    run_until: datetime | None = None
    run_cursor: str | None = None

    @property
    def run_in_progress(self) -> bool:
        return self.run_until is not None


@dataclass
class SyncLogEntry:
    id: int
    account_id: int
    started_at: datetime
    finished_at: datetime | None
    fetched: int
    created: int
    changed: int
    problems: int
    outcome: str
    message: str


def _time(text: str | None) -> datetime | None:
    return parse_utc_text(text) if text else None


def _text(moment: datetime | None) -> str | None:
    return utc_text(moment) if moment else None


class SyncRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def state(self, account_id: int) -> SyncState:
        row = self.db.execute(
            "SELECT watermark, run_since, run_until, run_cursor FROM sync_state WHERE account_id = ?",
            [account_id],
        ).fetchone()
        if row is None:
            return SyncState()
        return SyncState(_time(row[0]), _time(row[1]), _time(row[2]), row[3])

    def save_state(self, account_id: int, state: SyncState) -> None:
        self.db.execute(
            "INSERT INTO sync_state (account_id, watermark, run_since, run_until, run_cursor)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET"
            " watermark = excluded.watermark, run_since = excluded.run_since,"
            " run_until = excluded.run_until, run_cursor = excluded.run_cursor",
            [account_id, _text(state.watermark), _text(state.run_since), _text(state.run_until),
             state.run_cursor],
        )

    def start_log(self, account_id: int) -> int:
        return self.db.execute(
            "INSERT INTO sync_log (account_id, started_at) VALUES (?, ?)", [account_id, now_text()]
        ).lastrowid

    def finish_log(self, log_id: int, *, fetched: int, created: int, changed: int, problems: int,
                   outcome: str, message: str = "") -> None:
        self.db.execute(
            "UPDATE sync_log SET finished_at = ?, fetched = ?, created = ?, changed = ?,"
            " problems = ?, outcome = ?, message = ? WHERE id = ?",
            [now_text(), fetched, created, changed, problems, outcome, message, log_id],
        )

    def log(self, account_id: int | None = None, limit: int = 50) -> list[SyncLogEntry]:
        where, params = ("WHERE account_id = ?", [account_id]) if account_id else ("", [])
        rows = self.db.execute(
            "SELECT id, account_id, started_at, finished_at, fetched, created, changed, problems,"
            f" outcome, message FROM sync_log {where} ORDER BY id DESC LIMIT ?", [*params, limit]
        ).fetchall()
        return [SyncLogEntry(r[0], r[1], parse_utc_text(r[2]), _time(r[3]), *r[4:]) for r in rows]

    def record_problem(self, account_id: int, platform_order_id: str, message: str,
                       raw: dict) -> None:
        """Keep the payload; mark the stored order (if any) so the desk shows it."""
        now = now_text()
        self.db.execute(
            "INSERT INTO sync_problems (account_id, platform_order_id, message, raw, first_seen,"
            " last_seen) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, platform_order_id)"
            " DO UPDATE SET message = excluded.message, raw = excluded.raw,"
            " last_seen = excluded.last_seen",
            [account_id, platform_order_id, message, json.dumps(raw, ensure_ascii=False, default=str),
             now, now],
        )
        self.db.execute(
            "UPDATE orders SET problem = ? WHERE account_id = ? AND platform_order_id = ?",
            [f"Last sync could not read this order: {message}", account_id, platform_order_id],
        )

    def clear_problem(self, account_id: int, platform_order_id: str) -> None:
        self.db.execute(
            "DELETE FROM sync_problems WHERE account_id = ? AND platform_order_id = ?",
            [account_id, platform_order_id],
        )
        self.db.execute(
            "UPDATE orders SET problem = '' WHERE account_id = ? AND platform_order_id = ?"
            " AND problem != ''", [account_id, platform_order_id],
        )

    def has_problems(self, account_id: int) -> bool:
        return self.db.execute("SELECT 1 FROM sync_problems WHERE account_id = ? LIMIT 1",
                               [account_id]).fetchone() is not None

    def problems(self, account_id: int) -> list[tuple[str, str]]:
        return [tuple(r) for r in self.db.execute(
            "SELECT platform_order_id, message FROM sync_problems WHERE account_id = ?"
            " ORDER BY platform_order_id", [account_id])]
