"""Coupang order sheet (발주서) -> Order. Pure: payload in, domain out.

One order sheet is one shipping box (shipmentBoxId, 묶음배송번호): the unit Coupang ships,
tracks and takes an invoice number for. An order (orderId, 주문번호) whose items leave from
different places has several boxes; each box is one Order here, numbered with its orderId,
so a scan of the order number finds them all and each box is packed and reported on its own.

Amounts are whole won (KRW integers); times are KST without an offset
("2017-10-10T10:20:16", sometimes "2017-10-16 22:08:04").
The claim records the client attached (see claims.py) refine the status: a box whose buyer
asked not to ship waits on hold, one whose pieces were all cancelled is cancelled, returned
pieces make it (partly) refunded.
"""

from __future__ import annotations

from typing import Any

from fulfill.channels.coupang.claims import CLAIM_KEYS, box_state, claims, sku_of, when
from fulfill.channels.money_time import KST, money, parse_time
from fulfill.domain import Address, AddressText, Money, Order, OrderLine, OrderStatus

__all__ = ["STATUSES", "claims", "map_order", "order_id_of"]

CURRENCY = "KRW"
# Coupang's order-sheet statuses (the `status` query values) and what they are here.
STATUSES = {
    "ACCEPT": OrderStatus.AWAITING_SHIPMENT,  # 결제완료: paid, not yet acknowledged
    "INSTRUCT": OrderStatus.AWAITING_SHIPMENT,  # 상품준비중: being prepared
    "DEPARTURE": OrderStatus.SHIPPED,  # 배송지시: invoice uploaded, handed to the carrier
    "DELIVERING": OrderStatus.SHIPPED,  # 배송중
    "FINAL_DELIVERY": OrderStatus.DELIVERED,  # 배송완료 (구매확정 shows as confirmDate)
    "NONE_TRACKING": OrderStatus.SHIPPED,  # 업체 직접 배송: delivered by the seller, untracked
}
_SHIPPED = (OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def order_id_of(payload: dict[str, Any]) -> str:
    return str(payload["shipmentBoxId"])


def _status(payload: dict[str, Any]) -> OrderStatus:
    try:
        status = STATUSES[payload["status"]]
    except KeyError:
        raise ValueError(f"unknown Coupang order-sheet status {payload.get('status')!r}") from None
    state = box_state(payload)
    if state.pieces and state.cancelled >= state.pieces:
        return OrderStatus.CANCELLED
    if state.stop_requested and status is OrderStatus.AWAITING_SHIPMENT:
        return OrderStatus.ON_HOLD  # 출고중지요청: do not ship until it is answered
    if state.returned and status in _SHIPPED:
        left = state.pieces - state.cancelled
        return OrderStatus.REFUNDED if state.returned >= left else OrderStatus.PARTIALLY_REFUNDED
    return status


def _lines(payload: dict[str, Any]) -> list[OrderLine]:
    """What is to ship: each item less its cancelled pieces. When nothing is left (all
    cancelled) the lines keep what was ordered, so the order still shows what it was."""
    items = payload.get("orderItems") or []
    left = [(item, int(item["shippingCount"]) - int(item.get("cancelCount") or 0))
            for item in items]
    if not any(n > 0 for _item, n in left):
        left = [(item, int(item["shippingCount"])) for item in items]
    return [OrderLine(sku=sku_of(item),
                      title=str(item.get("vendorItemName") or item.get("sellerProductName")
                                or "").strip(),
                      quantity=n, unit_price=money(item["salesPrice"], CURRENCY),
                      platform_line_id=str(item["vendorItemId"]))
            for item, n in left if n > 0]


def _address(payload: dict[str, Any]) -> Address:
    """The receiver as Coupang gives it: addr1 the road or lot address, addr2 the rest;
    the phone is Coupang's safe (virtual) number when the buyer chose one."""
    receiver = payload.get("receiver") or {}
    return Address(
        typed=AddressText(name=(receiver.get("name") or "").strip(),
                          line1=(receiver.get("addr1") or "").strip(),
                          line2=(receiver.get("addr2") or "").strip()),
        country_code="KR",
        postal_code=(receiver.get("postCode") or "").strip(),
        phone=(receiver.get("safeNumber") or receiver.get("receiverNumber") or "").strip(),
    )


def _updated_at(payload: dict[str, Any]):
    """The latest thing that happened to the box: payment, shipping, delivery, purchase
    confirmation or a claim (Coupang keeps no "last modified" on an order sheet)."""
    stamps = [payload.get("paidAt"), payload.get("inTrasitDateTime"),  # sic: Coupang's spelling
              payload.get("deliveredDate")]
    stamps += [item.get("confirmDate") for item in payload.get("orderItems") or []]
    for key in CLAIM_KEYS:
        stamps += [r.get("modifiedAt") or r.get("createdAt") for r in payload.get(key) or []]
    moments = [m for m in map(when, stamps) if m is not None]
    return max(moments) if moments else None


def map_order(payload: dict[str, Any], account_id: int) -> Order:
    items = payload.get("orderItems") or []
    shipping = money(payload.get("shippingPrice") or 0, CURRENCY) + \
        money(payload.get("remotePrice") or 0, CURRENCY)  # 도서산간 추가배송비
    discounts = [item.get("discountPrice") for item in items if item.get("discountPrice")]
    discount = sum((money(d, CURRENCY) for d in discounts), Money.zero(CURRENCY)) \
        if discounts else None
    paid = sum((money(item["orderPrice"], CURRENCY) for item in items), Money.zero(CURRENCY))
    paid = paid + shipping - (discount or Money.zero(CURRENCY))
    address = _address(payload)
    orderer = payload.get("orderer") or {}
    return Order(
        account_id=account_id,
        platform_order_id=order_id_of(payload),
        order_number=str(payload["orderId"]),
        status=_status(payload),
        ordered_at=parse_time(payload["orderedAt"], naive_zone=KST),
        updated_at=_updated_at(payload),
        currency=CURRENCY,
        ship_to=address,
        lines=_lines(payload),
        buyer_name=(orderer.get("name") or "").strip() or address.typed.name,
        buyer_email="",  # Coupang masks it ("eu*****@na"): of no use for writing to the buyer
        shipping=shipping,
        discount=discount,
        paid_total=paid,
        note=(payload.get("parcelPrintMessage") or "").strip(),  # 배송메모, printed on the label
        raw=payload,
    )
