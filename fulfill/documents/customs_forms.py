"""UPU customs declarations: CN 22 on a 4x6 in label page, CN 23 on A4 or Letter, with the
UPU's English/French captions and box numbers, and the choice between them by value.

Items that do not fit one sheet continue on further sheets marked "Sheet 1/2"; every sheet is
a whole form (header, category, its share of the items, totals of all sheets, certification,
signature), so no sheet is useless when separated from the others.

A parcel coming back (Parcel.returning) is declared by the buyer who sends it: the buyer is
"From" and signs, the seller's return address is "To" with the seller's customs code as the
importer reference, "Returned goods" is ticked, and the proof of the original export is
written where the officer looks for remarks.
"""

from __future__ import annotations

from collections.abc import Iterable

from babel.numbers import format_currency
from reportlab.graphics.barcode.code128 import Code128
from reportlab.pdfgen.canvas import Canvas

from fulfill.documents.captions import country_name, postal, postal_parts
from fulfill.documents.errors import DocumentError
from fulfill.documents.invoice import address_lines, business_number, hs_text, kg
from fulfill.documents.layout import (
    PAD, Column, Field, Table, checkbox, draw_row, paginate, paper_size, rect, render_all,
    row_height,
)
from fulfill.documents.text import draw_box, draw_text
from fulfill.domain import Address, ItemCategory, Money, Parcel
from fulfill.domain.tracking import grouped

# 300 SDR in the parcel's currency: at or above it a letter-post item needs a CN 23, below it
# a CN 22 (the UPU says "over 300 SDR", Japan Post "300 SDR or more": >= is right on both).
# Worked out from 1 SDR = USD 1.36 and late-2025 exchange rates, then rounded DOWN by 3-5 %,
# so when rates move the switch to the CN 23 comes a little early, never late. This is a
# setting, not a law: check it against the figure Korea Post publishes (and pass `threshold`
# to customs_form_for when it differs).
SDR_300: dict[str, Money] = {code: Money.parse(amount, code) for code, amount in {
    "USD": "395", "EUR": "345", "GBP": "295", "JPY": "58000", "CNY": "2800", "TWD": "12000",
    "HKD": "3100", "KRW": "550000", "SGD": "510", "MYR": "1700", "AUD": "600", "CAD": "540",
    "NZD": "650", "CHF": "315", "SEK": "3700", "DKK": "2550", "NOK": "3950", "PLN": "1450",
    "CZK": "8400", "THB": "12800", "VND": "10000000", "IDR": "6400000", "PHP": "22000",
    "INR": "34000", "RUB": "30000", "KZT": "195000",
}.items()}

CN22_PAGE = (288.0, 432.0)  # 4x6 in, so it prints on the label printer
CN22_MARGIN = 10.0
CN23_MARGIN = 28.0
GAP = 5.0
BAR_MODULE = 1.0  # points: 0.35 mm, in the S10 range of 0.25-0.51 mm
BAR_HEIGHT = 36.0  # 12.7 mm, the S10 recommendation

CATEGORY_LINE = 16.0  # a tick box row: English over French
CATEGORIES = (ItemCategory.GIFT, ItemCategory.COMMERCIAL_SAMPLE, ItemCategory.DOCUMENTS,
              ItemCategory.RETURNED_GOODS, ItemCategory.SALE_OF_GOODS, ItemCategory.OTHER)


def customs_form_for(parcel: Parcel, threshold: Money | None = None) -> str:
    """"cn23" when the goods are worth 300 SDR or more (`threshold`, in the parcel's currency,
    overrides SDR_300), else "cn22"."""
    if threshold is None:
        threshold = SDR_300.get(parcel.currency)
        if threshold is None:
            raise DocumentError(
                f"There is no 300 SDR figure for {parcel.currency} (order {parcel.order_number}), "
                "so fulfill cannot choose between CN 22 and CN 23.",
                f"Give the threshold in {parcel.currency} (300 SDR as the post office publishes "
                "it), or print a CN 23, which is accepted at any value.")
    if threshold.currency != parcel.currency:
        raise DocumentError(
            f"The CN 23 threshold is in {threshold.currency} but order {parcel.order_number} "
            f"is in {parcel.currency}.",
            f"Convert the threshold to {parcel.currency} first.")
    return "cn23" if parcel.goods_value.minor >= threshold.minor else "cn22"


