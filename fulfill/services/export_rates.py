"""Customs exchange rates: entered by hand, or imported from the file the seller downloads
from the customs site (관세청 과세환율, UNI-PASS 환율정보), with a preview first.

A rate file is CSV or XLSX with a currency column, a rate column and the date the rate
applies from, under Korean or English headers. Rates are per 1 unit, except where the file
says per 100 (a unit column, "JPY(100)" in the currency cell, or "환율(100엔)" in the header);
a file that does not say gets customs' own convention: JPY, VND and IDR per 100. When the
file has an export/import column (수출입구분), only the export rates are taken: the
declaration converts at the export rate. Every row that cannot be used is listed with the
reason; nothing is written until import_rates, and then all of it or none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from fulfill.domain import currency_digits
from fulfill.domain.export_rates import KRW, PER_100_CURRENCIES, CustomsRate, parse_rate, rate_on
from fulfill.services.export_files import (
    RejectedRow, header_key, parse_day, read_rows, refuse_rejected,
)
from fulfill.services.export_lines import ExportError
from fulfill.storage import Store
from fulfill.translation import _

ENTERED = "entered"
# A rate more than this many times the previous one (or less than its share) is taken for
# a wrong unit (per 1 against per 100) rather than a market move.
IMPLAUSIBLE_JUMP = 10

RATE_COLUMNS = {
    "currency": ("통화코드", "통화부호", "통화", "Currency", "Currency code", "currSgn", "CCY"),
    "rate": ("과세환율", "수출환율", "고시환율", "환율", "Rate", "Exchange rate", "fxrt"),
    "applies_from": ("적용개시일자", "적용개시일", "적용시작일", "적용일자", "적용일", "적용기간",
                     "Applies from", "Valid from", "Start date", "Date", "aplyBgnDt"),
    "unit": ("단위", "통화단위수", "Unit", "Per"),
    "kind": ("수출입구분", "구분", "Export/Import", "imexTp"),
}


def _currency_code(code: str) -> str:
    code = code.strip().upper()
    try:
        currency_digits(code)
    except ValueError:
        raise ExportError(_("{code!r} is not a currency code.").format(code=code),
                          _("Use an ISO code such as USD, JPY or EUR.")) from None
    if code == KRW:
        raise ExportError(_("Won need no exchange rate."), _("Enter rates for foreign currencies."))
    return code


def rates(store: Store, currency: str | None = None) -> list[CustomsRate]:
    """The stored rates, by currency and date (one currency's when given)."""
    with store.errors():
        return store.exports.rates(None if currency is None else [currency.upper()])


def rate_for(store: Store, currency: str, day: date) -> CustomsRate | None:
    """The rate in force for `currency` on `day` (a KST day), or None."""
    with store.errors():
        return rate_on(store.exports.rates([currency.upper()]), currency.upper(), day)


def enter_rate(store: Store, currency: str, applies_from: date, rate: str | Decimal,
               unit: int | None = None) -> CustomsRate:
    """Record one rate as the seller typed it (replacing one for the same currency and day).
    `unit` defaults to customs' convention: 100 for JPY, VND and IDR, else 1."""
    code = _currency_code(currency)
    try:
        value = parse_rate(str(rate))
    except ValueError:
        raise ExportError(rate_refusal(str(rate)), _("Type the rate in won, e.g. 1385.20.")) \
            from None
    unit = unit if unit is not None else default_unit(code)
    if unit not in (1, 100):
        raise ExportError(_("A rate is per 1 or per 100 units."), _("Choose 1 or 100."))
    entered = CustomsRate(code, applies_from, value, unit, ENTERED, datetime.now(UTC))
    with store.errors(), store.db.atomic():
        store.exports.save_rates([entered])
    return entered


def delete_rate(store: Store, currency: str, applies_from: date) -> bool:
    with store.errors(), store.db.atomic():
        return store.exports.delete_rate(currency.upper(), applies_from)


def default_unit(currency: str) -> int:
    return 100 if currency in PER_100_CURRENCIES else 1


# --- importing a rate file ----------------------------------------------------------------

@dataclass(frozen=True)
class RateRow:
    """A rate the file adds, or changes (`replaces`: the stored one)."""

    row: int
    rate: CustomsRate
    replaces: CustomsRate | None = None


@dataclass
class RatePreview:
    file: str
    rows: list[RateRow] = field(default_factory=list)
    unchanged: int = 0  # rows the store already holds, same rate
    rejected: list[RejectedRow] = field(default_factory=list)
    skipped: list[RejectedRow] = field(default_factory=list)  # import rates, not wanted

    @property
    def currencies(self) -> list[str]:
        return sorted({row.rate.currency for row in self.rows})


_CODE = re.compile(r"\b([A-Z]{3})\b")
_HUNDRED = re.compile(r"(^|\D)100(\D|$)")


def _unit_marked(text: str) -> bool:
    """"JPY(100)", "100 JPY", "환율(100엔)": the figure is per 100 units."""
    return bool(_HUNDRED.search(text))


def _parse_currency(text: str) -> tuple[str, bool]:
    """(ISO code, marked per 100) from "USD", "미국 달러 (USD)", "JPY(100)", "100 JPY"."""
    for code in _CODE.findall(text.upper()):
        try:
            currency_digits(code)
        except ValueError:
            continue
        return code, _unit_marked(text)
    raise ValueError(_("{text!r} names no currency code (USD, JPY, EUR…)").format(text=text))


def _is_import_rate(text: str) -> bool:
    key = header_key(text)
    return key in ("수입", "import", "2", "수입과세환율")


def preview_rate_file(store: Store, path: Path | str) -> RatePreview:
    """What importing `path` would do; ExportFileError when the file cannot be read."""
    table = read_rows(path, RATE_COLUMNS, ("currency", "rate", "applies_from"))
    header_unit = 100 if _unit_marked(table.headers.get("rate", "")) else None
    source = Path(path).name
    with store.errors():
        stored = {(r.currency, r.applies_from): r for r in store.exports.rates()}
    preview = RatePreview(source)
    now = datetime.now(UTC)
    seen: dict[tuple[str, date], tuple[int, CustomsRate]] = {}
    for number, cells in table.rows:
        if "kind" in cells and _is_import_rate(cells["kind"]):
            preview.skipped.append(RejectedRow(number, _("an import rate (수입): the export "
                                                        "declaration uses the export rate")))
            continue
        try:
            rate = _row_rate(cells, header_unit, source, now)
        except ValueError as error:
            preview.rejected.append(RejectedRow(number, str(error)))
            continue
        key = (rate.currency, rate.applies_from)
        if key in seen:
            if seen[key][1].per_unit != rate.per_unit:
                preview.rejected.append(RejectedRow(number, _(
                    "{currency} from {day} is also on row {other} with another rate").format(
                    currency=rate.currency, day=rate.applies_from.isoformat(),
                    other=seen[key][0])))
            continue
        problem = _implausible(rate, [r for _n, r in seen.values()] + list(stored.values()))
        if problem:
            preview.rejected.append(RejectedRow(number, problem))
            continue
        seen[key] = (number, rate)
        old = stored.get(key)
        if old is not None and old.per_unit == rate.per_unit:
            preview.unchanged += 1
            continue
        preview.rows.append(RateRow(number, rate, old))
    return preview


def rate_refusal(text: str) -> str:
    """Why `text` is not a rate, in the interface's language (domain.parse_rate's checks)."""
    try:
        value = Decimal(str(text).strip().replace(",", ""))
    except InvalidOperation:
        return _("{text!r} is not a rate").format(text=text)
    if not value.is_finite() or value <= 0:
        return _("{text!r} is not a rate: it must be a positive number").format(text=text)
    return _("{text!r} has more than 6 decimal places").format(text=text)


def _row_rate(cells: dict[str, str], header_unit: int | None, source: str,
              now: datetime) -> CustomsRate:
    if not cells.get("currency"):
        raise ValueError(_("no currency"))
    code, marked = _parse_currency(cells["currency"])
    if code == KRW:
        raise ValueError(_("won need no exchange rate"))
    if not cells.get("rate"):
        raise ValueError(_("no rate"))
    try:
        value = parse_rate(cells["rate"])
    except ValueError:
        raise ValueError(rate_refusal(cells["rate"])) from None
    if not cells.get("applies_from"):
        raise ValueError(_("no date the rate applies from"))
    try:
        day = parse_day(cells["applies_from"])
    except ValueError:
        raise ValueError(_("{text!r} is not a date").format(text=cells["applies_from"])) from None
    unit_text = cells.get("unit", "")
    if unit_text:
        digits = re.sub(r"\D", "", unit_text)
        if digits not in ("1", "100"):
            raise ValueError(_("unit {text!r}: a rate is per 1 or per 100 units").format(
                text=unit_text))
        unit = int(digits)
    elif marked:
        unit = 100
    else:
        unit = header_unit or default_unit(code)
    return CustomsRate(code, day, value, unit, source, now)


def _implausible(rate: CustomsRate, known: Iterable[CustomsRate]) -> str:
    """Why a rate looks like a wrong unit against the nearest earlier one, or ""."""
    earlier = [r for r in known
               if r.currency == rate.currency and r.applies_from < rate.applies_from]
    if not earlier:
        return ""
    previous = max(earlier, key=lambda r: r.applies_from)
    ratio = rate.per_unit / previous.per_unit
    if ratio > IMPLAUSIBLE_JUMP or ratio * IMPLAUSIBLE_JUMP < 1:
        return _("{rate} won per {unit} {currency} is far from {previous} per {previous_unit} "
                 "from {day}: check whether the rate is per 1 or per 100 units").format(
            rate=rate.rate, unit=rate.unit, currency=rate.currency, previous=previous.rate,
            previous_unit=previous.unit, day=previous.applies_from.isoformat())
    return ""


@dataclass(frozen=True)
class RateImport:
    added: int
    replaced: int
    unchanged: int


def import_rates(store: Store, preview: RatePreview, *, skip_rejected: bool = False) -> RateImport:
    """Write the previewed rates, all in one transaction. Refuses, writing nothing, while
    rows are rejected unless `skip_rejected`."""
    if not skip_rejected:
        refuse_rejected(preview.rejected, preview.file)
    with store.errors(), store.db.atomic():
        store.exports.save_rates([row.rate for row in preview.rows])
    replaced = sum(1 for row in preview.rows if row.replaces is not None)
    return RateImport(len(preview.rows) - replaced, replaced, preview.unchanged)
