"""The orders desk: status sidebar, filter bar, lazy orders table and the order detail pane."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QByteArray, QItemSelectionModel, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QFileDialog, QHeaderView, QInputDialog, QLabel, QMainWindow,
    QMessageBox, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from fulfill import __version__, paths, translation
from fulfill.domain import OrderStatus
from fulfill.domain.tracking import order_scan_code
from fulfill.errors import FulfillError
from fulfill.i18n import display_locale
from fulfill.log import support_bundle
from fulfill.storage import Store, backups
from fulfill.storage.catalog import AccountRepository
from fulfill.storage.database import connect
from fulfill.storage.exports import ExportRepository
from fulfill.storage.order_queries import (
    OrderFilter, OrderSort, countries_in_use, desk_rows, order_ids, status_counts,
)
from fulfill.services.channels import deliver_write_backs, stop_sandboxes
from fulfill.services import pack_reports
from fulfill.services.outbox import ship_order
from fulfill.storage.orders import OrderRepository
from fulfill.storage.outbox import OutboxRepository
from fulfill.storage.returns import ReturnRepository
from fulfill.ui import labels
from fulfill.translation import _, ngettext
from fulfill.ui.language import chosen_language, save_language
from fulfill.ui.catalog_window import ProductsWindow
from fulfill.ui.channels_window import ChannelsWindow
from fulfill.ui.exports_window import ExportsWindow, reveal_product
from fulfill.ui.filters import FilterBar, StatusList
from fulfill.ui.import_dialog import open_import_dialog
from fulfill.ui.order_detail import OrderDetailView
from fulfill.ui.orders_model import COLUMNS, OrdersTableModel
from fulfill.ui.pack_window import PackWindow
from fulfill.ui.papers_window import PapersWindow, ParcelPrinting
from fulfill.ui.printing import PrintersDialog
from fulfill.ui.reader import StoreReader
from fulfill.ui.returns_window import ReturnsWindow
from fulfill.ui.seller_profile_dialog import open_seller_profile
from fulfill.ui.ship_dialog import ShipDialog
from fulfill.ui.store_worker import StoreWorker, run_in_thread

log = logging.getLogger(__name__)
_open_windows: list[QMainWindow] = []  # windows reopened after a restore, kept alive here


class MainWindow(QMainWindow):
    idsApplied = Signal(int)  # number of orders now listed; tests and benchmarks wait on it

    def __init__(self, store_path: Path, *, demo: bool = False, settings: QSettings | None = None) -> None:
        super().__init__()
        self.store_path = store_path
        self.demo = demo
        self.locale = display_locale()
        self.settings = settings or QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)
        # Small indexed reads (a screenful of rows, one order) use this UI-thread connection;
        # anything that scans the store goes to the reader thread.
        self._db = connect(store_path)
        self._reader = StoreReader(store_path)
        # The one thread that writes to the store; the store was checked when the app started.
        self.worker = StoreWorker(store_path,
                                  open_store=lambda p: Store.open(p, check_integrity=False))
        self._accounts = {a.id: a for a in AccountRepository(self._db).all()}
        self._sort = OrderSort()
        self._selected_id: int | None = None
        self._query_started = 0.0
        self._error_box: QMessageBox | None = None
        self._shown: int | None = None
        self._counts: dict[OrderStatus, int] = {}
        self.products_window: ProductsWindow | None = None
        self.papers_window: PapersWindow | None = None
        self.pack_window: PackWindow | None = None
        self.returns_window: ReturnsWindow | None = None
        self.exports_window: ExportsWindow | None = None

        self.setWindowTitle("fulfill — " + (_("Demo store") if demo else store_path.name))
        self._build_widgets()
        self.channels = ChannelsWindow(store_path, self.worker, self.settings, self)
        self.channels.ordersChanged.connect(self.refresh)
        self.channels.accountsChanged.connect(self._reload_accounts)
        self.channels.syncFinished.connect(lambda outcome: self.statusBar().showMessage(
            outcome.summary_line(), 15000))
        self.parcel_printing = ParcelPrinting(
            self, store_path, self.worker, self.settings,
            on_status=lambda text: self.statusBar().showMessage(text, 15000))
        self._build_menus()
        self._restore_layout()
        self.filters.set_choices(list(self._accounts.values()), countries_in_use(self._db), self.locale)
        self.refresh()

    # --- construction ----------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.filters = FilterBar()
        self.statuses = StatusList()
        self.statuses.setMinimumWidth(190)
        self.model = OrdersTableModel(
            lambda ids: desk_rows(self._db, ids),
            {a.id: a.short_label for a in self._accounts.values()}, self.locale, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((122, 140, 130, 220, 58, 46, 92, 132)):
            self.table.setColumnWidth(column, width)
        self.detail = OrderDetailView()
        self.detail.rmaClicked.connect(lambda rma_id: self.show_returns().select_rma(rma_id))
        self.empty_hint = QLabel()
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setVisible(False)

        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.empty_hint)
        self.desk_split = QSplitter(Qt.Orientation.Horizontal)
        self.desk_split.addWidget(centre)
        self.desk_split.addWidget(self.detail)
        self.desk_split.setStretchFactor(0, 3)
        self.desk_split.setStretchFactor(1, 2)
        self.side_split = QSplitter(Qt.Orientation.Horizontal)
        self.side_split.addWidget(self.statuses)
        self.side_split.addWidget(self.desk_split)
        self.side_split.setStretchFactor(1, 1)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(0)
        body_layout.addWidget(self.filters)
        body_layout.addWidget(self.side_split, 1)
        self.setCentralWidget(body)
        self.shown_label = QLabel()
        self.statusBar().addWidget(self.shown_label, 1)
        self.statusBar().addPermanentWidget(QLabel(str(self.store_path)))

        self.filters.changed.connect(self.refresh)
        self.statuses.changed.connect(self.refresh)
        self.model.sortRequested.connect(self._sort_by)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        channels = QAction(_("&Channels and sync…"), self, shortcut=QKeySequence("Ctrl+Shift+C"))
        channels.triggered.connect(self.show_channels)
        file_menu.addAction(channels)
        import_action = QAction(_("&Import orders from a file…"), self,
                                shortcut=QKeySequence("Ctrl+I"))
        import_action.triggered.connect(self.import_orders)
        file_menu.addAction(import_action)
        file_menu.addSeparator()
        self._add_action(file_menu, _("&Seller profile…"), self.edit_seller_profile)
        self._add_action(file_menu, _("P&rinters…"),
                         lambda: PrintersDialog(self.settings, self).exec())
        file_menu.addSeparator()
        self._add_action(file_menu, _("Interface &language…"), self.choose_language)
        file_menu.addSeparator()
        self._add_action(file_menu, _("&Backup now"), self.backup_now)
        self._add_action(file_menu, _("R&estore from a backup…"), self.restore_backup)
        file_menu.addSeparator()
        quit_action = QAction(_("&Quit"), self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu(_("&View"))
        find = QAction(_("&Find orders"), self, shortcut=QKeySequence.StandardKey.Find)
        find.triggered.connect(self.focus_search)
        refresh = QAction(_("&Refresh"), self, shortcut=QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh)
        clear = QAction(_("&Clear filters"), self, shortcut=QKeySequence("Ctrl+Shift+L"))
        clear.triggered.connect(self.clear_filters)
        for action in (find, refresh, clear):
            view_menu.addAction(action)
        order_menu = self.menuBar().addMenu(_("&Order"))
        self.ship_action = QAction(_("Mark &shipped…"), self,
                                   shortcut=QKeySequence("Ctrl+Shift+S"))
        self.ship_action.triggered.connect(self.mark_selected_shipped)
        self.ship_action.setEnabled(False)
        order_menu.addAction(self.ship_action)
        order_menu.addSeparator()
        self._add_action(order_menu, _("&Print label and customs papers"),
                         self.print_selected_papers, "Ctrl+P")
        self._add_action(order_menu, _("Pre&view papers…"),
                         lambda: self.preview_papers(self.selected_order_ids()), "Ctrl+Shift+V")
        self._add_action(order_menu, _("Print &batch…"), self.print_batch, "Ctrl+Shift+B")
        order_menu.addSeparator()
        self._add_action(order_menu, _("Pac&k mode"), self.open_pack_mode, "F9")
        self._add_action(order_menu, _("Pack as a ba&tch…"), self.pack_as_batch, "Shift+F9")
        order_menu.addSeparator()
        self._add_action(order_menu, _("&Returns and exchanges"), self.show_returns, "Ctrl+Shift+R")
        self.return_action = self._add_action(order_menu, _("&New return for this order…"),
                                              self.new_return, "Ctrl+Alt+R")
        order_menu.addSeparator()
        self._add_action(order_menu, _("E&xport paperwork…"), self.show_exports, "Ctrl+Shift+E")
        catalog_menu = self.menuBar().addMenu(_("&Catalog"))
        self._add_action(catalog_menu, _("&Products…"), self.show_products, "Ctrl+Shift+P")
        self._add_action(catalog_menu, _("&Seller profile…"), self.edit_seller_profile)
        help_menu = self.menuBar().addMenu(_("&Help"))
        self._add_action(help_menu, _("&First-run setup…"), self.show_first_run)
        self._add_action(help_menu, _("Save &logs for support…"), self.save_support_logs)
        about = QAction(_("&About fulfill"), self)
        about.triggered.connect(lambda: QMessageBox.about(
            self, _("About fulfill"), f"fulfill {__version__}\n"
            + _("Orders, customs papers and parcels for cross-border sellers.") + "\n\n"
            + _("Store: {path}").format(path=self.store_path)))
        help_menu.addAction(about)

    def _add_action(self, menu, text: str, slot, shortcut: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # --- queries ---------------------------------------------------------------------
    def current_filter(self) -> OrderFilter:
        status = self.statuses.selected()
        account_id = self.filters.channel.currentData()
        country = self.filters.country.currentData()
        ordered_from, ordered_before = self.filters.date_range()
        return OrderFilter(
            statuses=(status,) if status else (),
            account_ids=(account_id,) if account_id else (),
            countries=(country,) if country else (),
            ordered_from=ordered_from,
            ordered_before=ordered_before,
            search=self.filters.search.text(),
            problems_only=self.filters.problems_only.isChecked(),
        )

    def refresh(self) -> None:
        flt, sort = self.current_filter(), self._sort
        self._query_started = time.perf_counter()
        self._shown = None
        self._counts = {}
        self.shown_label.setText(_("Searching…") if flt.search.strip() else _("Loading…"))
        self._reader.submit("ids", lambda db: order_ids(db, flt, sort), self._apply_ids, self._failed)
        self._reader.submit("counts", lambda db: status_counts(db, flt), self._apply_counts, self._failed)

    def _sort_by(self, sort: OrderSort) -> None:
        self._sort = sort
        self.refresh()

    def _apply_ids(self, ids: list[int]) -> None:
        keep = self._selected_id
        self.model.set_ids(ids)
        elapsed_ms = (time.perf_counter() - self._query_started) * 1000
        log.debug("Listed %d orders in %.1f ms", len(ids), elapsed_ms)
        self._shown = len(ids)
        self._update_status_bar()
        self.table.setVisible(bool(ids))
        self.empty_hint.setVisible(not ids)
        self.empty_hint.setText(
            _("No orders match these filters. Press Ctrl+Shift+L to clear them.")
            if self.model.rowCount() == 0 and self._any_filter() else _("No orders yet.")
        )
        row = self.model.row_of(keep) if keep is not None else None
        if row is not None:
            index = self.model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)
        else:
            self._selected_id = None
            self.detail.clear_order()
        self.idsApplied.emit(len(ids))

    def _apply_counts(self, counts) -> None:
        self.statuses.set_counts(counts)
        self._counts = counts
        self._update_status_bar()

    def _update_status_bar(self) -> None:
        """"Showing 42 of 300 orders · 11 awaiting shipment · 1 on hold": what needs work now."""
        if self._shown is None:
            return
        shown = f"{self._shown:,}"
        parts = [ngettext("Showing {shown} order", "Showing {shown} orders",
                          self._shown).format(shown=shown)]
        if self._counts:
            total = sum(self._counts.values())
            parts[0] = ngettext("Showing {shown} of {total} order",
                                "Showing {shown} of {total} orders", total).format(
                                    shown=shown, total=f"{total:,}")
            # Translators: a count of orders in one status, e.g. "4 awaiting shipment".
            per_status = _("{count} {status}")
            parts += [per_status.format(count=f"{self._counts[s]:,}", status=labels.order_status(s).lower())
                      for s in OrderStatus if s.is_open and self._counts.get(s)]
        self.shown_label.setText(" · ".join(parts))

    def _any_filter(self) -> bool:
        return self.current_filter() != OrderFilter()

    def _failed(self, error: Exception) -> None:
        message = (str(error) if isinstance(error, FulfillError)
                   else _("Reading the store failed: {error}").format(error=error))
        self.shown_label.setText(message)
        # Non-modal: the desk stays usable, and a burst of failures does not stack dialogs.
        if self._error_box is None:
            self._error_box = QMessageBox(QMessageBox.Icon.Warning, "fulfill", "", parent=self)
            self._error_box.setModal(False)
        self._error_box.setText(message)
        self._error_box.show()

    # --- selection and detail ---------------------------------------------------------
    def _current_changed(self, current, _previous) -> None:
        if not current.isValid():
            return
        order_id = self.model.order_id(current.row())
        self._selected_id = order_id
        self.show_order(order_id)

    def show_order(self, order_id: int) -> None:
        repository = OrderRepository(self._db)
        order = repository.get(order_id)
        self.ship_action.setEnabled(order is not None)
        if order is None:
            self.detail.clear_order()
            return
        self.detail.show_order(order, self._accounts.get(order.account_id),
                               repository.history(order_id), self.locale,
                               repository.shipments(order_id),
                               OutboxRepository(self._db).for_order(order_id),
                               ReturnRepository(self._db).for_order(order_id),
                               ExportRepository(self._db).declarations([order_id]).get(order_id))

    def mark_selected_shipped(self) -> None:
        """Ask for carrier and tracking, then ship on the store worker and tell the platform."""
        if self._selected_id is None:
            return
        order_id = self._selected_id
        order = OrderRepository(self._db).get(order_id)
        account = self._accounts.get(order.account_id)
        dialog = ShipDialog(order, account.platform.label if account else _("The platform"), self)
        if dialog.exec() != ShipDialog.DialogCode.Accepted:
            return
        carrier, tracking = dialog.carrier_name(), dialog.tracking_number()

        def job(store, progress, cancel):
            ship_order(store, order_id, carrier=carrier, tracking_number=tracking, actor="seller")
            return deliver_write_backs(store)

        def done(_report) -> None:
            self.model.invalidate_rows()
            self.show_order(order_id)
            self.refresh()

        self.shown_label.setText(_("Marking {number} shipped…").format(number=order.order_number))
        self.worker.submit(job, done, self._failed, owner=self)

    # --- papers and catalogue ----------------------------------------------------------
    def selected_order_ids(self) -> list[int]:
        """The selected orders in desk order, or the current one."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        ids = [self.model.order_id(row) for row in rows]
        return ids or ([self._selected_id] if self._selected_id is not None else [])

    def preview_papers(self, ids: list[int], kind: str = "label", title: str = "") -> None:
        if not ids:
            self.statusBar().showMessage(_("Select the orders whose papers to preview."), 8000)
            return
        if self.papers_window is not None:
            self.papers_window.close()
        self.papers_window = PapersWindow(self.store_path, self.worker, self.settings, ids,
                                          kind=kind, title=title, parent=self)
        self.papers_window.destroyed.connect(lambda: setattr(self, "papers_window", None))
        self.papers_window.show()

    def print_selected_papers(self) -> None:
        self.parcel_printing.start(self.selected_order_ids())

    def print_batch(self) -> None:
        """Labels for several selected orders, else for every order the desk lists."""
        selected = self.selected_order_ids()
        if len(selected) > 1:
            self.preview_papers(selected, title=ngettext(
                "{count} selected order", "{count} selected orders", len(selected)).format(
                    count=f"{len(selected):,}"))
            return
        flt, sort = self.current_filter(), self._sort
        status = labels.order_status(flt.statuses[0]).lower() if flt.statuses else None

        def batch_title(ids: list[int]) -> str:
            count = f"{len(ids):,}"
            if status is None:
                return ngettext("batch of {count} listed order", "batch of {count} listed orders",
                                len(ids)).format(count=count)
            return ngettext("batch of {count} {status} order", "batch of {count} {status} orders",
                            len(ids)).format(count=count, status=status)

        self._reader.submit("batch", lambda db: order_ids(db, flt, sort), lambda ids: (
            self.preview_papers(ids, title=batch_title(ids))), self._failed)

    # --- packing ---------------------------------------------------------------------------
    def open_pack_mode(self, batch_id: int | None = None) -> None:
        if self.pack_window is not None:
            self.pack_window.close()
        self.pack_window = PackWindow(self.store_path, self.settings, batch_id=batch_id,
                                      parent=self)
        self.pack_window.destroyed.connect(lambda: setattr(self, "pack_window", None))
        self.pack_window.shipped.connect(lambda _id: self.refresh())
        self.pack_window.return_scanned.connect(lambda rma_id: self.show_returns(
            raise_window=False).select_rma(rma_id))
        self.pack_window.show()

    def pack_order(self, order_id: int) -> None:
        """Pack mode with this order opened, as if its packing slip had been scanned."""
        if self.pack_window is None:
            self.open_pack_mode()
        self.pack_window.raise_()
        self.pack_window.activateWindow()
        self.pack_window.submit_code(order_scan_code(order_id))

    def pack_as_batch(self) -> None:
        """A batch of the selected orders, else of every order the desk lists, in Pack mode."""
        selected = self.selected_order_ids()
        flt, sort = self.current_filter(), self._sort

        def make(store, _progress, _cancel) -> int:
            ids = selected if len(selected) > 1 else order_ids(store.db, flt, sort)
            return pack_reports.create_batch(store, pack_reports.awaiting_shipment(store, ids))

        self.worker.submit(make, self.open_pack_mode, self._failed, owner=self)

    # --- returns ---------------------------------------------------------------------------
    def show_returns(self, *, raise_window: bool = True) -> ReturnsWindow:
        """The Returns screen; brought to the front unless Pack mode keeps the keyboard."""
        if self.returns_window is None:
            self.returns_window = ReturnsWindow(self.store_path, self.worker, self.settings,
                                                self._accounts, self.locale, self)
            self.returns_window.ordersChanged.connect(self.refresh)
            self.returns_window.packReplacement.connect(self.pack_order)
            self.returns_window.showOrder.connect(self.reveal_order)
        else:
            self.returns_window.reload()
        self.returns_window.show()
        if raise_window:
            self.returns_window.raise_()
            self.returns_window.activateWindow()
        return self.returns_window

    # --- export paperwork -------------------------------------------------------------------
    def show_exports(self) -> ExportsWindow:
        """The Export paperwork screen (declaration batch, VAT statement, figures, rates)."""
        window = self.exports_window
        if window is None:
            window = ExportsWindow(self.worker, self.settings, self.locale, parent=self)
            window.showOrder.connect(self.reveal_order)
            # The product, selected once the catalogue has loaded (or added if it is not there).
            window.showProduct.connect(lambda sku: (
                self.show_products(), reveal_product(self.products_window, sku)))
            self.exports_window = window
        else:
            window.reload()
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def new_return(self) -> None:
        if self._selected_id is None:
            self.statusBar().showMessage(_("Select the order the buyer wants to return."), 8000)
            return
        self.show_returns().new_return_for(self._selected_id)

    def reveal_order(self, order_id: int) -> None:
        """Bring the desk forward with this order in the detail pane."""
        self._selected_id = order_id
        self.show_order(order_id)
        self.raise_()
        self.activateWindow()

    def show_products(self) -> None:
        if self.products_window is None:
            self.products_window = ProductsWindow(self.worker, self.settings, self)
        else:
            self.products_window.reload()
        self.products_window.show()
        self.products_window.raise_()
        self.products_window.activateWindow()

    def edit_seller_profile(self) -> None:
        open_seller_profile(self, self.worker, lambda _profile: self.statusBar().showMessage(
            _("Seller profile saved."), 8000))

    # --- backups -------------------------------------------------------------------------
    def backup_now(self) -> None:
        def done(backup) -> None:
            self.statusBar().showMessage(_("Backed up to {path}").format(path=backup.path), 15000)

        self.statusBar().showMessage(_("Backing up the store…"))
        self.worker.submit(lambda _store, _p, _c: backups.back_up(self.store_path), done,
                           self._failed, owner=self)

    def restore_backup(self) -> None:
        """Choose a backup (or any file), check it, confirm, then replace the store."""
        found = backups.backups(self.store_path)
        other = _("Another file…")
        labels = [backup.label for backup in found] + [other]
        choice, ok = QInputDialog.getItem(self, _("Restore from a backup"),
                                          _("Replace the store with the backup of:"), labels, 0,
                                          False)
        if not ok:
            return
        if choice == other:
            name, _filter = QFileDialog.getOpenFileName(
                self, _("Restore from a backup"), str(paths.backups_dir(self.store_path)),
                _("fulfill stores") + " (*.sqlite);;" + _("All files") + " (*)")
            if not name:
                return
            path = Path(name)
        else:
            path = found[labels.index(choice)].path
        run_in_thread(lambda: backups.check_backup(path), self._confirm_restore, self._failed,
                      owner=self, name="check-backup")

    def _confirm_restore(self, check) -> None:
        answer = QMessageBox.question(
            self, _("Restore from a backup"),
            _("Replace the store with {file}?").format(file=check.path.name) + "\n\n"
            + _("It holds {orders} orders and {returns} returns. The store as it is now is backed "
                "up first, so this can be undone; fulfill reopens on the restored store.").format(
                    orders=f"{check.orders:,}", returns=f"{check.returns:,}"))
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_from(check.path)

    def restore_from(self, path: Path) -> MainWindow:
        """Close this window (and every connection), restore, open a new window."""
        app = QApplication.instance()
        app.setQuitOnLastWindowClosed(False)
        self.close()
        try:
            safety = backups.restore(self.store_path, path)
            message = _("Restored {file}. The store as it was is kept as {copy}.").format(
                file=path.name, copy=safety.path.name)
        except FulfillError as error:
            message = _("Nothing was restored: {problem} {advice}").format(
                problem=error.message, advice=error.advice)
        successor = MainWindow(self.store_path, demo=self.demo, settings=self.settings)
        _open_windows.append(successor)
        successor.show()
        successor.statusBar().showMessage(message, 30000)
        app.setQuitOnLastWindowClosed(True)
        return successor

    def choose_language(self) -> None:
        """The interface language (documents keep theirs); used from the next start."""
        codes = list(translation.LANGUAGES)
        current = chosen_language(self.settings)
        name, ok = QInputDialog.getItem(
            self, _("Interface language"), _("Show fulfill in:"),
            list(translation.LANGUAGES.values()), codes.index(current), False)
        if not ok:
            return
        language = codes[list(translation.LANGUAGES.values()).index(name)]
        save_language(self.settings, language)
        if language != translation.current_language():
            QMessageBox.information(self, _("Interface language"), _(
                "fulfill will be in {language} the next time it starts. Documents keep "
                "choosing their languages by destination.").format(language=name))

    def show_first_run(self) -> None:
        """The first-run questions again (Help menu); the profile is read and the answers
        saved on the store worker."""
        from fulfill.ui.first_run import FirstRunWizard, save_answers

        def failed(error: BaseException) -> None:
            QMessageBox.warning(self, _("Seller profile"), _(
                "The seller profile could not be read or saved: {error}").format(error=error))

        def ask(profile) -> None:
            wizard = FirstRunWizard(self.settings, profile, self)
            wizard.language_chosen.connect(
                lambda language: save_language(self.settings, language))
            if wizard.exec() != FirstRunWizard.DialogCode.Accepted:
                return
            choice = wizard.choice()
            self.worker.submit(
                lambda store, _p, _c: save_answers(store, choice),
                lambda _none: self.statusBar().showMessage(_("Seller profile saved."), 8000),
                failed, owner=self)

        self.worker.submit(lambda store, _p, _c: store.settings.seller_profile(), ask, failed,
                           owner=self)

    def save_support_logs(self) -> None:
        """The logs, secrets masked, zipped where the seller chooses, to send to support."""
        name = f"fulfill-logs-{time.strftime('%Y%m%d-%H%M')}.zip"
        chosen, _filter = QFileDialog.getSaveFileName(self, _("Save logs for support"),
                                                      str(Path.home() / name), "Zip (*.zip)")
        if not chosen:
            return
        try:
            path = support_bundle(Path(chosen))
        except OSError as error:
            QMessageBox.warning(self, _("Save logs"), _(
                "{file} could not be written: {reason}. Choose another folder.").format(
                    file=chosen, reason=error.strerror or error))
            return
        self.statusBar().showMessage(
            _("Saved {file}: tokens and keys are masked in it.").format(file=path), 15000)

    # --- actions ---------------------------------------------------------------------
    def show_channels(self) -> None:
        self.channels.show()
        self.channels.raise_()
        self.channels.activateWindow()

    def import_orders(self) -> None:
        """Order sheets from marketplaces without an API (Gmarket, 11st, Naver Excel…)."""
        def imported(_result, summary: str) -> None:
            self.statusBar().showMessage(_("Imported: {summary}").format(summary=summary), 15000)
            self._reload_accounts()

        dialog = open_import_dialog(self, self.store_path, self.worker,
                                    paths.data_dir() / "import_mappings", imported)
        dialog.sourceAdded.connect(lambda _account: self._reload_accounts())

    def _reload_accounts(self) -> None:
        self._accounts = {a.id: a for a in AccountRepository(self._db).all()}
        self.model.set_channel_labels({a.id: a.short_label for a in self._accounts.values()})
        self.filters.set_choices(list(self._accounts.values()), countries_in_use(self._db), self.locale)
        self.refresh()

    def focus_search(self) -> None:
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    def clear_filters(self) -> None:
        self.filters.clear()
        self.statuses.blockSignals(True)
        self.statuses.select(None)
        self.statuses.blockSignals(False)
        self.refresh()

    # --- layout memory ---------------------------------------------------------------
    def _restore_layout(self) -> None:
        s = self.settings
        if isinstance(geometry := s.value("desk/geometry"), QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1360, 820)
        for key, widget in (("desk/side_split", self.side_split), ("desk/desk_split", self.desk_split)):
            if isinstance(state := s.value(key), QByteArray):
                widget.restoreState(state)
        if not isinstance(s.value("desk/side_split"), QByteArray):
            self.side_split.setSizes([190, 1170])
            self.desk_split.setSizes([800, 370])
        if isinstance(header := s.value("desk/table_header"), QByteArray):
            self.table.horizontalHeader().restoreState(header)
            section = self.table.horizontalHeader().sortIndicatorSection()
            order = self.table.horizontalHeader().sortIndicatorOrder()
            if 0 <= section < len(COLUMNS):
                self._sort = OrderSort(COLUMNS[section].key, order == Qt.SortOrder.DescendingOrder)

    def save_layout(self) -> None:
        s = self.settings
        s.setValue("desk/geometry", self.saveGeometry())
        s.setValue("desk/side_split", self.side_split.saveState())
        s.setValue("desk/desk_split", self.desk_split.saveState())
        s.setValue("desk/table_header", self.table.horizontalHeader().saveState())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.channels.close()
        for window in (self.products_window, self.papers_window, self.pack_window,
                       self.returns_window, self.exports_window):
            if window is not None:
                window.close()
        self.worker.close()
        stop_sandboxes()
        self._reader.close()
        self._db.close()
        super().closeEvent(event)
