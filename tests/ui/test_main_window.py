"""The orders desk driven as a seller would: keyboard, filters, search, detail, layout memory."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fulfill.domain import OrderStatus
from fulfill.ui.main_window import MainWindow
from tests.ui.conftest import type_text


def _wait_for_rows(qtbot, win, count):
    qtbot.waitUntil(lambda: win.model.rowCount() == count, timeout=5000)


def _column_texts(win, column):
    return [win.model.index(r, column).data() for r in range(win.model.rowCount())]


def test_model_passes_qt_model_tester(qtmodeltester, window):
    qtmodeltester.check(window.model)


def test_desk_lists_newest_first_with_counts(window, qtbot):
    assert _column_texts(window, 1)[:3] == ["#1000", "#1001", "#1002"]
    qtbot.waitUntil(lambda: window.statuses.count_of(None) == 12)
    assert window.statuses.count_of(OrderStatus.AWAITING_SHIPMENT) == 4
    assert window.statuses.count_of(OrderStatus.SHIPPED) == 4
    assert window.statuses.count_of(OrderStatus.CANCELLED) == 0
    assert window.shown_label.text() == "Showing 12 of 12 orders · 4 awaiting shipment · 4 on hold"
    window.statuses.select(OrderStatus.SHIPPED)
    qtbot.waitUntil(lambda: window.shown_label.text().startswith("Showing 4 of 12 orders"))


def test_ctrl_f_then_typing_searches_native_script(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.filters.search.hasFocus()
    type_text(window.filters.search, "王芳")
    _wait_for_rows(qtbot, window, 4)
    assert set(_column_texts(window, 4)) == {"CN"}
    assert _column_texts(window, 3)[0] == "王芳 (Wang Fang)"
    window.filters.search.clear()
    _wait_for_rows(qtbot, window, 12)


def test_search_by_sku_and_nothing_found_hint(window, qtbot):
    qtbot.keyClicks(window.filters.search, "SKU-7")
    qtbot.keyClick(window.filters.search, Qt.Key.Key_Return)
    _wait_for_rows(qtbot, window, 1)
    assert _column_texts(window, 1) == ["#1007"]
    window.filters.search.setText("no such order anywhere")
    _wait_for_rows(qtbot, window, 0)
    assert window.empty_hint.isVisibleTo(window)
    assert "Ctrl+Shift+L" in window.empty_hint.text()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    _wait_for_rows(qtbot, window, 12)


def test_status_channel_and_country_filters_combine(window, qtbot):
    window.statuses.select(OrderStatus.SHIPPED)
    _wait_for_rows(qtbot, window, 4)
    assert set(_column_texts(window, 7)) == {"Shipped"}
    window.filters.channel.setCurrentIndex(window.filters.channel.findText("eBay · seoulglow-kr"))
    _wait_for_rows(qtbot, window, 2)
    assert set(_column_texts(window, 2)) == {"eBay"}
    window.filters.country.setCurrentIndex(window.filters.country.findData("CN"))
    _wait_for_rows(qtbot, window, 0)
    window.clear_filters()
    _wait_for_rows(qtbot, window, 12)


def test_date_range_filter(window, qtbot):
    window.filters.dates.setCurrentIndex(window.filters.dates.findData("custom"))
    assert window.filters.date_from.isVisibleTo(window)
    from PySide6.QtCore import QDate

    window.filters.date_from.setDate(QDate(2026, 10, 28))
    window.filters.date_to.setDate(QDate(2026, 10, 31))
    _wait_for_rows(qtbot, window, 4)  # #1001..#1004 are 1..4 days before Nov 1


def test_header_click_sorts_in_sql(window, qtbot):
    header = window.table.horizontalHeader()
    window.model.sort(1, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: _column_texts(window, 1)[0] == "#1000")
    window.model.sort(1, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: _column_texts(window, 1)[0] == "#1011")
    assert header.isSortIndicatorShown()


def test_selecting_an_order_shows_both_address_forms_and_totals(window, qtbot):
    window.table.setFocus()
    window.table.selectRow(0)
    html = window.detail.toPlainText()
    assert "#1000" in html
    assert "王芳" in html and "Wang Fang" in html
    assert "朝阳区建国路88号" in html and "88 Jianguo Road" in html
    assert "CN¥" in html or "¥" in html  # totals in the order's currency
    assert "imported as awaiting_shipment" in html
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert "#1001" in window.detail.toPlainText()
    assert "Jürgen Müller" in window.detail.toPlainText()


def test_selection_survives_a_refresh(window, qtbot):
    window.table.selectRow(5)
    window.statuses.select(OrderStatus.AWAITING_SHIPMENT)  # #1000 #1003 #1006 #1009: #1005 gone
    _wait_for_rows(qtbot, window, 4)
    assert "Select an order" in window.detail.toPlainText()
    window.table.selectRow(1)
    window.statuses.select(None)
    _wait_for_rows(qtbot, window, 12)
    current = window.table.currentIndex()
    assert window.model.index(current.row(), 1).data() == "#1003"


def test_layout_is_remembered(qtbot, desk_store, ui_settings):
    first = MainWindow(desk_store, settings=ui_settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(first.width(), 640)  # the offscreen screen is 800 px: change what fits
    first.table.setColumnWidth(1, 222)
    first.desk_split.setSizes([500, 500])
    first.close()
    second = MainWindow(desk_store, settings=ui_settings)
    qtbot.addWidget(second)
    second.show()
    assert second.height() == 640
    assert second.table.columnWidth(1) == 222
    left, right = second.desk_split.sizes()
    assert abs(left - right) <= 2
    second.close()


def test_problems_only_filter(qtbot, desk_store, ui_settings):
    from fulfill.storage import Store

    with Store.open(desk_store) as store:
        store.db.execute("UPDATE orders SET problem = 'unknown status' WHERE order_number = '#1004'")
    win = MainWindow(desk_store, settings=ui_settings)
    qtbot.addWidget(win)
    _wait_for_rows(qtbot, win, 12)
    assert win.model.index(4, 7).data() == "⚠ Shipped"  # #1004: statuses cycle by n % 3
    win.filters.problems_only.setChecked(True)
    _wait_for_rows(qtbot, win, 1)
    assert _column_texts(win, 1) == ["#1004"]
    assert win.model.index(0, 7).data(Qt.ItemDataRole.ToolTipRole) == "unknown status"


def test_file_menu_opens_the_import_dialog(window, qtbot):
    from fulfill.ui.import_dialog import ImportDialog

    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(isinstance(w, ImportDialog) and w.isVisible()
                                for w in window.findChildren(ImportDialog)))
    dialog = window.findChildren(ImportDialog)[0]
    dialog.reject()
