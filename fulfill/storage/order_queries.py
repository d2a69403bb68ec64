"""Queries behind the orders desk: filtered, searched, sorted id lists and rows by id.

The desk's table asks for ids once (one indexed query) and fetches rows on demand, so a
100,000-order store costs one integer list, not 100,000 objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from fulfill.domain import Money, OrderStatus, Platform
from fulfill.storage.audit import parse_utc_text, utc_text
from fulfill.storage.database import in_chunks, marks
from fulfill.storage.search_text import fts_query

# Sort keys the desk offers, each an SQL expression; id breaks ties so paging is stable.
SORT_COLUMNS = {
    "ordered_at": "o.ordered_at",
    "order_number": "o.order_number",
    "channel": "o.account_id",
    "buyer": "o.ship_name COLLATE NOCASE",
    "country": "o.ship_country",
    "items": "o.item_count",
    "total": "o.currency, o.total",
    "status": "o.status",
}


@dataclass(frozen=True)
class OrderFilter:
    statuses: tuple[OrderStatus, ...] = ()
    account_ids: tuple[int, ...] = ()
    countries: tuple[str, ...] = ()
    ordered_from: datetime | None = None  # inclusive
    ordered_before: datetime | None = None  # exclusive
    search: str = ""
    problems_only: bool = False

    def without_status(self) -> OrderFilter:
        return replace(self, statuses=())


@dataclass(frozen=True)
class OrderSort:
    column: str = "ordered_at"
    descending: bool = True

    def __post_init__(self) -> None:
        if self.column not in SORT_COLUMNS:
            raise ValueError(f"Cannot sort orders by {self.column!r}")

    def sql(self) -> str:
        direction = " DESC" if self.descending else ""
        terms = [f"{term}{direction}" for term in SORT_COLUMNS[self.column].split(", ")]
        return ", ".join([*terms, f"o.id{direction}"])


@dataclass(frozen=True, slots=True)
class DeskRow:
    """What one line of the orders table shows."""

    id: int
    order_number: str
    account_id: int
    platform: Platform
    account_name: str
    ordered_at: datetime
    ship_name: str
    ship_name_latin: str
    country: str
    item_count: int
    total: Money
    status: OrderStatus
    problem: str


def where_clause(flt: OrderFilter) -> tuple[str, list[Any]]:
    """SQL conditions on `orders o` for a filter, and their parameters."""
    conditions: list[str] = []
    params: list[Any] = []

    def any_of(column: str, values: tuple) -> None:
        if values:
            conditions.append(f"{column} IN ({marks(values)})")
            params.extend(values)

    any_of("o.status", tuple(s.value for s in flt.statuses))
    any_of("o.account_id", flt.account_ids)
    any_of("o.ship_country", flt.countries)
    if flt.ordered_from:
        conditions.append("o.ordered_at >= ?")
        params.append(utc_text(flt.ordered_from))
    if flt.ordered_before:
        conditions.append("o.ordered_at < ?")
        params.append(utc_text(flt.ordered_before))
    if flt.problems_only:
        conditions.append("o.problem != ''")
    match = fts_query(flt.search)
    if match:
        conditions.append("o.id IN (SELECT rowid FROM orders_fts WHERE orders_fts MATCH ?)")
        params.append(match)
    elif flt.search.strip():
        conditions.append("0")  # only punctuation typed: nothing can match
    return (" WHERE " + " AND ".join(conditions)) if conditions else "", params


def order_ids_sql(flt: OrderFilter, sort: OrderSort = OrderSort()) -> tuple[str, list[Any]]:
    where, params = where_clause(flt)
    return f"SELECT o.id FROM orders o{where} ORDER BY {sort.sql()}", params


def order_ids(db: Database, flt: OrderFilter, sort: OrderSort = OrderSort()) -> list[int]:
    sql, params = order_ids_sql(flt, sort)
    return [row[0] for row in db.execute(sql, params)]


def status_counts(db: Database, flt: OrderFilter) -> dict[OrderStatus, int]:
    """How many orders of each status match the filter, ignoring its status part."""
    where, params = where_clause(flt.without_status())
    rows = db.execute(f"SELECT o.status, count(*) FROM orders o{where} GROUP BY o.status", params)
    counts = {status: 0 for status in OrderStatus}
    counts.update({OrderStatus(status): n for status, n in rows})
    return counts


def desk_rows(db: Database, ids: list[int]) -> dict[int, DeskRow]:
    """Rows for the given ids (any order; missing ids are simply absent)."""
    if not ids:
        return {}
    rows: dict[int, DeskRow] = {}
    # SQLite caps bound parameters; the desk asks for a screenful or two at a time anyway.
    for chunk in in_chunks(ids):
        cursor = db.execute(
            "SELECT o.id, o.order_number, o.account_id, a.platform, a.name, o.ordered_at, o.ship_name,"
            " o.ship_name_latin, o.ship_country, o.item_count, o.total, o.currency, o.status,"
            " o.problem FROM orders o JOIN channel_accounts a ON a.id = o.account_id"
            f" WHERE o.id IN ({marks(chunk)})",
            chunk,
        )
        for r in cursor:
            rows[r[0]] = DeskRow(
                id=r[0], order_number=r[1], account_id=r[2], platform=Platform(r[3]),
                account_name=r[4], ordered_at=parse_utc_text(r[5]), ship_name=r[6],
                ship_name_latin=r[7], country=r[8], item_count=r[9], total=Money(r[10], r[11]),
                status=OrderStatus(r[12]), problem=r[13],
            )
    return rows


def countries_in_use(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT ship_country FROM orders ORDER BY 1")]


@dataclass
class OrderQuery:
    """A filter and a sort together: what the desk is showing."""

    filter: OrderFilter = field(default_factory=OrderFilter)
    sort: OrderSort = field(default_factory=OrderSort)
