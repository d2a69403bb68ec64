"""The rules of export paperwork, without a store: periods in Korean time at quarter
boundaries, the week's customs rate, KRW conversion with 원 미만 절사, the dated
simplified-declaration limit and export declaration numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from fulfill.domain import Money
from fulfill.domain.export_declaration import (
    DEFAULT_LIMITS, DatedLimit, DeclarationRoute, format_business_number, format_declaration_number,
    limit_on, normalize_declaration_number, route_for,
)
from fulfill.domain.export_period import KST, Period, kst_date
from fulfill.domain.export_rates import CustomsRate, customs_week, parse_rate, rate_on


# --- periods -------------------------------------------------------------------------------

def test_a_parcel_shipped_late_on_31_march_in_korea_is_in_q1():
    late = datetime(2026, 3, 31, 14, 30, tzinfo=UTC)  # 23:30 KST
    midnight = datetime(2026, 3, 31, 15, 0, tzinfo=UTC)  # 00:00 KST on 1 April
    q1, q2 = Period.quarter(2026, 1), Period.quarter(2026, 2)
    assert kst_date(late) == date(2026, 3, 31) and q1.contains(kst_date(late))
    assert kst_date(midnight) == date(2026, 4, 1) and q2.contains(kst_date(midnight))
    assert not q1.contains(kst_date(midnight))


def test_quarter_bounds_are_korean_midnights_in_utc():
    start, end = Period.parse("2026Q1").utc_bounds()
    assert start == datetime(2025, 12, 31, 15, tzinfo=UTC)
    assert end == datetime(2026, 3, 31, 15, tzinfo=UTC)
    assert Period.quarter(2026, 4).end == date(2027, 1, 1)


def test_the_fixed_offset_is_asia_seoul_on_every_boundary_tested():
    seoul = ZoneInfo("Asia/Seoul")
    for day in (date(2026, 1, 1), date(2026, 4, 1), date(2026, 7, 1), date(2026, 10, 1),
                date(2027, 1, 1), date(2024, 8, 1)):
        moment = datetime(day.year, day.month, day.day, tzinfo=KST)
        assert moment.utcoffset() == moment.astimezone(seoul).utcoffset()
        assert moment.astimezone(seoul).date() == day


def test_a_moment_without_a_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        kst_date(datetime(2026, 3, 31, 23, 30))


@pytest.mark.parametrize("text, start, end", [
    ("2026Q3", date(2026, 7, 1), date(2026, 10, 1)),
    ("2026-q4", date(2026, 10, 1), date(2027, 1, 1)),
    ("2026-02", date(2026, 2, 1), date(2026, 3, 1)),
    ("2026-12", date(2026, 12, 1), date(2027, 1, 1)),
    ("2026", date(2026, 1, 1), date(2027, 1, 1)),
])
def test_periods_parse(text, start, end):
    period = Period.parse(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["2026Q5", "2026-13", "Q3", "last quarter", ""])
def test_impossible_periods_are_refused_with_the_forms_that_work(text):
    with pytest.raises(ValueError):
        Period.parse(text)


def test_labels_and_vat_terms():
    assert Period.parse("2026Q1").vat_term == "2026년 1기 예정"
    assert Period.parse("2026Q2").vat_term == "2026년 1기 확정"
    assert Period.parse("2026Q3").vat_term == "2026년 2기 예정"
    assert Period.parse("2026Q4").vat_term == "2026년 2기 확정"
    assert Period.parse("2026-07").vat_term == "" and Period.parse("2026-07").label == "2026-07"
    days = Period.days(date(2026, 7, 1), date(2026, 9, 15))
    assert days.label == "2026-07-01 – 2026-09-15" and days.last == date(2026, 9, 15)
    assert Period.last_quarter(date(2026, 11, 20)) == Period.quarter(2026, 3)
    assert Period.last_quarter(date(2026, 1, 2)) == Period.quarter(2025, 4)


# --- rates and won ---------------------------------------------------------------------------

def _rate(currency, day, rate, unit=1):
    return CustomsRate(currency, day, Decimal(rate), unit)


def test_customs_weeks_start_on_sunday():
    assert customs_week(date(2026, 7, 5)) == date(2026, 7, 5)  # a Sunday
    assert customs_week(date(2026, 7, 11)) == date(2026, 7, 5)  # Saturday
    assert customs_week(date(2026, 7, 12)) == date(2026, 7, 12)


def test_the_rate_in_force_is_the_latest_on_or_before_within_its_week():
    rates = [_rate("USD", date(2026, 7, 5), "1380.10"), _rate("USD", date(2026, 7, 12), "1391.50"),
             _rate("EUR", date(2026, 7, 12), "1500")]
    assert rate_on(rates, "USD", date(2026, 7, 11)).rate == Decimal("1380.10")
    assert rate_on(rates, "USD", date(2026, 7, 12)).rate == Decimal("1391.50")
    assert rate_on(rates, "USD", date(2026, 7, 18)).rate == Decimal("1391.50")
    assert rate_on(rates, "USD", date(2026, 7, 19)) is None  # the week after: no rate yet
    assert rate_on(rates, "USD", date(2026, 7, 4)) is None
    assert rate_on(rates, "EUR", date(2026, 7, 11)) is None
    won = rate_on(rates, "KRW", date(2026, 7, 11))
    assert won.to_krw(Money(4_000_000, "KRW")).minor == 4_000_000


def test_won_are_cut_below_one_won():
    usd = _rate("USD", date(2026, 7, 5), "1385.27")
    assert usd.to_krw(Money.parse("12.34", "USD")) == Money(17094, "KRW")  # 17094.2318
    assert usd.to_krw(Money.parse("0.01", "USD")) == Money(13, "KRW")  # 13.8527
    jpy = _rate("JPY", date(2026, 7, 5), "912.35", 100)
    assert jpy.to_krw(Money.parse("1980", "JPY")) == Money(18064, "KRW")  # 18064.53
    assert jpy.text == "912.35/100" and usd.text == "1385.27"
    kwd = _rate("KWD", date(2026, 7, 5), "4500.5")
    assert kwd.to_krw(Money.parse("1.234", "KWD")) == Money(5553, "KRW")  # 5553.617
    with pytest.raises(ValueError, match="cannot convert"):
        usd.to_krw(Money.parse("1", "EUR"))


@pytest.mark.parametrize("text, value", [("1,385.20", "1385.20"), (" 912.35 ", "912.35")])
def test_rates_parse_exactly(text, value):
    assert parse_rate(text) == Decimal(value)


@pytest.mark.parametrize("text", ["0", "-5", "abc", "1.1234567", "NaN"])
def test_impossible_rates_are_refused(text):
    with pytest.raises(ValueError):
        parse_rate(text)


# --- the simplified declaration limit --------------------------------------------------------

def test_the_limit_is_dated():
    assert limit_on(DEFAULT_LIMITS, date(2024, 7, 31)) == 2_000_000
    assert limit_on(DEFAULT_LIMITS, date(2024, 8, 1)) == 4_000_000
    assert limit_on(DEFAULT_LIMITS, date(2014, 1, 1)) is None
    assert limit_on([DatedLimit(date(2027, 1, 1), 5_000_000), *DEFAULT_LIMITS],
                    date(2027, 3, 1)) == 5_000_000


def test_exactly_four_million_won_is_within_the_limit():
    day = date(2026, 7, 1)
    assert route_for(Money(4_000_000, "KRW"), day, DEFAULT_LIMITS) is DeclarationRoute.SIMPLIFIED
    assert route_for(Money(4_000_001, "KRW"), day, DEFAULT_LIMITS) is DeclarationRoute.REGULAR
    before = date(2024, 7, 31)
    assert route_for(Money(2_000_000, "KRW"), before, DEFAULT_LIMITS) is DeclarationRoute.SIMPLIFIED
    assert route_for(Money(3_000_000, "KRW"), before, DEFAULT_LIMITS) is DeclarationRoute.REGULAR


# --- declaration numbers -------------------------------------------------------------------

@pytest.mark.parametrize("text", ["1286524008922X", "12865-24-008922X", " 12865 24 008922x ",
                                  "12865-24-0089226"])
def test_declaration_numbers_normalise(text):
    number = normalize_declaration_number(text)
    assert len(number) == 14 and "-" not in number and number == number.upper()
    assert format_declaration_number(number)[5] == "-"


@pytest.mark.parametrize("text, reason", [
    ("", "empty"), ("12865-24-00892", "has 12 characters"), ("1286524008922XX", "has 15"),
    ("A286524008922X", "13 digits"), ("12865240089-2X", "has 13"),
])
def test_wrong_declaration_numbers_say_why(text, reason):
    with pytest.raises(ValueError, match=reason):
        normalize_declaration_number(text)


def test_business_numbers_print_with_hyphens():
    assert format_business_number("1208812345") == "120-88-12345"
    assert format_business_number("120-88-12345") == "120-88-12345"
    assert format_business_number("12345") == "12345"


def test_a_rate_unit_is_one_or_a_hundred():
    with pytest.raises(ValueError):
        CustomsRate("JPY", date(2026, 7, 5), Decimal("912"), 10)
    assert _rate("USD", date(2026, 7, 5), "1").covers(date(2026, 7, 5) + timedelta(days=6))
