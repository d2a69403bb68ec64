"""Papers for orders: the one place the UI and the CLI get labels, customs forms, invoices,
packing slips and pick lists from.

Loads orders with what their papers need (products, seller profile, shipment) in a few
queries, refuses before drawing anything when something is missing (PapersBlocked lists it,
order by order), and hands back PDF bytes tagged with the printer they are meant for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from fulfill.documents.layout import PAPER_SIZES
from fulfill.domain import Order, OrderLine, OrderStatus, Parcel, Shipment, ShipmentStatus
from fulfill.domain.tracking import normalize_tracking_number
from fulfill.errors import FulfillError
from fulfill.services.parcels import Gap, MissingCustomsData, build_parcel
from fulfill.services.pdf_join import join_pdfs
from fulfill.storage import Store, audit
from fulfill.storage.database import in_chunks, marks
from fulfill.storage.order_queries import OrderFilter, OrderSort, order_ids
from fulfill.translation import N_, _, ngettext

DOCUMENT_KINDS = ("label", "invoice", "cn22", "cn23", "customs", "packing-slip", "pick-list")
# Papers that describe the goods to customs: every product needs its customs data.
CUSTOMS_KINDS = frozenset({"label", "invoice", "cn22", "cn23", "customs"})
PAPERS = tuple(PAPER_SIZES)
LABEL_PRINTER, DOCUMENT_PRINTER = "label", "document"

Printer = Literal["label", "document"]
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")

# Orders whose goods stay home: nothing to print for them (translated where the gap is made).
_NOT_SHIPPING = {
    OrderStatus.CANCELLED: N_("the order is cancelled"),
    OrderStatus.REFUNDED: N_("the order is refunded"),
}


@dataclass
class PrintJob:
    """One PDF for one printer. `kind` is a DOCUMENT_KINDS name, or several joined by "+"
    when one job carries more than one ("label+cn22")."""

    kind: str
    printer: Printer
    pdf: bytes
    order_ids: list[int]
    pages: int


class PapersBlocked(FulfillError):
    """Papers that cannot print until the listed gaps are filled (nothing was drawn)."""

    def __init__(self, blocked: dict[int, list[Gap]], order_numbers: dict[int, str]) -> None:
        self.blocked = blocked
        self.order_numbers = order_numbers
        lines = ["  " + _("{order}: {gaps}").format(
                     order=order_numbers.get(order_id) or _("id {id}").format(id=order_id),
                     gaps="; ".join(str(gap) for gap in gaps))
                 for order_id, gaps in blocked.items()]
        count = len(blocked)
        super().__init__(
            ngettext("{count} order cannot be printed yet:", "{count} orders cannot be printed "
                     "yet:", count).format(count=count) + "\n" + "\n".join(lines),
            _advice([gap for gaps in blocked.values() for gap in gaps]))


def _advice(gaps: list[Gap]) -> str:
    """Where to fill in each kind of gap, said once: one sentence per place, so each
    language can word it."""
    places = []
    whats = {gap.what for gap in gaps}
    if whats & {"product", "HS code", "country of origin", "net weight", "customs description"}:
        places.append(_("Complete the products under Products."))
    if "seller profile" in whats:
        places.append(_("Fill in the seller profile (Catalog → Seller profile…)."))
    if "tracking number" in whats:
        places.append(_("Enter the carrier's tracking number on the order."))
    if "recipient address" in whats:
        places.append(_("Correct the recipient's address on the order."))
    if not places:
        return _("Leave these orders out of the batch.")
    return _("{steps} Then print again.").format(steps=" ".join(places))


def _page_count(pdf: bytes) -> int:
    # One "/Type /Page" dictionary per page; "/Type /Pages" is the page tree.
    return len(_PAGE.findall(pdf))


# --- loading ----------------------------------------------------------------------------

def _latest_shipments(store: Store, ids: Sequence[int], chosen: Mapping[int, int] | None = None
                      ) -> dict[int, Shipment]:
    """Each order's latest shipment, or for an order in `chosen` the shipment named there."""
    chosen = chosen or {}
    latest: dict[int, Shipment] = {}
    for chunk in in_chunks(ids):
        for r in store.db.execute(
            "SELECT order_id, id, carrier, service, tracking_number, status, weight_g"
            f" FROM shipments WHERE order_id IN ({marks(chunk)}) ORDER BY id",
            chunk,
        ):
            if r[0] in chosen and r[1] != chosen[r[0]]:
                continue
            latest[r[0]] = Shipment(order_id=r[0], id=r[1], carrier=r[2], service=r[3],
                                    tracking_number=r[4], status=ShipmentStatus(r[5]),
                                    weight_g=r[6])
    return latest


