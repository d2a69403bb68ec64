"""Orders in the store: idempotent upsert keyed by (account, platform order id), and reads.

Saving an order that has not changed writes nothing at all; a changed one is rewritten with
its lines and search document in one transaction, and a status change goes to the audit log.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import chain
from typing import Any

import orjson
from sqlite_utils import Database

from fulfill.domain import (
    Address, AddressText, Money, Order, OrderLine, OrderStatus, Shipment, ShipmentStatus,
)
from fulfill.storage import audit
from fulfill.storage.database import atomic, in_chunks, marks
from fulfill.storage.search_text import index_forms

_ORDER_COLUMNS = (
    "account_id", "platform_order_id", "order_number", "status", "ordered_at", "updated_at",
    "buyer_name", "buyer_email", "ship_name", "ship_name_latin", "ship_country", "address",
    "currency", "subtotal", "shipping", "tax", "discount", "total", "item_count", "note",
    "raw", "content_hash",
)
_INSERT_ORDER_HEAD = f"INSERT INTO orders ({', '.join(_ORDER_COLUMNS)}, created_at, synced_at)"
_UPDATE_ORDER = (
    f"UPDATE orders SET {', '.join(c + ' = ?' for c in _ORDER_COLUMNS)}, synced_at = ?"
    " WHERE id = ?"
)
_LINES_HEAD = (
    "INSERT INTO order_lines (order_id, line_no, sku, title, quantity, unit_price, platform_line_id)"
)
_SEARCH_HEAD = "INSERT INTO orders_fts (rowid, number, buyer, address, items)"


def insert_rows(conn, head: str, rows: list[tuple]) -> list[tuple]:
    """`head` VALUES (...), (...), ... in as few statements as SQLite's parameter limit
    allows: SQLite then inserts a whole chunk in one call instead of one call per row.
    `head` may end in a RETURNING clause, whose rows are returned."""
    if not rows:
        return []
    width = len(rows[0])
    placeholder = f"({', '.join('?' * width)})"
    per_statement = 32_000 // width  # SQLite allows 32,766 parameters per statement
    returning = ""
    if " RETURNING " in head:
        head, returning = head.split(" RETURNING ")
        returning = f" RETURNING {returning}"
    returned: list[tuple] = []
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        sql = f"{head} VALUES {', '.join([placeholder] * len(chunk))}{returning}"
        returned += conn.execute(sql, list(chain.from_iterable(chunk))).fetchall()
    return returned


@dataclass
class _Batch:
    """Rows a save adds besides the orders, written together in multi-row INSERTs."""

    lines: list[tuple] = field(default_factory=list)
    search: list[tuple] = field(default_factory=list)
    audit: list[tuple] = field(default_factory=list)
    new: dict[tuple[int, str], tuple[Order, list[Any], list[tuple]]] = field(default_factory=dict)

    def write(self, conn) -> None:
        insert_rows(conn, _LINES_HEAD, self.lines)
        insert_rows(conn, _SEARCH_HEAD, self.search)
        insert_rows(conn, audit.INSERT_HEAD, self.audit)


@dataclass
class SaveResult:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    ids: list[int] = field(default_factory=list)


def _minor(amount: Money | None) -> int | None:
    return None if amount is None else amount.minor


def _text_dict(text: AddressText) -> dict[str, str]:
    return {"name": text.name, "line1": text.line1, "line2": text.line2, "city": text.city,
            "region": text.region, "company": text.company}


def _json_bytes(data: Any) -> bytes:
    """Compact JSON as UTF-8. orjson is several times faster than json.dumps, which was the
    largest Python cost of saving a synced order; the stdlib covers what orjson refuses
    (integers beyond 64 bits). orjson's options for keys that are not text and for other
    types cost a third more, so they are used only for data that needs them."""
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        pass
    try:
        return orjson.dumps(data, default=str, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        return json.dumps(data, ensure_ascii=False, default=str, separators=(",", ":")).encode()


def _json_text(data: Any) -> str:
    return _json_bytes(data).decode()


def _address_json(address: Address) -> str:
    # Built by hand: dataclasses.asdict deep-copies and was a third of a sync's save time.
    return _json_text({
        "typed": _text_dict(address.typed), "country_code": address.country_code,
        "postal_code": address.postal_code, "phone": address.phone, "email": address.email,
        "latin": _text_dict(address.latin) if address.latin else None,
    })


def _address_from_json(text: str) -> Address:
    data = json.loads(text)
    latin = data.pop("latin")
    return Address(
        typed=AddressText(**data.pop("typed")),
        latin=AddressText(**latin) if latin else None,
        **data,
    )


def _order_values(order: Order) -> tuple[list[Any], list[tuple]]:
    """Column values and line tuples for an order, with a hash of everything in them."""
    lines = [
        (n, line.sku, line.title, line.quantity, line.unit_price.minor, line.platform_line_id)
        for n, line in enumerate(order.lines, start=1)
    ]
    address = order.ship_to
    latin = address.latin
    values: list[Any] = [
        order.account_id, order.platform_order_id, order.order_number, order.status.value,
        audit.utc_text(order.ordered_at),
        audit.utc_text(order.updated_at) if order.updated_at else None,
        order.buyer_name, order.buyer_email, address.typed.name,
        latin.name if latin else "", address.country_code, _address_json(address),
        order.currency, sum([line[4] * line[3] for line in lines]), _minor(order.shipping),
        _minor(order.tax), _minor(order.discount), order.grand_total.minor,
        sum([line[3] for line in lines]), order.note,
    ]
    raw = _json_bytes(order.raw)
    # repr of str/int/None is exact and stable, and much cheaper than encoding JSON again.
    # The hash is of the same bytes as ever: stored orders keep matching their hash.
    digest = hashlib.sha256(repr((values, lines)).encode())
    digest.update(raw)
    values += (raw.decode(), digest.hexdigest())
    return values, lines


def _has_blanks(order: Order) -> bool:
    typed = order.ship_to.typed
    return not (typed.name and typed.line1 and order.ship_to.phone and order.buyer_email
                and order.buyer_name)


def _fill_blanks(new: AddressText, old: AddressText) -> AddressText:
    return AddressText(**{f: getattr(new, f) or getattr(old, f) for f in
                          ("name", "line1", "line2", "city", "region", "company")})


def _search_document(order: Order) -> tuple[str, str, str, str]:
    address = order.ship_to
    typed, latin = address.typed, address.latin
    names = [order.buyer_name, order.buyer_email, typed.name]
    places = typed.lines()[1:]
    if latin:
        names.append(latin.name)
        places += latin.lines()[1:]
    places += (address.postal_code, address.phone, address.country_code)
    items = [part for line in order.lines for part in (line.sku, line.title)]
    return tuple(index_forms(  # type: ignore[return-value]
        f"{order.order_number} {order.platform_order_id}", " ".join(names), " ".join(places),
        " ".join(items)))


class OrderRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, orders: Iterable[Order], *, actor: str = "sync") -> SaveResult:
        """Insert new orders and update changed ones, in one transaction.

        Sets `order.id` on each order. An order identical to the stored one is not written.
        """
        result = SaveResult()
        now = audit.now_text()
        orders = list(orders)
        batch = _Batch()
        with atomic(self.db):
            known = self._existing(orders)
            for order in orders:
                key = (order.account_id, order.platform_order_id)
                existing = known.get(key)
                values, lines = _order_values(order)
                if existing is None or key in batch.new:
                    if key not in batch.new:
                        result.created += 1
                    # Listed twice in one batch: the later one wins.
                    batch.new[key] = (order, values, lines)
                    continue
                order.id = self._save_one(order, values, lines, existing, now, actor, result,
                                          batch)
                known[key] = (order.id, order.status.value, None)
            self._insert_new(batch, now, actor)
            batch.write(self.db.conn)
        for order in orders:
            if order.id is None:  # an earlier copy of an order listed twice
                order.id = batch.new[(order.account_id, order.platform_order_id)][0].id
        result.ids = [order.id for order in orders]  # type: ignore[misc]
        return result

    def _insert_new(self, batch: _Batch, now: str, actor: str) -> None:
        """Insert the new orders of a batch and queue their lines, search text and audit."""
        pending = list(batch.new.values())
        rows = [(*values, now, now) for _, values, _ in pending]
        ids = {(r[0], r[1]): r[2] for r in insert_rows(
            self.db.conn, f"{_INSERT_ORDER_HEAD} RETURNING account_id, platform_order_id, id", rows)}
        for order, _, lines in pending:
            order.id = order_id = ids[(order.account_id, order.platform_order_id)]
            batch.audit.append((now, "order", order_id, "created", "", order.status.value,
                                actor, ""))
            batch.lines += [(order_id, *line) for line in lines]
            batch.search.append((order_id, *_search_document(order)))

    def _existing(self, orders: list[Order]) -> dict[tuple[int, str], tuple[int, str, str | None]]:
        """(account, platform id) -> (id, status, content hash) for the stored ones, in one go."""
        found: dict[tuple[int, str], tuple[int, str, str | None]] = {}
        by_account: dict[int, list[str]] = {}
        for order in orders:
            by_account.setdefault(order.account_id, []).append(order.platform_order_id)
        for account_id, platform_ids in by_account.items():
            for chunk in in_chunks(platform_ids):
                rows = self.db.conn.execute(
                    "SELECT platform_order_id, id, status, content_hash FROM orders"
                    f" WHERE account_id = ? AND platform_order_id IN ({marks(chunk)})",
                    (account_id, *chunk),
                )
                found.update(((account_id, r[0]), (r[1], r[2], r[3])) for r in rows)
        return found

    def _save_one(self, order: Order, values: list[Any], lines: list[tuple],
                  existing: tuple[int, str, str | None], now: str, actor: str,
                  result: SaveResult, batch: _Batch) -> int:
        if existing[2] == values[-1]:
            result.unchanged += 1
            return existing[0]
        if _has_blanks(order) and self._keep_known_buyer_data(order, existing[0]):
            values, lines = _order_values(order)
            if existing[2] == values[-1]:
                result.unchanged += 1
                return existing[0]
        conn = self.db.conn
        order_id, old_status = existing[0], existing[1]
        conn.execute(_UPDATE_ORDER, (*values, now, order_id))
        conn.execute("DELETE FROM order_lines WHERE order_id = ?", (order_id,))
        conn.execute("DELETE FROM orders_fts WHERE rowid = ?", (order_id,))
        if old_status != order.status.value:
            batch.audit.append((now, "order", order_id, "status", old_status,
                                order.status.value, actor, ""))
        else:
            batch.audit.append((now, "order", order_id, "updated", "", "", actor, ""))
        result.changed += 1
        batch.lines += [(order_id, *line) for line in lines]
        batch.search.append((order_id, *_search_document(order)))
        return order_id

    def _keep_known_buyer_data(self, order: Order, order_id: int) -> bool:
        """Platforms stop sending names and addresses of old orders (eBay after 90 days, email
        after 14): a later change must not blank what we stored. True if anything was kept."""
        row = self.db.conn.execute(
            "SELECT address, buyer_name, buyer_email FROM orders WHERE id = ?", (order_id,)).fetchone()
        stored = _address_from_json(row[0])
        typed = _fill_blanks(order.ship_to.typed, stored.typed)
        latin = order.ship_to.latin or stored.latin
        address = replace(order.ship_to, typed=typed, latin=latin,
                          postal_code=order.ship_to.postal_code or stored.postal_code,
                          phone=order.ship_to.phone or stored.phone,
                          email=order.ship_to.email or stored.email)
        buyer_name, buyer_email = order.buyer_name or row[1], order.buyer_email or row[2]
        if (address, buyer_name, buyer_email) == (order.ship_to, order.buyer_name, order.buyer_email):
            return False
        order.ship_to, order.buyer_name, order.buyer_email = address, buyer_name, buyer_email
        return True

    def set_status(self, order_id: int, status: OrderStatus, *, actor: str, note: str = "") -> None:
        with self.db.atomic():
            row = self.db.execute("SELECT status FROM orders WHERE id = ?", [order_id]).fetchone()
            if row is None:
                raise KeyError(f"No order with id {order_id}")
            if row[0] == status.value:
                return
            self.db.execute("UPDATE orders SET status = ? WHERE id = ?", [status.value, order_id])
            audit.record(self.db, "order", order_id, "status", old=row[0], new=status.value,
                         actor=actor, note=note)

    def get(self, order_id: int) -> Order | None:
        row = self.db.execute(
            f"SELECT id, {', '.join(_ORDER_COLUMNS)} FROM orders WHERE id = ?", [order_id]
        ).fetchone()
        if row is None:
            return None
        data = dict(zip(("id", *_ORDER_COLUMNS), row, strict=True))
        currency = data["currency"]
        lines = [
            OrderLine(sku=r[0], title=r[1], quantity=r[2], unit_price=Money(r[3], currency),
                      platform_line_id=r[4])
            for r in self.db.execute(
                "SELECT sku, title, quantity, unit_price, platform_line_id FROM order_lines"
                " WHERE order_id = ? ORDER BY line_no", [order_id]
            )
        ]

        def money(column: str) -> Money | None:
            return None if data[column] is None else Money(data[column], currency)

        return Order(
            id=data["id"], account_id=data["account_id"],
            platform_order_id=data["platform_order_id"], order_number=data["order_number"],
            status=OrderStatus(data["status"]), ordered_at=audit.parse_utc_text(data["ordered_at"]),
            updated_at=audit.parse_utc_text(data["updated_at"]) if data["updated_at"] else None,
            currency=currency, ship_to=_address_from_json(data["address"]), lines=lines,
            buyer_name=data["buyer_name"], buyer_email=data["buyer_email"],
            shipping=money("shipping"), tax=money("tax"), discount=money("discount"),
            paid_total=Money(data["total"], currency), note=data["note"], raw=json.loads(data["raw"]),
        )

    def id_for(self, account_id: int, platform_order_id: str) -> int | None:
        row = self.db.execute(
            "SELECT id FROM orders WHERE account_id = ? AND platform_order_id = ?",
            [account_id, platform_order_id],
        ).fetchone()
        return row[0] if row else None

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM orders").fetchone()[0]

    def shipments(self, order_id: int) -> list[Shipment]:
        return [
            Shipment(order_id=order_id, id=r[0], carrier=r[1], service=r[2], tracking_number=r[3],
                     status=ShipmentStatus(r[4]), weight_g=r[5],
                     shipped_at=audit.parse_utc_text(r[6]) if r[6] else None)
            for r in self.db.execute(
                "SELECT id, carrier, service, tracking_number, status, weight_g, shipped_at"
                " FROM shipments WHERE order_id = ? ORDER BY id", [order_id])
        ]

    def history(self, order_id: int) -> list[audit.AuditEntry]:
        return audit.history(self.db, "order", order_id)
