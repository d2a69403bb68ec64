"""Demo orders as Qoo10 writes them, for the Qoo10 sandbox: GetShippingInfo_v2 rows (one per
item, the items of one checkout sharing a cart `packNo`), GetClaimInfo_V3 claim rows, and the
one-order answer of GetShippingAndClaimInfoByOrderNo_V2 with its own spellings."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from fulfill.domain import Money, Order, OrderStatus
from fulfill.services.demo_data import demo_tracking_number

ZONES = {"JP": ZoneInfo("Asia/Tokyo"), "SG": ZoneInfo("Asia/Singapore")}
STATUS_TEXT = {1: "Awaiting shipping(1)", 2: "On request(2)", 3: "Seller confirm(3)",
               4: "On delivery(4)", 5: "Delivered(5)"}
# The date an order enters each status (status 3, the seller's confirmation, has none).
STATUS_DATE = {1: "orderDate", 2: "PaymentDate", 3: "PaymentDate", 4: "ShippingDate",
               5: "DeliveredDate"}
LISTING_DATE = {"1": "orderDate", "2": "PaymentDate", "3": "ShippingDate", "4": "DeliveredDate"}
CLAIM_DATE = {"1": "orderDate", "2": "requestDate", "3": "cancelRefundDate"}
SETTLED_CLAIMS = frozenset({3, 6, 14, 15, 16})
CANCELLED_CLAIMS = frozenset({3, 16})
SELLER_ID = "seoulglow"
_SENDER = {"senderName": "Seoul Glow", "senderTel": "+82-2-555-0134", "senderNation": "KR",
           "senderZipCode": "04524", "senderAddr": "서울특별시 중구 세종대로 110"}


def qoo10_time(moment: datetime | None, site: str) -> str:
    return moment.astimezone(ZONES[site]).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def parse_text(text: str, site: str) -> datetime | None:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=ZONES[site]) \
        if text else None


def num(amount: Money | None) -> int | float:
    """A JSON number as .NET writes a Decimal amount: 1680, 12.9."""
    value = amount.to_decimal() if amount is not None else 0
    return int(value) if value == int(value) else float(value)


def amount(value: Any, currency: str) -> Money:
    """A JSON number of a row as Money (floats go through their text, as JSON wrote them)."""
    return Money.parse(Decimal(str(value)), currency)


def _phone(phone: str) -> str:
    """+81 80-1331-4191 as a Japanese buyer's own number: 080-1331-4191."""
    return "0" + phone[4:] if phone.startswith("+81 ") else phone


def _status(order: Order, number: int) -> int:
    s = order.status
    if s is OrderStatus.AWAITING_PAYMENT:
        return 1
    if s is OrderStatus.AWAITING_SHIPMENT:
        return 2 + number % 2  # some the seller has already confirmed
    if s in (OrderStatus.ON_HOLD, OrderStatus.CANCELLED):
        return 2
    return 4 if s is OrderStatus.SHIPPED else 5


