"""Pack mode: open an order by a scan, verify every piece by scan, print, ship.

Qt-free. A PackSession is one parcel of one order at one station; every scan is stored as it
happens, so a station that crashed resumes exactly where it was, and an open session is the
order's lock, so a second window cannot pack the same order twice. Anything that makes the
parcel wrong (the order cancelled, refunded, put on hold, or changed on the platform since
its papers were printed) is a PackStop, raised before anything prints.
"""

from __future__ import annotations

import os
import socket
import sys
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from fulfill.domain import Order, OrderStatus, ShipmentStatus
from fulfill.domain.tracking import order_id_from_scan
from fulfill.errors import FulfillError
from fulfill.services import papers
from fulfill.storage import Store, audit
from fulfill.storage.packing import SessionRow
from fulfill.translation import N_, _, ngettext

LOCK_STALE_S = 90  # a window that has not said it is alive for this long has gone
DEFAULT_CARRIER = "Korea Post"
CARRIER_KEY = "packing.default_carrier"
REQUIRE_SCAN_KEY = "packing.require_scan"


class PackStop(FulfillError):
    """The order must not be packed (or its papers printed) as it is. `kind` says why:
    cancelled, refunded, on_hold, unpaid, shipped, partially_refunded, changed, locked,
    fixup, not_found, ambiguous, nothing_left, wrong_label. `details` lists what changed."""

    OVERRIDABLE = frozenset({"changed", "partially_refunded"})

    def __init__(self, kind: str, message: str, advice: str, *, order_id: int | None = None,
                 order_number: str = "", details: list[str] | None = None) -> None:
        super().__init__(message, advice)
        self.kind = kind
        self.order_id = order_id
        self.order_number = order_number
        self.details = details or []

    @property
    def loud(self) -> bool:
        """Stops that mean "this parcel would be wrong" — not a typo or a missing field."""
        return self.kind not in ("not_found", "ambiguous", "fixup", "locked")

    @property
    def can_override(self) -> bool:
        return self.kind in self.OVERRIDABLE


@dataclass
class PackLine:
    sku: str
    title: str
    quantity: int  # pieces this parcel should hold
    packed: int = 0
    codes: tuple[str, ...] = ()  # the SKU and the product's barcode, upper case

    @property
    def done(self) -> bool:
        return self.packed >= self.quantity


@dataclass
class ScanOutcome:
    """What one scan did. `kind`: item (counted), extra, wrong_item, unknown, order_code."""

    code: str
    kind: str
    message: str
    sku: str = ""

    @property
    def accepted(self) -> bool:
        return self.kind == "item"


@dataclass
class PackSession:
    id: int
    order_id: int
    order_number: str
    channel: str
    country: str
    station: str
    parcel_no: int
    state: str
    lines: list[PackLine]
    snapshot: dict
    started_at: datetime
    shipment_id: int | None = None
    tracking_number: str = ""
    carrier: str = ""
    overridden: frozenset[str] = frozenset()
    catalog: dict[str, str] = field(default_factory=dict, repr=False)  # code -> SKU

    @property
    def complete(self) -> bool:
        return all(line.done for line in self.lines)

    @property
    def pieces(self) -> tuple[int, int]:
        return sum(min(l.packed, l.quantity) for l in self.lines), sum(l.quantity for l in self.lines)

    def packed(self) -> dict[str, int]:
        return {line.sku: line.packed for line in self.lines if line.packed}

    def classify(self, code: str) -> ScanOutcome:
        """What a scanned code means for this parcel; changes nothing."""
        key = code.strip().upper()
        for line in self.lines:
            if key in line.codes:
                if line.done:
                    # Translators: the window shows the words before the first colon as the
                    # headline; keep a ":" after them.
                    return ScanOutcome(code, "extra", _(
                        "Extra piece: {title} ({sku}) — this parcel needs only {quantity}. "
                        "Take it out.").format(title=line.title, sku=line.sku,
                                               quantity=line.quantity), line.sku)
                # Translators: a piece counted: "Cotton socks (SOCK-01): 2 of 3".
                counted = _("{title} ({sku}): {packed} of {quantity}").format(
                    title=line.title, sku=line.sku, packed=line.packed + 1, quantity=line.quantity)
                return ScanOutcome(code, "item", counted, line.sku)
        if order_id_from_scan(key) is not None:
            return ScanOutcome(code, "order_code", _(
                "That is an order's packing slip. Finish {number} first, or set it aside "
                "(Esc).").format(number=self.order_number))
        if key in self.catalog:
            sku = self.catalog[key]
            # Translators: keep a ":" after the headline ("Wrong item").
            return ScanOutcome(code, "wrong_item", _(
                "Wrong item: {sku} is not in {number}. Put it back.").format(
                    sku=sku, number=self.order_number), sku)
        # Translators: keep a ":" after the headline ("Unknown code 'X123'"); {code} is
        # shown in quotes.
        return ScanOutcome(code, "unknown", _(
            "Unknown code {code}: no product in the catalogue has it. Check the item, or add "
            "its barcode under Products.").format(code=repr(code.strip())))


