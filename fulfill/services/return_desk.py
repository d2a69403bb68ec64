"""What the Returns screen lists and charts: RMAs with their order's channel, country and
buyer, filtered; the queues that need the seller (overdue, awaiting inspection); and the
return rate by product, reason and destination country.

Qt-free reads. The lists are small (an RMA per few dozen orders), so the age and overdue
filters are applied here rather than in SQL, where "days open" would need the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fulfill.domain import Money, Order, Shipment
from fulfill.domain.returns import (
    ReturnKind, ReturnReason, ReturnStatus, Rma, rma_code, rma_id_from_scan,
)
from fulfill.services import returns
from fulfill.services.returns import overdue_days, parcel_overdue
from fulfill.storage import Store
from fulfill.storage.audit import AuditEntry

__all__ = ["RATE_GROUPS", "RateRow", "ReturnFilter", "ReturnRow", "RmaDetail", "list_returns",
           "queue_counts", "return_rates", "rma_detail", "suggested_refund"]

# Closed and rejected RMAs need nothing more from the seller.
FINISHED = (ReturnStatus.CLOSED, ReturnStatus.REJECTED)
# Orders whose goods left: the base a return rate is measured against.
_SHIPPED_STATUSES = ("shipped", "delivered", "partially_refunded", "refunded")


@dataclass(frozen=True)
class ReturnFilter:
    """What the Returns screen shows. Empty fields filter nothing."""

    statuses: tuple[ReturnStatus, ...] = ()
    open_only: bool = False  # not closed or rejected
    overdue_only: bool = False
    reason: ReturnReason | None = None
    account_id: int | None = None
    country: str = ""
    min_days_open: int = 0
    text: str = ""  # RMA code, order number, buyer, return tracking


@dataclass(frozen=True)
class ReturnRow:
    rma_id: int
    order_id: int
    order_number: str
    buyer: str
    country: str
    account_id: int
    kind: ReturnKind
    reason: ReturnReason
    status: ReturnStatus
    items: int
    refunded: Money
    opened_at: datetime
    days_open: int
    overdue: bool
    return_tracking: str
    replacement_order_id: int | None
    replacement_number: str

    @property
    def code(self) -> str:
        return rma_code(self.rma_id)


_ROWS_SQL = """
SELECT r.id, r.order_id, o.order_number, COALESCE(NULLIF(o.buyer_name, ''), o.ship_name),
       o.ship_country, o.account_id, r.kind, r.reason, r.status, r.currency,
       (SELECT COALESCE(SUM(quantity), 0) FROM rma_lines WHERE rma_id = r.id),
       (SELECT COALESCE(SUM(amount), 0) FROM refunds WHERE rma_id = r.id),
       r.opened_at, r.approved_at, r.closed_at, r.return_tracking, r.replacement_order_id,
       COALESCE(x.order_number, '')
FROM rmas r JOIN orders o ON o.id = r.order_id
LEFT JOIN orders x ON x.id = r.replacement_order_id
"""


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _where(flt: ReturnFilter) -> tuple[str, list]:
    clauses, params = [], []
    if flt.statuses:
        clauses.append(f"r.status IN ({', '.join('?' for _ in flt.statuses)})")
        params += [s.value for s in flt.statuses]
    if flt.open_only:
        clauses.append(f"r.status NOT IN ({', '.join('?' for _ in FINISHED)})")
        params += [s.value for s in FINISHED]
    if flt.reason is not None:
        clauses.append("r.reason = ?")
        params.append(ReturnReason(flt.reason).value)  # a combo box hands back the plain str
    if flt.account_id is not None:
        clauses.append("o.account_id = ?")
        params.append(flt.account_id)
    if flt.country:
        clauses.append("o.ship_country = ?")
        params.append(flt.country)
    text = flt.text.strip()
    if text:
        rma_id = rma_id_from_scan(text)
        like = f"%{text}%"
        clauses.append("(r.id = ? OR o.order_number LIKE ? OR o.buyer_name LIKE ?"
                       " OR o.ship_name LIKE ? OR r.return_tracking LIKE ? OR x.order_number LIKE ?)")
        params += [rma_id or -1, like, like, like, like, like]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def list_returns(store: Store, flt: ReturnFilter = ReturnFilter(),
                 now: datetime | None = None) -> list[ReturnRow]:
    """The RMAs the filter lets through, overdue first, then oldest first."""
    at = now or datetime.now(UTC)
    days = overdue_days(store)
    where, params = _where(flt)
    rows = []
    for (rma_id, order_id, number, buyer, country, account_id, kind, reason, status, currency,
         items, refunded, opened, approved, closed, tracking, replacement_id,
         replacement_number) in store.db.execute(_ROWS_SQL + where, params):
        opened_at, closed_at = _time(opened), _time(closed)
        days_open = max(0, ((closed_at or at) - opened_at).days)
        kind = ReturnKind(kind)
        status = ReturnStatus(status)
        late = parcel_overdue(kind, status, _time(approved), at, days)
        if flt.overdue_only and not late:
            continue
        if days_open < flt.min_days_open:
            continue
        rows.append(ReturnRow(
            rma_id=rma_id, order_id=order_id, order_number=number, buyer=buyer, country=country,
            account_id=account_id, kind=kind, reason=ReturnReason(reason), status=status,
            items=items, refunded=Money(refunded, currency), opened_at=opened_at,
            days_open=days_open, overdue=late, return_tracking=tracking,
            replacement_order_id=replacement_id, replacement_number=replacement_number))
    rows.sort(key=lambda row: (not row.overdue, row.opened_at, row.rma_id))
    return rows


def queue_counts(store: Store, now: datetime | None = None) -> dict[str, int]:
    """How many RMAs are open, overdue, and received awaiting inspection."""
    open_rows = list_returns(store, ReturnFilter(open_only=True), now)
    return {
        "open": len(open_rows),
        "overdue": sum(1 for row in open_rows if row.overdue),
        "inspection": sum(1 for row in open_rows if row.status is ReturnStatus.RECEIVED),
        "requested": sum(1 for row in open_rows if row.status is ReturnStatus.REQUESTED),
    }


# --- return rates ----------------------------------------------------------------------------

RATE_GROUPS = {"product": "Product", "reason": "Reason", "country": "Destination country"}


@dataclass(frozen=True)
class RateRow:
    """`returned` of `shipped` came back (pieces for a product, orders otherwise)."""

    key: str
    label: str
    returned: int
    shipped: int

    @property
    def rate(self) -> float:  # a display ratio, not money
        return self.returned / self.shipped if self.shipped else 0.0


# Shipped orders since a date, replacements aside (they are not sales that could come back).
_SHIPPED = f"""
SELECT o.id FROM orders o
WHERE o.status IN ({', '.join(repr(s) for s in _SHIPPED_STATUSES)}) AND o.ordered_at >= ?
  AND o.id NOT IN (SELECT replacement_order_id FROM rmas WHERE replacement_order_id IS NOT NULL)
