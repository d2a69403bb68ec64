"""The VAT zero-rating statement as a printable A4 PDF: the 수출실적명세서 (exports under a
declaration) and the list of Korea Post parcel receipts (소포수령증) for parcels that left
without one, each with totals; the seller's business name and number, the period, and the
exchange rate on every line.

The pages are laid out before anything is drawn, so every page says "page 1 of 3"; each
page repeats the title and the table's header. Korean text uses the bundled fonts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from fulfill.documents.layout import (
    Column, Field, Table, draw_row, hline, paper_size, render_all,
)
from fulfill.documents.text import draw_box, draw_text
from fulfill.domain import Money, currency_digits
from fulfill.domain.export_declaration import format_business_number, format_declaration_number
from fulfill.domain.export_period import KST
from fulfill.domain.export_rates import CustomsRate
from fulfill.domain.exports import ExportStatement

MARGIN = 36.0
TITLE = 46.0  # the title block on every page
FACTS_GAP = 8.0
HEADING = 20.0  # a section's heading line
FOOTER = 26.0
SECTION_GAP = 14.0


def money_text(amount: Money) -> str:
    """"1,234.50" in the currency's decimals; "1,234,000" for won."""
    digits = currency_digits(amount.currency)
    return format(amount.to_decimal(), f",.{digits}f")


def rate_text(rate: CustomsRate) -> str:
    """"1,385.2" or "912.35 /100"."""
    text = format(rate.rate, ",f")
    return text if rate.unit == 1 else f"{text} /{rate.unit}"


@dataclass(frozen=True)
class _Row:
    cells: tuple[str, ...]
    bold: bool = False


@dataclass(frozen=True)
class _Section:
    heading: str
    table: Table
    rows: tuple[_Row, ...]
    empty: str  # said when there are no rows


def _totals(width: int, count: int, krw: Money, foreign: dict[str, Money],
            krw_by_currency: dict[str, Money], currency_at: int) -> list[_Row]:
    """A subtotal per currency (its foreign amount and won), then the total in won; the
    amounts sit in the last three columns but one."""
    rows = []
    for currency, amount in foreign.items():
        cells = [""] * width
        cells[1], cells[currency_at] = "소계 Subtotal", currency
        cells[-3], cells[-2] = money_text(amount), money_text(krw_by_currency[currency])
        rows.append(_Row(tuple(cells)))
    cells = [""] * width
    cells[1], cells[2], cells[-2] = "합계 Total", f"{count}건", money_text(krw)
    rows.append(_Row(tuple(cells), bold=True))
    return rows


def _sections(done: ExportStatement, width: float) -> list[_Section]:
    fixed = 22 + 92 + 56 + 42 + 60 + 74 + 74
    declared = Table([Column("No.", 22, "right"), Column("수출신고번호\nExport decl. no.", 92),
                      Column("선(기)적일자\nShipping date", 56), Column("통화\nCurrency", 42),
                      Column("환율\nRate", 60, "right"),
                      Column("외화금액\nForeign amount", 74, "right"),
                      Column("원화금액\nKRW amount", 74, "right"),
                      Column("주문번호\nOrder no.", width - fixed)], size=7.5, header_size=6.5)
    lines = [_Row((str(n), format_declaration_number(s.declaration_number),
                   s.ship_date.isoformat(), s.currency, rate_text(s.rate), money_text(s.foreign),
                   money_text(s.krw), ", ".join(s.order_numbers)))
             for n, s in enumerate(done.lines, 1)]
    if lines:
        lines += _totals(8, len(done.lines), done.krw, done.foreign_totals,
                         done.krw_by_currency, 3)
    fixed = 22 + 74 + 56 + 34 + 42 + 60 + 68 + 68
    postal = Table([Column("No.", 22, "right"), Column("등기번호\nTracking no.", 74),
                    Column("발송일자\nShipping date", 56), Column("목적국\nDest.", 34),
                    Column("통화\nCurrency", 42), Column("환율\nRate", 60, "right"),
                    Column("외화금액\nForeign amount", 68, "right"),
                    Column("원화금액\nKRW amount", 68, "right"),
                    Column("주문번호\nOrder no.", width - fixed)], size=7.5, header_size=6.5)
    receipts = [_Row((str(n), "\n".join(r.tracking_numbers), r.ship_date.isoformat(), r.country,
                      r.currency, rate_text(r.rate), money_text(r.foreign), money_text(r.krw),
                      r.order_number)) for n, r in enumerate(done.receipts, 1)]
    if receipts:
        receipts += _totals(9, len(done.receipts), done.receipts_krw,
                            done.receipts_foreign_totals, done.receipts_krw_by_currency, 4)
    return [
        _Section("1. 수출실적명세서 — 수출신고분 (Exports under an export declaration)",
                 declared, tuple(lines), "해당 없음 (none)"),
        _Section("2. 소포수령증 목록 — 수출신고 없는 우체국 소포 (Korea Post parcels without a "
                 "declaration)", postal, tuple(receipts), "해당 없음 (none)"),
    ]


