"""A small read-only table for lists of records (accounts, sync log, import preview)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem


class ReadOnlyTable(QTableWidget):
    """Rows selected one at a time; column `stretch` takes the width the others leave."""

    def __init__(self, headers: list[str], widths: tuple[int, ...], stretch: int, *,
                 row_padding: int = 10, tab_leaves: bool = False) -> None:
        super().__init__(0, len(headers))
        self.setHorizontalHeaderLabels(headers)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        if tab_leaves:  # in a keyboard-driven dialog, Tab moves on instead of cell to cell
            self.setTabKeyNavigation(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + row_padding)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate(widths):
            self.setColumnWidth(column, width)

    def fill(self, rows: list[list[tuple[str, str]]], *, right: tuple[int, ...] = ()) -> None:
        """Replace the rows; each cell is (text, tooltip), columns in `right` right-aligned."""
        self.setRowCount(0)
        self.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, (text, tip) in enumerate(cells):
                item = QTableWidgetItem(text)
                if tip:
                    item.setToolTip(tip)
                if c in right:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(r, c, item)
