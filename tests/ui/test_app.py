"""Starting the app: the demo store on first launch, and a clear refusal of a bad store."""

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from fulfill import paths
from fulfill.storage import Store, backups
from fulfill.ui.app import run_app
from fulfill.ui.main_window import MainWindow


def _when_ready(check, attempts=200):
    """Call check() from the event loop until it returns True (or give up after ~10 s)."""
    def poll(left=attempts):
        if not check() and left > 0:
            QTimer.singleShot(50, lambda: poll(left - 1))
    QTimer.singleShot(50, poll)


def test_bad_store_gets_a_dialog_that_says_what_to_do(qapp, tmp_path):
    bad = tmp_path / "orders.sqlite"
    bad.write_text("not a database")
    shown = []

    def close_dialog():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            shown.append(box.text())
            box.accept()
            return True
        return False

    _when_ready(close_dialog)
    assert run_app(bad) == 2
    assert shown and "not a fulfill store" in shown[0] and "Choose the .sqlite file" in shown[0]
    assert bad.read_text() == "not a database"


def test_demo_launch_creates_the_demo_store_and_shows_the_desk(qapp):
    seen = []

    def close_window():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows and windows[0].model.rowCount() > 0:
            seen.append((windows[0].windowTitle(), windows[0].model.rowCount()))
            windows[0].close()
            return True
        return False

    _when_ready(close_window)
    assert run_app(paths.demo_store_path(), demo=True) == 0
    with Store.open(paths.demo_store_path()) as store:
        orders = store.orders.count()  # the demo orders and an exchange's replacement
        assert orders > 300
    assert seen == [("fulfill — Demo store", orders)]
    deadline = time.monotonic() + 10  # the day's automatic backup, made beside the start
    while not backups.backups(paths.demo_store_path()) and time.monotonic() < deadline:
        time.sleep(0.05)
    (made,) = backups.backups(paths.demo_store_path())
    assert made.kind == "auto"
