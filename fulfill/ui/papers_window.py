"""Preview and print papers: one kind of document for a set of orders (PapersWindow), and the
one action that prints a parcel's label and customs papers together (ParcelPrinting).

Documents are made by fulfill.services.papers in a plain thread with its own Store (a
500-label batch takes a second or two and must not freeze the window, nor hold up the store
worker's writes); the PDF comes back as bytes and is shown with QtPdf. Printing renders
those same bytes at the printer's dots (fulfill.ui.printing) a few pages per event-loop turn:
QtPdf (pdfium) is not safe to use from two threads at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QProgressBar, QPushButton,
    QStackedWidget, QVBoxLayout, QWidget,
)

from fulfill.errors import FulfillError
from fulfill.files import write_atomically
from fulfill.services import papers
from fulfill.translation import _, ngettext
from fulfill.ui.account_dialog import BAD_COLOUR, OK_COLOUR
from fulfill.ui.missing_data_dialog import ask_for_missing_data
from fulfill.ui.job_printer import paper_names, write_to_folder
from fulfill.ui.printing import (
    DOCUMENT, LABEL, PagePrinter, PrinterProfile, PrintersDialog, load_pdf, load_profile,
    system_printer, 
)
from fulfill.ui.store_worker import StoreWorker, error_text, run_in_thread, with_own_store

log = logging.getLogger(__name__)

KINDS = (("label", _("Shipping label (4 × 6 in)")),
         ("customs", _("Customs declaration (CN22 / CN23)")),
         ("invoice", _("Commercial invoice")), ("packing-slip", _("Packing slip")),
         ("pick-list", _("Pick list")))
LANGUAGES = ((None, _("Destination's language")), ("en", _("English only")),
             ("zh-Hans", "中文 (简体)"), ("zh-Hant", "中文 (繁體)"), ("ja", "日本語"), ("ko", "한국어"))
FILE_NAMES = {"label": "labels", "customs": "customs", "cn22": "cn22", "cn23": "cn23",
              "invoice": "invoices", "packing-slip": "packing-slips", "pick-list": "pick-list"}

# Makes the printer a job goes to; tests swap in a QPrinter that writes a PDF file.
PrinterFactory = Callable[[PrinterProfile], QPrinter | None]


def _pages(n: int) -> str:
    return ngettext("{n} page", "{n} pages", n).format(n=f"{n:,}")


def _orders(n: int) -> str:
    return ngettext("{n} order", "{n} orders", n).format(n=f"{n:,}")


def _parcels(n: int) -> str:
    return ngettext("{n} parcel", "{n} parcels", n).format(n=f"{n:,}")


def _pdf_files(n: int) -> str:
    return ngettext("{n} PDF file", "{n} PDF files", n).format(n=f"{n:,}")


def _system_printer_or_none(profile: PrinterProfile) -> QPrinter | None:
    return system_printer(profile) if profile.printer else None


def save_pdf_dialog(parent: QWidget, settings: QSettings, pdf: bytes, name: str) -> Path | None:
    """Ask where, then write atomically; remembers the folder. Returns the path or None."""
    folder = str(settings.value("papers/save_dir", "") or Path.home())
    chosen, _filter = QFileDialog.getSaveFileName(parent, _("Save as PDF"),
                                                  str(Path(folder) / name), _("PDF files (*.pdf)"))
    if not chosen:
        return None
    path = Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")
    try:
        write_atomically(path, pdf)
    except OSError as error:
        QMessageBox.warning(parent, _("Save as PDF"),
                            _("{path} could not be written: {error}. Choose another folder.")
                            .format(path=path, error=error.strerror or error))
        return None
    settings.setValue("papers/save_dir", str(path.parent))
    return path


class PapersWindow(QWidget):
    """Preview one kind of document for some orders; print it or save it as PDF."""

    rendered = Signal(object)  # the PrintJob now shown (tests wait on it)
    printed = Signal(int)  # pages sent to the printer

    def __init__(self, store_path: Path, worker: StoreWorker, settings: QSettings,
                 order_ids: list[int], *, kind: str = "label", title: str = "",
                 printer_factory: PrinterFactory = _system_printer_or_none,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.store_path = Path(store_path)
        self.worker = worker
        self.settings = settings
        self.order_ids = list(order_ids)
        self.printer_factory = printer_factory
        self.job: papers.PrintJob | None = None
        self.blocked: papers.PapersBlocked | None = None
        self._generation = 0
        self._document = None
        self._printing: PagePrinter | None = None
        count = len(self.order_ids)
        self.subject = title or _orders(count)
        self.setWindowTitle(_("Papers — {subject} — fulfill").format(subject=self.subject))
        self._build(kind)
        if isinstance(geometry := settings.value("papers/geometry"), QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(900, 900)
        self.render()

    def _build(self, kind: str) -> None:
        self.kind = QComboBox()
        for key, caption in KINDS:
            self.kind.addItem(caption, key)
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))
        self.paper = QComboBox()
        self.paper.addItems(papers.PAPERS)
        self.paper.setCurrentText(load_profile(self.settings, DOCUMENT).paper)
        self.language = QComboBox()
        for code, caption in LANGUAGES:
            self.language.addItem(caption, code)
        self.zoom = QComboBox()
        self.zoom.addItems([_("Automatic"), _("Fit width"), _("Whole page"), _("Actual size")])
        bar = QHBoxLayout()
        for caption, widget in ((_("&Document:"), self.kind), (_("&Paper:"), self.paper),
                                (_("&Language:"), self.language), (_("&Zoom:"), self.zoom)):
            label = QLabel(caption)
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget)
            bar.addSpacing(8)
        bar.addStretch(1)

        self.view = QPdfView()
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setStyleSheet("QPdfView { background: #8a8f98; }")
        self.blocked_label = QLabel()
        self.blocked_label.setWordWrap(True)
        self.blocked_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.blocked_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fill_button = QPushButton(_("&Fill in what is missing…"))
        self.fill_button.clicked.connect(self.fill_in_missing)
        blocked_page = QWidget()
        blocked_layout = QVBoxLayout(blocked_page)
        blocked_layout.addWidget(self.blocked_label)
        fill_row = QHBoxLayout()
        fill_row.addWidget(self.fill_button)
        fill_row.addStretch(1)
        blocked_layout.addLayout(fill_row)
        blocked_layout.addStretch(1)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.view)
        self.pages.addWidget(blocked_page)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedWidth(160)
        self.busy.setVisible(False)
        self.print_button = QPushButton(_("&Print…"))
        self.print_button.clicked.connect(self.print_job)
        self.save_button = QPushButton(_("&Save as PDF…"))
        self.save_button.clicked.connect(self.save_as)
        self.printers_button = QPushButton(_("P&rinters…"))
        self.printers_button.clicked.connect(self.choose_printers)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.clicked.connect(self.cancel_printing)
        self.cancel_button.setVisible(False)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.busy)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.printers_button)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.print_button)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.pages, 1)
        layout.addLayout(bottom)

        self.kind.currentIndexChanged.connect(self.render)
        self.paper.currentIndexChanged.connect(self.render)
        self.language.currentIndexChanged.connect(self.render)
        self.zoom.currentIndexChanged.connect(self._apply_zoom)
        QShortcut(QKeySequence("Ctrl+P"), self).activated.connect(self.print_job)
        QShortcut(QKeySequence("Ctrl+S"), self).activated.connect(self.save_as)
        QShortcut(QKeySequence("Esc"), self).activated.connect(self.close)
        self._update_controls(busy=False)

    # --- rendering ---------------------------------------------------------------------
    def current_kind(self) -> str:
        return self.kind.currentData()

    def render(self) -> None:
        """Make the document in a background thread; a newer request makes older ones moot."""
        self._generation += 1
        generation = self._generation
        kind, paper, language = self.current_kind(), self.paper.currentText(), self.language.currentData()
        dpi = load_profile(self.settings, LABEL).dpi
        self._update_controls(busy=True)
        self.status.setText(_("Making {document} for {subject}…").format(
            document=dict(KINDS)[kind].lower(), subject=self.subject))
        path, ids = self.store_path, self.order_ids

        def make():
            return with_own_store(path, lambda store: papers.render(
                store, ids, kind, paper=paper, language=language, dpi=dpi))

        run_in_thread(make, lambda job: self._show(generation, job),
                      lambda error: self._failed(generation, error), owner=self, name="papers")

    def _show(self, generation: int, job: papers.PrintJob) -> None:
        if generation != self._generation:
            return
        self.job, self.blocked = job, None
        old = self._document
        self._document = load_pdf(job.pdf, self)
        self.view.setDocument(self._document)
        if old is not None:
            old.deleteLater()
        self.pages.setCurrentWidget(self.view)
        self._apply_zoom()
        profile = load_profile(self.settings, job.printer)
        self.status.setText(_("{pages} · {orders} · for the {printer}: {name}").format(
            pages=_pages(job.pages), orders=_orders(len(job.order_ids)),
            printer=profile.title.lower(), name=profile.printer or _("none chosen, save as PDF")))
        self._update_controls(busy=False)
        self.rendered.emit(job)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self.job = None
        self._update_controls(busy=False)
        if isinstance(error, papers.PapersBlocked):
            self.blocked = error
            lines = "".join(
                f"<li><b>{escape(error.order_numbers.get(order_id, str(order_id)))}</b>: "
                f"{escape('; '.join(str(gap) for gap in gaps))}</li>"
                for order_id, gaps in list(error.blocked.items())[:40])
            more = len(error.blocked) - 40
            total = len(self.order_ids)
            heading = ngettext("{blocked} of {total} order cannot be printed yet:",
                               "{blocked} of {total} orders cannot be printed yet:", total).format(
                blocked=f"{len(error.blocked):,}", total=f"{total:,}")
            rest = escape(_("…and {n} more.").format(n=f"{more:,}")) if more > 0 else ""
            self.blocked_label.setText(
                f"<p style='color:{BAD_COLOUR}'><b>{escape(heading)}</b></p><ul>{lines}</ul>"
                + (f"<p>{rest}</p>" if rest else ""))
            self.pages.setCurrentWidget(self.pages.widget(1))
            self.status.setText(_("Nothing was printed. Fill in what is missing, or leave "
                                  "those orders out."))
        else:
            self.blocked = None
            self.blocked_label.setText(f"<p style='color:{BAD_COLOUR}'>"
                                       f"{escape(error_text(error))}</p>")
            self.pages.setCurrentWidget(self.pages.widget(1))
            self.status.setText(_("The document could not be made."))
        self.fill_button.setVisible(self.blocked is not None)
        self.rendered.emit(None)

    def _apply_zoom(self) -> None:
        mode = self.zoom.currentIndex()
        if mode == 0:  # a whole 4x6 label at a glance; A4 and Letter pages as wide as the view
            small = self._document is not None and self._document.pagePointSize(0).width() < 400
            mode = 2 if small else 1
        if mode == 1:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        elif mode == 2:
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(1.0)

    def _update_controls(self, *, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.cancel_button.setVisible(self._printing is not None)
        ready = not busy and self.job is not None and self._printing is None
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)
        kind = self.current_kind()
        self.paper.setEnabled(kind not in ("label",))
        self.language.setEnabled(kind == "invoice")

    def fill_in_missing(self) -> None:
        if self.blocked is None:
            return

        def skip(blocked_ids: list[int]) -> None:
            self.order_ids = [i for i in self.order_ids if i not in set(blocked_ids)]
            self.subject = _orders(len(self.order_ids))
            self.render()

        self.missing_dialog = ask_for_missing_data(
            self, self.worker, self.blocked.blocked, self.blocked.order_numbers,
            total_orders=len(self.order_ids), retry=self.render, skip=skip, action="preview")

    # --- output ------------------------------------------------------------------------
    def default_file_name(self) -> str:
        kind = self.job.kind if self.job else self.current_kind()
        return f"{FILE_NAMES.get(kind, kind)}-{date.today():%Y-%m-%d}.pdf"

    def save_to(self, path: Path) -> None:
        write_atomically(path, self.job.pdf)
        self._saved(path)

    def _saved(self, path: Path) -> None:
        saved = escape(_("Saved {path}").format(path=path))
        self.status.setText(f"<span style='color:{OK_COLOUR}'>{saved}</span>")

    def save_as(self) -> None:
        if self.job is None:
            return
        if (path := save_pdf_dialog(self, self.settings, self.job.pdf, self.default_file_name())):
            self._saved(path)

    def print_job(self) -> None:
        if self.job is None or not self.print_button.isEnabled():
            return
        job = self.job
        profile = load_profile(self.settings, job.printer)
        if profile.to_folder:
            self._write_to_folder(job, profile)
            return
        printer = self.printer_factory(profile)
        if printer is None:
            self._no_printer(profile)
            return
        self._printing = PagePrinter(job.pdf, profile, printer, self)
        self._printing.progress.connect(self._print_progress)
        self._printing.finished.connect(self._printed)
        self._printing.failed.connect(self._print_failed)
        self._printing.cancelled.connect(self._print_cancelled)
        self._update_controls(busy=True)
        self.busy.setRange(0, job.pages)
        self.status.setText(_("Printing {pages} on {printer}…").format(
            pages=_pages(job.pages), printer=profile.printer or _("the printer")))
        self._printing.start()

    def _write_to_folder(self, job: papers.PrintJob, profile: PrinterProfile) -> None:
        try:
            path = write_to_folder(profile, job.pdf, self.default_file_name().removesuffix(".pdf"))
        except FulfillError as error:
            QMessageBox.warning(self, _("Print papers"), error_text(error))
            return
        self.status.setText(_("Saved {pages} as {path}.").format(pages=_pages(job.pages),
                                                                 path=path))
        self.printed.emit(job.pages)

    def cancel_printing(self) -> None:
        if self._printing is not None:
            self._printing.cancel()

    def _print_progress(self, done: int, total: int) -> None:
        self.busy.setValue(done)
        self.status.setText(_("Printing page {done} of {total}…").format(done=f"{done:,}",
                                                                         total=f"{total:,}"))

    def _print_ended(self) -> None:
        if self._printing is not None:
            self._printing.deleteLater()
            self._printing = None
        self.busy.setRange(0, 0)
        self._update_controls(busy=False)

    def _printed(self, pages: int) -> None:
        self._print_ended()
        sent = escape(_("Sent {pages} to the printer.").format(pages=_pages(pages)))
        self.status.setText(f"<span style='color:{OK_COLOUR}'>{sent}</span>")
        self.printed.emit(pages)

    def _print_cancelled(self, pages: int) -> None:
        self._print_ended()
        self.status.setText(_("Printing cancelled after {pages}; the printer drops the "
                              "unfinished job.").format(pages=_pages(pages)))

    def _print_failed(self, error: BaseException) -> None:
        self._print_ended()
        self.status.setText(f"<span style='color:{BAD_COLOUR}'>{escape(error_text(error))}</span>")

    def _no_printer(self, profile: PrinterProfile) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, _("Print"),
                          _("No {printer} is chosen.").format(printer=profile.title.lower()),
                          parent=self)
        box.setInformativeText(_("Choose one under Printers…, or save the papers as PDF and "
                                 "print them from another computer."))
        choose = box.addButton(_("Choose printers…"), QMessageBox.ButtonRole.ActionRole)
        save = box.addButton(_("Save as PDF…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save)
        box.exec()
        if box.clickedButton() is choose:
            self.choose_printers()
        elif box.clickedButton() is save:
            self.save_as()

    def choose_printers(self) -> None:
        if PrintersDialog(self.settings, self).exec() == PrintersDialog.DialogCode.Accepted:
            self.render()  # a label dpi change re-sizes the barcodes

    def closeEvent(self, event: QCloseEvent) -> None:
        self._generation += 1  # a render still running is no longer wanted
        self.cancel_printing()
        self.settings.setValue("papers/geometry", self.saveGeometry())
        super().closeEvent(event)


class ParcelPrinting:
    """Print label and customs papers for orders in one action: labels (and CN22s) to the
    label printer, CN23s and invoices to the document printer. Missing data opens the
    Missing data dialog, whose "Save and print" tries again."""

    def __init__(self, parent: QWidget, store_path: Path, worker: StoreWorker,
                 settings: QSettings, *, printer_factory: PrinterFactory = _system_printer_or_none,
                 on_status: Callable[[str], None] | None = None) -> None:
        self.parent = parent
        self.store_path = Path(store_path)
        self.worker = worker
        self.settings = settings
        self.printer_factory = printer_factory
        self.on_status = on_status or (lambda _text: None)
        self.dialog = None
        self.finished: Callable[[list[papers.PrintJob]], None] | None = None  # tests hook here

    def start(self, order_ids: list[int]) -> None:
        ids = list(order_ids)
        if not ids:
            self.on_status(_("Select the orders to print first."))
            return
        label, document = load_profile(self.settings, LABEL), load_profile(self.settings, DOCUMENT)
        self.on_status(_("Making the papers for {orders}…").format(orders=_orders(len(ids))))
        path = self.store_path

        def make():
            return with_own_store(path, lambda store: papers.parcel_papers(
                store, ids, paper=document.paper, dpi=label.dpi))

        run_in_thread(make, self._print_jobs, lambda error: self._failed(ids, error),
                      owner=self.parent, name="parcel-papers")

    def _failed(self, ids: list[int], error: BaseException) -> None:
        if isinstance(error, papers.PapersBlocked):
            self.on_status(_("Some customs data is missing: nothing was printed."))
            self.dialog = ask_for_missing_data(
                self.parent, self.worker, error.blocked, error.order_numbers,
                total_orders=len(ids), retry=lambda: self.start(ids),
                skip=lambda blocked: self.start([i for i in ids if i not in set(blocked)]))
            return
        self.on_status(_("The papers could not be made."))
        QMessageBox.warning(self.parent, _("Print papers"), error_text(error))

    def _print_jobs(self, jobs: list[papers.PrintJob]) -> None:
        """Jobs with a printer are printed one after the other (labels first, so the pile of
        labels and the pile of papers come out in the same order); a job whose printer is
        not chosen is offered as a PDF file instead."""
        to_print, saved = [], 0
        for job in jobs:
            profile = load_profile(self.settings, job.printer)
            if profile.to_folder:
                try:
                    write_to_folder(profile, job.pdf, f"{job.kind.replace('+', '-')}"
                                    f"-{date.today():%Y-%m-%d}")
                except FulfillError as error:
                    QMessageBox.warning(self.parent, _("Print papers"), error_text(error))
                    return
                saved += 1
                continue
            printer = self.printer_factory(profile)
            if printer is not None:
                to_print.append((job, profile, printer))
                continue
            QMessageBox.information(
                self.parent, _("Print papers"),
                _("No {printer} is chosen (File → Printers…). Save the {pages} for it as PDF "
                  "instead.").format(printer=profile.title.lower(), pages=_pages(job.pages)))
            name = f"{job.kind.replace('+', '-')}-{date.today():%Y-%m-%d}.pdf"
            saved += save_pdf_dialog(self.parent, self.settings, job.pdf, name) is not None
        parcels = len(jobs[0].order_ids) if jobs else 0
        if not to_print:
            self.on_status(_("Saved {files}; nothing was sent to a printer.").format(
                files=_pdf_files(saved)) if saved else _("Nothing was printed."))
            if self.finished is not None:
                self.finished([])
            return
        sent: list[papers.PrintJob] = []

        def next_job() -> None:
            if not to_print:
                pages = sum(job.pages for job in sent)
                done = (_("Printed {pages} for {parcels}; saved {files}.") if saved
                        else _("Printed {pages} for {parcels}."))
                self.on_status(done.format(pages=_pages(pages), parcels=_parcels(parcels),
                                           files=_pdf_files(saved)))
                if self.finished is not None:
                    self.finished(sent)
                return
            job, profile, printer = to_print.pop(0)
            printing = PagePrinter(job.pdf, profile, printer, self.parent)
            papers_named = paper_names(job.kind.split("+"), _(" and "))
            printing.progress.connect(lambda done, total: self.on_status(
                _("Printing {papers}: page {done} of {total}…").format(
                    papers=papers_named, done=f"{done:,}", total=f"{total:,}")))

            def job_done(_pages: int) -> None:
                sent.append(job)
                printing.deleteLater()
                next_job()

            def job_failed(error: BaseException) -> None:
                printing.deleteLater()
                self.on_status(_("Printing stopped."))
                QMessageBox.warning(self.parent, _("Print papers"), error_text(error))

            printing.finished.connect(job_done)
            printing.failed.connect(job_failed)
            printing.start()

        next_job()
