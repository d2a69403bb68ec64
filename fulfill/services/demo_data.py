"""Deterministic demo data: channel accounts, a Korean seller's catalogue, and orders.

No database and no Qt: stdlib and fulfill.domain only. Orders come from one
random.Random(seed), so the same (seed, now, count, accounts, products) always give the
same orders. Everything that does not change per order (prices in every currency, product
weights, shipping fees) is computed once, so 100,000 orders take a few seconds.

The pools of names, places and products are in demo_pools.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate
from typing import Any, NamedTuple

from fulfill.domain import (
    Address,
    AddressText,
    ChannelAccount,
    Money,
    Order,
    OrderLine,
    OrderStatus,
    Platform,
    Product,
    SellerProfile,
    currency_digits,
    s10_check_digit,
)
from fulfill.services import demo_pools as pools

__all__ = ["demo_accounts", "demo_orders", "demo_products", "demo_seller", "demo_tracking_number"]


def demo_seller() -> SellerProfile:
    """A small Seoul cosmetics and goods exporter, with every field the papers use."""
    return SellerProfile(
        name_en="Hanbit Trading Co., Ltd.",
        name_ko="한빛무역 주식회사",
        address_en=Address(AddressText("Hanbit Trading Co., Ltd.", "3F, 45 Seongsui-ro 7-gil",
                                       "Seongdong-gu", "Seoul"), "KR", "04780", "+82 2 555 0142",
                           "export@hanbit.example"),
        address_ko=Address(AddressText("한빛무역 주식회사", "성수이로7길 45, 3층", "성동구",
                                       "서울특별시"), "KR", "04780", "02-555-0142",
                           "export@hanbit.example"),
        business_number="1208812345",
        customs_code="한빛무1A2B3C4",
        phone="+82 2 555 0142",
        email="export@hanbit.example",
        signature_name="Kim Min-ji",
        tax_ids={"EU": "IM2760000001", "GB": "GB123456789"},
    )


def demo_tracking_number(index: int, service: str = "EE") -> str:
    """A valid S10 number for demo parcels only: real ones are issued by Korea Post."""
    serial = f"{(71_000_000 + index * 7919) % 100_000_000:08d}"
    return f"{service}{serial}{s10_check_digit(serial)}KR"

# --- accounts ------------------------------------------------------------------------

# A Korean seller on the usual mix: its own global shops, marketplaces, and one Shopee
# shop per market, because Shopee runs each country as a separate shop and currency.
_ACCOUNTS: tuple[tuple[Platform, str, dict[str, Any]], ...] = (
    (Platform.SHOPIFY, "Seoul Glow (global)", {"shop": "seoul-glow-global"}),
    (Platform.CAFE24, "Seoul Glow 글로벌몰", {"mall_id": "seoulglow"}),
    (Platform.EBAY, "seoulglow_kpop", {"marketplace": "EBAY_US"}),
    (Platform.SHOPEE, "Seoul Glow TW", {"region": "TW"}),
    (Platform.SHOPEE, "Seoul Glow SG", {"region": "SG"}),
    (Platform.SHOPEE, "Seoul Glow MY", {"region": "MY"}),
    (Platform.SHOPEE, "Seoul Glow TH", {"region": "TH"}),
    (Platform.SHOPEE, "Seoul Glow VN", {"region": "VN"}),
    (Platform.QOO10, "Seoul Glow Qoo10店", {"region": "JP"}),
    (Platform.AMAZON, "Seoul Glow US", {"marketplace_id": "ATVPDKIKX0DER", "region": "US"}),
    (Platform.ETSY, "SeoulStitchStudio", {}),
    (Platform.NAVER, "서울글로우 스마트스토어", {"region": "KR"}),
)


def demo_accounts() -> list[ChannelAccount]:
    """Twelve shops on eight platforms, not yet saved (id=None)."""
    return [ChannelAccount(platform, name, dict(settings))
            for platform, name, settings in _ACCOUNTS]


# --- products ------------------------------------------------------------------------

# GS1 Korea company prefixes (880 + four digits) for the three brands the seller carries.
_COMPANY_PREFIX = {"beauty": "8809512", "fashion": "8801847", "kpop": "8804775"}


def _ean13(first12: str) -> str:
    """Append the EAN-13 check digit: weights 1,3,1,3... from the left."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


