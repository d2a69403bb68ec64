"""Channels: the seller's shop accounts, syncing them, and the sync log.

Writes (add, edit, remove, sync, write-back) run on the shared StoreWorker; a connection test
runs in a plain thread (it only waits on the network). The tables read through a short-lived
UI-thread connection: a handful of small indexed queries per refresh. The work itself is in
fulfill.services.channels and .channel_sync; the add / edit dialog in account_dialog.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from html import escape
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush, QCloseEvent, QColor, QKeySequence, QResizeEvent, QShortcut, QShowEvent,
)
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QMessageBox, QProgressBar,
    QPushButton, QSplitter, QTableWidgetItem, QTextBrowser, QVBoxLayout, QWidget,
)

from fulfill.domain import ChannelAccount
from fulfill.errors import FulfillError
from fulfill.services.channel_sync import SyncOutcome, sync_all
from fulfill.services.channels import (
    GENERIC_ADVICE, add_account, add_sandbox_account, as_fulfill_error, check_connection,
    connector_class, remove_account, update_account,
)
from fulfill.services.progress import CancelToken, Cancelled
from fulfill.storage.account_queries import AccountRow, read_accounts
from fulfill.storage.catalog import AccountRepository
from fulfill.storage.database import connect, store_errors
from fulfill.storage.sync_state import SyncLogEntry, SyncRepository
from fulfill.translation import _, ngettext
from fulfill.ui.account_dialog import (
    BAD_COLOUR, MUTED_COLOUR, OK_COLOUR, AccountDialog, ask_to_remove,
)
from fulfill.ui.tables import ReadOnlyTable
from fulfill.ui.store_worker import StoreWorker, run_in_thread

log = logging.getLogger(__name__)

SANDBOX_SHOWS_LISTED = 3  # more would push the rest of the notice out of view

INTERVAL_KEY = "sync/interval_min"
INTERVALS = ((0, _("Off")),) + tuple(
    (minutes, ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes))
    for minutes in (5, 15, 30, 60))
LOG_ROWS = 200
OUTCOME_LABELS = {"ok": _("OK"), "failed": _("Failed"), "cancelled": _("Cancelled"),
                  "running": _("Running")}
OUTCOME_COLOURS = {"ok": OK_COLOUR, "failed": BAD_COLOUR, "cancelled": MUTED_COLOUR}


def local_time(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


# --- the window --------------------------------------------------------------------------------
def _item(text: object, *, number: bool = False, colour: str | None = None,
          tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(f"{text:,}" if isinstance(text, int) else str(text))
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if colour:
        item.setForeground(QBrush(QColor(colour)))
    if tip:
        item.setToolTip(tip)
    return item


class ChannelsWindow(QWidget):
    """Shop accounts, sync and the sync log. Create it once and keep it (hidden when closed):
    its timer runs the automatic sync even while the window is not shown."""

    ordersChanged = Signal()  # a sync stored or changed orders: the desk should refresh
    accountsChanged = Signal()  # an account was added, renamed or removed
    syncStarted = Signal()
    syncProgress = Signal(float, str)  # fraction (-1: unknown) and message, as the service says
    syncFinished = Signal(object)  # SyncOutcome (summary_line() suits a status bar)

    ACCOUNT_COLUMNS = [_("Platform"), _("Account"), _("Last sync"), _("Result"), _("Orders"),
                       _("Problems"), _("Write-backs")]
    LOG_COLUMNS = [_("When"), _("Account"), _("Fetched"), _("New"), _("Changed"), _("Problems"),
                   _("Outcome"), _("Message")]

    def __init__(self, store_path: Path, worker: StoreWorker, settings: QSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.store_path = Path(store_path)
        self.worker = worker
        self.settings = settings
        self.rows: list[AccountRow] = []
        self.dialog: AccountDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.last_outcome: SyncOutcome | None = None
        self._sync_token: CancelToken | None = None
        self._testing: set[int] = set()
        self._busy_jobs = 0
        self._last_refresh = 0.0
        self.setWindowTitle(_("Channels — fulfill"))
        self._build()
        self._restore_interval()
        if isinstance(geometry := settings.value("channels/geometry"), QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1000, 700)
        self.refresh()

    # --- construction ------------------------------------------------------------------
    def _button(self, text: str, slot: Callable[[], None], tip: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        if tip:
            button.setToolTip(tip)
        return button

    def _build(self) -> None:
        self.accounts = ReadOnlyTable(self.ACCOUNT_COLUMNS, (120, 220, 130, 110, 80, 80, 130), stretch=1)
        self.accounts.itemSelectionChanged.connect(self._update_buttons)
        self.accounts.doubleClicked.connect(lambda _index: self.edit_account())

        self.add_button = self._button(_("&Add account…"), self.add_account,
                                       _("Connect a shop (Ctrl+N)"))
        self.edit_button = self._button(_("&Edit…"), self.edit_account,
                                        _("Name, settings and credentials (Enter)"))
        self.test_button = self._button(
            _("&Test connection"), self.test_connection,
            _("Ask the platform once whether the account works (Ctrl+T)"))
        self.remove_button = self._button(_("&Remove"), self.remove_account,
                                          _("Stop syncing this account; its orders stay (Delete)"))
        self.sync_button = self._button(_("&Sync now"), self.sync_now,
                                        _("Fetch new and changed orders for this account (F5)"))
        self.sync_all_button = self._button(
            _("Sync a&ll"), self.sync_all,
            _("Fetch new and changed orders for every account (Shift+F5)"))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.test_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.sync_all_button)

        self.interval = QComboBox()
        for minutes, label in INTERVALS:
            self.interval.addItem(label, minutes)
        interval_label = QLabel(_("Sync a&utomatically every:"))
        interval_label.setBuddy(self.interval)
        self.next_sync_label = QLabel()
        self.next_sync_label.setStyleSheet(f"color: {MUTED_COLOUR}")
        self.auto_timer = QTimer(self)
        self.auto_timer.timeout.connect(self._auto_sync)
        auto = QHBoxLayout()
        auto.addWidget(interval_label)
        auto.addWidget(self.interval)
        auto.addWidget(self.next_sync_label)
        auto.addStretch(1)

        self.status = QLabel("")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setMinimumWidth(200)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(260)
        self.progress.setVisible(False)
        self.cancel_button = self._button(_("Cancel"), self.cancel_sync,
                                          _("Stop after the page being saved (Esc)"))
        self.cancel_button.setVisible(False)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.progress)
        status_row.addWidget(self.cancel_button)

        self.notice = QTextBrowser()
        self.notice.setOpenLinks(False)
        self.notice.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.notice.setMaximumHeight(8 * self.fontMetrics().height())
        self.notice.setVisible(False)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(QLabel("<b>" + _("Shop accounts") + "</b>"))
        top_layout.addWidget(self.accounts, 1)
        top_layout.addLayout(buttons)
        top_layout.addLayout(auto)
        top_layout.addLayout(status_row)
        top_layout.addWidget(self.notice)

        self.log_table = ReadOnlyTable(self.LOG_COLUMNS, (125, 260, 62, 50, 62, 70, 80), stretch=7)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(QLabel(_("<b>Sync log</b> (newest first)")))
        bottom_layout.addWidget(self.log_table, 1)

        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(top)
        self.split.addWidget(bottom)
        self.split.setChildrenCollapsible(False)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.split)

        for keys, slot, context in (
            ("Ctrl+N", self.add_account, Qt.ShortcutContext.WindowShortcut),
            ("Ctrl+E", self.edit_account, Qt.ShortcutContext.WindowShortcut),
            ("Return", self.edit_account, Qt.ShortcutContext.WidgetShortcut),
            ("Enter", self.edit_account, Qt.ShortcutContext.WidgetShortcut),
            ("Delete", self.remove_account, Qt.ShortcutContext.WidgetShortcut),
            ("Ctrl+T", self.test_connection, Qt.ShortcutContext.WindowShortcut),
            ("F5", self.sync_now, Qt.ShortcutContext.WindowShortcut),
            ("Shift+F5", self.sync_all, Qt.ShortcutContext.WindowShortcut),
            ("Esc", self._escape, Qt.ShortcutContext.WindowShortcut),
            (QKeySequence.StandardKey.Close, self.close, Qt.ShortcutContext.WindowShortcut),
        ):
            owner = self.accounts if context is Qt.ShortcutContext.WidgetShortcut else self
            shortcut = QShortcut(QKeySequence(keys), owner)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)
        self.interval.currentIndexChanged.connect(self._interval_changed)
        self._update_buttons()

    # --- reading -----------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read both tables (short-lived UI-thread connection, small indexed queries)."""
        try:
            with store_errors(self.store_path):
                db = connect(self.store_path, busy_timeout=1.0)
                try:
                    rows = read_accounts(db)
                    names = {a.id: a for a in AccountRepository(db).all()}
                    entries = SyncRepository(db).log(limit=LOG_ROWS)
                finally:
                    db.close()
        except FulfillError as error:
            self.show_error(as_fulfill_error(error))
            return
        self._fill_accounts(rows)
        self._fill_log(entries, names)
        self._last_refresh = time.monotonic()

    def _fill_accounts(self, rows: list[AccountRow]) -> None:
        keep = self.selected_account()
        self.rows = rows
        table = self.accounts
        table.setSortingEnabled(False)
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            account = row.account
            platform = _item(account.platform.label)
            platform.setData(Qt.ItemDataRole.UserRole, account.id)
            table.setItem(r, 0, platform)
            table.setItem(r, 1, _item(account.name, tip=account.display_name))
            if connector_class(account.platform) is None:
                when, result = "—", _item(
                    _("Cannot sync yet"), colour=MUTED_COLOUR,
                    tip=_("fulfill cannot connect to {platform} yet; its orders stay in the "
                          "store.").format(platform=account.platform.label))
            elif row.last is None:
                when, result = _("Never"), _item("—", colour=MUTED_COLOUR,
                                                 tip=_("Press Sync now."))
            else:
                when = local_time(row.last.finished_at or row.last.started_at)
                result = _item(OUTCOME_LABELS.get(row.last.outcome, row.last.outcome),
                               colour=OUTCOME_COLOURS.get(row.last.outcome),
                               tip=row.last.message or ngettext(
                                   "{n} order read", "{n} orders read", row.last.fetched).format(
                                       n=f"{row.last.fetched:,}"))
            table.setItem(r, 2, _item(when))
            table.setItem(r, 3, result)
            table.setItem(r, 4, _item(row.orders, number=True))
            tip = "\n".join(f"{pid}: {message}" for pid, message in row.problems[:10])
            table.setItem(r, 5, _item(len(row.problems), number=True,
                                      colour=BAD_COLOUR if row.problems else None, tip=tip))
            writes = ", ".join(part for part in (
                _("{n} waiting").format(n=f"{row.pending:,}") if row.pending else "",
                _("{n} refused").format(n=f"{row.failed_writes:,}") if row.failed_writes else "")
                if part) or "—"
            table.setItem(r, 6, _item(writes, colour=BAD_COLOUR if row.failed_writes else None,
                                      tip=_("Tracking numbers not yet accepted by the platform")))
        if keep is not None:
            self.select_account(keep.id)
        if rows and not table.selectionModel().selectedRows():
            table.selectRow(0)
        if not rows and self.notice.isHidden():
            self.show_notice(_("No shop accounts yet. Press <b>Add account…</b> (Ctrl+N) to "
                               "connect your shop, or add a sandbox account there to try a sync "
                               "without one."))
        self._update_buttons()

    def _fill_log(self, entries: list[SyncLogEntry], names: dict[int, ChannelAccount]) -> None:
        table = self.log_table
        table.setRowCount(len(entries))
        for r, entry in enumerate(entries):
            account = names.get(entry.account_id)
            name = (account.display_name if account
                    else _("Account {number}").format(number=entry.account_id))
            if account and account.settings.get("removed") == "true":
                name = _("{account} (removed)").format(account=name)
            table.setItem(r, 0, _item(local_time(entry.started_at)))
            table.setItem(r, 1, _item(name, tip=name))
            for column, value in ((2, entry.fetched), (3, entry.created), (4, entry.changed),
                                  (5, entry.problems)):
                table.setItem(r, column, _item(value, number=True))
            table.setItem(r, 6, _item(OUTCOME_LABELS.get(entry.outcome, entry.outcome),
                                      colour=OUTCOME_COLOURS.get(entry.outcome)))
            table.setItem(r, 7, _item(entry.message, tip=entry.message))

    # --- selection ---------------------------------------------------------------------
    def selected_account(self) -> ChannelAccount | None:
        rows = self.accounts.selectionModel().selectedRows()
        if not rows:
            return None
        account_id = self.accounts.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        return next((row.account for row in self.rows if row.account.id == account_id), None)

    def select_account(self, account_id: int) -> None:
        for r in range(self.accounts.rowCount()):
            if self.accounts.item(r, 0).data(Qt.ItemDataRole.UserRole) == account_id:
                self.accounts.selectRow(r)
                return

    def _row_of(self, account: ChannelAccount) -> AccountRow | None:
        return next((row for row in self.rows if row.account.id == account.id), None)

    @property
    def syncing(self) -> bool:
        return self._sync_token is not None

    def _update_buttons(self) -> None:
        account = self.selected_account()
        chosen = account is not None
        idle = self._busy_jobs == 0
        can_sync = chosen and connector_class(account.platform) is not None
        self.edit_button.setEnabled(chosen and idle)
        self.remove_button.setEnabled(chosen and idle and not self.syncing)
        self.test_button.setEnabled(bool(can_sync) and account.id not in self._testing)
        self.sync_button.setEnabled(bool(can_sync) and not self.syncing)
        self.sync_all_button.setEnabled(bool(self.rows) and not self.syncing)
        self.add_button.setEnabled(idle)

    # --- messages ----------------------------------------------------------------------
    def show_notice(self, html: str, colour: str | None = None) -> None:
        style = f" style='color:{colour}'" if colour else ""
        self.notice.setHtml(f"<div{style}>{html}</div>")
        self.notice.setVisible(True)
        self._fit_notice()

    def _fit_notice(self) -> None:
        """As tall as its text, up to eight lines (then it scrolls)."""
        document = self.notice.document()
        document.setTextWidth(max(self.notice.viewport().width(), self.width() - 60, 300))
        wanted = int(document.size().height()) + 2 * self.notice.frameWidth() + 2
        self.notice.setFixedHeight(min(wanted, 8 * self.fontMetrics().height()))

    def show_error(self, error: BaseException, account: ChannelAccount | None = None) -> None:
        problem = as_fulfill_error(error, account)
        self.show_notice(_error_html(problem))

    def _escape(self) -> None:
        if self.syncing:
            self.cancel_sync()
        else:
            self.close()

    # --- simple jobs on the worker -----------------------------------------------------
    def _submit(self, job, on_done, what: str) -> None:
        """A quick write on the StoreWorker; a failure is shown with its advice."""
        self._busy_jobs += 1
        self._update_buttons()

        def done(result) -> None:
            self._busy_jobs -= 1
            on_done(result)
            self._update_buttons()

        def failed(error: BaseException) -> None:
            self._busy_jobs -= 1
            self.refresh()
            problem = as_fulfill_error(error)
            headline = _("{action} did not work.").format(action=escape(what))
            self.show_notice(f"<b>{headline}</b><br>{_error_html(problem)}")
            self._update_buttons()

        self.worker.submit(lambda store, _progress, _cancel: job(store), done, failed, owner=self)

    # --- add / edit / remove -----------------------------------------------------------
    def add_account(self) -> None:
        if not self.add_button.isEnabled():
            return
        self._new_dialog(AccountDialog(self))
        self.dialog.accepted.connect(self._add_dialog_accepted)
        self.dialog.open()

    def _new_dialog(self, dialog: AccountDialog) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog

    def _add_dialog_accepted(self) -> None:
        dialog = self.dialog
        platform = dialog.selected_platform()
        if dialog.sandbox_requested:
            self._submit(lambda store: add_sandbox_account(store, platform),
                         lambda account: self._added(account, sandbox=True),
                         _("Adding the sandbox account"))
            return
        name, settings, secrets = dialog.account_name(), dialog.settings(), dialog.secrets()
        self._submit(lambda store: add_account(store, platform, name, settings, secrets),
                     lambda account: self._added(account, sandbox=False),
                     _("Adding the account"))

    def _added(self, account: ChannelAccount, *, sandbox: bool) -> None:
        self.refresh()
        self.select_account(account.id)
        self.accounts.setFocus()
        if sandbox:
            self.show_notice(_("Added <b>{account}</b>. It talks to a local stand-in of "
                               "{platform} with sample orders. Press <b>Sync now</b> (F5) to "
                               "fetch them.").format(account=escape(account.display_name),
                                                      platform=escape(account.platform.label)),
                             OK_COLOUR)
        else:
            self.show_notice(_("Added <b>{account}</b>. Press <b>Test connection</b> (Ctrl+T) to "
                               "check it, then <b>Sync now</b> (F5).").format(
                                   account=escape(account.display_name)), OK_COLOUR)
        self.accountsChanged.emit()

    def edit_account(self) -> None:
        account = self.selected_account()
        if account is None or not self.edit_button.isEnabled():
            return
        self._new_dialog(AccountDialog(self, account))
        self.dialog.accepted.connect(self._edit_dialog_accepted)
        self.dialog.open()

    def _edit_dialog_accepted(self) -> None:
        dialog = self.dialog
        account = dialog.account
        name, settings, secrets = dialog.account_name(), dialog.settings(), dialog.secrets()

        def saved(updated: ChannelAccount) -> None:
            self.refresh()
            self.select_account(updated.id)
            self.show_notice(_("Saved <b>{account}</b>. Press <b>Test connection</b> (Ctrl+T) "
                               "to check it.").format(account=escape(updated.display_name)),
                             OK_COLOUR)
            self.accountsChanged.emit()

        self._submit(lambda store: update_account(store, account, name, settings, secrets), saved,
                     _("Saving the account"))

    def remove_account(self) -> None:
        account = self.selected_account()
        if account is None or not self.remove_button.isEnabled():
            return
        row = self._row_of(account)
        orders = row.orders if row else 0
        self.confirm_box = ask_to_remove(self, account, orders, lambda: self._submit(
            lambda store: remove_account(store, account),
            lambda _none: self._removed(account, orders), _("Removing the account")))

    def _removed(self, account: ChannelAccount, orders: int) -> None:
        self.refresh()
        self.show_notice(ngettext(
            "Removed <b>{account}</b>. Its {count} order stays in the store.",
            "Removed <b>{account}</b>. Its {count} orders stay in the store.", orders).format(
                account=escape(account.display_name), count=f"{orders:,}"))
        self.accountsChanged.emit()

    # --- test connection (plain thread: it only waits on the network) -------------------
    def test_connection(self) -> None:
        account = self.selected_account()
        if account is None or not self.test_button.isEnabled():
            return
        self._testing.add(account.id)
        self._update_buttons()
        self.show_notice(_("Testing the connection to <b>{account}</b>…").format(
            account=escape(account.display_name)))
        run_in_thread(lambda: check_connection(account),
                      lambda message: self._tested(account, message, None),
                      lambda error: self._tested(account, None, error),
                      owner=self, name="check-connection")

    def _tested(self, account: ChannelAccount, message: str | None,
                error: BaseException | None) -> None:
        self._testing.discard(account.id)
        self._update_buttons()
        if error is None:
            ready = _("<b>{account}</b> is ready to sync.").format(
                account=escape(account.display_name))
            self.show_notice(f"✔ {escape(message or _('Connected'))}. {ready}", OK_COLOUR)
        else:
            problem = as_fulfill_error(error, account)
            headline = _("Connection test of {account} failed.").format(
                account=escape(account.display_name))
            self.show_notice(f"<b>{headline}</b><br>{_error_html(problem)}")

    # --- sync --------------------------------------------------------------------------
    def sync_now(self) -> None:
        account = self.selected_account()
        if account is None or not self.sync_button.isEnabled():
            return
        self._start_sync(account.id, _("Syncing {account}…").format(
            account=account.display_name))

    def sync_all(self) -> None:
        if self.syncing:
            return
        self._start_sync(None, _("Syncing all accounts…"))

    def _auto_sync(self) -> None:
        self._show_next_sync()
        if self.syncing:
            log.info("Automatic sync skipped: a sync is already running")
            return
        self.refresh()  # accounts may have changed while the window was hidden
        if self.rows:
            self._start_sync(None, _("Automatic sync…"))

    def _start_sync(self, account_id: int | None, message: str) -> None:
        if self.syncing:
            return
        self.status.setText(message)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.notice.setVisible(False)
        self._sync_token = self.worker.submit(
            lambda store, progress, cancel: sync_all(store, account_id, progress, cancel),
            self._sync_done, self._sync_failed, self._sync_progress, owner=self)
        self._update_buttons()
        self.syncStarted.emit()

    def _sync_progress(self, fraction: float, message: str) -> None:
        if fraction < 0:
            self.progress.setRange(0, 0)  # busy indicator: the service cannot tell how far
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(round(max(0.0, min(1.0, fraction)) * 1000))
        self.status.setText(message)
        if time.monotonic() - self._last_refresh > 1.5:  # orders counts and the running row
            self.refresh()
        self.syncProgress.emit(fraction, message)

    def cancel_sync(self) -> None:
        if self._sync_token is None:
            return
        self._sync_token.cancel()
        self.cancel_button.setEnabled(False)
        self.status.setText(_("Cancelling… the page being saved is finished first, so nothing "
                              "is half-stored."))

    def _sync_ended(self) -> None:
        self._sync_token = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self._update_buttons()

    def _sync_done(self, outcome: SyncOutcome) -> None:
        self._sync_ended()
        self.last_outcome = outcome
        self.refresh()
        self.status.setText(outcome.summary_line())
        if details := _outcome_html(outcome):
            self.show_notice(details)
        if outcome.may_have_changed_orders:
            self.ordersChanged.emit()
        self.syncFinished.emit(outcome)

    def _sync_failed(self, error: BaseException) -> None:
        self._sync_ended()
        self.refresh()
        if isinstance(error, Cancelled):  # cancelled before it started
            outcome = SyncOutcome(cancelled=True)
            self.status.setText(_("Sync cancelled before it started."))
            self.syncFinished.emit(outcome)
            return
        problem = as_fulfill_error(error)
        self.status.setText(_("Sync failed."))
        self.show_notice("<b>" + _("The sync stopped.") + f"</b><br>{_error_html(problem)}")
        self.ordersChanged.emit()
        self.syncFinished.emit(SyncOutcome(delivery_error=problem))

    # --- automatic sync ----------------------------------------------------------------
    def _restore_interval(self) -> None:
        try:
            minutes = int(self.settings.value(INTERVAL_KEY, 0) or 0)
        except (TypeError, ValueError):
            minutes = 0
        index = self.interval.findData(minutes)
        self.interval.blockSignals(True)
        self.interval.setCurrentIndex(max(index, 0))
        self.interval.blockSignals(False)
        self._apply_interval(self.interval.currentData())

    def _interval_changed(self) -> None:
        minutes = self.interval.currentData()
        self.settings.setValue(INTERVAL_KEY, minutes)
        self.settings.sync()
        self._apply_interval(minutes)

    def _apply_interval(self, minutes: int) -> None:
        if minutes:
            self.auto_timer.start(minutes * 60_000)
        else:
            self.auto_timer.stop()
        self._show_next_sync()

    def _show_next_sync(self) -> None:
        if self.auto_timer.isActive():
            due = datetime.now().astimezone().timestamp() + self.auto_timer.remainingTime() / 1000
            self.next_sync_label.setText(_("next at {time}").format(
                time=f"{datetime.fromtimestamp(due):%H:%M}"))
        else:
            self.next_sync_label.setText("")

    # --- window ------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self.notice.isHidden():
            self._fit_notice()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        self.accounts.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing hides the window; a running sync and the automatic sync carry on."""
        self.settings.setValue("channels/geometry", self.saveGeometry())
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.reject()
        super().closeEvent(event)


def _error_html(problem: FulfillError) -> str:
    advice = problem.advice or _(GENERIC_ADVICE)
    what_to_do = _("What to do: {advice}").format(advice=escape(advice))
    return f"<span style='color:{BAD_COLOUR}'>{escape(problem.message)}</span><br>{what_to_do}"


def _outcome_html(outcome: SyncOutcome) -> str:
    """What the one-line summary cannot say: failures with advice, problems, write-backs."""
    parts = []
    if outcome.cancelled:
        parts.append(_("Orders read before you cancelled are saved; the next sync continues "
                       "where this one stopped."))
    for result in outcome.failures:
        problem = as_fulfill_error(result.error, result.account)
        parts.append(f"<b>{escape(result.account.display_name)}</b>: {_error_html(problem)}")
    if outcome.problems:
        parts.append(ngettext(
            "{count} order could not be read and is listed in the Problems column (hover for "
            "details); the rest imported. It is read again on the next sync — if it keeps "
            "failing, send the sync log to support.",
            "{count} orders could not be read and are listed in the Problems column (hover for "
            "details); the rest imported. They are read again on the next sync — if one keeps "
            "failing, send the sync log to support.", outcome.problems).format(
                count=f"{outcome.problems:,}"))
    if outcome.unsupported:
        platforms = sorted({a.platform.label for a in outcome.unsupported})
        text = _("Not synced: fulfill cannot connect to {platforms} yet. Those orders stay in "
                 "the store.").format(platforms=escape(", ".join(platforms)))
        parts.append(f"<span style='color:{MUTED_COLOUR}'>{text}</span>")
    delivery = outcome.delivery
    if delivery and (delivery.delivered or delivery.retrying or delivery.failed):
        sent = [ngettext("{count} tracking number sent to the platforms.",
                         "{count} tracking numbers sent to the platforms.",
                         delivery.delivered).format(count=f"{delivery.delivered:,}")]
        if delivery.retrying:
            sent.append(_("{count} will be retried automatically (the platform could not be "
                          "reached).").format(count=f"{delivery.retrying:,}"))
        if delivery.failed:
            refused = _("{count} refused by the platform — check those orders on the platform's "
                        "website and add the tracking number there.").format(
                            count=f"{delivery.failed:,}")
            sent.append(f"<span style='color:{BAD_COLOUR}'>{refused}</span>")
        parts.append(" ".join(sent))
    if outcome.sandbox_shows:
        parts.append(_sandbox_shows_html(outcome.sandbox_shows))
    if outcome.delivery_error:
        parts.append("<b>" + _("Tracking numbers were not sent.") + "</b> "
                     + _error_html(outcome.delivery_error))
    return "<br>".join(parts)


def _sandbox_shows_html(shows: list) -> str:
    """What the sandbox stand-ins now show: the proof a newcomer looks for after shipping."""
    tick = f"<span style='color:{OK_COLOUR}'>✔</span> "
    lines = [tick + _("<b>{account}</b> now shows order {order} shipped with tracking number "
                      "{tracking}.").format(account=escape(s.account),
                                           order=escape(s.order_number),
                                           tracking=escape(s.tracking_number))
             for s in shows[:SANDBOX_SHOWS_LISTED]]
    if len(shows) > SANDBOX_SHOWS_LISTED:
        more = len(shows) - SANDBOX_SHOWS_LISTED
        lines.append(ngettext("…and {count} more order.", "…and {count} more orders.",
                              more).format(count=f"{more:,}"))
    return "<br>".join(lines)
