"""Amazon SP-API Orders v0 order (+ its order items) -> Order, and its cancellation. Pure:
payload in, domain out.

The client attaches the getOrderItems result to the getOrders order under "OrderItems" (a key
the Order schema does not use), so one payload holds everything and lands whole in `raw`.
"""

from __future__ import annotations

from typing import Any

from fulfill.channels.money_time import money, parse_time, unit_price
from fulfill.domain import Address, AddressText, Money, Order, OrderLine, OrderStatus
from fulfill.domain.money import total
from fulfill.domain.returns import ClaimKind, PlatformClaim, reason_from_text

# Marketplace id -> (country, currency, SP-API region). Used where a Pending order carries no
# address or money yet, and to pick the regional endpoint.
MARKETPLACES: dict[str, tuple[str, str, str]] = {
    "ATVPDKIKX0DER": ("US", "USD", "na"), "A2EUQ1WTGCTBG2": ("CA", "CAD", "na"),
    "A1AM78C64UM0Y8": ("MX", "MXN", "na"), "A2Q3Y263D00KWC": ("BR", "BRL", "na"),
    "A1F83G8C2ARO7P": ("GB", "GBP", "eu"), "A1PA6795UKMFR9": ("DE", "EUR", "eu"),
    "A13V1IB3VIYZZH": ("FR", "EUR", "eu"), "APJ6JRA9NG5V4": ("IT", "EUR", "eu"),
    "A1RKKUPIHCS9HS": ("ES", "EUR", "eu"), "A1805IZSGTT6HS": ("NL", "EUR", "eu"),
    "A2NODRKZP88ZB9": ("SE", "SEK", "eu"), "A1C3SOZRARQ6R3": ("PL", "PLN", "eu"),
    "A33AVAJ2PDY3EV": ("TR", "TRY", "eu"), "A2VIGQ35RCS4UG": ("AE", "AED", "eu"),
    "A17E79C6D8DWNP": ("SA", "SAR", "eu"), "A21TJRUUN4KGV": ("IN", "INR", "eu"),
    "A1VC38T7YXB528": ("JP", "JPY", "fe"), "A39IBJ37TRP1C6": ("AU", "AUD", "fe"),
    "A19VAU5U5O7RUS": ("SG", "SGD", "fe"),
}

STATUSES = {
    "PendingAvailability": OrderStatus.AWAITING_PAYMENT,  # pre-order, not yet charged
    "Pending": OrderStatus.AWAITING_PAYMENT,  # payment not authorised: do not ship
    "Unshipped": OrderStatus.AWAITING_SHIPMENT,
    "PartiallyShipped": OrderStatus.AWAITING_SHIPMENT,  # the rest still has to go out
    "Shipped": OrderStatus.SHIPPED,
    "InvoiceUnconfirmed": OrderStatus.SHIPPED,  # shipped; only the invoice is pending
    "Canceled": OrderStatus.CANCELLED,
    "Unfulfillable": OrderStatus.CANCELLED,  # FBA-only state: nothing for the seller to ship
}
# Refunds are not in Orders v0 (they live in the Finances API), so REFUNDED and
# PARTIALLY_REFUNDED never come from this mapper: a refunded order stays Shipped/Canceled.
_OPEN = ("Unshipped", "PartiallyShipped")


def _amount(value: dict[str, Any] | None, currency: str) -> Money:
    """{CurrencyCode, Amount:"11.01"} exactly; absent (Pending) is zero in the order's currency."""
    if not value:
        return Money.zero(currency)
    return money(value["Amount"], value["CurrencyCode"])


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() == "true"  # Amazon sends "true" and true


def buyer_requested_cancel(items: list[dict[str, Any]]) -> bool:
    return any(_truthy((i.get("BuyerRequestedCancel") or {}).get("IsBuyerRequestedCancel"))
               for i in items)


def _address(payload: dict[str, Any], country: str, email: str) -> Address:
    ship = payload.get("ShippingAddress") or {}  # absent while Pending or without PII access
    line2 = ", ".join(p for p in (ship.get("AddressLine2"), ship.get("AddressLine3"),
                                  ship.get("District")) if p)
    return Address(
        typed=AddressText(name=ship.get("Name", ""), line1=ship.get("AddressLine1", ""),
                          line2=line2, city=ship.get("City") or ship.get("Municipality", ""),
                          region=ship.get("StateOrRegion") or ship.get("County", ""),
                          company=ship.get("CompanyName", "")),
        country_code=(ship.get("CountryCode") or country).upper(),
        postal_code=ship.get("PostalCode", ""),
        phone=ship.get("Phone", ""),
        email=email,
    )