def demo_products() -> list[Product]:
    """About 45 products: K-beauty, fashion and K-pop goods; two without an HS code."""
    products = []
    for index, row in enumerate(pools.CATALOGUE):
        en, ko, zh, ja = row.titles
        titles = {lang: t for lang, t in (("ko", ko), ("zh-Hans", zh), ("ja", ja)) if t}
        products.append(Product(
            sku=row.sku, title=en, hs_code=row.hs_code, origin_country=row.origin,
            unit_weight_g=row.grams,
            barcode=_ean13(f"{_COMPANY_PREFIX[row.category]}{100 + index * 7:05d}"),
            titles=titles,
            customs_descriptions=dict(zip(("en", "zh-Hans", "ja"), row.customs, strict=True)),
        ))
    return products


# --- how each kind of shop sells -------------------------------------------------------

class _Profile(NamedTuple):
    weight: int  # share of all orders
    routes: tuple[tuple[str, str, int], ...]  # (destination, currency, weight)
    mix: tuple[int, int, int]  # weights of beauty, fashion and K-pop lines
    markup: str  # price over the domestic KRW price
    email: str  # "typed", "hidden" (Shopee, Qoo10 never pass it on) or "masked" (Amazon)
    us_tax: bool = False  # marketplace collects US sales tax
    lang: tuple[tuple[str, str], ...] = ()  # (currency, language) of listing titles


_PROFILES: dict[tuple[Platform, str | None], _Profile] = {
    (Platform.SHOPIFY, None): _Profile(14, (
        ("US", "USD", 30), ("CA", "CAD", 8), ("GB", "GBP", 10), ("AU", "AUD", 8),
        ("DE", "EUR", 8), ("FR", "EUR", 6), ("ES", "EUR", 4)), (5, 3, 2), "1.15", "typed"),
    (Platform.CAFE24, None): _Profile(12, (
        ("CN", "CNY", 25), ("JP", "JPY", 20), ("TW", "TWD", 12), ("US", "USD", 8),
        ("HK", "USD", 8), ("SG", "USD", 4), ("RU", "USD", 5), ("KZ", "USD", 3),
        ("AU", "USD", 2), ("CA", "USD", 2)), (6, 3, 1), "1.10", "typed",
        lang=(("CNY", "zh-Hans"), ("JPY", "ja"))),
    (Platform.EBAY, None): _Profile(10, (
        ("US", "USD", 40), ("GB", "GBP", 12), ("DE", "EUR", 10), ("FR", "EUR", 6),
        ("ES", "EUR", 4), ("PL", "EUR", 4), ("CZ", "EUR", 3), ("CA", "USD", 4),
        ("AU", "USD", 4)), (2, 1, 7), "1.25", "typed", us_tax=True),
    (Platform.SHOPEE, "TW"): _Profile(14, (("TW", "TWD", 1),), (7, 1, 2), "1.00", "hidden"),
    (Platform.SHOPEE, "SG"): _Profile(6, (("SG", "SGD", 1),), (7, 1, 2), "1.00", "hidden"),
    (Platform.SHOPEE, "MY"): _Profile(5, (("MY", "MYR", 1),), (7, 1, 2), "1.00", "hidden"),
    (Platform.SHOPEE, "TH"): _Profile(4, (("TH", "THB", 1),), (8, 1, 1), "1.00", "hidden"),
    (Platform.SHOPEE, "VN"): _Profile(4, (("VN", "VND", 1),), (8, 1, 1), "1.00", "hidden"),
    (Platform.QOO10, None): _Profile(14, (("JP", "JPY", 1),), (8, 1, 1), "1.00", "hidden",
                                     lang=(("JPY", "ja"),)),
    (Platform.AMAZON, None): _Profile(10, (("US", "USD", 1),), (8, 0, 2), "1.30", "masked",
                                      us_tax=True),
    (Platform.ETSY, None): _Profile(4, (
        ("US", "USD", 50), ("CA", "USD", 6), ("GB", "USD", 8), ("AU", "USD", 5),
        ("DE", "EUR", 10), ("FR", "EUR", 8), ("ES", "EUR", 4), ("PL", "EUR", 3),
        ("CZ", "EUR", 3)), (0, 6, 4), "1.20", "typed", us_tax=True),
    (Platform.NAVER, None): _Profile(8, (("KR", "KRW", 1),), (6, 3, 1), "1.00", "typed",
                                     lang=(("KRW", "ko"),)),
}
# Platforms without a profile of their own sell like the nearest one.
_STAND_INS = {
    Platform.SHOPEE: (Platform.SHOPEE, "TW"), Platform.WOOCOMMERCE: (Platform.SHOPIFY, None),
    Platform.COUPANG: (Platform.NAVER, None), Platform.FILE_IMPORT: (Platform.EBAY, None),
}


