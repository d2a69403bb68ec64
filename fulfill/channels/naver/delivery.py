"""What Naver's dispatch (발송 처리) needs: its carrier code (deliveryCompanyCode) for the
carrier the seller named, and the dispatch date as Naver writes it (KST, +09:00)."""

from __future__ import annotations

from datetime import datetime

from fulfill.channels.carriers import carrier_key
from fulfill.channels.money_time import KST
from fulfill.errors import ChannelRejected
from fulfill.translation import _

# fulfill's carrier keys -> Naver deliveryCompanyCode (code table of the dispatch API doc).
# K-Packet numbers (LK…KR) are tracked by Korea Post's international service, Naver's EMS.
CODES = {
    "korea_post": "EPOST", "ems": "EMS", "kpacket": "EMS", "cj": "CJGLS", "lotte": "HYUNDAI",
    "hanjin": "HANJIN", "logen": "KGB", "kyungdong": "KDEXP", "dhl": "DHL", "fedex": "FEDEX",
    "ups": "UPS", "usps": "USPS",
}
# A seller may also type Naver's own code for a carrier fulfill has no name for.
_OTHER_CODES = frozenset({"REGISTPOST", "ILYANG", "CHUNIL", "DAESIN", "HDEXP", "KOREXG",
                          "HLCGLOBAL", "CVSNET", "CUPARCEL", "TNT", "SFEX", "QXPRESS", "CH1"})
DELIVERY = "DELIVERY"  # deliveryMethod for a parcel handed to a carrier (택배, 등기, 소포)


def delivery_company_code(carrier: str) -> str:
    """Naver's code for a carrier name, or ChannelRejected naming the carrier."""
    typed = carrier.strip().upper()
    if typed in CODES.values() or typed in _OTHER_CODES:
        return typed
    key = carrier_key(carrier)
    if key in CODES:
        return CODES[key]
    raise ChannelRejected(
        _("Naver has no carrier code for “{carrier}”, so the dispatch was not sent.").format(
            carrier=carrier),
        _("Ship with a carrier Naver lists (CJ대한통운, 우체국택배, 롯데택배, 한진택배, 로젠택배, "
          "EMS, DHL, FedEx, UPS…), or type Naver's own carrier code as the carrier name."))


def dispatch_date(moment: datetime) -> str:
    """2024-05-01T10:00:00.000+09:00"""
    local = moment.astimezone(KST)
    return f"{local:%Y-%m-%dT%H:%M:%S}.{local.microsecond // 1000:03d}+09:00"


def kst_iso(moment: datetime) -> str:
    """A query timestamp as Naver documents them: milliseconds, +09:00."""
    return dispatch_date(moment)
