"""Ship an order from the desk and see the platform's sandbox record the tracking number."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from fulfill.domain import OrderStatus, Platform
from fulfill.services import channels
from fulfill.storage import Store
from fulfill.ui.main_window import MainWindow
from fulfill.ui.ship_dialog import ShipDialog


def test_mark_shipped_reaches_the_woocommerce_sandbox(qtbot, store_path, ui_settings):
    try:
        with Store.open(store_path) as store:
            account = channels.add_sandbox_account(store, Platform.WOOCOMMERCE)
            (result,) = channels.sync_accounts(store, [account])
            assert result.error is None and result.report.created > 0
        window = MainWindow(store_path, settings=ui_settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.model.rowCount() == result.report.created, timeout=5000)
        row = next(r for r in range(window.model.rowCount())
                   if window.model.index(r, 7).data() == OrderStatus.AWAITING_SHIPMENT.label)
        window.table.selectRow(row)
        order_number = window.model.index(row, 1).data()

        def fill_dialog():
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, ShipDialog):
                QTimer.singleShot(20, fill_dialog)
                return
            dialog.carrier.setCurrentText("Korea Post EMS")
            dialog.tracking.setText("ee 123 456 785 kr")
            dialog._accept_if_complete()

        QTimer.singleShot(20, fill_dialog)
        window.mark_selected_shipped()
        qtbot.waitUntil(lambda: "has the tracking number" in window.detail.toPlainText(), timeout=10000)
        text = window.detail.toPlainText()
        assert "EE123456785KR" in text and "Korea Post EMS" in text
        sandbox = channels.running_sandbox(Platform.WOOCOMMERCE)
        recorded = {t["tracking_number"] for items in sandbox.trackings.values() for t in items}
        assert recorded == {"EE123456785KR"}
        platform_order = next(o for o in sandbox.orders.values() if o["number"] == order_number)
        assert platform_order["status"] == "completed"
        qtbot.waitUntil(lambda: window.model.index(window.table.currentIndex().row(), 7).data()
                        == OrderStatus.SHIPPED.label)
        assert window.model.index(window.table.currentIndex().row(), 1).data() == order_number
    finally:
        channels.stop_sandboxes()
