"""Text that stays inside its box: wrapped at spaces (and between CJK characters), shrunk
when wrapping is not enough, and drawn run by run with the font that has each character."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from fulfill.documents.fonts import runs, text_width

ELLIPSIS = "…"
LEADING = 1.2  # line height as a multiple of the font size

# A word of non-CJK characters, or one CJK character (Chinese and Japanese break anywhere,
# Korean at spaces like Latin).
_ATOM = re.compile(
    "[\u2e80-\u2fdf\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
    "|[^\\s\u2e80-\u2fdf\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+"
)


@dataclass(frozen=True)
class Fitted:
    """Text laid out for a box: its lines at one font size."""

    lines: tuple[str, ...]
    size: float
    bold: bool
    truncated: bool = False  # did not fit even at the smallest size; ends with "…"

    @property
    def leading(self) -> float:
        return self.size * LEADING

    @property
    def height(self) -> float:
        return len(self.lines) * self.leading


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Lines no wider than `width`; explicit line breaks are kept."""
    return list(_wrapped(text, width, size, bold))


@lru_cache(maxsize=32768)
def _wrapped(text: str, width: float, size: float, bold: bool) -> tuple[str, ...]:
    # Cached: a batch repeats captions and the seller's details on every page.
    if "\n" not in text and text_width(text, size, bold) <= width:
        return (text,)  # the usual short field: no need to look at words
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for match in _ATOM.finditer(paragraph):
            atom = match.group()
            # Keep the space that stood before this atom, if any, when joining.
            gap = " " if line and match.start() > 0 and paragraph[match.start() - 1].isspace() else ""
            candidate = f"{line}{gap}{atom}"
            if text_width(candidate, size, bold) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for char in atom:  # a word wider than the box is broken where it must be
                if line and text_width(line + char, size, bold) > width:
                    lines.append(line)
                    line = ""
                line += char
        lines.append(line)
    return tuple(lines)


def fit(text: str, width: float, height: float, *, size: float, min_size: float = 5.0,
        bold: bool = False, max_lines: int | None = None) -> Fitted:
    """The largest size from `size` down to `min_size` at which `text` fits the box.

    When even `min_size` is too big, the lines that fit are kept and the last one ends in "…";
    `truncated` says so, so the caller can warn before printing.
    """
    current = size
    while True:
        lines = list(_wrapped(text, width, current, bold))
        limit = int(height // (current * LEADING))
        if max_lines is not None:
            limit = min(limit, max_lines)
        if len(lines) <= limit:
            return Fitted(tuple(lines), current, bold)
        if current - 0.5 < min_size:
            break
        current -= 0.5
    kept = lines[:max(limit, 1)]
    last = kept[-1]
    while last and text_width(last + ELLIPSIS, current, bold) > width:
        last = last[:-1]
    kept[-1] = last.rstrip() + ELLIPSIS
    return Fitted(tuple(kept), current, bold, truncated=True)


def fit_line(text: str, width: float, *, size: float, min_size: float = 5.0,
             bold: bool = False) -> Fitted:
    """One line, shrunk until it fits `width`."""
    return fit(text, width, size * LEADING, size=size, min_size=min_size, bold=bold, max_lines=1)


def draw_text(canvas: Canvas, x: float, y: float, text: str, size: float, bold: bool = False,
              align: str = "left", width: float = 0.0) -> None:
    """One line at baseline y; `align` "center" or "right" within `width` from x."""
    if align != "left":
        spare = width - text_width(text, size, bold)
        x += spare / 2 if align == "center" else spare
    for font, piece in runs(text, bold):
        canvas.setFont(font, size)
        canvas.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, font, size)


def draw_fitted(canvas: Canvas, x: float, top: float, fitted: Fitted, align: str = "left",
                width: float = 0.0) -> float:
    """Draw laid-out lines from `top` down; returns the y just below the last line."""
    y = top
    for line in fitted.lines:
        y -= fitted.leading
        # The baseline sits a fifth of the size above the bottom of the line box.
        draw_text(canvas, x, y + fitted.size * 0.25, line, fitted.size, fitted.bold, align, width)
    return y


def draw_box(canvas: Canvas, x: float, top: float, width: float, height: float, text: str, *,
             size: float, min_size: float = 5.0, bold: bool = False, align: str = "left",
             max_lines: int | None = None) -> Fitted:
    """Fit `text` into the box whose top-left corner is (x, top) and draw it there."""
    fitted = fit(text, width, height, size=size, min_size=min_size, bold=bold, max_lines=max_lines)
    draw_fitted(canvas, x, top, fitted, align, width)
    return fitted
