"""Pack mode driven as a scanner drives it: key presses ending in Enter, into a real window
over a real demo store, printing through print-to-PDF-folder profiles."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from fulfill.domain import OrderStatus
from fulfill.domain.tracking import order_scan_code
from fulfill.services import demo, papers
from fulfill.storage import Store
from fulfill.storage.outbox import OutboxRepository
from fulfill.ui.printing import DOCUMENT, LABEL
from tests.conftest import FIXED_NOW
from tests.documents import pdf_tools

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pack_store(tmp_path):
    path = tmp_path / "shop.sqlite"
    with Store.open(path) as store:
        demo.seed(store, 300, now=FIXED_NOW)
    return path


def open_window(qtbot, pack_store, settings, **kwargs):
    from fulfill.ui.pack_window import PackWindow

    window = PackWindow(pack_store, settings, **kwargs)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_idle() and not window.worker.busy, timeout=10_000)
    return window


def scan(qtbot, window, code: str) -> None:
    """Type like a scanner: the characters, then Enter; wait until the window has handled it."""
    QTest.keyClicks(window.scan_box, code)
    QTest.keyClick(window.scan_box, Qt.Key.Key_Return)
    qtbot.waitUntil(window.is_idle, timeout=15_000)


def waiting_orders(path):
    with Store.open(path) as store:
        return [(i, store.orders.get(i)) for i in papers.order_ids_for(store, status="awaiting_shipment")]


def printed_files(tmp_path, role):
    return sorted((tmp_path / f"{role}-out").glob("*.pdf"))


def pack_everything(qtbot, window, order):
    for line in order.lines:
        for _ in range(line.quantity):
            scan(qtbot, window, line.sku)


def test_happy_path_scan_pack_print_once_and_ship(qtbot, pack_store, station_settings, tmp_path):
    window = open_window(qtbot, pack_store, station_settings)
    order_id, order = waiting_orders(pack_store)[0]
    scan(qtbot, window, order_scan_code(order_id))
    assert window.state == "packing" and window.session.order_id == order_id
    assert window.lines.rowCount() == len({l.sku for l in order.lines})
    with qtbot.waitSignal(window.papers_ready, timeout=15_000):
        pack_everything(qtbot, window, order)
    qtbot.waitUntil(lambda: window.state == "ship", timeout=10_000)
    (label_pdf,) = printed_files(tmp_path, LABEL)
    (document_pdf,) = printed_files(tmp_path, DOCUMENT)
    number = window.session.tracking_number
    label = label_pdf.read_bytes()
    assert number in pdf_tools.barcodes(label, dpi=203)
    assert order.order_number in pdf_tools.text(label) or order.order_number.lstrip("#") in \
        pdf_tools.text(label)
    assert "INVOICE" in pdf_tools.text(document_pdf.read_bytes())
    # Enter ships it with the printed label's number.
    scan(qtbot, window, "")
    assert window.state == "idle" and window.banner.mood == "done"
    assert "ok" in window.feedback.played or not window.feedback.enabled
    with Store.open(pack_store) as store:
        assert store.orders.get(order_id).status is OrderStatus.SHIPPED
        (item,) = OutboxRepository(store.db).for_order(order_id)
        assert item.payload["tracking_number"] == number
    # Printed exactly once.
    assert len(printed_files(tmp_path, LABEL)) == 1 and len(printed_files(tmp_path, DOCUMENT)) == 1


def test_a_wrong_item_and_an_extra_piece_are_refused_loudly_and_print_nothing(
        qtbot, pack_store, station_settings, tmp_path):
    window = open_window(qtbot, pack_store, station_settings)
    (order_id, order), *_ = waiting_orders(pack_store)
    with Store.open(pack_store) as store:
        other = next(p for p in store.products.all()
                     if p.sku not in {l.sku for l in order.lines} and p.barcode)
    scan(qtbot, window, order_scan_code(order_id))
    scan(qtbot, window, other.barcode)
    assert window.banner.mood == "wrong" and other.sku in window.banner.detail.text()
    assert window.feedback.played[-1] == "error"
    scan(qtbot, window, "NOT-A-PRODUCT-123")
    assert "Unknown code" in window.banner.detail.text()
    first = order.lines[0]
    for _ in range(first.quantity):
        scan(qtbot, window, first.sku)
    if len(order.lines) > 1 or sum(l.quantity for l in order.lines) > first.quantity:
        scan(qtbot, window, first.sku)  # one too many of a finished line
        assert window.banner.mood == "wrong" and "Extra piece" in window.banner.detail.text()
        assert printed_files(tmp_path, LABEL) == []


def test_a_cancelled_order_is_stopped_with_an_alarm_and_nothing_prints(
        qtbot, pack_store, station_settings, tmp_path):
    (order_id, order), *_ = waiting_orders(pack_store)
    with Store.open(pack_store) as store:
        store.orders.set_status(order_id, OrderStatus.CANCELLED, actor="sync")
    window = open_window(qtbot, pack_store, station_settings)
    scan(qtbot, window, order.order_number)
    assert window.banner.mood == "stop" and "CANCELLED" in window.banner.headline.text()
    assert window.feedback.played[-1] == "alarm"
    assert window.session is None and printed_files(tmp_path, LABEL) == []


def test_an_order_cancelled_while_packing_stops_before_the_papers(
        qtbot, pack_store, station_settings, tmp_path):
    window = open_window(qtbot, pack_store, station_settings)
    (order_id, order), *_ = waiting_orders(pack_store)
    scan(qtbot, window, order_scan_code(order_id))
    with Store.open(pack_store) as store:  # a sync elsewhere hears the buyer cancelled
        store.orders.set_status(order_id, OrderStatus.CANCELLED, actor="sync")
    pack_everything(qtbot, window, order)
    assert window.banner.mood == "stop" and "CANCELLED" in window.banner.headline.text()
    assert printed_files(tmp_path, LABEL) == [] and printed_files(tmp_path, DOCUMENT) == []


def test_a_changed_order_is_stopped_and_can_be_repacked_with_new_papers(
        qtbot, pack_store, station_settings, tmp_path):
    from dataclasses import replace

    window = open_window(qtbot, pack_store, station_settings)
    (order_id, order), *_ = waiting_orders(pack_store)
    scan(qtbot, window, order_scan_code(order_id))
    pack_everything(qtbot, window, order)
    qtbot.waitUntil(lambda: window.state == "ship", timeout=10_000)
    QTest.keyClick(window, Qt.Key.Key_Escape)  # set aside before shipping
    qtbot.waitUntil(lambda: window.state == "idle" and window.is_idle(), timeout=5_000)
    with Store.open(pack_store) as store:
        changed = store.orders.get(order_id)
        changed.ship_to = replace(changed.ship_to, postal_code="99999")
        changed.id = None
        store.orders.save([changed])
    scan(qtbot, window, order_scan_code(order_id))
    assert window.banner.mood == "stop" and "CHANGED" in window.banner.headline.text()
    assert "99999" in window.banner.detail.text()
    assert window.override_button.isVisible()
    QTest.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.state == "packing" and window.is_idle(), timeout=5_000)
    pack_everything(qtbot, window, order)
    qtbot.waitUntil(lambda: window.state == "ship", timeout=10_000)
    labels = printed_files(tmp_path, LABEL)
    reprint = tmp_path / "label-out" / f"{order_scan_code(order_id)}-label-2.pdf"
    assert len(labels) == 2 and "99999" in pdf_tools.text(reprint.read_bytes())


def test_a_second_window_cannot_pack_the_order_the_first_has_open(
        qtbot, pack_store, station_settings, tmp_path):
    first = open_window(qtbot, pack_store, station_settings)
    (order_id, _order), *_ = waiting_orders(pack_store)
    scan(qtbot, first, order_scan_code(order_id))
    other_settings = QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat)
    other_settings.setValue("station/name", "Bench 2")
    second = open_window(qtbot, pack_store, other_settings)
    scan(qtbot, second, order_scan_code(order_id))
    assert second.session is None and "being packed at Bench 1" in second.banner.headline.text()


CRASHING_STATION = """
import os, sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from fulfill.ui.pack_window import PackWindow
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
window = PackWindow(sys.argv[1], settings)
window.show()
codes = sys.argv[3:]
def next_code():
    if not window.is_idle() or window.worker.busy:
        return
    if not codes:
        os._exit(9)  # the power goes: no clean close, no release
    window.submit_code(codes.pop(0))