def cart_rows(order: Order, numbers: list[int], pack: int, site: str) -> list[dict[str, Any]]:
    """One row per item of a demo order; the cart's shipping fee repeated on each row."""
    ordered = order.ordered_at
    last = max(order.updated_at or ordered, ordered)
    span = last - ordered
    status = _status(order, numbers[0])
    paid = (last if order.status is OrderStatus.AWAITING_SHIPMENT
            else ordered + min(span, timedelta(seconds=90))) if status > 1 else None
    shipped = delivered = None
    if order.status is OrderStatus.SHIPPED:
        shipped = last
    elif status == 5:
        refunded = order.status in (OrderStatus.REFUNDED, OrderStatus.PARTIALLY_REFUNDED)
        shipped, delivered = ordered + span / 4, (ordered + span / 2 if refunded else last)
    typed, cc = order.ship_to.typed, order.ship_to.country_code
    if site == "JP":
        addr1, addr2 = f"{typed.region}{typed.city}", f"{typed.line1} {typed.line2}".strip()
    else:
        addr1, addr2 = typed.line1, typed.line2
    phone = _phone(order.ship_to.phone)
    tracking = demo_tracking_number(numbers[0] % 100_000) if shipped else ""
    related = ", ".join(str(n) for n in numbers)
    rows = []
    for n, (number, line) in enumerate(zip(numbers, order.lines, strict=False)):
        discount = order.discount if n == 0 and order.discount else None
        rows.append({
            "shippingStatus": STATUS_TEXT[status], "sellerID": SELLER_ID, "packNo": pack,
            "orderDate": qoo10_time(ordered, site), "PaymentDate": qoo10_time(paid, site),
            "EstShippingDate": qoo10_time(ordered + timedelta(days=3), site),
            "ShippingDate": qoo10_time(shipped, site),
            "DeliveredDate": qoo10_time(delivered, site),
            "buyer": typed.name, "buyer_gata": "", "buyerTel": "", "buyerMobile": phone,
            "buyerEmail": "", "orderNo": number, "itemCode": str(7_200_000_000 + number % 997),
            "sellerItemCode": line.sku, "itemTitle": line.title, "option": "", "optionCode": "",
            "orderPrice": num(line.unit_price), "orderQty": line.quantity, "discount": 0,
            "total": num(line.amount), "receiver": typed.name, "receiver_gata": "",
            "shippingCountry": cc, "zipCode": order.ship_to.postal_code,
            "shippingAddr": f"{addr1} {addr2}".strip(), "Addr1": addr1, "Addr2": addr2,
            "receiverTel": "", "receiverMobile": phone, "hopeDate": "", **_SENDER,
            "ShippingWay": "", "ShippingMsg": order.note,
            "PaymentMethod": "コンビニ決済" if status == 1 else "クレジットカード",
            "SellerDiscount": 0, "Currency": order.currency, "ShippingRate": num(order.shipping),
            "RelatedOrder": related,
            "shippingRateType": "Charge" if order.shipping and order.shipping.minor else "Free",
            "DeliveryCompany": "EMS" if shipped else "", "VoucherCode": "",
            "PackingNo": f"JPP{pack % 10**8:08d}" if status >= 3 else "",
            "SellerDeliveryNo": "", "PaymentNation": cc, "Gift": "", "cod_price": 0,
            "Cart_Discount_Seller": num(discount), "Cart_Discount_Qoo10": 0,
            "SettlePrice": num(line.amount), "BranchName": "", "TrackingNo": tracking,
            "OverseaConsignment": "N",
        })
    return rows


def row_paid(row: dict[str, Any]) -> Money:
    """What the buyer paid for one row: as the connector reads it, the cart's shipping on the
    cart's first order."""
    currency = row["Currency"]
    total = amount(row["total"], currency) - amount(row["Cart_Discount_Seller"], currency)
    first = min(int(n) for n in str(row["RelatedOrder"]).split(",") if n.strip())
    if first == row["orderNo"]:
        total = total + amount(row["ShippingRate"], currency)
    return total


def claim_row(row: dict[str, Any], status: int, requested: datetime,
              settled: datetime | None, reason: str, site: str) -> dict[str, Any]:
    """A GetClaimInfo_V3 row: the claim with the order's fields it repeats."""
    return {
        "claimStatus": str(status), "cancelRefundDate": qoo10_time(settled, site),
        "reason": reason, "requestDate": qoo10_time(requested, site),
        "orderDate": row["orderDate"], "PaymentDate": row["PaymentDate"],
        "shippingDate": row["ShippingDate"], "DeliveredDate": row["DeliveredDate"],
        "orderNo": row["orderNo"], "packNo": row["packNo"], "itemCode": row["itemCode"],
        "sellerItemCode": row["sellerItemCode"], "itemTitle": row["itemTitle"],
        "orderQty": row["orderQty"], "paymentNation": row["PaymentNation"],
        "currency": row["Currency"], "paymentAmount": num(row_paid(row)),
        "deliveryCompany": row["DeliveryCompany"], "trackingNo": row["TrackingNo"],
        "deliveryCompanyReturn": "", "trackingNoReturn": "", "pickupAddress": "",
        "zipCode": row["zipCode"], "paymentReturnShipping": "", "itemCondition": "",
        "receiver": row["receiver"], "receiverTel": row["receiverTel"],
        "receiverMobile": row["receiverMobile"], "buyer": row["buyer"],
        "buyerTel": row["buyerTel"], "buyerMobile": row["buyerMobile"], "CODCancelPrice": 0,
        "CODQrefundPrice": 0, "CODCancelRelatedOrder": "", "nrDutyTarget": "",
        "nrSolType": "", "nrPartRefundCnt": 0, "nrPartRefundBalance": 0,
    }


