"""Take the README screenshots from the demo store:
`python tools/screenshots.py [OUT_DIR] [LANGUAGE]` (LANGUAGE: ko, ja, zh_Hans; default English).

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

    language = sys.argv[2] if len(sys.argv) > 2 else "en"
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from fulfill.ui.app import application
    from fulfill.ui.language import install_interface_language, save_language

    app = application()
    settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
    save_language(settings, language)
    install_interface_language(app, settings)  # before the window modules are imported

    from fulfill.services import demo, papers
    from fulfill.storage import Store
    from fulfill.ui.main_window import MainWindow

    store_path = home / "demo.sqlite"
    with Store.open(store_path) as store:
        demo.seed(store, now=datetime.now(UTC), returns=True, exports=True)
    window = MainWindow(store_path, demo=True, settings=settings)
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
        window.papers_window.close()
        from fulfill.domain import OrderStatus
        from fulfill.services import pack_reports
        from fulfill.ui.printing import DOCUMENT, LABEL, PrinterProfile, save_profile

        for role in (LABEL, DOCUMENT):
            (home / role).mkdir(exist_ok=True)
            save_profile(window.settings, PrinterProfile(
                role, "", 203 if role == LABEL else 300, "4x6" if role == LABEL else "A4",
                folder=str(home / role)))
        with Store.open(store_path) as store:
            ready = papers.order_ids_for(store, status="awaiting_shipment")
            batch = pack_reports.create_batch(store, ready[:8], "Morning batch")
            first = store.orders.get(ready[1])
            store.orders.set_status(ready[3], OrderStatus.CANCELLED, actor="platform")
            stopped = store.orders.get(ready[3]).order_number
        window.open_pack_mode(batch)
        pack = window.pack_window
        pack.resize(1440, 860)
        from fulfill.domain.tracking import order_scan_code
        pack.submit_code(order_scan_code(ready[1]))
        pack.submit_code(first.lines[0].sku)
        QTimer.singleShot(1500, lambda: shoot_pack(stopped))

    def shoot_pack(stopped: str) -> None:
        pack = window.pack_window
        save(pack, "pack-mode.png")
        pack.set_aside()
        QTimer.singleShot(800, lambda: (pack.submit_code(stopped),
                                        QTimer.singleShot(1200, shoot_stop)))

    def shoot_stop() -> None:
        save(window.pack_window, "pack-stop.png")
        window.pack_window.close()
        returns = window.show_returns()
        returns.resize(1440, 860)
        returns.show_view("all")
        QTimer.singleShot(1200, shoot_returns)

    def shoot_returns() -> None:
        returns = window.returns_window
        exchanged = next((n for n, row in enumerate(returns.rows)
                          if row.replacement_order_id), 0)
        returns.table.selectRow(exchanged)
        QTimer.singleShot(800, lambda: (save(returns, "returns.png"),
                                        returns.tabs.setCurrentIndex(1),
                                        QTimer.singleShot(1200, shoot_rates)))

    def shoot_rates() -> None:
        save(window.returns_window, "return-rates.png")
        window.returns_window.close()
        exports = window.show_exports()  # opens on last quarter
        exports.resize(1440, 860)
        exports.loaded.connect(lambda _snapshot: QTimer.singleShot(600, shoot_exports),
                               Qt.ConnectionType.SingleShotConnection)

    def shoot_exports() -> None:
        exports = window.exports_window
        save(exports, "exports-declaration.png")
        exports.tabs.setCurrentWidget(exports.statement)
        QTimer.singleShot(500, lambda: (save(exports, "exports-statement.png"),
                                        exports.tabs.setCurrentWidget(exports.figures),
                                        QTimer.singleShot(800, shoot_figures)))

    def shoot_figures() -> None:
        save(window.exports_window, "exports-figures.png")
        window.close()
        app.quit()

    window.idsApplied.connect(lambda _n: QTimer.singleShot(300, shoot))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
