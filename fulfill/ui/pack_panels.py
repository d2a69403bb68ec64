"""The parts of the Pack mode window: the banner a packer reads from a step away, the parcel's
lines, the batch's progress and the fix-up list."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QHeaderView, QLabel, QListWidget, QListWidgetItem, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from fulfill.services.pack_reports import BatchProgress, FixUp
from fulfill.services.packing import PackSession
from fulfill.translation import _

# Banner moods: (background, text colour).
MOODS = {
    "ready": ("#eef1f5", "#1d2430"),
    "good": ("#d8f3dc", "#0b4d1f"),
    "wrong": ("#ffd6d6", "#8a0010"),
    "stop": ("#c8102e", "#ffffff"),
    "aside": ("#fff1c2", "#5c4300"),
    "done": ("#2d7d46", "#ffffff"),
    "busy": ("#e3ecff", "#17336b"),
}


class Banner(QFrame):
    """One large line and a smaller one under it, coloured by mood. A stop flashes until
    the next scan, so nobody misses it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.headline = QLabel()
        self.detail = QLabel()
        for label in (self.headline, self.detail):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.headline.setFont(font)
        small = QFont(self.font())
        small.setPointSizeF(small.pointSizeF() * 1.15)
        self.detail.setFont(small)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.addWidget(self.headline)
        layout.addWidget(self.detail)
        self.mood = "ready"
        self._flash = QTimer(self)
        self._flash.setInterval(350)
        self._flash.timeout.connect(self._toggle)
        self._lit = True
        self.show_message("ready", "", "")

    def show_message(self, mood: str, headline: str, detail: str = "") -> None:
        self.mood = mood
        self.headline.setText(headline)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self._lit = True
        self._paint(mood)
        if mood == "stop":
            self._flash.start()
        else:
            self._flash.stop()

    def _toggle(self) -> None:
        self._lit = not self._lit
        self._paint("stop" if self._lit else "wrong")

    def _paint(self, mood: str) -> None:
        background, text = MOODS[mood]
        self.setStyleSheet(f"QFrame#banner {{ background: {background}; border-radius: 6px; }}"
                           f" QLabel {{ color: {text}; background: transparent; }}")


class LinesTable(QTableWidget):
    """The parcel's lines: what to pack, how many are in, done or not."""

    HEADERS = [_("SKU"), _("Item"), _("Packed"), ""]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.setHorizontalHeaderLabels(self.HEADERS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan box keeps the keyboard
        self.verticalHeader().setVisible(False)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.setFont(font)
        self.verticalHeader().setDefaultSectionSize(int(self.fontMetrics().height() * 1.9))
        header = self.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 190), (2, 110), (3, 60)):
            self.setColumnWidth(column, width)

    def show_session(self, session: PackSession | None, highlight: str = "") -> None:
        lines = session.lines if session else []
        self.setRowCount(len(lines))
        for row, line in enumerate(lines):
            cells = [line.sku, line.title, f"{line.packed} / {line.quantity}",
                     "✔" if line.done else ""]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if line.done:
                    item.setBackground(QColor("#d8f3dc"))
                elif line.sku == highlight:
                    item.setBackground(QColor("#fff1c2"))
                self.setItem(row, column, item)


class SideList(QWidget):
    """A titled list on the right of the window (the batch, the fix-up list)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(f"<b>{title}</b>")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)

    def _item(self, text: str, colour: str, data: int) -> None:
        item = QListWidgetItem(text)
        item.setForeground(QColor(colour))
        item.setData(Qt.ItemDataRole.UserRole, data)
        self.list.addItem(item)


_STATE_COLOURS = {"shipped": "#2d7d46", "stopped": "#c8102e", "set aside": "#8a6100",
                  "packing": "#17336b", "printed": "#17336b", "waiting": "#1d2430"}
# The states as the packer reads them (the keys above stay as the service names them).
# Translators: an order's state in the batch list of Pack mode.
_STATE_NAMES = {"shipped": _("shipped"), "stopped": _("stopped"), "set aside": _("set aside"),
                "packing": _("packing"), "printed": _("printed"), "waiting": _("waiting")}


class BatchPanel(SideList):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Batch"), parent)

    def show_progress(self, progress: BatchProgress | None) -> None:
        self.list.clear()
        self.setVisible(progress is not None)
        if progress is None:
            return
        self.title.setText(f"<b>{progress.name}</b>")
        self.summary.setText(progress.summary())
        for order in progress.orders:
            note = f" — {order.note}" if order.note else ""
            state = _STATE_NAMES.get(order.state, order.state)
            self._item(f"{order.order_number}  {order.country}  · {state}{note}",
                       _STATE_COLOURS.get(order.state, "#1d2430"), order.order_id)


class FixUpPanel(SideList):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Fix-up list"), parent)

    def show_fix_ups(self, fix_ups: list[FixUp]) -> None:
        self.list.clear()
        waiting = [f for f in fix_ups if f.gaps]
        self.summary.setText(
            _("Set aside for missing customs data. Double-click one to fill it in.")
            if waiting else _("Nothing set aside.") if not fix_ups else "")
        for fix in fix_ups:
            if fix.gaps:
                self._item(f"{fix.order_number}: {'; '.join(fix.gaps)}", "#8a6100", fix.order_id)
            else:
                self._item(_("{number}: fixed — scan it to pack").format(number=fix.order_number),
                           "#2d7d46", fix.order_id)
