"""How an export is declared: the simplified-declaration limit and the route it decides, the
store's export settings, and export declaration numbers.

- Simplified-declaration limit: dated settings, compared with the KRW FOB value on the rate
  date; a value equal to the limit is within it.
- Export declaration numbers (수출신고번호): 14 characters, 5-digit declarant code, 2-digit
  year, 6-digit serial and a check character (digit or letter), e.g. 1286524008922X. Hyphens
  and spaces are dropped; the check character cannot be verified (its rule is not public).

Part of the export paperwork domain (fulfill.domain.exports gives the overview). Stdlib only.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime

from fulfill.domain.money import Money


# --- the simplified declaration limit ------------------------------------------------------

@dataclass(frozen=True)
class DatedLimit:
    """The simplified e-commerce declaration takes parcels up to `krw` FOB from `since`."""

    since: date
    krw: int


# 2014-07-30 the e-commerce simplified declaration began at 200만원; 400만원 from 2024-08-01
# (taxtimes.co.kr 265254, customs-labels.md §6.1).
DEFAULT_LIMITS = (DatedLimit(date(2014, 7, 30), 2_000_000), DatedLimit(date(2024, 8, 1), 4_000_000))


def limit_on(limits: tuple[DatedLimit, ...] | list[DatedLimit], day: date) -> int | None:
    """The limit in force on `day` (None before the first: no simplified declaration then)."""
    found = None
    for limit in sorted(limits, key=lambda x: x.since):
        if limit.since <= day:
            found = limit.krw
    return found


class DeclarationRoute(enum.StrEnum):
    SIMPLIFIED = "simplified"  # 전자상거래 간이수출신고
    REGULAR = "regular"  # 정식 수출신고: over the limit

    @property
    def korean(self) -> str:
        return "간이수출신고" if self is DeclarationRoute.SIMPLIFIED else "정식수출신고"


def route_for(krw_fob: Money, day: date, limits: tuple[DatedLimit, ...]) -> DeclarationRoute:
    limit = limit_on(limits, day)
    if limit is None or krw_fob.minor > limit:
        return DeclarationRoute.REGULAR
    return DeclarationRoute.SIMPLIFIED


# --- settings -------------------------------------------------------------------------------

class RateDate(enum.StrEnum):
    """Which day picks a parcel's exchange rate (unverified: §6.3 of the reference)."""

    SHIP_DATE = "ship_date"
    DECLARATION_DATE = "declaration_date"  # the declaration's date when known, else shipping

    @property
    def file_text(self) -> str:
        """How the export files name it: Korean, then English."""
        if self is RateDate.SHIP_DATE:
            return "선적일 (shipping date)"
        return "수출신고 수리일, 없으면 선적일 (declaration date, else shipping date)"


class FobBasis(enum.StrEnum):
    """What the FOB value holds (unverified). FOB is the goods' value loaded on board in
    Korea: the international postage the buyer paid is freight beyond that point, so by
    default it is left out and the value is the goods' value as the invoice and CN 23
    declare it."""

    GOODS = "goods"
    GOODS_AND_SHIPPING = "goods_and_shipping"


@dataclass(frozen=True)
class ExportSettings:
    rate_date: RateDate = RateDate.SHIP_DATE
    fob_basis: FobBasis = FobBasis.GOODS
    limits: tuple[DatedLimit, ...] = DEFAULT_LIMITS


# --- declaration numbers -------------------------------------------------------------------

_DECLARATION = re.compile(r"^\d{13}[0-9A-Z]$")


def normalize_declaration_number(text: str) -> str:
    """"12865-24-008922X" -> "1286524008922X"; ValueError says what is wrong."""
    number = re.sub(r"[\s\-]", "", str(text)).upper()
    if not number:
        raise ValueError("the export declaration number is empty")
    if len(number) != 14:
        raise ValueError(f"{text!r} has {len(number)} characters; an export declaration "
                         "number has 14 (e.g. 12865-24-008922X)")
    if not _DECLARATION.match(number):
        raise ValueError(f"{text!r} is not an export declaration number: 13 digits and a "
                         "check digit or letter (e.g. 12865-24-008922X)")
    return number


def format_declaration_number(number: str) -> str:
    """"1286524008922X" -> "12865-24-008922X", as customs prints it."""
    return f"{number[:5]}-{number[5:7]}-{number[7:]}" if len(number) == 14 else number


@dataclass(frozen=True)
class Declaration:
    """The export declaration an order's goods left under."""

    number: str
    declared_on: date | None = None  # 수리일자, when the seller gave it
    source: str = ""  # "entered" or the file it came from
    entered_at: datetime | None = None


def format_business_number(number: str) -> str:
    """"1208812345" -> "120-88-12345"."""
    digits = re.sub(r"\D", "", number)
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}" if len(digits) == 10 else number
