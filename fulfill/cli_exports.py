"""`fulfill exports …`: the export paperwork of a period from the command line
(services.export_*): customs rates, the declaration batch and its numbers, the VAT
zero-rating statement, export figures, checks and settings."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from fulfill.errors import FulfillError


def add_parsers(commands) -> None:
    """`fulfill exports …`: the export paperwork of a period (services.export_*)."""
    exports = commands.add_parser(
        "exports", help="export declarations, the VAT zero-rating statement, export figures",
        description="Periods are Korean calendar days of shipping: --quarter 2026Q3, "
                    "--period 2026-07 (a month or a year), or --from/--to dates (both "
                    "included). Without one: last quarter.")
    tasks = exports.add_subparsers(dest="task", metavar="TASK", required=True)
    store = argparse.ArgumentParser(add_help=False)
    store.add_argument("--db", type=Path, required=True, metavar="PATH")
    period = argparse.ArgumentParser(add_help=False)
    period.add_argument("--quarter", metavar="YYYYQn", help="e.g. 2026Q3")
    period.add_argument("--period", metavar="TEXT", help="a quarter, a month (2026-07) or a year")
    period.add_argument("--from", dest="first", metavar="YYYY-MM-DD")
    period.add_argument("--to", dest="last", metavar="YYYY-MM-DD")

    rates = tasks.add_parser("rates", help="customs exchange rates (관세청 과세환율) by week")
    rate_tasks = rates.add_subparsers(dest="rate_task", metavar="ACTION", required=True)
    listed = rate_tasks.add_parser("list", parents=[store], help="list the stored rates")
    listed.add_argument("--currency", metavar="CCY")
    add = rate_tasks.add_parser("add", parents=[store], help="enter one week's rate")
    add.add_argument("currency", metavar="CCY")
    add.add_argument("applies_from", metavar="YYYY-MM-DD", help="the day it applies from")
    add.add_argument("rate", metavar="RATE", help="won per unit, e.g. 1385.20")
    add.add_argument("--unit", type=int, choices=(1, 100),
                     help="per 1 or per 100 units (default: 100 for JPY, VND, IDR)")
    imported = rate_tasks.add_parser("import", parents=[store],
                                     help="import the rate file downloaded from customs")
    numbers = tasks.add_parser("numbers", help="export declaration numbers (수출신고번호)")
    number_tasks = numbers.add_subparsers(dest="number_task", metavar="ACTION", required=True)
    number_file = number_tasks.add_parser(
        "import", parents=[store], help="match a file's declaration numbers to orders",
        description="A CSV or XLSX with order numbers and declaration numbers (the "
                    "declaration batch, filled in, will do). Writes nothing while a row is "
                    "rejected, unless --skip-rejected.")
    for sub in (imported, number_file):
        sub.add_argument("file", type=Path, metavar="FILE")
        sub.add_argument("--dry-run", action="store_true", help="show what would change")
        sub.add_argument("--skip-rejected", action="store_true",
                         help="import the good rows and leave the rejected ones out")
    one = number_tasks.add_parser("set", parents=[store], help="give one order its number")
    one.add_argument("order", metavar="ORDER", help="order number or internal id")
    one.add_argument("number", metavar="NUMBER", help="e.g. 12865-24-008922X ('' to clear)")
    one.add_argument("--date", metavar="YYYY-MM-DD", help="the declaration's date (수리일자)")

    declaration = tasks.add_parser(
        "declaration", parents=[store, period], help="the e-commerce export declaration batch",
        description="One line per order with HS code, quantity, weight and FOB value in the "
                    "order currency and in won; orders over the simplified limit are marked "
                    "for a regular declaration. Refuses while a rate or customs data is "
                    "missing, unless --skip-incomplete.")
    declaration.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx|FILE.csv")
    declaration.add_argument("--skip-incomplete", action="store_true",
                             help="leave out orders lacking an HS code, weight or value")
    declaration.add_argument("--undeclared", action="store_true",
                             help="only orders without a declaration number yet")
    statement = tasks.add_parser(
        "statement", parents=[store, period],
        help="the 수출실적명세서 and Korea Post receipts list for the VAT return")
    statement.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|.xlsx|.csv")
    figures = tasks.add_parser("figures", parents=[store, period],
                               help="exports by country, channel, HS chapter or month")
    figures.add_argument("--by", choices=("country", "channel", "hs", "month"),
                         action="append", help="one grouping (repeat for several; default all)")
    figures.add_argument("--csv", "--out", dest="out", type=Path, metavar="FILE",
                         help="also write the figures to FILE.csv or FILE.xlsx")
    tasks.add_parser("check", parents=[store, period],
                     help="what the paperwork still needs, order by order")
    settings = tasks.add_parser(
        "settings", parents=[store], help="show or change the export settings",
        description="Rules the reference leaves unverified are settings: which day picks "
                    "the rate, what FOB holds, and the simplified-declaration limits.")
    settings.add_argument("--rate-date", choices=("ship_date", "declaration_date"))
    settings.add_argument("--fob", choices=("goods", "goods_and_shipping"))
    settings.add_argument("--limit", action="append", metavar="YYYY-MM-DD=KRW",
                          help="a limit from a date (repeat; replaces the list)")


def _period(args: argparse.Namespace):
    from fulfill.domain.export_period import Period, kst_date

    try:
        if args.first or args.last:
            if not (args.first and args.last):
                raise ValueError("give both --from and --to")
            return Period.days(date.fromisoformat(args.first), date.fromisoformat(args.last))
        if args.quarter or args.period:
            return Period.parse(args.quarter or args.period)
    except ValueError as error:
        raise FulfillError(f"{error}.", "Write --quarter 2026Q3, --period 2026-07, or "
                                        "--from 2026-07-01 --to 2026-09-30.") from None
    return Period.last_quarter(kst_date(datetime.now(UTC)))


def _day(text: str) -> date:
    """A YYYY-MM-DD argument as a date."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FulfillError(f"{text!r} is not a date.", "Write it as YYYY-MM-DD.") from None


