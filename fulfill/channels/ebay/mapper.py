"""eBay Sell Fulfillment v1 `Order` payload -> Order, and the refunds and cancellation it
reports. Pure: payload in, domain out.

Return requests live in eBay's separate Post-Order API, which the connector does not read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fulfill.channels.money_time import money, parse_time, unit_price
from fulfill.domain import Address, AddressText, Money, Order, OrderLine, OrderStatus
from fulfill.domain.returns import ClaimKind, PlatformClaim, reason_from_text

# eBay reports three independent states; together they give one OrderStatus.
# CancelStateEnum: a finished cancellation wins over everything else.
CANCEL_STATES = {
    "NONE_REQUESTED": None,
    "IN_PROGRESS": OrderStatus.ON_HOLD,  # the buyer asked to cancel: do not ship yet
    "CANCELED": OrderStatus.CANCELLED,
}
# OrderPaymentStatusEnum; None means "paid: the fulfillment status decides".
PAYMENT_STATES = {
    "PENDING": OrderStatus.AWAITING_PAYMENT,
    "FAILED": OrderStatus.AWAITING_PAYMENT,  # not paid; eBay asks the buyer again or cancels
    "PAID": None,
    "PARTIALLY_REFUNDED": OrderStatus.PARTIALLY_REFUNDED,
    "FULLY_REFUNDED": OrderStatus.REFUNDED,
}
# OrderFulfillmentStatus: IN_PROGRESS = some line items shipped, others still to pack.
FULFILLMENT_STATES = {
    "NOT_STARTED": OrderStatus.AWAITING_SHIPMENT,
    "IN_PROGRESS": OrderStatus.AWAITING_SHIPMENT,
    "FULFILLED": OrderStatus.SHIPPED,
}


def _lookup(table: dict[str, Any], value: Any, what: str) -> Any:
    try:
        return table[value]
    except KeyError:
        raise ValueError(f"unknown eBay {what} {value!r}") from None


def status_of(payload: dict[str, Any]) -> OrderStatus:
    cancel = _lookup(CANCEL_STATES, (payload.get("cancelStatus") or {}).get("cancelState",
                                                                          "NONE_REQUESTED"),
                     "cancelState")
    payment = _lookup(PAYMENT_STATES, payload["orderPaymentStatus"], "orderPaymentStatus")
    fulfilment = _lookup(FULFILLMENT_STATES, payload["orderFulfillmentStatus"],
                         "orderFulfillmentStatus")
    for final in (OrderStatus.CANCELLED, OrderStatus.REFUNDED):  # nothing left to ship
        if final in (cancel, payment):
            return final
    return cancel or payment or fulfilment


def _amount(container: dict[str, Any] | None, currency: str) -> Money:
    """An eBay Amount {value: "41.8", currency}; absent means zero."""
    if not container:
        return Money.zero(currency)
    if container.get("currency", currency) != currency:
        raise ValueError(f"amount in {container['currency']}, the order in {currency}")
    return money(container.get("value"), currency)


def _ship_to(payload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(shipTo contact, its contactAddress). Orders past eBay's 90-day PII limit lack parts."""
    instructions = payload.get("fulfillmentStartInstructions") or [{}]
    contact = (instructions[0].get("shippingStep") or {}).get("shipTo") or {}
    return contact, contact.get("contactAddress") or {}


def _address(payload: dict[str, Any]) -> Address:
    contact, where = _ship_to(payload)
    tax_address = (payload.get("buyer") or {}).get("taxAddress") or {}
    country = where.get("countryCode") or tax_address.get("countryCode") or ""
    return Address(
        typed=AddressText(name=contact.get("fullName", ""), line1=where.get("addressLine1", ""),
                          line2=where.get("addressLine2", ""), city=where.get("city", ""),
                          region=where.get("stateOrProvince", ""),
                          company=contact.get("companyName", "")),
        country_code=country.upper(),
        postal_code=where.get("postalCode", ""),
        phone=(contact.get("primaryPhone") or {}).get("phoneNumber", ""),
        email=contact.get("email", ""),
    )


def _sku(item: dict[str, Any]) -> str:
    return item.get("sku") or f"ebay-item-{item.get('legacyItemId', item['lineItemId'])}"


def _line(item: dict[str, Any], currency: str) -> OrderLine:
    quantity = int(item["quantity"])
    cost = item["lineItemCost"]  # unit price x quantity, before discounts
    if cost.get("currency", currency) != currency:
        raise ValueError(f"line {item.get('lineItemId')} in {cost['currency']}, "
                         f"the order in {currency}")
    return OrderLine(sku=_sku(item), title=item["title"], quantity=quantity,
                     unit_price=unit_price(cost["value"], quantity, currency),
                     platform_line_id=str(item["lineItemId"]))


