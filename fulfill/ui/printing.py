"""Printer profiles and printing a PDF on them, page by page, at the printer's own dots.

DESIGN.md: documents are PDF bytes; the UI prints them by rendering each PDF page at the
printer's resolution and painting it at 100% — never fit-to-page, never laid out again — so a
Code 128 bar drawn N printer dots wide stays N whole dots on a 203 or 300 dpi label printer.

Two profiles, remembered in QSettings: the label printer (4x6 in labels, 203 or 300 dpi) and
the document printer (A4 or Letter invoices and customs forms). Each goes to a system printer,
or into a folder as PDF files (a packing station with a hot-folder print tool, or papers
printed on another computer), or nowhere yet: then the papers window offers "save as PDF".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import (
    QBuffer, QByteArray, QElapsedTimer, QIODevice, QMarginsF, QObject, QSettings, QSize, QSizeF,
    QTimer, Signal,
)
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from fulfill.errors import FulfillError
from fulfill.services.papers import PAPERS
from fulfill.translation import _

LABEL, DOCUMENT = "label", "document"
LABEL_DPIS = (203, 300)
DOCUMENT_DPI = 300  # plenty for 7 pt text and barcodes on an office laser printer
_POINTS_PER_INCH = 72


@dataclass(frozen=True)
class PrinterProfile:
    """Where one kind of paper goes. `printer` set: that system printer. Otherwise `folder`
    set: PDF files written into that folder, as made (vector, no dialog). Both empty: none
    chosen yet."""

    role: str  # LABEL or DOCUMENT
    printer: str = ""
    dpi: int = 203
    paper: str = "4x6"  # "4x6" for labels, "A4" or "Letter" for documents
    folder: str = ""

    @property
    def title(self) -> str:
        return _("Label printer") if self.role == LABEL else _("Document printer")

    @property
    def to_folder(self) -> bool:
        """True when "printing" writes PDF files into `folder`."""
        return not self.printer and bool(self.folder)

    @property
    def chosen(self) -> bool:
        return bool(self.printer or self.folder)

    def describe(self) -> str:
        if self.printer:
            where = self.printer
        elif self.folder:
            where = _("PDF files in {folder}").format(folder=self.folder)
        else:
            where = _("no printer (save as PDF)")
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
    """The remembered profile for `role`; a printer that is gone falls back to none (never to
    the folder: papers meant for a printer must not quietly become files)."""
    profile = _default_profile(role)
    printer = str(settings.value(f"printers/{role}/name", profile.printer) or "")
    folder = str(settings.value(f"printers/{role}/folder", "") or "")
    try:
        dpi = int(settings.value(f"printers/{role}/dpi", profile.dpi) or profile.dpi)
    except (TypeError, ValueError):
        dpi = profile.dpi
    paper = str(settings.value(f"printers/{role}/paper", profile.paper) or profile.paper)
    if role == LABEL:
        dpi, paper = (dpi if dpi in LABEL_DPIS else 203), "4x6"
    elif paper not in PAPERS:
        paper = "A4"
    if printer:
        folder = ""
        if printer not in available_printers():
            printer = ""
    return replace(profile, printer=printer, dpi=dpi, paper=paper, folder=folder)


def missing_printer(settings: QSettings, role: str) -> str:
    """The name of the printer chosen for `role` when it is no longer installed, else ""."""
    name = str(settings.value(f"printers/{role}/name", "") or "")
    return name if name and name not in available_printers() else ""


def save_profile(settings: QSettings, profile: PrinterProfile) -> None:
    settings.setValue(f"printers/{profile.role}/name", profile.printer)
    settings.setValue(f"printers/{profile.role}/dpi", profile.dpi)
    settings.setValue(f"printers/{profile.role}/paper", profile.paper)
    settings.setValue(f"printers/{profile.role}/folder", "" if profile.printer else profile.folder)
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
        raise PrintFailed(_("The document could not be opened for printing ({error}).")
                          .format(error=error),
                          advice=_("Make the document again; if it keeps failing, save it as "
                                   "PDF and send it to support."))
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
            raise PrintFailed(_("No {printer} is chosen.").format(printer=profile.title.lower()),
                              advice=_("Choose one under File → Printers…, or save as PDF."))
        printer = system_printer(profile)
    document = load_pdf(pdf)
    try:
        printer.setFullPage(True)
        printer.setPageLayout(_page_layout(document.pagePointSize(0)))
        dpi = printer.resolution()
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintFailed(_("{printer} did not accept the job.").format(
                printer=profile.printer or _("The printer")),
                advice=_("Check that the printer is on and has paper, then print again."))
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
        QTimer.singleShot(0, self, self._step)  # not after self is gone

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
        QTimer.singleShot(0, self, self._step)  # not after self is gone


# --- the Printers… dialog ------------------------------------------------------------------
NO_PRINTER = _("None — save as PDF instead")
TO_FOLDER = _("Save PDFs to a folder")
_FOLDER_CHOICE = "\x00folder"  # combo data for TO_FOLDER: no printer name holds a NUL
_HINT_STYLE = "color: #5a6270"


class PrinterBox(QGroupBox):
    """One profile's choices: a system printer, a folder for PDF files, or none; and the label
    printer's resolution or the document printer's paper. Shared by the Printers dialog and
    the Station settings dialog."""

    def __init__(self, profile: PrinterProfile, names: list[str],
                 parent: QWidget | None = None) -> None:
        label = profile.role == LABEL
        super().__init__(_("Label printer — 4 × 6 in labels") if label
                         else _("Document printer — invoices, CN23, packing slips"), parent)
        self.role = profile.role
        self.printer = QComboBox()
        self.printer.addItem(NO_PRINTER, "")
        self.printer.addItem(TO_FOLDER, _FOLDER_CHOICE)
        for name in names:
            self.printer.addItem(name, name)
        current = profile.printer or (_FOLDER_CHOICE if profile.folder else "")
        self.printer.setCurrentIndex(max(self.printer.findData(current), 0))

        self.folder = QLineEdit(profile.folder)
        self.folder.setPlaceholderText(_("The folder the PDF files go to"))
        self.browse = QPushButton(_("C&hoose…") if label else _("Choos&e…"))
        self.browse.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)

        form = QFormLayout(self)
        form.addRow(_("&Printer:") if label else _("Prin&ter:"), self.printer)
        form.addRow(_("Folder:"), folder_row)
        if label:
            self.dpi = QComboBox()
            for dpi in LABEL_DPIS:
                self.dpi.addItem(f"{dpi} dpi", dpi)
            self.dpi.setCurrentIndex(max(self.dpi.findData(profile.dpi), 0))
            form.addRow(_("&Resolution:"), self.dpi)
            hint = QLabel(_("The printer's own resolution, from its manual or the sticker "
                            "underneath: bars of the barcode are sized in its dots."))
            hint.setWordWrap(True)
            hint.setStyleSheet(_HINT_STYLE)
            form.addRow("", hint)
        else:
            self.paper = QComboBox()
            self.paper.addItems(PAPERS)
            self.paper.setCurrentText(profile.paper)
            form.addRow(_("P&aper:"), self.paper)
        self.printer.currentIndexChanged.connect(self._update_folder_row)
        self._update_folder_row()

    def folder_chosen(self) -> bool:
        return self.printer.currentData() == _FOLDER_CHOICE

    def _update_folder_row(self) -> None:
        self.folder.setEnabled(self.folder_chosen())
        self.browse.setEnabled(self.folder_chosen())

    def choose_folder(self) -> None:
        caption = (_("Folder for the labels as PDF files") if self.role == LABEL
                   else _("Folder for the documents as PDF files"))
        folder = QFileDialog.getExistingDirectory(self, caption,
                                                  self.folder.text() or str(Path.home()))
        if folder:
            self.folder.setText(folder)
            self.printer.setCurrentIndex(self.printer.findData(_FOLDER_CHOICE))

    def profile(self) -> PrinterProfile:
        folder = self.folder.text().strip() if self.folder_chosen() else ""
        printer = "" if self.folder_chosen() else self.printer.currentData()
        if self.role == LABEL:
            return PrinterProfile(LABEL, printer, self.dpi.currentData(), "4x6", folder)
        return PrinterProfile(DOCUMENT, printer, DOCUMENT_DPI, self.paper.currentText(), folder)

    def problem(self) -> str:
        """What stops this choice from being saved, or "" when it is fine."""
        if not self.folder_chosen():
            return ""
        label = self.role == LABEL
        folder = self.folder.text().strip()
        if not folder:
            return (_("Choose the folder the labels go to, or choose a printer.") if label else
                    _("Choose the folder the documents go to, or choose a printer."))
        if not Path(folder).expanduser().is_dir():
            missing = (_("The folder {folder} for the labels does not exist. Choose an existing "
                         "folder (or create it first).") if label else
                       _("The folder {folder} for the documents does not exist. Choose an "
                         "existing folder (or create it first)."))
            return missing.format(folder=folder)
        return ""


def show_box_problem(boxes: tuple[PrinterBox, ...], error: QLabel) -> bool:
    """Show the first box's problem (a folder missing, say) under the boxes; True if any."""
    for box in boxes:
        if problem := box.problem():
            error.setText(problem)
            error.show()
            box.folder.setFocus()
            return True
    return False


class PrintersDialog(QDialog):
    """Choose the label printer (and its dpi) and the document printer (and its paper), or a
    folder to save each one's PDFs in."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(_("Printers"))
        self.setMinimumWidth(520)
        names = available_printers()
        self.label_box = PrinterBox(load_profile(settings, LABEL), names)
        self.document_box = PrinterBox(load_profile(settings, DOCUMENT), names)

        layout = QVBoxLayout(self)
        if not names:
            none = QLabel(_("No printers are installed on this computer. Papers can still be "
                            "saved as PDF and printed elsewhere."))
            none.setWordWrap(True)
            layout.addWidget(none)
        layout.addWidget(self.label_box)
        layout.addWidget(self.document_box)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def profiles(self) -> tuple[PrinterProfile, PrinterProfile]:
        return self.label_box.profile(), self.document_box.profile()

    def accept(self) -> None:
        if show_box_problem((self.label_box, self.document_box), self.error):
            return
        for profile in self.profiles():
            save_profile(self.settings, profile)
        super().accept()
