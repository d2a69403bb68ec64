from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from fulfill.domain import Money, OrderLine, OrderStatus, Platform
from fulfill.storage import Store
from tests.factories import account, chinese_address, german_address, order


@pytest.fixture
def desk_store(store_path):
    """Twelve orders on two channels, to two countries, in several statuses."""
    with Store.open(store_path) as store:
        shop = store.accounts.add(account(Platform.SHOPIFY, "Seoul Glow"))
        bay = store.accounts.add(account(Platform.EBAY, "seoulglow-kr"))
        statuses = [OrderStatus.AWAITING_SHIPMENT, OrderStatus.SHIPPED, OrderStatus.ON_HOLD]
        orders = []
        for n in range(12):
            cn = n % 3 == 0
            orders.append(order(
                (shop if n % 2 else bay).id, f"#{1000 + n}", status=statuses[n % 3], days_ago=n,
                currency="CNY" if cn else "EUR", address=chinese_address() if cn else german_address(),
                lines=[OrderLine(f"SKU-{n}", f"Item {n}", 1 + n % 2,
                                 Money.parse("19.90", "CNY" if cn else "EUR"))],
            ))
        store.orders.save(orders)
    return store_path


@pytest.fixture
def station_settings(tmp_path):
    """Settings of a packing station whose printers write PDFs to <role>-out folders."""
    from fulfill.ui.printing import DOCUMENT, LABEL, PrinterProfile, save_profile

    settings = QSettings(str(tmp_path / "station.ini"), QSettings.Format.IniFormat)
    for role, dpi, paper in ((LABEL, 203, "4x6"), (DOCUMENT, 300, "A4")):
        folder = tmp_path / f"{role}-out"
        folder.mkdir()
        save_profile(settings, PrinterProfile(role, "", dpi, paper, folder=str(folder)))
    settings.setValue("station/name", "Bench 1")
    return settings


@pytest.fixture
def ui_settings(tmp_path):
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, desk_store, ui_settings):
    from fulfill.ui.main_window import MainWindow

    win = MainWindow(desk_store, settings=ui_settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.model.rowCount() == 12, timeout=5000)
    return win


def open_desk(qtbot, path, settings):
    """The main window on the store at `path`, shown with its orders listed."""
    from fulfill.ui.main_window import MainWindow

    window = MainWindow(path, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=10_000)
    return window


@pytest.fixture
def warnings(monkeypatch):
    """Refusals a screen shows in a message box, captured instead of waiting for a click."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _parent, _title, text, *a, **k: shown.append(text))
    return shown


def type_text(widget, text: str) -> None:
    """Type any characters, as an input method would deliver them.

    QTest.keyClicks only knows ASCII; Chinese or Korean arrives as key events carrying text.
    """
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                     Qt.KeyboardModifier.NoModifier, char))
