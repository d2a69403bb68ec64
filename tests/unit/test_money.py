from decimal import Decimal

import pytest

from fulfill.domain import Money, currency_digits
from fulfill.domain.money import total


@pytest.mark.parametrize(("code", "digits"), [("KRW", 0), ("JPY", 0), ("USD", 2), ("EUR", 2), ("KWD", 3)])
def test_currency_digits_come_from_cldr(code, digits):
    assert currency_digits(code) == digits


def test_parse_is_exact_in_minor_units():
    assert Money.parse("12.30", "USD") == Money(1230, "USD")
    assert Money.parse("1.234", "KWD").minor == 1234
    assert Money.parse(15000, "KRW") == Money(15000, "KRW")
    assert Money.parse(Decimal("0.10"), "EUR").minor == 10


@pytest.mark.parametrize(("amount", "code"), [("12.345", "USD"), ("100.5", "KRW"), ("1.2345", "KWD")])
def test_parse_refuses_more_decimals_than_the_currency_has(amount, code):
    with pytest.raises(ValueError, match="decimal place"):
        Money.parse(amount, code)


def test_floats_are_refused():
    with pytest.raises(TypeError):
        Money.parse(0.1, "USD")
    with pytest.raises(TypeError):
        Money(1.5, "USD")


@pytest.mark.parametrize("bad", ["abc", "", "NaN", "Infinity"])
def test_garbage_amounts_are_refused(bad):
    with pytest.raises(ValueError):
        Money.parse(bad, "USD")


def test_unknown_currency_is_refused():
    with pytest.raises(ValueError, match="ISO 4217"):
        Money(100, "XYZ")


def test_arithmetic_keeps_currency_and_refuses_mixing():
    a = Money(1000, "JPY")
    assert a + Money(500, "JPY") == Money(1500, "JPY")
    assert a * 3 == Money(3000, "JPY")
    assert (a - Money(1500, "JPY")).minor == -500
    with pytest.raises(ValueError, match="Cannot combine"):
        _ = a + Money(1, "USD")
    assert total([], "KRW") == Money(0, "KRW")


def test_to_decimal_round_trip():
    assert Money(1230, "USD").to_decimal() == Decimal("12.30")
    assert Money(1234, "KWD").to_decimal() == Decimal("1.234")
    assert str(Money(15000, "KRW")) == "15000 KRW"
