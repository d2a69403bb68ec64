"""A finished PDF on screen: look at it, print it on the document printer, or save it.
For one-off papers that are not a parcel's (an RMA slip, a return's customs papers)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from fulfill.errors import FulfillError
from fulfill.translation import _, ngettext
from fulfill.ui.account_dialog import BAD_COLOUR, OK_COLOUR
from fulfill.ui.job_printer import write_to_folder
from fulfill.ui.store_worker import error_text
from fulfill.ui.printing import DOCUMENT, PagePrinter, PrinterProfile, load_pdf, load_profile, \
    system_printer


class PdfPreview(QWidget):
    """One PDF, with Print (document printer, or its folder) and Save as PDF…"""

    def __init__(self, pdf: bytes, title: str, file_name: str, settings: QSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        self.pdf, self.file_name, self.settings = pdf, file_name, settings
        self._printing: PagePrinter | None = None
        self.document = load_pdf(pdf, self)
        self.view = QPdfView()
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.status = QLabel()
        self.print_button = QPushButton(_("&Print"))
        self.print_button.clicked.connect(self.print_pdf)
        save = QPushButton(_("&Save as PDF…"))
        save.clicked.connect(self.save_as)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(save)
        row.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_pdf)
        self.resize(760, 900)

    def _say(self, text: str, colour: str = "") -> None:
        self.status.setText(f"<span style='color:{colour}'>{escape(text)}</span>" if colour
                            else escape(text))

    def save_as(self) -> None:
        from fulfill.ui.papers_window import save_pdf_dialog  # papers_window imports us
        if (path := save_pdf_dialog(self, self.settings, self.pdf, self.file_name)):
            self._say(_("Saved {path}").format(path=path), OK_COLOUR)

    def print_pdf(self) -> None:
        if self._printing is not None:
            return
        profile: PrinterProfile = load_profile(self.settings, DOCUMENT)
        if profile.to_folder:
            try:
                path = write_to_folder(profile, self.pdf, Path(self.file_name).stem)
            except FulfillError as error:
                self._say(error_text(error), BAD_COLOUR)
                return
            self._say(_("Saved as {path}.").format(path=path), OK_COLOUR)
            return
        if not profile.printer:
            QMessageBox.information(self, _("Print"), _(
                "No document printer is chosen. Choose one under File → Printers…, or save the "
                "PDF and print it from another computer."))
            return
        self._printing = PagePrinter(self.pdf, profile, system_printer(profile), self)
        self._printing.finished.connect(lambda pages: self._printed(ngettext(
            "Sent {n} page to {printer}.", "Sent {n} pages to {printer}.", pages).format(
                n=pages, printer=profile.printer)))
        self._printing.failed.connect(lambda error: self._printed(str(error), BAD_COLOUR))
        self._printing.cancelled.connect(lambda _pages: self._printed(_("Printing cancelled.")))
        self.print_button.setEnabled(False)
        self._say(_("Printing on {printer}…").format(printer=profile.printer))
        self._printing.start()

    def _printed(self, text: str, colour: str = OK_COLOUR) -> None:
        if self._printing is not None:
            self._printing.deleteLater()
            self._printing = None
        self.print_button.setEnabled(True)
        self._say(text, colour)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._printing is not None:
            self._printing.cancel()
        super().closeEvent(event)
