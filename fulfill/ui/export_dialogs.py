"""The Export paperwork screen's dialogs: entering a customs rate, the preview of an imported
file (rates or declaration numbers) before anything is written, and a question with the
ways forward as buttons (a missing rate, orders to leave out).

Dialogs that write (a rate) do it on the store worker and stay open with the service's
refusal until the write succeeds, so a typo loses nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from html import escape
from pathlib import Path

from PySide6.QtCore import QDate, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QFrame, QGroupBox,
    QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from fulfill.domain.export_rates import RATE_DAYS, CustomsRate, customs_week, parse_rate
from fulfill.services import export_rates
from fulfill.services.export_files import RejectedRow
from fulfill.translation import N_, _, ngettext
from fulfill.ui.account_dialog import BAD_COLOUR, MUTED_COLOUR
from fulfill.ui.store_worker import StoreWorker, error_text
from fulfill.ui.tables import ReadOnlyTable

MISSING_TINT = "#fde8e6"
# What customs publishes: the export rate of each currency, weekly from Sunday.
RATE_SOURCE_HINT = N_(
    "The customs exchange rate (관세청 과세환율, export) is published every week and applies "
    "from Sunday to Saturday. Download it from UNI-PASS and import the file, or type it here.")


def muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {MUTED_COLOUR}")
    return label


def unit_words(unit: int) -> str:
    return _("per 100 units") if unit == 100 else _("per 1 unit")


def week_text(sunday: date) -> str:
    """"2026-07-05 – 07-11": the days a weekly rate from `sunday` covers."""
    last = sunday + timedelta(days=RATE_DAYS - 1)
    return f"{sunday.isoformat()} – {last:%m-%d}"


def ask_spreadsheet(parent: QWidget, settings: QSettings, title: str) -> Path | None:
    """A spreadsheet to import, chosen in the folder last opened from (else last saved to);
    None when the seller cancels."""
    folder = str(settings.value("exports/open_dir", "") or settings.value("exports/save_dir", "")
                 or Path.home())
    name, _filter = QFileDialog.getOpenFileName(
        parent, title, folder,
        _("Spreadsheets") + " (*.xlsx *.csv *.xls);;" + _("All files") + " (*)")
    if not name:
        return None
    settings.setValue("exports/open_dir", str(Path(name).parent))
    return Path(name)


def ask(parent: QWidget, title: str, text: str, choices: Sequence[tuple[str, Callable[[], None]]],
        *, details: str = "", icon: QMessageBox.Icon = QMessageBox.Icon.Warning) -> QMessageBox:
    """A question whose answers are the ways forward; Cancel does nothing. Opens without
    blocking (the screen keeps working behind it) and is kept as `parent.prompt`."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Cancel, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if details:
        box.setInformativeText(details)
    actions = {}
    for n, (words, action) in enumerate(choices):
        button = box.addButton(words, QMessageBox.ButtonRole.AcceptRole)
        actions[button] = action
        if n == 0:
            box.setDefaultButton(button)
    box.buttonClicked.connect(lambda button: actions[button]() if button in actions else None)
    parent.prompt = box
    box.destroyed.connect(lambda: getattr(parent, "prompt", None) is box
                          and setattr(parent, "prompt", None))
    box.open()
    return box


