"""The invoice (송장) write-back: Coupang's carrier codes, the upload for one box, and
Coupang's per-box answer. Pure: payloads in, decisions out; the client sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fulfill.channels.base import ShipmentNotice
from fulfill.channels.carriers import carrier_key
from fulfill.errors import ChannelRejected, PayloadError
from fulfill.translation import _

# fulfill's carrier keys -> Coupang's deliveryCompanyCode. Lotte is still HYUNDAI at
# Coupang (현대택배 became 롯데택배). Logen goes as KGB, the code Coupang's own samples use;
# its code list also has LOGEN, which a seller may type (not verified which one Wing shows).
CARRIER_CODES = {
    "cj": "CJGLS", "lotte": "HYUNDAI", "hanjin": "HANJIN", "logen": "KGB",
    "kyungdong": "KDEXP", "korea_post": "EPOST", "kpacket": "EPOST", "ems": "EMS",
    "dhl": "DHL", "fedex": "FEDEX", "ups": "UPS", "usps": "USPS",
}
# Codes a seller may type as they are (the smaller Korean carriers among them).
COUPANG_CODES = frozenset(CARRIER_CODES.values()) | {
    "LOGEN", "ILYANG", "CHUNIL", "DAESIN", "KUNYOUNG", "HDEXP", "DIRECT"}
SHIPPED = frozenset({"DEPARTURE", "DELIVERING", "FINAL_DELIVERY", "NONE_TRACKING"})


def carrier_code(carrier: str) -> str:
    """Coupang's code for the carrier the seller named; a refusal naming it when none."""
    typed = carrier.strip().upper()
    if typed in COUPANG_CODES:
        return typed
    code = CARRIER_CODES.get(carrier_key(carrier) or "")
    if code is None:
        raise ChannelRejected(
            _("Coupang has no carrier code for “{carrier}”.").format(carrier=carrier),
            _("Ship with a carrier Coupang knows (CJ대한통운, 롯데택배, 한진택배, 우체국, 로젠, "
              "EMS, DHL, FedEx, UPS…) or type Coupang's own code, such as CJGLS."))
    return code


def plan_invoices(box: dict[str, Any], notice: ShipmentNotice) -> list[dict[str, Any]] | None:
    """The orderSheetInvoiceApplyDtos for the box, one per item still to ship; None when
    this invoice number is already on the box. Refuses (ChannelRejected) a different number
    already there, a box Coupang shipped or cancelled, and a split shipment."""
    box_id = str(box.get("shipmentBoxId"))
    number = notice.tracking_number.strip()
    current = str(box.get("invoiceNumber") or "").strip()
    if current == number:
        return None
    if current:
        raise ChannelRejected(
            _("Coupang already has invoice {number} for box {box} (order {order}).").format(
                number=current, box=box_id, order=box.get("orderId")),
            _("Coupang keeps one invoice per box: correct it in Wing (송장 수정) if the parcel "
              "really carries the new number."))
    status = box.get("status")
    if status in SHIPPED:
        raise ChannelRejected(
            _("Coupang shows box {box} as {status} without an invoice.").format(
                box=box_id, status=status), _("Check the order in Wing."))
    code = carrier_code(notice.carrier)
    items = [item for item in box.get("orderItems") or []
             if int(item.get("shippingCount") or 0) - int(item.get("cancelCount") or 0) > 0
             and not item.get("canceled")]
    if not items:
        raise ChannelRejected(_("Coupang cancelled every item of box {box}.").format(box=box_id),
                              _("Do not send this parcel; keep the goods."))
    if notice.lines:
        sent = {line.platform_line_id for line in notice.lines}
        if not {str(item["vendorItemId"]) for item in items} <= sent:
            raise ChannelRejected(
                _("This parcel holds only part of Coupang box {box}.").format(box=box_id),
                _("fulfill sends whole boxes only: upload the split shipment (분리배송) in Wing."))
    try:
        return [{"shipmentBoxId": box["shipmentBoxId"], "orderId": box["orderId"],
                 "vendorItemId": item["vendorItemId"], "deliveryCompanyCode": code,
                 "invoiceNumber": number, "splitShipping": False, "preSplitShipped": False,
                 "estimatedShippingDate": ""} for item in items]
    except KeyError as missing:
        raise PayloadError(
            _("Coupang's order sheet (발주서) for box {box} has no {field}.").format(
                box=box_id, field=missing), _("Try again later; nothing was sent.")) from None


@dataclass(frozen=True)
class BoxOutcome:
    succeed: bool
    retry: bool
    message: str


def invoice_outcome(data: dict[str, Any], box_id: str) -> BoxOutcome:
    """Coupang's answer for one box in a responseList (acknowledgement or invoice upload).
    No answer for the box counts as one to retry: the caller checks the box first."""
    reply = data.get("data") if isinstance(data.get("data"), dict) else {}
    for answer in reply.get("responseList") or []:
        if str(answer.get("shipmentBoxId")) == box_id:
            return BoxOutcome(bool(answer.get("succeed")), bool(answer.get("retryRequired")),
                              str(answer.get("resultMessage") or answer.get("resultCode") or ""))
    # Not str() of a missing message: that would read "None".
    return BoxOutcome(False, True, str(reply.get("responseMessage") or "")
                      or _("no answer for the box"))
