"""Locale-aware formatting of money, dates and country names (babel). No Qt."""

from __future__ import annotations

import locale as _locale
import re
from datetime import datetime
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_currency

from fulfill.domain import Money

FALLBACK_LOCALE = "en_US"
# The interface language's locale for dates, numbers and money (set at start-up with the
# language); None: the system's.
_display_locale: str | None = None


@lru_cache(maxsize=1)
def system_locale() -> str:
    """The user's locale as babel knows it, e.g. "ko_KR"; en_US when it cannot be told."""
    code = _locale.getlocale()[0] or ""
    try:
        return str(Locale.parse(code)) if code and code not in ("C", "POSIX") else FALLBACK_LOCALE
    except (ValueError, UnknownLocaleError):
        return FALLBACK_LOCALE


def set_display_locale(locale: str | None) -> None:
    """Dates, numbers and money from now on in `locale` ("ko_KR"); None: the system's."""
    global _display_locale
    _display_locale = locale
    country_name.cache_clear()


def display_locale() -> str:
    return _display_locale or system_locale()


def format_money(amount: Money, locale: str | None = None) -> str:
    """"$1,234.50", "₩15,000", "¥1,200" for the amount's own currency, in the given locale."""
    return format_currency(amount.to_decimal(), amount.currency, locale=locale or display_locale())


# Languages whose CLDR abbreviated day periods are the Latin "AM"/"PM" while people write
# their own words (오전/오후): their standard patterns use the wide form instead.
_WIDE_DAY_PERIODS = {"ko"}


def format_datetime(moment: datetime, locale: str | None = None, fmt: str = "medium") -> str:
    parsed = Locale.parse(locale or display_locale())
    pattern: str = fmt
    if parsed.language in _WIDE_DAY_PERIODS and fmt in parsed.time_formats:
        time_pattern = re.sub(r"(?<!a)a(?!a)", "aaaa", parsed.time_formats[fmt].pattern)
        pattern = str(parsed.datetime_formats[fmt]).replace(
            "{1}", parsed.date_formats[fmt].pattern).replace("{0}", time_pattern)
    return _format_datetime(moment.astimezone(), format=pattern, locale=parsed)


@lru_cache(maxsize=512)
def country_name(code: str, locale: str | None = None) -> str:
    """"Japan" for JP (or "일본" in Korean); the code itself when babel does not know it."""
    territories = Locale.parse(locale or display_locale()).territories
    return territories.get(code, code)
