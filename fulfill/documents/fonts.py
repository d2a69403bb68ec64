"""The bundled fonts, and which one draws each character.

reportlab has no font fallback: a character missing from the current font prints as an empty
box. So text is split into runs, each drawn with the first bundled font that has all of its
characters: DejaVu Sans for Latin, Greek, Cyrillic and symbols, NanumGothic for Hangul,
WenQuanYi Micro Hei for Chinese and Japanese. Han characters and kana always go to Micro Hei,
so a Chinese or Japanese address is drawn in one consistent typeface. A character no bundled
font has is found before anything is drawn (`unprintable`), never printed as a box.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfbase.ttfonts import TTFont

from fulfill.paths import resources_dir


@dataclass(frozen=True)
class BundledFont:
    name: str  # the name reportlab knows it by
    file: str
    subfont: int = 0


LATIN = BundledFont("fulfill-DejaVuSans", "DejaVuSans.ttf")
LATIN_BOLD = BundledFont("fulfill-DejaVuSans-Bold", "DejaVuSans-Bold.ttf")
HANGUL = BundledFont("fulfill-NanumGothic", "NanumGothic.ttf")
HANGUL_BOLD = BundledFont("fulfill-NanumGothicBold", "NanumGothicBold.ttf")
HAN = BundledFont("fulfill-WenQuanYiMicroHei", "wqy-microhei.ttc")

# Fallback order per weight. Micro Hei has no bold face; its regular stands in.
_REGULAR = (LATIN, HANGUL, HAN)
_BOLD = (LATIN_BOLD, HANGUL_BOLD, HAN)

_lock = threading.Lock()
_glyphs: dict[str, frozenset[int]] = {}


def register() -> None:
    """Load the bundled fonts into reportlab once per process (about 0.2 s)."""
    if len(_glyphs) == len({*_REGULAR, *_BOLD}):
        return
    with _lock:
        for font in {*_REGULAR, *_BOLD}:
            if font.name in _glyphs:
                continue
            path = resources_dir() / "fonts" / font.file
            if not path.exists():
                raise FileNotFoundError(
                    f"The font {font.file} is missing from {path.parent}. Reinstall fulfill.")
            ttf = TTFont(font.name, str(path), subfontIndex=font.subfont)
            pdfmetrics.registerFont(ttf)
            _glyphs[font.name] = frozenset(ttf.face.charToGlyph)


def _is_han_or_kana(code: int) -> bool:
    return (0x2E80 <= code <= 0x2FDF or 0x3000 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF
            or 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF
            or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x2FA1F)


def has_han_or_kana(text: str) -> bool:
    return any(_is_han_or_kana(ord(char)) for char in text)


@lru_cache(maxsize=65536)
def _font_for(char: str, bold: bool) -> str | None:
    """The font that draws `char`, or None when none of ours has it."""
    code = ord(char)
    fonts = _BOLD if bold else _REGULAR
    if _is_han_or_kana(code) and code in _glyphs[HAN.name]:
        return HAN.name
    for font in fonts:
        if code in _glyphs[font.name]:
            return font.name
    return None


def _drawable(char: str) -> bool:
    # Line breaks and other controls are layout, not glyphs.
    return unicodedata.category(char)[0] != "C"


@lru_cache(maxsize=16384)
def runs(text: str, bold: bool = False) -> tuple[tuple[str, str], ...]:
    """(font name, text) pieces that draw `text`; characters no font has are left out
    (call `unprintable` first to refuse them)."""
    register()
    pieces: list[tuple[str, str]] = []
    current = None
    chars: list[str] = []
    for char in text:
        if not _drawable(char):
            continue
        code = ord(char)
        # Stay in the current font while it has the character (digits in a Korean address
        # match its Hangul), except that Han and kana always go to the Han font.
        if current is not None and code in _glyphs[current] and (
                current == HAN.name or not _is_han_or_kana(code)):
            font = current
        else:
            font = _font_for(char, bold)
            if font is None:
                continue
        if font != current:
            if chars:
                pieces.append((current, "".join(chars)))  # type: ignore[arg-type]
            current, chars = font, []
        chars.append(char)
    if chars:
        pieces.append((current, "".join(chars)))  # type: ignore[arg-type]
    return tuple(pieces)


def unprintable(text: str, bold: bool = False) -> list[str]:
    """Characters of `text` that no bundled font can draw, each once, in order."""
    register()
    seen: list[str] = []
    for char in text:
        if _drawable(char) and _font_for(char, bold) is None and char not in seen:
            seen.append(char)
    return seen


def describe(chars: list[str]) -> str:
    """'"ก" (U+0E01 THAI CHARACTER KO KAI)' for a message the seller can act on."""
    return ", ".join(f'"{c}" (U+{ord(c):04X} {unicodedata.name(c, "unnamed")})' for c in chars)


@lru_cache(maxsize=65536)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of `text` drawn at `size` with the fonts `runs` picks."""
    return sum(pdfmetrics.stringWidth(piece, font, size) for font, piece in runs(text, bold))


def new_canvas(out, page_size: tuple[float, float], title: str) -> Canvas:
    """A canvas whose every font is one of ours, embedded: reportlab would otherwise start
    each page in Helvetica, a font the PDF does not carry."""
    register()
    canvas = Canvas(out, pagesize=page_size, pageCompression=1, initialFontName=LATIN.name,
                    initialFontSize=10)
    canvas.setTitle(title)
    canvas.setAuthor("fulfill")
    return canvas
