"""Cafe24 order payload (GET /api/v2/admin/orders with embed=items,receivers,buyer,…) -> Order.
Pure: payload in, domain out.

What the payload looks like [V: Cafe24 admin docs, Orders / Orders items / Orders receivers /
Orders buyer, as mirrored in a public catalogue of the docs]: amounts are strings in the
shop's currency ("30000.00"; a global mall's English shop in USD, its Japanese one in JPY);
order times are ISO with +09:00, item times may come as KST without offset
("2017-07-10 15:55:51"). The status lives on each item (`order_status`, N00…E40); the
order's status here is worked out from its items, and each item keeps its own code in the
raw payload, which is stored beside the order. The codes and their names are the ones the
orders list documents for its order_status parameter [V]: N10 is 상품준비중 (paid, goods being
prepared), N20 배송준비중, N21 배송대기, N22 배송보류, N30 배송중, N40 배송완료, N50 구매확정.
"""

from __future__ import annotations

from typing import Any

from fulfill.channels.cafe24.claims import CANCELLED, goods, item_sku, kst_time, refunded_total
from fulfill.channels.money_time import money
from fulfill.domain import Address, AddressText, Money, Order, OrderLine, OrderStatus

_S = OrderStatus
# Every item order_status Cafe24 documents (orders list, `order_status` parameter), with
# its Korean name. A return or exchange under way keeps the goods "delivered": the RMA
# follows it; the order turns refunded only when the money went back.
STATUSES: dict[str, OrderStatus] = {
    "N00": _S.AWAITING_PAYMENT,  # 입금전
    "N02": _S.AWAITING_PAYMENT,  # 입금전 - 카드결제대기 (also listed as 주문접수중)
    "N03": _S.AWAITING_PAYMENT,  # 교환접수 - 카드결제대기
    "N01": _S.AWAITING_SHIPMENT,  # 교환접수 - 교환상품
    "N10": _S.AWAITING_SHIPMENT,  # 상품준비중
    "N20": _S.AWAITING_SHIPMENT,  # 배송준비중
    "N21": _S.AWAITING_SHIPMENT,  # 배송대기
    "N22": _S.ON_HOLD,  # 배송보류
    "N30": _S.SHIPPED,  # 배송중
    "N40": _S.DELIVERED,  # 배송완료
    "N50": _S.DELIVERED,  # 구매확정
    "C00": _S.ON_HOLD,  # 취소신청: do not ship while it is decided
    "C10": _S.ON_HOLD,  # 취소접수 - 관리자
    "C11": _S.AWAITING_SHIPMENT,  # 취소접수거부 (or the status before the request)
    "C34": _S.ON_HOLD,  # 취소처리중 - 환불전
    "C36": _S.ON_HOLD,  # 취소처리중 - 환불보류
    "C35": _S.CANCELLED,  # 취소처리중 - 환불완료
    "C40": _S.CANCELLED,  # 취소완료
    "C41": _S.CANCELLED,  # 취소 완료 - 환불전
    "C42": _S.CANCELLED,  # 취소 완료 - 환불요청중
    "C43": _S.CANCELLED,  # 취소 완료 - 환불보류
    "C47": _S.CANCELLED,  # 입금전취소 - 구매자
    "C48": _S.CANCELLED,  # 입금전취소 - 자동취소
    "C49": _S.CANCELLED,  # 입금전취소 - 관리자
    "R00": _S.DELIVERED,  # 반품신청
    "R10": _S.DELIVERED,  # 반품접수
    "R11": _S.DELIVERED,  # 반품 접수 거부
    "R12": _S.DELIVERED,  # 반품보류
    "R13": _S.DELIVERED,  # 반품접수 - 수거완료(자동)
    "R20": _S.DELIVERED,  # 반품 수거 완료
    "R30": _S.DELIVERED,  # 반품처리중 - 수거전
    "R31": _S.DELIVERED,  # 반품처리중 - 수거완료
    "R34": _S.DELIVERED,  # 반품처리중 - 환불전
    "R36": _S.DELIVERED,  # 반품처리중 - 환불보류
    "R40": _S.REFUNDED,  # 반품완료 - 환불완료
    "R41": _S.DELIVERED,  # 반품완료 - 환불전
    "R42": _S.DELIVERED,  # 반품완료 - 환불요청중
    "R43": _S.DELIVERED,  # 반품완료 - 환불보류
    "E00": _S.DELIVERED,  # 교환신청
    "E10": _S.DELIVERED,  # 교환접수
    "E11": _S.DELIVERED,  # 교환접수거부
    "E12": _S.DELIVERED,  # 교환보류
    "E13": _S.DELIVERED,  # 교환접수 - 수거완료(자동)
    "E20": _S.DELIVERED,  # 교환준비
    "E30": _S.DELIVERED,  # 교환처리중 - 수거전
    "E31": _S.DELIVERED,  # 교환처리중 - 수거완료
    "E32": _S.DELIVERED,  # 교환처리중 - 입금전
    "E33": _S.DELIVERED,  # 교환처리중 - 입금완료
    "E34": _S.DELIVERED,  # 교환처리중 - 환불전
    "E35": _S.DELIVERED,  # 교환처리중 - 환불완료
    "E36": _S.DELIVERED,  # 교환처리중 - 환불보류
    "E40": _S.DELIVERED,  # 교환완료
}
# Which item status the order shows when items differ: the one that needs the seller first.
_PRECEDENCE = (_S.AWAITING_PAYMENT, _S.ON_HOLD, _S.AWAITING_SHIPMENT, _S.SHIPPED, _S.DELIVERED)
_CLOSED = (_S.CANCELLED, _S.REFUNDED)
# Times an order carries whose latest is when it last changed (Cafe24 has no updated date).
_ORDER_TIMES = ("order_date", "payment_date", "cancel_date", "return_confirmed_date")
_ITEM_TIMES = ("shipped_date", "delivered_date", "purchaseconfirmation_date", "cancel_date",
               "cancel_request_date", "return_request_date", "return_collected_date",
               "return_confirmed_date", "refund_date", "exchange_request_date", "exchange_date")