def _profile(account: ChannelAccount) -> _Profile:
    key = (account.platform, account.settings.get("region"))
    if key not in _PROFILES:
        key = (account.platform, None)
    return _PROFILES.get(key) or _PROFILES[_STAND_INS[account.platform]]


# --- prices ----------------------------------------------------------------------------

_KRW_PER_UNIT = {
    "KRW": "1", "USD": "1380", "EUR": "1500", "GBP": "1750", "AUD": "900", "CAD": "1000",
    "JPY": "9.2", "CNY": "190", "TWD": "43", "SGD": "1030", "MYR": "300", "THB": "39",
    "VND": "0.054",
}
# Shelf prices as shops write them: round to `unit`, then take `off`: 24.99, 22.90,
# ¥2,980, NT$689, ₫289,000, ₩32,000.
_CHARM = {
    "KRW": ("100", "0"), "USD": ("1", "0.01"), "EUR": ("1", "0.10"), "GBP": ("1", "0.01"),
    "AUD": ("1", "0.05"), "CAD": ("1", "0.01"), "JPY": ("100", "20"), "CNY": ("10", "2"),
    "TWD": ("10", "1"), "SGD": ("1", "0.10"), "MYR": ("1", "0.10"), "THB": ("10", "1"),
    "VND": ("1000", "0"),
}
# Buyer-paid shipping and the order value above which it is free.
_SHIPPING = {
    "KRW": ("3000", "50000"), "USD": ("9.90", "60"), "EUR": ("8.90", "55"),
    "GBP": ("7.50", "45"), "AUD": ("14.90", "90"), "CAD": ("12.90", "80"),
    "JPY": ("500", "3980"), "CNY": ("35", "299"), "TWD": ("60", "499"), "SGD": ("2.99", "30"),
    "MYR": ("4.90", "59"), "THB": ("39", "399"), "VND": ("30000", "300000"),
}
# Coupons come out in whole yen, tens of won, whole dong thousands.
_DISCOUNT_STEP = {"KRW": 100, "JPY": 10, "VND": 1000, "TWD": 100, "THB": 100}


def _shelf_price(krw: int, markup: str, currency: str) -> Money:
    value = Decimal(krw) * Decimal(markup) / Decimal(_KRW_PER_UNIT[currency])
    unit, off = (Decimal(x) for x in _CHARM[currency])
    price = (value / unit).quantize(Decimal(1), ROUND_HALF_UP) * unit - off
    return Money.parse(max(price, unit - off), currency)


def _decimal_text(minor: int, digits: int) -> str:
    """Minor units as the platforms write amounts: 5490, 2 -> '54.90'."""
    if not digits:
        return str(minor)
    sign, minor = ("-", -minor) if minor < 0 else ("", minor)
    return f"{sign}{minor // 10**digits}.{minor % 10**digits:0{digits}d}"


# --- statuses over an order's age -------------------------------------------------------

_S = OrderStatus
_STATUSES = (_S.AWAITING_PAYMENT, _S.AWAITING_SHIPMENT, _S.ON_HOLD, _S.SHIPPED, _S.DELIVERED,
             _S.CANCELLED, _S.REFUNDED, _S.PARTIALLY_REFUNDED)
# (age in days up to, weights in _STATUSES order): new orders wait to be packed, old ones
# have arrived, a few are cancelled or refunded.
_BY_AGE = tuple((limit, list(accumulate(weights))) for limit, weights in (
    (1.5, (10, 72, 8, 6, 0, 4, 0, 0)),
    (4.0, (3, 35, 6, 52, 0, 4, 0, 0)),
    (12.0, (0, 3, 2, 75, 15, 3, 1, 1)),
    (25.0, (0, 0, 0, 25, 67, 3, 2, 3)),
    (float("inf"), (0, 0, 0, 2, 88, 4, 3, 3)),
))
# Hours from ordering to the platform's last change, by status.
_UPDATED_AFTER_H = {
    _S.AWAITING_PAYMENT: (0, 1), _S.AWAITING_SHIPMENT: (0.1, 6), _S.ON_HOLD: (2, 48),
    _S.SHIPPED: (20, 96), _S.DELIVERED: (120, 400), _S.CANCELLED: (0.5, 30),
    _S.REFUNDED: (240, 720), _S.PARTIALLY_REFUNDED: (200, 600),
}
_SPAN_S = 180 * 86400
_LINES_PER_ORDER = (1,) * 55 + (2,) * 28 + (3,) * 12 + (4,) * 5
_QUANTITIES = (1,) * 76 + (2,) * 17 + (3,) * 6 + (4,)
_UNKNOWN_SKU_RATE = 0.01


