"""The `fulfill` command: the desktop app by default, and a few subcommands for scripts.

  fulfill [--db PATH | --demo]          open the app on a store (default: your store)
  fulfill orders --db PATH [--status S] [--search TEXT] [--json]
  fulfill demo-data --db PATH --orders N
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from fulfill import __version__, paths
from fulfill.domain import OrderStatus
from fulfill.errors import FulfillError

EXIT_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fulfill", description="Orders, customs papers and parcels for cross-border sellers."
    )
    parser.add_argument("--version", action="version", version=f"fulfill {__version__}")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", dest="gui_db", type=Path, metavar="PATH", help="open this store file")
    where.add_argument("--demo", action="store_true", help="open the demo store (created on first use)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    orders = commands.add_parser("orders", help="list orders matching a filter")
    orders.add_argument("--db", type=Path, required=True, metavar="PATH")
    orders.add_argument("--status", choices=[s.value for s in OrderStatus], action="append",
                        help="only this status (repeat for several)")
    orders.add_argument("--search", default="", metavar="TEXT",
                        help="order number, buyer, address (any script), SKU or product title")
    orders.add_argument("--country", action="append", metavar="CC", help="destination, e.g. JP")
    orders.add_argument("--limit", type=int, default=0, metavar="N", help="at most N orders")
    orders.add_argument("--json", action="store_true", help="print JSON instead of a table")

    demo = commands.add_parser("demo-data", help="create or extend a store with demo orders")
    demo.add_argument("--db", type=Path, required=True, metavar="PATH")
    demo.add_argument("--orders", type=int, default=300, metavar="N")
    demo.add_argument("--seed", type=int, default=2026)
    return parser


def _cmd_orders(args: argparse.Namespace) -> int:
    from fulfill.services.order_report import order_as_dict
    from fulfill.storage import Store
    from fulfill.storage.order_queries import OrderFilter, order_ids

    flt = OrderFilter(
        statuses=tuple(OrderStatus(s) for s in args.status or ()),
        countries=tuple(c.upper() for c in args.country or ()),
        search=args.search,
    )
    with Store.open(args.db, create=False) as store:
        accounts = {a.id: a for a in store.accounts.all()}
        ids = order_ids(store.db, flt)
        if args.limit > 0:
            ids = ids[: args.limit]
        orders = [store.orders.get(i) for i in ids]
    if args.json:
        payload = [order_as_dict(o, accounts[o.account_id]) for o in orders]
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    from fulfill.i18n import format_money

    for o in orders:
        print(f"{o.ordered_at:%Y-%m-%d}  {o.order_number:<22} {o.status.value:<18} "
              f"{o.ship_to.country_code}  {format_money(o.grand_total):>14}  {o.buyer_name}")
    print(f"{len(orders)} order(s)")
    return 0


def _cmd_demo_data(args: argparse.Namespace) -> int:
    from fulfill.services import demo
    from fulfill.storage import Store

    if args.orders < 1:
        print("--orders must be at least 1", file=sys.stderr)
        return EXIT_ERROR
    started = time.perf_counter()

    def report(fraction: float, message: str) -> None:
        print(f"\r{message} ({fraction:.0%})", end="", file=sys.stderr, flush=True)

    # Anchored to today's midnight: running it again today changes nothing.
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    with Store.open(args.db) as store:
        count = demo.seed(store, args.orders, seed=args.seed, now=today, progress=report)
        total = store.orders.count()
    print(f"\n{count:,} demo orders written in {time.perf_counter() - started:.1f} s; "
          f"the store now holds {total:,} orders: {args.db}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "orders":
            return _cmd_orders(args)
        if args.command == "demo-data":
            return _cmd_demo_data(args)
    except FulfillError as error:
        print(f"fulfill: {error.message}\n{error.advice}".rstrip(), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("\nStopped. Everything saved before the stop is kept.", file=sys.stderr)
        return 130
    from fulfill.ui.app import run_app

    store_path = paths.demo_store_path() if args.demo else (args.gui_db or paths.default_store_path())
    return run_app(store_path, demo=args.demo)
