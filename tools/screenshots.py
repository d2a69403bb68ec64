"""Take the README screenshots from the demo store: `python tools/screenshots.py [OUT_DIR]`.

Run it under a real display (or Xvfb) so the window is drawn as a user sees it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    home = Path(tempfile.mkdtemp(prefix="fulfill-shots-"))
    os.environ["FULFILL_HOME"] = str(home)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from fulfill.services import demo
    from fulfill.storage import Store
    from fulfill.ui.app import application
    from fulfill.ui.main_window import MainWindow

    app = application()
    store_path = home / "demo.sqlite"
    with Store.open(store_path) as store:
        demo.seed(store, now=datetime.now(UTC))
    window = MainWindow(store_path, demo=True)
    window.resize(1440, 860)
    window.show()

    def shoot() -> None:
        model = window.model
        for row in range(model.rowCount()):
            if model.index(row, 4).data() == "CN":
                window.table.selectRow(row)
                break
        QApplication.processEvents()
        out_dir.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(out_dir / "orders.png"))
        print(out_dir / "orders.png")
        window.close()
        app.quit()

    window.idsApplied.connect(lambda _n: QTimer.singleShot(300, shoot))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
