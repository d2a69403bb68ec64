"""Print one parcel's papers at the packing station, with no dialog.

The papers come one kind per job (label, CN22 or CN23, invoice, packing slip). Each printer
gets one job: its kinds in the given order, each repeated as many times as the station's copy
rules say for the destination. A printer profile that saves to a folder gets a PDF file
there instead, as made (vector), named after the parcel and never overwriting a reprint.

Both printers are checked before anything goes out, so a label never prints while the
invoice cannot. Joining the copies and writing a file happen on a helper thread; a system
printer is fed by PagePrinter, a few pages per event-loop turn on the UI thread (pdfium is
not thread-safe).
"""

from __future__ import annotations

import errno
from concurrent.futures import ThreadPoolExecutor
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtPrintSupport import QPrinter

from fulfill.errors import FulfillError
from fulfill.files import write_atomically
from fulfill.services.papers import PrintJob
from fulfill.services.pdf_join import join_pdfs
from fulfill.translation import _
from fulfill.ui.printing import (
    DOCUMENT, LABEL, PagePrinter, PrinterProfile, PrintFailed, missing_printer, system_printer,
)
from fulfill.ui.station import COPY_KINDS, StationSettings

PrinterFactory = Callable[[PrinterProfile], QPrinter]
ROLES = (LABEL, DOCUMENT)  # the label printer goes first
# Not allowed in Windows file names, or trouble in URLs and print tools (Shopify's "#1042").
_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|#%\s]+')


@dataclass
class PrintedJob:
    """What went to one printer. `kinds` are the kinds printed, in order (a kind whose rule
    says 0 copies is left out); `copies` holds every kind of the role, zeros included."""

    role: str
    kinds: list[str]
    copies: dict[str, int]
    pages: int
    destination: str  # the PDF file's path, or the printer's name


class ParcelNotPrinted(PrintFailed):
    """The parcel's papers did not all go out. `printed` lists what did before the failure
    (empty when a check failed first: then nothing was printed at all)."""

    def __init__(self, message: str, advice: str = "",
                 printed: list[PrintedJob] | None = None) -> None:
        super().__init__(message, advice)
        self.printed = list(printed or [])


@dataclass
class _Plan:
    role: str
    profile: PrinterProfile
    kinds: list[str] = field(default_factory=list)
    copies: dict[str, int] = field(default_factory=dict)
    parts: list[bytes] = field(default_factory=list)
    pages: int = 0


def file_stem(name: str) -> str:
    """A name every file system takes: "FO/000 123" -> "FO-000-123"."""
    return _UNSAFE_IN_FILE_NAMES.sub("-", name).strip(".-") or "parcel"


def free_path(folder: Path, stem: str) -> Path:
    """`stem`.pdf in `folder`, or `stem`-2.pdf, -3… when taken, so a reprint keeps the first."""
    path, number = folder / f"{stem}.pdf", 2
    while path.exists():
        path, number = folder / f"{stem}-{number}.pdf", number + 1
    return path


def _papers(role: str) -> str:
    """What a printer role prints, as a sentence names it ("the label PDF")."""
    # Translators: what a printer makes, put into sentences as {what}: "the {what} PDF".
    return _("label") if role == LABEL else _("document")


def paper_names(kinds: Sequence[str], joiner: str = " + ") -> str:
    """Kinds of paper as the packer reads them: "label + cn22", "invoice + packing-slip"."""
    # Translators: kinds of paper, shown joined as {papers}: "label + cn22".
    names = {"label": _("label"), "invoice": _("invoice"), "packing-slip": _("packing-slip")}
    return joiner.join(names.get(kind, kind) for kind in kinds)


def _not_printed(error: BaseException, printed: list[PrintedJob]) -> ParcelNotPrinted:
    """Any failure as a ParcelNotPrinted that also says what had already gone out."""
    if isinstance(error, FulfillError):
        message, advice = error.message, error.advice
    else:
        message, advice = (_("The printer stopped: {error}.").format(error=error),
                           _("Check that the printer is on and has paper, then print again."))
    if printed:
        # Translators: joins "the label to Zebra" and "the invoice to Laser" (as {done}).
        done = _(" and ").join(_("the {papers} to {destination}").format(
            papers=paper_names(job.kinds), destination=job.destination) for job in printed)
        message = _("{message} Already sent: {done}.").format(message=message, done=done)
    return ParcelNotPrinted(message, advice, printed)


def _folder_problem(profile: PrinterProfile) -> ParcelNotPrinted | None:
    folder = Path(profile.folder).expanduser()
    what = _papers(profile.role)
    if not folder.is_dir():
        return ParcelNotPrinted(
            _("The folder {folder} for the {what} PDFs is not there, so nothing was printed.")
            .format(folder=folder, what=what),
            _("Connect the drive or network share it is on (or create the folder), or choose "
              "another folder under Station settings, then print again."))
    if not os.access(folder, os.W_OK):
        return ParcelNotPrinted(
            _("fulfill may not write into {folder} (the folder for the {what} PDFs), so "
              "nothing was printed.").format(folder=folder, what=what),
            _("Allow this user to write there, or choose another folder under Station "
              "settings."))
    return None


