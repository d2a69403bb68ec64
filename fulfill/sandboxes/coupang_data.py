"""What the Coupang sandbox holds: order sheets (one per shipping box) and claim records,
rendered from the demo generator's orders in the shapes of Coupang's documented samples
(KST times without offset, whole-won amounts, masked buyer details)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fulfill.domain import Order, OrderLine, OrderStatus

KST = ZoneInfo("Asia/Seoul")
# deliveryCompanyCode -> the name Coupang shows on the order sheet.
CARRIER_NAMES = {
    "CJGLS": "CJ 대한통운", "HYUNDAI": "롯데택배", "HANJIN": "한진택배", "KGB": "로젠택배",
    "LOGEN": "로젠택배", "EPOST": "우체국", "KDEXP": "경동택배", "ILYANG": "일양로지스",
    "CHUNIL": "천일택배", "DAESIN": "대신택배", "KUNYOUNG": "건영택배", "HDEXP": "합동택배",
    "EMS": "우체국 EMS", "DHL": "DHL", "FEDEX": "FEDEX", "UPS": "UPS", "USPS": "USPS",
    "DIRECT": "업체직송",
}
SHIPPED = ("DEPARTURE", "DELIVERING", "FINAL_DELIVERY", "NONE_TRACKING")
# returnRequests `status` values and the receiptStatus each lists.
RETURN_STATUS_QUERY = {
    "RU": ("RELEASE_STOP_UNCHECKED",), "UC": ("RETURNS_UNCHECKED", "VENDOR_WAREHOUSE_CONFIRM"),
    "PR": ("REQUEST_COUPANG_CHECK",), "CC": ("RETURNS_COMPLETED",),
}


def kst(moment: datetime) -> str:
    """2017-10-10T10:20:16: Coupang's local time without an offset."""
    return moment.astimezone(KST).strftime("%Y-%m-%dT%H:%M:%S")


def kst_spaced(moment: datetime) -> str:
    """2017-10-16 22:08:04: the form of the shipping and confirmation times."""
    return moment.astimezone(KST).strftime("%Y-%m-%d %H:%M:%S")


def from_kst(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=KST).astimezone(UTC)


def vendor_item_id(sku: str) -> int:
    """A stable option id (vendorItemId) per SKU, ten digits like Coupang's."""
    return 3_000_000_000 + int(hashlib.sha256(sku.encode()).hexdigest()[:8], 16) % 900_000_000


def _masked_phone(order: Order) -> str:
    digits = "".join(ch for ch in order.ship_to.phone if ch.isdigit()) or "0000"
    return f"0503-**-{digits[-4:]}"


def _masked_name(name: str) -> str:
    return name if len(name) < 3 else f"{name[0]}*{name[2:]}"


def _item(line: OrderLine, shipping_day: datetime) -> dict[str, Any]:
    item_id = vendor_item_id(line.sku)
    return {
        "vendorItemPackageId": 0, "vendorItemPackageName": line.title,
        "productId": item_id // 100, "vendorItemId": item_id, "vendorItemName": line.title,
        "shippingCount": line.quantity, "salesPrice": line.unit_price.minor,
        "orderPrice": line.unit_price.minor * line.quantity, "discountPrice": None,
        "externalVendorSkuCode": line.sku, "etcInfoHeader": None, "etcInfoValue": None,
        "etcInfoValues": [], "sellerProductId": item_id // 37, "sellerProductName": line.title,
        "sellerProductItemName": "", "firstSellerProductItemName": "", "cancelCount": 0,
        "holdCountForCancel": 0,
        "estimatedShippingDate": shipping_day.astimezone(KST).strftime("%Y-%m-%d"),
        "plannedShippingDate": "", "invoiceNumberUploadDate": "", "extraProperties": {},
        "pricingBadge": False, "usedProduct": False, "confirmDate": "",
        "deliveryChargeTypeName": "유료", "canceled": False,
    }