def _orders(store: Store, ids: Sequence[int]) -> dict[int, Order]:
    found = {}
    for order_id in dict.fromkeys(ids):
        order = store.orders.get(order_id)
        if order is not None:
            found[order_id] = order
    return found


def load_parcels(store: Store, order_ids: Iterable[int], *, strict: bool = True,
                 need_tracking: bool | None = None,
                 contents: Mapping[int, Mapping[str, int]] | None = None,
                 shipment_ids: Mapping[int, int] | None = None,
                 ) -> tuple[list[Parcel], dict[int, list[Gap]]]:
    """The parcels of `order_ids` (in that order) and, apart, the orders that cannot print
    with what each lacks. `strict`: customs data must be complete. `need_tracking` (default:
    as strict): a parcel needs its tracking number (labels do). `contents` (order -> SKU ->
    pieces) cuts an order that leaves in several parcels down to one of them; `shipment_ids`
    names the shipment a parcel's label carries (default: the order's latest)."""
    ids = list(dict.fromkeys(order_ids))
    need_tracking = strict if need_tracking is None else need_tracking
    orders = _orders(store, ids)
    products = store.products.by_skus(line.sku for o in orders.values() for line in o.lines)
    seller = store.settings.seller_profile()
    channels = {a.id: a.display_name for a in store.accounts.all()}
    shipments = _latest_shipments(store, ids, shipment_ids)
    replacements = store.returns.replacement_origins(ids)  # exchanges' replacement parcels
    parcels: list[Parcel] = []
    blocked: dict[int, list[Gap]] = {}
    for order_id in ids:
        order = orders.get(order_id)
        if order is None:
            blocked[order_id] = [Gap("order", "", _("there is no order with id {id}").format(
                id=order_id))]
            continue
        if order.status in _NOT_SHIPPING:
            blocked[order_id] = [Gap("order status", "", _(_NOT_SHIPPING[order.status]))]
            continue
        if contents and order_id in contents:
            order.lines = lines_holding(order.lines, contents[order_id])
        shipment = shipments.get(order_id)
        gaps: list[Gap] = []
        try:
            parcel = build_parcel(order, products, seller, channel=channels.get(order.account_id, ""),
                                  shipment=shipment, strict=strict,
                                  replacement_for=replacements.get(order_id, (0, ""))[1])
        except MissingCustomsData as missing:
            gaps.extend(missing.gaps)
            parcel = None
        if need_tracking and not (shipment and shipment.tracking_number):
            gaps.append(Gap("tracking number", "",
                            _("no tracking number yet: enter the one the carrier issued")))
        if gaps:
            blocked[order_id] = gaps
        elif parcel is not None:
            parcels.append(parcel)
    return parcels, blocked


def gaps_for(store: Store, order_ids: Iterable[int]) -> dict[int, list[Gap]]:
    """What each order lacks before its label and customs papers can print (orders with
    nothing missing are absent): the "fill in what is missing" screen."""
    return load_parcels(store, order_ids, strict=True, need_tracking=True)[1]


def order_numbers(store: Store, ids: Iterable[int]) -> dict[int, str]:
    ids = list(ids)
    numbers: dict[int, str] = {}
    for chunk in in_chunks(ids):
        numbers.update(store.db.execute(
            f"SELECT id, order_number FROM orders WHERE id IN ({marks(chunk)})", chunk).fetchall())
    return numbers


def order_ids_for(store: Store, *, status: str) -> list[int]:
    """Orders of one status, oldest first: the order they were bought in is the order they
    are packed in."""
    try:
        wanted = OrderStatus(status)
    except ValueError:
        known = ", ".join(s.value for s in OrderStatus)
        raise FulfillError(_("There is no order status {status}.").format(status=repr(status)),
                           _("Use one of: {choices}.").format(choices=known)) from None
    return order_ids(store.db, OrderFilter(statuses=(wanted,)),
                     OrderSort("ordered_at", descending=False))


def _strict_load(store: Store, order_ids: Iterable[int], *, strict: bool,
                 need_tracking: bool, **parcel_options) -> list[Parcel]:
    ids = list(dict.fromkeys(order_ids))
    if not ids:
        raise FulfillError(_("No orders to print."), _("Choose at least one order."))
    parcels, blocked = load_parcels(store, ids, strict=strict, need_tracking=need_tracking,
                                    **parcel_options)
    if blocked:
        raise PapersBlocked(blocked, order_numbers(store, blocked))
    return parcels


# --- rendering ---------------------------------------------------------------------------

def customs_forms(store: Store, parcels: Sequence[Parcel]) -> list[str]:
    """"cn22" or "cn23" for each parcel, by its declared value against the store's threshold
    for its currency (else the documents' 300 SDR table)."""
    from fulfill.documents.customs_forms import customs_form_for

    thresholds = store.settings.cn23_thresholds()
    return [customs_form_for(p, thresholds.get(p.currency)) for p in parcels]