class RateEntryDialog(QDialog):
    """One customs rate: currency, the date it applies from, the rate and its unit."""

    saved = Signal(object)  # the CustomsRate written

    def __init__(self, worker: StoreWorker, *, currency: str = "", applies_from: date | None = None,
                 currencies: Sequence[str] = (), existing: CustomsRate | None = None,
                 reason: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.setWindowTitle(_("Customs exchange rate"))
        self.setMinimumWidth(520)
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for code in dict.fromkeys([currency, *currencies] if currency else currencies):
            self.currency.addItem(code)
        self.currency.setCurrentText(currency or (currencies[0] if currencies else "USD"))
        self.currency.lineEdit().setMaxLength(3)
        self.applies_from = QDateEdit(calendarPopup=True)
        self.applies_from.setDisplayFormat("yyyy-MM-dd")
        day = applies_from or customs_week(date.today())
        self.applies_from.setDate(QDate(day.year, day.month, day.day))
        self.covers = muted("")
        self.rate = QLineEdit(placeholderText="1385.20")
        self.unit = QComboBox()
        for unit in (1, 100):
            self.unit.addItem(unit_words(unit), unit)
        self.example = muted("")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {BAD_COLOUR}")
        self.error.setVisible(False)
        form = QFormLayout()
        form.addRow(_("Currency:"), self.currency)
        form.addRow(_("Applies from:"), self.applies_from)
        form.addRow("", self.covers)
        form.addRow(_("Rate in won:"), self.rate)
        form.addRow(_("Rate unit:"), self.unit)
        form.addRow("", self.example)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if reason:
            heading = QLabel(f"<b>{escape(reason)}</b>")
            heading.setWordWrap(True)
            layout.addWidget(heading)
        layout.addWidget(muted(_(RATE_SOURCE_HINT)))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._unit_chosen = existing is not None
        if existing is not None:
            self.rate.setText(str(existing.rate))
            self.unit.setCurrentIndex(self.unit.findData(existing.unit))
        else:
            self._default_unit()
        self.currency.currentTextChanged.connect(self._default_unit)
        self.unit.activated.connect(lambda _i: setattr(self, "_unit_chosen", True))
        for signal in (self.currency.currentTextChanged, self.rate.textChanged,
                       self.unit.currentIndexChanged, self.applies_from.dateChanged):
            signal.connect(self._explain)
        self._explain()
        self.rate.setFocus()

    def code(self) -> str:
        return self.currency.currentText().strip().upper()

    def day(self) -> date:
        value = self.applies_from.date()
        return date(value.year(), value.month(), value.day())

    def _default_unit(self) -> None:
        """JPY, VND and IDR are published per 100 units, unless the seller chose otherwise."""
        if not self._unit_chosen and len(self.code()) == 3:
            self.unit.setCurrentIndex(self.unit.findData(export_rates.default_unit(self.code())))

    def _explain(self) -> None:
        day = self.day()
        covers = _("Covers {days}.").format(days=week_text(day))
        if day.weekday() != 6:
            covers += " " + _("Customs rates start on a Sunday: the week of this day starts "
                              "on {sunday}.").format(sunday=customs_week(day).isoformat())
        self.covers.setText(covers)
        try:
            rate = parse_rate(self.rate.text())
        except ValueError:
            self.example.setText("")
            return
        unit = self.unit.currentData()
        self.example.setText(_("{unit} {currency} = {rate} won").format(
            unit=unit, currency=self.code() or "?", rate=f"{rate:,}"))

    def problem(self) -> str:
        """What stops the rate from being saved, in the seller's words, or ""."""
        if len(self.code()) != 3 or not self.code().isalpha():
            return _("Give the currency as its three-letter code, e.g. USD.")
        if not self.rate.text().strip():
            return _("Type the rate in won, e.g. 1385.20.")
        try:
            parse_rate(self.rate.text())
        except ValueError:
            return _("{text} is not a rate: type the won for one unit (or 100 units), e.g. "
                     "1385.20.").format(text=self.rate.text().strip())
        return ""

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def save(self) -> None:
        if problem := self.problem():
            self._show_error(problem)
            return
        code, day, text, unit = self.code(), self.day(), self.rate.text(), self.unit.currentData()
        self.buttons.setEnabled(False)

        def done(rate: CustomsRate) -> None:
            self.saved.emit(rate)
            self.accept()

        def failed(error: BaseException) -> None:
            self.buttons.setEnabled(True)
            self._show_error(error_text(error))

        self.worker.submit(lambda store, _p, _c: export_rates.enter_rate(store, code, day, text,
                                                                         unit),
                           done, failed, owner=self)


class FilePreviewDialog(QDialog):
    """What importing a file would write, row by row, and the rows it cannot use, with why.
    Accepting imports the rows listed; rejected rows are left out."""

    def __init__(self, title: str, summary: str, headers: list[str], widths: tuple[int, ...],
                 rows: list[list[str]], rejected: Sequence[RejectedRow],
                 skipped: Sequence[RejectedRow] = (), *, noun: Callable[[int], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumSize(820, 520)
        self.rejected = list(rejected)
        heading = QLabel(f"<b>{escape(summary)}</b>")
        heading.setWordWrap(True)
        self.table = ReadOnlyTable(headers, widths, stretch=len(headers) - 1)
        self.table.fill([[(cell, cell) for cell in row] for row in rows])
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 2)
        if not rows:
            layout.addWidget(muted(_("Nothing to write: the store already holds everything "
                                     "this file has that can be used.")))
        refused = [(row, _("Rejected"), row.reason) for row in self.rejected]
        refused += [(row, _("Skipped"), row.reason) for row in skipped]
        if refused:
            box = QGroupBox(ngettext("{n} row is not imported", "{n} rows are not imported",
                                     len(refused)).format(n=len(refused)))
            box_layout = QVBoxLayout(box)
            self.refused = ReadOnlyTable([_("Row"), _("Why"), _("Reason")], (60, 90, 400),
                                         stretch=2)
            self.refused.fill([[(str(row.row), ""), (kind, ""), (reason, reason)]
                               for row, kind, reason in refused], right=(0,))
            box_layout.addWidget(self.refused)
            if self.rejected:
                box_layout.addWidget(muted(_("Rejected rows are left out; correct them in the "
                                             "file and import it again to add them.")))
            layout.addWidget(box, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton(noun(len(rows)))
        self.import_button.setEnabled(bool(rows))
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)


class MissingRatesBar(QFrame):
    """"No USD rate for the week from 2026-07-05 …  [Enter the USD rate…]": a missing rate is
    never a dead end. Hidden while every rate is there."""

    enterRate = Signal(str, object)  # currency, the Sunday of the customs week

    def __init__(self, sentence: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sentence = sentence  # translated, with {weeks}: what the rates are needed for
        self.missing: list[tuple[str, date]] = []
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(f"MissingRatesBar {{ background: {MISSING_TINT}; }}")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.button = QPushButton()
        self.button.clicked.connect(self._enter_first)
        row = QHBoxLayout(self)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.setVisible(False)

    def show_missing(self, missing: Sequence[tuple[str, date]]) -> None:
        self.missing = list(missing)
        self.setVisible(bool(self.missing))
        if not self.missing:
            return
        weeks = ", ".join(_("{currency} for the week from {sunday}").format(
            currency=currency, sunday=sunday.isoformat()) for currency, sunday in self.missing[:4])
        if len(self.missing) > 4:
            weeks += " " + _("and {n} more").format(n=len(self.missing) - 4)
        self.label.setText(self.sentence.format(weeks=weeks))
        currency, sunday = self.missing[0]
        self.button.setText(_("Enter the {currency} rate from {sunday}…").format(
            currency=currency, sunday=sunday.isoformat()))

    def _enter_first(self) -> None:
        if self.missing:
            self.enterRate.emit(*self.missing[0])
