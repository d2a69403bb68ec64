"""What the app's bar charts (QtCharts) share: one colour, a still chart in an antialiased view,
clearing it before it is drawn again, and category labels cut to fit."""

from __future__ import annotations

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtGui import QPainter

BAR_COLOUR = "#3d6fb6"


def bar_chart() -> tuple[QChart, QChartView]:
    """A chart without legend or animation, and the view that shows it."""
    chart = QChart()
    chart.legend().setVisible(False)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    return chart, view


def clear(chart: QChart) -> None:
    """Remove every series and axis, to draw anew."""
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)


def shorten(text: str, most: int) -> str:
    """`text` cut with an ellipsis to at most `most` characters."""
    return text if len(text) <= most else text[:most - 1] + "…"
