"""Export paperwork at home: periods in Korean time, customs exchange rates, KRW conversion,
the simplified-declaration limit, export declaration numbers, and what a parcel's export
looks like on the declaration, the 수출실적명세서 and the export figures.

Rules chosen here (the reference, customs-labels.md §6, marks several as unverified; those
are settings of the store, see ExportSettings):

- Period: a parcel belongs to the period of the day it shipped, in Korea Standard Time. A
  parcel shipped 2026-03-31 23:30 KST (14:30 UTC) is in Q1. KST is UTC+9 with no daylight
  saving since 1988, so it is a fixed offset here: it needs no time-zone database, which
  Windows does not have without the tzdata package.
- Exchange rate: the customs rate (관세청 과세환율) is published weekly and applies from a
  date (a Sunday) for the week. A parcel uses the latest rate on or before its rate date,
  and only within RATE_DAYS of it: an old rate is never carried into a later week. The rate
  date is the shipping date by default, or the declaration's date (setting; unverified).
- KRW amounts: foreign amount × rate ÷ unit, with anything under one won cut off
  (원 미만 절사). Rates for JPY, VND and IDR are published per 100 units.
- Simplified-declaration limit: dated settings, compared with the KRW FOB value on the rate
  date; a value equal to the limit is within it.
- Export declaration numbers (수출신고번호): 14 characters, 5-digit declarant code, 2-digit
  year, 6-digit serial and a check character (digit or letter), e.g. 1286524008922X. Hyphens
  and spaces are dropped; the check character cannot be verified (its rule is not public).

Stdlib only, like the rest of fulfill.domain.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from fulfill.domain.customs import CustomsItem, SellerProfile
from fulfill.domain.money import Money

KST = timezone(timedelta(hours=9), "KST")
KRW = "KRW"
RATE_DAYS = 7  # a weekly rate covers the seven days from the date it applies from
# Customs publishes these per 100 units (JPY 100 = 912.35 won).
PER_100_CURRENCIES = frozenset({"JPY", "VND", "IDR"})


# --- periods ------------------------------------------------------------------------------

def kst_date(moment: datetime) -> date:
    """The calendar day in Korea of a moment (which must carry a time zone)."""
    if moment.tzinfo is None:
        raise ValueError("A moment without a time zone cannot be placed in a Korean day")
    return moment.astimezone(KST).date()


def kst_start(day: date) -> datetime:
    """Midnight in Korea at the start of `day`, as a UTC moment."""
    return datetime(day.year, day.month, day.day, tzinfo=KST).astimezone(UTC)


_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    """Days from `start` up to, not including, `end`, in Korean time."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"A period must end after it starts ({self.start} – {self.end})")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if quarter not in (1, 2, 3, 4):
            raise ValueError(f"There is no quarter {quarter}: use 1 to 4")
        start = date(year, 3 * quarter - 2, 1)
        return cls(start, date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = date(year, month, 1)
        return cls(start, date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1))

    @classmethod
    def days(cls, first: date, last: date) -> Period:
        """From `first` to `last`, both included."""
        return cls(first, last + timedelta(days=1))

    @classmethod
    def parse(cls, text: str) -> Period:
        """"2026Q3", "2026-q3", "2026-07" (a month) or "2026" (a year)."""
        text = text.strip()
        if match := _QUARTER.match(text):
            return cls.quarter(int(match.group(1)), int(match.group(2)))
        if match := _MONTH.match(text):
            month = int(match.group(2))
            if not 1 <= month <= 12:
                raise ValueError(f"{text!r}: there is no month {month}")
            return cls.month(int(match.group(1)), month)
        if match := _YEAR.match(text):
            year = int(match.group(1))
            return cls(date(year, 1, 1), date(year + 1, 1, 1))
        raise ValueError(f"{text!r} is not a period: write a quarter (2026Q3), a month "
                         "(2026-07) or a year (2026)")

    @classmethod
    def last_quarter(cls, today: date) -> Period:
        """The quarter before the one `today` is in: the one a VAT return is due for."""
        quarter = (today.month - 1) // 3 + 1
        return cls.quarter(today.year - 1, 4) if quarter == 1 else cls.quarter(today.year,
                                                                              quarter - 1)

    @property
    def last(self) -> date:
        return self.end - timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as UTC moments: 2026Q1 is 2025-12-31 15:00 to 2026-03-31 15:00 UTC."""
        return kst_start(self.start), kst_start(self.end)

    @property
    def quarter_number(self) -> int | None:
        """1–4 when the period is exactly one calendar quarter."""
        q = (self.start.month - 1) // 3 + 1
        return q if self == Period.quarter(self.start.year, q) else None

    @property
    def label(self) -> str:
        """"2026Q3", "2026-07", or "2026-07-01 – 2026-09-15"."""
        if (q := self.quarter_number) is not None:
            return f"{self.start.year}Q{q}"
        if self == Period.month(self.start.year, self.start.month):
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()} – {self.last.isoformat()}"

    @property
    def vat_term(self) -> str:
        """The VAT return a quarter is filed in: "2026년 2기 예정" for Q3; "" otherwise."""
        q = self.quarter_number
        if q is None:
            return ""
        half, kind = (1 if q <= 2 else 2), ("예정" if q in (1, 3) else "확정")
        return f"{self.start.year}년 {half}기 {kind}"


def month_key(day: date) -> str:
    return f"{day:%Y-%m}"


# --- exchange rates ------------------------------------------------------------------------

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


# --- one order's export ---------------------------------------------------------------------

@dataclass(frozen=True)
class HsLine:
    """The goods of one HS code in an order: one line (란) of its declaration."""

    hs_code: str  # digits only; "" when a product has none
    description: str
    quantity: int
    net_weight_g: int
    value: Money


@dataclass(frozen=True)
class ExportLine:
    """One order that left Korea: its parcels, goods, FOB value and the rate it converts at.

    The declaration is one line per order, so an order that left in several parcels is one
    line, dated by its first parcel. `rate` is None when no rate covers `rate_date`; then
    `krw` and `route` are None too."""

    order_id: int
    order_number: str
    account_id: int
    channel: str
    shipped_at: datetime
    carrier: str
    service: str
    tracking_numbers: tuple[str, ...]
    postal: bool  # Korea Post (K-Packet, EMS, parcels): a 소포수령증 proves it
    country: str
    buyer: str  # in Latin letters, as customs papers print it
    currency: str
    goods: Money
    shipping: Money
    fob: Money
    items: tuple[CustomsItem, ...]
    net_weight_g: int
    gross_weight_g: int
    rate_date: date
    rate: CustomsRate | None
    krw: Money | None
    route: DeclarationRoute | None
    declaration: Declaration | None = None
    replacement_for: str = ""  # an exchange's replacement: no sale, sent free

    @property
    def ship_date(self) -> date:
        return kst_date(self.shipped_at)

    @property
    def pieces(self) -> int:
        return sum(item.quantity for item in self.items)

    def hs_lines(self) -> list[HsLine]:
        """The goods grouped by HS code, most valuable first."""
        groups: dict[str, list[CustomsItem]] = {}
        for item in self.items:
            groups.setdefault(re.sub(r"\D", "", item.hs_code), []).append(item)
        lines = []
        for code, items in groups.items():
            value = Money.zero(self.currency)
            for item in items:
                value = value + item.value
            lines.append(HsLine(code, "; ".join(dict.fromkeys(i.description for i in items)),
                                sum(i.quantity for i in items),
                                sum(i.net_weight_g for i in items), value))
        return sorted(lines, key=lambda line: -line.value.minor)

    @property
    def main_hs_code(self) -> str:
        lines = self.hs_lines()
        return lines[0].hs_code if lines else ""


def krw_total(amounts: list[Money]) -> Money:
    total = Money.zero(KRW)
    for amount in amounts:
        total = total + amount
    return total


def totals_by_currency(amounts: list[Money]) -> dict[str, Money]:
    totals: dict[str, Money] = {}
    for amount in amounts:
        totals[amount.currency] = totals.get(amount.currency, Money.zero(amount.currency)) + amount
    return dict(sorted(totals.items()))


def _krw_by_currency(pairs: list[tuple[str, Money]]) -> dict[str, Money]:
    totals: dict[str, Money] = {}
    for currency, krw in pairs:
        totals[currency] = totals.get(currency, Money.zero(KRW)) + krw
    return dict(sorted(totals.items()))


# --- the VAT zero-rating statement -----------------------------------------------------------

@dataclass(frozen=True)
class StatementLine:
    """One line of the 수출실적명세서: one declaration (and currency) with its amounts."""

    declaration_number: str
    ship_date: date
    currency: str
    rate: CustomsRate
    foreign: Money
    krw: Money
    order_numbers: tuple[str, ...]


@dataclass(frozen=True)
class PostalReceipt:
    """A Korea Post parcel that left without an export declaration: its 소포수령증."""

    tracking_numbers: tuple[str, ...]
    ship_date: date
    country: str
    service: str
    currency: str
    rate: CustomsRate
    foreign: Money
    krw: Money
    order_number: str


@dataclass(frozen=True)
class LeftOut:
    """An export of the period that is on neither list, and why."""

    order_id: int
    order_number: str
    reason: str


@dataclass(frozen=True)
class ExportStatement:
    """Proof of the period's exports for the VAT return's zero rate."""

    period: Period
    seller: SellerProfile
    settings: ExportSettings
    lines: tuple[StatementLine, ...]
    receipts: tuple[PostalReceipt, ...]
    left_out: tuple[LeftOut, ...] = ()
    made_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def krw(self) -> Money:
        return krw_total([line.krw for line in self.lines])

    @property
    def foreign_totals(self) -> dict[str, Money]:
        return totals_by_currency([line.foreign for line in self.lines])

    @property
    def krw_by_currency(self) -> dict[str, Money]:
        """Won of the statement's lines in each currency (their subtotals)."""
        return _krw_by_currency([(line.currency, line.krw) for line in self.lines])

    @property
    def receipts_krw_by_currency(self) -> dict[str, Money]:
        return _krw_by_currency([(receipt.currency, receipt.krw) for receipt in self.receipts])

    @property
    def total_krw(self) -> Money:
        """Everything the statement proves: declared exports and postal parcels."""
        return self.krw + self.receipts_krw

    @property
    def receipts_krw(self) -> Money:
        return krw_total([receipt.krw for receipt in self.receipts])

    @property
    def receipts_foreign_totals(self) -> dict[str, Money]:
        return totals_by_currency([receipt.foreign for receipt in self.receipts])
