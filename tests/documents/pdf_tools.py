"""Real poppler and zbar on the PDFs we make: text, fonts, page sizes, word boxes, barcodes.

Installed by .ci/run (poppler-utils, zbar-tools); tests that need them fail loudly when the
tools are missing rather than skipping, because a skipped check would hide a broken document.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree


def _run(*command: str, stdin: bytes | None = None) -> str:
    tool = command[0]
    if shutil.which(tool) is None:
        raise RuntimeError(f"{tool} is not installed: apt-get install poppler-utils zbar-tools")
    done = subprocess.run(command, input=stdin, capture_output=True, check=False)
    if done.returncode not in (0, 4):  # zbarimg exits 4 when it found no barcode
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.decode(errors='replace')}")
    return done.stdout.decode("utf-8", errors="replace")


def _file(pdf: bytes, folder: Path) -> Path:
    path = folder / "doc.pdf"
    path.write_bytes(pdf)
    return path


def text(pdf: bytes, *, layout: bool = False, page: int | None = None) -> str:
    with tempfile.TemporaryDirectory() as folder:
        args = ["pdftotext", "-enc", "UTF-8"]
        if layout:
            args.append("-layout")
        if page is not None:
            args += ["-f", str(page), "-l", str(page)]
        return _run(*args, str(_file(pdf, Path(folder))), "-")


def flat(value: str) -> str:
    """Text with all whitespace removed: wrapping may split a line anywhere."""
    return re.sub(r"\s+", "", value)


@dataclass(frozen=True)
class FontRow:
    name: str
    type: str
    embedded: bool
    subset: bool


def fonts(pdf: bytes) -> list[FontRow]:
    with tempfile.TemporaryDirectory() as folder:
        out = _run("pdffonts", str(_file(pdf, Path(folder))))
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type [type...] encoding emb sub uni object ID
        emb, sub = parts[-5], parts[-4]
        rows.append(FontRow(parts[0], parts[1], emb == "yes", sub == "yes"))
    return rows


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    with tempfile.TemporaryDirectory() as folder:
        out = _run("pdfinfo", "-f", "1", "-l", "9999", str(_file(pdf, Path(folder))))
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    page: int


def words(pdf: bytes) -> tuple[list[Word], list[tuple[float, float]]]:
    """Every word with its box (points, origin top-left), and each page's size."""
    with tempfile.TemporaryDirectory() as folder:
        out = _run("pdftotext", "-bbox", "-enc", "UTF-8", str(_file(pdf, Path(folder))), "-")
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", out).replace(
        'xmlns="http://www.w3.org/1999/xhtml"', ""))
    found, sizes = [], []
    for number, page in enumerate(root.iter("page"), start=1):
        sizes.append((float(page.get("width")), float(page.get("height"))))
        for word in page.iter("word"):
            found.append(Word(word.text or "", float(word.get("xMin")), float(word.get("yMin")),
                              float(word.get("xMax")), float(word.get("yMax")), number))
    return found, sizes


def words_outside_pages(pdf: bytes, margin: float = 0.0) -> list[Word]:
    found, sizes = words(pdf)
    outside = []
    for word in found:
        width, height = sizes[word.page - 1]
        if (word.x0 < margin - 0.5 or word.y0 < margin - 0.5 or word.x1 > width - margin + 0.5
                or word.y1 > height - margin + 0.5):
            outside.append(word)
    return outside


def barcodes(pdf: bytes, dpi: int = 203, page: int = 1) -> list[str]:
    """Barcodes zbarimg reads from the page rendered at the printer's resolution, 1-bit."""
    with tempfile.TemporaryDirectory() as folder:
        path = _file(pdf, Path(folder))
        _run("pdftoppm", "-r", str(dpi), "-mono", "-f", str(page), "-l", str(page), str(path),
             str(Path(folder) / "page"))
        images = sorted(Path(folder).glob("page*.pbm"))
        out = _run("zbarimg", "--quiet", "--raw", *map(str, images))
    return [line for line in out.splitlines() if line]


def render_png(pdf: bytes, target: Path, dpi: int = 110, page: int = 1) -> Path:
    """A PNG of one page, to look at (docs/screenshots)."""
    with tempfile.TemporaryDirectory() as folder:
        path = _file(pdf, Path(folder))
        _run("pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(page), "-l", str(page),
             str(path), str(target.with_suffix("")))
    return target
