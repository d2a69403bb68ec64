"""Backup now and Restore from the app's File menu, on a real store file."""

from __future__ import annotations

from fulfill.domain import Money, OrderLine
from fulfill.storage import Store, backups
from tests.factories import german_address, order


def test_backup_now_then_restore_reopens_on_the_restored_store(qtbot, window, desk_store):
    window.backup_now()
    qtbot.waitUntil(lambda: "Backed up to" in window.statusBar().currentMessage(),
                    timeout=10_000)
    (saved,) = backups.backups(desk_store)
    assert str(saved.path) in window.statusBar().currentMessage()
    with Store.open(desk_store) as store:
        account_id = store.accounts.all()[0].id
        store.orders.save([order(account_id, "#2000", address=german_address(), currency="EUR",
                                 lines=[OrderLine("SKU-X", "Extra", 1, Money(990, "EUR"))])])
    window.refresh()
    qtbot.waitUntil(lambda: window.model.rowCount() == 13, timeout=5000)

    successor = window.restore_from(saved.path)
    qtbot.addWidget(successor)
    qtbot.waitUntil(lambda: successor.model.rowCount() == 12, timeout=10_000)
    assert "Restored" in successor.statusBar().currentMessage()
    safety = [b for b in backups.backups(desk_store) if b.kind == "before-restore"]
    assert len(safety) == 1 and backups.check_backup(safety[0].path).orders == 13


def test_a_refused_backup_leaves_the_store_and_says_why(qtbot, window, desk_store, tmp_path):
    bad = tmp_path / "not-a-store.sqlite"
    bad.write_bytes(b"hello, this is not SQLite" * 200)
    before = desk_store.read_bytes()
    successor = window.restore_from(bad)
    qtbot.addWidget(successor)
    qtbot.waitUntil(lambda: successor.model.rowCount() == 12, timeout=10_000)
    assert "Nothing was restored" in successor.statusBar().currentMessage()
    assert "not a fulfill store" in successor.statusBar().currentMessage()
    with Store.open(desk_store) as store:
        assert store.orders.count() == 12
    assert len(desk_store.read_bytes()) == len(before)
