"""Orders from a downloaded order sheet (CSV or XLSX), for marketplaces without an API.

Gmarket/Auction (ESM+), 11st, Lotte ON and Naver Smart Store let a seller download new
orders as a spreadsheet. read_table reads one, every cell as text; preview turns its rows into
orders through a ColumnMapping and lists every row it cannot use with the reason;
import_orders saves the accepted ones. Plain Python, no Qt. Errors and rejected-row reasons
are shown to the seller and are in the interface's language; sheet data stays as it is.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from fulfill.domain import Order, OrderStatus
from fulfill.files import decode_spreadsheet_text
from fulfill.services.file_import_mapping import (
    CellProblem, ColumnMapping, FileImportError, MappingStore, RowView, SheetRow,
    field_label, parse_country, parse_currency, read_row, suggest_mapping,
)
from fulfill.storage import Store
from fulfill.storage.orders import SaveResult
from fulfill.translation import N_, _

__all__ = [
    "ColumnMapping", "FileImportError", "ImportPreview", "MappingStore", "RawTable",
    "RejectedRow", "import_orders", "preview", "read_table", "suggest_mapping",
]

HEADER_MIN_CELLS = 3  # Korean exports often put a title row (one cell) above the header
_TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or any password-protected workbook
_NOT_SHEETS = {b"\x89PNG": N_("a PNG image"), b"\xff\xd8\xff": N_("a JPEG image"),
               b"GIF8": N_("a GIF image"), b"%PDF": N_("a PDF document")}
# Shown as _(_RESAVE).
_RESAVE = N_("Open it in Excel and save it as Excel Workbook (.xlsx) or CSV UTF-8, then import "
             "that file.")


# --- reading a sheet ------------------------------------------------------------------------

@dataclass(slots=True)
class RawTable:
    """A sheet as text: the header row and the non-empty rows below it, as wide as the header."""

    path: Path
    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int]  # each row's number as the spreadsheet shows it
    header_row: int
    source_format: str  # "xlsx" or "csv"
    encoding: str = ""  # CSV only: utf-8-sig, utf-8, utf-16 or cp949
    delimiter: str = ""
    sheet: str = ""
    sheet_names: list[str] = field(default_factory=list)

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        for number, row in zip(self.row_numbers, self.rows, strict=True):
            yield number, dict(zip(self.headers, row, strict=True))


def read_table(path: Path, sheet: str | None = None) -> RawTable:
    """Read a CSV or XLSX order sheet; FileImportError says what is wrong and what to do."""
    path = Path(path)
    data = _read_bytes(path)
    if _looks_like_xlsx(path, data):
        return _read_xlsx(path, data, sheet)
    return _read_csv(path, data)


def _read_bytes(path: Path) -> bytes:
    if path.suffix.lower() not in _TEXT_SUFFIXES | _EXCEL_SUFFIXES:
        raise FileImportError(_("{name} is not an order sheet fulfill can read.").format(
                                  name=path.name), _choose_sheet_advice())
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise FileImportError(_("{name} is not there any more.").format(name=path.name),
                              _("Download the order sheet again and choose it.")) from None
    except OSError as exc:
        raise FileImportError(_("{name} cannot be opened ({error}).").format(
                                  name=path.name, error=exc.strerror),
                              _("Close it in Excel or any other program, then try "
                                "again.")) from exc


def _choose_sheet_advice() -> str:
    return _("Choose the .xlsx or .csv file downloaded from the order page.")


def _looks_like_xlsx(path: Path, data: bytes) -> bool:
    """True for a workbook; False for text; FileImportError for anything else."""
    if not data.strip():
        raise _empty(path)
    if data.startswith(b"PK\x03\x04"):
        return True
    if data.startswith(_OLE):
        raise FileImportError(_("{name} is a password-protected or old (.xls) Excel "
                                "file.").format(name=path.name),
                              _("Open it in Excel (type the password if asked) and save it as "
                                "Excel Workbook (.xlsx) without a password, then import that "
                                "file."))
    for magic, what in _NOT_SHEETS.items():
        if data.startswith(magic):
            # Translators: "orders.xlsx is a PNG image, not a spreadsheet."
            raise FileImportError(_("{name} is {what}, not a spreadsheet.").format(
                                      name=path.name, what=_(what)),
                                  _("Choose the order sheet downloaded from the marketplace."))
    head = data[:512].lstrip(codecs.BOM_UTF8 + b" \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype", b"<table", b"<?xml")):
        raise FileImportError(_("{name} is a web page saved with a spreadsheet name.").format(
            name=path.name), _(_RESAVE))
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in data[:4096] and not utf16:
        raise FileImportError(_("{name} is not a spreadsheet fulfill can read.").format(
            name=path.name), _choose_sheet_advice())
    return False  # text, even when named .xls: some Korean admin pages export TSV that way


def _empty(path: Path) -> FileImportError:
    return FileImportError(_("{name} is empty.").format(name=path.name),
                           _("Download the order sheet again; if the marketplace shows no new "
                             "orders, there is nothing to import."))


def _read_xlsx(path: Path, data: bytes, sheet: str | None) -> RawTable:
    from openpyxl import load_workbook  # imported here: only file import needs it

    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions it skips; the cell values are unaffected.
        warnings.simplefilter("ignore")
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # a damaged zip or XML can fail anywhere inside openpyxl
            raise _damaged(path, exc) from exc
        try:
            names = [ws.title for ws in book.worksheets]
            ws = _pick_sheet(path, book, names, sheet)
            ws.reset_dimensions()  # some exporters write a wrong size; read every row there is
            grid = [(n, [_cell_text(c) for c in row]) for n, row in enumerate(ws.iter_rows(), 1)]
        except FileImportError:
            raise
        except Exception as exc:
            raise _damaged(path, exc) from exc
        finally:
            book.close()
    return _build_table(path, grid, source_format="xlsx", sheet=ws.title, sheet_names=names)


def _damaged(path: Path, exc: Exception) -> FileImportError:
    return FileImportError(_("{name} is a damaged Excel file ({error}).").format(
                               name=path.name, error=type(exc).__name__),
                           _("Download the order sheet again.") + " " + _(_RESAVE))


def _pick_sheet(path: Path, book: Any, names: list[str], sheet: str | None) -> Any:
    if not names:
        raise FileImportError(_("{name} has no worksheet.").format(name=path.name), _(_RESAVE))
    if sheet is None:
        return book.worksheets[0]
    if sheet not in names:
        raise FileImportError(_("{name} has no sheet named {sheet}.").format(
                                  name=path.name, sheet=repr(sheet)),
                              _("Choose one of: {choices}.").format(choices=", ".join(names)))
    return book.worksheets[names.index(sheet)]


def _cell_text(cell: Any) -> str:
    """A cell as the text the seller sees: 6012345678901, not 6.012345678901e12."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    elif isinstance(value, int):
        text = str(value)
    else:
        return str(value)
    # A postal code 05510 stored as the number 5510 with format "00000" shows as 05510.
    fmt = cell.number_format or ""
    if re.fullmatch(r"0+", fmt) and text.isdigit():
        return text.zfill(len(fmt))
    return text


