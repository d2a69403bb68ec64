"""Naver Commerce API product orders -> one fulfill Order per Naver order. Pure.

Naver's unit of work is the product order (상품주문, productOrderId): each has its own
status, claim, delivery and amounts, while payment happens per order (주문, orderId). A
fulfill Order is one Naver order: the client groups the product-orders/query items of one
orderId into the payload {"order": <the shared order object>, "productOrders": [<each item
without its copy of "order">, sorted by productOrderId]}, which is also what `raw` keeps.
Each product order is one line whose platform_line_id is its productOrderId (dispatch and
claims name product orders).

Lines are the product orders still to be delivered or delivered: one Naver cancelled
(CANCELED, CANCELED_BY_NOPAYMENT) is left out so nobody packs it, unless every product order
was cancelled (then all stay, to show what was ordered). The paid total counts them all: it
is what the buyer paid at checkout, and the refunds of the cancelled ones are recorded
against it (see claims.py).

Status of each product order (productOrderStatus):
  PAYMENT_WAITING -> awaiting payment; PAYED -> awaiting shipment (placeOrderStatus NOT_YET
  is 신규주문, OK is 발주확인; both still to ship, the raw keeps which), on hold while a cancel
  is requested (claimStatus CANCEL_REQUEST, CANCELING, ADMIN_CANCELING); DELIVERING ->
  shipped; DELIVERED, PURCHASE_DECIDED (구매확정), EXCHANGED (교환 완료) -> delivered;
  CANCELED, CANCELED_BY_NOPAYMENT -> cancelled; RETURNED -> refunded.
and of the order, from its product orders: cancelled when all are; otherwise the earliest
work still to do among the rest (awaiting payment, on hold, awaiting shipment); once all have
left, refunded when all came back, partially refunded when some came back or were cancelled,
else shipped while any is on its way, else delivered.

Amounts are integer KRW. The paid total is the sum of the product orders' totalPaymentAmount
(after product discounts) plus the delivery fees (deliveryFeeAmount less
deliveryDiscountAmount); the order-level orderDiscountAmount is not subtracted again
(assumed to be within the product orders' amounts — unverified). Timestamps are ISO with
+09:00; one without offset is read as KST.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fulfill.channels.money_time import KST, money, parse_time
from fulfill.domain import Address, AddressText, Money, Order, OrderLine, OrderStatus

CURRENCY = "KRW"

STATUSES = {
    "PAYMENT_WAITING": OrderStatus.AWAITING_PAYMENT,
    "PAYED": OrderStatus.AWAITING_SHIPMENT,
    "DELIVERING": OrderStatus.SHIPPED,
    "DELIVERED": OrderStatus.DELIVERED,
    "PURCHASE_DECIDED": OrderStatus.DELIVERED,
    "EXCHANGED": OrderStatus.DELIVERED,
    "CANCELED": OrderStatus.CANCELLED,
    "RETURNED": OrderStatus.REFUNDED,
    "CANCELED_BY_NOPAYMENT": OrderStatus.CANCELLED,
}
CANCELLED = frozenset({"CANCELED", "CANCELED_BY_NOPAYMENT"})
# A cancel asked for and not yet decided: the parcel must not leave meanwhile.
CANCEL_PENDING = frozenset({"CANCEL_REQUEST", "CANCELING", "ADMIN_CANCELING"})
_STILL_TO_DO = (OrderStatus.AWAITING_PAYMENT, OrderStatus.ON_HOLD,
                OrderStatus.AWAITING_SHIPMENT)
# Date fields whose latest value is when Naver last changed a product order (the detail
# has no lastChangedDate of its own; the listing's is not kept, so a re-read is identical).
_PRODUCT_ORDER_DATES = ("paymentDate", "placeOrderDate", "decisionDate")
_DELIVERY_DATES = ("sendDate", "pickupDate", "deliveredDate")
_CLAIM_DATES = ("claimRequestDate", "cancelApprovalDate", "cancelCompletedDate",
                "collectCompletedDate", "returnCompletedDate", "reDeliveryOperationDate",
                "claimCompleteOperationDate")


def kst_time(text: str) -> datetime:
    return parse_time(text, naive_zone=KST)


def group(order_id: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """The payload of one Naver order from its product-orders/query items."""
    if not items:
        raise ValueError(f"order {order_id} has no product orders")
    ordered = sorted(items, key=lambda item: str(item["productOrder"]["productOrderId"]))
    return {"order": ordered[0]["order"],
            "productOrders": [{k: v for k, v in item.items() if k != "order"}
                              for item in ordered]}


def order_id_of(payload: dict[str, Any]) -> str:
    return str(payload["order"]["orderId"])


def line_status(product_order: dict[str, Any]) -> OrderStatus:
    status = product_order["productOrderStatus"]
    try:
        mapped = STATUSES[status]
    except KeyError:
        raise ValueError(f"unknown Naver productOrderStatus {status!r}") from None
    if mapped is OrderStatus.AWAITING_SHIPMENT and \
            product_order.get("claimStatus") in CANCEL_PENDING:
        return OrderStatus.ON_HOLD
    return mapped


def order_status(statuses: list[OrderStatus]) -> OrderStatus:
    """The order's status from its product orders' (see the module docstring)."""
    live = [s for s in statuses if s is not OrderStatus.CANCELLED]
    if not live:
        return OrderStatus.CANCELLED
    for waiting in _STILL_TO_DO:
        if waiting in live:
            return waiting
    if all(s is OrderStatus.REFUNDED for s in live):
        return OrderStatus.REFUNDED
    if OrderStatus.REFUNDED in live or len(live) < len(statuses):
        return OrderStatus.PARTIALLY_REFUNDED
    return OrderStatus.SHIPPED if OrderStatus.SHIPPED in live else OrderStatus.DELIVERED


def won(amount: Any) -> Money:
    """A Naver amount (a JSON integer) in KRW; a fraction or float is refused."""
    return money(amount, CURRENCY)


def delivery_fee(product_order: dict[str, Any]) -> Money:
    fee = won(product_order.get("deliveryFeeAmount")).minor
    off = won(product_order.get("deliveryDiscountAmount")).minor
    return Money(max(0, fee - off), CURRENCY)


def sku(product_order: dict[str, Any]) -> str:
    """The seller's own code: the option's, else the product's, else Naver's ids."""
    own = product_order.get("optionManageCode") or product_order.get("sellerProductCode")
    if own:
        return str(own)
    option = product_order.get("optionCode")
    return f"naver-{product_order['productId']}" + (f"-{option}" if option else "")


def _line(product_order: dict[str, Any]) -> OrderLine:
    title = product_order["productName"]
    if product_order.get("productOption"):
        title = f"{title} ({product_order['productOption']})"
    unit = won(product_order.get("unitPrice")) + won(product_order.get("optionPrice"))
    return OrderLine(sku=sku(product_order), title=title,
                     quantity=int(product_order["quantity"]), unit_price=unit,
                     platform_line_id=str(product_order["productOrderId"]))


def _address(product_orders: list[dict[str, Any]], orderer: str) -> Address:
    ship = next((po["shippingAddress"] for po in product_orders if po.get("shippingAddress")),
                {})
    country = str(ship.get("country") or "").strip().upper()
    return Address(
        typed=AddressText(name=(ship.get("name") or orderer or "").strip(),
                          line1=(ship.get("baseAddress") or "").strip(),
                          line2=(ship.get("detailedAddress") or "").strip()),
        country_code=country if len(country) == 2 and country.isalpha() else "KR",
        postal_code=str(ship.get("zipCode") or ""),
        phone=ship.get("tel1") or ship.get("tel2") or "",  # often a 050x safe number
    )


def _dates(item: dict[str, Any]) -> list[str]:
    po, delivery = item["productOrder"], item.get("delivery") or {}
    found = [po.get(k) for k in _PRODUCT_ORDER_DATES] + [delivery.get(k) for k in _DELIVERY_DATES]
    claims = [item.get(k) for k in ("cancel", "return", "exchange")]
    claims += list((item.get("currentClaim") or {}).values()) + list(item.get("completedClaims")
                                                                      or [])
    for claim in claims:
        if isinstance(claim, dict):
            found += [claim.get(k) for k in _CLAIM_DATES]
    return [d for d in found if isinstance(d, str) and d]


def map_order(payload: dict[str, Any], account_id: int) -> Order:
    order = payload["order"]
    items = payload["productOrders"]
    product_orders = [item["productOrder"] for item in items]
    if not product_orders:
        raise ValueError(f"Naver order {order.get('orderId')} has no product orders")
    statuses = [line_status(po) for po in product_orders]
    shown = [po for po in product_orders if po["productOrderStatus"] not in CANCELLED]
    lines = [_line(po) for po in (shown or product_orders)]
    shipping = sum((delivery_fee(po) for po in product_orders), Money.zero(CURRENCY))
    paid = sum((won(po.get("totalPaymentAmount")) for po in product_orders), shipping)
    discount = sum((won(po.get("productDiscountAmount")) for po in product_orders),
                   Money.zero(CURRENCY))
    ordered_at = kst_time(order.get("orderDate") or order["paymentDate"])
    changes = [kst_time(text) for item in items for text in _dates(item)]
    return Order(
        account_id=account_id,
        platform_order_id=str(order["orderId"]),
        order_number=str(order["orderId"]),
        status=order_status(statuses),
        ordered_at=ordered_at,
        updated_at=max(changes, default=None),
        currency=CURRENCY,
        ship_to=_address(product_orders, order.get("ordererName") or ""),
        lines=lines,
        buyer_name=order.get("ordererName") or "",
        buyer_email="",  # Naver never passes the buyer's email on
        shipping=shipping,
        discount=discount if discount.minor else None,
        paid_total=paid,
        note=next((po["shippingMemo"] for po in product_orders if po.get("shippingMemo")), ""),
        raw=payload,
    )
