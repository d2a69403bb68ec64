"""Which products come back, and why, and from where: a horizontal bar chart (QtCharts) of the
return rate by product, reason or destination country, over a chosen period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from fulfill.domain.returns import ReturnReason
from fulfill.i18n import country_name
from fulfill.services.return_desk import RATE_GROUPS, RateRow
from fulfill.translation import N_, _, ngettext
from fulfill.ui import charts, labels

PERIODS = ((N_("Last 30 days"), 30), (N_("Last 90 days"), 90), (N_("Last 12 months"), 365),
           (N_("All time"), 0))
# RATE_GROUPS' words, for the catalogue: "Return rate by [Product]".
_GROUP_WORDS = {"product": N_("Product"), "reason": N_("Reason"),
                "country": N_("Destination country")}
_LABEL_CHARS = 38  # longer product names are cut with an ellipsis; the tooltip has them whole


class ReturnRatesChart(QWidget):
    """Group and period pickers over the chart; the window loads the rows (off the UI
    thread) when either changes, via `wanted`, and hands them to show_rates."""

    def __init__(self, locale: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.locale = locale
        self.group = QComboBox()
        for key, words in RATE_GROUPS.items():
            self.group.addItem(_(_GROUP_WORDS.get(key, words)), key)
        self.period = QComboBox()
        for words, days in PERIODS:
            self.period.addItem(_(words), days)
        self.period.setCurrentIndex(1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.chart, self.view = charts.bar_chart()
        pickers = QHBoxLayout()
        # Translators: "Return rate by [Product] orders placed [Last 90 days]".
        pickers.addWidget(QLabel(_("Return rate by")))
        pickers.addWidget(self.group)
        # Translators: "Return rate by [Product] orders placed [Last 90 days]".
        pickers.addWidget(QLabel(_("orders placed")))
        pickers.addWidget(self.period)
        pickers.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(pickers)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        self.rows: list[RateRow] = []

    def chosen(self) -> tuple[str, datetime | None]:
        days = self.period.currentData()
        since = datetime.now(UTC) - timedelta(days=days) if days else None
        return self.group.currentData(), since

    def _label(self, row: RateRow) -> str:
        group = self.group.currentData()
        if group == "country":
            return f"{country_name(row.key, self.locale)} ({row.key})"
        if group == "reason" and row.key in {reason.value for reason in ReturnReason}:
            return labels.return_reason(row.key)
        return row.label

    def show_rates(self, rows: list[RateRow]) -> None:
        self.rows = rows
        charts.clear(self.chart)
        group = self.group.currentText().lower()
        if not rows:
            self.summary.setText(_("No returns in this period, so no return rate by {group}.")
                                 .format(group=group))
            return
        pieces = self.group.currentData() == "product"
        worst = rows[0]
        if pieces:
            highest = ngettext("Highest: {name} — {returned} of {shipped} piece came back "
                               "({rate}).", "Highest: {name} — {returned} of {shipped} pieces "
                               "came back ({rate}).", worst.shipped)
        else:
            highest = ngettext("Highest: {name} — {returned} of {shipped} order came back "
                               "({rate}).", "Highest: {name} — {returned} of {shipped} orders "
                               "came back ({rate}).", worst.shipped)
        highest = highest.format(name=self._label(worst), returned=f"{worst.returned:,}",
                                 shipped=f"{worst.shipped:,}", rate=f"{worst.rate:.1%}")
        self.summary.setText(highest + " " + _("Rejected requests are not counted."))
        ordered = list(reversed(rows))  # a horizontal chart draws its first category lowest
        bars = QBarSet(_("Return rate"))
        bars.setColor(QColor(charts.BAR_COLOUR))
        bars.append([row.rate * 100 for row in ordered])
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value %")
        series.setLabelsPrecision(3)
        self.chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([charts.shorten(self._label(row), _LABEL_CHARS) for row in ordered])
        values = QValueAxis()
        values.setLabelFormat("%.1f %%")
        values.setRange(0, max(row.rate for row in rows) * 100 * 1.25 or 1)
        values.setTickCount(6)
        self.chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values)
        self.view.setToolTip("\n".join(self._tip(row, pieces) for row in rows))

    def _tip(self, row: RateRow, pieces: bool) -> str:
        if pieces:
            words = ngettext("{name}: {returned} of {shipped} piece ({rate})",
                             "{name}: {returned} of {shipped} pieces ({rate})", row.shipped)
        else:
            words = ngettext("{name}: {returned} of {shipped} order ({rate})",
                             "{name}: {returned} of {shipped} orders ({rate})", row.shipped)
        return words.format(name=self._label(row), returned=f"{row.returned:,}",
                            shipped=f"{row.shipped:,}", rate=f"{row.rate:.1%}")
