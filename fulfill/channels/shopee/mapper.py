"""Shopee v2 get_order_detail payload (+ its v2.returns records) -> Order, and the refunds,
return requests and cancellation they report. Pure: payload in, domain out.

Shopee sends amounts as JSON numbers: the client parses replies with parse_float=Decimal, so
amounts arrive here as int or Decimal (a float is refused by money()).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from fulfill.channels.money_time import from_epoch, money
from fulfill.domain import Address, AddressText, Money, Order, OrderLine, OrderStatus
from fulfill.domain.returns import ClaimKind, PlatformClaim, ReturnReason, reason_from_text

STATUSES = {
    "UNPAID": OrderStatus.AWAITING_PAYMENT,
    "READY_TO_SHIP": OrderStatus.AWAITING_SHIPMENT,
    "RETRY_SHIP": OrderStatus.AWAITING_SHIPMENT,  # a failed pickup, to be arranged again
    "PROCESSED": OrderStatus.AWAITING_SHIPMENT,  # shipment arranged, parcel not handed over
    "SHIPPED": OrderStatus.SHIPPED,
    "TO_CONFIRM_RECEIVE": OrderStatus.DELIVERED,  # delivered, buyer yet to confirm
    "COMPLETED": OrderStatus.DELIVERED,
    "IN_CANCEL": OrderStatus.ON_HOLD,  # buyer asked to cancel: do not ship until decided
    "INVOICE_PENDING": OrderStatus.ON_HOLD,  # (Brazil) the seller's invoice is needed first
    "CANCELLED": OrderStatus.CANCELLED,
    "TO_RETURN": OrderStatus.REFUNDED,  # return/refund requested or under way
}
# Statuses an order can be in while part of its money went back to the buyer.
_PARTLY_REFUNDABLE = (OrderStatus.AWAITING_SHIPMENT, OrderStatus.ON_HOLD, OrderStatus.SHIPPED,
                      OrderStatus.DELIVERED, OrderStatus.REFUNDED)
REFUND_PAID = "REFUND_PAID"  # v2.returns status once the buyer has the money back
# v2.returns statuses of a return still being decided: the goods may come back.
RETURN_PENDING = frozenset({"REQUESTED", "ACCEPTED", "PROCESSING", "JUDGING", "SELLER_DISPUTE"})
# v2.returns reason codes; others are read as words ("ITEM_MISSING" -> wrong item).
RETURN_REASONS = {
    "NOT_RECEIPT": ReturnReason.NEVER_ARRIVED, "WRONG_ITEM": ReturnReason.WRONG_ITEM,
    "ITEM_DAMAGED": ReturnReason.DAMAGED, "DAMAGED": ReturnReason.DAMAGED,
    "PHYSICAL_DMG": ReturnReason.DAMAGED, "FUNCTIONAL_DMG": ReturnReason.DAMAGED,
    "DIFFERENT_DESCRIPTION": ReturnReason.NOT_AS_DESCRIBED,
    "ITEM_FAKE": ReturnReason.NOT_AS_DESCRIBED, "EXPECTATION_FAILED": ReturnReason.NOT_AS_DESCRIBED,
    "CHANGE_MIND": ReturnReason.CHANGED_MIND, "MUTUAL_AGREE": ReturnReason.CHANGED_MIND,
}


def refunded_total(returns: Iterable[dict[str, Any]], currency: str) -> Money:
    """What the v2.returns records of an order paid back to the buyer."""
    paid = [money(r.get("refund_amount"), currency)
            for r in returns if r.get("status") == REFUND_PAID]
    return sum(paid[1:], paid[0]) if paid else Money.zero(currency)


def _status(payload: dict[str, Any], returns: list[dict[str, Any]], total: Money) -> OrderStatus:
    try:
        status = STATUSES[payload["order_status"]]
    except KeyError:
        raise ValueError(f"unknown Shopee order_status {payload.get('order_status')!r}") from None
    refunded = refunded_total(returns, total.currency)
    if refunded.minor and refunded.minor >= total.minor:
        return OrderStatus.REFUNDED
    if refunded.minor and status in _PARTLY_REFUNDABLE:
        return OrderStatus.PARTIALLY_REFUNDED
    return status


def _address(payload: dict[str, Any]) -> Address:
    """The recipient as typed. `full_address` is the whole text the buyer entered; city and
    state are added only when it does not already contain them (no doubled lines on a label)."""
    ship = payload.get("recipient_address") or {}
    full = (ship.get("full_address") or "").strip()
    city, state = (ship.get("city") or "").strip(), (ship.get("state") or "").strip()
    return Address(
        typed=AddressText(name=(ship.get("name") or "").strip(), line1=full,
                          city="" if city in full else city,
                          region="" if state in full else state),
        country_code=(ship.get("region") or payload.get("region") or "").upper(),
        postal_code=ship.get("zipcode") or "",
        phone=ship.get("phone") or "",  # Shopee masks it ("******10") outside its own logistics
    )


def _sku(item: dict[str, Any]) -> str:
    return (item.get("model_sku") or item.get("item_sku")
            or f"shopee-{item['item_id']}-{item.get('model_id', 0)}")


def _line(item: dict[str, Any], currency: str) -> OrderLine:
    # model_discounted_price is the unit price the buyer paid; 0 means "no discount" on some sites
    price = item.get("model_discounted_price") or item.get("model_original_price")
    title = item["item_name"]
    if item.get("model_name"):
        title = f"{title} ({item['model_name']})"
    return OrderLine(
        sku=_sku(item),
        title=title,
        quantity=int(item["model_quantity_purchased"]),
        unit_price=money(price, currency),
        platform_line_id=f"{item['item_id']}:{item.get('model_id', 0)}",
    )


def map_order(payload: dict[str, Any], account_id: int,
              returns: Iterable[dict[str, Any]] = ()) -> Order:
    """`returns` are the order's v2.returns records, when the client fetched any: they are
    how a partial refund shows (the order itself stays COMPLETED)."""
    currency = payload["currency"]
    returns = list(returns)
    total = money(payload["total_amount"], currency)
    address = _address(payload)
    return Order(
        account_id=account_id,
        platform_order_id=payload["order_sn"],
        order_number=payload["order_sn"],
        status=_status(payload, returns, total),
        ordered_at=from_epoch(payload["create_time"]),
        updated_at=from_epoch(payload["update_time"]) if payload.get("update_time") else None,
        currency=currency,
        ship_to=address,
        lines=[_line(item, currency) for item in payload.get("item_list") or []],
        buyer_name=address.typed.name or payload.get("buyer_username", ""),
        buyer_email="",  # Shopee never passes the buyer's email on
        # The estimate Shopee shows at checkout; what the buyer really paid for shipping is
        # only in the escrow (payment) API.
        shipping=money(payload.get("estimated_shipping_fee"), currency),
        paid_total=total,
        note=payload.get("message_to_seller") or "",
        raw={**payload, "returns": returns} if returns else payload,
    )



def _time(record: dict[str, Any], name: str) -> datetime | None:
    return from_epoch(record[name]) if record.get(name) else None


def _returned_lines(record: dict[str, Any]) -> tuple[tuple[str, int], ...]:
    """A return's items, SKUs as map_order names them (the return calls the model's SKU
    variation_sku, and the pieces `amount`)."""
    return tuple((_sku({**item, "model_sku": item.get("variation_sku") or item.get("model_sku")}),
                  int(item.get("amount") or 1)) for item in record.get("item") or [])


def claims(payload: dict[str, Any],
           returns: Iterable[dict[str, Any]] | None = None) -> list[PlatformClaim]:
    """The order's returns (`returns`, else those map_order kept in the payload): a paid one
    is a refund, one still being decided a return request, both under the return_sn; and its
    cancellation, with who cancelled and why."""
    currency = payload["currency"]
    found = []
    for record in payload.get("returns", ()) if returns is None else returns:
        status, ref = record.get("status"), str(record.get("return_sn") or "")
        if not ref or (status != REFUND_PAID and status not in RETURN_PENDING):
            continue  # cancelled or closed without money: nothing to record
        code, words = record.get("reason") or "", record.get("text_reason") or ""
        reason = RETURN_REASONS.get(code) or reason_from_text(f"{code} {words}")
        lines = _returned_lines(record)
        if status == REFUND_PAID:
            amount = money(record.get("refund_amount"), currency)
            if amount.minor:
                found.append(PlatformClaim(ref, ClaimKind.REFUND, amount, lines, reason,
                                           _time(record, "update_time"), words))
        else:
            found.append(PlatformClaim(ref, ClaimKind.RETURN_REQUEST, None, lines, reason,
                                       _time(record, "create_time"), words))
    if payload.get("order_status") == "CANCELLED":
        why = payload.get("buyer_cancel_reason") or payload.get("cancel_reason") or ""
        words = ": ".join(w for w in (payload.get("cancel_by"), why) if w)
        found.append(PlatformClaim("cancelled", ClaimKind.CANCELLATION,
                                   reason=reason_from_text(why),
                                   at=_time(payload, "update_time"), note=words))
    return found