def _check(paper: str, dpi: int) -> None:
    if paper not in PAPERS:
        raise paper_refused(paper)
    if dpi not in (203, 300):
        raise FulfillError(_("Labels are made for 203 or 300 dpi printers, not {dpi} dpi.").format(
            dpi=dpi), _("Choose 203 or 300."))


def paper_refused(paper: str) -> FulfillError:
    return FulfillError(_("There is no paper size {paper}.").format(paper=repr(paper)),
                        _("Use A4 or Letter."))


def _kind_refused(kind: str) -> FulfillError:
    return FulfillError(_("There is no document kind {kind}.").format(kind=repr(kind)),
                        _("Use one of: {choices}.").format(choices=", ".join(DOCUMENT_KINDS)))


def _pdf(kind: str, parcels: Sequence[Parcel], *, paper: str, language: str | None, dpi: int,
         forms: Sequence[str] | None = None) -> bytes:
    """PDF bytes of one kind for parcels; documents are imported here so loading papers
    needs no reportlab."""
    if kind == "label":
        from fulfill.documents.label import label_pdf

        return label_pdf(parcels, dpi=dpi,
                         customs_forms=[f.upper() for f in forms] if forms else None)
    if kind == "invoice":
        from fulfill.documents.invoice import invoice_pdf

        return invoice_pdf(parcels, paper=paper, language=language)
    if kind == "cn22":
        from fulfill.documents.customs_forms import cn22_pdf

        return cn22_pdf(parcels)
    if kind == "cn23":
        from fulfill.documents.customs_forms import cn23_pdf

        return cn23_pdf(parcels, paper=paper)
    if kind == "packing-slip":
        from fulfill.documents.packing import packing_slip_pdf

        return packing_slip_pdf(parcels, paper=paper)
    if kind == "pick-list":
        from fulfill.documents.packing import pick_list_pdf

        return pick_list_pdf(parcels, paper=paper)
    raise _kind_refused(kind)


def _job(kind: str, printer: Printer, pdf: bytes, parcels: Sequence[Parcel]) -> PrintJob:
    return PrintJob(kind, printer, pdf, [p.order_id for p in parcels], _page_count(pdf))


def _needs(kind: str) -> tuple[bool, bool]:
    """(customs data required, tracking number required) for a document kind."""
    return kind in CUSTOMS_KINDS, kind == "label"


def printable(store: Store, order_ids: Iterable[int], kind: str
              ) -> tuple[list[int], dict[int, list[Gap]]]:
    """Split orders into those whose `kind` papers can print and those that cannot (with
    why): a batch by status prints the first and lists the second."""
    strict, need_tracking = _needs(kind)
    parcels, blocked = load_parcels(store, order_ids, strict=strict, need_tracking=need_tracking)
    return [p.order_id for p in parcels], blocked


def render(store: Store, order_ids: Iterable[int], kind: str, *, paper: str = "A4",
           language: str | None = None, dpi: int = 203) -> PrintJob:
    """One document kind for the orders, as one PDF. Raises PapersBlocked (nothing drawn)
    when any order lacks what it needs, and DocumentError for text no font can print.

    "customs" picks CN22 or CN23 per parcel; a batch that needs both gets CN23 for every
    parcel, since one PDF is one paper size and a CN23 is valid at any value."""
    if kind not in DOCUMENT_KINDS:
        raise _kind_refused(kind)
    _check(paper, dpi)
    strict, need_tracking = _needs(kind)
    parcels = _strict_load(store, order_ids, strict=strict, need_tracking=need_tracking)
    forms = customs_forms(store, parcels) if kind in ("customs", "label") else None
    if kind == "customs":
        kind = "cn22" if set(forms or ()) == {"cn22"} else "cn23"
    pdf = _pdf(kind, parcels, paper=paper, language=language, dpi=dpi, forms=forms)
    printer: Printer = LABEL_PRINTER if kind in ("label", "cn22") else DOCUMENT_PRINTER
    return _job(kind, printer, pdf, parcels)