def _discount(pricing: dict[str, Any], currency: str) -> Money:
    """eBay sends discounts as negative amounts; the domain keeps them positive."""
    total = Decimal(0)
    for key in ("priceDiscount", "deliveryDiscount"):
        value = (pricing.get(key) or {}).get("value")
        if value:
            total += abs(Decimal(value))
    return money(total, currency)


def map_order(payload: dict[str, Any], account_id: int) -> Order:
    pricing = payload["pricingSummary"]
    currency = pricing["total"]["currency"]
    address = _address(payload)
    modified = payload.get("lastModifiedDate")
    return Order(
        account_id=account_id,
        platform_order_id=payload["orderId"],
        order_number=payload["orderId"],  # what Seller Hub shows as "Order number"
        status=status_of(payload),
        ordered_at=parse_time(payload["creationDate"]),
        updated_at=parse_time(modified) if modified else None,
        currency=currency,
        ship_to=address,
        lines=[_line(item, currency) for item in payload["lineItems"]],
        buyer_name=address.typed.name or (payload.get("buyer") or {}).get("username", ""),
        buyer_email=address.email,
        shipping=_amount(pricing.get("deliveryCost"), currency),
        tax=_amount(pricing.get("tax"), currency),
        discount=_discount(pricing, currency),
        paid_total=_amount(pricing["total"], currency),
        note=payload.get("buyerCheckoutNotes", ""),
        raw=payload,
    )


def refunded_total(payload: dict[str, Any]) -> Money:
    """What eBay has refunded so far (paymentSummary.refunds)."""
    currency = payload["pricingSummary"]["total"]["currency"]
    refunds = (payload.get("paymentSummary") or {}).get("refunds") or []
    return money(sum((Decimal(r["amount"]["value"]) for r in refunds
                      if r.get("refundStatus") != "FAILED"), Decimal(0)), currency)


def _refunded_lines(payload: dict[str, Any], refund: dict[str, Any],
                    currency: str) -> tuple[tuple[str, int], ...]:
    """The line items a refund was issued on (issueRefund at line level lists it under the
    line too): pieces as many as its amount pays for, at least one."""
    keys = {refund.get("refundId"), refund.get("refundReferenceId")} - {None, ""}
    lines = []
    for item in payload.get("lineItems") or []:
        for part in item.get("refunds") or []:
            if not keys & {part.get("refundId"), part.get("refundReferenceId")}:
                continue
            quantity = int(item["quantity"])
            unit = unit_price(item["lineItemCost"]["value"], quantity, currency).minor
            paid = _amount(part.get("amount"), currency).minor
            pieces = min(quantity, paid // unit) if unit else quantity
            lines.append((_sku(item), max(1, pieces)))
    return tuple(lines)


def claims(payload: dict[str, Any]) -> list[PlatformClaim]:
    """Refunds of paymentSummary.refunds (a failed one gave nothing back) and the order's
    cancellation. eBay names a refund by refundId, or refundReferenceId once issued."""
    currency = payload["pricingSummary"]["total"]["currency"]
    found = []
    for refund in (payload.get("paymentSummary") or {}).get("refunds") or []:
        if refund.get("refundStatus") == "FAILED":
            continue
        amount = _amount(refund.get("amount"), currency)
        ref = refund.get("refundId") or refund.get("refundReferenceId")
        when = refund.get("refundDate")
        if amount.minor and (ref or when):
            found.append(PlatformClaim(
                str(ref or f"refund@{when}"), ClaimKind.REFUND, amount,
                lines=_refunded_lines(payload, refund, currency),
                at=parse_time(when) if when else None))
    cancel = payload.get("cancelStatus") or {}
    if cancel.get("cancelState") == "CANCELED":
        requests = cancel.get("cancelRequests") or []  # getOrder fills them; getOrders not
        request = requests[-1] if requests else {}
        words = ": ".join(w for w in (request.get("cancelInitiator"),
                                      request.get("cancelReason")) if w)
        when = cancel.get("cancelledDate")
        found.append(PlatformClaim(str(request.get("cancelRequestId") or "cancelled"),
                                   ClaimKind.CANCELLATION,
                                   reason=reason_from_text(request.get("cancelReason")),
                                   at=parse_time(when) if when else None, note=words))
    return found