def _forced_statuses(ages: list[int]) -> dict[int, OrderStatus]:
    """Give every status to one order of a fitting age, so small sets show them all.

    `ages` is sorted oldest first.
    """
    n = len(ages)
    forced: dict[int, OrderStatus] = {}
    for index, status in ((n - 1, _S.AWAITING_PAYMENT), (n - 2, _S.ON_HOLD),
                          (n - 3, _S.AWAITING_SHIPMENT), (0, _S.DELIVERED), (1, _S.REFUNDED),
                          (2, _S.PARTIALLY_REFUNDED), (3, _S.CANCELLED)):
        if 0 <= index < n and index not in forced:
            forced[index] = status
    free = [i for i in range(n) if i not in forced]
    if free:  # shipped: the order closest to six days old
        forced[min(free, key=lambda i: abs(ages[i] - 6 * 86400))] = _S.SHIPPED
    return forced


# --- per-account state: prices, numbering, payload ----------------------------------------

class _Offer(NamedTuple):
    """What one shop sells in one currency, ready to draw from."""

    cumulative: list[float]
    items: list[tuple[str, str, Money]]  # sku, title, unit price
    legacy: list[tuple[str, str, Money]]


_NUMBER_BASE = {Platform.SHOPIFY: 5_800_000_000_000, Platform.EBAY: 121_034_500_000,
                Platform.QOO10: 1_060_000_000, Platform.ETSY: 3_200_000_000}
_CAFE24_SHOP_NO = {"USD": 2, "JPY": 3, "CNY": 4, "TWD": 5}  # one shop per language


