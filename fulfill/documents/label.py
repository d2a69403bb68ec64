"""The 4x6 in shipping label (288 x 432 pt): sender, recipient as typed and in Latin letters,
destination country in English capitals, service, weight, order reference, and the tracking
number as a Code 128 whose bars are whole printer dots at 203 or 300 dpi."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from reportlab.graphics.barcode.code128 import Code128
from reportlab.pdfgen.canvas import Canvas

from fulfill.documents import captions, fonts
from fulfill.documents.errors import DocumentError, check_printable
from fulfill.documents.text import draw_box, draw_text, fit_line
from fulfill.domain import Parcel
from fulfill.domain.address import AddressText
from fulfill.domain.tracking import grouped

WIDTH, HEIGHT = 288.0, 432.0
MARGIN = 10.0
DPI_CHOICES = (203, 300)
# Module width in printer dots, widest first: 3 dots at 203 dpi is 0.375 mm and 4 at 300 dpi
# 0.339 mm, inside the S10 range of 0.25-0.51 mm; the narrower ones are for long numbers.
MODULE_DOTS = {203: (3, 2), 300: (4, 3)}
BAR_HEIGHT_MM = 20.0  # S10 asks for at least 12.5 mm
BARCODE_BOTTOM = 30.0  # room below for the number in readable groups
FACTS_TOP = 140.0  # the row of weight, order, pieces and date
POINTS_PER_MM = 72 / 25.4

def country_name(code: str) -> str:
    """The destination in English capitals: the last line of an international address."""
    return captions.country_name(code).upper()


def _dots_to_points(dots: float, dpi: int) -> float:
    return dots * 72.0 / dpi


def _snap(points: float, dpi: int) -> float:
    """The nearest position on the printer's dot grid, so every bar starts on a dot."""
    return round(points * dpi / 72.0) * 72.0 / dpi


def tracking_barcode(number: str, dpi: int, max_width: float) -> Code128:
    """Code 128 of `number` with bars of whole dots, the widest module that fits `max_width`
    with its quiet zones (10 modules each side)."""
    if dpi not in MODULE_DOTS:
        raise DocumentError(f"Labels are made for 203 or 300 dpi printers, not {dpi} dpi.",
                            "Choose 203 or 300 dpi in the label printer's settings.")
    for dots in MODULE_DOTS[dpi]:
        module = _dots_to_points(dots, dpi)
        code = Code128(number, barWidth=module, barHeight=BAR_HEIGHT_MM * POINTS_PER_MM,
                       quiet=False, humanReadable=False)
        if code.width + 20 * module <= max_width:
            return code
    raise DocumentError(f"The tracking number {number} is too long for a 4x6 label barcode.",
                        "Check the number; carriers' numbers fit in 30 characters.")


def _address_lines(text: AddressText, postal_code: str, phone: str = "") -> str:
    lines = [text.name, text.company, text.line1, text.line2]
    locality = " ".join(p for p in (text.city, text.region, postal_code) if p)
    lines.append(locality)
    if phone:
        lines.append(f"Tel. {phone}")
    return "\n".join(line for line in lines if line)


def _texts(parcel: Parcel) -> list[tuple[str, str]]:
    seller, recipient = parcel.seller, parcel.recipient
    fields = [("Recipient address", _address_lines(recipient.typed, recipient.postal_code)),
              ("Sender", seller.name_en), ("Order number", parcel.order_number),
              ("Service", f"{parcel.carrier} {parcel.service}")]
    if recipient.latin:
        fields.append(("Recipient address (Latin)", _address_lines(recipient.latin, "")))
    if seller.address_en:
        fields.append(("Sender address", _address_lines(seller.address_en.typed, "")))
    return fields