# initial_order_amount fields that are discounts (what the buyer was charged less).
_DISCOUNTS = ("coupon_discount_price", "membership_discount_amount",
              "shipping_fee_discount_amount", "set_product_discount_amount",
              "app_discount_amount", "market_other_discount_amount")


def item_status(item: dict[str, Any]) -> OrderStatus:
    code = str(item.get("order_status") or "")
    if code == "C11":  # the cancellation was refused: the item goes on from where it was
        before = STATUSES.get(str(item.get("order_status_before_cs") or ""))
        return before if before in _PRECEDENCE and before is not _S.ON_HOLD else STATUSES[code]
    try:
        return STATUSES[code]
    except KeyError:
        raise ValueError(f"unknown Cafe24 order_status {code!r}") from None


def order_status(payload: dict[str, Any], paid: Money) -> OrderStatus:
    """The order's status from its items: the most urgent of the items still going;
    when every item is cancelled or returned, cancelled or (partly) refunded."""
    items = goods(payload)
    if not items:
        raise ValueError("the order has no items")
    statuses = [item_status(item) for item in items]
    refunded = refunded_total(payload)
    going = [s for s in statuses if s not in _CLOSED]
    if going:
        status = next(s for s in _PRECEDENCE if s in going)
        if refunded.minor and status in (_S.SHIPPED, _S.DELIVERED):
            return _S.PARTIALLY_REFUNDED
        return status
    if all(s is _S.CANCELLED for s in statuses):
        return _S.CANCELLED
    if refunded.minor and refunded.minor < paid.minor:
        return _S.PARTIALLY_REFUNDED
    return _S.REFUNDED


def _text(value: Any) -> str:
    return str(value or "").strip()