# --- who holds a session -------------------------------------------------------------------

def new_holder() -> str:
    """This window's name in the locks it holds: host|pid|token."""
    return f"{socket.gethostname()}|{os.getpid()}|{uuid.uuid4().hex[:8]}"


def _pid_running(pid: int) -> bool:
    if sys.platform == "win32":
        return True  # os.kill(pid, 0) would end the process there; the heartbeat decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holder_alive(row: SessionRow, now: datetime | None = None) -> bool:
    now = now or datetime.now(UTC)
    if (now - row.heartbeat_at).total_seconds() > LOCK_STALE_S:
        return False
    host, pid, _token = (row.holder.split("|") + ["", "", ""])[:3]
    if host == socket.gethostname() and pid.isdigit() and int(pid) != os.getpid():
        return _pid_running(int(pid))
    return True


# --- opening an order ----------------------------------------------------------------------

# status -> (PackStop.kind, message, advice); the texts are translated when the stop is raised.
_STATUS_STOPS = {
    OrderStatus.CANCELLED: ("cancelled", N_("STOP — order {number} was CANCELLED."),
                            N_("Do not ship it. Put the items back.")),
    OrderStatus.REFUNDED: ("refunded", N_("STOP — order {number} was REFUNDED."),
                           N_("Do not ship it. Put the items back.")),
    OrderStatus.ON_HOLD: ("on_hold", N_("STOP — order {number} is ON HOLD."),
                          N_("Do not ship it until the hold is lifted.")),
    OrderStatus.AWAITING_PAYMENT: ("unpaid", N_("STOP — order {number} is NOT PAID yet."),
                                   N_("Wait for the payment.")),
    OrderStatus.SHIPPED: ("shipped", N_("STOP — order {number} has already SHIPPED."),
                          N_("Do not ship it twice. Reprint its papers from the order list if "
                             "they were lost.")),
    OrderStatus.DELIVERED: ("shipped", N_("STOP — order {number} was already DELIVERED."),
                            N_("Do not ship it twice.")),
    OrderStatus.PARTIALLY_REFUNDED: (
        "partially_refunded", N_("STOP — order {number} was PARTLY REFUNDED."),
        N_("Check with the order which items still go before packing.")),
}


def snapshot(order: Order) -> dict:
    """What the parcel's papers show of an order: compared later to spot platform changes."""
    address = order.ship_to
    lines = [address.typed.name, *address.typed.lines()[1:], address.postal_code,
             address.country_code]
    items = Counter()
    for line in order.lines:
        items[line.sku] += line.quantity
    return {"address": ", ".join(part for part in lines if part),
            "items": ", ".join(f"{sku} × {n}" for sku, n in sorted(items.items())),
            "note": order.note}


_SNAPSHOT_NAMES = {"address": N_("Delivery address"), "items": N_("Items"),
                   "note": N_("Buyer's note")}


def differences(before: dict, after: dict) -> list[str]:
    """What changed between two snapshots, one line each, in the interface's language."""
    # Translators: one change to an order: "Delivery address: was “…”, now “…”".
    return [_("{what}: was “{before}”, now “{after}”").format(
                what=_(_SNAPSHOT_NAMES[key]), before=before.get(key, ""), after=after.get(key, ""))
            for key in _SNAPSHOT_NAMES if before.get(key, "") != after.get(key, "")]


