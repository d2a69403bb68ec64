"""Sync benchmark: 10,000 orders from a loopback WooCommerce sandbox.

Prints orders/second for a first full sync, the time of a resync when nothing changed (and
that it wrote no order), beside a plain loop that only fetches and parses the same pages —
our overhead as a ratio (target under 1.5x). Then, with the sandbox's rate limit on, the
fraction of the allowed request rate we used (target over 90%) and the throttle errors we
provoked (target 0).

    python bench/sync.py [--orders N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fulfill.channels.http import ChannelHttp  # noqa: E402
from fulfill.channels.money_time import iso_z  # noqa: E402
from fulfill.channels.ratelimit import TokenBucket  # noqa: E402
from fulfill.channels.woocommerce.client import PER_PAGE, WooCommerceConnector  # noqa: E402
from fulfill.domain import ChannelAccount, Platform  # noqa: E402
from fulfill.sandboxes import woocommerce as woo  # noqa: E402
from fulfill.services.sync import sync_account  # noqa: E402
from fulfill.storage import Store  # noqa: E402


def connector(store: Store, url: str, bucket: TokenBucket | None = None) -> WooCommerceConnector:
    known = store.accounts.all()
    account = known[0] if known else store.accounts.add(
        ChannelAccount(Platform.WOOCOMMERCE, "bench", {"site_url": url}))
    http = ChannelHttp(f"{url}/wp-json", "WooCommerce", bucket=bucket)
    return WooCommerceConnector(account, woo.SECRETS, http=http)


def plain_fetch(url: str) -> float:
    """The baseline: the same pages fetched and parsed, nothing else.

    It asks exactly what a first sync asks, window bound included, so the sandbox does the
    same work for both and the ratio is our own overhead."""
    started = time.perf_counter()
    session = requests.Session()
    session.auth = (woo.KEY, woo.SECRET)
    until = iso_z(datetime.now(UTC))
    page = 1
    while True:
        reply = session.get(f"{url}/wp-json/wc/v3/orders",
                            params={"per_page": PER_PAGE, "page": page, "orderby": "id",
                                    "order": "asc", "dates_are_gmt": "true",
                                    "modified_before": until})
        reply.json()
        if page >= int(reply.headers["X-WP-TotalPages"]):
            break
        page += 1
    return time.perf_counter() - started


class SandboxProcess:
    """The sandbox in its own process, so its work does not share our interpreter's GIL."""

    def __init__(self, orders: int, rate: float | None = None) -> None:
        command = [sys.executable, "-m", "fulfill.sandboxes", "woocommerce", "--orders", str(orders)]
        if rate:
            command += ["--rate", str(rate)]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip()

    def __enter__(self) -> SandboxProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=20.0, help="sandbox limit, requests/s")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fulfill-bench-sync-"))
    print(f"Sync benchmark: {args.orders:,} orders from a loopback WooCommerce sandbox")

    with SandboxProcess(args.orders) as sandbox:
        # Best of three for both, so a noisy neighbour on the machine does not pick the ratio.
        baseline = min(plain_fetch(sandbox.url) for _ in range(3))
        runs = []
        for attempt in range(3):
            with Store.open(folder / f"full-{attempt}.sqlite") as store:
                conn = connector(store, sandbox.url)
                started = time.perf_counter()
                report = sync_account(store, conn)
                runs.append(time.perf_counter() - started)
                assert report.created == args.orders, report
        full = min(runs)
        with Store.open(folder / "full-0.sqlite") as store:
            conn = connector(store, sandbox.url)
            before = store.db.conn.total_changes
            order_rows = store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
            started = time.perf_counter()
            again = sync_account(store, conn)
            resync = time.perf_counter() - started
            bookkeeping = store.db.conn.total_changes - before
            order_writes = store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] - order_rows
        print(f"first full sync:   {full:6.2f} s  {args.orders / full:8,.0f} orders/s  "
              f"({report.pages} pages; best of {', '.join(f'{r:.2f}' for r in runs)} s)")
        print(f"plain fetch+parse: {baseline:6.2f} s  {args.orders / baseline:8,.0f} orders/s  "
              f"-> our overhead {full / baseline:.2f}x (target < 1.5x)")
        print(f"resync, nothing changed: {resync:.2f} s, {again.unchanged:,} unchanged, "
              f"{order_writes} order rows written, {bookkeeping} sync bookkeeping rows (state, log)")

    with SandboxProcess(args.orders, rate=args.rate) as sandbox:
        with Store.open(folder / "limited.sqlite") as store:
            # Our bucket runs a hair under the limit the platform states, with no burst: pages
            # are fetched on the prefetch thread, so saving does not eat into the rate.
            conn = connector(store, sandbox.url, TokenBucket(rate=args.rate * 0.97, burst=1))
            started = time.perf_counter()
            sync_account(store, conn)
            elapsed = time.perf_counter() - started
        used = conn.http.stats.requests / elapsed
        print(f"rate-limited at {args.rate:g} req/s: {conn.http.stats.requests} requests in "
              f"{elapsed:.2f} s = {used:.1f} req/s, {used / args.rate:.0%} of the allowed rate "
              f"(target > 90%); throttle errors provoked: {conn.http.stats.throttled} (target 0)")


if __name__ == "__main__":
    main()
