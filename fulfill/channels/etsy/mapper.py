"""Etsy Open API v3 ShopReceipt -> Order, and the refunds on it. Pure: payload in, domain out.

Etsy money is {amount: int, divisor: int, currency_code}: the value is exactly amount/divisor.
Times are epoch seconds. The receipt has one recipient `name` and no phone number.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fulfill.channels.money_time import from_epoch, money
from fulfill.domain import Address, AddressText, Money, Order, OrderLine, OrderStatus
from fulfill.domain.returns import ClaimKind, PlatformClaim, reason_from_text

# Every value of ShopReceipt.status in the spec.
STATUSES = {
    "open": OrderStatus.AWAITING_PAYMENT,
    "payment processing": OrderStatus.AWAITING_PAYMENT,
    "paid": OrderStatus.AWAITING_SHIPMENT,
    "completed": OrderStatus.SHIPPED,
    "canceled": OrderStatus.CANCELLED,
    "fully refunded": OrderStatus.REFUNDED,
    "partially refunded": OrderStatus.PARTIALLY_REFUNDED,
}


def _whole(value: Any, what: str) -> int:
    """An integer field; Decimal("12") from a parse_float reader is fine, 12.5 is not."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or value != int(value):
        raise ValueError(f"{what} is {value!r}, not a whole number")
    return int(value)


def etsy_money(value: dict[str, Any] | None, currency: str) -> Money:
    """Money from Etsy's {amount, divisor, currency_code}, exactly; absent means zero."""
    if not value:
        return Money.zero(currency)
    if value.get("currency_code", currency) != currency:
        raise ValueError(f"amount in {value['currency_code']} on a {currency} receipt")
    amount = _whole(value["amount"], "amount")
    divisor = _whole(value.get("divisor", 1), "divisor")
    if divisor <= 0:
        raise ValueError(f"money divisor {divisor} must be positive")
    exact = Decimal(amount) / Decimal(divisor)
    if exact * divisor != amount:  # e.g. divisor 3: no finite decimal
        raise ValueError(f"{amount}/{divisor} {currency} is not an exact amount")
    return money(exact, currency)


def _time(payload: dict[str, Any], *names: str):
    """The first of Etsy's twin timestamp fields (created_/create_) that is present."""
    for name in names:
        if payload.get(name) is not None:
            return from_epoch(_whole(payload[name], name))
    return None


def _status(payload: dict[str, Any]) -> OrderStatus:
    try:
        status = STATUSES[payload["status"].lower()]
    except KeyError:
        raise ValueError(f"unknown Etsy status {payload['status']!r}") from None
    if status is OrderStatus.AWAITING_SHIPMENT and payload.get("is_shipped"):
        status = OrderStatus.SHIPPED
    # A refund on a paid/completed receipt that Etsy has not relabelled yet.
    if status in (OrderStatus.AWAITING_SHIPMENT, OrderStatus.SHIPPED) and payload.get("refunds"):
        status = OrderStatus.PARTIALLY_REFUNDED
    return status


def _address(payload: dict[str, Any]) -> Address:
    country = (payload.get("country_iso") or "").upper()
    if not country:
        # Etsy withholds address fields in some regions for apps without partner status.
        raise ValueError("Etsy sent no ship-to country (address withheld for this app?)")
    typed = AddressText(
        name=(payload.get("name") or "").strip(), line1=payload.get("first_line") or "",
        line2=payload.get("second_line") or "", city=payload.get("city") or "",
        region=payload.get("state") or "")
    return Address(typed=typed, country_code=country, postal_code=payload.get("zip") or "",
                   email=payload.get("buyer_email") or "")


def _title(item: dict[str, Any]) -> str:
    """Listing title plus what the buyer chose ("Color: Black"), which the packer needs."""
    chosen = [f"{v.get('formatted_name', '')}: {v.get('formatted_value', '')}".strip(": ")
              for v in item.get("variations") or []]
    title = item.get("title") or f"Etsy listing {item.get('listing_id')}"
    return f"{title} ({', '.join(chosen)})" if chosen else title


def _lines(payload: dict[str, Any], currency: str) -> list[OrderLine]:
    return [
        OrderLine(
            sku=item.get("sku") or f"etsy-listing-{item.get('listing_id')}",
            title=_title(item),
            quantity=_whole(item["quantity"], "quantity"),
            unit_price=etsy_money(item["price"], currency),  # Etsy's price is per unit
            platform_line_id=str(item["transaction_id"]),
        )
        for item in payload.get("transactions") or []
    ]


def _note(payload: dict[str, Any]) -> str:
    parts = [payload.get("message_from_buyer") or ""]
    if payload.get("is_gift") and payload.get("gift_message"):
        parts.append(f"Gift message: {payload['gift_message']}")
    return "\n".join(p for p in parts if p)


def map_order(payload: dict[str, Any], account_id: int) -> Order:
    receipt_id = str(_whole(payload["receipt_id"], "receipt_id"))
    currency = payload["grandtotal"]["currency_code"]
    address = _address(payload)
    ordered_at = _time(payload, "created_timestamp", "create_timestamp")
    if ordered_at is None:
        raise ValueError("receipt has no created_timestamp")
    return Order(
        account_id=account_id,
        platform_order_id=receipt_id,
        order_number=receipt_id,  # the seller's Etsy screens show the receipt id as "Order #"
        status=_status(payload),
        ordered_at=ordered_at,
        updated_at=_time(payload, "updated_timestamp", "update_timestamp"),
        currency=currency,
        ship_to=address,
        lines=_lines(payload, currency),
        buyer_name=address.typed.name,
        buyer_email=payload.get("buyer_email") or "",
        shipping=etsy_money(payload.get("total_shipping_cost"), currency),
        tax=(etsy_money(payload.get("total_tax_cost"), currency)
             + etsy_money(payload.get("total_vat_cost"), currency)),
        discount=etsy_money(payload.get("discount_amt"), currency),
        paid_total=etsy_money(payload["grandtotal"], currency),
        note=_note(payload),
        raw=payload,
    )


def refunded_total(payload: dict[str, Any]) -> Money:
    currency = payload["grandtotal"]["currency_code"]
    total = Money.zero(currency)
    for refund in payload.get("refunds") or []:
        total = total + etsy_money(refund.get("amount"), currency)
    return total


def claims(payload: dict[str, Any]) -> list[PlatformClaim]:
    """The receipt's refunds. Etsy gives a refund no id and no items, so its reference is its
    time: refunds of the same second add up under one reference, which the running total of
    a reference allows. A cancelled receipt says nothing beyond its status (which the order's
    history keeps); the money it gave back is in its refunds."""
    refunds = payload.get("refunds")
    if not refunds:
        return []
    currency = payload["grandtotal"]["currency_code"]
    by_time: dict[int, list[dict[str, Any]]] = {}
    for refund in refunds:
        by_time.setdefault(_whole(refund["created_timestamp"], "created_timestamp"),
                           []).append(refund)
    found = []
    for stamp, same in sorted(by_time.items()):
        amount = Money.zero(currency)
        for refund in same:
            amount = amount + etsy_money(refund.get("amount"), currency)
        words = "; ".join(dict.fromkeys(
            text for r in same for text in (r.get("reason"), r.get("note_from_issuer")) if text))
        if amount.minor:
            found.append(PlatformClaim(f"refund@{stamp}", ClaimKind.REFUND, amount,
                                       reason=reason_from_text(words), at=from_epoch(stamp),
                                       note=words))
    return found