def find_order(store: Store, code: str) -> int:
    """The order a scan names: a packing-slip code, a tracking number on a printed label, an
    order number or a platform order id. PackStop when none or several match."""
    text = code.strip()
    order_id = order_id_from_scan(text)
    if order_id is not None and store.orders.get(order_id) is not None:
        return order_id
    candidates = [r[0] for r in store.db.execute(
        "SELECT DISTINCT order_id FROM shipments WHERE tracking_number = ? AND status != ?",
        [text.upper().replace(" ", ""), ShipmentStatus.SHIPPED.value])]
    if not candidates:
        bare = text.lstrip("#")
        candidates = [r[0] for r in store.db.execute(
            "SELECT id FROM orders WHERE order_number IN (?, ?) OR platform_order_id = ?",
            [bare, f"#{bare}", text])]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise PackStop("not_found", _("No order matches {code}.").format(code=repr(text)),
                       _("Scan the packing slip's barcode, or type the order number."))
    raise PackStop("ambiguous", ngettext("{n} order matches {code}.", "{n} orders match {code}.",
                                         len(candidates)).format(n=len(candidates),
                                                                 code=repr(text)),
                   _("Scan the packing slip's barcode instead: it names exactly one order."))


def status_stop(order: Order, overrides: frozenset[str]) -> None:
    stop = _STATUS_STOPS.get(order.status)
    if stop and stop[0] not in overrides:
        kind, message, advice = stop
        raise PackStop(kind, _(message).format(number=order.order_number), _(advice),
                       order_id=order.id, order_number=order.order_number)


def _changed_stop(store: Store, order: Order, overrides: frozenset[str]) -> None:
    printed = store.packing.last_printed(order.id or 0)
    if printed is None or "changed" in overrides:
        return
    at, before = printed
    changes = differences(before, snapshot(order))
    if changes:
        raise PackStop(
            "changed", _("STOP — order {number} CHANGED on the platform after its papers were "
                         "printed ({when} UTC).").format(number=order.order_number,
                                                         when=f"{at:%d %b %H:%M}"),
            _("Destroy the old label and papers; new ones print when the parcel is packed."),
            order_id=order.id, order_number=order.order_number, details=changes)


def open_order(store: Store, code: str, *, station: str, holder: str,
               overrides: frozenset[str] = frozenset()) -> PackSession:
    """Open the order a scan names for packing, or raise PackStop saying why not.

    `overrides` are stops the packer has read and accepted (PackStop.OVERRIDABLE only).
    An order whose session another live window holds is refused; one left by a crashed
    window is taken over with its scans."""
    overrides = overrides & PackStop.OVERRIDABLE
    order_id = find_order(store, code)
    order = store.orders.get(order_id)
    assert order is not None
    with store.errors(), store.db.atomic():
        existing = store.packing.open_session_for_order(order_id)
        if existing and existing.holder != holder and holder_alive(existing):
            raise PackStop("locked", _("Order {number} is being packed at {station} (since "
                                       "{time} UTC).").format(
                               number=order.order_number, station=existing.station,
                               time=f"{existing.started_at:%H:%M}"),
                           _("Pack another order; this one is in hand."), order_id=order_id,
                           order_number=order.order_number)
        status_stop(order, overrides)
        _changed_stop(store, order, overrides)
        _parcels, blocked = papers.load_parcels(store, [order_id], strict=True, need_tracking=False)
        gaps = [str(g) for g in blocked.get(order_id, [])]
        if gaps:  # committed first, then the stop is raised
            session_id = existing.id if existing else store.packing.start_session(
                order_id, 1, station, holder)
            store.packing.update(session_id, state="set_aside", note="; ".join(gaps),
                                 finished_at=datetime.now(UTC))
        elif existing:
            store.packing.take_over(existing.id, station, holder)
            session_id = existing.id
        else:
            shipped = store.packing.shipped_counts(order_id)
            parcel_no = 1 + sum(1 for s in store.packing.sessions_for_order(order_id)
                                if s.state == "shipped")
            if shipped and not left_to_pack(order, shipped):
                raise PackStop("nothing_left", _("Every item of {number} has shipped.").format(
                                   number=order.order_number),
                               _("Nothing to pack."), order_id=order_id,
                               order_number=order.order_number)
            session_id = store.packing.start_session(order_id, parcel_no, station, holder)
            draft = _draft_shipment(store, order_id)
            if draft:
                store.packing.update(session_id, shipment_id=draft)
        for kind in sorted(overrides):
            audit.record(store.db, "order", order_id, "pack override", new=kind, actor=station)
    if gaps:
        raise PackStop("fixup", _("Order {number} is missing customs data and was put on the "
                                  "fix-up list.").format(number=order.order_number),
                       _("Set the parcel aside; fill in what is missing, then scan it again."),
                       order_id=order_id, order_number=order.order_number, details=gaps)
    return load_session(store, session_id, overrides=overrides)