class _Shop:
    """One account while generating: its offers, order counters and payload style."""

    def __init__(self, account: ChannelAccount, products: Sequence[Product]) -> None:
        if account.id is None:
            raise ValueError(f"Account {account.display_name} has no id yet: save it first")
        self.account, self.profile = account, _profile(account)
        self.platform = account.platform
        self.seq = 0
        self.taken: set[str] = set()  # ids drawn at random, to keep them unique
        self.per_day: dict[str, int] = {}
        self.offers = {ccy: self._offer(products, ccy) for _, ccy, _ in self.profile.routes}

    def _offer(self, products: Sequence[Product], currency: str) -> _Offer:
        rows = {row.sku: row for row in pools.CATALOGUE}
        lang = dict(self.profile.lang).get(currency)
        mix = dict(zip(("beauty", "fashion", "kpop"), self.profile.mix, strict=True))
        weights, items = [], []
        for product in products:
            row = rows.get(product.sku)
            category = row.category if row else "beauty"
            weight = mix[category] * (row.popularity if row else 2)
            if weight:
                title = product.titles.get(lang, product.title) if lang else product.title
                krw = row.krw if row else 20000
                items.append((product.sku, title,
                              _shelf_price(krw, self.profile.markup, currency)))
                weights.append(weight)
        if not items:
            raise ValueError(f"No products to sell on {self.account.display_name}")
        legacy = [(sku, title, _shelf_price(int(krw), self.profile.markup, currency))
                  for sku, title, krw in pools.LEGACY_LISTINGS]
        return _Offer(list(accumulate(weights)), items, legacy)

    def number(self, r: pools.Rand, day: str, local_day: str) -> tuple[str, str, int]:
        """(order number, platform order id, numeric id) in the platform's own style."""
        self.seq += 1
        seq, p = self.seq, self.platform
        if p is Platform.SHOPIFY:
            raw_id = _NUMBER_BASE[p] + seq * 1117 + int(r() * 1117)
            return f"#{1000 + seq}", f"gid://shopify/Order/{raw_id}", raw_id
        if p is Platform.CAFE24 or p is Platform.NAVER:  # KST date + that day's counter
            n = self.per_day[day] = self.per_day.get(day, 0) + 1
            if p is Platform.CAFE24:
                number = f"{day}-{n:07d}"
            else:
                number = f"{day}{13_000_000 + n * 97 + int(r() * 97):08d}"
            return number, number, seq
        if p is Platform.EBAY:
            digits = f"{_NUMBER_BASE[p] + seq * 99_991 + int(r() * 99_991):012d}"
            number = f"{digits[:2]}-{digits[2:7]}-{digits[7:]}"
            return number, number, seq
        if p is Platform.SHOPEE:
            while True:
                sn = local_day[2:] + "".join(_SN_CHARS[int(r() * 36)] for _ in range(8))
                if sn not in self.taken:
                    self.taken.add(sn)
                    return sn, sn, seq
        if p is Platform.AMAZON:
            while True:
                number = f"11{int(r() * 4) + 1}-{int(r() * 1e7):07d}-{int(r() * 1e7):07d}"
                if number not in self.taken:
                    self.taken.add(number)
                    return number, number, seq
        if p is Platform.QOO10 or p is Platform.ETSY:
            step = 37 if p is Platform.QOO10 else 2311
            raw_id = _NUMBER_BASE[p] + seq * step + int(r() * step)
            return str(raw_id), str(raw_id), raw_id
        return str(1000 + seq), str(1000 + seq), 1000 + seq  # WooCommerce-style

    def raw(self, number: str, raw_id: int, status: OrderStatus, currency: str, total: str,
            minor: int, ordered_at: datetime, country: str) -> dict[str, Any]:
        """A small payload shaped like the platform's own API answer."""
        p, i = self.platform, _STATUSES.index(status)
        if p is Platform.SHOPIFY:
            financial, fulfillment = _SHOPIFY_STATUS[i]
            return {"id": raw_id, "name": number, "currency": currency, "total_price": total,
                    "financial_status": financial, "fulfillment_status": fulfillment,
                    "created_at": ordered_at.isoformat()}
        if p is Platform.CAFE24:
            return {"order_id": number, "shop_no": _CAFE24_SHOP_NO.get(currency, 1),
                    "currency": currency, "payment_amount": total,
                    "order_status": _CAFE24_STATUS[i]}
        if p is Platform.EBAY:
            payment, fulfillment = _EBAY_STATUS[i]
            return {"orderId": number, "orderPaymentStatus": payment,
                    "orderFulfillmentStatus": fulfillment,
                    "pricingSummary": {"total": {"value": total, "currency": currency}}}
        if p is Platform.SHOPEE:  # Shopee really sends amounts as JSON numbers
            return {"order_sn": number, "region": country, "currency": currency,
                    "order_status": _SHOPEE_STATUS[i], "total_amount": float(total),
                    "create_time": int(ordered_at.timestamp())}
        if p is Platform.QOO10:
            return {"orderNo": raw_id, "packNo": raw_id - 7_000_000, "currency": currency,
                    "shippingStatus": _QOO10_STATUS[i], "total": total}
        if p is Platform.AMAZON:
            return {"AmazonOrderId": number, "OrderStatus": _AMAZON_STATUS[i],
                    "MarketplaceId": self.account.settings.get("marketplace_id", "ATVPDKIKX0DER"),
                    "FulfillmentChannel": "MFN",
                    "OrderTotal": {"CurrencyCode": currency, "Amount": total}}
        if p is Platform.ETSY:
            return {"receipt_id": raw_id, "status": _ETSY_STATUS[i],
                    "grandtotal": {"amount": minor, "divisor": 10 ** currency_digits(currency),
                                   "currency_code": currency}}
        if p is Platform.NAVER:
            return {"orderId": number, "productOrderStatus": _NAVER_STATUS[i],
                    "totalPaymentAmount": minor}
        return {"id": raw_id, "number": number, "status": _WOO_STATUS[i], "currency": currency,
                "total": total}


_SN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# Each platform's words for _STATUSES, in the same order.
_SHOPIFY_STATUS = (("pending", None), ("paid", None), ("paid", None), ("paid", "fulfilled"),
                   ("paid", "fulfilled"), ("voided", None), ("refunded", "fulfilled"),
                   ("partially_refunded", "fulfilled"))