def parcel_papers(store: Store, order_ids: Iterable[int], *, paper: str = "A4",
                  dpi: int = 203) -> list[PrintJob]:
    """Everything the parcels need, in one action: for the label printer the labels and then
    the CN22s (4x6), for the document printer the CN23s and then the commercial invoices.
    One job per printer, label printer first. Refuses (PapersBlocked) before drawing
    anything if any order lacks customs data or a tracking number."""
    _check(paper, dpi)
    parcels = _strict_load(store, order_ids, strict=True, need_tracking=True)
    forms = customs_forms(store, parcels)
    cn22 = [p for p, f in zip(parcels, forms, strict=True) if f == "cn22"]
    cn23 = [p for p, f in zip(parcels, forms, strict=True) if f == "cn23"]
    label_parts = [("label", parcels, _pdf("label", parcels, paper=paper, language=None,
                                           dpi=dpi, forms=forms))]
    if cn22:
        label_parts.append(("cn22", cn22, _pdf("cn22", cn22, paper=paper, language=None, dpi=dpi)))
    document_parts = []
    if cn23:
        document_parts.append(("cn23", cn23, _pdf("cn23", cn23, paper=paper, language=None,
                                                  dpi=dpi)))
    document_parts.append(("invoice", parcels, _pdf("invoice", parcels, paper=paper,
                                                    language=None, dpi=dpi)))
    jobs = []
    for printer, parts in ((LABEL_PRINTER, label_parts), (DOCUMENT_PRINTER, document_parts)):
        pdf = join_pdfs([part[2] for part in parts])
        ids = list(dict.fromkeys(p.order_id for part in parts for p in part[1]))
        jobs.append(PrintJob("+".join(part[0] for part in parts), printer, pdf, ids,
                             _page_count(pdf)))
    return jobs


def one_parcel_papers(store: Store, order_id: int, *, contents: Mapping[str, int] | None = None,
                      shipment_id: int | None = None, paper: str = "A4", dpi: int = 203
                      ) -> list[PrintJob]:
    """The papers of one parcel at the packing bench, one job per kind, in printing order:
    label, CN22 or CN23, commercial invoice. `contents` (SKU -> pieces) is what this parcel
    holds when an order leaves in several; `shipment_id` the shipment whose tracking number
    the label carries (default: the order's latest). Raises PapersBlocked like the others."""
    _check(paper, dpi)
    (parcel,) = _strict_load(
        store, [order_id], strict=True, need_tracking=True,
        contents=None if contents is None else {order_id: contents},
        shipment_ids=None if shipment_id is None else {order_id: shipment_id})
    (form,) = customs_forms(store, [parcel])
    return [_job(kind, LABEL_PRINTER if kind in ("label", "cn22") else DOCUMENT_PRINTER,
                 _pdf(kind, [parcel], paper=paper, language=None, dpi=dpi, forms=[form]),
                 [parcel]) for kind in ("label", form, "invoice")]


def warm_up() -> None:
    """Load the document code and register the fonts now (a few hundred ms, once), so the
    first parcel of the day prints as fast as the rest."""
    import importlib

    for module in ("label", "customs_forms", "invoice", "packing"):
        importlib.import_module(f"fulfill.documents.{module}")
    from fulfill.documents import fonts

    fonts.register()


def lines_holding(lines: Sequence[OrderLine], contents: Mapping[str, int]) -> list[OrderLine]:
    """The order's lines cut down to what one parcel holds, in the order's line order."""
    left = dict(contents)
    held = []
    for line in lines:
        pieces = min(line.quantity, left.get(line.sku, 0))
        if pieces > 0:
            held.append(replace(line, quantity=pieces))
            left[line.sku] -= pieces
    return held


# --- shipments the papers print from ------------------------------------------------------

def set_tracking_number(store: Store, order_id: int, tracking_number: str, *, carrier: str,
                        service: str = "", weight_g: int = 0, actor: str = "packer") -> Shipment:
    """Record the carrier's number for the order's parcel before its label prints: updates
    the order's draft shipment, or starts one. S10 numbers must pass their check digit
    (TrackingNumberError says what is wrong)."""
    number = normalize_tracking_number(tracking_number)
    if weight_g < 0:
        raise ValueError("A parcel's weight cannot be negative")
    with store.errors(), store.db.atomic():
        if store.db.execute("SELECT 1 FROM orders WHERE id = ?", [order_id]).fetchone() is None:
            raise KeyError(f"No order with id {order_id}")
        draft = store.db.execute(
            "SELECT id, tracking_number FROM shipments WHERE order_id = ? AND status = ?"
            " ORDER BY id DESC LIMIT 1", [order_id, ShipmentStatus.DRAFT.value]).fetchone()
        if draft:
            shipment_id = draft[0]
            store.db.execute(
                "UPDATE shipments SET carrier = ?, service = ?, tracking_number = ?, weight_g = ?"
                " WHERE id = ?", [carrier, service, number, weight_g, shipment_id])
        else:
            shipment_id = store.db.execute(
                "INSERT INTO shipments (order_id, carrier, service, tracking_number, status,"
                " weight_g, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [order_id, carrier, service, number, ShipmentStatus.DRAFT.value, weight_g,
                 audit.now_text()]).lastrowid
        audit.record(store.db, "shipment", shipment_id, "tracking number",
                     old=draft[1] if draft else "", new=number, actor=actor, note=carrier)
    return Shipment(order_id=order_id, carrier=carrier, service=service, tracking_number=number,
                    weight_g=weight_g, id=shipment_id)