def left_to_pack(order: Order, shipped: Counter[str]) -> dict[str, int]:
    """SKU -> pieces of the order not yet in `shipped` (SKU -> pieces)."""
    wanted: Counter[str] = Counter()
    for line in order.lines:
        wanted[line.sku] += line.quantity
    return {sku: n - shipped.get(sku, 0) for sku, n in wanted.items() if n > shipped.get(sku, 0)}


def _draft_shipment(store: Store, order_id: int) -> int | None:
    row = store.db.execute(
        "SELECT id FROM shipments WHERE order_id = ? AND status IN (?, ?) ORDER BY id DESC LIMIT 1",
        [order_id, ShipmentStatus.DRAFT.value, ShipmentStatus.LABEL_PRINTED.value]).fetchone()
    return row[0] if row else None


def catalog_codes(store: Store) -> dict[str, str]:
    """Every product's SKU and barcode (upper case) -> its SKU."""
    codes: dict[str, str] = {}
    for sku, barcode in store.db.execute("SELECT sku, barcode FROM products"):
        codes[sku.upper()] = sku
        if barcode:
            codes[barcode.strip().upper()] = sku
    return codes


def load_session(store: Store, session_id: int, *,
                 overrides: frozenset[str] = frozenset()) -> PackSession:
    """A session as it stands in the store, scans counted."""
    row = store.packing.session(session_id)
    if row is None:
        raise KeyError(f"No pack session {session_id}")
    order = store.orders.get(row.order_id)
    assert order is not None
    shipped = Counter() if row.parcel_no == 1 else store.packing.shipped_counts(row.order_id)
    to_pack = left_to_pack(order, shipped)
    packed = store.packing.packed_counts(session_id)
    catalog = catalog_codes(store)
    codes_of: dict[str, set[str]] = {}
    for code, sku in catalog.items():
        codes_of.setdefault(sku, set()).add(code)
    titles = {line.sku: line.title for line in order.lines}
    lines = [PackLine(sku, titles[sku], quantity, packed.get(sku, 0),
                      tuple(sorted({sku.upper(), *codes_of.get(sku, ())})))
             for sku, quantity in to_pack.items()]
    shipment = next((s for s in store.orders.shipments(row.order_id) if s.id == row.shipment_id),
                    None)
    channel = next((a.display_name for a in store.accounts.all() if a.id == order.account_id), "")
    return PackSession(
        id=row.id, order_id=row.order_id, order_number=order.order_number, channel=channel,
        country=order.ship_to.country_code, station=row.station, parcel_no=row.parcel_no,
        state=row.state, lines=lines, snapshot=snapshot(order), started_at=row.started_at,
        shipment_id=row.shipment_id, tracking_number=shipment.tracking_number if shipment else "",
        carrier=shipment.carrier if shipment else "", overridden=overrides, catalog=catalog)


def resume(store: Store, *, station: str, holder: str) -> PackSession | None:
    """The session this station left open when its window went away (a crash, a power cut),
    taken over by `holder`; None when there is none."""
    with store.errors(), store.db.atomic():
        for row in store.packing.open_sessions_at(station):
            if row.holder == holder or not holder_alive(row):
                store.packing.take_over(row.id, station, holder)
                return load_session(store, row.id)
    return None
