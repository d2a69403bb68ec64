"""The Channels window driven as a seller would: a real store and the WooCommerce sandbox."""

from __future__ import annotations

import socket
import threading

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from fulfill.channels.http import ChannelHttp
from fulfill.domain import OrderStatus, Platform
from fulfill.services.channels import (
    SandboxConfirmation, running_sandbox, sandbox_available, stop_sandboxes, supported_platforms,
)
from fulfill.services.outbox import ship_order
from fulfill.storage import Store
from fulfill.ui.channels_window import INTERVAL_KEY, ChannelsWindow, _sandbox_shows_html
from fulfill.ui.store_worker import StoreWorker

SYNC_TIMEOUT_MS = 15_000


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """An unreachable shop is retried with backoff; the test need not wait for it."""
    monkeypatch.setattr(ChannelHttp, "_backoff", lambda self, attempt: 0.01)


@pytest.fixture
def ui_settings(tmp_path):
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def worker(store_path):
    Store.open(store_path).close()  # the app prepares the store before any window opens
    made = StoreWorker(store_path)
    yield made
    made.close()
    stop_sandboxes()


@pytest.fixture
def window(qtbot, store_path, worker, ui_settings):
    win = ChannelsWindow(store_path, worker, ui_settings)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def order_count(store_path) -> int:
    with Store.open(store_path) as store:
        return store.db.execute("SELECT count(*) FROM orders").fetchone()[0]


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cell(table, row: int, column: int) -> str:
    return table.item(row, column).text()


def add_sandbox(qtbot, win, platform: Platform = Platform.WOOCOMMERCE) -> None:
    rows = win.accounts.rowCount()
    win.add_button.click()
    dialog = win.dialog
    assert dialog.isVisible()
    dialog.platform.setCurrentIndex(dialog.platform.findData(platform.value))
    assert f"local stand-in of {platform.label}" in dialog.sandbox_note.text()
    dialog.sandbox_button.click()
    qtbot.waitUntil(lambda: win.accounts.rowCount() == rows + 1)


def sync(qtbot, win, button):
    with qtbot.waitSignal(win.syncFinished, timeout=SYNC_TIMEOUT_MS) as finished:
        button.click()
    return finished.args[0]


def test_sandbox_account_syncs_then_resyncs_nothing_and_sends_tracking(qtbot, window, store_path):
    add_sandbox(qtbot, window)
    assert cell(window.accounts, 0, 1) == "WooCommerce (sandbox)"
    assert cell(window.accounts, 0, 2) == "Never"
    seen = []
    window.syncProgress.connect(lambda fraction, message: seen.append(
        (fraction, message, window.progress.isVisible(), window.progress.maximum())))

    with qtbot.waitSignal(window.ordersChanged, timeout=SYNC_TIMEOUT_MS):
        outcome = sync(qtbot, window, window.sync_button)
    assert seen and all(visible for *_, visible, _ in seen)
    assert any(f == -1 and maximum == 0 for f, _, _, maximum in seen)  # indeterminate bar
    assert any("orders read" in message for _, message, *_ in seen)
    assert not window.progress.isVisible() and not window.cancel_button.isVisible()
    stored = order_count(store_path)
    assert stored > 0 and outcome.created == stored
    assert window.status.text().endswith(f"{stored} new, 0 changed, 0 with problems.")
    assert cell(window.log_table, 0, 6) == "OK"
    assert cell(window.log_table, 0, 3) == str(stored)
    assert cell(window.accounts, 0, 3) == "OK"
    assert cell(window.accounts, 0, 4) == f"{stored:,}"

    # Ship one order at the packing station: the next sync also sends its tracking number.
    with Store.open(store_path) as store:
        order_id = store.db.execute("SELECT id FROM orders WHERE status = ? LIMIT 1",
                                    [OrderStatus.AWAITING_SHIPMENT.value]).fetchone()[0]
        ship_order(store, order_id, carrier="EMS", tracking_number="EE123456785KR")
    window.refresh()
    assert cell(window.accounts, 0, 6) == "1 waiting"

    with qtbot.assertNotEmitted(window.ordersChanged):
        again = sync(qtbot, window, window.sync_button)
    assert (again.created, again.changed, again.failures) == (0, 0, [])
    assert again.delivery.delivered == 1
    assert "1 tracking number sent" in window.notice.toPlainText()
    assert order_count(store_path) == stored
    assert window.log_table.rowCount() == 2
    assert (cell(window.log_table, 0, 3), cell(window.log_table, 0, 6)) == ("0", "OK")
    assert cell(window.accounts, 0, 6) == "—"


@pytest.mark.parametrize("platform", [p for p in supported_platforms() if sandbox_available(p)],
                         ids=lambda p: p.value)
