"""The Customs rates tab: the weekly customs exchange rates by currency and week (the date
each applies from, the rate, per 1 or per 100 units, where it came from), with Enter,
Change, Delete and Import rate file… (a preview of what the file adds, replaces and cannot
use before anything is written)."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from fulfill.domain.export_period import Period
from fulfill.domain.export_rates import RATE_DAYS, CustomsRate, customs_week
from fulfill.services import export_rates
from fulfill.services.export_rates import RatePreview
from fulfill.translation import N_, _, ngettext
from fulfill.ui.account_dialog import BAD_COLOUR, OK_COLOUR
from fulfill.ui.export_dialogs import (
    RATE_SOURCE_HINT, FilePreviewDialog, MissingRatesBar, ask_spreadsheet, muted, unit_words,
)
from fulfill.ui.store_worker import StoreWorker, error_text
from fulfill.ui.tables import ReadOnlyTable

COLUMNS = [N_("Currency"), N_("Applies from"), N_("Until"), N_("Rate"), N_("Rate unit"),
           N_("Won per unit"), N_("Source")]
SOURCES = {"entered": N_("entered"), "demo": N_("demo")}


def source_words(source: str) -> str:
    return _(SOURCES[source]) if source in SOURCES else source


class RatesPanel(QWidget):
    enterRate = Signal(str, object)  # currency and week to enter ("" and None: any)
    editRate = Signal(object)  # the CustomsRate to change
    changed = Signal()  # rates were deleted or imported

    def __init__(self, worker: StoreWorker, settings: QSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker, self.settings = worker, settings
        self.rates: list[CustomsRate] = []
        self.shown: list[CustomsRate] = []
        self.period: Period | None = None
        self.rates_bar = MissingRatesBar(_("The period's exports need these rates: {weeks}."))
        self.rates_bar.enterRate.connect(self.enterRate)
        self.currency = QComboBox()
        self.currency.addItem(_("All currencies"), "")
        self.currency.currentIndexChanged.connect(self._fill)
        self.period_only = QCheckBox(_("Weeks of the period only"))
        self.period_only.setChecked(True)
        self.period_only.toggled.connect(self._fill)
        self.count = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("Show")))
        filters.addWidget(self.currency)
        filters.addWidget(self.period_only)
        filters.addWidget(self.count, 1)
        self.table = ReadOnlyTable([_(words) for words in COLUMNS],
                                   (80, 110, 110, 110, 120, 120, 200), stretch=6)
        self.table.doubleClicked.connect(lambda _index: self._edit())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.enter_button = QPushButton(_("&Enter a rate…"))
        self.enter_button.clicked.connect(lambda: self.enterRate.emit(self.currency.currentData()
                                                                      or "", None))
        self.edit_button = QPushButton(_("C&hange…"))
        self.edit_button.clicked.connect(self._edit)
        self.delete_button = QPushButton(_("&Delete"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button = QPushButton(_("&Import rate file…"))
        self.import_button.setToolTip(_("The customs rate file (CSV or XLSX) downloaded from "
                                        "UNI-PASS; a preview comes first"))
        self.import_button.clicked.connect(self.choose_file)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.enter_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rates_bar)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        layout.addWidget(muted(_(RATE_SOURCE_HINT)))
        self._update_buttons()

    def show_rates(self, rates: list[CustomsRate], period: Period,
                   missing: list[tuple[str, date]]) -> None:
        self.rates, self.period = rates, period
        self.rates_bar.show_missing(missing)
        codes = sorted({rate.currency for rate in rates})
        chosen = self.currency.currentData()
        if [self.currency.itemData(i) for i in range(1, self.currency.count())] != codes:
            self.currency.blockSignals(True)
            self.currency.clear()
            self.currency.addItem(_("All currencies"), "")
            for code in codes:
                self.currency.addItem(code, code)
            self.currency.setCurrentIndex(max(0, self.currency.findData(chosen)))
            self.currency.blockSignals(False)
        self._fill()

    def _fill(self) -> None:
        code = self.currency.currentData()
        first = customs_week(self.period.start) if self.period else None
        shown = [rate for rate in self.rates if (not code or rate.currency == code) and (
            not self.period_only.isChecked() or self.period is None
            or first <= rate.applies_from <= self.period.last)]
        self.shown = sorted(shown, key=lambda r: (r.applies_from, r.currency), reverse=True)
        self.table.fill([[
            (rate.currency, ""), (rate.applies_from.isoformat(), ""),
            ((rate.applies_from + timedelta(days=RATE_DAYS - 1)).isoformat(), ""),
            (f"{rate.rate:,}", ""), (unit_words(rate.unit), ""),
            (f"{rate.per_unit.normalize():,f}", ""),
            (source_words(rate.source), rate.entered_at.isoformat(" ", "minutes")
             if rate.entered_at else "")] for rate in self.shown], right=(3, 5))
        self.count.setText(ngettext("{n} rate", "{n} rates", len(self.shown)).format(
            n=f"{len(self.shown):,}"))
        self._update_buttons()

    def selected(self) -> CustomsRate | None:
        rows = self.table.selectionModel().selectedRows()
        return self.shown[rows[0].row()] if rows and rows[0].row() < len(self.shown) else None

    def select(self, currency: str, applies_from: date) -> bool:
        for row, rate in enumerate(self.shown):
            if (rate.currency, rate.applies_from) == (currency, applies_from):
                self.table.selectRow(row)
                return True
        return False

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def _say(self, text: str, colour: str = "") -> None:
        self.status.setText(f"<span style='color:{colour}'>{escape(text)}</span>" if colour
                            else escape(text))

    def _edit(self) -> None:
        if (rate := self.selected()) is not None:
            self.editRate.emit(rate)

    def delete_selected(self) -> None:
        rate = self.selected()
        if rate is None:
            return
        answer = QMessageBox.question(
            self, _("Delete the rate"), _("Delete the {currency} rate from {day} ({rate} won {unit})?"
                                          " Exports of that week have no rate until one is "
                                          "entered again.").format(
                currency=rate.currency, day=rate.applies_from.isoformat(), rate=rate.rate,
                unit=unit_words(rate.unit)))
        if answer != QMessageBox.StandardButton.Yes:
            return

        def done(_deleted) -> None:
            self._say(_("Deleted the {currency} rate from {day}.").format(
                currency=rate.currency, day=rate.applies_from.isoformat()))
            self.changed.emit()

        self.worker.submit(lambda store, _p, _c: export_rates.delete_rate(
            store, rate.currency, rate.applies_from), done, self._failed, owner=self)

    # --- importing a file ----------------------------------------------------------------
    def choose_file(self) -> None:
        if path := ask_spreadsheet(self, self.settings, _("Import a customs rate file")):
            self.import_file(path)

    def import_file(self, path: Path) -> None:
        self._say(_("Reading {file}…").format(file=path.name))
        self.worker.submit(lambda store, _p, _c: export_rates.preview_rate_file(store, path),
                           self._preview, self._failed, owner=self)

    def _preview(self, preview: RatePreview) -> None:
        self._say("")
        rows = [[str(row.row), row.rate.currency, row.rate.applies_from.isoformat(),
                 f"{row.rate.rate:,}", unit_words(row.rate.unit),
                 _("replaces {rate} ({unit})").format(rate=row.replaces.rate,
                                                       unit=unit_words(row.replaces.unit))
                 if row.replaces else _("new")] for row in preview.rows]
        added = sum(1 for row in preview.rows if row.replaces is None)
        summary = _("{file}: {added} new, {replaced} changed, {unchanged} already in the store, "
                    "{rejected} rejected.").format(
            file=preview.file, added=added, replaced=len(preview.rows) - added,
            unchanged=preview.unchanged, rejected=len(preview.rejected))
        self.preview_dialog = FilePreviewDialog(
            _("Import customs rates"), summary,
            [_("Row"), _("Currency"), _("Applies from"), _("Rate"), _("Rate unit"), _("Change")],
            (50, 80, 110, 110, 120, 200), rows, preview.rejected, preview.skipped,
            noun=lambda n: ngettext("&Import {n} rate", "&Import {n} rates", n).format(n=n),
            parent=self)
        self.preview_dialog.accepted.connect(lambda: self._import(preview))
        self.preview_dialog.open()

    def _import(self, preview: RatePreview) -> None:
        def done(result) -> None:
            self._say(_("Imported {file}: {added} added, {replaced} replaced, {unchanged} "
                        "unchanged.").format(file=preview.file, added=result.added,
                                             replaced=result.replaced,
                                             unchanged=result.unchanged), OK_COLOUR)
            self.changed.emit()

        self.worker.submit(lambda store, _p, _c: export_rates.import_rates(
            store, preview, skip_rejected=True), done, self._failed, owner=self)

    def _failed(self, error: BaseException) -> None:
        self._say(error_text(error), BAD_COLOUR)
        QMessageBox.warning(self, _("Customs rates"), error_text(error, "\n\n"))
