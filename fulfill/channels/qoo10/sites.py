"""The Qoo10 sites fulfill connects to, and the carrier names each expects in SetSendingInfo."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from fulfill.channels.carriers import carrier_key

SERVICE_PATH = "/GMKT.INC.Front.QAPIService"


@dataclass(frozen=True)
class Site:
    code: str  # as kept in the account's settings: JP, SG
    label: str
    host: str
    service: str  # the QAPI service file under SERVICE_PATH
    currency: str
    zone: ZoneInfo  # the zone Qoo10 writes and reads times in
    country: str  # where its buyers live, when a row does not say
    carriers: dict[str, str]  # fulfill.channels.carriers key -> ShippingCorp

    @property
    def api_base(self) -> str:
        return f"{self.host}{SERVICE_PATH}/{self.service}"

    def shipping_corp(self, carrier: str) -> str | None:
        """The ShippingCorp Qoo10 takes for a carrier name the seller chose, else None."""
        key = carrier_key(carrier)
        return self.carriers.get(key) if key else None


# Japan: the domestic names are the ones a Japanese WMS sends and Qoo10's own example uses;
# the Korean carriers' are assumed (no public list of Qoo10's names was found).
JP = Site("JP", "Qoo10 Japan", "https://api.qoo10.jp", "ebayjapan.qapi", "JPY",
          ZoneInfo("Asia/Tokyo"), "JP", {
              "ems": "EMS", "kpacket": "K-Packet", "korea_post": "韓国郵便",
              "cj": "CJ大韓通運", "lotte": "ロッテグローバルロジス", "hanjin": "韓進",
              "dhl": "DHL", "fedex": "FedEx", "ups": "UPS", "qxpress": "Qxpress",
              "yamato": "ヤマト宅急便", "sagawa": "佐川急便", "japan_post": "ゆうパック"})
# Singapore: English names, all assumed.
SG = Site("SG", "Qoo10 Singapore", "https://api.qoo10.sg", "Giosis.qapi", "SGD",
          ZoneInfo("Asia/Singapore"), "SG", {
              "ems": "EMS", "kpacket": "K-Packet", "korea_post": "Korea Post",
              "cj": "CJ Logistics", "lotte": "Lotte Global Logistics", "hanjin": "Hanjin",
              "dhl": "DHL", "fedex": "FedEx", "ups": "UPS", "qxpress": "Qxpress",
              "yamato": "Yamato", "sagawa": "Sagawa", "japan_post": "Japan Post"})

SITES = {site.code: site for site in (JP, SG)}


def site_for(code: str | None) -> Site:
    """The site an account's setting names; Japan when it names none."""
    try:
        return SITES[(code or "JP").strip().upper()]
    except KeyError:
        raise ValueError(f"unknown Qoo10 site {code!r}: use JP or SG") from None
