"""Carrier names as sellers write them, in English and Korean, to one key per carrier."""

import pytest

from fulfill.channels.carriers import carrier_key


@pytest.mark.parametrize("name, key", [
    ("Korea Post EMS", "ems"), ("우체국 EMS", "ems"), ("EMS", "ems"),
    ("Korea Post K-Packet", "kpacket"), ("K-Packet", "kpacket"), ("우체국 K패킷", "kpacket"),
    ("우체국택배", "korea_post"), ("CJ Logistics", "cj"), ("CJ대한통운", "cj"),
    ("Lotte Global", "lotte"), ("롯데택배", "lotte"), ("Hanjin", "hanjin"), ("로젠택배", "logen"),
    ("Qxpress", "qxpress"), ("큐익스프레스", "qxpress"), ("Yamato", "yamato"), ("DHL", "dhl"), ("DHL Express", "dhl"), ("FedEx", "fedex"), ("ups", "ups"),
])
def test_names_sellers_use(name, key):
    assert carrier_key(name) == key


@pytest.mark.parametrize("name", ["", "  ", "Other", "Pigeon post"])
def test_unknown_names(name):
    assert carrier_key(name) is None
