"""Packing slips (one per order, with a barcode Pack mode scans to open the order) and the
pick list that totals every SKU across a batch, both on A4 or Letter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from reportlab.graphics.barcode.code128 import Code128
from reportlab.pdfgen.canvas import Canvas

from fulfill.documents import fonts
from fulfill.documents.errors import check_printable
from fulfill.documents.layout import paper_size
from fulfill.documents.text import draw_box, draw_text, fit_line
from fulfill.domain import Parcel
from fulfill.domain.tracking import order_scan_code

MARGIN = 40.0
ROW = 24.0  # table row height: room for two lines of an item's name


@dataclass(frozen=True)
class _Column:
    caption: str
    share: float  # of the table's width
    align: str = "left"


class _Table:
    """Rows drawn down the page; a new page (with the header again) when one is full."""

    def __init__(self, canvas: Canvas, columns: Sequence[_Column], width: float,
                 start_page, *, tick_boxes: bool = False) -> None:
        self.canvas, self.columns, self.width = canvas, columns, width
        self.start_page = start_page
        self.tick_boxes = tick_boxes  # an empty box in the first column, ticked by hand
        self.y = 0.0

    def header(self, top: float) -> None:
        canvas, x = self.canvas, MARGIN
        canvas.setFillGray(0.92)
        canvas.rect(MARGIN, top - 16, self.width, 16, stroke=0, fill=1)
        canvas.setFillGray(0)
        for column in self.columns:
            cell = self.width * column.share
            draw_text(canvas, x + 4, top - 11.5, column.caption, 8, True, column.align, cell - 8)
            x += cell
        self.y = top - 16

    def row(self, cells: Sequence[str], *, bold: Sequence[bool] = ()) -> None:
        if self.y - ROW < MARGIN + 20:
            self.canvas.showPage()
            self.header(self.start_page())
        canvas, x = self.canvas, MARGIN
        for index, (column, text) in enumerate(zip(self.columns, cells, strict=True)):
            cell = self.width * column.share
            is_bold = bool(bold and bold[index])
            draw_box(canvas, x + 4, self.y - 2, cell - 8, ROW - 4, text, size=9, min_size=6,
                     bold=is_bold, align=column.align, max_lines=2)
            x += cell
        if self.tick_boxes:
            centre = MARGIN + self.width * self.columns[0].share / 2
            canvas.setLineWidth(0.8)
            canvas.rect(centre - 5, self.y - ROW / 2 - 5, 10, 10)
        self.y -= ROW
        canvas.setLineWidth(0.4)
        canvas.setStrokeGray(0.7)
        canvas.line(MARGIN, self.y, MARGIN + self.width, self.y)
        canvas.setStrokeGray(0)


def _slip_texts(parcel: Parcel) -> list[tuple[str, str]]:
    address = parcel.recipient
    fields = [("Recipient address", "\n".join(address.typed.lines())),
              ("Seller name", f"{parcel.seller.name_en} {parcel.seller.name_ko}"),
              ("Order note", parcel.note)]
    if address.latin:
        fields.append(("Recipient address (Latin)", "\n".join(address.latin.lines())))
    fields += [(f"Item {item.sku}", f"{item.sku} {item.title or item.description}")
               for item in parcel.items]
    return fields


def _draw_slip(canvas: Canvas, parcel: Parcel, page_size: tuple[float, float]) -> None:
    width, height = page_size
    inner = width - 2 * MARGIN
    top = height - MARGIN

    def page_top() -> float:
        draw_text(canvas, MARGIN, height - MARGIN - 10,
                  f"Packing slip {parcel.order_number} (continued)", 10, bold=True)
        return height - MARGIN - 24

    seller = parcel.seller
    draw_box(canvas, MARGIN, top, inner * 0.55, 20, seller.name_en or seller.name_ko, size=14,
             bold=True, max_lines=1)
    draw_box(canvas, MARGIN, top - 20, inner * 0.55, 14, seller.name_ko, size=9, max_lines=1)
    draw_text(canvas, MARGIN, top - 52, "PACKING SLIP", 18, bold=True)

    # The order's barcode, top right: Pack mode opens the order when it is scanned.
    code_text = order_scan_code(parcel.order_id)
    code = Code128(code_text, barWidth=1.2, barHeight=38, quiet=False, humanReadable=False)
    code.drawOn(canvas, width - MARGIN - code.width, top - 40)
    draw_text(canvas, width - MARGIN - code.width, top - 52, code_text, 9, False, "center",
              code.width)

    y = top - 66
    facts = [("Order", parcel.order_number), ("Ordered", parcel.ordered_at.isoformat()),
             ("Channel", parcel.channel), ("Ship by", f"{parcel.carrier} {parcel.service}".strip())]
    for caption, value in facts:
        draw_text(canvas, MARGIN, y - 10, caption, 8.5, bold=True)
        draw_box(canvas, MARGIN + 60, y, inner * 0.5 - 60, 13, value or "—", size=9.5,
                 max_lines=1)
        y -= 14

    address = parcel.recipient
    ship_to = "\n".join(address.typed.lines() + [address.postal_code, address.country_code])
    if address.latin:
        ship_to += "\n" + "\n".join(address.latin.lines())
    box_x = MARGIN + inner * 0.52
    draw_text(canvas, box_x, top - 76, "SHIP TO", 8.5, bold=True)
    draw_box(canvas, box_x, top - 80, inner * 0.48, 118, ship_to, size=10, min_size=6)

    table_top = min(y, top - 200) - 10
    table = _Table(canvas, (_Column("Packed", 0.09, "center"), _Column("SKU", 0.22),
                            _Column("Item", 0.57), _Column("Qty", 0.12, "right")),
                   inner, page_top, tick_boxes=True)
    table.header(table_top)
    for item in parcel.items:
        table.row(["", item.sku, item.title or item.description, str(item.quantity)],
                  bold=(False, False, False, item.quantity > 1))
    pieces = sum(item.quantity for item in parcel.items)
    y = table.y - 18
    draw_text(canvas, MARGIN, y, f"{len(parcel.items)} lines, {pieces} pieces", 10, True,
              "right", inner)
    if parcel.note:
        draw_box(canvas, MARGIN, y - 8, inner, 40, f"Note from the buyer: {parcel.note}", size=9)


def packing_slip_pdf(parcels: Sequence[Parcel], *, paper: str = "A4") -> bytes:
    """One packing slip per parcel (more pages when the order is long)."""
    page_size = paper_size(paper)
    fonts.register()
    for parcel in parcels:
        check_printable(_slip_texts(parcel), where=f"Packing slip for order {parcel.order_number}")
    out = BytesIO()
    canvas = fonts.new_canvas(out, page_size, "Packing slips")
    for parcel in parcels:
        _draw_slip(canvas, parcel, page_size)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


@dataclass
class PickLine:
    sku: str
    title: str
    quantity: int
    orders: int


def pick_lines(parcels: Sequence[Parcel]) -> list[PickLine]:
    """Each SKU once with the pieces to pick across the batch, by SKU."""
    lines: dict[str, PickLine] = {}
    for parcel in parcels:
        for sku in {item.sku for item in parcel.items}:
            quantity = sum(i.quantity for i in parcel.items if i.sku == sku)
            item = next(i for i in parcel.items if i.sku == sku)
            line = lines.setdefault(sku, PickLine(sku, item.title or item.description, 0, 0))
            line.quantity += quantity
            line.orders += 1
    return sorted(lines.values(), key=lambda line: line.sku)


def pick_list_pdf(parcels: Sequence[Parcel], *, paper: str = "A4",
                  day: date | None = None) -> bytes:
    """The pick list of a batch: every SKU with its total, then the orders in the batch."""
    page_size = paper_size(paper)
    width, height = page_size
    inner = width - 2 * MARGIN
    fonts.register()
    lines = pick_lines(parcels)
    check_printable([(f"Item {line.sku}", f"{line.sku} {line.title}") for line in lines],
                    where="Pick list")
    out = BytesIO()
    canvas = fonts.new_canvas(out, page_size, "Pick list")

    def page_top() -> float:
        draw_text(canvas, MARGIN, height - MARGIN - 10, "Pick list (continued)", 10, bold=True)
        return height - MARGIN - 24

    top = height - MARGIN
    draw_text(canvas, MARGIN, top - 18, "PICK LIST", 18, bold=True)
    pieces = sum(line.quantity for line in lines)
    summary = (f"{(day or date.today()).isoformat()} · {len(parcels)} orders · "
               f"{len(lines)} SKUs · {pieces} pieces")
    fitted = fit_line(summary, inner, size=10)
    draw_text(canvas, MARGIN, top - 36, fitted.lines[0], fitted.size)
    table = _Table(canvas, (_Column("SKU", 0.22), _Column("Item", 0.52),
                            _Column("Orders", 0.11, "right"), _Column("Pick", 0.15, "right")),
                   inner, page_top)
    table.header(top - 50)
    for line in lines:
        table.row([line.sku, line.title, str(line.orders), str(line.quantity)],
                  bold=(True, False, False, True))
    numbers = ", ".join(parcel.order_number for parcel in parcels)
    if table.y < MARGIN + 80:
        canvas.showPage()
        table.y = page_top()
    draw_text(canvas, MARGIN, table.y - 20, "Orders in this batch", 9, bold=True)
    draw_box(canvas, MARGIN, table.y - 24, inner, table.y - 24 - MARGIN, numbers, size=8,
             min_size=5)
    canvas.showPage()
    canvas.save()
    return out.getvalue()
