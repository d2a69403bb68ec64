"""Where the exports went: the period's exports by destination country, channel (the shop),
HS chapter and month, in won and in each order currency.

The figures count the same exports as the paperwork (export_lines: orders to another
country, by the Korean day their first parcel shipped) at their FOB value. Won come from
the customs rates; an order no rate covers yet adds to its currency's amount but not to the
won, and is counted in `unconverted` so a screen can say the won figure is short. By HS
chapter an order is split by its items' goods values (postage belongs to no chapter), so an
order with goods of two chapters counts in both.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from fulfill.domain import Money
from fulfill.domain.export_period import Period, month_key
from fulfill.domain.export_rates import KRW
from fulfill.domain.exports import ExportLine
from fulfill.i18n import country_name
from fulfill.services.export_files import Column, Table, file_bytes, write_file
from fulfill.services.export_lines import export_lines, missing_rates
from fulfill.storage import Store
from fulfill.translation import _


class FigureKey(enum.StrEnum):
    COUNTRY = "country"
    CHANNEL = "channel"
    HS_CHAPTER = "hs"
    MONTH = "month"


_GROUP_NAMES = {FigureKey.COUNTRY: ("목적국", "Destination"),
                FigureKey.CHANNEL: ("판매채널", "Channel"),
                FigureKey.HS_CHAPTER: ("HS 류", "HS chapter"), FigureKey.MONTH: ("월", "Month")}


@dataclass
class FigureRow:
    key: str  # "JP", an account id, an HS chapter ("33", "" for none), "2026-07"
    label: str  # "Japan", "Shopee · Seoul Glow TW", "HS 33", "2026-07"
    orders: int = 0
    krw: Money = field(default_factory=lambda: Money.zero(KRW))
    unconverted: int = 0  # orders (or items) whose value is not in `krw`: no rate yet
    by_currency: dict[str, Money] = field(default_factory=dict)

    def add(self, amount: Money, krw: Money | None) -> None:
        self.by_currency[amount.currency] = (self.by_currency.get(amount.currency,
                                                                  Money.zero(amount.currency))
                                             + amount)
        if krw is None:
            self.unconverted += 1
        else:
            self.krw = self.krw + krw


@dataclass
class ExportFigures:
    period: Period
    groups: dict[FigureKey, list[FigureRow]]
    total: FigureRow
    missing_rates: list[tuple[str, date]]  # (currency, customs week) to enter for full won

    @property
    def currencies(self) -> list[str]:
        return sorted(self.total.by_currency)


def _row(rows: dict[str, FigureRow], key: str, label: str) -> FigureRow:
    if key not in rows:
        rows[key] = FigureRow(key, label)
    return rows[key]


def _chapter(hs_code: str) -> str:
    digits = "".join(c for c in hs_code if c.isdigit())
    return digits[:2] if len(digits) >= 6 else ""


def figures_of(lines: Sequence[ExportLine], period: Period, *,
               locale: str | None = None) -> ExportFigures:
    """Figures of export lines already loaded (the screen has them)."""
    groups: dict[FigureKey, dict[str, FigureRow]] = {key: {} for key in FigureKey}
    total = FigureRow("", _("Total"))
    for line in lines:
        total.orders += 1
        total.add(line.fob, line.krw)
        keyed = ((FigureKey.COUNTRY, line.country, country_name(line.country, locale)),
                 (FigureKey.CHANNEL, str(line.account_id), line.channel),
                 (FigureKey.MONTH, month_key(line.ship_date), month_key(line.ship_date)))
        for group, key, label in keyed:
            row = _row(groups[group], key, label)
            row.orders += 1
            row.add(line.fob, line.krw)
        chapters: set[str] = set()
        for item in line.items:
            chapter = _chapter(item.hs_code)
            row = _row(groups[FigureKey.HS_CHAPTER], chapter,
                       f"HS {chapter}" if chapter else _("no HS code"))
            if chapter not in chapters:
                chapters.add(chapter)
                row.orders += 1
            row.add(item.value, line.rate.to_krw(item.value) if line.rate else None)
    ordered = {}
    for group, rows in groups.items():
        if group is FigureKey.MONTH:
            ordered[group] = sorted(rows.values(), key=lambda r: r.key)
        else:
            ordered[group] = sorted(rows.values(), key=lambda r: (-r.krw.minor, -r.orders, r.key))
    return ExportFigures(period, ordered, total, missing_rates(lines))


def figures(store: Store, period: Period, *, locale: str | None = None) -> ExportFigures:
    """The period's export figures, every grouping at once."""
    return figures_of(export_lines(store, period), period, locale=locale)


def figures_table(done: ExportFigures, groups: Iterable[FigureKey] | None = None) -> Table:
    """The figures as one table: a row per group and key, a column per currency."""
    groups = list(groups or FigureKey)
    currencies = done.currencies
    columns = [Column("구분", "Group"), Column("코드", "Key"), Column("이름", "Name"),
               Column("주문수", "Orders"), Column("원화", "KRW"),
               Column("환율 없음", "Without rate")]
    columns += [Column(currency, currency) for currency in currencies]
    rows = []
    for group in groups:
        korean, english = _GROUP_NAMES[group]
        for row in done.groups[group]:
            rows.append([f"{korean} ({english})", row.key, row.label, row.orders, row.krw,
                         row.unconverted]
                        + [row.by_currency.get(currency) for currency in currencies])
    total = done.total
    totals = [["합계 (Total)", None, None, total.orders, total.krw, total.unconverted]
              + [total.by_currency.get(currency) for currency in currencies]]
    name = _GROUP_NAMES[groups[0]][1] if len(groups) == 1 else "Figures"
    return Table(f"수출 실적 ({name})", columns, rows, totals)


def write_figures(store: Store, period: Period, path: Path | str,
                  groups: Iterable[FigureKey] | None = None, *,
                  locale: str | None = None) -> ExportFigures:
    """Write the figures as .csv (one table) or .xlsx (a sheet per grouping)."""
    done = figures(store, period, locale=locale)
    chosen = list(groups or FigureKey)
    tables = ([figures_table(done, chosen)] if Path(path).suffix.lower() == ".csv"
              else [figures_table(done, [group]) for group in chosen])
    notes = [("기간 (Period)", f"{period.start.isoformat()} ~ {period.last.isoformat()}"),
             ("금액 (Amounts)", "FOB; 원화는 관세청 과세환율 (KRW at the customs rates)")]
    notes += [("환율 없음 (No rate)", f"{currency} {week.isoformat()}~")
              for currency, week in done.missing_rates]
    write_file(path, file_bytes(path, tables, notes))
    return done
