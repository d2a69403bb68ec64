"""A returned parcel scanned at the packing station: its RMA slip's barcode (RM000123) or the
return tracking number finds the RMA, and the parcel is received (it joins the inspection
queue) when the RMA's state allows; otherwise the station is told why not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fulfill.domain.returns import ReturnStatus, ReturnStep, Rma, step_target
from fulfill.services import returns
from fulfill.storage import Store
from fulfill.translation import _

__all__ = ["ReturnScan", "scan_returned_parcel"]


@dataclass(frozen=True)
class ReturnScan:
    rma: Rma
    order_number: str
    received: bool  # this scan took it to received
    headline: str
    detail: str


def _items(rma: Rma) -> str:
    return ", ".join(f"{line.quantity} × {line.sku}" + (f" ({line.title})" if line.title else "")
                     for line in rma.lines)


def scan_returned_parcel(store: Store, code: str, *, actor: str,
                         now: datetime | None = None) -> ReturnScan | None:
    """The RMA `code` names, received now if it may be; None when the code is not a return's."""
    rma = returns.find_by_scan(store, code)
    if rma is None:
        return None
    order = store.orders.get(rma.order_id)
    number = order.order_number if order else str(rma.order_id)
    # The kind's and reason's English labels are the catalogue's words for them (marked in
    # fulfill.ui.labels), so they are looked up as they are.
    # Translators: "Order #1001 · Exchange · Wrong size. 1 × SOCK-01 (Cotton socks)."
    about = _("Order {number} · {kind} · {reason}. {items}.").format(
        number=number, kind=_(rma.kind.label), reason=_(rma.reason.label), items=_items(rma))
    if rma.status is ReturnStatus.RECEIVED:
        # Translators: when a return was received, if the date is not known.
        when = rma.received_at.strftime("%Y-%m-%d") if rma.received_at else _("earlier")
        return ReturnScan(rma, number, False,
                          _("{code} was already received ({when})").format(code=rma.code,
                                                                            when=when),
                          _("{about} It waits for inspection in Returns.").format(about=about))
    if step_target(rma.kind, rma.status, ReturnStep.RECEIVE) is None:
        message, advice = returns.step_refusal_text(rma.code, rma.kind, rma.status,
                                                    ReturnStep.RECEIVE)
        return ReturnScan(rma, number, False, message,
                          _("{about} {advice} Keep the parcel aside; the RMA is open in "
                            "Returns.").format(about=about, advice=advice))
    tracking = code.strip().upper() if returns.rma_id_from_scan(code) is None else ""
    rma = returns.receive(store, rma.id or 0, return_tracking=tracking, actor=actor,
                          note="scanned at the packing station", now=now)
    return ReturnScan(rma, number, True,
                      _("Returned parcel {code} received").format(code=rma.code),
                      _("{about} Put it on the inspection shelf; inspect it in "
                        "Returns.").format(about=about))
