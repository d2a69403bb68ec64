"""The outbox: messages to platforms that must arrive, kept until the platform accepts them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from fulfill.storage.audit import now_text, parse_utc_text, utc_text


@dataclass
class OutboxItem:
    id: int
    account_id: int
    order_id: int
    kind: str
    payload: dict[str, Any]
    state: str
    attempts: int
    next_attempt_at: datetime
    last_error: str


_SELECT = ("SELECT id, account_id, order_id, kind, payload, state, attempts, next_attempt_at,"
           " last_error FROM outbox")


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def enqueue(self, account_id: int, order_id: int, kind: str, payload: dict[str, Any],
                dedupe_key: str, *, due: datetime) -> int | None:
        """Add a message once: the same dedupe_key again is ignored. Returns the new id."""
        cursor = self.db.execute(
            "INSERT INTO outbox (account_id, order_id, kind, dedupe_key, payload, next_attempt_at,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING",
            [account_id, order_id, kind, dedupe_key, json.dumps(payload, ensure_ascii=False),
             utc_text(due), now_text()],
        )
        return cursor.lastrowid if cursor.rowcount else None

    def due(self, now: datetime, limit: int = 100) -> list[OutboxItem]:
        rows = self.db.execute(
            f"{_SELECT} WHERE state = 'pending' AND next_attempt_at <= ?"
            " ORDER BY next_attempt_at, id LIMIT ?", [utc_text(now), limit]
        ).fetchall()
        return [self._item(r) for r in rows]

    def all(self, state: str | None = None) -> list[OutboxItem]:
        where, params = ("WHERE state = ?", [state]) if state else ("", [])
        rows = self.db.execute(
            f"{_SELECT} {where} ORDER BY id", params
        ).fetchall()
        return [self._item(r) for r in rows]

    @staticmethod
    def _item(r: tuple) -> OutboxItem:
        return OutboxItem(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6],
                          parse_utc_text(r[7]), r[8])

    def mark_done(self, item_id: int) -> None:
        self.db.execute(
            "UPDATE outbox SET state = 'done', attempts = attempts + 1, done_at = ?,"
            " last_error = '' WHERE id = ?", [now_text(), item_id])

    def mark_retry(self, item_id: int, error: str, next_attempt: datetime) -> None:
        self.db.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?"
            " WHERE id = ?", [error, utc_text(next_attempt), item_id])

    def mark_failed(self, item_id: int, error: str) -> None:
        self.db.execute(
            "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?"
            " WHERE id = ?", [error, item_id])

    def retry_failed(self, item_id: int, now: datetime) -> None:
        """After the seller fixed the cause, send a failed message again."""
        self.db.execute(
            "UPDATE outbox SET state = 'pending', next_attempt_at = ? WHERE id = ? AND state = 'failed'",
            [utc_text(now), item_id])

    def for_order(self, order_id: int) -> list[OutboxItem]:
        rows = self.db.execute(
            f"{_SELECT} WHERE order_id = ? ORDER BY id", [order_id]
        ).fetchall()
        return [self._item(r) for r in rows]

    def pending_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]
