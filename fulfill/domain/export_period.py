"""Export periods in Korean time: a parcel belongs to the period of the day it shipped, in
Korea Standard Time. A parcel shipped 2026-03-31 23:30 KST (14:30 UTC) is in Q1. KST is
UTC+9 with no daylight saving since 1988, so it is a fixed offset here: it needs no time-zone
database, which Windows does not have without the tzdata package.

Part of the export paperwork domain (fulfill.domain.exports gives the overview). Stdlib only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

KST = timezone(timedelta(hours=9), "KST")


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