def demo_claims(order: Order, rows: list[dict[str, Any]], site: str
                ) -> list[dict[str, Any]]:
    """The claims behind a demo order's status: cancelled, cancel asked for, returned,
    part never received."""
    ordered = order.ordered_at
    last = max(order.updated_at or ordered, ordered)
    span, first = last - ordered, rows[0]
    s = order.status
    if s is OrderStatus.CANCELLED:
        return [claim_row(row, 3, ordered + span / 2, last, "注文内容を変更したい", site)
                for row in rows]
    if s is OrderStatus.ON_HOLD:
        return [claim_row(row, 1, last, None, "注文内容を変更したい", site) for row in rows]
    if s is OrderStatus.REFUNDED:
        return [claim_row(first, 6, ordered + span * 3 / 4, last, "商品が破損していた", site)]
    if s is OrderStatus.PARTIALLY_REFUNDED:
        claim = claim_row(first, 15, ordered + span * 3 / 4, last, "一部の商品が届かない", site)
        unit = amount(first["orderPrice"], first["Currency"])
        claim.update(nrDutyTarget="SL", nrSolType="NC", nrPartRefundCnt=1,
                     nrPartRefundBalance=num(min(unit, Money(row_paid(first).minor // 2,
                                                             unit.currency))))
        return [claim]
    return []


_SINGLE = ("shippingStatus", "sellerID", "packNo", "orderDate", "PaymentDate", "DeliveredDate",
           "buyer", "buyer_gata", "buyerTel", "buyerMobile", "buyerEmail", "orderNo",
           "itemCode", "sellerItemCode", "itemTitle", "option", "optionCode", "orderPrice",
           "orderQty", "discount", "total", "receiver", "receiver_gata", "shippingCountry",
           "zipCode", "shippingAddr", "receiverTel", "receiverMobile", "hopeDate",
           *_SENDER, "ShippingWay", "ShippingMsg", "shippingRateType", "PackingNo",
           "SellerDeliveryNo", "VoucherCode", "PaymentMethod", "Gift", "cod_price",
           "Cart_Discount_Seller", "Cart_Discount_Qoo10")
_CLAIM_FIELDS = ("claimStatus", "cancelRefundDate", "reason", "requestDate",
                 "deliveryCompanyReturn", "trackingNoReturn", "pickupAddress",
                 "paymentReturnShipping", "itemCondition", "CODCancelPrice", "CODQrefundPrice",
                 "CODCancelRelatedOrder", "nrDutyTarget", "nrSolType", "nrPartRefundCnt",
                 "nrPartRefundBalance")


def single_row(row: dict[str, Any], claim: dict[str, Any] | None) -> dict[str, Any]:
    """The order as GetShippingAndClaimInfoByOrderNo_V2 sends it: the shipping fields in
    their own spelling (no cart shipping, the address whole) and its latest claim flattened."""
    found = {name: row[name] for name in _SINGLE}
    found.update(OrderType="", paymentNation=row["PaymentNation"],
                 shippingDate=row["ShippingDate"], currency=row["Currency"],
                 deliveryCompany=row["DeliveryCompany"], trackingNo=row["TrackingNo"],
                 pickupzipCode="")
    found.update({name: (claim or {}).get(name, "") for name in _CLAIM_FIELDS})
    return found
