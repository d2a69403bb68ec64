"""Proof of the period's exports for the VAT return's zero rate (영세율), made from the
orders that left Korea in it.

- 수출실적명세서 (export performance statement): one line per export declaration number
  with the shipping date, currency, rate, foreign amount and KRW amount, and totals. Orders
  that share a declaration (a regular declaration for several parcels) are one line,
  converted as one amount (two lines should they differ in currency or week's rate).
- Korea Post parcels that left without a declaration: the list of their parcel receipts
  (소포수령증) with tracking number, date, destination and value.
- Left out, with the reason: no-charge replacements of an exchange (nothing was sold, so
  nothing to zero-rate), goods without a value, and courier parcels without a declaration
  number (list-cleared by the courier, 목록통관: their proof is the courier's record; the
  reference leaves it to the tax accountant).

Amounts are the FOB values of the declaration batch, at the same rates. The statement
refuses (RatesMissing) while a rate is missing, and writing it refuses while the seller
profile lacks the business name or registration number.

Files: XLSX (the statement, the receipts and a notes sheet), CSV (two files: NAME.csv and
NAME-postal.csv, since a CSV holds one table; each is written whole or not at all) and a
printable A4 PDF of both lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fulfill.domain import Money
from fulfill.domain.export_declaration import (
    ExportSettings, format_business_number, format_declaration_number,
)
from fulfill.domain.export_period import KST, Period
from fulfill.domain.export_rates import CustomsRate
from fulfill.domain.exports import (
    ExportLine, ExportStatement, LeftOut, PostalReceipt, StatementLine,
)
from fulfill.domain.money import total
from fulfill.services.export_checks import STATEMENT, ExportBlocked, seller_problems
from fulfill.services.export_files import Column, Table, csv_bytes, write_file, xlsx_bytes
from fulfill.services.export_lines import ExportError, export_lines, load_settings, require_rates
from fulfill.storage import Store
from fulfill.translation import _

PDF, XLSX, CSV = "pdf", "xlsx", "csv"


def statement(store: Store, period: Period, *, now: datetime | None = None,
              settings: ExportSettings | None = None,
              lines: list[ExportLine] | None = None) -> ExportStatement:
    """The period's statement and postal receipts. RatesMissing when a rate is missing.
    A caller that has read the period's `lines` passes them in with the `settings` they were
    read under, so the period is not read twice."""
    if lines is None or settings is None:
        settings = load_settings(store)
        lines = export_lines(store, period, settings=settings)
    require_rates(lines)
    groups: dict[tuple[str, str, CustomsRate], list[ExportLine]] = {}
    receipts: list[PostalReceipt] = []
    left_out: list[LeftOut] = []
    for line in lines:
        assert line.rate is not None and line.krw is not None
        if line.replacement_for:
            left_out.append(LeftOut(line.order_id, line.order_number, _(
                "a no-charge replacement for order {number}: nothing was sold").format(
                number=line.replacement_for)))
        elif line.fob.minor <= 0:
            left_out.append(LeftOut(line.order_id, line.order_number,
                                    _("the goods have no value")))
        elif line.declaration is not None:
            groups.setdefault((line.declaration.number, line.currency, line.rate), []).append(line)
        elif line.postal:
            receipts.append(PostalReceipt(
                line.tracking_numbers, line.ship_date, line.country,
                " ".join(x for x in (line.carrier, line.service) if x), line.currency,
                line.rate, line.fob, line.krw, line.order_number))
        else:
            left_out.append(LeftOut(line.order_id, line.order_number, _(
                "shipped by {carrier} without an export declaration number").format(
                carrier=line.carrier or _("courier"))))
    statement_lines = []
    for (number, currency, rate), group in groups.items():
        foreign = total([line.fob for line in group], currency)
        statement_lines.append(StatementLine(
            number, min(line.ship_date for line in group), currency, rate, foreign,
            rate.to_krw(foreign), tuple(line.order_number for line in group)))
    statement_lines.sort(key=lambda s: (s.ship_date, s.declaration_number))
    return ExportStatement(period, store.settings.seller_profile(), settings,
                           tuple(statement_lines), tuple(receipts), tuple(left_out),
                           now or datetime.now(UTC))


# --- files --------------------------------------------------------------------------------

STATEMENT_COLUMNS = (
    Column("일련번호", "No."), Column("수출신고번호", "Export declaration no."),
    Column("선(기)적일자", "Shipping date"), Column("통화코드", "Currency"),
    Column("환율", "Exchange rate"), Column("환율단위", "Rate per units"),
    Column("외화금액", "Foreign amount"), Column("원화금액", "KRW amount"),
    Column("주문번호", "Order no."),
)
RECEIPT_COLUMNS = (
    Column("일련번호", "No."), Column("등기번호", "Tracking no."),
    Column("발송일자", "Shipping date"), Column("목적국", "Destination"),
    Column("우편물 종류", "Service"), Column("통화코드", "Currency"),
    Column("환율", "Exchange rate"), Column("환율단위", "Rate per units"),
    Column("외화금액", "Foreign amount"), Column("원화금액", "KRW amount"),
    Column("주문번호", "Order no."),
)


def _totals(width: int, at: dict[str, int], count: int, krw: Money,
            foreign: dict[str, Money], krw_by_currency: dict[str, Money]) -> list[list]:
    """A subtotal row per currency (its foreign amount and won), then the total in won."""
    rows = []
    for currency, amount in foreign.items():
        row: list = [None] * width
        row[1], row[at["currency"]] = f"소계 {currency} (Subtotal)", currency
        row[at["foreign"]], row[at["krw"]] = amount, krw_by_currency[currency]
        rows.append(row)
    total: list = [None] * width
    total[1], total[2], total[at["krw"]] = "합계 (Total)", f"{count}건", krw
    return rows + [total]


def statement_tables(done: ExportStatement) -> list[Table]:
    lines = [[n, format_declaration_number(s.declaration_number), s.ship_date, s.currency,
              s.rate.rate, s.rate.unit, s.foreign, s.krw, ", ".join(s.order_numbers)]
             for n, s in enumerate(done.lines, 1)]
    receipts = [[n, " ".join(r.tracking_numbers), r.ship_date, r.country, r.service,
                 r.currency, r.rate.rate, r.rate.unit, r.foreign, r.krw, r.order_number]
                for n, r in enumerate(done.receipts, 1)]
    return [
        Table("수출실적명세서", STATEMENT_COLUMNS, lines,
              _totals(len(STATEMENT_COLUMNS), {"currency": 3, "foreign": 6, "krw": 7},
                      len(done.lines), done.krw, done.foreign_totals, done.krw_by_currency)),
        Table("소포수령증 (Postal receipts)", RECEIPT_COLUMNS, receipts,
              _totals(len(RECEIPT_COLUMNS), {"currency": 5, "foreign": 8, "krw": 9},
                      len(done.receipts), done.receipts_krw, done.receipts_foreign_totals,
                      done.receipts_krw_by_currency)),
    ]


def statement_notes(done: ExportStatement) -> list[tuple[str, str]]:
    seller, period = done.seller, done.period
    notes = [
        ("과세기간 (VAT term)", period.vat_term or period.label),
        ("기간 (Period)", f"{period.start.isoformat()} ~ {period.last.isoformat()} "
                        "(선적일, 한국시간 / shipping date, Korea time)"),
        ("상호 (Business name)", seller.name_ko or seller.name_en),
        ("사업자등록번호 (Business no.)", format_business_number(seller.business_number)),
        ("환율 (Exchange rate)", rate_basis_text(done)),
        ("금액 (Amounts)", "FOB, " + ("물품가격 (goods value)"
                                    if done.settings.fob_basis.value == "goods"
                                    else "물품가격 + 배송비 (goods and postage)")),
        ("작성 (Made)", done.made_at.astimezone(KST).strftime("%Y-%m-%d %H:%M KST")),
    ]
    notes += [(f"제외 (Left out) {item.order_number}", item.reason) for item in done.left_out]
    return notes


def rate_basis_text(done: ExportStatement) -> str:
    day = done.settings.rate_date.file_text
    return f"관세청 과세환율(수출), 기준일 {day}; 원 미만 절사 (under one won cut off)"


@dataclass(frozen=True)
class WrittenStatement:
    statement: ExportStatement
    paths: tuple[Path, ...]


def statement_format(path: Path | str) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in (PDF, XLSX, CSV):
        raise ExportError(_("{name}: the statement is written as .pdf, .xlsx or .csv.").format(
            name=Path(path).name), _("Give the file name ending in .pdf, .xlsx or .csv."))
    return suffix


def postal_csv_path(path: Path | str) -> Path:
    path = Path(path)
    return path.with_name(f"{path.stem}-postal{path.suffix}")


def _printable(store: Store, period: Period) -> ExportStatement:
    """The statement, refused while the seller profile lacks what it prints or there is
    nothing to list."""
    done = statement(store, period)
    problems = [p for p in seller_problems(done.seller) if STATEMENT in p.stops]
    if problems:
        raise ExportBlocked(_("VAT zero-rating statement"), problems)
    if not done.lines and not done.receipts:
        raise ExportError(_("No export to list for {period}.").format(period=period.label),
                          _("Choose another period, or enter the declaration numbers."))
    return done


def printable_statement(store: Store, period: Period) -> tuple[ExportStatement, bytes]:
    """The statement and its PDF (A4), for a preview or the printer."""
    from fulfill.documents.export_statement import statement_pdf as draw

    done = _printable(store, period)
    return done, draw(done)


def write_statement(store: Store, period: Period, path: Path | str) -> WrittenStatement:
    """Write the statement as .pdf, .xlsx or .csv (two files: the statement, and the
    receipts beside it as NAME-postal.csv). Refuses while the seller profile lacks the
    business name or registration number, or a rate is missing."""
    kind = statement_format(path)
    if kind == PDF:
        done, pdf = printable_statement(store, period)
        write_file(path, pdf)
        return WrittenStatement(done, (Path(path),))
    done = _printable(store, period)
    tables = statement_tables(done)
    if kind == XLSX:
        write_file(path, xlsx_bytes(tables, statement_notes(done)))
        return WrittenStatement(done, (Path(path),))
    files = ((Path(path), tables[0]), (postal_csv_path(path), tables[1]))
    payloads = [(target, csv_bytes(table)) for target, table in files]
    for target, data in payloads:
        write_file(target, data)
    return WrittenStatement(done, tuple(target for target, _data in payloads))
