"""Papers for a return: the RMA slip the buyer puts in the parcel, and, when the goods come
back from abroad, the customs papers the buyer attaches to it (a pro forma invoice and a
CN 22 or CN 23 declared as returned goods, with the proof of the original export).

Qt-free. Refuses before drawing anything, with what happened and what to do: an RMA whose
goods stay with the buyer has no parcel, a return from inside the country needs no customs
papers, and missing customs data is listed like the outgoing papers list it
(ReturnPapersBlocked is a PapersBlocked, so the screens that fill gaps in take it as is).
"""

from __future__ import annotations

from datetime import date

from babel import Locale

from fulfill.domain import (
    Order, ReturnKind, ReturnReason, ReturnStatus, Rma, Shipment, ShipmentStatus,
)
from fulfill.errors import FulfillError
from fulfill.services import returns
from fulfill.services.papers import PAPERS, PapersBlocked, customs_forms, paper_refused
from fulfill.services.parcels import Gap, MissingCustomsData, build_return_parcel, seller_gap
from fulfill.services.pdf_join import join_pdfs
from fulfill.storage import Store
from fulfill.translation import _, current_language

__all__ = ["ReturnPapersBlocked", "ReturnPapersRefused", "goods_come_back", "needs_customs",
           "return_customs_papers", "rma_slip"]

HOME_COUNTRY = "KR"  # where returns go when the seller profile says nothing else
# Shipments that prove the goods left: the original export.
_LEFT = (ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED)


class ReturnPapersRefused(FulfillError):
    """Papers for an RMA that cannot be made (nothing was drawn)."""


class ReturnPapersBlocked(PapersBlocked, ReturnPapersRefused):
    """Customs data missing before a return's papers can print: `blocked` lists it under the
    order, as PapersBlocked does, and the message names the RMA."""

    def __init__(self, rma: Rma, order: Order, gaps: list[Gap], slip: bool = False) -> None:
        super().__init__({order.id or 0: gaps}, {order.id or 0: order.order_number})
        listed = "; ".join(str(gap) for gap in gaps)
        if slip:
            text = _("The RMA slip of {code} (order {number}) cannot be made yet — {gaps}.")
        else:
            text = _("The customs papers of {code} (order {number}) cannot be made yet — "
                     "{gaps}.")
        self.message = text.format(code=rma.code, number=order.order_number, gaps=listed)
        self.args = (self.message,)


def goods_come_back(rma: Rma) -> bool:
    """Whether a parcel comes back: not for a refund without return, nor for a replacement
    of goods that never arrived, nor once the request was rejected."""
    return (rma.kind is not ReturnKind.REFUND_ONLY and rma.reason is not ReturnReason.NEVER_ARRIVED
            and rma.status is not ReturnStatus.REJECTED)


def _destination(store: Store) -> str:
    """The country returned parcels go to: the return address's, else Korea."""
    address = store.settings.seller_profile().return_address()
    return address.country_code if address else HOME_COUNTRY


def needs_customs(store: Store, rma_id: int) -> bool:
    """Whether the RMA's goods come back across a border, so customs papers go with them."""
    rma = returns.get(store, rma_id)
    order = _order(store, rma)
    return goods_come_back(rma) and order.ship_to.country_code != _destination(store)


def rma_slip(store: Store, rma_id: int, *, paper: str = "A4") -> bytes:
    """The RMA slip as a one-page PDF (A4 or Letter), in English and the buyer's language."""
    from fulfill.documents.rma_slip import ReturnSlip, rma_slip_pdf

    _check_paper(paper)
    rma = returns.get(store, rma_id)
    _refuse_without_parcel(rma, slip=True)
    order = _order(store, rma)
    seller = store.settings.seller_profile()
    if seller.return_address() is None:
        raise ReturnPapersBlocked(rma, order, [seller_gap(
            "return address in English (or the exporter address)")], slip=True)
    slip = ReturnSlip(rma=rma, order_number=order.order_number,
                      ordered_at=order.ordered_at.date(), buyer=order.ship_to, seller=seller,
                      international=needs_customs(store, rma_id))
    return rma_slip_pdf([slip], paper=paper)


