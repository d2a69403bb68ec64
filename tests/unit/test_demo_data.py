"""Demo data: deterministic, realistic, and covering every case the app has to show."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from fulfill.domain import Money, OrderStatus, Platform
from fulfill.services.demo_data import demo_accounts, demo_orders, demo_products

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def _saved_accounts():
    accounts = demo_accounts()
    for number, account in enumerate(accounts, start=1):
        account.id = number
    return accounts


@pytest.fixture(scope="module")
def accounts():
    return _saved_accounts()


@pytest.fixture(scope="module")
def products():
    return demo_products()


@pytest.fixture(scope="module")
def orders(accounts, products):
    return list(demo_orders(accounts, products, 300, now=NOW))


@pytest.fixture(scope="module")
def many_orders(accounts, products):
    return list(demo_orders(accounts, products, 5000, seed=7, now=NOW))


def _platform_of(accounts):
    return {account.id: account.platform for account in accounts}


def _scripts(text: str) -> set[str]:
    found = set()
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if name.startswith("CJK UNIFIED"):
            found.add("cjk")
        elif name.startswith(("HIRAGANA", "KATAKANA")):
            found.add("kana")
        elif name.startswith("HANGUL"):
            found.add("hangul")
        elif name.startswith("CYRILLIC"):
            found.add("cyrillic")
        elif name.startswith("LATIN") and (" WITH " in name or name.endswith("SHARP S")):
            found.add("latin-accented")
        elif name.startswith("LATIN"):
            found.add("latin")
    return found


def _ean13_ok(code: str) -> bool:
    if not re.fullmatch(r"\d{13}", code):
        return False
    digits = [int(d) for d in code]
    weighted = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - weighted % 10) % 10 == digits[12]


# --- accounts and products -----------------------------------------------------------

def test_accounts_are_unsaved_and_on_many_platforms():
    accounts = demo_accounts()
    assert len(accounts) >= 6
    assert len({a.platform for a in accounts}) >= 6
    assert all(a.id is None and a.name for a in accounts)
    assert {a.settings["region"] for a in accounts if a.platform is Platform.SHOPEE} >= {"TW", "SG"}


def test_products_have_valid_korean_barcodes(products):
    assert 35 <= len(products) <= 50
    assert len({p.sku for p in products}) == len(products)
    for product in products:
        assert product.barcode.startswith("880"), product.sku
        assert _ean13_ok(product.barcode), product.barcode
    assert len({p.barcode for p in products}) == len(products)


def test_hs_codes_are_6_or_10_digits_and_exactly_two_are_missing(products):
    missing = [p.sku for p in products if not p.hs_code]
    assert len(missing) == 2
    codes = [p.hs_code for p in products if p.hs_code]
    assert all(re.fullmatch(r"\d{6}|\d{10}", code) for code in codes)
    assert sum(len(code) == 10 for code in codes) >= 3
    chapters = {code[:4] for code in codes}
    assert {"3304", "6109", "8523", "4911"} <= chapters


def test_products_carry_customs_words_titles_and_weights(products):
    for product in products:
        assert set(product.customs_descriptions) == {"en", "zh-Hans", "ja"}, product.sku
        assert all(product.customs_descriptions.values()), product.sku
        assert "ko" in product.titles and _scripts(product.titles["ko"]) & {"hangul"}
        assert 0 < product.unit_weight_g < 2000
    origins = Counter(p.origin_country for p in products)
    assert origins["KR"] >= len(products) - 2 and len(origins) >= 2
    assert any("zh-Hans" in p.titles for p in products)
    assert any("ja" in p.titles for p in products)


# --- orders: determinism and coverage -------------------------------------------------

def test_same_inputs_give_the_same_orders(accounts, products, orders):
    again = list(demo_orders(_saved_accounts(), demo_products(), 300, now=NOW))
    assert again == orders
    other_seed = list(demo_orders(accounts, products, 300, seed=1, now=NOW))
    assert other_seed != orders


def test_300_orders_cover_platforms_countries_statuses_currencies(accounts, orders):
    platform_of = _platform_of(accounts)
    assert len(orders) == 300
    assert len({platform_of[o.account_id] for o in orders}) >= 5
    assert len({o.ship_to.country_code for o in orders}) >= 12
    assert {o.status for o in orders} == set(OrderStatus)
    currencies = {o.currency for o in orders}
    assert len(currencies) >= 6 and "KRW" in currencies


def test_even_eight_orders_show_every_status(accounts, products):
    few = list(demo_orders(accounts, products, 8, now=NOW))
    assert {o.status for o in few} == set(OrderStatus)


def test_addresses_use_every_script(orders):
    scripts = set()
    for order in orders:
        scripts |= _scripts(" ".join(order.ship_to.typed.lines()))
    assert {"cjk", "kana", "hangul", "cyrillic", "latin-accented", "latin"} <= scripts


def test_every_non_latin_address_has_a_latin_form(many_orders):
    non_latin = [o for o in many_orders if not o.ship_to.typed.is_latin()]
    assert non_latin
    for order in non_latin:
        assert order.ship_to.latin is not None, order.order_number
        assert order.ship_to.latin.is_latin(), order.ship_to.latin
        assert not order.ship_to.needs_latin_form


def test_scripts_match_countries(many_orders):
    expected = {"CN": "cjk", "TW": "cjk", "JP": "cjk", "KR": "hangul", "RU": "cyrillic",
                "KZ": "cyrillic"}
    for order in many_orders:
        script = expected.get(order.ship_to.country_code)
        if script:
            assert script in _scripts(order.ship_to.typed.name + order.ship_to.typed.line1)


# --- orders: money ---------------------------------------------------------------------

def test_money_adds_up(many_orders):
    for order in many_orders:
        zero = Money.zero(order.currency)
        expected = (order.subtotal + (order.shipping or zero) + (order.tax or zero)
                    - (order.discount or zero))
        assert order.paid_total == expected, order.order_number
        assert order.paid_total.minor > 0
        for amount in (order.shipping, order.tax, order.discount):
            assert amount is None or (amount.currency == order.currency and amount.minor >= 0)


def test_platforms_sell_in_their_own_currencies_and_countries(accounts, many_orders):
    platform_of = _platform_of(accounts)
    allowed = {
        Platform.SHOPEE: {"TWD", "SGD", "MYR", "THB", "VND"},
        Platform.QOO10: {"JPY"},
        Platform.CAFE24: {"USD", "JPY", "CNY", "TWD"},
        Platform.SHOPIFY: {"USD", "EUR", "GBP", "AUD", "CAD"},
        Platform.AMAZON: {"USD"},
        Platform.EBAY: {"USD", "GBP", "EUR"},
        Platform.ETSY: {"USD", "EUR"},
        Platform.NAVER: {"KRW"},
    }
    for order in many_orders:
        platform = platform_of[order.account_id]
        assert order.currency in allowed[platform], (platform, order.currency)
        if platform is Platform.SHOPEE:
            assert order.ship_to.country_code in {"TW", "SG", "MY", "TH", "VN"}
        if order.currency == "KRW":
            assert order.ship_to.country_code == "KR"
        if order.currency == "JPY":
            assert order.ship_to.country_code == "JP"


def test_prices_look_like_shelf_prices(many_orders):
    for order in many_orders:
        for line in order.lines:
            minor = line.unit_price.minor
            if order.currency == "JPY":
                assert minor % 10 == 0
            elif order.currency in ("VND", "KRW"):
                assert minor % 100 == 0
            elif order.currency == "USD":
                assert minor % 100 == 99


# --- orders: identity, numbers, lines, times, buyers --------------------------------------

def test_platform_order_ids_are_unique_per_account(many_orders):
    keys = [(o.account_id, o.platform_order_id) for o in many_orders]
    assert len(set(keys)) == len(keys)


_NUMBER_STYLE = {
    Platform.SHOPIFY: r"#\d{4,}",
    Platform.CAFE24: r"20\d{6}-\d{7}",
    Platform.EBAY: r"\d{2}-\d{5}-\d{5}",
    Platform.SHOPEE: r"\d{6}[0-9A-Z]{8}",
    Platform.QOO10: r"\d{10}",
    Platform.AMAZON: r"\d{3}-\d{7}-\d{7}",
    Platform.ETSY: r"\d{10}",
    Platform.NAVER: r"20\d{14}",
}


def test_order_numbers_follow_each_platform(accounts, many_orders):
    platform_of = _platform_of(accounts)
    for order in many_orders:
        platform = platform_of[order.account_id]
        assert re.fullmatch(_NUMBER_STYLE[platform], order.order_number), order.order_number
        if platform is Platform.SHOPIFY:
            assert order.platform_order_id.startswith("gid://shopify/Order/")
            assert order.raw["name"] == order.order_number


def test_raw_payloads_are_small_json(many_orders):
    for order in many_orders:
        text = json.dumps(order.raw, ensure_ascii=False)
        assert 20 < len(text) < 400


def test_lines_and_unknown_skus(products, many_orders):
    known = {p.sku for p in products}
    lines = [line for order in many_orders for line in order.lines]
    assert all(1 <= len(order.lines) <= 4 for order in many_orders)
    assert all(len({line.sku for line in o.lines}) == len(o.lines) for o in many_orders)
    quantities = Counter(line.quantity for line in lines)
    assert sum(quantities[q] for q in (1, 2, 3)) / len(lines) > 0.97
    unknown = [line for line in lines if line.sku not in known]
    assert 0.002 < len(unknown) / len(lines) < 0.03
    assert all(line.title for line in lines)


def test_times_are_utc_recent_and_ordered(many_orders):
    start = NOW - timedelta(days=180)
    for order in many_orders:
        assert order.ordered_at.tzinfo is not None
        assert start <= order.ordered_at <= NOW
        assert order.ordered_at <= order.updated_at <= NOW
    last_month = sum(o.ordered_at > NOW - timedelta(days=30) for o in many_orders)
    first_month = sum(o.ordered_at < start + timedelta(days=30) for o in many_orders)
    assert last_month > 2 * first_month


def test_new_orders_are_open_and_old_ones_closed(many_orders):
    new = [o for o in many_orders if o.ordered_at > NOW - timedelta(days=1)]
    old = [o for o in many_orders if o.ordered_at < NOW - timedelta(days=30)]
    assert sum(o.status.is_open for o in new) / len(new) > 0.7
    assert not any(o.status.is_open for o in old)
    assert sum(o.status is OrderStatus.DELIVERED for o in old) / len(old) > 0.8


_POSTAL = {
    "CN": r"\d{6}", "JP": r"\d{3}-\d{4}", "TW": r"\d{3}(\d{2})?", "KR": r"\d{5}",
    "US": r"\d{5}(-\d{4})?", "DE": r"\d{5}", "FR": r"\d{5}", "ES": r"\d{5}", "PL": r"\d{2}-\d{3}",
    "CZ": r"\d{3} \d{2}", "RU": r"\d{6}", "GB": r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}",
    "CA": r"[A-Z]\d[A-Z] \d[A-Z]\d", "SG": r"\d{6}", "AU": r"\d{4}", "HK": r"",
}


def test_postal_codes_phones_and_emails(many_orders):
    for order in many_orders:
        address = order.ship_to
        pattern = _POSTAL.get(address.country_code)
        if pattern is not None:
            assert re.fullmatch(pattern, address.postal_code), (address.country_code,
                                                                address.postal_code)
        assert re.fullmatch(r"\+\d{1,3} [\d\- ]{6,}", address.phone), address.phone
        assert order.buyer_name == address.typed.name
        if order.buyer_email:
            assert re.fullmatch(r"[a-z0-9.]+@example\.(com|jp)", order.buyer_email)


def test_unsaved_accounts_are_refused(products):
    with pytest.raises(ValueError, match="no id"):
        list(demo_orders(demo_accounts(), products, 3, now=NOW))
    with pytest.raises(ValueError, match="time zone"):
        list(demo_orders(_saved_accounts(), products, 3, now=datetime(2026, 3, 1)))
