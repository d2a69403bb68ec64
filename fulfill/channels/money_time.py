"""Conversions every mapper needs: platform amounts and timestamps, exactly and in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timezone
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from fulfill.domain import Money, currency_digits

KST = ZoneInfo("Asia/Seoul")


def money(amount: str | int | Decimal | None, currency: str) -> Money:
    """A platform amount as Money. Floats are refused: pass the JSON text or an int."""
    if amount is None or amount == "":
        return Money.zero(currency)
    return Money.parse(amount, currency)


@lru_cache(maxsize=8192)
def unit_price(line_total: str | Decimal, quantity: int, currency: str) -> Money:
    """Unit price from a line total: exact when it divides, else to the nearest minor unit
    (the order's paid total stays the platform's own figure).

    Cached: a shop's line totals repeat, and Money is immutable."""
    if quantity < 1:
        raise ValueError(f"a line of {line_total} {currency} has quantity {quantity}")
    if isinstance(line_total, str):
        whole = Money.parse(line_total, currency)
        if whole.minor % quantity == 0:  # the usual case, in whole numbers
            return Money(whole.minor // quantity, currency)
    digits = currency_digits(currency)
    unit = (Decimal(str(line_total)) / quantity).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_EVEN)
    return Money.parse(unit, currency)


def parse_time(text: str, *, naive_zone: timezone | ZoneInfo = UTC) -> datetime:
    """ISO 8601 with or without offset ("Z" too); a time without offset is in `naive_zone`."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=naive_zone)
    # Most platforms send UTC already: converting it again would only copy it.
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def from_epoch(seconds: int | float) -> datetime:
    return datetime.fromtimestamp(int(seconds), UTC)


def iso_z(moment: datetime) -> str:
    """2026-11-20T09:00:00Z, as most platforms want a UTC timestamp."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
