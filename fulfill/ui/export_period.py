"""The period the export paperwork is for: a quarter (the VAT return's), a month, or any run
of days. Days are Korean calendar days: a parcel belongs to the day it shipped in Korea, so
the picker says so beside the dates it covers."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget,
)

from fulfill.domain.export_period import Period, kst_date
from fulfill.translation import N_, _

QUARTER, MONTH, DAYS = "quarter", "month", "days"
KINDS = ((QUARTER, N_("Quarter")), (MONTH, N_("Month")), (DAYS, N_("Date range")))


def today_in_korea() -> date:
    return kst_date(datetime.now(UTC))


def period_file_stem(period: Period) -> str:
    """A file-name-safe label: "2026Q3", "2026-07", "2026-07-01_2026-07-15"."""
    if period.quarter_number is not None or period == Period.month(period.start.year,
                                                                    period.start.month):
        return period.label
    return f"{period.start.isoformat()}_{period.last.isoformat()}"


def period_span_text(period: Period) -> str:
    """"2026-07-01 – 2026-09-30, Korean calendar days (KST)" and the VAT return it is for."""
    text = _("{first} – {last}, Korean calendar days (KST)").format(
        first=period.start.isoformat(), last=period.last.isoformat())
    if period.vat_term:
        text += " · " + _("VAT return {term}").format(term=period.vat_term)
    return text


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class PeriodPicker(QWidget):
    """[Quarter ▾] [2026] [Q3 ▾]  2026-07-01 – 2026-09-30, Korean calendar days  [Last quarter]"""

    changed = Signal(object)  # the Period now chosen

    def __init__(self, today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today or today_in_korea()
        self.kind = QComboBox()
        for key, words in KINDS:
            self.kind.addItem(_(words), key)
        self.year = QSpinBox()
        self.year.setRange(2014, self.today.year + 1)
        self.year.setValue(self.today.year)
        self.quarter = QComboBox()
        for q in range(1, 5):
            self.quarter.addItem(f"Q{q}", q)
        self.month = QComboBox()
        for m in range(1, 13):
            self.month.addItem(f"{m:02d}", m)
        self.first = QDateEdit(calendarPopup=True)
        self.last = QDateEdit(calendarPopup=True)
        for edit in (self.first, self.last):
            edit.setDisplayFormat("yyyy-MM-dd")
        self.days = QWidget()
        days_row = QHBoxLayout(self.days)
        days_row.setContentsMargins(0, 0, 0, 0)
        days_row.addWidget(self.first)
        days_row.addWidget(QLabel("–"))
        days_row.addWidget(self.last)
        self.span = QLabel()
        self.last_quarter_button = QPushButton(_("&Last quarter"))
        self.last_quarter_button.setToolTip(_("The quarter the next VAT return is for"))
        self.last_quarter_button.clicked.connect(
            lambda: self.set_period(Period.last_quarter(self.today)))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        # Translators: before the period pickers: "Period [Quarter] [2026] [Q3]".
        row.addWidget(QLabel(_("Period")))
        row.addWidget(self.kind)
        row.addWidget(self.year)
        row.addWidget(self.quarter)
        row.addWidget(self.month)
        row.addWidget(self.days)
        row.addWidget(self.span)
        row.addStretch(1)
        row.addWidget(self.last_quarter_button)
        self._period = Period.last_quarter(self.today)
        self._show(self._period)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for combo in (self.quarter, self.month):
            combo.currentIndexChanged.connect(self._edited)
        self.year.valueChanged.connect(self._edited)
        for edit in (self.first, self.last):
            edit.dateChanged.connect(self._edited)

    def period(self) -> Period:
        return self._period

    def set_period(self, period: Period, *, kind: str | None = None) -> None:
        """Show `period` (as `kind`, else the simplest kind that names it) and announce it."""
        if period != self._period:
            self._period = period
            self._show(period, kind)
            self.changed.emit(period)
        else:
            self.span.setText(period_span_text(period))

    def _show(self, period: Period, kind: str | None = None) -> None:
        """Put `period` in the fields without each field's change announcing a period."""
        widgets = (self.kind, self.year, self.quarter, self.month, self.first, self.last)
        for widget in widgets:
            widget.blockSignals(True)
        if kind is None:
            kind = (QUARTER if period.quarter_number is not None
                    else MONTH if period == Period.month(period.start.year, period.start.month)
                    else DAYS)
        if kind == QUARTER:
            self.quarter.setCurrentIndex((period.start.month - 1) // 3)
        elif kind == MONTH:
            self.month.setCurrentIndex(period.start.month - 1)
        self.year.setValue(period.start.year)
        self.first.setDate(_qdate(period.start))
        self.last.setDate(_qdate(period.last))
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self._show_fields(kind)
        for widget in widgets:
            widget.blockSignals(False)
        self.span.setText(period_span_text(period))

    def _show_fields(self, kind: str) -> None:
        """What each kind asks for: a year and a quarter, a year and a month, or two days."""
        self.year.setVisible(kind != DAYS)
        self.quarter.setVisible(kind == QUARTER)
        self.month.setVisible(kind == MONTH)
        self.days.setVisible(kind == DAYS)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self._show_fields(kind)
        if kind == MONTH:  # the first month of the quarter shown, and so on
            self.month.blockSignals(True)
            self.month.setCurrentIndex(self._period.start.month - 1)
            self.month.blockSignals(False)
        self._edited()

    def _edited(self) -> None:
        kind = self.kind.currentData()
        year = self.year.value()
        if kind == QUARTER:
            period = Period.quarter(year, self.quarter.currentData())
        elif kind == MONTH:
            period = Period.month(year, self.month.currentData())
        else:
            first, last = _day(self.first.date()), _day(self.last.date())
            if last < first:  # the seller is still typing; wait for a period that is one
                self.span.setText(_("The last day comes before the first."))
                return
            period = Period.days(first, last)
        self.set_period(period, kind=kind)
