"""What a packer does to an open PackSession: scan pieces, print, ship, set aside.

Every function stores its effect before it returns (one small transaction each), so the
station can die at any moment and resume from the store.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from fulfill.channels.base import ShippedLine
from fulfill.domain.tracking import normalize_tracking_number
from fulfill.errors import FulfillError
from fulfill.services import papers
from fulfill.services.outbox import ship_order
from fulfill.services.packing import (
    CARRIER_KEY, DEFAULT_CARRIER, PackSession, PackStop, ScanOutcome, differences, left_to_pack,
    snapshot, status_stop,
)
from fulfill.storage import Store, audit
from fulfill.translation import _

HAND_CONFIRMED = "(confirmed without scanning)"  # the scan's code in the record: stays English


def scan(store: Store, session: PackSession, code: str) -> ScanOutcome:
    """Check a scanned code against the parcel and store the scan (refused ones too: they
    are the station's mis-scans caught). The session's counts follow."""
    outcome = session.classify(code)
    if outcome.kind == "order_code":
        return outcome
    with store.errors(), store.db.atomic():
        store.packing.add_scan(session.id, code.strip(), outcome.sku, outcome.kind,
                               "" if outcome.accepted else outcome.message)
        if outcome.accepted:
            line = next(l for l in session.lines if l.sku == outcome.sku)
            line.packed += 1
            if session.complete:
                store.packing.update(session.id, completed_at=datetime.now(UTC))
    return outcome


def undo_last(store: Store, session: PackSession) -> str | None:
    """Take the last counted piece back out (it was damaged, say). Returns its SKU."""
    with store.errors(), store.db.atomic():
        sku = store.packing.last_item_scan(session.id)
        if sku is None:
            return None
        store.packing.add_scan(session.id, "", sku, "undo")
    line = next((l for l in session.lines if l.sku == sku), None)
    if line:
        line.packed -= 1
    return sku


def confirm_all(store: Store, session: PackSession, *, require_scan: bool) -> None:
    """Count every remaining piece without scanning, where the owner allows it."""
    if require_scan:
        raise FulfillError(_("Every item must be scanned at this store."),
                           _("Scan each piece; the owner can change this in Station settings."))
    with store.errors(), store.db.atomic():
        for line in session.lines:
            for _piece in range(line.quantity - line.packed):
                store.packing.add_scan(session.id, HAND_CONFIRMED, line.sku, "item")
            line.packed = max(line.packed, line.quantity)
        store.packing.update(session.id, completed_at=datetime.now(UTC))


def check_before_print(store: Store, session: PackSession) -> None:
    """Read the order again right before its papers print: a cancellation, hold, refund or
    change that arrived while the parcel was being packed stops it here."""
    order = store.orders.get(session.order_id)
    if order is None:
        raise PackStop("not_found", _("The order is no longer in the store."),
                       _("Set the parcel aside."))
    status_stop(order, session.overridden)
    changes = differences(session.snapshot, snapshot(order))
    if changes and "changed" not in session.overridden:
        raise PackStop("changed", _("STOP — order {number} CHANGED on the platform while it "
                                    "was being packed.").format(number=order.order_number),
                       _("Check the parcel against the order again before its papers print."),
                       order_id=order.id, order_number=order.order_number, details=changes)


def papers_for(store: Store, session: PackSession, *, paper: str = "A4", dpi: int = 203
               ) -> list[papers.PrintJob]:
    """The parcel's papers (label, CN22/CN23, invoice), after the last checks. A parcel that
    is not the whole order gets papers for what it holds."""
    check_before_print(store, session)
    whole = session.parcel_no == 1 and all(l.packed == l.quantity for l in session.lines)
    contents = None if whole else session.packed()
    return papers.one_parcel_papers(store, session.order_id, contents=contents,
                                    shipment_id=session.shipment_id, paper=paper, dpi=dpi)


def record_printed(store: Store, session: PackSession, kinds: list[str]) -> None:
    """The papers are out: remember what the order looked like, for the changed-order stop."""
    with store.errors(), store.db.atomic():
        store.packing.record_printed(session.order_id, kinds, session.station, session.snapshot)
        store.packing.update(session.id, state="printed", printed_at=datetime.now(UTC))
        audit.record(store.db, "order", session.order_id, "packed",
                     new=f"parcel {session.parcel_no}", actor=session.station,
                     note=", ".join(f"{sku} × {n}" for sku, n in session.packed().items()))
    session.state = "printed"


def set_tracking_number(store: Store, session: PackSession, number: str, *,
                        carrier: str = "", service: str = "") -> None:
    """The carrier's number for this parcel, scanned or typed before its label prints
    (S10 numbers must pass their check digit)."""
    carrier = carrier or session.carrier or default_carrier(store)
    with store.errors(), store.db.atomic():
        shipment = papers.set_tracking_number(store, session.order_id, number, carrier=carrier,
                                              service=service, actor=session.station)
        store.packing.update(session.id, shipment_id=shipment.id)
    session.shipment_id, session.tracking_number, session.carrier = (
        shipment.id, shipment.tracking_number, carrier)


def default_carrier(store: Store) -> str:
    return str(store.settings.get(CARRIER_KEY, DEFAULT_CARRIER) or DEFAULT_CARRIER)


@dataclass
class Shipped:
    tracking_number: str
    outbox_id: int | None
    order_complete: bool


def ship(store: Store, session: PackSession, scanned: str = "") -> Shipped:
    """Ship the parcel: `scanned` is the label's barcode (it must be this parcel's number) or
    empty to take the number the label was printed with. The order becomes shipped when
    nothing is left, and the platform write-back is queued in the same transaction."""
    expected = session.tracking_number
    number = normalize_tracking_number(scanned) if scanned.strip() else expected
    if not number:
        raise FulfillError(_("This parcel has no tracking number yet."),
                           _("Scan the barcode on the carrier's label."))
    if expected and number != expected:
        raise PackStop("wrong_label", _("That label is {scanned}, but this parcel's label says "
                                        "{expected}.").format(scanned=number, expected=expected),
                       _("Put this parcel's own label on it and scan that."),
                       order_id=session.order_id, order_number=session.order_number)
    if not expected:
        set_tracking_number(store, session, number)
    order = store.orders.get(session.order_id)
    assert order is not None
    packed = session.packed()
    complete = not left_to_pack(order, store.packing.shipped_counts(session.order_id)
                                + Counter(packed))
    whole_in_one = complete and session.parcel_no == 1
    lines = () if whole_in_one else tuple(  # the platform's lines this parcel holds
        ShippedLine(line.platform_line_id or line.sku, line.quantity)
        for line in papers.lines_holding(order.lines, packed))
    with store.errors(), store.db.atomic():
        outbox_id = ship_order(store, session.order_id, carrier=session.carrier or
                               default_carrier(store), tracking_number=number, lines=lines,
                               actor=session.station, shipment_id=session.shipment_id,
                               order_complete=complete)
        store.packing.update(session.id, state="shipped", finished_at=datetime.now(UTC))
    session.state = "shipped"
    return Shipped(number, outbox_id, complete)


def set_aside(store: Store, session: PackSession, note: str = "") -> None:
    """Put the parcel aside unfinished (Esc): the lock goes, the scans stay in the record."""
    with store.errors(), store.db.atomic():
        store.packing.update(session.id, state="abandoned", note=note or "set aside by packer",
                             finished_at=datetime.now(UTC))
    session.state = "abandoned"


def heartbeat(store: Store, holder: str) -> None:
    with store.errors(), store.db.atomic():
        store.packing.heartbeat(holder)


def release(store: Store, holder: str) -> None:
    """The window closes: its open parcel stays open with its scans, free for the station
    (or another) to take up at once instead of after the lock times out."""
    with store.errors(), store.db.atomic():
        store.packing.release(holder)