from PySide6.QtCore import QTimer
timer = QTimer(); timer.timeout.connect(next_code); timer.start(20)
app.exec()
"""


def test_a_crash_mid_parcel_resumes_exactly_where_it_was(qtbot, pack_store, station_settings,
                                                          tmp_path):
    order_id, order = next((i, o) for i, o in waiting_orders(pack_store)
                           if sum(l.quantity for l in o.lines) >= 2)
    first_sku = order.lines[0].sku
    station_settings.sync()
    script = tmp_path / "station.py"
    script.write_text(textwrap.dedent(CRASHING_STATION))
    result = subprocess.run(
        [sys.executable, str(script), str(pack_store), station_settings.fileName(),
         order_scan_code(order_id), first_sku], cwd=ROOT, timeout=60, capture_output=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
             "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])})
    assert result.returncode == 9, result.stderr.decode()[-2000:]
    window = open_window(qtbot, pack_store, station_settings)
    assert window.session is not None and window.session.order_id == order_id
    assert "Resumed" in window.banner.headline.text()
    line = next(l for l in window.session.lines if l.sku == first_sku)
    assert line.packed == 1


def test_a_parcel_without_a_number_asks_for_the_carrier_label_first(
        qtbot, pack_store, station_settings, tmp_path):
    (order_id, order), *_ = waiting_orders(pack_store)
    with Store.open(pack_store) as store:
        store.db.execute("DELETE FROM shipments WHERE order_id = ?", [order_id])
    window = open_window(qtbot, pack_store, station_settings)
    scan(qtbot, window, order_scan_code(order_id))
    pack_everything(qtbot, window, order)
    assert window.state == "need tracking"
    scan(qtbot, window, "EE123456788KR")  # a wrong check digit
    assert window.banner.mood == "wrong" and window.state == "need tracking"
    scan(qtbot, window, "EE123456785KR")
    qtbot.waitUntil(lambda: window.state == "ship", timeout=10_000)
    assert "EE123456785KR" in pdf_tools.barcodes(printed_files(tmp_path, LABEL)[0].read_bytes())
    scan(qtbot, window, "EE 123 456 785 KR")  # the label, scanned back
    assert window.state == "idle"


def test_a_batch_shows_its_progress_and_missing_data_goes_to_fix_up(
        qtbot, pack_store, station_settings, tmp_path):
    from dataclasses import replace

    from fulfill.services import pack_reports

    orders = waiting_orders(pack_store)[:3]
    with Store.open(pack_store) as store:
        batch = pack_reports.create_batch(store, [i for i, _ in orders], "Friday")
        sku = orders[2][1].lines[0].sku
        store.products.save([replace(store.products.get(sku), hs_code="")])
    window = open_window(qtbot, pack_store, station_settings, batch_id=batch)
    qtbot.waitUntil(lambda: window.side.batch_panel.list.count() == 3, timeout=5_000)
    order_id, order = orders[0]
    scan(qtbot, window, order_scan_code(order_id))
    pack_everything(qtbot, window, order)
    qtbot.waitUntil(lambda: window.state == "ship", timeout=10_000)
    scan(qtbot, window, order_scan_code(orders[2][0]))  # next slip: ships the first
    assert window.banner.mood == "aside" and "fix-up" in window.banner.headline.text()
    qtbot.waitUntil(lambda: "1 of 3 shipped" in window.side.batch_panel.summary.text(), timeout=5_000)
    qtbot.waitUntil(lambda: window.side.fix_up_panel.list.count() >= 1, timeout=5_000)
    assert "1 packed" in window.figures.text()
    # Reprint anything: double-click the shipped order in the batch to see its papers again.
    from fulfill.ui.papers_window import PapersWindow

    item = window.side.batch_panel.list.item(0)
    window.side.batch_panel.list.itemDoubleClicked.emit(item)
    (papers_window,) = window.side.findChildren(PapersWindow)
    qtbot.waitUntil(lambda: papers_window.job is not None, timeout=10_000)
    assert papers_window.job.order_ids == [order_id] and papers_window.print_button.isEnabled()


def test_the_desk_packs_what_it_lists_as_a_batch(qtbot, window):
    """Order → Pack as a batch: the orders awaiting shipment that the desk lists, in Pack mode."""
    window.pack_as_batch()
    qtbot.waitUntil(lambda: window.pack_window is not None, timeout=5_000)
    pack = window.pack_window
    qtbot.waitUntil(lambda: pack.side.batch_panel.list.count() > 0, timeout=5_000)
    with Store.open(window.store_path) as store:
        awaiting = [i for i in papers.order_ids_for(store, status="awaiting_shipment")]
    assert pack.side.batch_panel.list.count() == len(awaiting) == 4
    assert pack.side.batch_panel.summary.text().startswith("0 of 4 shipped")
