"""The carrier a seller names when shipping, as one key each platform's code table maps.

Sellers type or pick names like "Korea Post EMS", "우체국 EMS", "CJ대한통운" or "K-Packet";
each connector keeps a table from these keys to its platform's own code (Naver "CJGLS",
Coupang "EPOST", Cafe24's numeric codes, Qoo10's names).
"""

from __future__ import annotations

import re

# key -> words that name it, lower case without spaces or hyphens; the most specific first
# (K-Packet before plain Korea Post).
_NAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("kpacket", ("kpacket", "k패킷", "koreapostkpacket", "우체국k패킷")),
    ("ems", ("ems", "koreapostems", "우체국ems", "epostems", "국제특송")),
    ("korea_post", ("koreapost", "epost", "우체국", "우체국택배", "kpost")),
    ("cj", ("cj", "cjlogistics", "cjgls", "cj대한통운", "대한통운", "cjkoreaexpress")),
    ("lotte", ("lotte", "lotteglobal", "lotteglobal logistics", "롯데", "롯데택배",
               "롯데글로벌로지스", "hyundai", "현대택배")),
    ("hanjin", ("hanjin", "한진", "한진택배")),
    ("logen", ("logen", "로젠", "로젠택배", "kgb")),
    ("kyungdong", ("kdexp", "kyungdong", "경동", "경동택배")),
    ("qxpress", ("qxpress", "큐익스프레스", "tracx", "tracxlogis")),  # Qoo10's own logistics
    ("dhl", ("dhl", "dhlexpress")),
    ("fedex", ("fedex",)),
    ("ups", ("ups",)),
    ("usps", ("usps",)),
    ("yamato", ("yamato", "kuroneko", "ヤマト運輸")),
    ("sagawa", ("sagawa", "佐川急便")),
    ("japan_post", ("japanpost", "日本郵便", "yupack")),
)

_LOOKUP = {word.replace(" ", ""): key for key, words in _NAMES for word in words}


def carrier_key(name: str) -> str | None:
    """The key for a carrier name ("Korea Post EMS" -> "ems"), or None when unknown."""
    squeezed = re.sub(r"[\s\-_.()]", "", name).lower()
    if not squeezed:
        return None
    if squeezed in _LOOKUP:
        return _LOOKUP[squeezed]
    for key, words in _NAMES:  # "Korea Post EMS Premium", "CJ대한통운(국제)"
        if any(word.replace(" ", "") in squeezed for word in words if len(word) > 3):
            return key
    return None