"""
_RETURNS = """
SELECT r.id FROM rmas r JOIN orders o ON o.id = r.order_id
WHERE r.status != 'rejected' AND o.ordered_at >= ?
"""


def return_rates(store: Store, by: str, *, since: datetime | None = None,
                 limit: int = 12) -> list[RateRow]:
    """Return rate grouped `by` product, reason or country, for orders placed since `since`,
    highest first. Products: pieces returned of pieces shipped. Countries: orders with a
    return of orders shipped there. Reasons: orders with a return for that reason of all
    orders shipped, so the reasons add up to the whole return rate."""
    if by not in RATE_GROUPS:
        raise ValueError(f"return rates by {by!r}: choose one of {', '.join(RATE_GROUPS)}")
    start = [(since or datetime(1970, 1, 1, tzinfo=UTC)).isoformat()]

    def counts(sql: str) -> dict:
        return dict(store.db.execute(sql, start).fetchall())

    if by == "product":
        shipped = counts(f"SELECT sku, SUM(quantity) FROM order_lines WHERE order_id IN"
                         f" ({_SHIPPED}) GROUP BY sku")
        returned = counts(f"SELECT sku, SUM(quantity) FROM rma_lines WHERE rma_id IN"
                          f" ({_RETURNS}) GROUP BY sku")
        titles = dict(store.db.execute("SELECT sku, title FROM products").fetchall())
        rows = [RateRow(sku, titles.get(sku) or sku, count, shipped.get(sku, 0))
                for sku, count in returned.items()]
    elif by == "country":
        shipped = counts(f"SELECT ship_country, COUNT(*) FROM orders WHERE id IN ({_SHIPPED})"
                         " GROUP BY ship_country")
        returned = counts(f"SELECT o.ship_country, COUNT(DISTINCT r.order_id) FROM rmas r"
                          f" JOIN orders o ON o.id = r.order_id WHERE r.id IN ({_RETURNS})"
                          " GROUP BY o.ship_country")
        rows = [RateRow(code, code, count, shipped.get(code, 0))
                for code, count in returned.items()]
    else:
        total = store.db.execute(f"SELECT COUNT(*) FROM ({_SHIPPED})", start).fetchone()[0]
        returned = counts(f"SELECT reason, COUNT(DISTINCT order_id) FROM rmas WHERE id IN"
                          f" ({_RETURNS}) GROUP BY reason")
        rows = [RateRow(reason, ReturnReason(reason).label, count, total)
                for reason, count in returned.items()]
    rows.sort(key=lambda row: (-row.rate, -row.returned, row.label))
    return rows[:limit]


# --- one RMA, both directions ----------------------------------------------------------------

@dataclass
class RmaDetail:
    """One RMA with what the Returns screen shows beside it: the order the goods came from,
    the replacement going out (with its shipments), the history, and the limits the next
    steps must keep to."""

    rma: Rma
    order: Order
    replacement: Order | None
    replacement_shipments: list[Shipment]
    history: list[AuditEntry]
    refundable: Money
    suggested_refund: Money
    returnable: dict[str, int]


def suggested_refund(rma: Rma, refundable: Money) -> Money:
    """What the seller most likely pays back: the pieces on the RMA at the price paid, less
    those inspection found missing, and never more than is still refundable."""
    total = Money.zero(rma.currency)
    for line in rma.lines:
        if line.unit_price is not None:
            total = total + line.unit_price * (line.quantity - line.missing)
    total = total - rma.refunded
    if total.minor <= 0:
        return Money.zero(rma.currency)
    return total if total.minor <= refundable.minor else refundable


def rma_detail(store: Store, rma_id: int) -> RmaDetail:
    rma = returns.get(store, rma_id)
    order = store.orders.get(rma.order_id)
    replacement = (store.orders.get(rma.replacement_order_id)
                   if rma.replacement_order_id else None)
    shipments = store.orders.shipments(replacement.id) if replacement else []
    left = returns.refundable(store, rma.order_id)
    return RmaDetail(rma=rma, order=order, replacement=replacement,
                     replacement_shipments=shipments, history=store.returns.history(rma_id),
                     refundable=left, suggested_refund=suggested_refund(rma, left),
                     returnable=dict(returns.returnable(store, rma.order_id)))
