from datetime import datetime

import pytest

from fulfill.domain import Address, AddressText, Money, Order, OrderLine, OrderStatus, is_latin
from tests.factories import chinese_address, german_address, order


def test_latin_detection_accepts_diacritics_and_rejects_other_scripts():
    assert is_latin("Zoë Müller, Łódź 12")
    assert is_latin("Calle Mayor 3º B, 2ª planta")
    assert not is_latin("王芳")
    assert not is_latin("김민수")
    assert not is_latin("Иван Петров")
    assert not is_latin("山田 はなこ")


def test_carrier_form_prefers_latin():
    address = chinese_address()
    assert address.for_carrier.name == "Wang Fang"
    assert address.typed.name == "王芳"
    assert not address.needs_latin_form
    assert german_address().for_carrier.name == "Jürgen Müller"
    assert not german_address().needs_latin_form


def test_non_latin_address_without_latin_form_is_flagged():
    address = Address(typed=AddressText(name="田中太郎", line1="渋谷区1-2-3"), country_code="JP")
    assert address.needs_latin_form


@pytest.mark.parametrize("code", ["cn", "CHN", "", "1A"])
def test_country_must_be_iso_alpha2(code):
    with pytest.raises(ValueError, match="ISO 3166"):
        Address(typed=AddressText(name="A", line1="B"), country_code=code)


def test_order_totals_are_computed_from_lines():
    o = order(1)
    assert o.subtotal == Money(2 * 2450 + 1200, "USD")
    assert o.grand_total == Money(6100 + 800, "USD")
    assert o.item_count == 3


def test_order_refuses_naive_times_and_mixed_currencies():
    with pytest.raises(ValueError, match="time zone"):
        Order(1, "x", "x", OrderStatus.SHIPPED, datetime(2026, 1, 1), "USD", german_address(), [])
    with pytest.raises(ValueError, match="is in JPY"):
        order(1, lines=[OrderLine("A", "a", 1, Money(100, "JPY"))])


def test_line_quantity_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        OrderLine("A", "a", 0, Money(100, "USD"))