def render_box(order: Order, order_id: int, box_id: int, lines: list[OrderLine],
               shipping: int, status: str, now: datetime) -> dict[str, Any]:
    """One order sheet as Coupang's GET ordersheets returns it."""
    placed = order.ordered_at
    typed = order.ship_to.typed
    street = " ".join(p for p in (typed.region, typed.city, typed.line1) if p)
    box = {
        "shipmentBoxId": box_id, "orderId": order_id, "orderedAt": kst(placed),
        "orderer": {"name": _masked_name(order.buyer_name or typed.name),
                    "email": f"{(order.buyer_email or 'buyer')[:2]}*****@na",
                    "safeNumber": _masked_phone(order), "ordererNumber": None},
        "paidAt": kst(placed), "status": "ACCEPT", "shippingPrice": shipping,
        "remotePrice": 0, "remoteArea": False, "parcelPrintMessage": order.note or "문 앞",
        "splitShipping": False, "ableSplitShipping": False,
        "receiver": {"name": typed.name, "safeNumber": _masked_phone(order),
                     "receiverNumber": None, "addr1": street, "addr2": typed.line2,
                     "postCode": order.ship_to.postal_code},
        "orderItems": [_item(line, placed + timedelta(days=2)) for line in lines],
        "overseaShippingInfoDto": {"personalCustomsClearanceCode": "", "ordererSsn": "",
                                   "ordererPhoneNumber": ""},
        "deliveryCompanyName": "", "invoiceNumber": "", "inTrasitDateTime": "",
        "deliveredDate": "", "refer": "안드로이드앱",
    }
    if status in SHIPPED:
        ship(box, "CJGLS", f"{box_id % 10**9:09d}{order_id % 1000:03d}",
             min(placed + timedelta(days=1), now))
    move(box, status, now)
    return box


def ship(box: dict[str, Any], code: str, number: str, at: datetime) -> None:
    box.update(deliveryCompanyName=CARRIER_NAMES.get(code, code), invoiceNumber=number,
               inTrasitDateTime=kst_spaced(at), status="DEPARTURE")
    for item in box["orderItems"]:
        item["invoiceNumberUploadDate"] = kst(at)


def move(box: dict[str, Any], status: str, now: datetime) -> None:
    """Put a box in a status, with the times that status implies (never in the future)."""
    box["status"] = status
    placed = from_kst(box["orderedAt"])
    if status == "FINAL_DELIVERY" and not box["deliveredDate"]:
        box["deliveredDate"] = kst_spaced(min(placed + timedelta(days=3), now))
        confirmed = placed + timedelta(days=10)
        if confirmed < now:  # 구매확정
            for item in box["orderItems"]:
                item["confirmDate"] = kst_spaced(confirmed)


def return_record(receipt_id: int, box: dict[str, Any], items: list[tuple[int, int]], *,
                  at: datetime, receipt_type: str = "RETURN",
                  status: str = "RETURNS_UNCHECKED", stop: str = "비대상",
                  reasons: tuple[str, str, str] = ("고객변심", "단순변심(사유없음)", "")
                  ) -> dict[str, Any]:
    """A returnRequests record for `items` (vendorItemId, pieces) of one box."""
    by_id = {item["vendorItemId"]: item for item in box["orderItems"]}
    receiver = box["receiver"]
    return {
        "receiptId": receipt_id, "orderId": box["orderId"], "paymentId": box["orderId"] + 7,
        "receiptType": receipt_type, "receiptStatus": status, "createdAt": kst(at),
        "modifiedAt": kst(at), "requesterName": receiver["name"],
        "requesterPhoneNumber": receiver["safeNumber"], "requesterRealPhoneNumber": None,
        "requesterAddress": receiver["addr1"], "requesterAddressDetail": receiver["addr2"],
        "requesterZipCode": receiver["postCode"], "cancelReasonCategory1": reasons[0],
        "cancelReasonCategory2": reasons[1], "cancelReason": reasons[2],
        "cancelCountSum": sum(n for _i, n in items), "returnDeliveryId": receipt_id // 3,
        "returnDeliveryType": "연동택배", "releaseStopStatus": stop, "enclosePrice": 0,
        "faultByType": "CUSTOMER" if reasons[0] == "고객변심" else "VENDOR", "preRefund": False,
        "completeConfirmDate": "", "completeConfirmType": "UNDEFINED",
        "returnItems": [{
            "vendorItemPackageId": 0, "vendorItemPackageName": by_id[i]["vendorItemPackageName"],
            "vendorItemId": i, "vendorItemName": by_id[i]["vendorItemName"],
            "purchaseCount": by_id[i]["shippingCount"], "cancelCount": n,
            "shipmentBoxId": box["shipmentBoxId"], "sellerProductId": by_id[i]["sellerProductId"],
            "sellerProductName": by_id[i]["sellerProductName"]} for i, n in items],
        "returnDeliveryDtos": [{"deliveryCompanyCode": "CJGLS", "deliveryInvoiceNo": ""}],
    }


