"""Where the exports went: the period's export figures by destination country, channel, HS
chapter or month, in won or in one order currency, as a bar chart (QtCharts) beside the
table of every row. Months are drawn in order, upright; the others as horizontal bars,
largest first. The figures come from services.export_figures; the window loads them."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from fulfill.domain.export_rates import KRW
from fulfill.i18n import format_money
from fulfill.services.export_figures import ExportFigures, FigureKey, FigureRow
from fulfill.translation import N_, _, ngettext
from fulfill.ui import charts
from fulfill.ui.export_dialogs import MissingRatesBar, muted
from fulfill.ui.tables import ReadOnlyTable

GROUPS = ((FigureKey.COUNTRY, N_("Destination country")), (FigureKey.CHANNEL, N_("Channel")),
          (FigureKey.HS_CHAPTER, N_("HS chapter")), (FigureKey.MONTH, N_("Month")))
ORDERS = "orders"
MOST_BARS = 15  # the rest are one "Others" bar; the table lists them all
_LABEL_CHARS = 34


class FiguresPanel(QWidget):
    """Group and measure pickers, the chart, the table and Export CSV…"""

    exportFigures = Signal()
    enterRate = Signal(str, object)

    def __init__(self, locale: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.locale = locale
        self.figures: ExportFigures | None = None
        self.group = QComboBox()
        for key, words in GROUPS:
            self.group.addItem(_(words), key)
        self.measure = QComboBox()
        self.measure.setMinimumContentsLength(12)
        self.group.currentIndexChanged.connect(self.redraw)
        self.measure.currentIndexChanged.connect(self.redraw)
        self.export_button = QPushButton(_("&Export CSV…"))
        self.export_button.setToolTip(_("Every grouping in one file, in won and in each order "
                                        "currency"))
        self.export_button.clicked.connect(self.exportFigures)
        pickers = QHBoxLayout()
        # Translators: "Exports by [Destination country] in [Won (FOB)]".
        pickers.addWidget(QLabel(_("Exports by")))
        pickers.addWidget(self.group)
        # Translators: "Exports by [Destination country] in [Won (FOB)]".
        pickers.addWidget(QLabel(_("in")))
        pickers.addWidget(self.measure)
        pickers.addStretch(1)
        pickers.addWidget(self.export_button)
        self.rates_bar = MissingRatesBar(_("Orders without a customs rate are counted in their "
                                           "currency but not in won; enter: {weeks}."))
        self.rates_bar.enterRate.connect(self.enterRate)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.chart, self.view = charts.bar_chart()
        self.view.setMinimumWidth(420)
        self.table = ReadOnlyTable([_("Name"), _("Orders"), _("Won (FOB)"),
                                    _("In order currencies")], (180, 60, 120, 220), stretch=3)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.view)
        split.addWidget(self.table)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([780, 560])
        layout = QVBoxLayout(self)
        layout.addLayout(pickers)
        layout.addWidget(self.rates_bar)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(muted(_("FOB values of the orders that left Korea in the period, by "
                                 "the Korean day their first parcel shipped. By HS chapter an "
                                 "order counts once in each chapter of its goods.")))

    def show_figures(self, figures: ExportFigures) -> None:
        self.figures = figures
        chosen = self.measure.currentData()
        self.measure.blockSignals(True)
        self.measure.clear()
        self.measure.addItem(_("Won (FOB)"), KRW)
        for currency in figures.currencies:
            if currency != KRW:
                self.measure.addItem(currency, currency)
        self.measure.addItem(_("Orders"), ORDERS)
        self.measure.setCurrentIndex(max(0, self.measure.findData(chosen)))
        self.measure.blockSignals(False)
        self.rates_bar.show_missing(figures.missing_rates)
        total = figures.total
        self.export_button.setEnabled(total.orders > 0)
        text = ngettext("{n} order left Korea: {won} FOB.", "{n} orders left Korea: {won} FOB.",
                        total.orders).format(n=f"{total.orders:,}",
                                             won=format_money(total.krw, self.locale))
        if total.unconverted:
            text += " " + ngettext("{n} order has no customs rate yet and is not in the won.",
                                   "{n} orders have no customs rate yet and are not in the won.",
                                   total.unconverted).format(n=total.unconverted)
        self.summary.setText(text)
        self.redraw()

    def rows(self) -> list[FigureRow]:
        if self.figures is None:
            return []
        return self.figures.groups[self.group.currentData()]

    def value(self, row: FigureRow) -> Decimal:
        measure = self.measure.currentData()
        if measure == ORDERS:
            return Decimal(row.orders)
        if measure == KRW:
            return row.krw.to_decimal()
        amount = row.by_currency.get(measure)
        return amount.to_decimal() if amount is not None else Decimal(0)

    def redraw(self) -> None:
        rows = self.rows()
        self.table.fill([[
            (row.label, row.label), (f"{row.orders:,}", ""),
            (format_money(row.krw, self.locale)
             + (" *" if row.unconverted else ""),
             ngettext("{n} without a customs rate", "{n} without a customs rate",
                      row.unconverted).format(n=row.unconverted) if row.unconverted else ""),
            (self._currencies(row), self._currencies(row))] for row in rows], right=(1, 2))
        self._draw(rows)

    def _currencies(self, row: FigureRow) -> str:
        return " · ".join(format_money(amount, self.locale)
                          for _currency, amount in sorted(row.by_currency.items()))

    def _draw(self, rows: list[FigureRow]) -> None:
        charts.clear(self.chart)
        months = self.group.currentData() is FigureKey.MONTH
        if not months:  # largest first, the tail as one bar
            rows = sorted(rows, key=self.value, reverse=True)
        bars = [(row.label, self.value(row)) for row in rows[:MOST_BARS]]
        rest = rows[MOST_BARS:]
        if rest:
            bars.append((_("{n} others").format(n=len(rest)),
                         sum((self.value(row) for row in rest), Decimal(0))))
        self.bar_labels: list[str] = []  # as drawn, first category first
        if not bars:
            self.chart.setTitle(_("No exports in this period."))
            return
        self.chart.setTitle("")
        scale, unit = self._scale(max(value for _label, value in bars))
        if not months:
            bars = list(reversed(bars))  # a horizontal chart draws its first category lowest
        self.bar_labels = [label for label, _value in bars]
        bar_set = QBarSet(self.measure.currentText())
        bar_set.setColor(QColor(charts.BAR_COLOUR))
        places = 2 if self.measure.currentData() not in (KRW, ORDERS) else 0
        plotted = [float(round(value / scale, places)) for _label, value in bars]
        bar_set.append(plotted)
        series = QBarSeries() if months else QHorizontalBarSeries()
        series.append(bar_set)
        series.setLabelsVisible(True)
        series.setLabelsPrecision(6)
        self.chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([charts.shorten(label, _LABEL_CHARS) for label, _value in bars])
        values = QValueAxis()
        values.setLabelFormat("%.0f" if max(plotted) >= 10 else "%.1f")
        values.setRange(0, max(plotted) * 1.1 or 1)
        values.applyNiceNumbers()
        if unit:
            values.setTitleText(unit)
        self.chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom if months
                           else Qt.AlignmentFlag.AlignLeft)
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignLeft if months
                           else Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values)
        self.bar_values = plotted

    def _scale(self, largest: Decimal) -> tuple[Decimal, str]:
        """Won run to millions: the axis counts thousands of won then, and says so."""
        measure = self.measure.currentData()
        if measure == KRW and largest >= 100_000:
            return Decimal(1000), _("thousand won")
        if measure not in (KRW, ORDERS):
            return Decimal(1), measure
        return Decimal(1), ""