_CAFE24_STATUS = ("N00", "N20", "N22", "N30", "N40", "C40", "R40", "R40")
_EBAY_STATUS = (("PENDING", "NOT_STARTED"), ("PAID", "NOT_STARTED"), ("PAID", "NOT_STARTED"),
                ("PAID", "FULFILLED"), ("PAID", "FULFILLED"), ("FULLY_REFUNDED", "NOT_STARTED"),
                ("FULLY_REFUNDED", "FULFILLED"), ("PARTIALLY_REFUNDED", "FULFILLED"))
_SHOPEE_STATUS = ("UNPAID", "READY_TO_SHIP", "IN_CANCEL", "SHIPPED", "COMPLETED", "CANCELLED",
                  "TO_RETURN", "COMPLETED")
_QOO10_STATUS = ("入金待ち", "配送要請", "配送遅延", "配送中", "配送完了", "キャンセル", "返品完了",
                 "一部返金")
_AMAZON_STATUS = ("Pending", "Unshipped", "Unshipped", "Shipped", "Shipped", "Canceled",
                  "Shipped", "Shipped")
_ETSY_STATUS = ("payment processing", "paid", "paid", "completed", "completed", "canceled",
                "fully refunded", "partially refunded")
_NAVER_STATUS = ("PAYMENT_WAITING", "PAYED", "PAYED", "DELIVERING", "PURCHASE_DECIDED",
                 "CANCELED", "RETURNED", "PURCHASE_DECIDED")
_WOO_STATUS = ("pending", "processing", "on-hold", "completed", "completed", "cancelled",
               "refunded", "completed")


class _Route(NamedTuple):
    """One shop selling to one country in one currency."""

    shop: _Shop
    country: str
    currency: str
    build: pools.Builder
    offer: _Offer
    shipping: Money
    free_over: int  # minor units
    zero: Money
    step: int  # discount rounding, minor units
    digits: int
    notes: tuple[str, ...]


def _routes(shops: list[_Shop]) -> tuple[list[_Route], list[float]]:
    routes, weights = [], []
    for shop in shops:
        legs = shop.profile.routes
        share = shop.profile.weight / sum(w for _, _, w in legs)
        for country, currency, weight in legs:
            fee, free_over = _SHIPPING[currency]
            routes.append(_Route(
                shop, country, currency, pools.BUILDERS[country], shop.offers[currency],
                Money.parse(fee, currency), Money.parse(free_over, currency).minor,
                Money.zero(currency), _DISCOUNT_STEP.get(currency, 1), currency_digits(currency),
                pools.notes_for(country)))
            weights.append(weight * share)
    return routes, list(accumulate(weights))


def _cover(routes: list[_Route]) -> list[_Route]:
    """Routes that between them reach every country, platform and currency, first-come."""
    chosen: list[_Route] = []
    for key in (lambda rt: rt.country, lambda rt: rt.shop.platform, lambda rt: rt.currency):
        seen = {key(rt) for rt in chosen}
        for route in routes:
            if key(route) not in seen:
                seen.add(key(route))
                chosen.append(route)
    return chosen


# --- orders --------------------------------------------------------------------------------

def demo_orders(accounts: list[ChannelAccount], products: list[Product], count: int, *,
                seed: int = 2026, now: datetime) -> Iterator[Order]:
    """`count` orders over the 180 days before `now`, oldest first.

    `accounts` must carry ids (saved); any platform works, the demo_accounts() ones sell
    the most realistically. Orders point at `products` by SKU, about 1% of lines at
    listings the catalogue no longer knows. A few orders, placed at random, are given the
    statuses, countries and platforms that chance might miss, so even a few hundred
    orders show them all.
    """
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone, e.g. datetime.now(UTC)")
    if not accounts:
        raise ValueError("Demo orders need at least one account")
    if not products:
        raise ValueError("Demo orders need at least one product")
    now = now.astimezone(UTC).replace(microsecond=0)
    shops = [_Shop(account, products) for account in accounts]
    routes, route_cum = _routes(shops)
    rng = random.Random(seed)
    r = rng.random
    # Ages in seconds, denser towards now (u ** 1.6 bunches near 0), oldest first.
    ages = sorted((int(_SPAN_S * r() ** 1.6) for _ in range(count)), reverse=True)
    forced_status = _forced_statuses(ages)
    cover = _cover(routes)
    places = rng.sample(range(count), min(count, len(cover)))
    forced_route = dict(zip(places, cover, strict=False))
    return _generate(r, now, ages, routes, route_cum, forced_status, forced_route)


