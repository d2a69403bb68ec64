"""Export paperwork at home: what a parcel's export looks like on the declaration, the
수출실적명세서 and the export figures.

The rules it rests on live beside it, each with its reasons:

- fulfill.domain.export_period: periods and days in Korea Standard Time (a parcel belongs to
  the period of the Korean day it shipped);
- fulfill.domain.export_rates: the weekly customs exchange rates and KRW conversion (under
  one won cut off);
- fulfill.domain.export_declaration: the simplified-declaration limit, export declaration
  numbers, and the store's export settings.

The reference (customs-labels.md §6) marks several of those rules as unverified; those are
settings of the store, see ExportSettings.

Stdlib only, like the rest of fulfill.domain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from fulfill.domain.customs import CustomsItem, SellerProfile
from fulfill.domain.export_declaration import Declaration, DeclarationRoute, ExportSettings
from fulfill.domain.export_period import Period, kst_date
from fulfill.domain.export_rates import KRW, CustomsRate
from fulfill.domain.money import Money, total


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
            lines.append(HsLine(code, "; ".join(dict.fromkeys(i.description for i in items)),
                                sum(i.quantity for i in items),
                                sum(i.net_weight_g for i in items),
                                total([i.value for i in items], self.currency)))
        return sorted(lines, key=lambda line: -line.value.minor)

    @property
    def main_hs_code(self) -> str:
        lines = self.hs_lines()
        return lines[0].hs_code if lines else ""


def krw_total(amounts: list[Money]) -> Money:
    return total(amounts, KRW)


def _sums_by_currency(pairs: list[tuple[str, Money]]) -> dict[str, Money]:
    """Currency code -> the sum of the amounts listed under it, by code."""
    sums: dict[str, Money] = {}
    for currency, amount in pairs:
        sums[currency] = sums[currency] + amount if currency in sums else amount
    return dict(sorted(sums.items()))


def totals_by_currency(amounts: list[Money]) -> dict[str, Money]:
    return _sums_by_currency([(amount.currency, amount) for amount in amounts])


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
        return _sums_by_currency([(line.currency, line.krw) for line in self.lines])

    @property
    def receipts_krw_by_currency(self) -> dict[str, Money]:
        return _sums_by_currency([(receipt.currency, receipt.krw) for receipt in self.receipts])

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
