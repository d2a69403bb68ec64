"""Around the packing bench: batches and their progress, the fix-up list, station figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from fulfill.domain import OrderStatus
from fulfill.errors import FulfillError
from fulfill.services import papers
from fulfill.storage import Store
from fulfill.storage.database import in_chunks, marks
from fulfill.translation import N_, _

# --- batches -------------------------------------------------------------------------------

WAITING, PACKING, PRINTED, SHIPPED, SET_ASIDE, STOPPED = (
    "waiting", "packing", "printed", "shipped", "set aside", "stopped")
# How the summary counts each state (the names above stay English: they are compared).
# Translators: in a batch's summary: "0 of 8 shipped, 1 packing, 1 stopped".
_STATE_COUNTS = {PACKING: N_("{n} packing"), PRINTED: N_("{n} printed"),
                 SET_ASIDE: N_("{n} set aside"), STOPPED: N_("{n} stopped")}
# Why a batch's order is stopped, shown after it in the batch list.
_STOP_NOTES = {OrderStatus.CANCELLED.value: N_("cancelled"),
               OrderStatus.REFUNDED.value: N_("refunded"),
               OrderStatus.ON_HOLD.value: N_("on hold")}


@dataclass
class BatchOrder:
    order_id: int
    order_number: str
    country: str
    state: str  # one of the names above
    note: str = ""


@dataclass
class BatchProgress:
    batch_id: int
    name: str
    orders: list[BatchOrder]

    def count(self, state: str) -> int:
        return sum(1 for o in self.orders if o.state == state)

    @property
    def done(self) -> int:
        return self.count(SHIPPED)

    def summary(self) -> str:
        # Translators: a batch's progress: "0 of 8 shipped".
        parts = [_("{done} of {total} shipped").format(done=self.done, total=len(self.orders))]
        parts += [_(_STATE_COUNTS[s]).format(n=self.count(s))
                  for s in (PACKING, PRINTED, SET_ASIDE, STOPPED) if self.count(s)]
        # Translators: between the parts of a batch's summary.
        return _(", ").join(parts)


def create_batch(store: Store, order_ids: list[int], name: str = "") -> int:
    """A batch of orders to pick and pack together, in the order given."""
    ids = list(dict.fromkeys(order_ids))
    if not ids:
        raise FulfillError(_("A batch needs at least one order."),
                           _("Select orders or a filter first."))
    # Translators: a new batch's name: "Batch of 12 · 05 Mar 14:30".
    name = name or _("Batch of {n} · {when}").format(n=len(ids),
                                                     when=f"{datetime.now():%d %b %H:%M}")
    with store.errors(), store.db.atomic():
        return store.packing.create_batch(name, ids)


def awaiting_shipment(store: Store, order_ids: list[int]) -> list[int]:
    """The orders among `order_ids` that still wait to be packed, in the same order."""
    waiting: set[int] = set()
    for chunk in in_chunks(order_ids):
        waiting.update(r[0] for r in store.db.execute(
            f"SELECT id FROM orders WHERE status = ? AND id IN ({marks(chunk)})",
            [OrderStatus.AWAITING_SHIPMENT.value, *chunk]))
    return [i for i in order_ids if i in waiting]


def batch_progress(store: Store, batch_id: int) -> BatchProgress:
    row = store.db.execute("SELECT name FROM pack_batches WHERE id = ?", [batch_id]).fetchone()
    if row is None:
        raise FulfillError(_("There is no batch {id}.").format(id=batch_id),
                           _("Choose a batch from the list."))
    ids = store.packing.batch_order_ids(batch_id)
    info = {r[0]: r[1:] for r in store.db.execute(
        f"SELECT id, order_number, ship_country, status FROM orders WHERE id IN"
        f" ({marks(ids)})", ids)} if ids else {}
    latest = {r[0]: (r[1], r[2]) for r in store.db.execute(
        "SELECT s.order_id, s.state, s.note FROM pack_sessions s WHERE s.id IN (SELECT max(id)"
        " FROM pack_sessions WHERE order_id IN (SELECT order_id FROM pack_batch_orders"
        " WHERE batch_id = ?) GROUP BY order_id)", [batch_id])}
    orders = []
    for order_id in ids:
        number, country, status = info.get(order_id, ("?", "", ""))
        state, note = latest.get(order_id, (None, ""))
        if status in (OrderStatus.SHIPPED.value, OrderStatus.DELIVERED.value) or state == "shipped":
            shown = SHIPPED
        elif status in (OrderStatus.CANCELLED.value, OrderStatus.REFUNDED.value,
                        OrderStatus.ON_HOLD.value):
            shown, note = STOPPED, _(_STOP_NOTES[status])
        else:
            shown = {"packing": PACKING, "printed": PRINTED, "set_aside": SET_ASIDE}.get(
                state or "", WAITING)
        orders.append(BatchOrder(order_id, number, country, shown, note if shown != WAITING else ""))
    return BatchProgress(batch_id, row[0], orders)


def pick_list(store: Store, batch_id: int, *, paper: str = "A4") -> papers.PrintJob:
    """The pick list of what is left to pack in the batch (not shipped, not stopped)."""
    progress = batch_progress(store, batch_id)
    ids = [o.order_id for o in progress.orders if o.state not in (SHIPPED, STOPPED)]
    if not ids:
        raise FulfillError(_("Everything in this batch is shipped or stopped."),
                           _("Nothing to pick."))
    return papers.render(store, ids, "pick-list", paper=paper)


# --- the fix-up list -----------------------------------------------------------------------

@dataclass
class FixUp:
    order_id: int
    order_number: str
    gaps: list[str]  # empty: fixed, ready to pack
    since: datetime


def fix_ups(store: Store) -> list[FixUp]:
    """Orders set aside at the bench for missing customs data, with what they still lack."""
    rows = store.packing.set_aside()
    ids = [r.order_id for r in rows]
    _parcels, blocked = papers.load_parcels(store, ids, strict=True, need_tracking=False)
    numbers = papers.order_numbers(store, ids)
    return [FixUp(r.order_id, numbers.get(r.order_id, "?"),
                  [str(g) for g in blocked.get(r.order_id, [])], r.finished_at or r.started_at)
            for r in rows]


# --- station figures -----------------------------------------------------------------------

@dataclass
class StationFigures:
    packed: int
    per_hour: float
    mis_scans: int
    average_s: float

    def describe(self) -> str:
        if not self.packed and not self.mis_scans:
            return _("Nothing packed yet today")
        minutes, seconds = divmod(round(self.average_s), 60)
        # Translators: a station's day: "Today: 12 packed · 8.5 per hour · 3:05 per order ·
        # 2 mis-scans caught" ({time} is minutes:seconds).
        return _("Today: {packed} packed · {rate} per hour · {time} per order · {mis_scans} "
                 "mis-scans caught").format(packed=self.packed, rate=f"{self.per_hour:.1f}",
                                            time=f"{minutes}:{seconds:02d}",
                                            mis_scans=self.mis_scans)


def station_figures(store: Store, *, day: date | None = None, zone: tzinfo | None = None,
                    station: str | None = None, now: datetime | None = None) -> StationFigures:
    """Orders packed per hour (over the hours the bench was working), mis-scans caught and
    the average time from opening an order to shipping it, for one local day."""
    now = now or datetime.now(UTC)
    zone = zone or datetime.now().astimezone().tzinfo or UTC
    day = day or now.astimezone(zone).date()
    start = datetime.combine(day, time(0), zone).astimezone(UTC)
    end = start + timedelta(days=1)
    spans = store.packing.shipped_between(start, end, station)
    mis = store.packing.mis_scans_between(start, end, station)
    if not spans:
        return StationFigures(0, 0.0, mis, 0.0)
    first = min(s for s, _f in spans)
    last = max(f for _s, f in spans)
    hours = max((last - first).total_seconds(), 60.0) / 3600  # at least a minute's work
    average = sum((f - s).total_seconds() for s, f in spans) / len(spans)
    return StationFigures(len(spans), len(spans) / hours, mis, average)
