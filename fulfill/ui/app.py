"""Starting the desktop app: QApplication, opening the store, the main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from fulfill import APP_NAME, __version__
from fulfill.errors import StoreError
from fulfill.log import setup_logging
from fulfill.services import demo
from fulfill.storage import Store, backups

log = logging.getLogger(__name__)


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    return app


def prepare_store(store_path: Path, *, demo_store: bool) -> None:
    """Check and migrate (and for the demo, seed) the store before any window reads it."""
    if demo_store:
        demo.open_demo_store(store_path).close()
    else:
        Store.open(store_path).close()
    try:  # about once a day; a failed copy is logged, never a reason not to start
        backups.automatic_backup(store_path)
    except StoreError as error:
        log.warning("Automatic backup of %s failed: %s", store_path, error.message)


def run_app(store_path: Path, *, demo: bool = False) -> int:
    setup_logging()
    app = application()
    try:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            prepare_store(store_path, demo_store=demo)
        finally:
            QApplication.restoreOverrideCursor()
    except StoreError as error:
        QMessageBox.critical(None, "fulfill cannot open the store", f"{error.message}\n\n{error.advice}")
        return 2
    from fulfill.ui.main_window import MainWindow

    window = MainWindow(store_path, demo=demo)
    window.show()
    return app.exec()
