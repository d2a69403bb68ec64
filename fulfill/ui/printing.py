"""Printer profiles and printing a PDF on them, page by page, at the printer's own dots.

DESIGN.md: documents are PDF bytes; the UI prints them by rendering each PDF page at the
printer's resolution and painting it at 100% — never fit-to-page, never laid out again — so a
Code 128 bar drawn N printer dots wide stays N whole dots on a 203 or 300 dpi label printer.

Two profiles, remembered in QSettings: the label printer (4x6 in labels, 203 or 300 dpi) and
the document printer (A4 or Letter invoices and customs forms). A profile without a printer
(none installed, or the seller chose none) means "save as PDF instead".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import (
    QBuffer, QByteArray, QElapsedTimer, QIODevice, QMarginsF, QObject, QSettings, QSize, QSizeF, Qt,
    QTimer, Signal,
)
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget,
)

from fulfill.errors import FulfillError
from fulfill.services.papers import PAPERS

LABEL, DOCUMENT = "label", "document"
LABEL_DPIS = (203, 300)
DOCUMENT_DPI = 300  # plenty for 7 pt text and barcodes on an office laser printer
_POINTS_PER_INCH = 72


@dataclass(frozen=True)
class PrinterProfile:
    """Where one kind of paper goes: `printer` is a system printer name, "" for none."""

    role: str  # LABEL or DOCUMENT
    printer: str = ""
    dpi: int = 203
    paper: str = "4x6"  # "4x6" for labels, "A4" or "Letter" for documents

    @property
    def title(self) -> str:
        return "Label printer" if self.role == LABEL else "Document printer"

    def describe(self) -> str:
        where = self.printer or "no printer (save as PDF)"
        return f"{where} · {self.paper} · {self.dpi} dpi"


class PrintFailed(FulfillError):
    """The PDF could not be sent to the printer."""


def available_printers() -> list[str]:
    """The system's printer names; empty on a machine (or test run) without any."""
    return list(QPrinterInfo.availablePrinterNames())


def _default_profile(role: str) -> PrinterProfile:
    if role == LABEL:
        return PrinterProfile(LABEL, "", 203, "4x6")
    return PrinterProfile(DOCUMENT, QPrinterInfo.defaultPrinterName() or "", DOCUMENT_DPI, "A4")


def load_profile(settings: QSettings, role: str) -> PrinterProfile:
    """The remembered profile for `role`; a printer that is gone falls back to none."""
    profile = _default_profile(role)
    printer = str(settings.value(f"printers/{role}/name", profile.printer) or "")
    try:
        dpi = int(settings.value(f"printers/{role}/dpi", profile.dpi) or profile.dpi)
    except (TypeError, ValueError):
        dpi = profile.dpi
    paper = str(settings.value(f"printers/{role}/paper", profile.paper) or profile.paper)
    if role == LABEL:
        dpi, paper = (dpi if dpi in LABEL_DPIS else 203), "4x6"
    elif paper not in PAPERS:
        paper = "A4"
    if printer and printer not in available_printers():
        printer = ""
    return replace(profile, printer=printer, dpi=dpi, paper=paper)


def save_profile(settings: QSettings, profile: PrinterProfile) -> None:
    settings.setValue(f"printers/{profile.role}/name", profile.printer)
    settings.setValue(f"printers/{profile.role}/dpi", profile.dpi)
    settings.setValue(f"printers/{profile.role}/paper", profile.paper)
    settings.sync()


# --- PDF pages on a printer ----------------------------------------------------------------
def load_pdf(pdf: bytes, parent: QObject | None = None) -> QPdfDocument:
    """A QPdfDocument over the bytes. The buffer is the document's child, so it outlives
    every read the document makes and goes with it."""
    document = QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
        error = document.error().name
        document.deleteLater()
        raise PrintFailed(f"The document could not be opened for printing ({error}).",
                          advice="Make the document again; if it keeps failing, save it as PDF "
                                 "and send it to support.")
    return document