def exchange_record(exchange_id: int, box: dict[str, Any], items: list[tuple[int, int]], *,
                    at: datetime, reason_code: str, reason_text: str, detail: str
                    ) -> dict[str, Any]:
    """An exchangeRequests record (status RECEIPT) for `items` of one box."""
    by_id = {item["vendorItemId"]: item for item in box["orderItems"]}
    receiver = box["receiver"]
    return {
        "exchangeId": exchange_id, "orderId": box["orderId"], "vendorId": "",
        "orderDeliveryStatusCode": box["status"], "exchangeStatus": "RECEIPT",
        "referType": "WEB_MOBILE", "faultType": "VENDOR", "exchangeAmount": 0, "reason": None,
        "reasonCode": reason_code, "reasonCodeText": reason_text, "reasonEtcDetail": detail,
        "cancelReason": None, "createdByType": "CUSTOMER", "createdAt": kst(at),
        "modifiedByType": "CUSTOMER", "modifiedAt": kst(at),
        "exchangeItemDtoV1s": [{
            "exchangeItemId": exchange_id * 10 + n, "orderItemId": i,
            "orderItemUnitPrice": by_id[i]["salesPrice"], "orderItemName": None,
            "orderPackageId": None, "orderPackageName": None, "targetItemId": i,
            "targetItemUnitPrice": by_id[i]["salesPrice"],
            "targetItemName": by_id[i]["vendorItemName"],
            "targetPackageId": -1, "targetPackageName": "", "quantity": count,
            "orderItemDeliveryComplete": None, "orderItemReturnComplete": None,
            "targetItemDeliveryComplete": None, "createdAt": kst(at), "modifiedAt": kst(at),
            "originalShipmentBoxId": box["shipmentBoxId"]} for n, (i, count) in enumerate(items)],
        "exchangeAddressDtoV1": {
            "exchangeAddressId": exchange_id // 2, "returnCustomerName": receiver["name"],
            "returnAddressZipCode": receiver["postCode"], "returnAddress": receiver["addr1"],
            "returnAddressDetail": receiver["addr2"], "returnPhone": None,
            "returnMobile": receiver["safeNumber"], "returnMemo": None,
            "deliveryCustomerName": receiver["name"],
            "deliveryAddressZipCode": receiver["postCode"],
            "deliveryAddress": receiver["addr1"], "deliveryAddressDetail": receiver["addr2"],
            "deliveryPhone": None, "deliveryMobile": receiver["safeNumber"], "deliveryMemo": None,
            "createdAt": kst(at), "modifiedAt": kst(at), "exchangeId": exchange_id},
        "deliveryInvoiceGroupDtos": [], "deliveryStatus": "BeforeDirection",
        "collectStatus": "BeforeCollect", "collectCompleteDate": None,
        "returnDeliveryDtos": [{"deliveryCompanyCode": "CJGLS", "deliveryInvoiceNo": ""}],
        "orderDeliveryStatusLabel": box["status"], "exchangeStatusLabel": "RECEIPT",
        "rejectable": True, "deliveryInvoiceModifiable": False, "successable": False,
    }


def withdrawal_record(cancel_id: int, order_id: int, items: list[int], at: datetime,
                      vendor_id: str) -> dict[str, Any]:
    return {"cancelId": cancel_id, "orderId": order_id, "vendorId": vendor_id,
            "refundDeliveryDuty": "CUS", "createdAt": kst(at), "vendorItemIds": items}


def status_for(status: OrderStatus, n: int) -> str:
    """The order-sheet status a demo order of this status has at Coupang (which lists only
    paid orders: one awaiting payment is shown as just paid)."""
    return {
        OrderStatus.AWAITING_PAYMENT: "ACCEPT",
        OrderStatus.AWAITING_SHIPMENT: "ACCEPT" if n % 2 else "INSTRUCT",
        OrderStatus.ON_HOLD: "INSTRUCT",
        OrderStatus.SHIPPED: "DEPARTURE" if n % 2 else "DELIVERING",
        OrderStatus.DELIVERED: "NONE_TRACKING" if n % 10 == 3 else "FINAL_DELIVERY",
        OrderStatus.CANCELLED: "ACCEPT",
        OrderStatus.REFUNDED: "FINAL_DELIVERY",
        OrderStatus.PARTIALLY_REFUNDED: "FINAL_DELIVERY",
    }[status]