def test_every_platform_sandbox_shows_the_tracking_number_sent_from_the_ui(
        qtbot, window, store_path, platform):
    """What a newcomer does: add a sandbox account, sync, ship an order, sync again, and read
    that the platform's stand-in now shows the tracking number on that order."""
    add_sandbox(qtbot, window, platform)
    first = sync(qtbot, window, window.sync_button)
    assert first.failures == [] and first.created == order_count(store_path) > 0
    with Store.open(store_path) as store:
        order_id, number, platform_id = store.db.execute(
            "SELECT id, order_number, platform_order_id FROM orders WHERE status = ?"
            " ORDER BY id LIMIT 1", [OrderStatus.AWAITING_SHIPMENT.value]).fetchone()
        ship_order(store, order_id, carrier="EMS", tracking_number="EE123456785KR")

    again = sync(qtbot, window, window.sync_button)
    assert again.failures == [] and again.delivery.delivered == 1
    assert (platform_id, "EE123456785KR") in running_sandbox(platform).recorded_tracking()
    notice = window.notice.toPlainText()
    assert (f"{platform.label} (sandbox) now shows order {number} shipped with tracking number "
            "EE123456785KR.") in notice


def test_cancel_stops_between_pages(qtbot, window, store_path):
    add_sandbox(qtbot, window)
    sandbox = running_sandbox(Platform.WOOCOMMERCE)
    sandbox.faults.extend([("none", None), ("stall", 1.5)])  # the second page is slow to come
    messages = []
    window.syncProgress.connect(lambda _fraction, message: messages.append(message))
    with qtbot.waitSignal(window.syncFinished, timeout=SYNC_TIMEOUT_MS) as finished:
        window.sync_all_button.click()
        qtbot.waitUntil(lambda: any("100 orders read" in m for m in messages), timeout=5000)
        assert window.cancel_button.isVisible()
        window.cancel_button.click()
        assert "Cancelling" in window.status.text()
    outcome = finished.args[0]
    assert outcome.cancelled
    assert order_count(store_path) == 100  # the first page, whole; nothing of the second
    assert cell(window.log_table, 0, 6) == "Cancelled"
    assert "next sync continues where this one stopped" in window.notice.toPlainText()

    resumed = sync(qtbot, window, window.sync_button)
    assert not resumed.cancelled and order_count(store_path) == 250


def test_failing_account_shows_advice_while_another_syncs(qtbot, window, store_path,
                                                          memory_keyring):
    window.add_button.click()
    dialog = window.dialog
    dialog.platform.setCurrentIndex(dialog.platform.findData(Platform.WOOCOMMERCE.value))
    assert dialog.selected_platform() is Platform.WOOCOMMERCE
    assert set(dialog.fields) == {"site_url", "consumer_key", "consumer_secret"}
    secret = dialog.fields["consumer_secret"]
    assert secret.echoMode() == secret.EchoMode.Password
    dialog.name.setText("Old shop")
    dialog.fields["site_url"].setText(f"http://127.0.0.1:{unused_port()}")
    dialog.ok_button.click()  # key and secret still empty: the dialog says what is missing
    assert dialog.isVisible() and "Consumer key" in dialog.error.text()
    dialog.fields["consumer_key"].setText("ck_live_1")
    dialog.fields["consumer_secret"].setText("cs_live_1")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.accounts.rowCount() == 1)
    assert any("cs_live_1" in secret for secret in memory_keyring.entries.values())
    with Store.open(store_path) as store:
        saved = store.db.execute("SELECT settings FROM channel_accounts").fetchone()[0]
        assert "cs_live_1" not in saved
    add_sandbox(qtbot, window)

    outcome = sync(qtbot, window, window.sync_all_button)
    assert [r.account.name for r in outcome.failures] == ["Old shop"]
    assert outcome.created == order_count(store_path) > 0
    text = window.notice.toPlainText()
    assert "WooCommerce · Old shop" in text and "could not be reached" in text
    assert "What to do: Check the internet connection" in text
    assert "1 account failed" in window.status.text()
    outcomes = {cell(window.log_table, r, 1): cell(window.log_table, r, 6) for r in range(2)}
    assert outcomes == {"WooCommerce · Old shop": "Failed",
                        "WooCommerce (sandbox)": "OK"}

    window.select_account(next(r.account.id for r in window.rows if r.account.name == "Old shop"))
    window.test_button.click()
    assert not window.test_button.isEnabled()  # the test runs in the background
    qtbot.waitUntil(lambda: "failed" in window.notice.toPlainText(), timeout=SYNC_TIMEOUT_MS)
    assert "What to do:" in window.notice.toPlainText()
    window.select_account(next(r.account.id for r in window.rows if r.account.name != "Old shop"))
    window.test_button.click()
    qtbot.waitUntil(lambda: "ready to sync" in window.notice.toPlainText(), timeout=SYNC_TIMEOUT_MS)


