"""The `fulfill` command: the desktop app by default, and a few subcommands for scripts.

  fulfill [--db PATH | --demo]          open the app on a store (default: your store)
  fulfill --self-test                   check the installation and exit (0 when all is well)
  fulfill orders --db PATH [--status S] [--search TEXT] [--json]
  fulfill demo-data --db PATH --orders N
  fulfill docs --db PATH --order ID --kind KIND [--lang CODE] [--paper A4|Letter] --out FILE.pdf
  fulfill batch --db PATH (--status S | --order ID ...) --kind KIND --out FILE.pdf
  fulfill returns --db PATH [--status S] [--json]
  fulfill exports rates list|add|import ...  customs exchange rates by week
  fulfill exports declaration --db PATH [--quarter 2026Q3] --out FILE.xlsx|.csv
  fulfill exports statement --db PATH [--quarter 2026Q3] --out FILE.pdf|.xlsx|.csv
  fulfill exports figures --db PATH [--quarter Q | --from D --to D] [--by KEY] [--csv FILE]
  fulfill exports check --db PATH [--quarter 2026Q3]
  fulfill exports numbers import|set ...     export declaration numbers back onto orders
  fulfill exports settings --db PATH [--rate-date ...] [--fob ...] [--limit DATE=KRW ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from fulfill import __version__, cli_exports, paths
from fulfill.files import write_atomically
from fulfill.domain import OrderStatus, ReturnStatus
from fulfill.errors import FulfillError

EXIT_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fulfill", description="Orders, customs papers and parcels for cross-border sellers."
    )
    parser.add_argument("--version", action="version", version=f"fulfill {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation (store, fonts, locales, PDF) and exit")
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
    demo.add_argument("--no-returns", dest="returns", action="store_false",
                      help="leave out the demo returns and exchanges")
    demo.add_argument("--no-exports", dest="exports", action="store_false",
                      help="leave out the shipped parcels, customs rates and declarations")

    kinds = ("label", "invoice", "cn22", "cn23", "customs", "packing-slip", "pick-list")
    docs = commands.add_parser(
        "docs", help="write one kind of paper for an order (or a few) to a PDF",
        description="Write a label, invoice, CN22/CN23 ('customs' picks by value), packing "
                    "slip or pick list. Refuses, writing nothing, when customs data is missing.")
    batch = commands.add_parser(
        "batch", help="write one kind of paper for many orders to one PDF",
        description="Orders chosen by --status print when they can; those that cannot are "
                    "listed with what is missing. Orders named with --order must all print.")
    for sub in (docs, batch):
        sub.add_argument("--db", type=Path, required=True, metavar="PATH")
        sub.add_argument("--order", action="append", required=sub is docs, default=[],
                         metavar="ID", help="order number or internal id (repeat for several)")
        sub.add_argument("--kind", choices=kinds, required=True)
        sub.add_argument("--lang", default=None, metavar="CODE",
                         help="invoice's second language (default: the destination's), e.g. ja")
        sub.add_argument("--paper", choices=("A4", "Letter"), default="A4")
        sub.add_argument("--dpi", type=int, choices=(203, 300), default=203,
                         help="label printer resolution")
        sub.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    batch.add_argument("--status", choices=[s.value for s in OrderStatus],
                       help="every order of this status, oldest first")

    threshold = commands.add_parser(
        "cn23-threshold", help="show or set the value from which CN 23 replaces CN 22",
        description="The UPU line is 300 SDR; Korea Post publishes what that is in each "
                    "currency. Set the figure per currency (e.g. USD 400.00), or --reset it "
                    "to the built-in table.")
    threshold.add_argument("--db", type=Path, required=True, metavar="PATH")
    threshold.add_argument("--currency", metavar="CCY", help="e.g. USD, JPY, KRW")
    threshold.add_argument("--amount", metavar="AMOUNT", help="e.g. 400.00")
    threshold.add_argument("--reset", action="store_true", help="back to the built-in figure")

    returns = commands.add_parser(
        "returns", help="list returns and exchanges (RMAs)",
        description="Every RMA, oldest first, with its days open. OVERDUE marks a return "
                    "whose parcel has not come within the store's overdue days of approval "
                    "(14 unless the store says otherwise).")
    returns.add_argument("--db", type=Path, required=True, metavar="PATH")
    returns.add_argument("--status", choices=[s.value for s in ReturnStatus], action="append",
                         help="only this status (repeat for several)")
    returns.add_argument("--json", action="store_true", help="print JSON instead of a table")
    cli_exports.add_parsers(commands)
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
        count = demo.seed(store, args.orders, seed=args.seed, now=today, progress=report,
                          returns=args.returns, exports=args.exports)
        total = store.orders.count()
    print(f"\n{count:,} demo orders written in {time.perf_counter() - started:.1f} s; "
          f"the store now holds {total:,} orders: {args.db}", file=sys.stderr)
    return 0


def order_by_text(store, text: str) -> int:
    """An order by its number as the channel shows it (with or without '#'), or by id."""
    text = text.strip()
    for number in dict.fromkeys((text, f"#{text}", text.lstrip("#"))):
        ids = [r[0] for r in store.db.execute(
            "SELECT id FROM orders WHERE order_number = ? ORDER BY id", [number])]
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            raise FulfillError(f"Order number {number} belongs to {len(ids)} orders "
                               f"(ids {', '.join(map(str, ids))}).",
                               "Give the internal id with --order instead.")
    if text.isdigit() and store.db.execute("SELECT 1 FROM orders WHERE id = ?",
                                           [int(text)]).fetchone():
        return int(text)
    raise FulfillError(f"There is no order {text!r} in {store.path.name}.",
                       "Give an order number as the channel shows it, or the internal id "
                       "(see `fulfill orders`).")


def _cmd_papers(args: argparse.Namespace) -> int:
    from fulfill.services import papers
    from fulfill.storage import Store

    with Store.open(args.db, create=False) as store:
        ids = list(dict.fromkeys(order_by_text(store, text) for text in args.order))
        skipped: dict = {}
        if args.command == "batch" and not ids:
            if not args.status:
                print("fulfill batch: give --status or at least one --order", file=sys.stderr)
                return EXIT_ERROR
            ids, skipped = papers.printable(store, papers.order_ids_for(store, status=args.status),
                                            args.kind)
            numbers = papers.order_numbers(store, skipped)
            for order_id, gaps in skipped.items():
                print(f"skipped {numbers.get(order_id, order_id)}: "
                      + "; ".join(str(g) for g in gaps), file=sys.stderr)
            if not ids:
                print(f"fulfill: no {args.status} order can be printed"
                      + (f" ({len(skipped)} skipped, see above)" if skipped else ""),
                      file=sys.stderr)
                return EXIT_ERROR
        job = papers.render(store, ids, args.kind, paper=args.paper, language=args.lang,
                            dpi=args.dpi)
    try:
        write_atomically(args.out, job.pdf)
    except OSError as error:
        print(f"fulfill: cannot write {args.out}: {error.strerror or error}", file=sys.stderr)
        return EXIT_ERROR
    orders = len(job.order_ids)
    print(f"{job.kind}: {job.pages} page{'s' if job.pages != 1 else ''} for {orders} "
          f"order{'s' if orders != 1 else ''} ({job.printer} printer) written to {args.out}"
          + (f"; {len(skipped)} skipped" if skipped else ""))
    return 0


def _cmd_cn23_threshold(args: argparse.Namespace) -> int:
    from fulfill.documents.customs_forms import SDR_300
    from fulfill.domain import Money
    from fulfill.i18n import format_money
    from fulfill.storage import Store

    with Store.open(args.db) as store:
        if args.currency:
            currency = args.currency.upper()
            if args.reset:
                store.settings.save_cn23_threshold(currency, None)
            elif args.amount:
                try:
                    store.settings.save_cn23_threshold(currency, Money.parse(args.amount, currency))
                except ValueError as error:
                    print(f"fulfill: {error}", file=sys.stderr)
                    return EXIT_ERROR
        saved = store.settings.cn23_thresholds()
    for code in sorted(set(SDR_300) | set(saved)):
        amount = saved.get(code) or SDR_300[code]
        source = "set for this store" if code in saved else "built-in"
        print(f"{code}  {format_money(amount):>18}  {source}")
    return 0


def _cmd_returns(args: argparse.Namespace) -> int:
    from fulfill.services import returns
    from fulfill.storage import Store

    with Store.open(args.db, create=False) as store:
        report = returns.rma_report(store, [ReturnStatus(s) for s in args.status or ()])
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for rma in report:
        items = sum(line["quantity"] for line in rma["lines"])
        refunded = rma["refunded"]
        print(f"{rma['code']}  {rma['opened_at'][:10]}  {rma['order_number']:<22} "
              f"{rma['kind']:<11} {rma['status']:<15} {items:>3} item(s)  "
              f"{rma['days_open']:>3} d  "
              f"{refunded['amount'] + ' ' + refunded['currency'] if refunded['minor'] else '':>14}"
              f"{'  OVERDUE' if rma['overdue'] else ''}")
    print(f"{len(report)} RMA(s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "orders":
            return _cmd_orders(args)
        if args.command == "demo-data":
            return _cmd_demo_data(args)
        if args.command in ("docs", "batch"):
            return _cmd_papers(args)
        if args.command == "cn23-threshold":
            return _cmd_cn23_threshold(args)
        if args.command == "returns":
            return _cmd_returns(args)
        if args.command == "exports":
            return cli_exports.run(args)
    except FulfillError as error:
        print(f"fulfill: {error.message}\n{error.advice}".rstrip(), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("\nStopped. Everything saved before the stop is kept.", file=sys.stderr)
        return 130
    if args.self_test:
        from fulfill.ui.self_test import run_self_test
        return run_self_test()
    from fulfill.ui.app import run_app

    store_path = paths.demo_store_path() if args.demo else (args.gui_db or paths.default_store_path())
    return run_app(store_path, demo=args.demo)