def _address(payload: dict[str, Any], email: str) -> Address:
    receivers = payload.get("receivers")
    if not receivers:
        raise KeyError("receivers (the order was not read with embed=receivers)")
    to = receivers[0]  # a multi-address order (multiple_addresses T) lists one per parcel
    country = _text(to.get("country_code")).upper()
    if not country:
        if payload.get("shipping_type") != "A":  # A: domestic (국내)
            raise ValueError("the receiver of an overseas order has no country_code")
        country = "KR"
    typed = AddressText(name=_text(to.get("name")), line1=_text(to.get("address1")),
                        line2=_text(to.get("address2")), city=_text(to.get("address_city")),
                        region=_text(to.get("address_state")))
    latin = None
    if _text(to.get("street_en")) or _text(to.get("city_en")):
        latin = AddressText(name=_text(to.get("name_en")) or typed.name,
                            line1=_text(to.get("street_en")), city=_text(to.get("city_en")),
                            region=_text(to.get("state_en")))
    return Address(typed=typed, country_code=country, postal_code=_text(to.get("zipcode")),
                   phone=_text(to.get("cellphone")) or _text(to.get("phone")), email=email,
                   latin=latin)


def _line(item: dict[str, Any], currency: str) -> OrderLine:
    title = _text(item.get("product_name"))
    option = _text(item.get("option_value"))
    if option:
        title = f"{title} ({option})"
    unit = money(item.get("product_price"), currency) + money(item.get("option_price"), currency)
    return OrderLine(sku=item_sku(item), title=title, quantity=int(item["quantity"]),
                     unit_price=unit, platform_line_id=str(item["order_item_code"]))


def _lines(items: list[dict[str, Any]], currency: str) -> list[OrderLine]:
    """The goods to pack: a cancelled item is left out while others remain (its money is
    the cancellation's); an order cancelled whole keeps them all, as its record."""
    kept = [i for i in items if i.get("order_status") not in CANCELLED] or items
    return [_line(item, currency) for item in kept]


def _updated_at(payload: dict[str, Any], items: list[dict[str, Any]]):
    times = [kst_time(payload.get(name)) for name in _ORDER_TIMES]
    times += [kst_time(item.get(name)) for item in items for name in _ITEM_TIMES]
    return max((t for t in times if t), default=None)


def map_order(payload: dict[str, Any], account_id: int) -> Order:
    currency = payload["currency"]
    # What the buyer was charged when ordering: refunds are measured against it (the
    # actual_order_amount shrinks as claims are settled).
    charged = payload.get("initial_order_amount") or payload.get("actual_order_amount") or {}
    paid = money(charged.get("payment_amount") or payload.get("payment_amount"), currency)
    discount = Money.zero(currency)
    for name in _DISCOUNTS:
        discount = discount + money(charged.get(name), currency)
    tax = money(charged.get("tax"), currency)
    buyer = payload.get("buyer") or {}
    email = _text(buyer.get("email")) or _text(payload.get("member_email"))
    address = _address(payload, email)
    items = goods(payload)
    ordered_at = kst_time(payload["order_date"])
    if ordered_at is None:
        raise ValueError("the order has no order_date")
    return Order(
        account_id=account_id,
        platform_order_id=str(payload["order_id"]),
        order_number=str(payload["order_id"]),
        status=order_status(payload, paid),
        ordered_at=ordered_at,
        updated_at=_updated_at(payload, items),
        currency=currency,
        ship_to=address,
        lines=_lines(items, currency),
        buyer_name=(_text(buyer.get("name")) or _text(payload.get("billing_name"))
                    or address.typed.name),
        buyer_email=email,
        shipping=money(charged.get("shipping_fee"), currency),
        tax=tax if tax.minor else None,
        discount=discount if discount.minor else None,
        paid_total=paid,
        note=_text((payload.get("receivers") or [{}])[0].get("shipping_message")),
        raw=payload,
    )
