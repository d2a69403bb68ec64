"""The `shipping_company_code` Cafe24 wants with a tracking number.

The codes are the mall's own: each mall registers its carriers (GET /api/v2/admin/carriers
lists them as shipping_carrier_code + shipping_carrier name [V: Carriers doc]), so the
connector asks the mall first and matches the names through carrier_key. Two fallbacks:
the account's own table (setting `carrier_codes`, "ems=0015, kpacket=0027"), which wins over
everything, and DEFAULT_CODES. A four-digit carrier typed by the seller is taken as the code.

DEFAULT_CODES is unverified [U]: one public integration's table. Real payloads disagree
with it in places (some malls answer "0001" for 자체배송, own delivery), which is why the
mall's list is asked first. There is no default for K-Packet: a mall that ships K-Packet
registers it (or the seller sets its code), else the write-back is refused with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from fulfill.channels.carriers import carrier_key
from fulfill.errors import ChannelRejected
from fulfill.translation import _

DEFAULT_CODES: dict[str, str] = {
    "korea_post": "0001",  # 우체국택배
    "hanjin": "0003",  # 한진택배
    "lotte": "0004",  # 롯데택배 (현대택배 was 0005)
    "cj": "0006",  # CJ대한통운
    "kyungdong": "0010",  # 경동택배
    "logen": "0012",  # 로젠택배
    "ems": "0015",  # EMS
    "dhl": "0016",
    "fedex": "0017",
    "ups": "0018",
}
_CODE = re.compile(r"\d{4}")


def _key(name: str) -> str:
    return carrier_key(name) or name.strip().lower()


def parse_codes(text: str) -> dict[str, str]:
    """The account's table, "ems=0015, K-Packet=0027": carrier name or key -> code."""
    table: dict[str, str] = {}
    for part in re.split(r"[,;\n]", text or ""):
        if "=" not in part:
            continue
        name, code = (piece.strip() for piece in part.split("=", 1))
        if name and _CODE.fullmatch(code):
            table[_key(name)] = code
    return table


def registered_codes(carriers: Iterable[Mapping[str, object]]) -> dict[str, str]:
    """The mall's carriers (GET /carriers) by key: {"cj": "0019", …}."""
    table: dict[str, str] = {}
    for carrier in carriers:
        code = str(carrier.get("shipping_carrier_code") or "")
        name = str(carrier.get("shipping_carrier") or "")
        if code and name:
            table.setdefault(_key(name), code)
    return table


def shipping_company_code(carrier: str, own: Mapping[str, str],
                          registered: Mapping[str, str]) -> str:
    """The code for the carrier the seller named, or ChannelRejected naming it."""
    name = carrier.strip()
    if _CODE.fullmatch(name):
        return name
    key = _key(name)
    for table in (own, registered, DEFAULT_CODES):
        if key in table:
            return table[key]
    raise ChannelRejected(
        _("Cafe24 has no carrier code for “{carrier}” in this mall.").format(carrier=name),
        _("Register the carrier in the Cafe24 admin (shipping carriers, 배송업체 관리), or add "
          "its code to the account's carrier codes (for example kpacket=0027), then send "
          "again."))
