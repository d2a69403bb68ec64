"""The RMA slip: the page the buyer puts in the parcel they send back, A4 or Letter.

It says where the parcel goes (the seller's return address, big, in Latin letters and in
Korean), carries the RMA code as a Code 128 that Pack mode scans when the parcel arrives,
lists what comes back and why, and tells the buyer what to do, in English and in the
buyer's language. One page per RMA; only a return of more lines than any parcel holds
continues its item table on a further page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.graphics.barcode.code128 import Code128
from reportlab.pdfgen.canvas import Canvas

from fulfill.documents import fonts
from fulfill.documents.captions import ENGLISH, captions, country_name, language_for, translation
from fulfill.documents.errors import DocumentError
from fulfill.documents.invoice import address_lines
from fulfill.documents.layout import (
    PAD, Column, Field, Table, draw_row, hline, paginate, paper_size, render_all, text_height,
)
from fulfill.documents.text import draw_box, draw_text
from fulfill.domain import Address, Rma, SellerProfile

MARGIN = 36.0
GAP = 8.0
HEADER = 72.0
ADDRESS_BOX = 116.0
ADDRESS_RULE = 1.6  # the return address is ruled like a parcel label: it is the addressee
BAR_MODULE = 1.3  # points (0.46 mm): office printers and hand scanners both manage it
BAR_HEIGHT = 38.0
HEADING = 14.0  # a section heading's line
STEP_SIZE = 8.5
FOOTER = 18.0
CONTINUED = 26.0  # the heading of a continuation page
# Item rows shrink through these sizes before the table takes a second page.
TABLE_SIZES = (8.5, 8.0, 7.5, 7.0, 6.5)


@dataclass(frozen=True)
class ReturnSlip:
    """What one slip prints, gathered beforehand."""

    rma: Rma
    order_number: str
    ordered_at: date
    buyer: Address  # where the goods come back from: the order's delivery address
    seller: SellerProfile  # its return address is the parcel's addressee
    international: bool  # customs papers go with the parcel


def rma_slip_pdf(slips: Sequence[ReturnSlip], *, paper: str = "A4") -> bytes:
    """One slip per RMA, as one PDF."""
    page = paper_size(paper)
    if not slips:
        raise DocumentError("There is no return to make a slip for.", "Choose an RMA first.")
    return render_all([_Slip(slip, page) for slip in slips], page, "RMA slips",
                      lambda slip: f"RMA slip {slip.code}")


def rma_barcode(code: str) -> Code128:
    """The RMA code as Code 128, its quiet zones left to the white around it."""
    return Code128(code, barWidth=BAR_MODULE, barHeight=BAR_HEIGHT, quiet=False,
                   humanReadable=False)


def home_lines(address: Address, language: str) -> list[str]:
    """The address as typed, in the order its country writes it: a Korean one from the
    province down to the building ("서울특별시 성동구 성수이로7길 45, 3층"), others as on
    the invoice."""
    text, country = address.typed, country_name(address.country_code, language)
    if language != "ko":
        return address_lines(text, address.postal_code, country)
    street = " ".join(x for x in (text.city, text.region, text.line2, text.line1) if x)
    return [x for x in (text.name, text.company, street) if x] + [
        " ".join(x for x in (address.postal_code, country) if x)]


class _Slip:
    """One RMA's slip: texts worked out first (to check and to measure), then drawn."""

    def __init__(self, slip: ReturnSlip, page: tuple[float, float]) -> None:
        self.slip = slip
        self.code = slip.rma.code
        self.page_width, self.page_height = page
        self.width = self.page_width - 2 * MARGIN
        language = language_for(slip.buyer.country_code)
        self.language = language
        self.languages = () if language == ENGLISH else (language,)
        return_to = slip.seller.return_address()
        if return_to is None:
            raise DocumentError(f"RMA slip {self.code}: the seller profile has no return "
                                "address in English.",
                                "Fill in the return address (or the exporter address) in the "
                                "seller profile, then print again.")
        self.return_to = return_to
        t, rma = self.caption, slip.rma
        fifth = self.width / 5
        self.facts = [
            Field(t("original_order"), slip.order_number, fifth, size=9.5, bold=True,
                  one_line=True),
            Field(t("order_date"), slip.ordered_at.isoformat(), fifth, size=9.5),
            Field(t("return_kind"), t(f"kind_{rma.kind.value}", "\n"), fifth, size=8.5),
            Field(t("return_reason"), t(f"reason_{rma.reason.value}", "\n"), fifth, size=8.5),
            Field(t("postage_by"), t(f"postage_{rma.postage_paid_by.value}", "\n"), fifth,
                  size=8.5),
        ]
        fixed = 24 + 110 + 52
        self.columns = [Column(t("col_no", "\n"), 24, "right"),
                        Column(t("col_sku", "\n"), 110),
                        Column(t("col_item", "\n"), self.width - fixed),
                        Column(t("col_qty", "\n"), 52, "right")]
        self.rows = [[str(number), line.sku, line.title or line.sku, str(line.quantity)]
                     for number, line in enumerate(rma.lines, start=1)]
        keys = ["step_slip", "step_code", "step_send"]
        keys += ["step_customs"] if slip.international else []
        keys += ["step_receipt"]
        self.steps = [(self.words(key, ENGLISH), self.words(key, language)) for key in keys]

    # --- words -------------------------------------------------------------------------

    def caption(self, key: str, separator: str = " / ") -> str:
        return captions(key, self.languages, separator)

    def words(self, key: str, language: str) -> str:
        """A sentence in `language` alone, with the RMA code filled in."""
        if language == ENGLISH:
            return captions(key, ()).format(code=self.code)
        return (translation(key, language) or "").format(code=self.code)

    def address_forms(self) -> list[str]:
        """The return address in Latin letters and as typed in Korean, the form the buyer's
        post office reads first; the other after it."""
        address = self.return_to
        english = country_name(address.country_code).upper()
        latin = "\n".join(address_lines(address.for_carrier, address.postal_code, english))
        if address.latin is None:
            return [latin]
        home = language_for(address.country_code)
        typed = "\n".join(home_lines(address, home))
        return [typed, latin] if self.language == home else [latin, typed]

    def buyer_text(self) -> str:
        buyer = self.slip.buyer
        lines = home_lines(buyer, self.language)
        if buyer.latin:
            english = country_name(buyer.country_code).upper()
            lines += ["", *address_lines(buyer.latin, buyer.postal_code, english)]
        if buyer.phone:
            lines.append(f"Tel. {buyer.phone}")
        return "\n".join(lines)

    def contact(self) -> str:
        seller = self.slip.seller
        reach = " · ".join(x for x in (seller.email, seller.phone) if x)
        return f"{self.caption('contact')}: {reach}" if reach else ""

    def texts(self) -> list[tuple[str, str]]:
        """Every text the slip prints, named for the seller, to refuse unprintable ones."""
        seller = self.slip.seller
        named = [("buyer's address", self.buyer_text()),
                 ("return address", "\n".join(self.address_forms())),
                 ("seller name", f"{seller.name_en} {seller.name_ko}"),
                 ("order number", self.slip.order_number), ("contact", self.contact())]
        named += [(f"item {row[1]}", " ".join(row)) for row in self.rows]
        return named

    # --- measures ------------------------------------------------------------------------

    def step_columns(self) -> tuple[float, float]:
        """Widths of the English and the buyer's-language column of the instructions."""
        text = self.width - 18
        return (text / 2 - 6, text / 2 - 6) if self.languages else (text, 0.0)

    def step_heights(self) -> list[float]:
        english, other = self.step_columns()
        return [max(text_height(en, english, STEP_SIZE),
                    text_height(local, other, STEP_SIZE) if other else 0) + 3
                for en, local in self.steps]

    def end_height(self) -> float:
        """The instructions and the footer, under the item table."""
        return GAP + HEADING + sum(self.step_heights()) + GAP + FOOTER

    def table(self) -> tuple[Table, list[float], list[range]]:
        """The item table at the largest size whose rows fit the first page, else at the
        smallest, its rows split over pages."""
        top = (self.page_height - MARGIN - HEADER - GAP - ADDRESS_BOX - GAP
               - self.fact_height() - GAP - HEADING)
        room = top - MARGIN - self.end_height()
        for size in TABLE_SIZES:
            table = Table(self.columns, size=size, header_size=6.5)
            heights = [table.row_height(row) for row in self.rows]
            if table.header_height() + sum(heights) <= room:
                break
        later = self.page_height - 2 * MARGIN - CONTINUED - table.header_height()
        return table, heights, paginate(heights, room - table.header_height(), later)

    def fact_height(self) -> float:
        return max(field.height() for field in self.facts)

    # --- drawing -------------------------------------------------------------------------

    def draw(self, canvas: Canvas) -> None:
        table, heights, pages = self.table()
        top = self.draw_header(canvas, self.page_height - MARGIN) - GAP
        top = self.draw_addresses(canvas, top) - GAP
        top = draw_row(canvas, MARGIN, top, self.facts) - GAP
        pieces = sum(line.quantity for line in self.slip.rma.lines)
        draw_text(canvas, MARGIN, top - 11, self.caption("items_returned"), 9.5, bold=True)
        draw_text(canvas, MARGIN, top - 11, self.caption("pieces").format(count=pieces), 9,
                  align="right", width=self.width)
        top -= HEADING
        top = self.draw_rows(canvas, table, top, pages[0], heights)
        self.draw_steps(canvas, top - GAP)
        self.draw_footer(canvas, len(pages))
        for number, rows in enumerate(pages[1:], start=2):  # only a return of many lines
            canvas.showPage()
            top = self.draw_continued(canvas, number, len(pages))
            self.draw_rows(canvas, table, top, rows, heights)
        canvas.showPage()

    def draw_rows(self, canvas: Canvas, table: Table, top: float, rows: range,
                  heights: list[float]) -> float:
        top = table.draw_header(canvas, MARGIN, top)
        for index in rows:
            top = table.draw_row(canvas, MARGIN, top, self.rows[index], heights[index])
        return top

    def draw_header(self, canvas: Canvas, top: float) -> float:
        """Seller and title on the left; the RMA code, scannable and readable, on the right."""
        seller = self.slip.seller
        code = rma_barcode(self.code)
        block = max(code.width, 150.0)
        left = self.width - block - GAP
        draw_box(canvas, MARGIN, top, left, 13, seller.name_en or seller.name_ko, size=10.5,
                 min_size=7, bold=True, max_lines=1)
        if seller.name_en and seller.name_ko:
            draw_box(canvas, MARGIN, top - 13, left, 11, seller.name_ko, size=8.5, min_size=6,
                     max_lines=1)
        draw_box(canvas, MARGIN, top - 28, left, 26, captions("slip_title", ()), size=21,
                 min_size=12, bold=True, max_lines=1)
        other = translation("slip_title", self.language)
        if other:
            draw_box(canvas, MARGIN, top - 54, left, 17, other, size=13, min_size=8,
                     max_lines=1)
        x = MARGIN + self.width - block
        draw_box(canvas, x, top, block, 9, self.caption("rma_code"), size=6.5, min_size=4.5,
                 max_lines=1, align="center")
        code.drawOn(canvas, x + (block - code.width) / 2, top - 10 - BAR_HEIGHT)
        draw_text(canvas, x, top - HEADER + 4, self.code, 20, bold=True, align="center",
                  width=block)
        return top - HEADER

    def draw_addresses(self, canvas: Canvas, top: float) -> float:
        """Return to (the addressee, ruled heavy like a label) beside the buyer as sender."""
        to_width = self.width * 0.58
        canvas.setLineWidth(ADDRESS_RULE)
        canvas.rect(MARGIN, top - ADDRESS_BOX, to_width, ADDRESS_BOX)
        inner = to_width - 4 * PAD
        draw_box(canvas, MARGIN + 2 * PAD, top - PAD, inner, 9,
                 self.caption("return_to"), size=7, min_size=5, bold=True, max_lines=1)
        forms = self.address_forms()
        room = ADDRESS_BOX - 2 * PAD - 11
        y = top - PAD - 11
        first_room = room * 0.56 if len(forms) > 1 else room
        first = draw_box(canvas, MARGIN + 2 * PAD, y, inner, first_room, forms[0], size=12.5,
                         min_size=7, bold=not fonts.has_han_or_kana(forms[0]))
        if len(forms) > 1:
            y -= first.height + 6
            hline(canvas, MARGIN + 2 * PAD, MARGIN + 2 * PAD + inner * 0.3, y + 3)
            draw_box(canvas, MARGIN + 2 * PAD, y, inner, room - first.height - 6, forms[1],
                     size=10, min_size=6)
        x = MARGIN + to_width + GAP
        width = self.width - to_width - GAP
        draw_row(canvas, x, top, [Field(self.caption("sender_buyer"), self.buyer_text(), width,
                                        size=9)], ADDRESS_BOX)
        return top - ADDRESS_BOX

    def draw_steps(self, canvas: Canvas, top: float) -> None:
        """Numbered instructions, English beside the buyer's language."""
        draw_text(canvas, MARGIN, top - 11, self.caption("what_to_do"), 9.5, bold=True)
        top -= HEADING
        english, other = self.step_columns()
        hline(canvas, MARGIN, MARGIN + self.width, top)
        for number, ((en, local), height) in enumerate(
                zip(self.steps, self.step_heights(), strict=True), start=1):
            draw_text(canvas, MARGIN, top - STEP_SIZE - 2, f"{number}.", STEP_SIZE + 1,
                      bold=True)
            draw_box(canvas, MARGIN + 18, top - 2, english, height, en, size=STEP_SIZE)
            if other:
                draw_box(canvas, MARGIN + 18 + english + 12, top - 2, other, height, local,
                         size=STEP_SIZE)
            top -= height
        canvas.setStrokeGray(0.7)
        hline(canvas, MARGIN, MARGIN + self.width, top)
        canvas.setStrokeGray(0)

    def draw_footer(self, canvas: Canvas, pages: int) -> None:
        y = MARGIN + FOOTER
        hline(canvas, MARGIN, MARGIN + self.width, y)
        draw_box(canvas, MARGIN, y - 3, self.width - 90, FOOTER - 3, self.contact(), size=8,
                 min_size=5.5, max_lines=2)
        draw_text(canvas, MARGIN, y - 12, f"{self.code} 1/{pages}" if pages > 1 else self.code,
                  9, bold=True, align="right", width=self.width)

    def draw_continued(self, canvas: Canvas, number: int, count: int) -> float:
        top = self.page_height - MARGIN
        draw_text(canvas, MARGIN, top - 13, f"{captions('slip_title', ())} {self.code}", 12,
                  bold=True)
        draw_text(canvas, MARGIN, top - 13, f"{number}/{count}", 9, align="right",
                  width=self.width)
        return top - CONTINUED
