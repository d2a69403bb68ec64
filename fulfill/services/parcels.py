"""From an order to the parcel its papers describe, and what is missing before they can print.

Pure: an order, the products its lines name, the seller profile in; a Parcel or the list of
gaps out. The store-facing side (which order, which profile) is in services.papers, and for
a parcel coming back (an RMA's goods returned from abroad) in services.return_papers.

A gap's `what` is English and compared in code; its `detail` is shown to the user and is in
the interface's language. What the papers themselves print (a replacement's explanation,
the original export) stays English: customs reads it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from fulfill.domain import (
    CustomsItem, ItemCategory, Money, Order, Parcel, Product, Rma, SellerProfile, Shipment,
    hs_problem, normalize_hs_code,
)
from fulfill.translation import N_, _

# What SellerProfile.missing() and missing_for_returns() name (the domain's English words),
# marked for the catalogue so a gap shows them in the interface's language.
SELLER_GAP_WORDS = (
    N_("exporter name in English"), N_("exporter address in English"),
    N_("exporter phone number"), N_("name to sign the declarations with"),
    N_("company name in English"), N_("return address in English (or the exporter address)"),
    N_("phone number"),
)


@dataclass(frozen=True)
class Gap:
    """One thing customs needs that the store does not have yet."""

    what: str  # "HS code", "country of origin", "net weight", "customs description", …
    sku: str = ""  # the product to fill in, or "" for the seller profile / order
    detail: str = ""  # shown to the user, in the interface's language

    def __str__(self) -> str:
        text = self.detail or self.what
        if self.what == "seller profile":
            # Translators: a gap in the seller profile: "seller profile: exporter phone number".
            return _("seller profile: {what}").format(what=text)
        if self.sku:
            return _("{sku}: {problem}").format(sku=self.sku, problem=text)
        return text


def seller_gap(what: str) -> Gap:
    """A gap in the seller profile; `what` is the domain's English word for it."""
    return Gap("seller profile", "", _(what))


def hs_problem_text(code: str) -> str | None:
    """domain.hs_problem in the interface's language: why `code` cannot go on customs papers,
    or None when it can."""
    if hs_problem(code) is None:
        return None
    digits = normalize_hs_code(code)
    if not digits:
        return _("no HS code")
    if not re.fullmatch(r"\d{6}(\d{4})?", digits):
        return _("HS code {code} is not 6 digits (HS) or 10 digits (Korean HSK)").format(
            code=repr(code))
    return _("HS code {code} is in chapter {chapter}, which international papers cannot "
             "use").format(code=repr(code), chapter=digits[:2])


class MissingCustomsData(Exception):
    """The parcel's papers cannot print until these gaps are filled."""

    def __init__(self, order_number: str, gaps: list[Gap]) -> None:
        self.order_number = order_number
        self.gaps = gaps
        listed = "; ".join(str(g) for g in gaps)
        super().__init__(_("Order {number} cannot be printed yet — {gaps}. Fill these in under "
                           "Products (or the seller profile) and print again.").format(
                               number=order_number, gaps=listed))


def product_gaps(product: Product | None, sku: str) -> list[Gap]:
    """What one line's product lacks for customs."""
    if product is None:
        return [Gap("product", sku,
                    _("not in the product catalogue: add it with its customs data"))]
    gaps = []
    problem = hs_problem_text(product.hs_code)
    if problem:
        gaps.append(Gap("HS code", sku, problem))
    if len(product.origin_country or "") != 2:
        gaps.append(Gap("country of origin", sku, _("no country of origin")))
    if product.unit_weight_g <= 0:
        gaps.append(Gap("net weight", sku, _("no net weight")))
    if not (product.customs_descriptions.get("en") or product.title).strip():
        gaps.append(Gap("customs description", sku, _("no customs description in English")))
    return gaps


def customs_gaps(order: Order, products: Mapping[str, Product], seller: SellerProfile) -> list[Gap]:
    """Everything missing before the order's label and customs papers can print."""
    gaps = [seller_gap(what) for what in seller.missing()]
    seen: set[str] = set()
    for line in order.lines:
        if line.sku not in seen:
            seen.add(line.sku)
            gaps.extend(product_gaps(products.get(line.sku), line.sku))
    address = order.ship_to.for_carrier
    if not (address.name and address.line1):
        gaps.append(Gap("recipient address", "", _("the recipient's name or street is empty")))
    return gaps


def invoice_number(order: Order) -> str:
    """The commercial invoice's number for an order: INV- and the order number."""
    return f"INV-{order.order_number.lstrip('#')}"


def replacement_explanation(original_number: str) -> str:
    """What the papers of an exchange's replacement parcel say it is."""
    return f"Replacement for order {original_number} — no charge"