def _won(amount) -> str:
    return f"{amount.minor:,}" if amount is not None else "—"


def _print_rejected(rejected, skipped_word: str = "rejected") -> None:
    for row in rejected:
        print(f"  {skipped_word} {row}", file=sys.stderr)


def _cmd_export_rates(args: argparse.Namespace) -> int:
    from fulfill.services import export_rates
    from fulfill.storage import Store

    with Store.open(args.db, create=False) as store:
        if args.rate_task == "list":
            for rate in export_rates.rates(store, args.currency):
                print(f"{rate.currency}  {rate.applies_from}  {rate.text:>14}  {rate.source}")
            return 0
        if args.rate_task == "add":
            rate = export_rates.enter_rate(store, args.currency, _day(args.applies_from),
                                           args.rate, args.unit)
            print(f"{rate.currency} from {rate.applies_from}: {rate.text} won")
            return 0
        preview = export_rates.preview_rate_file(store, args.file)
        for row in preview.rows:
            change = f" (was {row.replaces.text})" if row.replaces else ""
            print(f"  {row.rate.currency}  {row.rate.applies_from}  {row.rate.text}{change}")
        _print_rejected(preview.rejected)
        _print_rejected(preview.skipped, "skipped")
        print(f"{args.file.name}: {len(preview.rows)} new or changed, {preview.unchanged} "
              f"unchanged, {len(preview.rejected)} rejected", file=sys.stderr)
        if args.dry_run:
            return 0
        done = export_rates.import_rates(store, preview, skip_rejected=args.skip_rejected)
    print(f"{done.added} rate(s) added, {done.replaced} replaced")
    return 0


