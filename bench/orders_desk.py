"""Orders desk benchmark on a 100,000-order store.

Prints: launch to first rows painted, search and filter latency (through our layers, in the
window end to end, and the same SQL in plain sqlite3 for the ratio), and peak memory.
Targets: first rows < 1.5 s, search and filter < 100 ms, peak memory < 400 MB.

    python bench/orders_desk.py [--orders N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CACHE = ROOT / "bench" / ".cache"
ANCHOR = datetime(2026, 11, 20, tzinfo=UTC)  # fixed, so the cached store is the same every run


def build_store(orders: int) -> Path:
    from fulfill.services import demo
    from fulfill.storage import Store

    path = CACHE / f"desk-{orders}.sqlite"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    with Store.open(partial) as store:
        demo.seed(store, orders, now=ANCHOR)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(path)
    print(f"built {orders:,}-order store in {time.perf_counter() - started:.1f} s: {path}")
    return path


def probes(path: Path):
    """The searches and filters measured, as (label, OrderFilter)."""
    from fulfill.domain import OrderStatus
    from fulfill.storage.order_queries import OrderFilter

    with sqlite3.connect(path) as conn:
        cn_name = conn.execute("SELECT ship_name FROM orders WHERE ship_country='CN' LIMIT 1 OFFSET 500").fetchone()[0]
        latin_name = conn.execute("SELECT ship_name_latin FROM orders WHERE ship_country='JP' LIMIT 1 OFFSET 700").fetchone()[0]
        sku = conn.execute("SELECT sku FROM order_lines LIMIT 1 OFFSET 31337").fetchone()[0]
    return [
        (f"search buyer {cn_name}", OrderFilter(search=cn_name)),
        (f"search buyer {latin_name}", OrderFilter(search=latin_name)),
        (f"search SKU {sku}", OrderFilter(search=sku)),
        ("filter status on hold", OrderFilter(statuses=(OrderStatus.ON_HOLD,))),
        ("filter country JP", OrderFilter(countries=("JP",))),
        ("filter last 30 days", OrderFilter(ordered_from=ANCHOR - timedelta(days=30))),
    ]


def median_ms(fn, runs: int = 15) -> float:
    fn()  # warm the page cache and statement cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def child(path: Path, launched_at: float) -> None:
    """Runs as a fresh process: the app's real start-up, then searches typed into the window."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["FULFILL_HOME"] = str(CACHE / "home")
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

    from fulfill.ui.app import application, prepare_store
    from fulfill.ui.main_window import MainWindow

    app = application()
    prepare_store(path, demo_store=False)
    window = MainWindow(path)
    result: dict = {}

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and window.model.rowCount() and "first_paint_s" not in result:
                result["first_paint_s"] = time.time() - launched_at
                QTimer.singleShot(0, loop.quit)
            return False

    # A local loop: app.quit() would close the window too (Qt 6 closes windows on quit).
    loop = QEventLoop()
    painter = FirstPaint()
    window.table.viewport().installEventFilter(painter)
    window.show()
    loop.exec()
    window.table.viewport().removeEventFilter(painter)

    def wait_applied(action) -> float:
        done = []
        window.idsApplied.connect(lambda n: done.append(n))
        started = time.perf_counter()
        action()
        deadline = time.perf_counter() + 30
        while not done:
            if time.perf_counter() > deadline:
                raise TimeoutError("the desk did not answer within 30 s")
            app.processEvents()
        elapsed = (time.perf_counter() - started) * 1000
        window.idsApplied.disconnect()
        for _ in range(3):
            app.processEvents()  # paint the new rows before the next probe
        return elapsed

    desk = {}
    for label, flt in probes(path):
        def apply(flt=flt):
            window.filters.blockSignals(True)
            window.filters.search.setText(flt.search)
            window.filters.country.setCurrentIndex(max(0, window.filters.country.findData(flt.countries[0])) if flt.countries else 0)
            window.filters.blockSignals(False)
            window.statuses.blockSignals(True)
            window.statuses.select(flt.statuses[0] if flt.statuses else None)
            window.statuses.blockSignals(False)
            window.refresh()
        if flt.ordered_from:  # the date preset is relative to today; the store's dates are fixed
            continue
        desk[label] = statistics.median(wait_applied(apply) for _ in range(5))
    wait_applied(window.clear_filters)
    window.table.scrollToBottom()
    app.processEvents()
    result["desk_ms"] = desk
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    window.close()
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--child", nargs=2, metavar=("STORE", "LAUNCHED_AT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), float(args.child[1]))
        return

    path = build_store(args.orders)
    from fulfill.storage.database import connect
    from fulfill.storage.order_queries import order_ids, order_ids_sql

    launches = []
    for _ in range(3):
        launched_at = time.time()
        out = subprocess.run([sys.executable, __file__, "--child", str(path), str(launched_at)],
                             capture_output=True, text=True, check=True).stdout
        launches.append(json.loads(out.strip().splitlines()[-1]))
    db = connect(path)
    plain = sqlite3.connect(path)
    print(f"\nOrders desk, {args.orders:,} orders ({path.stat().st_size / 1e6:.0f} MB store)")
    first = [r["first_paint_s"] for r in launches]
    print(f"launch to first rows painted: {statistics.median(first):.2f} s "
          f"(median of 3: {', '.join(f'{t:.2f}' for t in first)}; target < 1.5 s)")
    print(f"\n{'query':<40} {'matches':>8} {'plain sqlite3':>14} {'fulfill layer':>14} {'ratio':>6} {'window':>9}")
    desk = launches[-1]["desk_ms"]
    for label, flt in probes(path):
        sql, params = order_ids_sql(flt)
        count = len(order_ids(db, flt))
        base = median_ms(lambda: plain.execute(sql, params).fetchall())
        ours = median_ms(lambda: order_ids(db, flt))
        window = f"{desk[label]:.1f} ms" if label in desk else "-"
        print(f"{label:<40} {count:>8,} {base:>11.1f} ms {ours:>11.1f} ms {ours / base:>5.2f}x {window:>9}")
    print("(window: from changing the filter to the new ids in the table, measured in the app)")
    peak = max(r["peak_rss_mb"] for r in launches)
    print(f"\npeak memory of the app: {peak:.0f} MB (target < 400 MB)")


if __name__ == "__main__":
    main()