def _write_failed(error: OSError, folder: Path, role: str) -> FulfillError:
    what = _papers(role)
    if error.errno == errno.ENOSPC:
        return FulfillError(_("The disk holding {folder} is full: the {what} PDF was not "
                              "saved.").format(folder=folder, what=what),
                            _("Free some space on it, or choose another folder under Station "
                              "settings, then print again."))
    if isinstance(error, PermissionError):
        return FulfillError(_("fulfill may not write into {folder}: the {what} PDF was not "
                              "saved.").format(folder=folder, what=what),
                            _("Allow this user to write there, or choose another folder under "
                              "Station settings, then print again."))
    if isinstance(error, FileNotFoundError):
        return FulfillError(_("The folder {folder} is gone: the {what} PDF was not saved.")
                            .format(folder=folder, what=what),
                            _("Connect the drive or network share it is on (or create the "
                              "folder), or choose another folder under Station settings."))
    return FulfillError(_("The {what} PDF could not be saved in {folder} ({error}).").format(
                            what=what, folder=folder, error=error.strerror or error),
                        _("Check the folder (is its drive or network share connected?), then "
                          "print again."))


def write_to_folder(profile: PrinterProfile, pdf: bytes, stem: str) -> Path:
    """Print to a folder profile: `stem`.pdf there (never over an earlier one), whole or not
    at all. FulfillError says what to do when the folder cannot take it."""
    if problem := _folder_problem(profile):
        raise problem
    folder = Path(profile.folder).expanduser()
    path = free_path(folder, file_stem(stem))
    try:
        write_atomically(path, pdf)
    except OSError as error:
        raise _write_failed(error, folder, profile.role) from error
    return path


# One long-lived thread joins and writes papers for every JobPrinter: starting a thread per
# job made the window wait on the start.
_PREPARING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parcel-papers")


def _prepare(plan: _Plan, stem: str) -> tuple[bytes, str]:
    """One printer's job as one PDF, and written into its folder when it prints to one.
    Returns (pdf, path written or "")."""
    try:
        pdf = join_pdfs(plan.parts)
    except Exception as error:  # pypdf could not read one of the papers
        raise FulfillError(
            _("The {what} papers could not be put together for printing ({error}).").format(
                what=_papers(plan.role), error=error),
            _("Make the papers again; if it keeps failing, send the order number to support.")
        ) from error
    if not plan.profile.to_folder:
        return pdf, ""
    return pdf, str(write_to_folder(plan.profile, pdf, f"{stem}-{plan.role}"))


