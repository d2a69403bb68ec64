"""The Returns screen on a real demo store, driven as a seller drives it: the queues and
filters, a return from request to closing refund, an exchange through to its printed
replacement label, and a returned parcel scanned in Pack mode opening its RMA."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from fulfill.domain import Money
from fulfill.domain.returns import (
    InspectionOutcome, RefundMethod, ReturnKind, ReturnReason, ReturnStatus,
    ReturnStep, rma_code,
)
from fulfill.services import returns
from fulfill.storage import Store
from fulfill.ui.printing import DOCUMENT, LABEL
from fulfill.ui.return_detail import OVERDUE_TINT
from fulfill.ui.return_dialogs import NewReturnDialog, RefundDialog
from tests.conftest import fresh_copy, seeded_demo_file
from tests.documents import pdf_tools
from tests.ui.conftest import open_desk

NOW = datetime.now(UTC)  # the screen measures days open against the clock


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    return seeded_demo_file(tmp_path_factory, "returns-ui", now=NOW, returns=True)


@pytest.fixture
def shop(seeded, tmp_path):
    return fresh_copy(seeded, tmp_path)


@pytest.fixture
def desk(qtbot, shop, station_settings):
    return open_desk(qtbot, shop, station_settings)


def open_returns(qtbot, desk):
    screen = desk.show_returns()
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        pass  # the first listing is on its way from the store worker
    qtbot.waitUntil(lambda: screen.detail is not None and not screen.worker.busy, timeout=10_000)
    return screen


def wait_loaded(qtbot, screen, change) -> None:
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        change()


def wait_detail(qtbot, screen, rma_id: int) -> None:
    qtbot.waitUntil(lambda: screen.detail is not None and screen.detail.rma.id == rma_id
                    and not screen.worker.busy, timeout=10_000)


def db_rma(path, rma_id):
    with Store.open(path) as store:
        return store.returns.get(rma_id)


def test_open_returns_are_listed_overdue_first_and_the_filters_narrow_them(qtbot, desk, shop):
    screen = open_returns(qtbot, desk)
    with Store.open(shop) as store:
        every = store.returns.with_status()
        overdue = returns.overdue(store)
    finished = {ReturnStatus.CLOSED, ReturnStatus.REJECTED}
    assert len(every) == 12 and overdue
    assert {row.rma_id for row in screen.rows} == {r.id for r in every if r.status not in finished}
    first = screen.rows[0]
    assert first.overdue and first.rma_id == overdue[0].id
    assert screen.table.item(0, 0).background().color() == QColor(OVERDUE_TINT)
    assert screen.table.item(1, 0).background().color() != QColor(OVERDUE_TINT)
    assert f"{len(overdue)} parcel overdue" in screen.queues.text()

    wait_loaded(qtbot, screen, lambda: screen.show_view("inspection"))
    assert screen.rows and {row.status for row in screen.rows} == {ReturnStatus.RECEIVED}
    wait_loaded(qtbot, screen, lambda: screen.show_view("all"))
    assert len(screen.rows) == 12
    damaged = screen.reason.findData(ReturnReason.DAMAGED)
    wait_loaded(qtbot, screen, lambda: screen.reason.setCurrentIndex(damaged))
    assert screen.rows and {row.reason for row in screen.rows} == {ReturnReason.DAMAGED}
    wait_loaded(qtbot, screen, lambda: screen.reason.setCurrentIndex(0))
    country = screen.rows[0].country
    wait_loaded(qtbot, screen, lambda: screen.country.setCurrentIndex(
        screen.country.findData(country)))
    assert {row.country for row in screen.rows} == {country}
    wait_loaded(qtbot, screen, lambda: screen.country.setCurrentIndex(0))
    wait_loaded(qtbot, screen, lambda: screen.age.setCurrentIndex(screen.age.findData(14)))
    assert screen.rows and all(row.days_open >= 14 for row in screen.rows)
    assert len(screen.rows) < 12
    wait_loaded(qtbot, screen, lambda: screen.age.setCurrentIndex(0))
    code = screen.rows[3].code
    screen.search.setText(code.lower())
    wait_loaded(qtbot, screen, lambda: QTest.keyClick(screen.search, Qt.Key.Key_Return))
    assert [row.code for row in screen.rows] == [code]


def test_a_return_runs_from_request_to_closing_refund_and_refuses_what_makes_no_sense(
        qtbot, desk, shop, warnings):
    screen = open_returns(qtbot, desk)
    with Store.open(shop) as store:
        order_id = store.db.execute(
            "SELECT id FROM orders WHERE status = 'delivered' AND id NOT IN"
            " (SELECT order_id FROM rmas) ORDER BY id LIMIT 1").fetchone()[0]
        order = store.orders.get(order_id)
    line = order.lines[0]
    asked = NewReturnDialog(order, {line.sku: line.quantity})  # what the seller fills in
    qtbot.addWidget(asked)
    asked.reason.setCurrentIndex(asked.reason.findData(ReturnReason.WRONG_SIZE))
    asked.table.cellWidget(0, 3).setValue(line.quantity)
    asked.note.setPlainText("Too small")
    screen.open_rma(order_id, **asked.choice())
    qtbot.waitUntil(lambda: screen.detail is not None and screen.detail.order.id == order_id,
                    timeout=10_000)
    rma_id = screen.detail.rma.id
    assert screen.step_buttons[ReturnStep.APPROVE].isEnabled()
    assert not screen.step_buttons[ReturnStep.REFUND].isEnabled()

    screen.run_step(ReturnStep.REFUND, amount=Money(100, order.currency),
                    method=RefundMethod.PLATFORM)  # not from requested: refused, nothing written
    qtbot.waitUntil(lambda: bool(warnings), timeout=10_000)
    assert "cannot be refunded" in warnings[0] and "approved or rejected" in warnings[0]
    assert db_rma(shop, rma_id).status is ReturnStatus.REQUESTED

    for step, choice in ((ReturnStep.APPROVE, {}),
                         (ReturnStep.AWAIT_PARCEL, {"return_tracking": "rr123456789kr"}),
                         (ReturnStep.RECEIVE, {}),
                         (ReturnStep.INSPECT, {"outcomes": {line.sku: InspectionOutcome.RESELLABLE},
                                               "restock": True, "note": ""})):
        screen.run_step(step, **choice)
        qtbot.waitUntil(lambda s=step: _status_after(screen, s), timeout=10_000)
    assert screen.detail.rma.return_tracking == "RR123456789KR"
    assert screen.detail.suggested_refund == line.unit_price * line.quantity
    paying = RefundDialog(screen.detail.rma, screen.detail.suggested_refund,
                          screen.detail.refundable, None)
    qtbot.addWidget(paying)
    paying.note.setText("refund id 42")
    screen.run_step(ReturnStep.REFUND, **paying.choice())
    qtbot.waitUntil(lambda: _status_after(screen, ReturnStep.REFUND), timeout=10_000)
    screen.run_step(ReturnStep.CLOSE, note="done")
    qtbot.waitUntil(lambda: _status_after(screen, ReturnStep.CLOSE), timeout=10_000)
    assert not warnings[1:]
    with Store.open(shop) as store:
        rma = store.returns.get(rma_id)
        assert rma.status is ReturnStatus.CLOSED and rma.refunded == line.unit_price * line.quantity
        assert store.returns.stock_movements(rma_id) == [(line.sku, line.quantity,
                                                          f"returned on {rma_code(rma_id)}")]
        steps = [entry.action for entry in store.returns.history(rma_id)]
    assert steps == ["opened", "approve", "await_parcel", "receive", "inspect", "refund", "close"]
    assert "Closed" in screen.browser.toPlainText() or "closed" in screen.browser.toPlainText()


_AFTER = {ReturnStep.APPROVE: ReturnStatus.APPROVED,
          ReturnStep.AWAIT_PARCEL: ReturnStatus.AWAITING_PARCEL,
          ReturnStep.RECEIVE: ReturnStatus.RECEIVED, ReturnStep.INSPECT: ReturnStatus.INSPECTED,
          ReturnStep.REFUND: ReturnStatus.REFUNDED, ReturnStep.EXCHANGE: ReturnStatus.EXCHANGED,
          ReturnStep.CLOSE: ReturnStatus.CLOSED}


def _status_after(screen, step: ReturnStep) -> bool:
    """The detail pane shows the status the step leads to, and the worker is done."""
    return (screen.detail is not None and screen.detail.rma.status is _AFTER[step]
            and not screen.worker.busy)


def test_an_exchange_sends_a_replacement_whose_label_and_papers_print(
        qtbot, desk, shop, tmp_path):
    screen = open_returns(qtbot, desk)
    approved = next(row for row in screen.rows if row.kind is ReturnKind.EXCHANGE
                    and row.status is ReturnStatus.APPROVED)
    screen.select_rma(approved.rma_id)
    wait_detail(qtbot, screen, approved.rma_id)
    assert screen.step_buttons[ReturnStep.EXCHANGE].isEnabled()
    assert not screen.replacement_button.isEnabled()
    screen.run_step(ReturnStep.EXCHANGE)
    qtbot.waitUntil(lambda: _status_after(screen, ReturnStep.EXCHANGE)
                    and screen.detail.replacement is not None, timeout=10_000)
    replacement = screen.detail.replacement
    original = screen.detail.order
    assert replacement.order_number == f"{original.order_number}-EX1"
    text = screen.browser.toPlainText()
    assert "Going out" in text and replacement.order_number in text and "Coming back" in text
    assert screen.replacement_button.isEnabled()

    qtbot.mouseClick(screen.replacement_button, Qt.MouseButton.LeftButton)
    pack = desk.pack_window
    qtbot.waitUntil(lambda: pack.session is not None and pack.is_idle(), timeout=15_000)
    assert pack.session.order_id == replacement.id
    for line in replacement.lines:  # packed like any order: every piece scanned
        for _ in range(line.quantity):
            scan(qtbot, pack, line.sku)
    assert pack.state == "need tracking"  # a replacement has no carrier number yet
    scan(qtbot, pack, "EB123456785KR")
    qtbot.waitUntil(lambda: pack.state == "ship", timeout=20_000)
    (label,) = (tmp_path / f"{LABEL}-out").glob("*.pdf")
    label_text = pdf_tools.text(label.read_bytes())
    assert replacement.order_number in label_text and "EB123456785KR" in label_text.replace(" ", "")
    assert pdf_tools.barcodes(label.read_bytes())[0] == "EB123456785KR"
    papers_text = " ".join(pdf_tools.text(b.read_bytes()) for b in (
        tmp_path / f"{DOCUMENT}-out").glob("*.pdf"))
    assert f"Replacement for order {original.order_number}" in " ".join(papers_text.split())


def scan(qtbot, pack, code: str) -> None:
    QTest.keyClicks(pack.scan_box, code)
    QTest.keyClick(pack.scan_box, Qt.Key.Key_Return)
    qtbot.waitUntil(pack.is_idle, timeout=15_000)


def test_a_returned_parcel_scanned_in_pack_mode_is_received_and_opens_its_rma(
        qtbot, desk, shop):
    with Store.open(shop) as store:
        waiting = store.returns.with_status([ReturnStatus.AWAITING_PARCEL])
        asked = store.returns.with_status([ReturnStatus.REQUESTED])
    rma = waiting[0]
    desk.open_pack_mode()
    pack = desk.pack_window
    qtbot.waitUntil(lambda: pack.is_idle() and not pack.worker.busy, timeout=10_000)
    scan(qtbot, pack, rma.code)
    qtbot.waitUntil(lambda: desk.returns_window is not None and desk.returns_window.detail
                    is not None and desk.returns_window.detail.rma.id == rma.id, timeout=15_000)
    assert pack.banner.mood == "good" and f"{rma.code} received" in pack.banner.headline.text()
    assert db_rma(shop, rma.id).status is ReturnStatus.RECEIVED
    assert pack.state == "idle" and pack.session is None

    scan(qtbot, pack, asked[0].code)  # not approved: told why, nothing received
    qtbot.waitUntil(lambda: desk.returns_window.detail.rma.id == asked[0].id, timeout=15_000)
    assert pack.banner.mood == "wrong" and "cannot be received" in pack.banner.headline.text()
    assert db_rma(shop, asked[0].id).status is ReturnStatus.REQUESTED


def test_the_order_detail_lists_its_returns(qtbot, desk, shop):
    with Store.open(shop) as store:
        rma = store.returns.with_status([ReturnStatus.REFUNDED])[0]
    desk.show_order(rma.order_id)
    text = desk.detail.toPlainText()
    assert "Returns and refunds" in text and rma.code in text
