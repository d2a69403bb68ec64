"""The right-hand side of Pack mode: the batch being packed (its pick list, packing slips,
progress and reprints), the fix-up list, and the station's figures for the day."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from fulfill.services import pack_reports, papers
from fulfill.translation import _
from fulfill.ui.pack_panels import BatchPanel, FixUpPanel
from fulfill.ui.store_worker import StoreWorker


class PackSide(QWidget):
    batch_changed = Signal(object)  # the chosen batch id, or None
    figures_changed = Signal(str)  # "Bench 1: Today: 12 packed · …"
    failed = Signal(object)  # an error to show on the banner

    def __init__(self, store_path: Path, worker: StoreWorker, settings: QSettings, station: str,
                 batch_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store_path, self.worker, self.settings = store_path, worker, settings
        self.station = station
        self.batch_id = batch_id
        self.batch_choice = QComboBox()
        self.batch_choice.activated.connect(self._batch_chosen)
        self.pick_list_button = QPushButton(_("Pick list…"))
        self.pick_list_button.clicked.connect(lambda: self._batch_papers("pick-list"))
        self.slips_button = QPushButton(_("Packing slips…"))
        self.slips_button.clicked.connect(lambda: self._batch_papers("packing-slip"))
        self.batch_panel = BatchPanel()
        self.batch_panel.list.itemDoubleClicked.connect(self._reprint_chosen)
        self.batch_panel.summary.setToolTip(_("Double-click an order to see and reprint its papers."))
        self.fix_up_panel = FixUpPanel()
        self.fix_up_panel.list.itemDoubleClicked.connect(self._fix_up_chosen)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pick_list_button)
        buttons.addWidget(self.slips_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.batch_choice)
        layout.addLayout(buttons)
        layout.addWidget(self.batch_panel, 3)
        layout.addWidget(self.fix_up_panel, 2)

    def refresh(self) -> None:
        batch_id, station = self.batch_id, self.station

        def job(store, _p, _c):
            progress = pack_reports.batch_progress(store, batch_id) if batch_id else None
            return (store.packing.batches(), progress, pack_reports.fix_ups(store),
                    pack_reports.station_figures(store, station=station))

        self.worker.submit(job, self._loaded, self.failed.emit, owner=self)

    def _loaded(self, result) -> None:
        batches, progress, fix_ups, figures = result
        self.batch_choice.blockSignals(True)
        self.batch_choice.clear()
        self.batch_choice.addItem(_("No batch — any order"), None)
        for batch_id, name, _created, _closed in batches:
            self.batch_choice.addItem(name, batch_id)
        self.batch_choice.setCurrentIndex(max(self.batch_choice.findData(self.batch_id), 0))
        self.batch_choice.blockSignals(False)
        self.batch_panel.show_progress(progress)
        self.pick_list_button.setEnabled(progress is not None)
        self.slips_button.setEnabled(progress is not None)
        self.fix_up_panel.show_fix_ups(fix_ups)
        self.figures_changed.emit(f"{self.station}: {figures.describe()}")

    def _batch_chosen(self, index: int) -> None:
        self.batch_id = self.batch_choice.itemData(index)
        self.refresh()
        self.batch_changed.emit(self.batch_id)

    def _papers_window(self, ids: list[int], kind: str, title: str) -> None:
        from fulfill.ui.papers_window import PapersWindow

        PapersWindow(self.store_path, self.worker, self.settings, ids, kind=kind, title=title,
                     parent=self).show()

    def _batch_papers(self, kind: str) -> None:
        """The pick list or packing slips of what is left to pack in the batch."""
        if self.batch_id is None:
            return
        batch_id, title = self.batch_id, self.batch_choice.currentText()
        self.worker.submit(lambda store, _p, _c: [
            o.order_id for o in pack_reports.batch_progress(store, batch_id).orders
            if o.state not in (pack_reports.SHIPPED, pack_reports.STOPPED)],
            lambda ids: self._papers_window(ids, kind, title), self.failed.emit, owner=self)

    def _reprint_chosen(self, item) -> None:
        """Reprint anything: the chosen order's papers in the preview, kind by kind."""
        self._papers_window([item.data(Qt.ItemDataRole.UserRole)], "label",
                            item.text().split()[0])

    def _fix_up_chosen(self, item) -> None:
        from fulfill.ui.missing_data_dialog import MissingDataDialog

        order_id = item.data(Qt.ItemDataRole.UserRole)

        def loaded(result) -> None:
            blocked, numbers = result
            if not blocked:
                self.refresh()
                return
            dialog = MissingDataDialog(self.worker, blocked, numbers, total_orders=1,
                                       action="pack", parent=self)
            dialog.finished.connect(lambda _r: self.refresh())
            dialog.open()

        self.worker.submit(lambda store, _p, _c: (
            papers.load_parcels(store, [order_id], strict=True, need_tracking=False)[1],
            papers.order_numbers(store, [order_id])), loaded, self.failed.emit, owner=self)