class _StatementDocument:
    def __init__(self, done: ExportStatement, page: tuple[float, float]) -> None:
        self.done = done
        self.page_width, self.page_height = page
        self.width = self.page_width - 2 * MARGIN
        seller, period = done.seller, done.period
        quarter = self.width / 4
        basis = ("선적일 (shipping date)" if done.settings.rate_date.value == "ship_date"
                 else "수리일, 없으면 선적일 (declaration date)")
        self.facts = [
            Field("상호 Business name", seller.name_ko or seller.name_en, quarter, size=9,
                  bold=True),
            Field("사업자등록번호 Business reg. no.",
                  format_business_number(seller.business_number), quarter, size=9,
                  one_line=True),
            Field("과세기간 VAT term", f"{period.vat_term or period.label}\n"
                  f"{period.start.isoformat()} ~ {period.last.isoformat()}", quarter, size=8.5),
            Field("환율 Exchange rate", f"관세청 과세환율(수출), 기준일 {basis}; 원 미만 절사",
                  quarter, size=7),
        ]
        third = self.width / 3
        self.summary = [
            Field("수출신고분 Declared exports",
                  f"{len(done.lines)}건 · {money_text(done.krw)}원", third, size=9, bold=True),
            Field("소포수령증분 Postal parcels",
                  f"{len(done.receipts)}건 · {money_text(done.receipts_krw)}원", third, size=9,
                  bold=True),
            Field("영세율 합계 Total zero-rated (KRW)", f"{money_text(done.total_krw)}원", third,
                  size=9, bold=True),
        ]
        self.sections = _sections(done, self.width)
        self.pages = self._layout()

    # --- texts -------------------------------------------------------------------------

    def texts(self) -> list[tuple[str, str]]:
        named = [(field.caption, field.value) for field in [*self.facts, *self.summary]]
        for section in self.sections:
            named += [(section.heading, " ".join(c.title for c in section.table.columns))]
            named += [(f"{section.heading} row", " ".join(row.cells)) for row in section.rows]
        return named

    # --- layout: which rows go on which page ------------------------------------------------

    def _facts_height(self) -> float:
        return (max(field.height() for field in self.facts)
                + max(field.height() for field in self.summary))

    def _layout(self) -> list[list[tuple[int, tuple[int, ...]]]]:
        """Pages, each a list of (section index, row indexes) drawn on it."""
        bottom = MARGIN + FOOTER
        first_top = self.page_height - MARGIN - TITLE - self._facts_height() - FACTS_GAP
        later_top = self.page_height - MARGIN - TITLE
        pages: list[list[tuple[int, tuple[int, ...]]]] = [[]]
        top = first_top
        for index, section in enumerate(self.sections):
            table = section.table
            heights = [table.row_height(row.cells, row.bold) for row in section.rows] or [
                table.row_height([section.empty] + [""] * (len(table.columns) - 1))]
            lead = HEADING + table.header_height()
            if top - lead - heights[0] < bottom and pages[-1]:
                pages.append([])
                top = later_top
            top -= lead
            rows: list[int] = []
            for row, height in enumerate(heights):
                if top - height < bottom and rows:
                    pages[-1].append((index, tuple(rows)))
                    pages.append([])
                    top, rows = later_top - HEADING - table.header_height(), []
                rows.append(row)
                top -= height
            pages[-1].append((index, tuple(rows)))
            top -= SECTION_GAP
        return pages

    # --- drawing -----------------------------------------------------------------------

    def draw(self, canvas: Canvas) -> None:
        for number, page in enumerate(self.pages, 1):
            top = self.draw_title(canvas, self.page_height - MARGIN)
            if number == 1:
                top = draw_row(canvas, MARGIN, top, self.facts)
                top = draw_row(canvas, MARGIN, top, self.summary) - FACTS_GAP
            for index, rows in page:
                section = self.sections[index]
                top = self.draw_section(canvas, top, section, rows,
                                        continued=bool(rows) and rows[0] > 0)
                top -= SECTION_GAP
            self.draw_footer(canvas, number, len(self.pages))
            canvas.showPage()

    def draw_title(self, canvas: Canvas, top: float) -> float:
        draw_text(canvas, MARGIN, top - 18, "수출실적명세서", 17, bold=True)
        draw_text(canvas, MARGIN, top - 32, "Export performance statement for the VAT zero rate "
                  "(영세율 첨부서류) · 소포수령증 목록 (postal receipts)", 8)
        seller = self.done.seller
        name = seller.name_ko or seller.name_en
        draw_box(canvas, MARGIN + self.width * 0.55, top - 4, self.width * 0.45, 28,
                 f"{name}\n{format_business_number(seller.business_number)} · "
                 f"{self.done.period.vat_term or self.done.period.label}",
                 size=8, min_size=6, align="right")
        hline(canvas, MARGIN, MARGIN + self.width, top - TITLE + 8, 1.2)
        return top - TITLE

    def draw_section(self, canvas: Canvas, top: float, section: _Section,
                     rows: Sequence[int], *, continued: bool) -> float:
        heading = section.heading + (" (계속 continued)" if continued else "")
        draw_box(canvas, MARGIN, top - 4, self.width, HEADING - 4, heading, size=9.5,
                 min_size=7, bold=True, max_lines=1)
        top -= HEADING
        table = section.table
        top = table.draw_header(canvas, MARGIN, top)
        if not section.rows:
            return table.draw_row(canvas, MARGIN, top,
                                  [section.empty] + [""] * (len(table.columns) - 1))
        for index in rows:
            row = section.rows[index]
            top = table.draw_row(canvas, MARGIN, top, row.cells, bold=row.bold)
        return top

    def draw_footer(self, canvas: Canvas, number: int, count: int) -> None:
        y = MARGIN + FOOTER - 8
        hline(canvas, MARGIN, MARGIN + self.width, y)
        made = self.done.made_at.astimezone(KST).strftime("%Y-%m-%d %H:%M KST")
        draw_text(canvas, MARGIN, y - 11, f"원화금액 = 외화금액 × 환율 ÷ 단위, 원 미만 절사 · "
                  f"작성 {made} · fulfill", 7)
        draw_text(canvas, MARGIN, y - 11, f"{number} / {count}", 8, bold=True, align="right",
                  width=self.width)


def statement_pdf(done: ExportStatement, *, paper: str = "A4") -> bytes:
    """The statement and the postal receipts as one PDF."""
    page = paper_size(paper)
    document = _StatementDocument(done, page)
    return render_all([document], page, f"수출실적명세서 {done.period.label}",
                      lambda _document: "VAT zero-rating statement")
