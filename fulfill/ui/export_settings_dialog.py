"""The export paperwork's settings: which day picks a parcel's exchange rate, what the FOB
value holds, and the dated simplified-declaration limits.

These are settings, not rules written into fulfill, because the reference could not confirm
them (customs-labels.md §6): the dialog says so, and says that the UNI-PASS upload template
is unverified too. Saving runs on the store worker; a refusal keeps the dialog open."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup, QDateEdit, QDialog, QDialogButtonBox, QFrame, QGridLayout, QGroupBox,
    QHBoxLayout, QLabel, QPushButton, QRadioButton, QScrollArea, QSpinBox, QVBoxLayout, QWidget,
)

from fulfill.domain.export_declaration import (
    DEFAULT_LIMITS, DatedLimit, ExportSettings, FobBasis, RateDate,
)
from fulfill.services import export_lines
from fulfill.translation import N_, _
from fulfill.ui.account_dialog import BAD_COLOUR
from fulfill.ui.export_dialogs import muted
from fulfill.ui.store_worker import StoreWorker, error_text

NOTE_TINT = "#fff6d6"
UNVERIFIED_NOTE = N_(
    "Unverified rules. Which day's rate applies, what the FOB value includes and the "
    "simplified-declaration limit could not be confirmed from customs' published rules, so "
    "they are settings with the usual defaults rather than fixed: check them with your "
    "customs broker or tax accountant. The UNI-PASS upload template is not public either: "
    "the batch file names its columns so you can copy them into it.")
# Short choices (a radio button does not wrap); the group's note explains them.
RATE_DATES = ((RateDate.SHIP_DATE, N_("Shipping date")),
              (RateDate.DECLARATION_DATE, N_("Declaration date")))
FOB_BASES = ((FobBasis.GOODS, N_("Goods only")), (FobBasis.GOODS_AND_SHIPPING,
                                                  N_("Goods and postage")))


def unverified_note() -> QLabel:
    """The note every place that shows these rules carries."""
    label = QLabel(_(UNVERIFIED_NOTE))
    label.setWordWrap(True)
    label.setFrameShape(QFrame.Shape.StyledPanel)
    label.setStyleSheet(f"background: {NOTE_TINT}; padding: 6px;")
    return label


class ExportSettingsDialog(QDialog):
    saved = Signal(object)  # the ExportSettings written

    def __init__(self, worker: StoreWorker, settings: ExportSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.setWindowTitle(_("Export paperwork settings"))
        self.setMinimumWidth(600)
        rate_box, self.rate_dates = self._choices(
            _("Exchange rate"), _("Each export converts at the customs rate of the week of "
                                  "its shipping date (the Korean day it left), or of its "
                                  "declaration's acceptance date when you entered one."),
            RATE_DATES, settings.rate_date)
        fob_box, self.fob_bases = self._choices(
            _("FOB value"), _("FOB is the goods' value as the invoice and CN 23 declare it. "
                              "Postage the buyer paid is freight beyond loading in Korea, so "
                              "it is left out by default."),
            FOB_BASES, settings.fob_basis)
        limits_box = QGroupBox(_("Simplified export declaration limit (FOB in won)"))
        limits_layout = QVBoxLayout(limits_box)
        limits_layout.addWidget(muted(_("Orders worth more than the limit in force on their "
                                        "rate date need a regular export declaration; a value "
                                        "equal to the limit is within it. 4,000,000 won since "
                                        "2024-08-01.")))
        self.limits_grid = QGridLayout()
        self.limits_grid.addWidget(QLabel(_("From")), 0, 0)
        self.limits_grid.addWidget(QLabel(_("Limit in won")), 0, 1)
        self.limits_grid.setColumnStretch(3, 1)  # the rows keep their widths, space goes right
        limits_layout.addLayout(self.limits_grid)
        self.limit_rows: list[tuple[QDateEdit, QSpinBox, QPushButton]] = []
        for limit in settings.limits:
            self.add_limit(limit)
        add = QPushButton(_("&Add a limit"))
        add.clicked.connect(lambda: self.add_limit(DatedLimit(date.today(), 4_000_000)))
        defaults = QPushButton(_("Restore the &defaults"))
        defaults.clicked.connect(self.restore_defaults)
        limit_buttons = QHBoxLayout()
        limit_buttons.addWidget(add)
        limit_buttons.addWidget(defaults)
        limit_buttons.addStretch(1)
        limits_layout.addLayout(limit_buttons)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {BAD_COLOUR}")
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(unverified_note())
        body_layout.addWidget(rate_box)
        body_layout.addWidget(fob_box)
        body_layout.addWidget(limits_box)
        body_layout.addWidget(self.error)
        body_layout.addStretch(1)
        # On a short screen (a laptop at 150 %) the settings scroll rather than squeeze.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.body = body
        screen = self.screen().availableGeometry()
        self.resize(720, min(body.sizeHint().height() + 50, int(screen.height() * 0.9)))

    def _choices(self, title: str, note: str, choices, current) -> tuple[QGroupBox, QButtonGroup]:
        """A group of one-line radio buttons under its explaining note."""
        box, group = QGroupBox(title), QButtonGroup(self)
        layout, row = QVBoxLayout(box), QHBoxLayout()
        layout.addWidget(muted(note))
        for n, (value, words) in enumerate(choices):
            button = QRadioButton(_(words))
            button.setChecked(value is current)
            group.addButton(button, n)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return box, group

    def add_limit(self, limit: DatedLimit) -> None:
        since = QDateEdit(calendarPopup=True)
        since.setDisplayFormat("yyyy-MM-dd")
        since.setDate(QDate(limit.since.year, limit.since.month, limit.since.day))
        won = QSpinBox()
        won.setRange(1, 2_000_000_000)
        won.setGroupSeparatorShown(True)
        won.setSingleStep(100_000)
        won.setValue(limit.krw)
        won.setAlignment(Qt.AlignmentFlag.AlignRight)
        remove = QPushButton(_("Remove"))
        row = (since, won, remove)
        remove.clicked.connect(lambda: self.remove_limit(row))
        self.limit_rows.append(row)
        at = self.limits_grid.rowCount()
        for column, widget in enumerate(row):
            self.limits_grid.addWidget(widget, at, column)

    def remove_limit(self, row: tuple[QDateEdit, QSpinBox, QPushButton]) -> None:
        self.limit_rows.remove(row)
        for widget in row:
            self.limits_grid.removeWidget(widget)
            widget.deleteLater()

    def restore_defaults(self) -> None:
        for row in list(self.limit_rows):
            self.remove_limit(row)
        for limit in DEFAULT_LIMITS:
            self.add_limit(limit)
        self.rate_dates.button(0).setChecked(True)
        self.fob_bases.button(0).setChecked(True)

    def settings(self) -> ExportSettings:
        limits = []
        for since, won, _remove in self.limit_rows:
            day = since.date()
            limits.append(DatedLimit(date(day.year(), day.month(), day.day()), won.value()))
        return ExportSettings(RATE_DATES[max(0, self.rate_dates.checkedId())][0],
                              FOB_BASES[max(0, self.fob_bases.checkedId())][0],
                              tuple(sorted(limits, key=lambda x: x.since)))

    def save(self) -> None:
        chosen = self.settings()
        if not chosen.limits:
            self._show_error(_("Keep at least one limit: without one every order would need "
                               "a regular declaration."))
            return
        self.buttons.setEnabled(False)

        def done(_result) -> None:
            self.saved.emit(chosen)
            self.accept()

        def failed(error: BaseException) -> None:
            self.buttons.setEnabled(True)
            self._show_error(error_text(error))

        self.worker.submit(lambda store, _p, _c: export_lines.save_settings(store, chosen),
                           done, failed, owner=self)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