def cn22_pdf(parcels: Iterable[Parcel]) -> bytes:
    """A CN 22 per parcel (more sheets when the items do not fit one), 288 x 432 pt pages."""
    return _render([_CN22(p) for p in parcels], CN22_PAGE, "CN 22")


def cn23_pdf(parcels: Iterable[Parcel], *, paper: str = "A4") -> bytes:
    """A CN 23 per parcel on A4 or Letter, with the S10 number as a Code 128 barcode."""
    page = paper_size(paper)
    return _render([_CN23(p, page) for p in parcels], page, "CN 23")


def _render(forms: list[_Form], page: tuple[float, float], name: str) -> bytes:
    if not forms:
        raise DocumentError(f"There is no parcel to make a {name} for.",
                            "Select at least one order.")
    return render_all(forms, page, f"Customs declarations {name}",
                      lambda form: f"{name} for order {form.parcel.order_number}")


def value_text(amount: Money) -> str:
    """"12.90 EUR": the UPU asks for the currency's ISO code with every value."""
    return format_currency(amount.to_decimal(), amount.currency, format="#,##0.00\u00a0¤¤",
                           locale="en")


def postal_address(address: Address) -> list[str]:
    """The Latin form customs reads, ending in the country in English capitals, then the
    address as typed (it helps the last mile) when that is another script."""
    lines = address_lines(address.for_carrier, address.postal_code,
                          country_name(address.country_code).upper())
    if address.latin:
        lines += ["", *address.typed.lines()]
    return lines


def numbered(number: int | None, key: str) -> str:
    """"(3) Value / Valeur": the box number as printed on the UPU model form."""
    return f"({number}) {postal(key)}" if number else postal(key)


class _Form:
    """What CN 22 and CN 23 share: item rows, sheets, category boxes, texts to check."""

    parcel: Parcel
    table: Table
    rows: list[list[str]]
    page: tuple[float, float]
    margin: float
    width: float

    def texts(self) -> list[tuple[str, str]]:
        """What both forms print, named for the seller, to refuse unprintable text."""
        p = self.parcel
        named = [("carrier", p.carrier), ("tracking number", p.tracking_number),
                 ("signatory", p.signatory), ("proof of original export", p.original_export)]
        for item, cells in zip(p.items, self.rows, strict=True):
            named.append((f"description of {item.sku}", item.description))
            named.append((f"values of {item.sku}", " ".join(cells)))
        return named

    def top_height(self) -> float:
        raise NotImplementedError

    def bottom_height(self, several: bool) -> float:
        raise NotImplementedError

    def draw(self, canvas: Canvas) -> None:
        """Each sheet: the form's top, its share of the item rows, ruled blank space, and the
        form's bottom (totals, certification, signature) anchored to the foot of the page."""
        _, page_height = self.page
        rows_top = page_height - self.margin - self.top_height()
        room = rows_top - self.margin - self.bottom_height(True)
        heights = [self.table.row_height(row) for row in self.rows]
        sheets = paginate(heights, room, room)
        several = len(sheets) > 1
        for number, rows in enumerate(sheets, start=1):
            top = self.draw_top(canvas, number, len(sheets))
            for index in rows:
                top = self.table.draw_row(canvas, self.margin, top, self.rows[index],
                                          heights[index])
            bottom = self.margin + self.bottom_height(several)
            self.table.draw_blank(canvas, self.margin, top, top - bottom)
            self.draw_bottom(canvas, bottom, several)
            canvas.showPage()

    def draw_top(self, canvas: Canvas, number: int, count: int) -> float:
        raise NotImplementedError

    def draw_bottom(self, canvas: Canvas, top: float, several: bool) -> None:
        raise NotImplementedError

    def draw_categories(self, canvas: Canvas, x: float, top: float, width: float,
                        columns: int, number: int | None) -> None:
        """The category caption and six tick boxes, the parcel's own ticked; each label in
        English over French."""
        draw_box(canvas, x + PAD, top - 2, width - 2 * PAD, 9, numbered(number, "category"),
                 size=6, min_size=4.5, bold=True, max_lines=1)
        cell = (width - 2 * PAD) / columns
        for index, category in enumerate(CATEGORIES):
            column, row = index % columns, index // columns
            cx, cy = x + PAD + column * cell, top - 13 - row * CATEGORY_LINE
            checkbox(canvas, cx, cy - 1, 8, category == self.parcel.category)
            draw_box(canvas, cx + 11, cy + 0.5, cell - 13, CATEGORY_LINE - 1,
                     f"{category.english}\n{category.french}", size=6, min_size=4.5)


