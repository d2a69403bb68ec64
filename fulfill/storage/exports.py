"""Export paperwork in the store: customs exchange rates, export declaration numbers on
orders, and which orders shipped abroad in a period. Plain reads and writes; the rules live
in fulfill.domain.exports and the services export_*."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlite_utils import Database

from fulfill.domain import Shipment, ShipmentStatus
from fulfill.domain.export_declaration import Declaration
from fulfill.domain.export_rates import CustomsRate
from fulfill.storage import audit
from fulfill.storage.audit import now_text, parse_utc_text, utc_text
from fulfill.storage.database import in_chunks, marks

_RATE_COLUMNS = "currency, applies_from, rate, unit, source, entered_at"


def _rate(row: tuple) -> CustomsRate:
    return CustomsRate(row[0], date.fromisoformat(row[1]), Decimal(row[2]), row[3], row[4],
                       parse_utc_text(row[5]))


class ExportRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- rates ---------------------------------------------------------------------------
    def rates(self, currencies: Iterable[str] | None = None) -> list[CustomsRate]:
        """Every stored rate (or those of `currencies`), by currency then date."""
        if currencies is None:
            rows = self.db.execute(f"SELECT {_RATE_COLUMNS} FROM customs_rates"
                                   " ORDER BY currency, applies_from")
            return [_rate(r) for r in rows]
        wanted = sorted(set(currencies))
        found: list[CustomsRate] = []
        for chunk in in_chunks(wanted):
            found += [_rate(r) for r in self.db.execute(
                f"SELECT {_RATE_COLUMNS} FROM customs_rates WHERE currency IN ({marks(chunk)})"
                " ORDER BY currency, applies_from", chunk)]
        return found

    def rate(self, currency: str, applies_from: date) -> CustomsRate | None:
        row = self.db.execute(f"SELECT {_RATE_COLUMNS} FROM customs_rates WHERE currency = ?"
                              " AND applies_from = ?", [currency, applies_from.isoformat()]
                              ).fetchone()
        return _rate(row) if row else None

    def save_rates(self, rates: Sequence[CustomsRate]) -> None:
        """Insert or replace rates by (currency, applies from). The caller's transaction."""
        now = now_text()
        self.db.conn.executemany(
            "INSERT INTO customs_rates (currency, applies_from, rate, unit, source, entered_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (currency, applies_from) DO UPDATE SET"
            " rate = excluded.rate, unit = excluded.unit, source = excluded.source,"
            " entered_at = excluded.entered_at",
            [(r.currency, r.applies_from.isoformat(), str(r.rate), r.unit, r.source,
              utc_text(r.entered_at) if r.entered_at else now) for r in rates])

    def delete_rate(self, currency: str, applies_from: date) -> bool:
        return self.db.execute("DELETE FROM customs_rates WHERE currency = ? AND applies_from = ?",
                               [currency, applies_from.isoformat()]).rowcount > 0

    # --- declarations ----------------------------------------------------------------------
    def declarations(self, order_ids: Sequence[int]) -> dict[int, Declaration]:
        found: dict[int, Declaration] = {}
        for chunk in in_chunks(list(order_ids)):
            for r in self.db.execute(
                    "SELECT order_id, number, declared_on, source, entered_at FROM"
                    f" export_declarations WHERE order_id IN ({marks(chunk)})", chunk):
                found[r[0]] = Declaration(r[1], date.fromisoformat(r[2]) if r[2] else None,
                                          r[3], parse_utc_text(r[4]))
        return found

    def set_declaration(self, order_id: int, declaration: Declaration, *, actor: str) -> bool:
        """Record (or replace) an order's declaration, audited. False when nothing changed.
        The caller's transaction."""
        old = self.declarations([order_id]).get(order_id)
        if old is not None and (old.number, old.declared_on) == (declaration.number,
                                                                  declaration.declared_on):
            return False
        self.db.execute(
            "INSERT INTO export_declarations (order_id, number, declared_on, source, entered_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (order_id) DO UPDATE SET number = excluded.number,"
            " declared_on = excluded.declared_on, source = excluded.source,"
            " entered_at = excluded.entered_at",
            [order_id, declaration.number,
             declaration.declared_on.isoformat() if declaration.declared_on else None,
             declaration.source, now_text()])
        audit.record(self.db, "order", order_id, "export declaration",
                     old=old.number if old else "", new=declaration.number, actor=actor,
                     note=declaration.source)
        return True

    def clear_declaration(self, order_id: int, *, actor: str) -> bool:
        old = self.declarations([order_id]).get(order_id)
        if old is None:
            return False
        self.db.execute("DELETE FROM export_declarations WHERE order_id = ?", [order_id])
        audit.record(self.db, "order", order_id, "export declaration", old=old.number, new="",
                     actor=actor)
        return True

    # --- what left --------------------------------------------------------------------------
    def first_shipped_between(self, start: datetime, end: datetime) -> list[tuple[int, datetime]]:
        """(order id, when its first parcel shipped) for orders to another country whose
        first parcel shipped in [start, end), oldest first."""
        rows = self.db.execute(
            "SELECT s.order_id, min(s.shipped_at) FROM shipments s"
            " JOIN orders o ON o.id = s.order_id"
            " WHERE s.shipped_at >= ? AND s.shipped_at < ? AND o.ship_country != 'KR'"
            " AND NOT EXISTS (SELECT 1 FROM shipments e WHERE e.order_id = s.order_id"
            "  AND e.shipped_at < ?)"
            " GROUP BY s.order_id ORDER BY 2, 1",
            [utc_text(start), utc_text(end), utc_text(start)])
        return [(r[0], parse_utc_text(r[1])) for r in rows]

    def shipped_parcels(self, order_ids: Sequence[int]) -> dict[int, list[Shipment]]:
        """The parcels of each order that have shipped, first shipped first."""
        found: dict[int, list[Shipment]] = {}
        for chunk in in_chunks(list(order_ids)):
            for r in self.db.execute(
                    "SELECT order_id, id, carrier, service, tracking_number, status, weight_g,"
                    f" shipped_at FROM shipments WHERE order_id IN ({marks(chunk)})"
                    " AND shipped_at IS NOT NULL ORDER BY shipped_at, id", chunk):
                found.setdefault(r[0], []).append(Shipment(
                    order_id=r[0], id=r[1], carrier=r[2], service=r[3], tracking_number=r[4],
                    status=ShipmentStatus(r[5]), weight_g=r[6], shipped_at=parse_utc_text(r[7])))
        return found

    def orders_numbered(self, numbers: Iterable[str]) -> dict[str, list[int]]:
        """Order number -> the ids of the orders that carry it (several accounts may)."""
        wanted = sorted(set(numbers))
        found: dict[str, list[int]] = {}
        for chunk in in_chunks(wanted):
            for number, order_id in self.db.execute(
                    f"SELECT order_number, id FROM orders WHERE order_number IN ({marks(chunk)})"
                    " ORDER BY id", chunk):
                found.setdefault(number, []).append(order_id)
        return found