def _read_csv(path: Path, data: bytes) -> RawTable:
    text, encoding = _decode(path, data)
    if not text.strip():
        raise _empty(path)
    delimiter = _sniff_delimiter(text)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        grid = [(n, row) for n, row in enumerate(reader, 1)]
    except csv.Error as exc:
        raise FileImportError(_("{name} is not a well-formed CSV file ({error}).").format(
                                  name=path.name, error=exc), _(_RESAVE)) from exc
    return _build_table(path, grid, source_format="csv", encoding=encoding, delimiter=delimiter)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    decoded = decode_spreadsheet_text(data)
    if decoded is not None:
        return decoded
    raise FileImportError(_("{name} is in a text encoding fulfill does not recognise.").format(
                              name=path.name),
                          _("Open it in Excel and save it as CSV UTF-8 (쉼표로 분리) or as .xlsx, "
                            "then import that file."))


def _filled(cells: list[str]) -> int:
    return sum(1 for cell in cells if cell.strip())


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header row into the most filled cells."""
    best, best_count = ",", 0
    for delimiter in (",", "\t", ";"):
        reader = csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter)
        try:
            count = next((_filled(r) for r in islice(reader, 50)
                          if _filled(r) >= HEADER_MIN_CELLS), 0)
        except csv.Error:
            count = 0
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _build_table(path: Path, grid: list[tuple[int, list[str]]], **info: Any) -> RawTable:
    header_at = next((i for i, (_number, cells) in enumerate(grid)
                      if _filled(cells) >= HEADER_MIN_CELLS), None)
    if header_at is None:
        raise FileImportError(_("{name} has no row of column headings.").format(name=path.name),
                              _("fulfill looks for the first row with at least three filled "
                                "cells (주문번호, 수취인명, 주소...). Check that this is the order "
                                "sheet."))
    header_row, header_cells = grid[header_at]
    body = [(n, cells) for n, cells in grid[header_at + 1:] if _filled(cells)]
    width = max(_used_width(cells) for _number, cells in [grid[header_at], *body])
    rows = [(cells + [""] * width)[:width] for _number, cells in body]
    return RawTable(path, _unique_headers(header_cells, width), rows, [n for n, _cells in body],
                    header_row, **info)


def _used_width(cells: list[str]) -> int:
    return max((i + 1 for i, cell in enumerate(cells) if cell.strip()), default=0)


def _unique_headers(cells: list[str], width: int) -> list[str]:
    """Header names usable as keys: blanks become "Column F", repeats get " (2)"."""
    names: list[str] = []
    for index in range(width):
        base = " ".join(cells[index].split()) if index < len(cells) else ""
        base = base or f"Column {_column_letter(index)}"
        name, n = base, 1
        while name in names:
            n += 1
            name = f"{base} ({n})"
        names.append(name)
    return names


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- rows to orders --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RejectedRow:
    row: int  # as the spreadsheet shows it
    reason: str

    def __str__(self) -> str:
        return _("row {row}: {reason}").format(row=self.row, reason=self.reason)


@dataclass(slots=True)
class ImportPreview:
    """Every accepted order and every rejected row; `sample` is what a preview table shows."""

    orders: list[Order]
    rejected: list[RejectedRow]
    rows_read: int
    limit: int | None = 50
    undated: frozenset[str] = frozenset()  # order numbers whose row had no order date

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected)

    @property
    def rows_accepted(self) -> int:
        return self.rows_read - len(self.rejected)

    @property
    def line_count(self) -> int:
        return sum(len(order.lines) for order in self.orders)

    @property
    def sample(self) -> list[Order]:
        return self.orders if self.limit is None else self.orders[:self.limit]


def preview(
    table: RawTable,
    mapping: ColumnMapping,
    *,
    account_id: int,
    default_currency: str,
    default_country: str,
    limit: int | None = 50,
    now: datetime | None = None,
) -> ImportPreview:
    """Orders from the table's rows, grouped by order number, and the rows that cannot be used.

    A problem in one row keeps its whole order out (shipping part of an order is worse than
    shipping it a little later); other orders still import. Orders whose sheet has no date
    get `now`. `limit` only bounds `sample`: all orders are checked and kept for import.
    """
    _check_mapping(table, mapping, default_currency, default_country)
    defaults = (mapping.default_currency or default_currency,
                mapping.default_country or default_country)
    parsed: list[SheetRow] = []
    rejected: list[RejectedRow] = []
    broken: dict[str, int] = {}  # order number -> first row with a problem
    for number, cells in table.records():
        try:
            parsed.append(read_row(number, cells, mapping, *defaults))
        except CellProblem as problem:
            rejected.append(RejectedRow(number, str(problem)))
            order_number = RowView(cells, mapping).get("order_number")
            if order_number:
                broken.setdefault(order_number, number)
    orders = _group(parsed, broken, rejected, account_id, now or datetime.now(UTC))
    rejected.sort(key=lambda r: r.row)
    undated = frozenset(o.platform_order_id for o in orders if o.raw.get("date_from") == "import")
    return ImportPreview(orders, rejected, len(table.rows), limit, undated)


def _check_mapping(table: RawTable, mapping: ColumnMapping, currency: str, country: str) -> None:
    missing = [field_label(f) for f in mapping.missing_required()]
    if missing:
        raise FileImportError(_("No column is chosen for: {fields}.").format(
                                  fields=_(", ").join(missing)),
                              _("Choose the sheet column for each of them, then preview again."))
    absent = [h for h in mapping.columns().values() if h not in table.headers]
    if absent:
        raise FileImportError(
            _("{name} has no column {columns}.").format(
                name=table.path.name, columns=", ".join(repr(h) for h in absent)),
            _("The marketplace may have changed its export: check the column mapping."))
    try:
        parse_currency(mapping.default_currency or currency)
        if mapping.default_country or country:
            parse_country(mapping.default_country or country)
    except CellProblem as problem:
        # Translators: {problem} is a cell problem such as "currency 'XYZ' is not a currency
        # code such as KRW or USD", here about the mapping's default value.
        raise FileImportError(_("The default {problem}.").format(problem=problem),
                              _("Correct it in the column mapping.")) from None


def _group(rows: list[SheetRow], broken: dict[str, int], rejected: list[RejectedRow],
           account_id: int, now: datetime) -> list[Order]:
    groups: dict[str, list[SheetRow]] = {}
    for row in rows:
        groups.setdefault(row.order_number, []).append(row)
    orders = []
    for number, members in groups.items():
        if number in broken:
            rejected.extend(RejectedRow(r.number, _(
                "order {number} is not imported because row {row} has a problem").format(
                    number=number, row=broken[number])) for r in members)
            continue
        kept = [members[0]]
        for row in members[1:]:
            problem = _conflict(members[0], row)
            if problem:
                rejected.append(RejectedRow(row.number, problem))
            else:
                kept.append(row)
        orders.append(_order(kept, account_id, now))
    return orders


def _conflict(first: SheetRow, row: SheetRow) -> str:
    """Why `row` cannot belong to the order that `first` started, or ""."""
    a, b = first.address, row.address
    if a.typed.name != b.typed.name:
        return _("order {number} is also on row {row} with a different recipient ({first} / "
                 "{other})").format(number=row.order_number, row=first.number,
                                    first=a.typed.name, other=b.typed.name)
    if (a.typed, a.postal_code, a.country_code) != (b.typed, b.postal_code, b.country_code):
        return _("order {number} is also on row {row} with a different delivery "
                 "address").format(number=row.order_number, row=first.number)
    if first.line.unit_price.currency != row.line.unit_price.currency:
        return _("order {number} is also on row {row} in {currency}, this row in "
                 "{other}").format(number=row.order_number, row=first.number,
                                   currency=first.line.unit_price.currency,
                                   other=row.line.unit_price.currency)
    return ""


def _order(rows: list[SheetRow], account_id: int, now: datetime) -> Order:
    first = rows[0]
    ordered_at = next((r.ordered_at for r in rows if r.ordered_at), None)
    # Sheets repeat an order's shipping fee on each line or put it on one and 0 on the
    # others; adding them up would charge it twice, so take the first one that is not 0.
    fees = [r.shipping for r in rows if r.shipping is not None]
    raw: dict[str, Any] = {"rows": [r.cells for r in rows]}
    tracking = next((r.tracking for r in rows if r.tracking), "")
    if tracking:
        raw["tracking_number"] = tracking
    if ordered_at is None:
        raw["date_from"] = "import"  # ordered_at is the import time; a re-import keeps the first
    return Order(
        account_id=account_id, platform_order_id=first.order_number,
        order_number=first.order_number, status=OrderStatus.AWAITING_SHIPMENT,
        ordered_at=ordered_at or now, currency=first.line.unit_price.currency,
        ship_to=first.address, lines=[r.line for r in rows],
        buyer_name=next((r.buyer_name for r in rows if r.buyer_name), ""),
        shipping=next((f for f in fees if f.minor), fees[0] if fees else None), raw=raw,
    )


# --- saving ----------------------------------------------------------------------------------

def import_orders(store: Store, preview: ImportPreview) -> SaveResult:
    """Save the preview's orders (setting their ids); the same sheet again changes nothing.

    A sheet only knows what the marketplace knew at download time, so for an order already in
    the store its status, note, romanised address and (for an undated sheet) date stay as they
    are: importing yesterday's sheet never puts a shipped order back to awaiting shipment.
    """
    result = SaveResult()
    to_save = []
    with store.errors():
        for order in preview.orders:
            order_id = store.orders.id_for(order.account_id, order.platform_order_id)
            stored = store.orders.get(order_id) if order_id is not None else None
            if stored is not None:
                _keep_local_work(order, stored)
                if _same_sheet_data(order, stored):
                    order.id = stored.id
                    result.unchanged += 1
                    continue
            to_save.append(order)
        saved = store.orders.save(to_save, actor="file import")
    result.created, result.changed = saved.created, saved.changed
    result.unchanged += saved.unchanged
    result.ids = [order.id for order in preview.orders]
    return result


def _keep_local_work(order: Order, stored: Order) -> None:
    order.status, order.note = stored.status, stored.note
    if order.raw.get("date_from") == "import":
        order.ordered_at = stored.ordered_at
    same_place = replace(stored.ship_to, latin=None) == replace(order.ship_to, latin=None)
    if order.ship_to.latin is None and stored.ship_to.latin and same_place:
        order.ship_to = stored.ship_to


def _same_sheet_data(order: Order, stored: Order) -> bool:
    """True when the sheet says nothing the store does not already hold for this order.

    Compared field by field rather than by the store's content hash, which a status change
    made in fulfill leaves stale.
    """
    fields_ = ("order_number", "status", "note", "ordered_at", "currency", "ship_to", "lines",
               "buyer_name", "buyer_email", "shipping", "tax", "discount", "raw", "grand_total")
    return all(getattr(order, f) == getattr(stored, f) for f in fields_)