def category_height(columns: int) -> float:
    """Room for the category caption and its rows of tick boxes."""
    return 13 + -(-len(CATEGORIES) // columns) * CATEGORY_LINE + 2


class _CN22(_Form):
    page = CN22_PAGE
    margin = CN22_MARGIN
    width = CN22_PAGE[0] - 2 * CN22_MARGIN
    HEADER, ITEM_NO, CERTIFY, SIGNATURE = 46.0, 14.0, 50.0, 40.0
    CATEGORY = category_height(2)

    def __init__(self, parcel: Parcel) -> None:
        self.parcel = parcel
        w = self.width
        # A CN 22 has no remarks box: a return's proof of export gets one under the category.
        self.remarks = ([Field(postal("explanation"), parcel.original_export, w, size=6.5)]
                        if parcel.original_export else [])
        self.table = Table([
            Column(numbered(1, "description22"), w - 158),
            Column(f"(4) {postal('hs')}", 44), Column(f"(5) {postal('origin')}", 34),
            Column(numbered(2, "weight"), 34, "right"),
            Column(numbered(3, "value"), 46, "right")], size=6.5, header_size=5.0)
        self.rows = [[f"{item.quantity} × {item.description}",
                      hs_text(item.hs_code, parcel.recipient.country_code),
                      item.origin_country, kg(item.net_weight_g), value_text(item.value)]
                     for item in parcel.items]

    def totals(self, several: bool) -> list[Field]:
        note = f" ({postal('all_sheets')})" if several else ""
        half = self.width / 2
        return [Field(numbered(6, "total_weight") + note, kg(self.parcel.weight_g), half,
                      size=8, bold=True, align="right"),
                Field(numbered(7, "total_value") + note, value_text(self.parcel.goods_value),
                      half, size=8, bold=True, align="right")]

    def top_height(self) -> float:
        remarks = row_height(self.remarks) if self.remarks else 0.0
        return (self.HEADER + 2 + self.ITEM_NO + self.CATEGORY + remarks + GAP
                + self.table.header_height())

    def bottom_height(self, several: bool) -> float:
        return row_height(self.totals(several)) + GAP + self.CERTIFY + GAP + self.SIGNATURE

    def draw_top(self, canvas: Canvas, number: int, count: int) -> float:
        p, x, w = self.parcel, self.margin, self.width
        top = self.page[1] - self.margin
        # Operator and title on the left, CN 22 and the sheet number on the right.
        rect(canvas, x, top, w, self.HEADER)
        draw_box(canvas, x + PAD, top - 2, w - 70, 9, f"{postal('operator')}: {p.carrier}",
                 size=6, min_size=4.5, max_lines=1)
        english, french = postal_parts("declaration")
        draw_box(canvas, x + PAD, top - 11, w - 70, 11, english, size=9.5, min_size=6,
                 bold=True, max_lines=1)
        draw_box(canvas, x + PAD, top - 22, w - 70, 10, french, size=8, min_size=6,
                 max_lines=1)
        draw_box(canvas, x + PAD, top - 33, w - 70, 10, postal("opened"), size=6, min_size=4.5,
                 max_lines=1)
        draw_text(canvas, x + w - 66, top - 22, "CN 22", 15, bold=True, align="right",
                  width=62)
        if count > 1:
            draw_text(canvas, x + w - 66, top - 38, f"{postal('sheet')} {number}/{count}", 7,
                      bold=True, align="right", width=62)
        top -= self.HEADER + 2
        draw_box(canvas, x, top, w, self.ITEM_NO,
                 f"{postal('item_no22')}: {grouped(p.tracking_number) or '—'}",
                 size=7, min_size=4.5, max_lines=1)
        top -= self.ITEM_NO
        rect(canvas, x, top, w, self.CATEGORY)
        self.draw_categories(canvas, x, top, w, 2, None)
        top -= self.CATEGORY
        if self.remarks:
            top = draw_row(canvas, x, top, self.remarks)
        return self.table.draw_header(canvas, x, top - GAP)

    def draw_bottom(self, canvas: Canvas, top: float, several: bool) -> None:
        p, x, w = self.parcel, self.margin, self.width
        top = draw_row(canvas, x, top, self.totals(several)) - GAP
        draw_box(canvas, x, top, w, self.CERTIFY, "\n".join(postal_parts("certify22")),
                 size=5.2, min_size=4)
        top -= self.CERTIFY + GAP
        rect(canvas, x, top, w, self.SIGNATURE)
        draw_box(canvas, x + PAD, top - 2, w - 2 * PAD, 9, f"(8) {postal('signature')}",
                 size=6, min_size=4.5, bold=True, max_lines=1)
        draw_box(canvas, x + PAD, top - 12, w * 0.35, 11,
                 (p.invoice_date or p.ordered_at).isoformat(), size=8, max_lines=1)
        draw_box(canvas, x + w * 0.38, top - 12, w * 0.62 - PAD, 11, p.signatory,
                 size=8, max_lines=1)
        canvas.setLineWidth(0.4)
        canvas.line(x + w * 0.38, top - 34, x + w - PAD - 2, top - 34)


class _CN23(_Form):
    margin = CN23_MARGIN
    COMMENTS, CERTIFY = 36.0, 70.0
    CATEGORY = category_height(3)

    def __init__(self, parcel: Parcel, page: tuple[float, float]) -> None:
        self.parcel = parcel
        self.page = page
        w = self.width = page[0] - 2 * CN23_MARGIN
        self.table = Table([
            Column(numbered(1, "description"), w - 300),
            Column(numbered(2, "quantity"), 46, "right"),
            Column(numbered(3, "net_weight"), 52, "right"),
            Column(numbered(5, "value"), 70, "right"),
            Column(f"(7) {postal('hs')}", 66), Column(f"(8) {postal('origin')}", 66)],
            size=8, header_size=5.5)
        country = parcel.recipient.country_code
        self.rows = [[item.description, str(item.quantity), kg(item.net_weight_g),
                      value_text(item.value), hs_text(item.hs_code, country),
                      country_name(item.origin_country)] for item in parcel.items]
        self.parties = self.party_rows()

    def texts(self) -> list[tuple[str, str]]:
        p = self.parcel
        if p.sender is not None:
            named = [("buyer's name", p.sender.typed.name),
                     ("buyer's address", self.parties[0][0].value),
                     ("return address", self.parties[1][0].value),
                     ("importer reference", self.parties[1][1].value),
                     ("importer contact", self.parties[2][1].value),
                     ("invoice number", p.invoice_number)]
            return named + super().texts()
        named = [("recipient name", p.recipient.typed.name),
                 ("recipient address", "\n".join(p.recipient.typed.lines())),
                 ("recipient phone", p.recipient.phone)]
        if p.recipient.latin:
            named += [("recipient name in Latin letters", p.recipient.latin.name),
                      ("recipient address in Latin letters", "\n".join(p.recipient.latin.lines()))]
        named += [("exporter", self.parties[0][0].value),
                  ("exporter customs code", p.seller.customs_code),
                  ("importer contact", self.parties[2][1].value),
                  ("invoice number", p.invoice_number)]
        return named + super().texts()

    def party_rows(self) -> list[list[Field]]:
        if self.parcel.returning:
            return self.returning_party_rows()
        p, w = self.parcel, self.width
        seller, recipient = p.seller, p.recipient
        left, right = w * 0.6, w * 0.4
        sender = [seller.name_en]
        if seller.address_en:
            sender = address_lines(seller.address_en.typed, seller.address_en.postal_code,
                                   country_name(seller.address_en.country_code).upper())
        sender.append(" · ".join(x for x in (f"Tel. {seller.phone}" if seller.phone else "",
                                             seller.email) if x))
        addressee = postal_address(recipient)
        tax = seller.tax_id_for(recipient.country_code)
        reference = seller.customs_code
        contact = "\n".join(x for x in (recipient.phone, recipient.email or p.buyer_email) if x)
        return [
            [Field(postal("from"), "\n".join(x for x in sender if x), left),
             Field(postal("sender_ref"), reference, right)],
            [Field(postal("to"), "\n".join(addressee), left),
             Field(postal("importer_ref"), f"{tax[0]} {tax[1]}" if tax else "", right)],
            [Field("", "", left), Field(postal("importer_contact"), contact, right)],
        ]

    def returning_party_rows(self) -> list[list[Field]]:
        """The buyer sends, the seller's return address receives and the seller imports."""
        p, w = self.parcel, self.width
        seller, sender, recipient = p.seller, p.sender, p.recipient
        assert sender is not None
        left, right = w * 0.6, w * 0.4
        sender_lines = postal_address(sender)
        reach = " · ".join(x for x in (f"Tel. {sender.phone}" if sender.phone else "",
                                       sender.email or p.buyer_email) if x)
        importer = [f"Customs code {seller.customs_code}" if seller.customs_code else "",
                    f"Business reg. No. {business_number(seller.business_number)}"
                    if seller.business_number else ""]
        contact = "\n".join(x for x in (recipient.phone or seller.phone,
                                        recipient.email or seller.email) if x)
        return [
            [Field(postal("from"), "\n".join(sender_lines + ([reach] if reach else [])), left),
             Field(postal("sender_ref"), "", right)],
            [Field(postal("to"), "\n".join(postal_address(recipient)), left),
             Field(postal("importer_ref"), "\n".join(x for x in importer if x), right)],
            [Field("", "", left), Field(postal("importer_contact"), contact, right)],
        ]

    def totals(self, several: bool) -> list[Field]:
        note = f" ({postal('all_sheets')})" if several else ""
        quarter = self.width / 4
        p = self.parcel
        return [Field(numbered(4, "total_gross") + note, kg(p.weight_g), quarter, bold=True,
                      align="right"),
                Field(numbered(6, "total_value") + note, value_text(p.goods_value), quarter,
                      bold=True, align="right"),
                Field(numbered(9, "postal_charges"), value_text(p.shipping), quarter,
                      align="right"),
                Field(postal("office"), "", quarter)]

    def references(self) -> list[Field]:
        third = self.width / 3
        return [Field(numbered(12, "licence"), "", third),
                Field(numbered(13, "certificate"), "", third),
                Field(numbered(14, "invoice"), self.parcel.invoice_number, third, bold=True)]

    def party_heights(self) -> list[float]:
        first, second, third = (row_height(row) for row in self.parties)
        return [first, second + third]  # the To box spans the importer reference and contact

    def top_height(self) -> float:
        return 62 + GAP + sum(self.party_heights()) + GAP + self.table.header_height()

    def bottom_height(self, several: bool) -> float:
        return (row_height(self.totals(several)) + GAP + self.CATEGORY + self.COMMENTS
                + row_height(self.references()) + self.CERTIFY)

    def draw_top(self, canvas: Canvas, number: int, count: int) -> float:
        p, x, w = self.parcel, self.margin, self.width
        top = self.page[1] - self.margin
        title_w = w * 0.55
        rect(canvas, x, top, title_w, 62)
        draw_box(canvas, x + PAD, top - 2, title_w - 80, 9,
                 f"{postal('operator')}: {p.carrier}", size=6.5, min_size=4.5, max_lines=1)
        english, french = postal_parts("declaration")
        draw_box(canvas, x + PAD, top - 13, title_w - 80, 14, english, size=12, min_size=7,
                 bold=True, max_lines=1)
        draw_box(canvas, x + PAD, top - 28, title_w - 80, 12, french, size=9.5, min_size=6,
                 max_lines=1)
        draw_box(canvas, x + PAD, top - 44, title_w - 2 * PAD, 10, postal("opened"), size=7,
                 min_size=4.5, max_lines=1)
        draw_text(canvas, x + title_w - 78, top - 28, "CN 23", 20, bold=True, align="right",
                  width=74)
        if count > 1:
            draw_text(canvas, x + title_w - 78, top - 56, f"{postal('sheet')} {number}/{count}",
                      8, bold=True, align="right", width=74)
        # The item's S10 number as Code 128, bars of 1 pt (0.35 mm) and 12.7 mm tall.
        bx, bw = x + title_w, w - title_w
        rect(canvas, bx, top, bw, 62)
        draw_box(canvas, bx + PAD, top - 2, bw - 2 * PAD, 9, postal("item_no"), size=6,
                 min_size=4.5, max_lines=1)
        if p.tracking_number:
            code = Code128(p.tracking_number, barWidth=BAR_MODULE, barHeight=BAR_HEIGHT,
                           quiet=False, humanReadable=False)
            code.drawOn(canvas, bx + (bw - code.width) / 2, top - 12 - BAR_HEIGHT)
            draw_text(canvas, bx, top - 58, grouped(p.tracking_number), 8, bold=True,
                      align="center", width=bw)
        top -= 62 + GAP

        # From / sender's reference, then To (spanning two rows) / importer reference, contact.
        first, second = self.party_heights()
        draw_row(canvas, x, top, self.parties[0], first)
        top -= first
        to, importer, contact = self.parties[1][0], self.parties[1][1], self.parties[2][1]
        draw_row(canvas, x, top, [to], second)
        importer_h = row_height([importer])
        draw_row(canvas, x + to.width, top, [importer], importer_h)
        draw_row(canvas, x + to.width, top - importer_h, [contact], second - importer_h)
        top -= second + GAP
        return self.table.draw_header(canvas, x, top)

    def draw_bottom(self, canvas: Canvas, top: float, several: bool) -> None:
        p, x, w = self.parcel, self.margin, self.width
        top = draw_row(canvas, x, top, self.totals(several)) - GAP

        # Category (10) with the explanation beside it, then comments (11), 12-14.
        rect(canvas, x, top, w * 0.7, self.CATEGORY)
        self.draw_categories(canvas, x, top, w * 0.7, 3, 10)
        explanation = p.explanation or (p.category.english if p.category == ItemCategory.OTHER
                                        else "")
        draw_row(canvas, x + w * 0.7, top, [Field(postal("explanation"), explanation, w * 0.3)],
                 self.CATEGORY)
        top -= self.CATEGORY
        top = draw_row(canvas, x, top, [Field(numbered(11, "comments"), p.original_export, w)],
                       self.COMMENTS)
        top = draw_row(canvas, x, top, self.references())

        # Certification (English, French) beside the date and signature (15).
        left = w * 0.6
        rect(canvas, x, top, left, self.CERTIFY)
        draw_box(canvas, x + PAD, top - PAD, left - 2 * PAD, self.CERTIFY - 2 * PAD,
                 "\n".join(postal_parts("certify23")), size=6.5, min_size=4.5)
        sign_x = x + left
        rect(canvas, sign_x, top, w - left, self.CERTIFY)
        draw_box(canvas, sign_x + PAD, top - 2, w - left - 2 * PAD, 9,
                 f"(15) {postal('signature')}", size=6, min_size=4.5, max_lines=1)
        draw_box(canvas, sign_x + PAD, top - 14, w - left - 2 * PAD, 12,
                 f"{(p.invoice_date or p.ordered_at).isoformat()}   {p.signatory}",
                 size=9, min_size=6, max_lines=1)
        canvas.setLineWidth(0.4)
        canvas.line(sign_x + PAD, top - 58, x + w - PAD, top - 58)
