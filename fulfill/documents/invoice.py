"""The commercial invoice, A4 or Letter, in English plus the destination's language.

Carries every field DHL, FedEx and UPS ask for: exporter with its registration and customs
numbers, consignee as typed and in Latin letters, invoice/order/tracking references, terms of
sale, reason for export, per line HS code, origin, quantity, net weight and value, totals
formatted by babel for the document's locale, weights, packages, declaration and signatory.
A long order continues on further pages with the table header repeated; nothing is clipped.

A parcel coming back (Parcel.returning) gets a pro forma invoice with the parties swapped:
the buyer exports, the seller is the consignee and importer, the proof of the original
export is printed for duty relief, and the captions are in English, the buyer's language
and the seller's (Korean).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from babel.numbers import format_currency
from reportlab.pdfgen.canvas import Canvas

from fulfill.documents.captions import (
    ENGLISH, captions, country_name, language_for, locale_for, translation,
)
from fulfill.documents.errors import DocumentError
from fulfill.documents.layout import (
    Column, Field, Table, draw_row, paginate, paper_size, render_all, row_height,
)
from fulfill.documents.text import draw_box, draw_text
from fulfill.domain import Money, Parcel, hs6
from fulfill.domain.address import Address, AddressText

MARGIN = 36.0
GAP = 8.0  # between blocks
TITLE_SIZE = 15.0
SUBTITLE_SIZE = 11.0  # the title in the other languages, on papers that print several
SIGNATURE_HEIGHT = 34.0
TOTALS_WIDTH = 240.0
# Fixed table columns; the description takes what is left of the page width.
_COLUMNS = (("col_no", 22, "right"), ("col_description", 0, "left"), ("col_hs", 64, "left"),
            ("col_origin", 50, "left"), ("col_qty", 30, "right"),
            ("col_unit_weight", 40, "right"), ("col_unit_value", 60, "right"),
            ("col_value", 64, "right"))


def invoice_pdf(parcels: Iterable[Parcel], *, paper: str = "A4",
                language: str | None = None) -> bytes:
    """Commercial invoices for `parcels`, one or more pages each, as one PDF.

    `language` None prints English plus the destination's language (Simplified Chinese for
    CN, Traditional for TW/HK, Japanese for JP, Korean for KR, English alone elsewhere);
    "en", "zh-Hans", "zh-Hant", "ja" or "ko" chooses it for every parcel. A parcel coming
    back prints English, the buyer's language (or `language`) and the seller's country's.
    """
    page = paper_size(paper)
    invoices = [_Invoice(p, document_languages(p, language), page) for p in parcels]
    if not invoices:
        raise DocumentError("There is no parcel to make an invoice for.",
                            "Select at least one order.")
    return render_all(invoices, page, "Commercial invoices",
                      lambda invoice: f"Invoice for order {invoice.parcel.order_number}")


def document_languages(parcel: Parcel, override: str | None = None) -> tuple[str, ...]:
    """The languages the papers print besides English: the destination's (or `override`);
    for a parcel coming back, the buyer's (or `override`) and then the seller's country's,
    where it goes."""
    if parcel.sender is None:
        language = language_for(parcel.recipient.country_code, override)
        return () if language == ENGLISH else (language,)
    wanted = (language_for(parcel.sender.country_code, override),
              language_for(parcel.recipient.country_code))
    return tuple(dict.fromkeys(language for language in wanted if language != ENGLISH))


def kg(grams: int) -> str:
    """Grams as kilograms with three decimals, exactly ("0.190"): never through a float."""
    return f"{grams // 1000}.{grams % 1000:03d}"


def hs_text(code: str, destination: str) -> str:
    """HS6 ("3304.99") for other countries; the full Korean HSK for a Korean destination."""
    digits = re.sub(r"[\s.\-]", "", code)
    if destination == "KR" and len(digits) == 10:
        return f"{digits[:4]}.{digits[4:6]}-{digits[6:]}"
    return hs6(code)


def business_number(number: str) -> str:
    """사업자등록번호 in its usual 3-2-5 groups."""
    digits = re.sub(r"\D", "", number)
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}" if len(digits) == 10 else number


def address_lines(text: AddressText, postal_code: str, country: str) -> list[str]:
    """Name, street and locality lines, then postal code and country."""
    return [*text.lines(), " ".join(part for part in (postal_code, country) if part)]


def exporter_lines(parcel: Parcel) -> list[str]:
    seller = parcel.seller
    name = seller.name_en + (f" ({seller.name_ko})" if seller.name_ko else "")
    address = seller.address_en
    if address is None:
        return [name]
    lines = address_lines(address.typed, address.postal_code,
                          country_name(address.country_code).upper())
    if lines and lines[0] == seller.name_en:
        lines = lines[1:]  # the company name is already the first line
    return [name, *lines]


def consignee_lines(recipient: Address, language: str) -> tuple[list[str], list[str] | None]:
    """The address as typed, and its Latin form when there is one. The typed form ends in the
    country's name in the document's language; the Latin form in English capitals."""
    english = country_name(recipient.country_code).upper()
    if recipient.latin is None:
        return address_lines(recipient.typed, recipient.postal_code, english), None
    native = country_name(recipient.country_code, language) if language != ENGLISH else english
    return (address_lines(recipient.typed, recipient.postal_code, native),
            address_lines(recipient.latin, recipient.postal_code, english))


class _Invoice:
    """One parcel's invoice: every text worked out first (to check and to measure), then
    split into pages and drawn."""

    def __init__(self, parcel: Parcel, languages: tuple[str, ...],
                 page: tuple[float, float]) -> None:
        self.parcel = parcel
        self.languages = languages
        # The language money and the parties' countries are written in: the destination's,
        # or on a return the buyer's (the seller's country comes after it).
        home = language_for(parcel.recipient.country_code)
        self.language = next((x for x in languages if not parcel.returning or x != home),
                             ENGLISH)
        self.locale = locale_for(self.language)
        self.page_width, self.page_height = page
        self.width = self.page_width - 2 * MARGIN
        t = self.caption
        p = parcel
        currency = p.currency

        if p.returning:  # English big, the other languages on a line of their own
            self.title = captions("return_invoice", ())
            self.subtitle = "   ".join(x for x in (translation("return_invoice", language)
                                                   for language in languages) if x)
        else:
            self.title, self.subtitle = t("title", "   "), ""
        self.references = [
            Field(t("invoice_no"), p.invoice_number, self.width * 0.24, bold=True,
                  one_line=True),
            Field(t("invoice_date"), (p.invoice_date or p.ordered_at).isoformat(),
                  self.width * 0.14, one_line=True),
            Field(t("original_order" if p.returning else "order_no"), p.order_number,
                  self.width * 0.24, one_line=True),
            Field(t("channel"), p.channel, self.width * 0.38),
        ]
        self.shipment = [
            Field(t("tracking"), p.tracking_number, self.width * 0.24, bold=True,
                  one_line=True),
            Field(t("carrier"), " · ".join(x for x in (p.carrier, p.service) if x),
                  self.width * 0.22),
            Field(t("incoterm"), p.incoterm, self.width * 0.24),
            Field(t("reason"), " — ".join(x for x in (t(str(p.category)), p.explanation) if x),
                  self.width * 0.30),
        ]
        # On a return, the proof of the export the goods left Korea under, for duty relief.
        self.export_proof = ([Field(t("original_export"), p.original_export, self.width,
                                    bold=True)] if p.original_export else [])
        self.left, self.right = (self.returning_parties() if p.returning
                                 else self.outgoing_parties())

        fifth = self.width / 5
        self.terms = [
            Field(t("currency"), currency, fifth),
            Field(t("packages"), str(p.packages), fifth),
            Field(t("net_weight"), f"{kg(p.net_weight_g)} kg", fifth),
            Field(t("gross_weight"), f"{kg(p.weight_g)} kg", fifth),
            Field(t("destination"), country_name(p.recipient.country_code), fifth),
        ]

        fixed = sum(width for _, width, _ in _COLUMNS)
        self.table = Table([
            Column(t(key, "\n") + (f" ({currency})" if key.endswith("value") else ""),
                   width or self.width - fixed, align)
            for key, width, align in _COLUMNS])
        self.rows = [self.item_cells(number, item)
                     for number, item in enumerate(p.items, start=1)]
        self.row_heights = [self.table.row_height(cells) for cells in self.rows]

        total = p.goods_value + p.shipping
        self.totals = Table([Column("", TOTALS_WIDTH - 100), Column("", 100, "right")],
                            size=8.5)
        self.total_rows = [[t("goods_value"), self.money(p.goods_value)],
                           [t("shipping"), self.money(p.shipping)],
                           [f"{t('total')} ({currency})", self.money(total)]]
        self.declaration = Field("", self.declaration_text(), self.width - TOTALS_WIDTH - GAP,
                                 size=7.5)
        third = self.width / 3
        self.signature = [Field(t("signatory"), p.signatory, third),
                          Field(t("signature"), "", third),
                          Field(t("date"), (p.invoice_date or p.ordered_at).isoformat(), third)]

    # --- parties -----------------------------------------------------------------------

    def outgoing_parties(self) -> tuple[list[list[Field]], list[list[Field]]]:
        """The seller exports (with its registration numbers), the buyer receives."""
        p, t = self.parcel, self.caption
        seller = p.seller
        half = self.width / 2
        quarter = half / 2
        left = [[Field(t("exporter"), "\n".join(exporter_lines(p)), half)],
                [Field(t("phone"), seller.phone, quarter),
                 Field(t("email"), seller.email, quarter)],
                [Field(t("business_no"), business_number(seller.business_number), quarter),
                 Field(t("customs_code"), seller.customs_code, quarter)]]
        tax = seller.tax_id_for(p.recipient.country_code)
        if tax:
            left.append([Field(t("tax_id"), f"{tax[0]} {tax[1]}", half)])
        typed, latin = consignee_lines(p.recipient, self.language)
        right = [[Field(t("consignee"), "\n".join(typed), half)]]
        if latin:
            right.append([Field(t("latin"), "\n".join(latin), half)])
        right.append([Field(t("phone"), p.recipient.phone, quarter),
                      Field(t("email"), p.recipient.email or p.buyer_email, quarter)])
        return left, right

    def returning_parties(self) -> tuple[list[list[Field]], list[list[Field]]]:
        """The buyer exports the goods back; the seller receives and imports them, so its
        registration numbers go with the consignee."""
        p, t = self.parcel, self.caption
        sender, seller = p.sender, p.seller
        assert sender is not None
        half = self.width / 2
        quarter = half / 2
        typed, latin = consignee_lines(sender, self.language)
        left = [[Field(t("exporter_buyer"), "\n".join(typed), half)]]
        if latin:
            left.append([Field(t("exporter_latin"), "\n".join(latin), half)])
        left.append([Field(t("phone"), sender.phone, quarter),
                     Field(t("email"), sender.email or p.buyer_email, quarter)])
        typed, latin = consignee_lines(p.recipient, self.home_language)
        right = [[Field(t("consignee_seller"), "\n".join(typed), half)]]
        if latin:
            right.append([Field(t("latin"), "\n".join(latin), half)])
        right += [[Field(t("phone"), p.recipient.phone or seller.phone, quarter),
                   Field(t("email"), p.recipient.email or seller.email, quarter)],
                  [Field(t("business_no"), business_number(seller.business_number), quarter),
                   Field(t("importer_code"), seller.customs_code, quarter)]]
        return left, right

    @property
    def home_language(self) -> str:
        """The consignee's country's language, when the papers print it."""
        home = language_for(self.parcel.recipient.country_code)
        return home if home in self.languages else ENGLISH

    # --- words -------------------------------------------------------------------------

    def caption(self, key: str, separator: str = " / ") -> str:
        return captions(key, self.languages, separator)

    def money(self, amount: Money) -> str:
        return format_currency(amount.to_decimal(), amount.currency, locale=self.locale)

    def item_cells(self, number: int, item) -> list[str]:
        others = (item.translations.get(language) for language in self.languages)
        description = "\n".join(dict.fromkeys([item.description, *(x for x in others if x)]))
        return [str(number), description, hs_text(item.hs_code, self.parcel.recipient.country_code),
                country_name(item.origin_country), str(item.quantity), kg(item.unit_net_weight_g),
                self.money(item.unit_value), self.money(item.value)]

    def declaration_text(self) -> str:
        return captions("declaration", self.languages, "\n")

    def texts(self) -> list[tuple[str, str]]:
        """Every text the invoice prints, named for the seller, to refuse unprintable ones."""
        p = self.parcel
        named = self.returning_party_texts() if p.returning else self.outgoing_party_texts()
        named += [("order number", p.order_number), ("invoice number", p.invoice_number),
                  ("sales channel", p.channel), ("tracking number", p.tracking_number),
                  ("carrier", p.carrier), ("service", p.service)]
        for item, cells in zip(p.items, self.rows, strict=True):
            named.append((f"description of {item.sku}", cells[1]))
            named.append((f"amounts of {item.sku}", " ".join(cells[2:])))
        named += [("totals", " ".join(value for _, value in self.total_rows))]
        return named

    def outgoing_party_texts(self) -> list[tuple[str, str]]:
        p = self.parcel
        typed, latin = consignee_lines(p.recipient, self.language)
        named = [("recipient name", p.recipient.typed.name),
                 ("recipient address", "\n".join(typed[1:])),
                 ("recipient phone", p.recipient.phone),
                 ("recipient email", p.recipient.email or p.buyer_email)]
        if latin:
            named += [("recipient name in Latin letters", p.recipient.latin.name),
                      ("recipient address in Latin letters", "\n".join(latin[1:]))]
        return named + [("exporter name and address", "\n".join(exporter_lines(p))),
                        ("exporter customs code", p.seller.customs_code),
                        ("exporter phone", p.seller.phone), ("exporter email", p.seller.email),
                        ("signatory", p.seller.signature_name)]

    def returning_party_texts(self) -> list[tuple[str, str]]:
        p = self.parcel
        sender = p.sender
        assert sender is not None
        typed, latin = consignee_lines(sender, self.language)
        named = [("buyer's name", sender.typed.name), ("buyer's address", "\n".join(typed[1:])),
                 ("buyer's phone", sender.phone),
                 ("buyer's email", sender.email or p.buyer_email)]
        if latin:
            named += [("buyer's name in Latin letters", sender.for_carrier.name),
                      ("buyer's address in Latin letters", "\n".join(latin[1:]))]
        typed, latin = consignee_lines(p.recipient, self.home_language)
        return named + [("return address", "\n".join(typed + (latin or []))),
                        ("seller's customs code", p.seller.customs_code),
                        ("proof of original export", p.original_export)]

    # --- pages -------------------------------------------------------------------------

    def party_heights(self) -> tuple[list[float], list[float]]:
        """Row heights of the exporter and consignee columns, the shorter column's address
        box stretched so both end on one line."""
        left = [row_height(row) for row in self.left]
        right = [row_height(row) for row in self.right]
        difference = sum(left) - sum(right)
        if difference > 0:
            right[0] += difference
        else:
            left[0] -= difference
        return left, right

    def title_height(self) -> float:
        return TITLE_SIZE * 1.6 + (SUBTITLE_SIZE * 1.4 if self.subtitle else 0)

    def first_header_height(self) -> float:
        left, _ = self.party_heights()
        proof = row_height(self.export_proof) if self.export_proof else 0
        return (self.title_height() + row_height(self.references) + row_height(self.shipment)
                + proof + GAP + sum(left) + GAP + row_height(self.terms) + GAP)

    def later_header_height(self) -> float:
        return self.title_height() + row_height(self.references) + GAP

    def end_height(self) -> float:
        totals = sum(self.totals.row_height(row) for row in self.total_rows)
        return GAP + max(totals, self.declaration.height()) + GAP + max(
            row_height(self.signature), SIGNATURE_HEIGHT)

    def pages(self) -> list[range]:
        """Which item rows go on each page; an empty last range is a page for the totals."""
        usable = self.page_height - 2 * MARGIN
        header = self.table.header_height()
        first = usable - self.first_header_height() - header
        later = usable - self.later_header_height() - header
        pages = paginate(self.row_heights, first, later)
        room = (first if len(pages) == 1 else later) - sum(self.row_heights[i] for i in pages[-1])
        if room < self.end_height():
            pages.append(range(len(self.rows), len(self.rows)))
        return pages

    def draw(self, canvas: Canvas) -> None:
        pages = self.pages()
        for number, rows in enumerate(pages, start=1):
            top = self.page_height - MARGIN
            top = self.draw_title(canvas, top, number, len(pages))
            top = draw_row(canvas, MARGIN, top, self.references)
            if number == 1:
                top = self.draw_parties(canvas, top)
            else:
                top -= GAP
            if rows:
                top = self.table.draw_header(canvas, MARGIN, top)
                for index in rows:
                    top = self.table.draw_row(canvas, MARGIN, top, self.rows[index],
                                              self.row_heights[index])
            if number == len(pages):
                self.draw_end(canvas, top)
            canvas.showPage()

    def draw_title(self, canvas: Canvas, top: float, number: int, count: int) -> float:
        title = self.title if number == 1 else f"{self.title} ({self.caption('continued')})"
        page_width = 110.0
        draw_box(canvas, MARGIN, top, self.width - page_width, TITLE_SIZE * 1.3, title,
                 size=TITLE_SIZE, min_size=9, bold=True, max_lines=1)
        draw_text(canvas, MARGIN + self.width - page_width, top - TITLE_SIZE,
                  f"{self.caption('page')} {number}/{count}", 8.0, align="right",
                  width=page_width)
        if self.subtitle:
            draw_box(canvas, MARGIN, top - TITLE_SIZE * 1.45, self.width - page_width,
                     SUBTITLE_SIZE * 1.3, self.subtitle, size=SUBTITLE_SIZE, min_size=7,
                     max_lines=1)
        return top - self.title_height()

    def draw_parties(self, canvas: Canvas, top: float) -> float:
        top = draw_row(canvas, MARGIN, top, self.shipment)
        if self.export_proof:
            top = draw_row(canvas, MARGIN, top, self.export_proof)
        top -= GAP
        left, right = self.party_heights()
        for column, heights, x in ((self.left, left, MARGIN),
                                   (self.right, right, MARGIN + self.width / 2)):
            y = top
            for row, height in zip(column, heights, strict=True):
                y = draw_row(canvas, x, y, row, height)
        top -= sum(left) + GAP
        return draw_row(canvas, MARGIN, top, self.terms) - GAP

    def draw_end(self, canvas: Canvas, top: float) -> None:
        top -= GAP
        heights = [self.totals.row_height(row) for row in self.total_rows]
        block = max(sum(heights), self.declaration.height())
        x = MARGIN + self.width - TOTALS_WIDTH
        y = top
        for row, height in zip(self.total_rows, heights, strict=True):
            bold = row is self.total_rows[-1]
            y = self.totals.draw_row(canvas, x, y, row, height, bold=bold)
        draw_box(canvas, MARGIN, top - 2, self.declaration.width, block,
                 self.declaration.value, size=self.declaration.size, min_size=5)
        top -= block + GAP
        draw_row(canvas, MARGIN, top, self.signature,
                 max(row_height(self.signature), SIGNATURE_HEIGHT))
