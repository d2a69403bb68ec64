"""Shopify orders -> Order. Pure: payload in, domain out.

`map_order` reads an Order node of the GraphQL Admin API (what ShopifyConnector fetches).
`map_rest_order` reads an order of the REST Admin API (2024-10 and the older field set): the
shape of Shopify's documented examples and of anything saved from REST. One sale gives the
same Order from either, keyed by the GraphQL gid, so changing API never doubles an order.

Amounts are in the buyer's (presentment) currency: what the buyer paid and what customs
papers declare. The shop-currency figures stay in the raw payload.

Lines carry the quantity still on the order after edits and refunds, so the packer is never
asked for an item the buyer no longer gets; an order with nothing left (refunded in full,
cancelled) keeps its original lines as the record of the sale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fulfill.channels.money_time import money, parse_time
from fulfill.channels.names import person_name
from fulfill.domain import Address, AddressText, Money, Order, OrderLine, OrderStatus
from fulfill.domain.returns import ClaimKind, PlatformClaim, ReturnReason, reason_from_text

FINANCIAL = frozenset({"PENDING", "AUTHORIZED", "PARTIALLY_PAID", "PAID", "PARTIALLY_REFUNDED",
                       "REFUNDED", "VOIDED", "EXPIRED"})
FULFILLMENT = frozenset({"UNFULFILLED", "PARTIALLY_FULFILLED", "FULFILLED", "RESTOCKED",
                         "PENDING_FULFILLMENT", "OPEN", "IN_PROGRESS", "ON_HOLD", "SCHEDULED",
                         "REQUEST_DECLINED", "FULFILLMENT_NOT_REQUIRED"})
# REST spells fulfillment status its own way: null (nothing shipped yet) and "partial".
_REST_FULFILLMENT = {"": "UNFULFILLED", "PARTIAL": "PARTIALLY_FULFILLED"}
# Return statuses of a return the buyer asked for and the seller has not settled.
RETURN_PENDING = frozenset({"REQUESTED", "OPEN"})
# ReturnReason values; the rest (COLOR, STYLE, UNWANTED…) are read as words.
RETURN_REASONS = {
    "SIZE_TOO_LARGE": ReturnReason.WRONG_SIZE, "SIZE_TOO_SMALL": ReturnReason.WRONG_SIZE,
    "DEFECTIVE": ReturnReason.DAMAGED, "NOT_AS_DESCRIBED": ReturnReason.NOT_AS_DESCRIBED,
    "WRONG_ITEM": ReturnReason.WRONG_ITEM, "UNWANTED": ReturnReason.CHANGED_MIND,
    "STYLE": ReturnReason.CHANGED_MIND, "COLOR": ReturnReason.CHANGED_MIND,
}
# Countries whose carriers print the region as a code ("Louisville KY 40202").
_REGION_AS_CODE = frozenset({"US", "CA", "AU"})


def gid(kind: str, value: Any) -> str:
    """The GraphQL id of a REST id: gid("Order", 450789469) -> "gid://shopify/Order/450789469"."""
    text = str(value)
    return text if text.startswith("gid://") else f"gid://shopify/{kind}/{text}"


def legacy_id(value: Any) -> str:
    """The number REST wants: legacy_id("gid://shopify/Order/450789469") -> "450789469"."""
    return str(value).rsplit("/", 1)[-1]


def order_status(financial: str | None, fulfillment: str | None, cancelled: bool) -> OrderStatus:
    """One status from Shopify's two (payment and fulfilment), in either API's spelling."""
    fin = (financial or "PENDING").upper()
    ful = (fulfillment or "").upper()
    ful = _REST_FULFILLMENT.get(ful, ful)
    if fin not in FINANCIAL:
        raise ValueError(f"unknown Shopify financial status {financial!r}")
    if ful not in FULFILLMENT:
        raise ValueError(f"unknown Shopify fulfillment status {fulfillment!r}")
    if cancelled:
        return OrderStatus.CANCELLED
    if fin == "REFUNDED":
        return OrderStatus.REFUNDED
    if fin == "PARTIALLY_REFUNDED":
        return OrderStatus.PARTIALLY_REFUNDED
    if fin == "VOIDED" or ful == "RESTOCKED":
        return OrderStatus.CANCELLED
    if ful in ("FULFILLED", "FULFILLMENT_NOT_REQUIRED"):  # nothing left to pack
        return OrderStatus.SHIPPED
    if fin in ("PENDING", "PARTIALLY_PAID"):
        return OrderStatus.AWAITING_PAYMENT
    if fin == "EXPIRED" or ful in ("ON_HOLD", "REQUEST_DECLINED"):
        return OrderStatus.ON_HOLD  # the seller must look: payment lapsed, or Shopify holds it
    return OrderStatus.AWAITING_SHIPMENT  # paid or authorized, not (fully) shipped


@dataclass(frozen=True)
class _Line:
    line_id: str  # gid
    sku: str
    title: str
    ordered: int
    current: int
    unit_price: str | None


@dataclass(frozen=True)
class _Place:
    first: str | None
    last: str | None
    name: str | None
    company: str | None
    line1: str | None
    line2: str | None
    city: str | None
    province: str | None
    province_code: str | None
    postal_code: str | None
    country_code: str | None
    phone: str | None

    @property
    def person(self) -> str:
        return person_name(self.first, self.last) or (self.name or "").strip()


def _address(place: _Place, *, email: str, phone: str) -> Address:
    country = (place.country_code or "").upper()
    region = place.province_code if country in _REGION_AS_CODE and place.province_code else None
    return Address(
        typed=AddressText(name=place.person, line1=place.line1 or "", line2=place.line2 or "",
                          city=place.city or "", region=region or place.province or "",
                          company=place.company or ""),
        country_code=country,
        postal_code=place.postal_code or "",
        phone=place.phone or phone,
        email=email,
    )


def _lines(items: Iterable[_Line], currency: str) -> list[OrderLine]:
    items = list(items)
    # Nothing left on the order: keep what was bought, as the record of the sale.
    keep_original = all(item.current <= 0 for item in items)
    return [
        OrderLine(sku=item.sku, title=item.title,
                  quantity=item.ordered if keep_original else item.current,
                  unit_price=money(item.unit_price, currency), platform_line_id=item.line_id)
        for item in items
        if keep_original or item.current > 0
    ]


def _build(payload: dict[str, Any], account_id: int, *, order_gid: str, number: str,
           status: OrderStatus, created: str, updated: str | None, currency: str,
           ship: _Place | None, bill: _Place | None, email: str, phone: str,
           lines: Iterable[_Line], totals: dict[str, Money], note: str | None) -> Order:
    place = ship if ship and (ship.line1 or ship.city) else bill
    if place is None:
        raise ValueError("the order has no shipping or billing address")
    address = _address(place, email=email, phone=phone)
    return Order(
        account_id=account_id,
        platform_order_id=order_gid,
        order_number=number,
        status=status,
        ordered_at=parse_time(created),
        updated_at=parse_time(updated) if updated else None,
        currency=currency,
        ship_to=address,
        lines=_lines(lines, currency),
        buyer_name=(bill.person if bill else "") or address.typed.name,
        buyer_email=email,
        shipping=totals["shipping"],
        tax=totals["tax"],
        discount=totals["discount"],
        paid_total=totals["total"],
        note=note or "",
        raw=payload,
    )


# --- GraphQL ---------------------------------------------------------------------------

def _gql_place(node: dict[str, Any] | None) -> _Place | None:
    if not node:
        return None
    return _Place(node.get("firstName"), node.get("lastName"), node.get("name"),
                  node.get("company"), node.get("address1"), node.get("address2"),
                  node.get("city"), node.get("province"), node.get("provinceCode"),
                  node.get("zip"), node.get("countryCodeV2"), node.get("phone"))


def _gql_amount(bag: dict[str, Any] | None) -> str | None:
    """The buyer-currency amount of a MoneyBag (shop money when that is all there is)."""
    if not bag:
        return None
    side = bag.get("presentmentMoney") or bag["shopMoney"]
    return side["amount"]


def _gql_line(node: dict[str, Any]) -> _Line:
    variant = node.get("variant") or {}
    sku = (node.get("sku") or "").strip()
    if not sku:
        sku = (f"shopify-variant-{legacy_id(variant['id'])}" if variant.get("id")
               else f"shopify-line-{legacy_id(node['id'])}")
    quantity = int(node["quantity"])
    current = node.get("currentQuantity")
    return _Line(node["id"], sku, node.get("name") or node["title"], quantity,
                 quantity if current is None else int(current),
                 _gql_amount(node.get("originalUnitPriceSet")))


def map_order(payload: dict[str, Any], account_id: int) -> Order:
    """An Order node of the GraphQL Admin API (the connector's ORDER_FIELDS selection)."""
    items = payload["lineItems"]
    if (items.get("pageInfo") or {}).get("hasNextPage"):
        raise ValueError("only part of the order's line items was fetched")
    currency = payload.get("presentmentCurrencyCode") or payload["currencyCode"]
    totals = {key: money(_gql_amount(payload.get(field)), currency) for key, field in (
        ("shipping", "totalShippingPriceSet"), ("tax", "totalTaxSet"),
        ("discount", "totalDiscountsSet"), ("total", "totalPriceSet"))}
    ship = _gql_place(payload.get("shippingAddress"))
    return _build(
        payload, account_id, order_gid=payload["id"], number=payload["name"],
        status=order_status(payload.get("displayFinancialStatus"),
                            payload.get("displayFulfillmentStatus"),
                            bool(payload.get("cancelledAt"))),
        created=payload["createdAt"], updated=payload.get("updatedAt"), currency=currency,
        ship=ship, bill=_gql_place(payload.get("billingAddress")),
        email=payload.get("email") or "", phone=payload.get("phone") or "",
        lines=(_gql_line(node) for node in items["nodes"]), totals=totals,
        note=payload.get("note"))


# --- REST ------------------------------------------------------------------------------

def _rest_place(node: dict[str, Any] | None) -> _Place | None:
    if not node:
        return None
    return _Place(node.get("first_name"), node.get("last_name"), node.get("name"),
                  node.get("company"), node.get("address1"), node.get("address2"),
                  node.get("city"), node.get("province"), node.get("province_code"),
                  node.get("zip"), node.get("country_code"), node.get("phone"))


def _rest_amount(payload: dict[str, Any], set_field: str, plain_field: str | None) -> str | None:
    """The presentment amount of a *_set field; older payloads only have the plain field."""
    bag = payload.get(set_field)
    if bag:
        return (bag.get("presentment_money") or bag["shop_money"])["amount"]
    return payload.get(plain_field) if plain_field else None


def _rest_line(item: dict[str, Any]) -> _Line:
    sku = (item.get("sku") or "").strip()
    if not sku:
        sku = (f"shopify-variant-{item['variant_id']}" if item.get("variant_id")
               else f"shopify-line-{item['id']}")
    quantity = int(item["quantity"])
    current = item.get("current_quantity")
    return _Line(item.get("admin_graphql_api_id") or gid("LineItem", item["id"]), sku,
                 item.get("name") or item["title"], quantity,
                 quantity if current is None else int(current),
                 _rest_amount(item, "price_set", "price"))


def map_rest_order(payload: dict[str, Any], account_id: int) -> Order:
    """An order of the REST Admin API (the object inside {"order": ...})."""
    currency = payload.get("presentment_currency") or payload["currency"]
    shipping = _rest_amount(payload, "total_shipping_price_set", None)
    totals = {
        # Before the *_set fields there was only the shipping lines' own prices.
        "shipping": money(shipping, currency) if shipping is not None else sum(
            (money(line.get("price"), currency) for line in payload.get("shipping_lines") or []),
            Money.zero(currency)),
        "tax": money(_rest_amount(payload, "total_tax_set", "total_tax"), currency),
        "discount": money(_rest_amount(payload, "total_discounts_set", "total_discounts"),
                          currency),
        "total": money(_rest_amount(payload, "total_price_set", "total_price"), currency),
    }
    bill = _rest_place(payload.get("billing_address"))
    customer = payload.get("customer") or {}
    if bill is None and customer:
        bill = _Place(customer.get("first_name"), customer.get("last_name"), None, *[None] * 9)
    return _build(
        payload, account_id,
        order_gid=payload.get("admin_graphql_api_id") or gid("Order", payload["id"]),
        number=payload.get("name") or f"#{payload.get('order_number') or payload['id']}",
        status=order_status(payload.get("financial_status"), payload.get("fulfillment_status"),
                            bool(payload.get("cancelled_at"))),
        created=payload["created_at"], updated=payload.get("updated_at"), currency=currency,
        ship=_rest_place(payload.get("shipping_address")), bill=bill,
        email=payload.get("email") or payload.get("contact_email") or "",
        phone=payload.get("phone") or "",
        lines=(_rest_line(item) for item in payload.get("line_items") or []), totals=totals,
        note=payload.get("note"))


# --- refunds, returns and cancellation ---------------------------------------------------

def _cancellation(cancelled_at: str | None, reason: str | None) -> list[PlatformClaim]:
    if not cancelled_at:
        return []
    words = (reason or "").replace("_", " ").lower()
    return [PlatformClaim("cancelled", ClaimKind.CANCELLATION, reason=reason_from_text(words),
                          at=parse_time(cancelled_at), note=words)]


def claims(payload: dict[str, Any]) -> list[PlatformClaim]:
    """What a GraphQL Order node reports besides the order: its `refunds` (Refund objects:
    id, createdAt, note, totalRefundedSet, refundLineItems), its `returns` still awaiting
    the seller, and its cancellation (cancelledAt, cancelReason). The connector fetches
    refunds and returns only for orders whose status shows any; SKUs as map_order names
    them, from the order's own line items."""
    currency = payload.get("presentmentCurrencyCode") or payload["currencyCode"]
    skus = {node["id"]: _gql_line(node).sku
            for node in (payload.get("lineItems") or {}).get("nodes") or []}

    def sku(line_item: dict[str, Any] | None) -> str:
        item = line_item or {}
        return skus.get(item.get("id")) or (item.get("sku") or "").strip() or \
            f"shopify-line-{legacy_id(item.get('id'))}"

    found = []
    for refund in payload.get("refunds") or []:
        bag = (refund.get("totalRefundedSet") or {}).get("presentmentMoney") or {}
        amount = money(bag.get("amount"), bag.get("currencyCode") or currency)
        lines = tuple((sku(n.get("lineItem")), int(n["quantity"])) for n in
                      (refund.get("refundLineItems") or {}).get("nodes") or []
                      if int(n["quantity"]) > 0)
        if amount.minor:
            note = refund.get("note") or ""
            found.append(PlatformClaim(refund["id"], ClaimKind.REFUND, amount, lines,
                                       reason_from_text(note), parse_time(refund["createdAt"]),
                                       note))
    for ret in (payload.get("returns") or {}).get("nodes") or []:
        if ret.get("status") not in RETURN_PENDING:
            continue
        items = [n for n in (ret.get("returnLineItems") or {}).get("nodes") or []
                 if int(n.get("quantity") or 0) > 0]
        lines = tuple((sku((n.get("fulfillmentLineItem") or {}).get("lineItem")),
                       int(n["quantity"])) for n in items)
        codes = [n.get("returnReason") or "" for n in items]
        reason = next((RETURN_REASONS.get(c) or reason_from_text(c) for c in codes
                       if c not in ("", "OTHER", "UNKNOWN")), ReturnReason.OTHER)
        note = "; ".join(n["customerNote"] for n in items if n.get("customerNote"))
        found.append(PlatformClaim(ret["id"], ClaimKind.RETURN_REQUEST, None, lines, reason,
                                   None, note or ret.get("name") or ""))
    return found + _cancellation(payload.get("cancelledAt"), payload.get("cancelReason"))


def rest_claims(payload: dict[str, Any]) -> list[PlatformClaim]:
    """What a REST Admin API order reports: its refunds (money from the successful refund
    transactions, items from refund_line_items) and its cancellation."""
    currency = payload.get("presentment_currency") or payload["currency"]
    skus = {item["id"]: _rest_line(item).sku for item in payload.get("line_items") or []}
    found = []
    for refund in payload.get("refunds") or []:
        amount = Money.zero(currency)
        for t in refund.get("transactions") or []:
            if t.get("kind") == "refund" and t.get("status") == "success":
                amount = amount + money(t["amount"], t.get("currency") or currency)
        lines = tuple((skus.get(li.get("line_item_id"))
                       or (_rest_line(li["line_item"]).sku if li.get("line_item")
                           else f"shopify-line-{li.get('line_item_id')}"), int(li["quantity"]))
                      for li in refund.get("refund_line_items") or [] if int(li["quantity"]) > 0)
        if amount.minor:
            note = refund.get("note") or ""
            found.append(PlatformClaim(
                refund.get("admin_graphql_api_id") or gid("Refund", refund["id"]),
                ClaimKind.REFUND, amount, lines, reason_from_text(note),
                parse_time(refund.get("processed_at") or refund["created_at"]), note))
    return found + _cancellation(payload.get("cancelled_at"), payload.get("cancel_reason"))