class JobPrinter(QObject):
    """Prints parcels' papers on this station's printers or into its PDF folders.

    `print_parcel()` returns at once; the outcome comes as `finished(list[PrintedJob])` or
    `failed(ParcelNotPrinted)`, always after the call has returned. One parcel at a time.
    """

    finished = Signal(object)  # list[PrintedJob]
    failed = Signal(object)  # ParcelNotPrinted (a FulfillError)
    progress = Signal(str)  # "Printing the label on Zebra ZD421…", for a status line
    _prepared_signal = Signal(object)  # from the preparing thread: (plan, pdf, path) or an error

    def __init__(self, station: StationSettings, parent: QObject | None = None, *,
                 printer_factory: PrinterFactory = system_printer) -> None:
        super().__init__(parent)
        self.station = station
        self.printer_factory = printer_factory
        self._busy = False
        self._plans: list[_Plan] = []
        self._printed: list[PrintedJob] = []
        self._stem = ""
        self._page_printer: PagePrinter | None = None
        self._sending: _Plan | None = None
        self._waiting: tuple[list[PrintJob], str] | None = None
        self._refused: list[ParcelNotPrinted] = []
        # Answers always come from the event loop, after print_parcel() has returned. A
        # child timer and bound-method slots: nothing here keeps `self` alive on its own.
        self._kick = QTimer(self)
        self._kick.setSingleShot(True)
        self._kick.setInterval(0)
        self._kick.timeout.connect(self._kicked)
        self._prepared_signal.connect(self._on_prepared, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return self._busy

    def print_parcel(self, jobs: Sequence[PrintJob], *, country: str, name: str) -> None:
        """Print `jobs` (one kind each) for a parcel to `country`; `name` (the order number)
        names the PDF files. A kind or printer role it does not know is a ValueError."""
        for job in jobs:
            if job.kind not in COPY_KINDS or job.printer not in ROLES:
                raise ValueError(f"cannot print a {job.kind!r} job on the {job.printer!r} printer")
        if self._busy:
            self._refused.append(ParcelNotPrinted(
                _("The papers of the previous parcel are still printing."),
                _("Wait until they are out, then print this parcel again.")))
        else:
            self._busy = True
            self._printed, self._stem = [], file_stem(name)
            self._waiting = (list(jobs), country)
        self._kick.start()

    def _kicked(self) -> None:
        refused, self._refused = self._refused, []
        for error in refused:
            self.failed.emit(error)
        if self._waiting is not None:
            (jobs, country), self._waiting = self._waiting, None
            self._start(jobs, country)

    # --- plan and check, before anything goes out --------------------------------------
    def _start(self, jobs: list[PrintJob], country: str) -> None:
        try:
            self._plans = self._plan(jobs, country)
        except ParcelNotPrinted as error:
            self._fail(error)
            return
        self._next()

    def _plan(self, jobs: list[PrintJob], country: str) -> list[_Plan]:
        plans = {role: _Plan(role, self.station.profile(role)) for role in ROLES}
        for job in jobs:
            plan = plans[job.printer]
            copies = self.station.copies(job.kind, country)
            plan.copies[job.kind] = plan.copies.get(job.kind, 0) + copies
            if copies:
                plan.kinds.append(job.kind)
                plan.parts += [job.pdf] * copies
                plan.pages += job.pages * copies
        wanted = [plan for plan in plans.values() if plan.parts]
        for plan in wanted:
            if problem := self._profile_problem(plan.profile):
                raise problem
        return wanted

    def _profile_problem(self, profile: PrinterProfile) -> ParcelNotPrinted | None:
        title = profile.title.lower()
        if not profile.chosen:
            if gone := missing_printer(self.station.settings, profile.role):
                return ParcelNotPrinted(
                    _("The {printer} “{name}” is not installed on this computer, so nothing "
                      "was printed.").format(printer=title, name=gone),
                    _("Connect it (or install its driver), or choose a printer or a PDF folder "
                      "under Station settings."))
            return ParcelNotPrinted(
                _("No {printer} is chosen for this station, so nothing was printed.").format(
                    printer=title),
                _("Choose a printer or a PDF folder under Station settings."))
        return _folder_problem(profile) if profile.to_folder else None

    # --- one printer after the other ---------------------------------------------------
    def _next(self) -> None:
        if not self._plans:
            printed, self._printed, self._busy = self._printed, [], False
            self.finished.emit(printed)
            return
        plan = self._plans.pop(0)
        # Joining copies and writing a file (with its fsync) take tens of milliseconds: done
        # on a thread, so the packing window never stalls. Only a system printer needs this
        # thread (QtPdf), and PagePrinter feeds it in small steps.
        stem = self._stem
        if plan.profile.to_folder:
            self.progress.emit(_("Saving the {papers}…").format(papers=paper_names(plan.kinds)))
        _PREPARING.submit(self._prepare_off_thread, plan, stem)

    def _prepare_off_thread(self, plan: _Plan, stem: str) -> None:
        try:
            result: object = (plan, *_prepare(plan, stem))
        except Exception as error:
            result = error
        if shiboken6.isValid(self):
            self._prepared_signal.emit(result)  # queued to the UI thread

    def _on_prepared(self, result: object) -> None:
        if isinstance(result, Exception):
            self._fail(result)
        else:
            self._prepared(*result)  # type: ignore[misc]

    def _prepared(self, plan: _Plan, pdf: bytes, path: str) -> None:
        if path:
            self._done(plan, path)
        else:
            self._send(plan, pdf)

    def _send(self, plan: _Plan, pdf: bytes) -> None:
        profile = plan.profile
        self.progress.emit(_("Printing the {papers} on {printer}…").format(
            papers=paper_names(plan.kinds), printer=profile.printer))
        self._sending = plan
        self._page_printer = PagePrinter(pdf, profile, self.printer_factory(profile), self)
        self._page_printer.finished.connect(self._sent)
        self._page_printer.failed.connect(self._send_failed)
        self._page_printer.start()

    def _sent(self, _pages: int) -> None:
        plan, self._sending = self._sending, None
        self._forget_page_printer()
        self._done(plan, plan.profile.printer)

    def _send_failed(self, error: BaseException) -> None:
        self._sending = None
        self._forget_page_printer()
        self._fail(error)

    def _forget_page_printer(self) -> None:
        if self._page_printer is not None:
            self._page_printer.deleteLater()  # it is still inside its own signal
            self._page_printer = None

    def _done(self, plan: _Plan, destination: str) -> None:
        self._printed.append(PrintedJob(plan.role, plan.kinds, plan.copies, plan.pages,
                                        destination))
        self._next()

    def _fail(self, error: BaseException) -> None:
        failure = _not_printed(error, self._printed)
        self._plans, self._printed, self._busy = [], [], False
        self.failed.emit(failure)
