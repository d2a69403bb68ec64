"""Pack-mode benchmark: 200 orders through the real Pack mode window, as a scanner drives it.

For each order the packing slip is scanned, then every piece, then Enter ships it; papers
print through print-to-PDF-folder profiles. Prints the time from the last piece's scan to
the parcel's papers being out (target under 300 ms per parcel) and the event-loop stalls
longer than 50 ms while it ran (target none), measured by a 5 ms timer on the UI thread.

    python bench/pack.py [--orders N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shiboken6  # noqa: E402
from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from fulfill.domain.tracking import order_scan_code  # noqa: E402
from fulfill.services import demo, papers  # noqa: E402
from fulfill.storage import Store  # noqa: E402
from fulfill.ui.printing import DOCUMENT, LABEL, PrinterProfile, save_profile  # noqa: E402

STALL_S = 0.050
TICK_MS = 5


class StallWatch:
    """Counts gaps between ticks of a fast timer: the time the event loop was not free."""

    def __init__(self) -> None:
        self.stalls: list[float] = []
        self.last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        if now - self.last > STALL_S:
            self.stalls.append(now - self.last)
        self.last = now


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=200)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="fulfill-bench-pack-"))
    path = folder / "shop.sqlite"
    started = time.perf_counter()
    with Store.open(path) as store:
        demo.seed(store, args.orders * 30, now=datetime.now(UTC))
        # Orders whose papers can print (the demo holds a few with missing customs data).
        ids = papers.load_parcels(store, papers.order_ids_for(store, status="awaiting_shipment"))[0]
        orders = [store.orders.get(p.order_id) for p in ids[: args.orders]]
    print(f"Pack benchmark: {len(orders)} orders awaiting shipment "
          f"(store seeded in {time.perf_counter() - started:.1f} s)")
    settings = QSettings(str(folder / "station.ini"), QSettings.Format.IniFormat)
    for role, dpi, paper in ((LABEL, 203, "4x6"), (DOCUMENT, 300, "A4")):
        (folder / role).mkdir()
        save_profile(settings, PrinterProfile(role, "", dpi, paper, folder=str(folder / role)))

    from fulfill.ui.pack_window import PackWindow

    window = PackWindow(path, settings)
    window.feedback.enabled = False
    window.show()
    ready: list[float] = []
    window.papers_ready.connect(ready.append)
    shipped: list[int] = []
    window.shipped.connect(shipped.append)
    refused: list[str] = []
    window.banner_changed.connect(lambda mood, text: refused.append(text)
                                  if mood in ("stop", "aside", "wrong") else None)
    watch = StallWatch()
    queue = list(orders)

    def next_order() -> None:
        if not window.is_idle() or window.worker.busy:
            QTimer.singleShot(1, next_order)
            return
        if not queue:
            watch.stop()
            app.quit()
            return
        order = queue.pop(0)
        # A fast scanner: the slip, each piece, then Enter (ship with the printed label).
        window.submit_code(order_scan_code(order.id))
        for line in order.lines:
            for _ in range(line.quantity):
                window.submit_code(line.sku)
        window.submit_code("")
        QTimer.singleShot(1, next_order)

    def begin() -> None:
        watch.start()
        next_order()

    began = time.perf_counter()
    QTimer.singleShot(500, begin)
    app.exec()
    elapsed = time.perf_counter() - began - 0.5
    if shiboken6.isValid(window):
        window.close()
    labels = len(list((folder / LABEL).glob("*.pdf")))
    documents = len(list((folder / DOCUMENT).glob("*.pdf")))
    ms = sorted(r * 1000 for r in ready)
    for text in refused:
        print(f"  not shipped: {text}")
    print(f"packed and shipped {len(shipped)} parcels ({len(ready)} printed) in {elapsed:.1f} s "
          f"({len(ready) / elapsed * 3600:,.0f} parcels per hour of machine time); "
          f"{labels} label files, {documents} document files")
    print(f"last scan -> papers out: median {statistics.median(ms):.0f} ms, "
          f"95th percentile {ms[int(len(ms) * 0.95) - 1]:.0f} ms, worst {ms[-1]:.0f} ms "
          f"(target < 300 ms per parcel)")
    worst = max(watch.stalls, default=0.0) * 1000
    print(f"event-loop stalls over {STALL_S * 1000:.0f} ms: {len(watch.stalls)} "
          f"(worst {worst:.0f} ms; target none)")


if __name__ == "__main__":
    main()
