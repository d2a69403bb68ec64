"""Form furniture shared by the documents: paper sizes, ruled boxes with a small caption and a
value, tick boxes, and tables whose rows grow with their text.

Everything measures before it draws, so a document can work out its pages (and print
"page 1 of 3") before the first line goes down. Coordinates are reportlab's (points, y up);
boxes are placed by their top-left corner because forms are read from the top.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Protocol

from reportlab.pdfgen.canvas import Canvas

from fulfill.documents import fonts
from fulfill.documents.errors import DocumentError, check_printable
from fulfill.documents.text import LEADING, draw_box, wrap

PAPER_SIZES = {"A4": (595.28, 841.89), "Letter": (612.0, 792.0)}
PAD = 3.0  # space between a box's rule and its text
CAPTION_SIZE = 6.0
RULE = 0.6  # line width of box rules
HEADER_GREY = 0.9


class Drawable(Protocol):
    """A document of one or more pages: the texts it prints, and how to draw them."""

    def texts(self) -> list[tuple[str, str]]: ...

    def draw(self, canvas: Canvas) -> None: ...


def render_all(documents: Sequence[Drawable], page: tuple[float, float], title: str,
               where: Callable[[Drawable], str]) -> bytes:
    """Every document into one PDF, after checking every text of every one can print: a
    refusal comes before the first page is drawn. `where` names a document in a refusal."""
    for document in documents:
        check_printable(document.texts(), where=where(document))
    buffer = BytesIO()
    canvas = fonts.new_canvas(buffer, page, title)
    for document in documents:
        document.draw(canvas)
    canvas.save()
    return buffer.getvalue()


def paper_size(paper: str) -> tuple[float, float]:
    try:
        return PAPER_SIZES[paper]
    except KeyError:
        raise DocumentError(f"Paper {paper!r} is not one fulfill prints on.",
                            f"Choose {' or '.join(PAPER_SIZES)}.") from None


def text_height(text: str, width: float, size: float, bold: bool = False) -> float:
    """Height of `text` wrapped to `width` at `size` (an empty text still takes one line).
    A hair over the exact figure, so fitting the text back into it never rounds to a line
    short and shrinks it."""
    return len(wrap(text, width, size, bold)) * size * LEADING + 0.01


def rect(canvas: Canvas, x: float, top: float, width: float, height: float, *,
         fill: float | None = None) -> None:
    """A ruled box by its top-left corner; `fill` a grey level (1 white, 0 black)."""
    canvas.setLineWidth(RULE)
    if fill is not None:
        canvas.setFillGray(fill)
    canvas.rect(x, top - height, width, height, stroke=1, fill=int(fill is not None))
    if fill is not None:
        canvas.setFillGray(0)


def hline(canvas: Canvas, x0: float, x1: float, y: float, width: float = RULE) -> None:
    canvas.setLineWidth(width)
    canvas.line(x0, y, x1, y)


def checkbox(canvas: Canvas, x: float, top: float, size: float, ticked: bool) -> None:
    """A tick box; a ticked one gets a cross of two strokes (lines, not a glyph)."""
    rect(canvas, x, top, size, size)
    if ticked:
        inset = size * 0.2
        canvas.setLineWidth(1.2)
        canvas.line(x + inset, top - inset, x + size - inset, top - size + inset)
        canvas.line(x + inset, top - size + inset, x + size - inset, top - inset)


@dataclass(frozen=True)
class Field:
    """A box with a small caption in its top-left corner and a value under it."""

    caption: str
    value: str
    width: float
    size: float = 8.5
    bold: bool = False
    align: str = "left"
    one_line: bool = False  # numbers and codes shrink rather than break

    @property
    def inner(self) -> float:
        return self.width - 2 * PAD

    def caption_height(self) -> float:
        return text_height(self.caption, self.inner, CAPTION_SIZE) if self.caption else 0.0

    def height(self) -> float:
        """What the box needs to show all of its value at its size."""
        value = (self.size * LEADING + 0.01 if self.one_line
                 else text_height(self.value, self.inner, self.size, self.bold))
        return 2 * PAD + self.caption_height() + value


def row_height(fields: Sequence[Field]) -> float:
    return max(field.height() for field in fields)


def draw_field(canvas: Canvas, x: float, top: float, field: Field, height: float) -> None:
    """Draw `field` in a box of `height`; a value taller than the box shrinks to fit."""
    rect(canvas, x, top, field.width, height)
    caption = field.caption_height()
    if caption:
        draw_box(canvas, x + PAD, top - PAD + 1, field.inner, caption, field.caption,
                 size=CAPTION_SIZE, min_size=4.0)
    room = height - caption - 2 * PAD
    if field.value and room > 0:
        draw_box(canvas, x + PAD, top - PAD - caption, field.inner, room, field.value,
                 size=field.size, min_size=min(5.0, field.size), bold=field.bold,
                 align=field.align, max_lines=1 if field.one_line else None)


def draw_row(canvas: Canvas, x: float, top: float, fields: Sequence[Field],
             height: float | None = None) -> float:
    """Fields side by side, all as tall as the tallest (or `height`); returns the bottom."""
    height = row_height(fields) if height is None else height
    for field in fields:
        draw_field(canvas, x, top, field, height)
        x += field.width
    return top - height


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    align: str = "left"


class Table:
    """Columns with a grey header; each row as tall as its longest cell wrapped."""

    def __init__(self, columns: Sequence[Column], *, size: float = 7.5,
                 header_size: float = 6.0) -> None:
        self.columns = tuple(columns)
        self.size = size
        self.header_size = header_size
        self.width = sum(column.width for column in self.columns)

    def _height(self, cells: Sequence[str], size: float, bold: bool = False) -> float:
        return 2 * PAD + max(text_height(cell, column.width - 2 * PAD, size, bold)
                             for column, cell in zip(self.columns, cells, strict=True))

    def header_height(self) -> float:
        return self._height([c.title for c in self.columns], self.header_size)

    def row_height(self, cells: Sequence[str], bold: bool = False) -> float:
        return self._height(cells, self.size, bold)

    def _draw(self, canvas: Canvas, x: float, top: float, cells: Sequence[str], height: float,
              size: float, bold: bool, fill: float | None) -> float:
        for column, cell in zip(self.columns, cells, strict=True):
            rect(canvas, x, top, column.width, height, fill=fill)
            if cell:
                draw_box(canvas, x + PAD, top - PAD, column.width - 2 * PAD, height - 2 * PAD,
                         cell, size=size, min_size=min(4.5, size), bold=bold,
                         align=column.align)
            x += column.width
        return top - height

    def draw_header(self, canvas: Canvas, x: float, top: float) -> float:
        titles = [c.title for c in self.columns]
        return self._draw(canvas, x, top, titles, self.header_height(), self.header_size,
                          False, HEADER_GREY)

    def draw_row(self, canvas: Canvas, x: float, top: float, cells: Sequence[str],
                 height: float | None = None, bold: bool = False) -> float:
        height = self.row_height(cells, bold) if height is None else height
        return self._draw(canvas, x, top, cells, height, self.size, bold, None)

    def draw_blank(self, canvas: Canvas, x: float, top: float, height: float) -> float:
        """Empty ruled cells down to top - height, so a form keeps its shape when short."""
        if height > 0.5:
            self._draw(canvas, x, top, [""] * len(self.columns), height, self.size, False, None)
        return top - max(height, 0.0)


def paginate(heights: Sequence[float], first: float, later: float) -> list[range]:
    """Split rows of `heights` into pages: `first` points of room on the first page, `later`
    on each page after it. A row taller than a page still gets a page of its own."""
    pages: list[range] = []
    start, room = 0, first
    for index, height in enumerate(heights):
        if height > room and index > start:
            pages.append(range(start, index))
            start, room = index, later
        room -= height
    pages.append(range(start, len(heights)))
    return pages