def return_customs_papers(store: Store, rma_id: int, *, paper: str = "A4") -> bytes:
    """The customs declaration (CN 22 or CN 23 by value, as for outgoing parcels) and then
    the pro forma invoice of the goods coming back, as one PDF. The buyer is the sender, the
    seller's return address the addressee, "Returned goods" ticked, only the RMA's lines at
    what was paid for them, and the original export named for duty relief."""
    from fulfill.documents.customs_forms import cn22_pdf, cn23_pdf
    from fulfill.documents.invoice import invoice_pdf

    _check_paper(paper)
    rma = returns.get(store, rma_id)
    _refuse_without_parcel(rma, slip=False)
    order = _order(store, rma)
    home = _destination(store)
    if order.ship_to.country_code == home:
        raise ReturnPapersRefused(
            _("{code}: the buyer sends the parcel from {country}, the country it comes back "
              "to, so it crosses no border and needs no customs papers.").format(
                  code=rma.code, country=_country_name(home)),
            _("Send the buyer the RMA slip alone."))
    products = store.products.by_skus(line.sku for line in rma.lines)
    try:
        parcel = build_return_parcel(
            order, rma, products, store.settings.seller_profile(), made_on=date.today(),
            channel=_channel(store, order), shipments=_original_shipments(store, order))
    except MissingCustomsData as missing:
        raise ReturnPapersBlocked(rma, order, missing.gaps) from None
    (form,) = customs_forms(store, [parcel])
    declaration = cn23_pdf([parcel], paper=paper) if form == "cn23" else cn22_pdf([parcel])
    return join_pdfs([declaration, invoice_pdf([parcel], paper=paper)])


# --- helpers -------------------------------------------------------------------------------

def _check_paper(paper: str) -> None:
    if paper not in PAPERS:
        raise paper_refused(paper)


def _country_name(code: str) -> str:
    """The country's name in the interface's language (English when babel lacks it)."""
    try:
        names = Locale.parse(current_language()).territories
    except (ValueError, TypeError):
        names = {}
    return names.get(code) or Locale("en").territories.get(code, code)


def _refuse_without_parcel(rma: Rma, *, slip: bool) -> None:
    """Refuse papers for an RMA whose goods do not come back. Each case is one sentence per
    paper, so each language can word it."""
    if goods_come_back(rma):
        return
    if rma.kind is ReturnKind.REFUND_ONLY:
        message = (_("{code} is a refund without return: the goods stay with the buyer, so it "
                     "needs no slip.") if slip else
                   _("{code} is a refund without return: the goods stay with the buyer, so it "
                     "needs no customs papers."))
        advice = _("If the buyer sends them back after all, open a return for them.")
    elif rma.status is ReturnStatus.REJECTED:
        message = (_("{code} was rejected: nothing is to come back, so it needs no slip.")
                   if slip else
                   _("{code} was rejected: nothing is to come back, so it needs no customs "
                     "papers."))
        advice = _("Open a new RMA if the return is agreed after all.")
    else:
        message = (_("{code} replaces goods that never arrived: nothing comes back, so it "
                     "needs no slip.") if slip else
                   _("{code} replaces goods that never arrived: nothing comes back, so it "
                     "needs no customs papers."))
        advice = _("If the lost parcel turns up and goes back to you, open a return for it.")
    raise ReturnPapersRefused(message.format(code=rma.code), advice)


def _order(store: Store, rma: Rma) -> Order:
    order = store.orders.get(rma.order_id)
    if order is None:
        raise ReturnPapersRefused(
            _("{code}: its order (id {id}) is no longer in the store.").format(
                code=rma.code, id=rma.order_id),
            _("Open the store the RMA was made in."))
    return order


def _channel(store: Store, order: Order) -> str:
    return next((a.display_name for a in store.accounts.all() if a.id == order.account_id), "")


def _original_shipments(store: Store, order: Order) -> list[Shipment]:
    """The parcels the order left in, with their tracking numbers: the proof of export."""
    return [s for s in store.orders.shipments(order.id or 0)
            if s.status in _LEFT and s.tracking_number]