def _generate(r: pools.Rand, now: datetime, ages: list[int], routes: list[_Route],
              route_cum: list[float], forced_status: dict[int, OrderStatus],
              forced_route: dict[int, _Route]) -> Iterator[Order]:
    route_total = route_cum[-1]
    now_ts = now.timestamp()
    day_cache: dict[tuple[int, int], str] = {}
    line_id = 13_400_000_000

    def day(ts: float, offset_h: int) -> str:
        key = (int(ts + offset_h * 3600) // 86400, offset_h)
        text = day_cache.get(key)
        if text is None:
            text = day_cache[key] = datetime.fromtimestamp(key[0] * 86400, UTC).strftime("%Y%m%d")
        return text

    for i, age in enumerate(ages):
        route = forced_route.get(i)
        rich = route is not None
        if route is None:
            route = routes[bisect(route_cum, r() * route_total)]
        shop, currency, offer = route.shop, route.currency, route.offer

        # status from age, then the time of its last change
        status = forced_status.get(i)
        if status is None:
            days = age / 86400
            for limit, cum in _BY_AGE:
                if days <= limit:
                    status = _STATUSES[bisect(cum, r() * cum[-1])]
                    break
        ts = now_ts - age
        ordered_at = now - timedelta(seconds=age)
        lo, hi = _UPDATED_AFTER_H[status]
        updated_at = ordered_at + timedelta(seconds=min(age, int((lo + r() * (hi - lo)) * 3600)))

        # lines: distinct products, now and then an old listing
        lines, picked, subtotal = [], [], 0
        for _ in range(_LINES_PER_ORDER[int(r() * 100)]):
            if r() < _UNKNOWN_SKU_RATE:
                sku, title, price = offer.legacy[int(r() * len(offer.legacy))]
            else:
                cumulative = offer.cumulative
                sku, title, price = offer.items[bisect(cumulative, r() * cumulative[-1])]
            if sku in picked:
                continue
            picked.append(sku)
            quantity = _QUANTITIES[int(r() * 100)]
            line_id += 1
            lines.append(OrderLine(sku, title, quantity, price, str(line_id)))
            subtotal += price.minor * quantity

        # money: coupon, shipping, US sales tax
        discount_minor = 0
        if r() < 0.12:
            percent = (5, 10, 10, 15, 20)[int(r() * 5)]
            discount_minor = subtotal * percent // 100 // route.step * route.step
        shipping = route.zero if subtotal - discount_minor >= route.free_over else route.shipping
        parts = route.build(r, rich)
        tax_minor = 0
        if parts.tax_bp and shop.profile.us_tax:
            tax_minor = ((subtotal - discount_minor) * parts.tax_bp + 5000) // 10000
        paid_minor = subtotal + shipping.minor + tax_minor - discount_minor

        # buyer
        email = ""
        style = shop.profile.email
        if style == "typed":
            suffix = str(_number(r, 1, 99)) if r() < 0.5 else ""
            domain = "example.jp" if route.country == "JP" else "example.com"
            email = f"{parts.slug}{suffix}@{domain}"
        elif style == "masked":
            email = f"{int(r() * 16**14):014x}@example.com"
        address = Address(parts.typed, route.country, parts.postal, parts.phone, email, parts.latin)
        note = route.notes[int(r() * len(route.notes))] if r() < 0.04 else ""

        platform_day = day(ts, 9)
        local_day = day(ts, 8) if shop.platform is Platform.SHOPEE else platform_day
        number, platform_id, raw_id = shop.number(r, platform_day, local_day)
        total_text = _decimal_text(paid_minor, route.digits)
        yield Order(
            account_id=shop.account.id, platform_order_id=platform_id, order_number=number,
            status=status, ordered_at=ordered_at, currency=currency, ship_to=address,
            lines=lines, buyer_name=parts.typed.name, buyer_email=email, shipping=shipping,
            tax=Money(tax_minor, currency) if tax_minor else None,
            discount=Money(discount_minor, currency) if discount_minor else None,
            paid_total=Money(paid_minor, currency), updated_at=updated_at, note=note,
            raw=shop.raw(number, raw_id, status, currency, total_text, paid_minor, ordered_at,
                         route.country),
        )


def _number(r: pools.Rand, lo: int, hi: int) -> int:
    return lo + int(r() * (hi - lo + 1))
