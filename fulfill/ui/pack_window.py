"""Pack mode: the packing bench, driven by a barcode scanner and Enter.

Scan a packing slip (or order number, platform id, label) and the order opens; scan each
piece and it counts; when the parcel is complete its papers print with no dialog; scan the
label (or press Enter) and it ships. Every step is stored by the station's own worker
thread before the window moves on, so a crash resumes where it was and a sync running in
the main window never holds up a scan. Codes that arrive while a step is being stored wait
their turn, in order: a fast scanner cannot overtake the store.
"""

from __future__ import annotations

import gc
import time
from collections import deque
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QLineEdit, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from fulfill.domain.tracking import order_id_from_scan, order_scan_code
from fulfill.errors import FulfillError
from fulfill.services import pack_actions, packing
from fulfill.services.packing import PackSession, PackStop
from fulfill.services.papers import PapersBlocked
from fulfill.services.return_scans import ReturnScan, scan_returned_parcel
from fulfill.translation import _, ngettext
from fulfill.ui.feedback import Feedback
from fulfill.ui.job_printer import JobPrinter
from fulfill.ui.pack_panels import Banner, LinesTable
from fulfill.ui.pack_side import PackSide
from fulfill.ui.station import StationSettings
from fulfill.ui.store_worker import StoreWorker

IDLE, PACKING, NEED_TRACKING, PRINTING, SHIP = "idle", "packing", "need tracking", "printing", "ship"
HEARTBEAT_MS = 20_000
READY_TEXT = _("Scan a packing slip, an order number, a label or a return slip")