def build_parcel(order: Order, products: Mapping[str, Product], seller: SellerProfile, *,
                 channel: str = "", shipment: Shipment | None = None,
                 category: ItemCategory | None = None, strict: bool = True,
                 replacement_for: str = "") -> Parcel:
    """The parcel for `order`. With `strict`, refuses when customs data is missing
    (MissingCustomsData lists all of it); without, prints what there is (packing slips).

    `replacement_for`: the original order's number when `order` is an exchange's
    replacement. Nothing is sold, so it is declared as "Other" (CN 23 box 10) with the
    explanation beside it, at the goods' value, never as a sale."""
    explanation = ""
    if replacement_for:
        category = ItemCategory.OTHER
        explanation = replacement_explanation(replacement_for)
    if strict:
        gaps = customs_gaps(order, products, seller)
        if gaps:
            raise MissingCustomsData(order.order_number, gaps)
    items = []
    for line in order.lines:
        product = products.get(line.sku)
        descriptions = dict(product.customs_descriptions) if product else {}
        english = descriptions.pop("en", "") or (product.title if product else line.title)
        items.append(CustomsItem(
            sku=line.sku, description=english, quantity=line.quantity, unit_value=line.unit_price,
            hs_code=product.hs_code if product else "",
            origin_country=(product.origin_country if product else "") or "",
            unit_net_weight_g=product.unit_weight_g if product else 0,
            translations=descriptions, title=product.title if product else line.title,
        ))
    return Parcel(
        order_id=order.id or 0, order_number=order.order_number, channel=channel,
        ordered_at=order.ordered_at.date(), seller=seller, recipient=order.ship_to,
        items=tuple(items), currency=order.currency,
        shipping=order.shipping if order.shipping is not None else order.subtotal * 0,
        category=category or seller.default_category, incoterm=seller.default_incoterm,
        carrier=shipment.carrier if shipment else "", service=shipment.service if shipment else "",
        tracking_number=shipment.tracking_number if shipment else "",
        invoice_number=invoice_number(order), invoice_date=order.ordered_at.date(),
        gross_weight_g=shipment.weight_g if shipment else 0, buyer_email=order.buyer_email,
        note=order.note, explanation=explanation,
    )


# --- parcels coming back ----------------------------------------------------------------

def return_gaps(order: Order, rma: Rma, products: Mapping[str, Product],
                seller: SellerProfile) -> list[Gap]:
    """Everything missing before the customs papers of an RMA's returned goods can print:
    the seller's return address, the returned products' customs data, the buyer's address."""
    gaps = [seller_gap(what) for what in seller.missing_for_returns()]
    for sku in dict.fromkeys(line.sku for line in rma.lines):
        gaps.extend(product_gaps(products.get(sku), sku))
    address = order.ship_to.for_carrier
    if not (address.name and address.line1):
        gaps.append(Gap("recipient address", "", _("the buyer's name or street is empty")))
    return gaps


def original_export_note(order: Order, shipments: Sequence[Shipment] = ()) -> str:
    """What customs needs to let returned goods in free of duty: the export they left under.
    "Returned goods — original export: order #1001, invoice INV-1001, dated 2026-10-02,
    shipped with Korea Post EE123456785KR on 2026-10-03"."""
    parts = [f"order {order.order_number}", f"invoice {invoice_number(order)}",
             f"dated {order.ordered_at.date().isoformat()}"]
    sent = [" ".join(x for x in (s.carrier, s.tracking_number) if x)
            + (f" on {s.shipped_at.date().isoformat()}" if s.shipped_at else "")
            for s in shipments if s.tracking_number]
    if sent:
        parts.append(f"shipped with {', '.join(sent)}")
    return f"Returned goods — original export: {', '.join(parts)}"


def build_return_parcel(order: Order, rma: Rma, products: Mapping[str, Product],
                        seller: SellerProfile, *, made_on: date, channel: str = "",
                        shipments: Sequence[Shipment] = ()) -> Parcel:
    """The parcel the buyer sends back for `rma`: from the order's delivery address to the
    seller's return address, holding only the RMA's lines at what was paid for them,
    declared as returned goods with the original export (`shipments`: the parcels the
    order left in) as proof. Refuses (MissingCustomsData) when customs data is missing."""
    gaps = return_gaps(order, rma, products, seller)
    return_address = seller.return_address()
    if gaps or return_address is None:
        raise MissingCustomsData(order.order_number, gaps)
    paid = {line.sku: line.unit_price for line in reversed(order.lines)}  # first line wins
    items = []
    for line in rma.lines:
        product = products[line.sku]
        descriptions = dict(product.customs_descriptions)
        english = descriptions.pop("en", "") or product.title
        items.append(CustomsItem(
            sku=line.sku, description=english, quantity=line.quantity,
            unit_value=line.unit_price or paid.get(line.sku) or Money.zero(rma.currency),
            hs_code=product.hs_code, origin_country=product.origin_country,
            unit_net_weight_g=product.unit_weight_g, translations=descriptions,
            title=product.title or line.title))
    return Parcel(
        order_id=order.id or 0, order_number=order.order_number, channel=channel,
        ordered_at=order.ordered_at.date(), seller=seller, recipient=return_address,
        items=tuple(items), currency=rma.currency, shipping=Money.zero(rma.currency),
        category=ItemCategory.RETURNED_GOODS, incoterm="DAP",  # the seller imports
        tracking_number=rma.return_tracking, invoice_number=rma.code, invoice_date=made_on,
        buyer_email=order.buyer_email, sender=order.ship_to,
        original_export=original_export_note(order, shipments))