def _lines(items: list[dict[str, Any]], currency: str) -> list[OrderLine]:
    lines = []
    for item in items:
        quantity = int(item["QuantityOrdered"])
        if quantity < 1:
            continue  # a cancelled line keeps its row with quantity 0; raw still has it
        # ItemPrice is the line total (price x quantity), not the unit price.
        price = _amount(item.get("ItemPrice"), currency)
        lines.append(OrderLine(
            sku=item.get("SellerSKU") or f"ASIN-{item['ASIN']}",
            title=item.get("Title", ""),
            quantity=quantity,
            unit_price=unit_price(price.to_decimal(), quantity, price.currency),
            platform_line_id=str(item["OrderItemId"]),
        ))
    return lines


def _sum(items: list[dict[str, Any]], keys: tuple[str, ...], currency: str) -> Money:
    return total([_amount(item.get(key), currency) for item in items for key in keys], currency)


def map_order(payload: dict[str, Any], account_id: int) -> Order:
    order_id = payload["AmazonOrderId"]
    items = payload.get("OrderItems")
    if items is None:
        raise ValueError(f"order {order_id} came without its order items")
    try:
        status = STATUSES[payload["OrderStatus"]]
    except KeyError:
        raise ValueError(f"unknown Amazon order status {payload['OrderStatus']!r}") from None
    # The buyer asked to cancel: shipping it now would be a mistake, so hold it for the seller.
    if payload["OrderStatus"] in _OPEN and buyer_requested_cancel(items):
        status = OrderStatus.ON_HOLD
    country, currency, _ = MARKETPLACES.get(payload.get("MarketplaceId", ""), ("US", "USD", "na"))
    if payload.get("OrderTotal"):
        currency = payload["OrderTotal"]["CurrencyCode"]
    buyer = payload.get("BuyerInfo") or {}
    address = _address(payload, country, buyer.get("BuyerEmail", ""))
    gifts = [m for i in items if (m := (i.get("BuyerInfo") or {}).get("GiftMessageText"))]
    modified = payload.get("LastUpdateDate")
    return Order(
        account_id=account_id,
        platform_order_id=order_id,
        order_number=order_id,  # Seller Central shows the 3-7-7 Amazon order id
        status=status,
        ordered_at=parse_time(payload["PurchaseDate"]),
        updated_at=parse_time(modified) if modified else None,
        currency=currency,
        ship_to=address,
        lines=_lines(items, currency),
        buyer_name=buyer.get("BuyerName") or address.typed.name,
        buyer_email=buyer.get("BuyerEmail", ""),
        shipping=_sum(items, ("ShippingPrice",), currency),
        tax=_sum(items, ("ItemTax", "ShippingTax"), currency),
        discount=_sum(items, ("PromotionDiscount", "ShippingDiscount"), currency),
        # Pending orders have no total yet: None lets the desk show the lines' sum.
        paid_total=_amount(payload["OrderTotal"], currency) if payload.get("OrderTotal") else None,
        note="\n".join(f"Gift message: {m}" for m in gifts),
        raw=payload,
    )


def claims(payload: dict[str, Any]) -> list[PlatformClaim]:
    """A cancelled order's cancellation, with the buyer's reason when they asked for it.
    Orders v0 carries no refunds (they are in the Finances API): it comes without amount."""
    if payload.get("OrderStatus") != "Canceled":
        return []
    reasons = [why for item in payload.get("OrderItems") or []
               if (why := (item.get("BuyerRequestedCancel") or {}).get("BuyerCancelReason"))]
    words = f"buyer: {reasons[0]}" if reasons else ""
    modified = payload.get("LastUpdateDate")
    return [PlatformClaim("Canceled", ClaimKind.CANCELLATION,
                          reason=reason_from_text(reasons[0] if reasons else ""),
                          at=parse_time(modified) if modified else None, note=words)]
