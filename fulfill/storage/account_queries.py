"""Queries behind the Channels screen: each active account with its latest run and counts.

Read-only and small (a few indexed queries per account), so a view may run them on its own
short-lived connection while the store worker writes (WAL lets both run).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from fulfill.domain import ChannelAccount
from fulfill.storage.catalog import AccountRepository
from fulfill.storage.sync_state import SyncLogEntry, SyncRepository


@dataclass
class AccountRow:
    account: ChannelAccount
    last: SyncLogEntry | None  # the latest sync run, None before the first
    orders: int
    problems: list[tuple[str, str]]  # (platform order id, message) of orders that could not be read
    pending: int  # tracking write-backs waiting to be sent
    failed_writes: int  # tracking write-backs the platform refused


def read_accounts(db: Database) -> list[AccountRow]:
    """Active accounts with their latest run and counts: small indexed queries."""
    sync = SyncRepository(db)
    rows = []
    for account in AccountRepository(db).all():
        if account.settings.get("removed") == "true":
            continue
        last = sync.log(account.id, limit=1)
        orders = db.execute("SELECT count(*) FROM orders WHERE account_id = ?",
                            [account.id]).fetchone()[0]
        writes = dict(db.execute(
            "SELECT state, count(*) FROM outbox WHERE account_id = ? AND state != 'done'"
            " GROUP BY state", [account.id]).fetchall())
        rows.append(AccountRow(account, last[0] if last else None, orders,
                               sync.problems(account.id), writes.get("pending", 0),
                               writes.get("failed", 0)))
    return rows
