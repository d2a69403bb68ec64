"""WooCommerce REST v3 order payload -> Order, and the refunds it lists. Pure: payload in,
domain out."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fulfill.channels.money_time import money, parse_time, unit_price
from fulfill.channels.names import person_name
from fulfill.domain import Address, AddressText, Money, Order, OrderLine, OrderStatus
from fulfill.domain.returns import ClaimKind, PlatformClaim, reason_from_text

STATUSES = {
    "pending": OrderStatus.AWAITING_PAYMENT,
    "checkout-draft": OrderStatus.AWAITING_PAYMENT,
    "processing": OrderStatus.AWAITING_SHIPMENT,
    "on-hold": OrderStatus.ON_HOLD,
    "completed": OrderStatus.SHIPPED,
    "cancelled": OrderStatus.CANCELLED,
    "failed": OrderStatus.CANCELLED,
    "trash": OrderStatus.CANCELLED,
    "refunded": OrderStatus.REFUNDED,
}


def map_order(payload: dict[str, Any], account_id: int) -> Order:
    currency = payload["currency"]
    try:
        status = STATUSES[payload["status"]]
    except KeyError:
        raise ValueError(f"unknown WooCommerce status {payload['status']!r}") from None
    refunds = payload.get("refunds")
    refunded = sum((abs(Decimal(r["total"])) for r in refunds), Decimal(0)) if refunds else 0
    # Woo keeps a partly refunded order "processing" or "completed"; say so on the desk.
    if refunded and status in (OrderStatus.AWAITING_SHIPMENT, OrderStatus.ON_HOLD, OrderStatus.SHIPPED):
        status = OrderStatus.PARTIALLY_REFUNDED
    ship = payload.get("shipping") or {}
    bill = payload.get("billing") or {}
    if not ship.get("address_1"):
        ship = bill  # virtual-looking orders carry only a billing address
    name = person_name(ship.get("first_name", ""), ship.get("last_name", ""))
    address = Address(
        typed=AddressText(name=name, line1=ship.get("address_1", ""), line2=ship.get("address_2", ""),
                          city=ship.get("city", ""), region=ship.get("state", ""),
                          company=ship.get("company", "")),
        country_code=(ship.get("country") or "").upper(),
        postal_code=ship.get("postcode", ""),
        phone=ship.get("phone") or bill.get("phone", ""),
        email=bill.get("email", ""),
    )
    lines = [
        OrderLine(
            sku=item.get("sku") or f"woo-product-{item.get('product_id')}",
            title=item["name"],
            quantity=int(item["quantity"]),
            unit_price=unit_price(item["subtotal"], int(item["quantity"]), currency),
            platform_line_id=str(item["id"]),
        )
        for item in payload["line_items"]
    ]
    modified = payload.get("date_modified_gmt")
    return Order(
        account_id=account_id,
        platform_order_id=str(payload["id"]),
        order_number=str(payload.get("number") or payload["id"]),
        status=status,
        ordered_at=parse_time(payload["date_created_gmt"]),
        updated_at=parse_time(modified) if modified else None,
        currency=currency,
        ship_to=address,
        lines=lines,
        buyer_name=person_name(bill.get("first_name", ""), bill.get("last_name", "")) or name,
        buyer_email=bill.get("email", ""),
        shipping=money(payload.get("shipping_total"), currency),
        tax=money(payload.get("total_tax"), currency),
        discount=money(payload.get("discount_total"), currency),
        paid_total=money(payload["total"], currency),
        note=payload.get("customer_note", ""),
        raw=payload,
    )


def refunded_total(payload: dict[str, Any]) -> Money:
    currency = payload["currency"]
    return money(sum((abs(Decimal(r["total"])) for r in payload.get("refunds") or []), Decimal(0)),
                 currency)


def claims(payload: dict[str, Any]) -> list[PlatformClaim]:
    """The refunds listed on the order.

    The order lists each refund as {id, reason, total} only (total negative, no date, no
    items: those are at /orders/{id}/refunds, one more request per order), so a refund here
    names no items and is dated when the sync first sees it. A cancelled order says nothing
    beyond its status, which the order's history already keeps: no cancellation claim."""
    refunds = payload.get("refunds")
    if not refunds:
        return []
    currency = payload["currency"]
    found = []
    for refund in refunds:
        amount = money(abs(Decimal(refund["total"])), currency)
        if amount.minor:
            reason = refund.get("reason") or ""
            found.append(PlatformClaim(str(refund["id"]), ClaimKind.REFUND, amount,
                                       reason=reason_from_text(reason), note=reason))
    return found
