"""Demo orders as Naver Commerce API product-orders/query items, and the claims a buyer
makes on them, for the Naver sandbox (fulfill.sandboxes.naver).

One demo Order becomes one Naver order (orderId) with one product order per line. Shapes
follow the product order structure (상품 주문 정보 구조체) of the API docs: "order",
"productOrder", "delivery", and "cancel" / "return" / "exchange" claim records. Amounts are
integers in KRW, timestamps ISO with milliseconds and +09:00.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from zoneinfo import ZoneInfo

from fulfill.domain import Money, Order, OrderStatus

KST = ZoneInfo("Asia/Seoul")


def kst(moment: datetime) -> str:
    """2026-11-20T18:00:00.000+09:00, as Naver writes every timestamp."""
    local = moment.astimezone(KST)
    return f"{local:%Y-%m-%dT%H:%M:%S}.{local.microsecond // 1000:03d}+09:00"

_S = OrderStatus
# How each demo status looks on Naver: (productOrderStatus, lastChangedType).
_LOOKS = {
    _S.AWAITING_PAYMENT: ("PAYMENT_WAITING", "PAY_WAITING"),
    _S.AWAITING_SHIPMENT: ("PAYED", "PAYED"),
    _S.ON_HOLD: ("PAYED", "CLAIM_REQUESTED"),  # the buyer asked to cancel
    _S.SHIPPED: ("DELIVERING", "DISPATCHED"),
    _S.DELIVERED: ("PURCHASE_DECIDED", "PURCHASE_DECIDED"),
    _S.CANCELLED: ("CANCELED", "CLAIM_COMPLETED"),
    _S.REFUNDED: ("RETURNED", "CLAIM_COMPLETED"),
    _S.PARTIALLY_REFUNDED: ("PURCHASE_DECIDED", "PURCHASE_DECIDED"),
}
SHIPPED = frozenset({"DELIVERING", "DELIVERED", "PURCHASE_DECIDED", "RETURNED", "EXCHANGED"})
# The record of each claim type, and the words its reasons go under.
RECORD = {"CANCEL": "cancel", "RETURN": "return", "EXCHANGE": "exchange"}


def _digits(text: str, n: int) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest(), 16) % 10**n


def _phone(order: Order) -> str:
    digits = "".join(ch for ch in order.ship_to.phone if ch.isdigit())
    local = "0" + digits[2:] if digits.startswith("82") else digits
    return f"{local[:3]}-{local[3:-4]}-{local[-4:]}" if len(local) >= 9 else local


def _address(order: Order) -> dict[str, Any]:
    typed = order.ship_to.typed
    base = " ".join(p for p in (typed.region, typed.city, typed.line1) if p)
    return {"addressType": "DOMESTIC", "name": typed.name, "baseAddress": base,
            "detailedAddress": typed.line2, "zipCode": order.ship_to.postal_code,
            "tel1": _phone(order), "tel2": "", "isRoadNameAddress": True}


def render(order: Order, product_order_ids: list[str], claim_id: Callable[[], str],
           confirmed: bool = True) -> tuple[list[dict[str, Any]], datetime, str]:
    """The order's product-orders/query items, when they last changed and how. An order
    still to ship is 발주확인 (placeOrderStatus OK) when `confirmed`, else new (NOT_YET)."""
    status, changed_type = _LOOKS[order.status]
    ordered = order.ordered_at
    changed = order.updated_at or ordered
    paid = None if order.status is _S.AWAITING_PAYMENT else ordered + timedelta(minutes=2)
    shipping = order.shipping or Money.zero("KRW")
    discount = order.discount or Money.zero("KRW")
    head = {
        "orderId": order.platform_order_id, "orderDate": kst(ordered),
        "ordererId": f"navr{_digits(order.buyer_name, 6):06d}", "ordererNo": "",
        "ordererName": order.buyer_name, "ordererTel": _phone(order),
        "paymentDate": kst(paid) if paid else None,
        "paymentDueDate": kst(ordered + timedelta(days=2)), "paymentMeans": "신용카드",
        "payLocationType": "MOBILE", "generalPaymentAmount": order.grand_total.minor,
        "naverMileagePaymentAmount": 0, "chargeAmountPaymentAmount": 0,
        "checkoutAccumulationPaymentAmount": 0, "payLaterPaymentAmount": 0,
        "orderDiscountAmount": 0, "isDeliveryMemoParticularInput": "false",
        "isMembershipSubscribed": False,
    }
    items = []
    for n, (line, product_order_id) in enumerate(zip(order.lines, product_order_ids,
                                                      strict=True)):
        amount = line.unit_price.minor * line.quantity
        off = discount.minor if n == 0 else 0
        fee = shipping.minor if n == 0 else 0
        line_status = status
        if order.status is _S.PARTIALLY_REFUNDED and n == 0 and len(order.lines) > 1:
            line_status = "RETURNED"
        product_order = {
            "productOrderId": product_order_id, "productOrderStatus": line_status,
            "placeOrderStatus": "OK" if paid and confirmed else "NOT_YET",
            "placeOrderDate": kst(paid + timedelta(hours=1)) if paid and confirmed else None,
            "claimType": None, "claimStatus": None, "claimId": None,
            "productId": str(8_000_000_000 + _digits(line.sku, 9)),
            "originalProductId": str(7_000_000_000 + _digits(line.sku, 9)),
            "productName": line.title, "productOption": None, "optionCode": None,
            "optionPrice": 0, "sellerProductCode": line.sku, "optionManageCode": None,
            "quantity": line.quantity, "initialQuantity": line.quantity,
            "remainQuantity": line.quantity, "unitPrice": line.unit_price.minor,
            "totalProductAmount": amount, "productDiscountAmount": off,
            "totalPaymentAmount": amount - off, "initialPaymentAmount": amount - off,
            "remainPaymentAmount": amount - off, "deliveryFeeAmount": fee,
            "deliveryDiscountAmount": 0, "sectionDeliveryFee": 0,
            "deliveryPolicyType": "유료" if fee else "조건부 무료", "shippingFeeType": "선결제",
            "shippingMemo": order.note or None, "shippingAddress": _address(order),
            "shippingDueDate": kst(ordered + timedelta(days=3)),
            "expectedDeliveryMethod": "DELIVERY", "expectedDeliveryCompany": None,
            "packageNumber": f"{ordered:%Y%m%d}{_digits(order.platform_order_id, 8):08d}",
            "mallId": "ncp_1sandbox", "taxType": "TAX", "inflowPath": "네이버쇼핑",
            "expectedSettlementAmount": (amount - off) * 95 // 100,
            "paymentCommission": (amount - off) * 3 // 100,
            "saleCommission": (amount - off) * 2 // 100,
            "individualCustomUniqueCode": None, "decisionDate": None,
        }
        item: dict[str, Any] = {"order": head, "productOrder": product_order}
        if line_status in SHIPPED:
            sent = paid + timedelta(hours=20) if paid else ordered
            item["delivery"] = {
                "deliveryMethod": "DELIVERY", "deliveryCompany": "CJGLS",
                "trackingNumber": f"6{_digits(product_order_id, 11):011d}",
                "deliveryStatus": "DELIVERING" if line_status == "DELIVERING"
                else "DELIVERY_COMPLETION", "sendDate": kst(sent), "pickupDate": kst(sent),
                "deliveredDate": None if line_status == "DELIVERING"
                else kst(sent + timedelta(days=2)), "isWrongTrackingNumber": False}
            if line_status == "PURCHASE_DECIDED":
                product_order["decisionDate"] = kst(changed)
        if order.status is _S.ON_HOLD:
            open_claim(item, "CANCEL", claim_id(), "INTENT_CHANGED", "단순 변심으로 취소합니다",
                       changed)
        elif order.status is _S.CANCELLED:
            open_claim(item, "CANCEL", claim_id(), "INTENT_CHANGED", "다른 상품으로 다시 주문",
                       ordered + timedelta(minutes=20))
            move_claim(item, "CANCEL_DONE", changed)
        elif line_status == "RETURNED":
            open_claim(item, "RETURN", claim_id(), "BROKEN", "용기가 깨져서 왔어요",
                       changed - timedelta(days=3))
            move_claim(item, "RETURN_DONE", changed)
        items.append(item)
    return items, changed, changed_type


def open_claim(item: dict[str, Any], kind: str, claim_id: str, reason: str, detail: str,
               at: datetime, quantity: int | None = None) -> None:
    """The buyer asks to cancel, return or exchange the product order (kind CANCEL, RETURN,
    EXCHANGE): a new claim record in its requested status."""
    product_order = item["productOrder"]
    word = RECORD[kind]
    record: dict[str, Any] = {
        "claimId": claim_id, "claimStatus": f"{kind}_REQUEST", "claimRequestDate": kst(at),
        "requestChannel": "구매자", f"{word}Reason": reason, f"{word}DetailedReason": detail,
        "requestQuantity": quantity or product_order["quantity"]}
    if kind != "CANCEL":
        record.update(collectStatus="NOT_REQUESTED", collectDeliveryMethod="RETURN_DESIGNATED",
                      claimDeliveryFeeDemandAmount=3000 if reason in ("INTENT_CHANGED",
                                                                      "COLOR_AND_SIZE") else 0)
    item[word] = record
    product_order.update(claimType=kind, claimStatus=record["claimStatus"], claimId=claim_id)


def move_claim(item: dict[str, Any], status: str, at: datetime) -> str:
    """The product order's current claim takes `status`; returns its lastChangedType."""
    product_order = item["productOrder"]
    record = item[RECORD[product_order["claimType"]]]
    record["claimStatus"] = status
    product_order["claimStatus"] = status
    stamp = kst(at)
    if status == "CANCEL_DONE":
        record.update(cancelApprovalDate=stamp, cancelCompletedDate=stamp)
        product_order["productOrderStatus"] = "CANCELED"
    elif status == "COLLECT_DONE":
        record.update(collectStatus="COLLECT_DONE", collectCompletedDate=stamp)
        return "COLLECT_DONE"
    elif status == "RETURN_DONE":
        record.update(collectStatus="COLLECT_DONE", returnCompletedDate=stamp,
                      collectCompletedDate=record.get("collectCompletedDate") or stamp)
        product_order["productOrderStatus"] = "RETURNED"
    elif status == "EXCHANGE_DONE":
        product_order["productOrderStatus"] = "EXCHANGED"
    elif status.endswith("_REJECT"):
        return "CLAIM_REJECTED"
    return "CLAIM_COMPLETED" if status.endswith("_DONE") else "CLAIM_REQUESTED"