def test_auto_sync_setting_persists_and_drives_the_timer(qtbot, window, store_path, worker,
                                                         ui_settings, tmp_path):
    assert not window.auto_timer.isActive()
    window.interval.setCurrentIndex(window.interval.findData(15))
    stored = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat).value(INTERVAL_KEY)
    assert stored in (15, "15")
    assert window.auto_timer.isActive() and window.auto_timer.interval() == 15 * 60_000
    assert window.next_sync_label.text().startswith("next at")

    again = ChannelsWindow(store_path, worker, ui_settings)
    qtbot.addWidget(again)
    assert again.interval.currentText() == "15 minutes" and again.auto_timer.isActive()
    again.interval.setCurrentIndex(again.interval.findData(0))
    assert not again.auto_timer.isActive() and again.next_sync_label.text() == ""
    again.close()

    add_sandbox(qtbot, window)
    started = []
    window.syncStarted.connect(lambda: started.append(1))
    with qtbot.waitSignal(window.syncFinished, timeout=SYNC_TIMEOUT_MS):
        window.auto_timer.timeout.emit()
        window.auto_timer.timeout.emit()  # a sync is running: this one is skipped
    assert started == [1] and order_count(store_path) > 0


def test_edit_renames_and_remove_keeps_orders(qtbot, window, store_path, memory_keyring):
    add_sandbox(qtbot, window)
    sync(qtbot, window, window.sync_button)
    stored = order_count(store_path)

    window.edit_button.click()
    window.dialog.name.setText("Try-out shop")
    with qtbot.waitSignal(window.accountsChanged):
        window.dialog.ok_button.click()
    assert cell(window.accounts, 0, 1) == "Try-out shop"

    window.remove_button.click()
    box = window.confirm_box
    assert f"{stored:,} orders stay in the store" in box.informativeText()
    remove = next(b for b in box.buttons() if b.text() == "Remove")
    with qtbot.waitSignal(window.accountsChanged):
        remove.click()
    assert window.accounts.rowCount() == 0
    assert order_count(store_path) == stored
    assert cell(window.log_table, 0, 1).endswith("(removed)")
    assert "stay in the store" in window.notice.toPlainText()


def test_window_fits_1000_by_700(window):
    hint = window.minimumSizeHint()
    assert hint.width() <= 1000 and hint.height() <= 700
    assert (window.width(), window.height()) == (1000, 700)


def test_worker_runs_jobs_in_order_on_one_thread(qtbot, store_path):
    Store.open(store_path).close()
    worker = StoreWorker(store_path)
    threads, results, errors, progress = set(), [], [], []

    def job(n):
        def run(store, report, cancel):
            threads.add(threading.get_ident())
            report(n / 3, f"step {n}")
            if n == 2:
                raise ValueError("boom")
            return store.db.execute("SELECT ?", [n]).fetchone()[0]
        return run

    delivered_on = set()

    def done(value):
        delivered_on.add(threading.get_ident())
        results.append(value)

    for n in range(4):
        worker.submit(job(n), done, errors.append, lambda f, m: progress.append(m))
    qtbot.waitUntil(lambda: len(results) + len(errors) == 4)
    assert delivered_on == {threading.get_ident()}  # callbacks run on the UI thread
    assert results == [0, 1, 3] and [str(e) for e in errors] == ["boom"]
    assert progress == ["step 0", "step 1", "step 2", "step 3"]
    assert len(threads) == 1 and threading.get_ident() not in threads
    assert not worker.busy
    worker.close()
    assert not worker._thread.is_alive()
    with pytest.raises(RuntimeError):
        worker.submit(job(5))


def test_keyboard_reaches_every_action(qtbot, window):
    from PySide6.QtCore import Qt

    qtbot.keyClick(window.accounts, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.dialog is not None and window.dialog.isVisible()
    assert window.dialog.focusWidget() is window.dialog.platform
    window.dialog.reject()
    add_sandbox(qtbot, window)
    window.activateWindow()  # back from the dialog, as the window manager would do
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.accounts.setFocus()
    with qtbot.waitSignal(window.syncFinished, timeout=SYNC_TIMEOUT_MS):
        qtbot.keyClick(window.accounts, Qt.Key.Key_F5)
    qtbot.keyClick(window.accounts, Qt.Key.Key_Return)
    assert window.dialog.isVisible() and window.dialog.account is not None
    window.dialog.reject()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.accounts, Qt.Key.Key_Delete)
    assert window.confirm_box.isVisible()
    qtbot.keyClick(window.confirm_box, Qt.Key.Key_Escape)  # the safe answer is the default
    assert window.accounts.rowCount() == 1


def test_the_notice_lists_three_sandbox_confirmations_then_counts_the_rest():
    shows = [SandboxConfirmation("Etsy (sandbox)", f"#{n}", f"EE00000000{n}KR") for n in range(5)]
    text = _sandbox_shows_html(shows)
    assert text.count("now shows order") == 3 and "#2" in text and "#3" not in text
    assert text.endswith("…and 2 more orders.")
