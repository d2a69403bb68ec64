"""The orders table model: ids from one query, rows fetched a block at a time when shown.

Sorting is not done here: `sort()` asks the window to run the query again with ORDER BY.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from fulfill.domain import OrderStatus
from fulfill.i18n import country_name, format_datetime, format_money
from fulfill.storage.order_queries import DeskRow, OrderSort
from fulfill.ui import labels
from fulfill.translation import _

FetchRows = Callable[[list[int]], dict[int, DeskRow]]
ORDER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
BLOCK = 200  # rows fetched together: about four screenfuls
CACHE_LIMIT = 20_000


@dataclass(frozen=True)
class Column:
    key: str  # also the OrderSort column
    title: str
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft


COLUMNS = (
    Column("ordered_at", _("Ordered")),
    Column("order_number", _("Order")),
    Column("channel", _("Channel")),
    Column("buyer", _("Ship to")),
    Column("country", _("Country")),
    Column("items", _("Items"), Qt.AlignmentFlag.AlignRight),
    Column("total", _("Total"), Qt.AlignmentFlag.AlignRight),
    Column("status", _("Status")),
)

# Soft tints that stay readable with dark text; the label carries the meaning, not the colour.
STATUS_TINTS = {
    OrderStatus.AWAITING_PAYMENT: "#fff4d6",
    OrderStatus.AWAITING_SHIPMENT: "#dcecff",
    OrderStatus.ON_HOLD: "#ffe0cc",
    OrderStatus.SHIPPED: "#e1f5e4",
    OrderStatus.DELIVERED: "#eeeeee",
    OrderStatus.CANCELLED: "#f6d5d8",
    OrderStatus.REFUNDED: "#ecdcf5",
    OrderStatus.PARTIALLY_REFUNDED: "#f1e6f7",
}


def ship_to_text(row: DeskRow) -> str:
    if row.ship_name_latin and row.ship_name_latin != row.ship_name:
        return f"{row.ship_name} ({row.ship_name_latin})"
    return row.ship_name


class OrdersTableModel(QAbstractTableModel):
    sortRequested = Signal(object)  # OrderSort

    def __init__(self, fetch_rows: FetchRows, channel_labels: dict[int, str],
                 locale: str | None = None, parent=None) -> None:
        super().__init__(parent)
        self._fetch_rows = fetch_rows
        self._channel_labels = channel_labels
        self._locale = locale
        self._ids: list[int] = []
        self._rows: dict[int, tuple[DeskRow, tuple[str, ...]]] = {}

    # --- what the window calls -------------------------------------------------------
    def set_ids(self, ids: list[int]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._rows.clear()
        self.endResetModel()

    def set_channel_labels(self, labels: dict[int, str]) -> None:
        self._channel_labels = labels
        self.invalidate_rows()

    def order_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, order_id: int) -> int | None:
        try:
            return self._ids.index(order_id)
        except ValueError:
            return None

    def invalidate_rows(self) -> None:
        """Forget cached rows (after a write) and repaint what is shown."""
        self._rows.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    # --- Qt model interface ----------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section].title
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(COLUMNS[section].align | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._ids)):
            return None
        if role == ORDER_ID_ROLE:
            return self._ids[index.row()]
        cached = self._cached(index.row())
        if cached is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole and index.column() == 1 else None
        row, texts = cached
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and column.key == "status":
            return QBrush(QColor(STATUS_TINTS[row.status]))
        if role == Qt.ItemDataRole.ForegroundRole and column.key == "status":
            return QBrush(QColor("#1f2328"))
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.problem:
                return row.problem
            if column.key == "buyer":
                return texts[index.column()]
            if column.key == "country":
                return country_name(row.country, self._locale)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS):
            descending = order == Qt.SortOrder.DescendingOrder
            self.sortRequested.emit(OrderSort(COLUMNS[column].key, descending))

    # --- lazy rows -------------------------------------------------------------------
    def _cached(self, row_number: int) -> tuple[DeskRow, tuple[str, ...]] | None:
        order_id = self._ids[row_number]
        if order_id not in self._rows:
            self._load_block(row_number)
        return self._rows.get(order_id)

    def _load_block(self, row_number: int) -> None:
        if len(self._rows) > CACHE_LIMIT:
            self._rows.clear()
        start = max(0, row_number - BLOCK // 4)
        wanted = [i for i in self._ids[start : start + BLOCK] if i not in self._rows]
        for order_id, row in self._fetch_rows(wanted).items():
            self._rows[order_id] = (row, self._texts(row))

    def _texts(self, row: DeskRow) -> tuple[str, ...]:
        return (
            format_datetime(row.ordered_at, self._locale, "short"),
            row.order_number,
            self._channel_labels.get(row.account_id, row.platform.label),
            ship_to_text(row),
            row.country,
            str(row.item_count),
            format_money(row.total, self._locale),
            ("⚠ " if row.problem else "") + labels.order_status(row.status),
        )