def _cmd_export_numbers(args: argparse.Namespace) -> int:
    from fulfill.cli import order_by_text
    from fulfill.services import export_declaration
    from fulfill.storage import Store

    with Store.open(args.db, create=False) as store:
        if args.number_task == "set":
            order_id = order_by_text(store, args.order)
            if not args.number.strip():
                export_declaration.clear_declaration_number(store, order_id, actor="cli")
                print(f"{args.order}: declaration number cleared")
                return 0
            done = export_declaration.set_declaration_number(
                store, order_id, args.number, declared_on=_day(args.date) if args.date else None,
                actor="cli")
            print(f"{args.order}: {done.number}")
            return 0
        preview = export_declaration.preview_numbers_file(store, args.file)
        for row in preview.rows:
            change = f" (was {row.replaces})" if row.replaces else ""
            print(f"  {row.order_number}  {row.declaration.number}{change}")
        _print_rejected(preview.rejected)
        print(f"{args.file.name}: {len(preview.rows)} new or changed, {preview.unchanged} "
              f"unchanged, {preview.blank} without a number, {len(preview.rejected)} rejected",
              file=sys.stderr)
        if args.dry_run:
            return 0
        count = export_declaration.import_numbers(store, preview,
                                                  skip_rejected=args.skip_rejected, actor="cli")
    print(f"{count} order(s) given their declaration number")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.task == "rates":
        return _cmd_export_rates(args)
    if args.task == "numbers":
        return _cmd_export_numbers(args)
    from fulfill.services import (
        export_checks, export_declaration, export_figures, export_lines, export_statement,
    )
    from fulfill.storage import Store

    if args.task == "settings":
        return _cmd_export_settings(args)
    period = _period(args)
    with Store.open(args.db, create=False) as store:
        if args.task == "declaration":
            batch = export_declaration.write_declaration(
                store, period, args.out, leave_out_incomplete=args.skip_incomplete,
                undeclared_only=args.undeclared)
            for item in batch.left_out:
                print(f"left out {item.order_number}: {item.reason}", file=sys.stderr)
            print(f"{period.label}: {len(batch.lines)} order(s), {len(batch.regular)} over the "
                  f"simplified limit, written to {args.out}")
            return 0
        if args.task == "statement":
            written = export_statement.write_statement(store, period, args.out)
            done = written.statement
            for item in done.left_out:
                print(f"not listed {item.order_number}: {item.reason}", file=sys.stderr)
            print(f"{period.vat_term or period.label}: {len(done.lines)} declaration line(s) "
                  f"{_won(done.krw)} won, {len(done.receipts)} postal parcel(s) "
                  f"{_won(done.receipts_krw)} won; written to "
                  + ", ".join(str(path) for path in written.paths))
            return 0
        if args.task == "figures":
            groups = [export_figures.FigureKey(key) for key in args.by or ()] or list(
                export_figures.FigureKey)
            if args.out:
                done = export_figures.write_figures(store, period, args.out, groups)
            else:
                done = export_figures.figures(store, period)
            for group in groups:
                print(f"— {group.value}")
                for row in done.groups[group]:
                    short = f"  ({row.unconverted} without rate)" if row.unconverted else ""
                    amounts = ", ".join(str(m) for m in row.by_currency.values())
                    print(f"  {row.label:<34} {row.orders:>5}  {_won(row.krw):>14} won  "
                          f"{amounts}{short}")
            print(f"{period.label}: {done.total.orders} order(s), {_won(done.total.krw)} won"
                  + (f"; written to {args.out}" if args.out else ""))
            for currency, week in done.missing_rates:
                print(f"no {currency} rate for the week from {week}", file=sys.stderr)
            return 0
        problems = export_checks.check(store, period)
        lines = len(export_lines.export_lines(store, period))
    for problem in problems:
        stops = "/".join(sorted(problem.stops)) or "warning"
        print(f"{problem.order_number or '—':<22} {problem.what:<19} [{stops}] {problem.detail}")
    print(f"{period.label}: {lines} export order(s), {len(problems)} problem(s)")
    return 0


def _cmd_export_settings(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from fulfill.domain.export_declaration import DatedLimit, FobBasis, RateDate
    from fulfill.services import export_lines
    from fulfill.storage import Store

    with Store.open(args.db, create=False) as store:
        settings = export_lines.load_settings(store)
        if args.rate_date or args.fob or args.limit:
            limits = settings.limits
            if args.limit:
                try:
                    limits = tuple(DatedLimit(date.fromisoformat(text.split("=")[0]),
                                              int(text.split("=")[1])) for text in args.limit)
                except (ValueError, IndexError):
                    raise FulfillError(f"{' '.join(args.limit)}: a limit is YYYY-MM-DD=KRW.",
                                       "For example --limit 2024-08-01=4000000.") from None
            settings = replace(settings, rate_date=RateDate(args.rate_date or settings.rate_date),
                               fob_basis=FobBasis(args.fob or settings.fob_basis), limits=limits)
            export_lines.save_settings(store, settings)
    print(f"rate date: {settings.rate_date.value}\nFOB: {settings.fob_basis.value}")
    for limit in settings.limits:
        print(f"simplified declaration up to {limit.krw:,} won FOB from {limit.since}")
    return 0
