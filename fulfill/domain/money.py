"""Money as an integer count of minor units plus an ISO 4217 code.

Never a float: amounts from platforms arrive as decimal strings and are converted
exactly; anything that does not fit the currency's minor unit is an error, not a rounding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import get_currency_precision, list_currencies


_PLAIN_AMOUNT = re.compile(r"^(-)?(\d+)(?:\.(\d*))?$")


@lru_cache(maxsize=None)
def _known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


@lru_cache(maxsize=None)
def currency_digits(code: str) -> int:
    """Digits after the decimal point for a currency (KRW/JPY 0, USD 2, KWD 3), from CLDR."""
    if code not in _known_currencies():
        raise ValueError(f"Unknown currency code {code!r}: use an ISO 4217 code such as USD or KRW")
    return get_currency_precision(code)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in minor units (cents, won, fils) of one currency."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise TypeError(f"Money needs whole minor units, got {self.minor!r}")
        currency_digits(self.currency)  # validates the code

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def parse(cls, amount: str | int | Decimal, currency: str) -> Money:
        """Exact conversion of a decimal amount ("12.30", 1200) into minor units.

        Raises ValueError when the amount has more decimals than the currency allows,
        because silently rounding a buyer's payment is never right.
        """
        if isinstance(amount, str):
            return _parse_text(amount, currency)
        if isinstance(amount, float):
            raise TypeError("Money.parse takes a str, int or Decimal, never a float")
        return _parse_decimal(amount, currency)

    def to_decimal(self) -> Decimal:
        return Decimal(self.minor).scaleb(-currency_digits(self.currency))

    def _same_currency(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"Cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise ValueError(f"Cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor - other.minor, self.currency)

    def __mul__(self, times: int) -> Money:
        if not isinstance(times, int) or isinstance(times, bool):
            raise TypeError("Money can only be multiplied by a whole number")
        return Money(self.minor * times, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.minor < other.minor

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.minor <= other.minor

    def __str__(self) -> str:
        return f"{self.to_decimal()} {self.currency}"


@lru_cache(maxsize=8192)
def _parse_text(amount: str, currency: str) -> Money:
    # Cached: a shop's prices and totals repeat, and a sync parses tens of thousands of them.
    # Money is immutable, so handing out the same instance twice is safe.
    digits = currency_digits(currency)
    if plain := _PLAIN_AMOUNT.match(amount):
        # Fast path for the common "12.30": whole-number arithmetic, same result as Decimal.
        sign, whole, fraction = plain.groups()
        fraction = (fraction or "").rstrip("0")
        if len(fraction) <= digits:
            minor = int(whole) * 10**digits + int(fraction.ljust(digits, "0") or 0)
            return Money(-minor if sign else minor, currency)
    return _parse_decimal(amount, currency)


def _parse_decimal(amount: str | int | Decimal, currency: str) -> Money:
    digits = currency_digits(currency)
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        raise ValueError(f"{amount!r} is not an amount of money") from None
    if not value.is_finite():
        raise ValueError(f"{amount!r} is not an amount of money")
    scaled = value.scaleb(digits)
    if scaled != scaled.to_integral_value():
        raise ValueError(
            f"{amount} {currency} has more than {digits} decimal place(s), "
            f"the most {currency} allows"
        )
    return Money(int(scaled), currency)


def total(amounts: list[Money], currency: str) -> Money:
    """Sum of amounts of one currency (zero for an empty list)."""
    result = Money.zero(currency)
    for amount in amounts:
        result = result + amount
    return result