def pdf_printer(path: Path | str, dpi: int) -> QPrinter:
    """A QPrinter that writes a PDF file at `dpi`: what tests and "print to file" use."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(dpi)
    return printer


def system_printer(profile: PrinterProfile) -> QPrinter:
    printer = QPrinter(QPrinterInfo.printerInfo(profile.printer), QPrinter.PrinterMode.HighResolution)
    printer.setResolution(profile.dpi)
    printer.setDocName("fulfill")
    return printer


def _page_layout(points: QSizeF) -> QPageLayout:
    size = QPageSize(points, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    return QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                       QPageLayout.Unit.Point)


def _page_image(document: QPdfDocument, page: int, dpi: int, label: bool) -> QImage:
    """One page as dots at `dpi`, composed on white (QtPdf renders on transparent)."""
    points = document.pagePointSize(page)
    size = QSize(round(points.width() * dpi / _POINTS_PER_INCH),
                 round(points.height() * dpi / _POINTS_PER_INCH))
    options = QPdfDocumentRenderOptions()
    if label:
        # A thermal head prints dots or no dots: crisp bar edges instead of grey fringes.
        options.setRenderFlags(QPdfDocumentRenderOptions.RenderFlag.PathAliased
                               | QPdfDocumentRenderOptions.RenderFlag.Grayscale)
    rendered = document.render(page, size, options)
    page_image = QImage(size, QImage.Format.Format_Grayscale8 if label else QImage.Format.Format_RGB32)
    page_image.fill(QColor("white"))
    painter = QPainter(page_image)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return page_image


def _print_pages(pdf: bytes, profile: PrinterProfile, printer: QPrinter | None
                 ) -> Iterator[tuple[int, int]]:
    """Print page after page, yielding (pages done, pages in all) after each one.

    Each page is rendered at the printer's real resolution (the profile's dpi when the driver
    accepts it) and painted 1:1 from the paper's top-left corner, on a page the size the PDF
    says. QtPdf and the printer are only touched from the UI thread: pdfium is not
    thread-safe, so a long job is stepped by a timer (PagePrinter) instead of a thread.
    """
    if printer is None:
        if not profile.printer:
            raise PrintFailed(f"No {profile.title.lower()} is chosen.",
                              advice="Choose one under File → Printers…, or save as PDF.")
        printer = system_printer(profile)
    document = load_pdf(pdf)
    try:
        printer.setFullPage(True)
        printer.setPageLayout(_page_layout(document.pagePointSize(0)))
        dpi = printer.resolution()
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintFailed(f"{profile.printer or 'The printer'} did not accept the job.",
                              advice="Check that the printer is on and has paper, then print again.")
        pages = document.pageCount()
        finished = False
        try:
            for page in range(pages):
                if page:
                    points = document.pagePointSize(page)
                    if points != document.pagePointSize(page - 1):
                        printer.setPageLayout(_page_layout(points))
                    printer.newPage()
                painter.drawImage(0, 0, _page_image(document, page, dpi, profile.role == LABEL))
                yield page + 1, pages
            finished = True
        finally:
            if not finished:  # cancelled or failed: the spooler drops the partial job
                printer.abort()
            painter.end()
    finally:
        document.close()
        document.deleteLater()


def print_pdf(pdf: bytes, profile: PrinterProfile, *, printer: QPrinter | None = None) -> int:
    """Print every page of `pdf` at actual size on `printer` (default: the profile's), all
    at once. Returns the number of pages printed."""
    done = 0
    for done, _pages in _print_pages(pdf, profile, printer):
        pass
    return done


class PagePrinter(QObject):
    """Print a PDF a few pages per event-loop turn, so a 500-label batch keeps the window
    responsive (progress, Cancel) without touching QtPdf from another thread."""

    progress = Signal(int, int)  # pages done, pages in all
    finished = Signal(int)  # pages printed
    failed = Signal(object)  # the exception
    cancelled = Signal(int)  # pages printed before the cancel

    BUDGET_MS = 40  # work per turn: the window still redraws and takes clicks in between

    def __init__(self, pdf: bytes, profile: PrinterProfile, printer: QPrinter | None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pages = _print_pages(pdf, profile, printer)
        self._printer = printer  # lives as long as the job
        self._done = 0
        self._stop = False

    def start(self) -> None:
        QTimer.singleShot(0, self._step)

    def cancel(self) -> None:
        self._stop = True

    def _step(self) -> None:
        if self._stop:
            self._pages.close()
            self.cancelled.emit(self._done)
            return
        timer = QElapsedTimer()
        timer.start()
        try:
            while True:  # at least one page per turn, more while the budget lasts
                self._done, total = next(self._pages)
                self.progress.emit(self._done, total)
                if self._stop or timer.elapsed() >= self.BUDGET_MS:
                    break
        except StopIteration:
            self.finished.emit(self._done)
            return
        except Exception as error:  # reported to the window, which says what to do
            self.failed.emit(error)
            return
        QTimer.singleShot(0, self._step)


# --- the Printers… dialog ------------------------------------------------------------------
NO_PRINTER = "None — save as PDF instead"


class PrintersDialog(QDialog):
    """Choose the label printer (and its dpi) and the document printer (and its paper)."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Printers")
        self.setMinimumWidth(480)
        names = available_printers()
        label, document = load_profile(settings, LABEL), load_profile(settings, DOCUMENT)

        self.label_printer = self._printer_combo(names, label.printer)
        self.label_dpi = QComboBox()
        for dpi in LABEL_DPIS:
            self.label_dpi.addItem(f"{dpi} dpi", dpi)
        self.label_dpi.setCurrentIndex(self.label_dpi.findData(label.dpi))
        label_box = QGroupBox("Label printer — 4 × 6 in labels")
        label_form = QFormLayout(label_box)
        label_form.addRow("&Printer:", self.label_printer)
        label_form.addRow("&Resolution:", self.label_dpi)
        hint = QLabel("The printer's own resolution, from its manual or the sticker underneath: "
                      "bars of the barcode are sized in its dots.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5a6270")
        label_form.addRow("", hint)

        self.document_printer = self._printer_combo(names, document.printer)
        self.document_paper = QComboBox()
        self.document_paper.addItems(PAPERS)
        self.document_paper.setCurrentText(document.paper)
        document_box = QGroupBox("Document printer — invoices, CN23, packing slips")
        document_form = QFormLayout(document_box)
        document_form.addRow("P&rinter:", self.document_printer)
        document_form.addRow("P&aper:", self.document_paper)

        layout = QVBoxLayout(self)
        if not names:
            none = QLabel("No printers are installed on this computer. Papers can still be saved "
                          "as PDF and printed elsewhere.")
            none.setWordWrap(True)
            layout.addWidget(none)
        layout.addWidget(label_box)
        layout.addWidget(document_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _printer_combo(names: list[str], current: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem(NO_PRINTER, "")
        for name in names:
            combo.addItem(name, name)
        combo.setCurrentIndex(max(combo.findData(current, Qt.ItemDataRole.UserRole), 0))
        return combo

    def profiles(self) -> tuple[PrinterProfile, PrinterProfile]:
        return (PrinterProfile(LABEL, self.label_printer.currentData(),
                               self.label_dpi.currentData(), "4x6"),
                PrinterProfile(DOCUMENT, self.document_printer.currentData(), DOCUMENT_DPI,
                               self.document_paper.currentText()))

    def accept(self) -> None:
        for profile in self.profiles():
            save_profile(self.settings, profile)
        super().accept()