def _draw_label(canvas: Canvas, parcel: Parcel, dpi: int, customs_form: str) -> None:
    seller, recipient = parcel.seller, parcel.recipient
    inner = WIDTH - 2 * MARGIN
    canvas.setLineWidth(1.2)

    # Sender (top left) and service (top right).
    top = HEIGHT - MARGIN
    draw_text(canvas, MARGIN, top - 7, "FROM", 6.5, bold=True)
    sender = seller.address_en
    sender_text = _address_lines(sender.typed, sender.postal_code) if sender else seller.name_en
    sender_text += f"\nREPUBLIC OF KOREA   Tel. {seller.phone}" if seller.phone else ""
    draw_box(canvas, MARGIN, top - 9, 180, 60, sender_text, size=7, min_size=5)
    service_x = MARGIN + 186
    canvas.rect(service_x, top - 62, WIDTH - MARGIN - service_x, 62)
    service = fit_line(parcel.service or "—", WIDTH - MARGIN - service_x - 8, size=20, bold=True)
    draw_text(canvas, service_x, top - 30, service.lines[0], service.size, True, "center",
              WIDTH - MARGIN - service_x)
    carrier = fit_line(parcel.carrier, WIDTH - MARGIN - service_x - 8, size=8)
    draw_text(canvas, service_x, top - 44, carrier.lines[0], carrier.size, False, "center",
              WIDTH - MARGIN - service_x)
    draw_text(canvas, service_x, top - 56, customs_form, 7, True, "center",
              WIDTH - MARGIN - service_x)
    y = top - 68
    canvas.line(MARGIN, y, WIDTH - MARGIN, y)

    # Recipient: as the buyer typed it, then the Latin form carriers and customs read. It
    # gets all the room between the header and the facts row above the barcode.
    draw_text(canvas, MARGIN, y - 10, "TO", 8, bold=True)
    zone_bottom = FACTS_TOP + 30  # the country line sits here
    room = y - 3 - zone_bottom - (12 if recipient.phone else 0)
    typed = _address_lines(recipient.typed, recipient.postal_code)
    # Micro Hei has no bold face: a Chinese or Japanese address in bold would mix weights.
    bold = not fonts.has_han_or_kana(typed)
    typed_room = room * 0.58 if recipient.latin else room
    block = draw_box(canvas, MARGIN + 20, y - 3, inner - 20, typed_room, typed,
                     size=13, min_size=6, bold=bold)
    y -= 3 + block.height
    if recipient.latin:
        latin = _address_lines(recipient.latin, recipient.postal_code)
        block = draw_box(canvas, MARGIN + 20, y - 3, inner - 20, room - block.height - 3, latin,
                         size=10.5, min_size=5)
        y -= 3 + block.height
    if recipient.phone:
        draw_box(canvas, MARGIN + 20, y - 1, inner - 20, 12, f"Tel. {recipient.phone}", size=9)
    country = fit_line(country_name(recipient.country_code), inner - 20, size=20, bold=True)
    draw_text(canvas, MARGIN + 20, zone_bottom - 22, country.lines[0], country.size, bold=True)
    y = FACTS_TOP
    canvas.line(MARGIN, y, WIDTH - MARGIN, y)

    # Parcel facts in a row of small boxes.
    facts = [("WEIGHT", f"{parcel.weight_g / 1000:.3f} kg", 0.22),
             ("ORDER", parcel.order_number, 0.38),
             ("PIECES", f"1/{parcel.packages}", 0.14),
             ("DATE", (parcel.invoice_date or parcel.ordered_at).isoformat(), 0.26)]
    x = MARGIN
    for index, (caption, value, share) in enumerate(facts):
        cell = inner * share
        draw_text(canvas, x + 3, y - 9, caption, 6, bold=True)
        draw_box(canvas, x + 3, y - 11, cell - 6, 13, value, size=9, min_size=5, max_lines=1)
        if index:
            canvas.line(x, y, x, y - 28)
        x += cell
    y -= 28
    canvas.line(MARGIN, y, WIDTH - MARGIN, y)
    pieces = sum(item.quantity for item in parcel.items)
    contents = f"{pieces} item{'s' if pieces != 1 else ''} · {parcel.category.english}"
    draw_box(canvas, MARGIN, y - 2, inner * 0.45, 12, contents, size=7, min_size=5, max_lines=1)
    draw_box(canvas, MARGIN + inner * 0.45, y - 2, inner * 0.55, 12, parcel.channel, size=7,
             min_size=5, max_lines=1, align="right")

    # Tracking barcode at the bottom, on the printer's dot grid.
    code = tracking_barcode(parcel.tracking_number, dpi, inner)
    x = _snap((WIDTH - code.width) / 2, dpi)
    code.drawOn(canvas, x, _snap(BARCODE_BOTTOM, dpi))
    draw_text(canvas, MARGIN, MARGIN + 4, grouped(parcel.tracking_number), 13, True, "center", inner)


def label_pdf(parcels: Sequence[Parcel], *, dpi: int = 203,
              customs_forms: Sequence[str] | None = None) -> bytes:
    """One 4x6 page per parcel. `customs_forms` names the form attached to each ("CN22",
    "CN23"), printed in the service box so the packer knows which papers go with it."""
    fonts.register()
    for parcel in parcels:
        if not parcel.tracking_number:
            raise DocumentError(f"Order {parcel.order_number} has no tracking number.",
                                "Enter the number the carrier issued, then print the label.")
        check_printable(_texts(parcel), where=f"Label for order {parcel.order_number}")
    out = BytesIO()
    canvas = fonts.new_canvas(out, (WIDTH, HEIGHT), "Shipping labels")
    for index, parcel in enumerate(parcels):
        form = customs_forms[index] if customs_forms else ""
        _draw_label(canvas, parcel, dpi, f"Customs: {form}" if form else "")
        canvas.showPage()
    canvas.save()
    return out.getvalue()
