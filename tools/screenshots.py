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

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from fulfill.services import demo, papers
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

    def save(widget, name: str) -> None:
        QApplication.processEvents()
        out_dir.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(out_dir / name))
        print(out_dir / name)

    def shoot() -> None:
        model = window.model
        for row in range(model.rowCount()):
            if model.index(row, 4).data() == "CN":
                window.table.selectRow(row)
                break
        save(window, "orders.png")
        window.show_products()
        products = window.products_window
        products.loaded.connect(lambda: QTimer.singleShot(300, shoot_products), Qt.ConnectionType.SingleShotConnection)

    def shoot_products() -> None:
        products = window.products_window
        products.resize(1360, 800)
        products.select_sku("SG-MASK-CICA10") or products.table.selectRow(0)
        products.unknown_table.selectRow(0)
        save(products, "products.png")
        products.close()
        window.edit_seller_profile()
        QTimer.singleShot(500, shoot_profile)

    def shoot_profile() -> None:
        dialog = window.seller_profile_dialog
        dialog.adjustSize()
        save(dialog, "seller-profile.png")
        dialog.reject()
        with Store.open(store_path) as store:
            ready = papers.order_ids_for(store, status="awaiting_shipment")
        window.preview_papers(ready, kind="label")
        window.papers_window.resize(900, 920)
        window.papers_window.rendered.connect(lambda _job: QTimer.singleShot(500, shoot_papers))

    def shoot_papers() -> None:
        save(window.papers_window, "papers-preview.png")
        window.close()
        app.quit()

    window.idsApplied.connect(lambda _n: QTimer.singleShot(300, shoot))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
