"""The filter bar (search, channel, country, dates) and the status sidebar with counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import QDate, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPushButton, QStyle, QStyledItemDelegate, QWidget,
)

from fulfill.domain import ChannelAccount, OrderStatus
from fulfill.i18n import country_name
from fulfill.ui import labels
from fulfill.translation import _

SEARCH_DELAY_MS = 150  # long enough to skip a query per keystroke, short enough to feel instant

DATE_RANGES = [
    ("any", _("Any date")),
    ("today", _("Today")),
    ("7", _("Last 7 days")),
    ("30", _("Last 30 days")),
    ("90", _("Last 90 days")),
    ("custom", _("Custom range…")),
]


def local_day_start(day: date) -> datetime:
    """Midnight of a local calendar day, as an aware UTC time for the query."""
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(
            placeholderText=_("Search order, buyer, address, SKU or item   (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        self.channel = QComboBox()
        self.country = QComboBox()
        self.dates = QComboBox()
        for key, label in DATE_RANGES:
            self.dates.addItem(label, key)
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-30), calendarPopup=True)
        self.date_to = QDateEdit(today, calendarPopup=True)
        for edit in (self.date_from, self.date_to):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setVisible(False)
        self.problems_only = QCheckBox(_("Problems only"))
        self.problems_only.setToolTip(_("Orders the last sync could not read completely"))
        self.clear_button = QPushButton(_("Clear filters"))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.search, 3)
        for caption, widget in ((_("Channel"), self.channel), (_("Ship to"), self.country),
                                (_("Ordered"), self.dates)):
            label = QLabel(caption)
            label.setBuddy(widget)
            layout.addWidget(label)
            layout.addWidget(widget)
        layout.addWidget(self.date_from)
        layout.addWidget(self.date_to)
        layout.addWidget(self.problems_only)
        layout.addWidget(self.clear_button)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.changed)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._search_now)
        self.channel.currentIndexChanged.connect(self.changed)
        self.country.currentIndexChanged.connect(self.changed)
        self.dates.currentIndexChanged.connect(self._dates_changed)
        self.date_from.dateChanged.connect(self.changed)
        self.date_to.dateChanged.connect(self.changed)
        self.problems_only.toggled.connect(self.changed)
        self.clear_button.clicked.connect(self.clear)

    def set_choices(self, accounts: list[ChannelAccount], countries: list[str], locale: str | None) -> None:
        with _quiet(self.channel, self.country):
            self.channel.clear()
            self.channel.addItem(_("All channels"), None)
            for account in accounts:
                self.channel.addItem(account.display_name, account.id)
            self.country.clear()
            self.country.addItem(_("All countries"), None)
            named = sorted(countries, key=lambda c: country_name(c, locale))
            for code in named:
                self.country.addItem(f"{country_name(code, locale)} ({code})", code)

    def _search_now(self) -> None:
        self._search_timer.stop()
        self.changed.emit()

    def _dates_changed(self) -> None:
        custom = self.dates.currentData() == "custom"
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        self.changed.emit()

    def clear(self) -> None:
        with _quiet(self.search, self.channel, self.country, self.dates, self.problems_only):
            self.search.clear()
            self.problems_only.setChecked(False)
            self.channel.setCurrentIndex(0)
            self.country.setCurrentIndex(0)
            self.dates.setCurrentIndex(0)
        self._search_timer.stop()
        self._dates_changed()

    def date_range(self) -> tuple[datetime | None, datetime | None]:
        key = self.dates.currentData()
        today = date.today()
        if key == "today":
            return local_day_start(today), None
        if key in ("7", "30", "90"):
            return local_day_start(today - timedelta(days=int(key) - 1)), None
        if key == "custom":
            start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
            if end < start:
                start, end = end, start
            return local_day_start(start), local_day_start(end + timedelta(days=1))
        return None, None


COUNT_ROLE = Qt.ItemDataRole.UserRole + 1


class _CountDelegate(QStyledItemDelegate):
    """Draws each status with its count right-aligned and muted, like a mail client's folders."""

    def paint(self, painter, option, index) -> None:
        super().paint(painter, option, index)
        count = index.data(COUNT_ROLE)
        if count is None:
            return
        painter.save()
        selected = option.state & QStyle.StateFlag.State_Selected
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        painter.setPen(option.palette.color(role))
        rect = option.rect.adjusted(0, 0, -8, 0)
        painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{count:,}")
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + 56, hint.height() + 8)


class StatusList(QListWidget):
    """Left sidebar: All orders plus one entry per status, each with its count."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Order status"))
        self.setItemDelegate(_CountDelegate(self))
        self._labels: dict[OrderStatus | None, str] = {None: _("All orders")}
        self._labels.update({status: labels.order_status(status) for status in OrderStatus})
        for status, label in self._labels.items():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, status)
            self.addItem(item)
        self.setCurrentRow(0)
        self.currentRowChanged.connect(lambda _row: self.changed.emit())

    def selected(self) -> OrderStatus | None:
        item = self.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item else None
        return OrderStatus(value) if value else None  # Qt hands the enum back as a plain str

    def select(self, status: OrderStatus | None) -> None:
        self.setCurrentRow(list(self._labels).index(status))

    def set_counts(self, counts: dict[OrderStatus, int]) -> None:
        everything = sum(counts.values())
        for row, status in enumerate(self._labels):
            count = everything if status is None else counts.get(status, 0)
            self.item(row).setData(COUNT_ROLE, count)

    def count_of(self, status: OrderStatus | None) -> int | None:
        return self.item(list(self._labels).index(status)).data(COUNT_ROLE)


class _quiet:
    """Block the widgets' signals while they are refilled, so one change fires one query."""

    def __init__(self, *widgets: QWidget) -> None:
        self._widgets = widgets

    def __enter__(self) -> None:
        self._previous = [w.blockSignals(True) for w in self._widgets]

    def __exit__(self, *exc: object) -> None:
        for widget, previous in zip(self._widgets, self._previous, strict=True):
            widget.blockSignals(previous)