class PackWindow(QWidget):
    """One packing station. `batch_id` opens it on a batch (the panel on the right)."""

    papers_ready = Signal(float)  # seconds from the last piece scanned to papers out
    shipped = Signal(int)  # order id
    idle = Signal()  # every code handled; waiting for the next scan (tests, benchmark)
    banner_changed = Signal(str, str)  # mood, headline
    return_scanned = Signal(int)  # the RMA id of a returned parcel's slip or tracking

    def __init__(self, store_path: Path | str, settings: QSettings, *, batch_id: int | None = None,
                 job_printer: JobPrinter | None = None, parent: QWidget | None = None) -> None:
        self._batch_id = batch_id
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(_("Pack mode — fulfill"))
        self.store_path = Path(store_path)
        self.settings = settings
        self.station = StationSettings(settings)
        self.holder = packing.new_holder()
        self.worker = StoreWorker(self.store_path)
        self.printer = job_printer or JobPrinter(self.station, self)
        self.printer.finished.connect(self._printed)
        self.printer.failed.connect(self._print_failed)
        self.feedback = Feedback(self, enabled=self.station.sounds_on)
        self.session: PackSession | None = None
        self.state = IDLE
        self.stop: PackStop | None = None
        self.require_scan = True
        self._codes: deque[tuple[str, float]] = deque()  # (code, when it arrived)
        self._code_at = 0.0
        self._busy = False
        self._completed_at = 0.0
        self._build()
        self._heartbeat = QTimer(self)
        self._heartbeat.setInterval(HEARTBEAT_MS)
        self._heartbeat.timeout.connect(self._beat)
        self._heartbeat.start()
        self._begin()

    # --- layout ------------------------------------------------------------------------
    def _build(self) -> None:
        self.banner = Banner()
        self.scan_box = QLineEdit()
        self.scan_box.setPlaceholderText(_("Scan here (the scanner types and presses Enter)"))
        self.scan_box.returnPressed.connect(self._entered)
        font = self.scan_box.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.scan_box.setFont(font)
        self.order_line = QLabel()
        self.order_line.setTextFormat(Qt.TextFormat.PlainText)
        self.lines = LinesTable()
        self.keys = QLabel(_("Esc set aside · Ctrl+Z take last piece out · F2 count all without "
                             "scanning · F5 reprint papers · F8 ship what is packed as one parcel"))
        self.keys.setWordWrap(True)
        self.keys.setStyleSheet("color: #5a6270")
        self.override_button = QPushButton(_("Pack it anyway and print new papers (Ctrl+Enter)"))
        self.override_button.clicked.connect(self.override_stop)
        self.override_button.hide()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.banner)
        left_layout.addWidget(self.override_button)
        left_layout.addWidget(self.scan_box)
        left_layout.addWidget(self.order_line)
        left_layout.addWidget(self.lines, 1)
        left_layout.addWidget(self.keys)

        self.figures = QLabel()
        self.figures.setStyleSheet("color: #3a4250")
        self.side = PackSide(self.store_path, self.worker, self.settings, self.station.name,
                             self._batch_id, self)
        self.side.figures_changed.connect(self.figures.setText)
        self.side.batch_changed.connect(lambda _id: self.scan_box.setFocus())
        self.side.failed.connect(self._failed)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.settings_button = QPushButton(_("Station settings…"))
        self.settings_button.clicked.connect(self.open_settings)
        bottom = QHBoxLayout()
        bottom.addWidget(self.figures, 1)
        bottom.addWidget(self.settings_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        for key, slot in (("Esc", self.set_aside), ("Ctrl+Z", self.undo), ("F2", self.count_all),
                          ("F5", self.reprint), ("F8", self.ship_partial),
                          ("Ctrl+Return", self.override_stop), ("Ctrl+Enter", self.override_stop)):
            QShortcut(QKeySequence(key), self).activated.connect(slot)
        self.resize(1280, 800)
        self._show(self.session)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.scan_box.setFocus()

    # --- start, heartbeat, close -----------------------------------------------------------
    def _begin(self) -> None:
        station, holder = self.station.name, self.holder

        def job(store, _progress, _cancel):
            from fulfill.services.papers import warm_up
            from fulfill.ui.station import require_scan

            warm_up()
            return require_scan(store), packing.resume(store, station=station, holder=holder)

        self._run(job, self._begun)
        self._refresh_side()

    def _begun(self, result) -> None:
        # The fonts and document code just loaded are hundreds of thousands of objects that
        # live as long as the app. Left to the cyclic garbage collector, every full
        # collection walked them all — 60-70 ms with the interpreter lock held, the window
        # frozen. Frozen, they are never scanned again.
        gc.freeze()
        self.require_scan, session = result
        if session is None:
            self._ready()
            return
        self.session = session
        done, total = session.pieces
        if session.state == "printed":
            self.state = SHIP
            self._say("busy", _("Resumed {number}: its papers were printed").format(
                number=session.order_number), self._ship_prompt())
        else:
            self.state = PACKING
            self._say("busy", _("Resumed {number} where it was left").format(
                number=session.order_number),
                ngettext("{done} of {total} piece packed. Scan the next piece.",
                         "{done} of {total} pieces packed. Scan the next piece.",
                         total).format(done=done, total=total))
            if session.complete:
                self._complete()
        self._show(session)

    def _beat(self) -> None:
        holder = self.holder
        self.worker.submit(lambda store, _p, _c: pack_actions.heartbeat(store, holder), owner=self)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._heartbeat.stop()
        holder = self.holder
        # The open parcel stays open with its scans; the station takes it up again next time.
        self.worker.submit(lambda store, _p, _c: pack_actions.release(store, holder))
        self.worker.close()
        super().closeEvent(event)

    # --- the scan queue --------------------------------------------------------------------
    def _entered(self) -> None:
        code = self.scan_box.text()
        self.scan_box.clear()
        self.submit_code(code)

    def is_idle(self) -> bool:
        """Nothing being stored or printed and no code waiting."""
        return not self._busy and not self._codes and not self.printer.busy

    def submit_code(self, code: str) -> None:
        """What the scanner typed, in order; handled one at a time."""
        self._codes.append((code, time.perf_counter()))
        if not self._busy:
            self._next_code()

    def _next_code(self) -> None:
        if self._busy:
            return
        if not self._codes:
            self.idle.emit()
            return
        code, self._code_at = self._codes.popleft()
        self._handle(code)

    def _run(self, job, on_done, on_error=None) -> None:
        """Run a store job on the station's worker; the next code waits until it is done."""
        self._busy = True

        def done(result) -> None:
            self._busy = False
            on_done(result)
            self._next_code()

        def failed(error: BaseException) -> None:
            self._busy = False
            (on_error or self._failed)(error)
            self._next_code()

        self.worker.submit(job, done, failed, owner=self)

    def _handle(self, code: str) -> None:
        text = code.strip()
        if self.state == SHIP:
            slip = order_id_from_scan(text)
            if slip is not None and self.session and slip != self.session.order_id:
                # The next slip: this parcel leaves with the number its label was printed with.
                self._ship("", then=text)
            else:
                self._ship(text)
        elif not text:
            self._next_code()
        elif self.state == IDLE or self.session is None:
            self._open(text)
        elif self.state == PACKING:
            self._scan(text)
        elif self.state == NEED_TRACKING:
            self._take_tracking_number(text)
        else:  # printing (the queue is held while it runs): the code waits its turn
            self._codes.appendleft((code, self._code_at))

    # --- steps ---------------------------------------------------------------------------
    def _open(self, code: str, overrides: frozenset[str] = frozenset()) -> None:
        station, holder = self.station.name, self.holder
        self.stop = None
        self.override_button.hide()

        def job(store, _progress, _cancel):
            # A returned parcel's RMA slip or return tracking is received, not packed.
            returned = None if overrides else scan_returned_parcel(store, code, actor=station)
            return returned or packing.open_order(store, code, station=station, holder=holder,
                                                  overrides=overrides)

        self._run(job, self._opened)

    def _opened(self, session: PackSession | ReturnScan) -> None:
        if isinstance(session, ReturnScan):
            self._return_scanned(session)
            return
        self.session, self.state = session, PACKING
        self.feedback.ok()
        done, total = session.pieces
        if session.parcel_no > 1:
            headline = _("{number} — parcel {parcel}: scan each piece").format(
                number=session.order_number, parcel=session.parcel_no)
        else:
            headline = _("{number}: scan each piece").format(number=session.order_number)
        left = total - done
        self._say("busy", headline, ngettext("{n} piece to pack for {country}.",
                                             "{n} pieces to pack for {country}.",
                                             left).format(n=left, country=session.country))
        self._show(session)
        self._refresh_side()
        if session.complete:
            self._complete()

    def _return_scanned(self, scan: ReturnScan) -> None:
        """A returned parcel at the bench: said on the banner, opened in Returns."""
        if scan.received:
            self.feedback.ok()
        else:
            self.feedback.error()
        self._say("good" if scan.received else "wrong", scan.headline, scan.detail)
        self.return_scanned.emit(scan.rma.id or 0)

    def _scan(self, code: str) -> None:
        session = self.session
        assert session is not None
        if session.classify(code).kind == "order_code":
            self.feedback.error()
            self._say("wrong", _("That is another order's slip"),
                      _("Finish {number} first, or press Esc to set it aside.").format(
                          number=session.order_number))
            self._next_code()
            return
        self._run(lambda store, _p, _c: pack_actions.scan(store, session, code), self._scanned)

    def _scanned(self, outcome) -> None:
        session = self.session
        assert session is not None
        self._show(session, highlight=outcome.sku)
        if not outcome.accepted:
            self.feedback.error()
            self._say("wrong", outcome.message.split(":")[0], outcome.message)
            return
        if session.complete:
            self._completed_at = self._code_at  # the last piece's scan arrived then
            self._complete()
            return
        self.feedback.ok()
        done, total = session.pieces
        self._say("good", outcome.message, ngettext(
            "{done} of {total} piece packed.", "{done} of {total} pieces packed.",
            total).format(done=done, total=total))

    def _complete(self) -> None:
        session = self.session
        assert session is not None
        if not session.tracking_number:
            self.state = NEED_TRACKING
            self.feedback.ok()
            self._say("busy", _("All packed. Scan the carrier's tracking number"),
                      _("The label prints with it (S10 numbers are checked)."))
            return
        self._print()

    def _take_tracking_number(self, code: str) -> None:
        session = self.session
        assert session is not None
        self._run(lambda store, _p, _c: pack_actions.set_tracking_number(store, session, code),
                  lambda _none: self._print())

    def _print(self) -> None:
        session = self.session
        assert session is not None
        self.state = PRINTING
        self._say("busy", _("Printing the papers…"), _("{number} to {country}").format(
            number=session.order_number, country=session.country))
        paper, dpi = self.station.document_profile().paper, self.station.label_profile().dpi
        self._busy = True
        self.worker.submit(lambda store, _p, _c: pack_actions.papers_for(
            store, session, paper=paper, dpi=dpi), self._papers_made, self._papers_refused,
            owner=self)

    def _papers_made(self, jobs) -> None:
        session = self.session
        assert session is not None
        self.printer.print_parcel(jobs, country=session.country,
                                  name=order_scan_code(session.order_id))

    def _papers_refused(self, error: BaseException) -> None:
        self._busy = False
        self.state = PACKING
        if isinstance(error, PapersBlocked):
            self.feedback.alarm()
            self._say("aside", _("These papers cannot print yet"), str(error))
        else:
            self._failed(error)
        self._next_code()

    def _printed(self, printed) -> None:
        session = self.session
        assert session is not None
        # What really went out (a kind set to 0 copies did not).
        kinds = list(dict.fromkeys(kind for job in printed for kind in job.kinds))
        self.papers_ready.emit(time.perf_counter() - self._completed_at
                               if self._completed_at else 0.0)
        self._completed_at = 0.0

        def recorded(_none) -> None:
            self._refresh_side()
            self.state = SHIP
            self.feedback.done()
            where = ", ".join(p.destination for p in printed)
            self._say("good", _("Papers out. Put the label on; scan it to ship"),
                      self._ship_prompt() + "\n" + _("Printed to {where}.").format(where=where))

        self._busy = False
        self._run(lambda store, _p, _c: pack_actions.record_printed(store, session, kinds),
                  recorded)

    def _print_failed(self, error: FulfillError) -> None:
        self._busy = False
        self.state = PACKING
        self.feedback.alarm()
        self._say("wrong", _("The papers did not print"),
                  _("{message} {advice} Then press F5 to print them again.").format(
                      message=error.message, advice=error.advice))
        self._next_code()

    def _ship_prompt(self) -> str:
        number = self.session.tracking_number if self.session else ""
        return (_("Scan the label, or press Enter to ship with {number}.").format(number=number)
                if number else _("Scan the carrier's label."))

    def _ship(self, code: str, then: str = "") -> None:
        session = self.session
        assert session is not None

        def shipped(result) -> None:
            self.feedback.done()
            detail = (_("The platform will be told. {ready}.") if result.order_complete else
                      _("The platform will be told. Part of the order is still to pack. {ready}."))
            self._say("done", _("Shipped {number} · {tracking}").format(
                number=session.order_number, tracking=result.tracking_number),
                detail.format(ready=READY_TEXT))
            self.shipped.emit(session.order_id)
            self.session, self.state = None, IDLE
            self._show(None)
            self._refresh_side()
            if then:
                self._codes.appendleft((then, self._code_at))

        self._run(lambda store, _p, _c: pack_actions.ship(store, session, code), shipped)

    # --- the packer's keys -----------------------------------------------------------------
    def set_aside(self) -> None:
        session = self.session
        if session is None or self._busy:
            if self.stop is not None:
                self._ready()
            return

        def done(_none) -> None:
            self.session, self.state = None, IDLE
            self._show(None)
            self._say("aside", _("{number} set aside").format(number=session.order_number),
                      READY_TEXT)
            self._refresh_side()

        self._run(lambda store, _p, _c: pack_actions.set_aside(store, session), done)

    def undo(self) -> None:
        session = self.session
        if session is None or self.state != PACKING or self._busy:
            return

        def done(sku) -> None:
            self._show(session)
            if sku:
                self._say("busy", _("One {sku} taken out").format(sku=sku),
                          _("Scan it again when it goes in."))

        self._run(lambda store, _p, _c: pack_actions.undo_last(store, session), done)

    def count_all(self) -> None:
        session, required = self.session, self.require_scan
        if session is None or self.state != PACKING or self._busy:
            return
        self._completed_at = time.perf_counter()
        self._run(lambda store, _p, _c: pack_actions.confirm_all(store, session,
                                                                 require_scan=required),
                  lambda _none: (self._show(session), self._complete()))

    def reprint(self) -> None:
        if self.session is None or self._busy or not self.session.complete and self.state != SHIP:
            return
        self._completed_at = time.perf_counter()
        self._print()

    def ship_partial(self) -> None:
        """F8: this box leaves with what is in it; the rest goes in a later parcel."""
        session = self.session
        if session is None or self.state != PACKING or self._busy:
            return
        if not any(line.packed for line in session.lines):
            self.feedback.error()
            self._say("wrong", _("Nothing is packed yet"),
                      _("Scan the pieces that go in this parcel."))
            return
        for line in session.lines:
            line.quantity = line.packed  # the papers and the write-back list what is in it
        session.lines = [line for line in session.lines if line.quantity]
        self._completed_at = time.perf_counter()
        self._show(session)
        self._complete()

    def override_stop(self) -> None:
        stop = self.stop
        if stop is None or not stop.can_override or self._busy:
            return
        self._open(order_scan_code(stop.order_id or 0), overrides=frozenset({stop.kind}))

    # --- errors and stops ------------------------------------------------------------------
    def _failed(self, error: BaseException) -> None:
        if isinstance(error, PackStop):
            self._stopped(error)
            return
        self.feedback.error()
        if isinstance(error, FulfillError):
            self._say("wrong", error.message, error.advice)
        else:
            self._say("wrong", _("Something went wrong"), repr(error))

    def _stopped(self, stop: PackStop) -> None:
        if stop.kind == "wrong_label":
            self.feedback.alarm()
            self._say("stop", stop.message, stop.advice)
            return
        self.stop = stop
        session, self.session, self.state = self.session, None, IDLE
        if session is not None:
            # A stop mid-parcel ends it: if the packer goes on, the parcel is checked afresh.
            self.worker.submit(lambda store, _p, _c: pack_actions.set_aside(
                store, session, f"stopped: {stop.kind}"), owner=self)
        self._show(None)
        detail = "\n".join([*stop.details, stop.advice])
        if stop.kind == "fixup":
            self.feedback.error()
            self._say("aside", stop.message, detail)
            self._refresh_side()
        elif stop.loud:
            self.feedback.alarm()
            self._say("stop", stop.message, detail)
        else:
            self.feedback.error()
            self._say("wrong", stop.message, detail)
        self.override_button.setVisible(stop.can_override)

    # --- showing ---------------------------------------------------------------------------
    def _say(self, mood: str, headline: str, detail: str = "") -> None:
        self.banner.show_message(mood, headline, detail)
        self.banner_changed.emit(mood, headline)

    def _ready(self) -> None:
        self.stop = None
        self.override_button.hide()
        self._say("ready", READY_TEXT, _("Pack mode verifies every piece before the papers print."))

    def _show(self, session: PackSession | None, highlight: str = "") -> None:
        self.lines.show_session(session, highlight)
        if session is None:
            self.order_line.setText(_("No order open."))
            return
        number = session.tracking_number or _("no tracking number yet")
        self.order_line.setText(_("{number} · {channel} · to {country} · parcel {parcel} · "
                                  "{tracking}").format(
            number=session.order_number, channel=session.channel, country=session.country,
            parcel=session.parcel_no, tracking=number))

    def _refresh_side(self) -> None:
        self.side.refresh()

    def open_settings(self) -> None:
        from fulfill.ui.station import save_require_scan_job
        from fulfill.ui.station_dialog import StationSettingsDialog

        dialog = StationSettingsDialog(self.settings, self.require_scan, self)

        def accepted() -> None:
            self.require_scan = dialog.require_scan()
            self.feedback.enabled = self.station.sounds_on
            self.worker.submit(save_require_scan_job(self.require_scan), owner=self)
            self._refresh_side()

        dialog.accepted.connect(accepted)
        dialog.open()
