"""Starting the desktop app: QApplication, opening the store, the main window."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from fulfill import APP_NAME, __version__, paths
from fulfill.errors import StoreError
from fulfill.log import setup_logging
from fulfill.services import demo
from fulfill.storage import Store, backups
from fulfill.translation import _
from fulfill.ui.language import install_interface_language

log = logging.getLogger(__name__)
STARTED = time.perf_counter()  # when this module loaded: as early as the app can tell


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setWindowIcon(QIcon(str(paths.resources_dir() / "icons" / "fulfill.png")))
    return app


def prepare_store(store_path: Path, *, demo_store: bool) -> None:
    """Check and migrate (and for the demo, seed) the store before any window reads it."""
    if demo_store:
        demo.open_demo_store(store_path).close()
    else:
        Store.open(store_path).close()
    # About once a day, beside the start rather than before it: a large store takes seconds
    # to copy. Not a daemon thread, so quitting waits for the copy to finish whole.
    threading.Thread(target=_automatic_backup, args=(store_path,), name="automatic-backup").start()


def _automatic_backup(store_path: Path) -> None:
    try:
        backups.automatic_backup(store_path)
    except StoreError as error:  # logged, never a reason not to work
        log.warning("Automatic backup of %s failed: %s", store_path, error.message)


def _open(store_path: Path, demo_store: bool) -> bool:
    """prepare_store with a wait cursor; a store that cannot be opened gets a message."""
    try:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            prepare_store(store_path, demo_store=demo_store)
        finally:
            QApplication.restoreOverrideCursor()
    except StoreError as error:
        QMessageBox.critical(None, _("fulfill cannot open the store"),
                             f"{error.message}\n\n{error.advice}")
        return False
    return True


def run_app(store_path: Path, *, demo: bool = False) -> int:
    setup_logging()
    app = application()
    settings = QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)
    install_interface_language(app, settings)  # before any window module is imported
    if not _open(store_path, demo):
        return 2
    from fulfill.ui.first_run import first_run_needed, run_first_run

    if not demo and first_run_needed(settings) and run_first_run(app, settings, store_path):
        store_path, demo = paths.demo_store_path(), True
        if not _open(store_path, demo):
            return 2
    from fulfill.ui.main_window import MainWindow

    window = MainWindow(store_path, demo=demo, settings=settings)
    window.show()
    if os.environ.get("FULFILL_EXIT_WHEN_READY"):  # start-up timing (bench, CI): quit at once
        window.idsApplied.connect(lambda _n: (print(
            f"ready: first rows shown {time.perf_counter() - STARTED:.2f} s after start",
            file=sys.stderr), QTimer.singleShot(0, window.close)))
    return app.exec()
