"""Customs exchange rates and KRW amounts.

- The customs rate (관세청 과세환율) is published weekly and applies from a date (a Sunday)
  for the week. A parcel uses the latest rate on or before its rate date, and only within
  RATE_DAYS of it: an old rate is never carried into a later week. The rate date is the
  shipping date by default, or the declaration's date (a store setting, unverified: see
  fulfill.domain.export_declaration.RateDate).
- KRW amounts: foreign amount × rate ÷ unit, with anything under one won cut off
  (원 미만 절사). Rates for JPY, VND and IDR are published per 100 units.

Part of the export paperwork domain (fulfill.domain.exports gives the overview). Stdlib only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from fulfill.domain.money import Money

KRW = "KRW"
RATE_DAYS = 7  # a weekly rate covers the seven days from the date it applies from
# Customs publishes these per 100 units (JPY 100 = 912.35 won).
PER_100_CURRENCIES = frozenset({"JPY", "VND", "IDR"})


def customs_week(day: date) -> date:
    """The Sunday the customs rate week of `day` starts on (rates apply Sunday to Saturday)."""
    return day - timedelta(days=(day.weekday() + 1) % 7)


def parse_rate(text: str) -> Decimal:
    """A published rate as an exact decimal: "1,385.20" -> Decimal("1385.20")."""
    cleaned = str(text).strip().replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a rate") from None
    if not value.is_finite() or value <= 0:
        raise ValueError(f"{text!r} is not a rate: it must be a positive number")
    if value.as_tuple().exponent < -6:  # type: ignore[operator]
        raise ValueError(f"{text!r} has more than 6 decimal places")
    return value


@dataclass(frozen=True)
class CustomsRate:
    """`rate` won for `unit` units of `currency`, in force from `applies_from` (a KST day)."""

    currency: str
    applies_from: date
    rate: Decimal
    unit: int = 1
    source: str = ""  # "entered", "demo", or the file it was imported from
    entered_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.unit not in (1, 100):
            raise ValueError(f"A rate is per 1 or per 100 units, not per {self.unit}")
        if self.rate <= 0:
            raise ValueError(f"A {self.currency} rate must be positive")

    @property
    def per_unit(self) -> Decimal:
        return self.rate / self.unit

    @property
    def text(self) -> str:
        """"1385.20", or "912.35/100" for a rate per 100 units."""
        return f"{self.rate}" if self.unit == 1 else f"{self.rate}/{self.unit}"

    def covers(self, day: date) -> bool:
        return self.applies_from <= day < self.applies_from + timedelta(days=RATE_DAYS)

    def to_krw(self, amount: Money) -> Money:
        """The amount in won, under one won cut off (원 미만 절사)."""
        if amount.currency != self.currency:
            raise ValueError(f"A {self.currency} rate cannot convert {amount.currency}")
        won = (amount.to_decimal() * self.rate / self.unit).quantize(Decimal(1), ROUND_DOWN)
        return Money(int(won), KRW)


def identity_rate(day: date) -> CustomsRate:
    """Won are won: the rate an order priced in KRW uses."""
    return CustomsRate(KRW, day, Decimal(1), 1, "KRW")


def rate_on(rates: list[CustomsRate], currency: str, day: date) -> CustomsRate | None:
    """The rate for `currency` in force on `day`: the latest on or before it, if it still
    covers the day. `rates` may hold any currencies, in any order."""
    if currency == KRW:
        return identity_rate(day)
    best = None
    for rate in rates:
        if rate.currency == currency and rate.applies_from <= day and (
                best is None or rate.applies_from > best.applies_from):
            best = rate
    return best if best is not None and best.covers(day) else None
