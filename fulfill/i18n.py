"""Locale-aware formatting of money, dates and country names (babel). No Qt."""

from __future__ import annotations

import locale as _locale
from datetime import datetime
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_currency

from fulfill.domain import Money

FALLBACK_LOCALE = "en_US"


@lru_cache(maxsize=1)
def system_locale() -> str:
    """The user's locale as babel knows it, e.g. "ko_KR"; en_US when it cannot be told."""
    code = _locale.getlocale()[0] or ""
    try:
        return str(Locale.parse(code)) if code and code not in ("C", "POSIX") else FALLBACK_LOCALE
    except (ValueError, UnknownLocaleError):
        return FALLBACK_LOCALE


def format_money(amount: Money, locale: str | None = None) -> str:
    """"$1,234.50", "₩15,000", "¥1,200" for the amount's own currency, in the given locale."""
    return format_currency(amount.to_decimal(), amount.currency, locale=locale or system_locale())


def format_datetime(moment: datetime, locale: str | None = None, fmt: str = "medium") -> str:
    return _format_datetime(moment.astimezone(), format=fmt, locale=locale or system_locale())


@lru_cache(maxsize=512)
def country_name(code: str, locale: str | None = None) -> str:
    """"Japan" for JP (or "일본" in Korean); the code itself when babel does not know it."""
    territories = Locale.parse(locale or system_locale()).territories
    return territories.get(code, code)
