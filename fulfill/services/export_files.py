"""Spreadsheets in and out for the export paperwork.

Out: a table as XLSX (one sheet per table and a notes sheet) or as CSV in UTF-8 with a BOM,
which Excel opens with Korean text intact. Headers are Korean with the English after them
in the same cell ("주문번호 (Order no.)"): one header row keeps the file sortable and
filterable, and an upload template can be filled from it column by column. Amounts are
numbers in their currency's decimals, dates are dates, and codes (HS, declaration,
tracking, order numbers) stay text so no leading zero is lost. Text from platforms that
starts like a formula (=, +, -, @) is written as text, never run as a formula.

In: a CSV (UTF-8 with or without BOM, UTF-16, or CP949 as Korean Excel saves it) or an
XLSX, as rows of text; the header row is found by the column names the caller knows.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from fulfill.domain import Money, currency_digits
from fulfill.files import decode_spreadsheet_text, write_atomically
from fulfill.services.export_lines import ExportError
from fulfill.services.file_import import RejectedRow
from fulfill.translation import _

__all__ = ["FORMATS", "Cell", "Column", "ExportFileError", "RejectedRow", "SheetRows", "Table",
           "csv_bytes", "file_bytes", "file_format", "header_key", "parse_day", "read_rows",
           "refuse_rejected", "write_file", "xlsx_bytes"]

Cell = str | int | Decimal | date | Money | None
FORMATS = ("xlsx", "csv")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Column:
    korean: str
    english: str

    @property
    def header(self) -> str:
        return self.korean if self.korean == self.english else f"{self.korean} ({self.english})"


@dataclass
class Table:
    """One sheet: columns, rows of cells, and an optional totals row under them."""

    name: str  # the sheet's name (at most 31 characters)
    columns: Sequence[Column]
    rows: list[list[Cell]]
    totals: list[list[Cell]] = field(default_factory=list)


# --- writing -----------------------------------------------------------------------------

def file_format(path: Path | str) -> str:
    """"xlsx" or "csv" from a file name; ExportError for anything else."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ExportError(_("{name}: fulfill writes .xlsx or .csv files.").format(
            name=Path(path).name), _("Give the file name ending in .xlsx or .csv."))
    return suffix


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Money):
        return str(value.to_decimal())
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return f"'{value}" if value.startswith(_FORMULA_START) else value
    return str(value)


def csv_bytes(table: Table) -> bytes:
    """The table as CSV, UTF-8 with a BOM and CRLF line ends, as Excel reads it."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.header for column in table.columns])
    for row in [*table.rows, *table.totals]:
        writer.writerow([_csv_text(cell) for cell in row])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def _width(text: str) -> int:
    """Columns a text takes on screen: Hangul and Han count double."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def xlsx_bytes(tables: Sequence[Table], notes: Sequence[tuple[str, str]] = ()) -> bytes:
    """The tables as one workbook, one sheet each, then a notes sheet of (what, value)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    for table in tables:
        sheet = book.create_sheet(table.name[:31])
        widths = [_width(c.header) for c in table.columns]
        for col, column in enumerate(table.columns, 1):
            cell = sheet.cell(1, col, column.header)
            cell.font, cell.fill = bold, grey
        for r, row in enumerate([*table.rows, *table.totals], 2):
            is_total = r - 2 >= len(table.rows)
            for col, value in enumerate(row, 1):
                cell = _xlsx_cell(sheet, r, col, value)
                if is_total:
                    cell.font = bold
                widths[col - 1] = max(widths[col - 1], _width(_csv_text(value)) + 2)
        sheet.freeze_panes = "A2"
        if table.rows:
            sheet.auto_filter.ref = (f"A1:{get_column_letter(len(table.columns))}"
                                     f"{len(table.rows) + 1}")
        for col, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(col)].width = min(max(width, 6), 60)
    if notes:
        sheet = book.create_sheet("안내 Notes")
        for r, (what, value) in enumerate(notes, 1):
            sheet.cell(r, 1, what).font = bold
            sheet.cell(r, 2, value)
        sheet.column_dimensions["A"].width = 34
        sheet.column_dimensions["B"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(sheet: Any, row: int, col: int, value: Cell) -> Any:
    if isinstance(value, Money):
        cell = sheet.cell(row, col, value.to_decimal())
        digits = currency_digits(value.currency)
        cell.number_format = "#,##0" + ("." + "0" * digits if digits else "")
        return cell
    if isinstance(value, date):
        cell = sheet.cell(row, col, value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    cell = sheet.cell(row, col, value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would take "=…" for a formula
    elif isinstance(value, Decimal):
        cell.number_format = "#,##0.00##"
    return cell


def file_bytes(path: Path | str, tables: Sequence[Table],
               notes: Sequence[tuple[str, str]] = ()) -> bytes:
    """The bytes of `tables` in the format `path` names; a CSV holds the first table."""
    if file_format(path) == "csv":
        return csv_bytes(tables[0])
    return xlsx_bytes(tables, notes)


def write_file(path: Path | str, data: bytes) -> None:
    """Write whole or not at all; ExportError when the file cannot be written."""
    try:
        write_atomically(path, data)
    except OSError as error:
        raise ExportError(
            _("{name} cannot be written ({reason}).").format(
                name=Path(path).name, reason=error.strerror or error),
            _("Close the file if a spreadsheet has it open, or choose another folder.")
        ) from error


# --- reading -------------------------------------------------------------------------------

class ExportFileError(ExportError):
    """A file to import that fulfill cannot read; the advice says what to do."""


@dataclass
class SheetRows:
    """A file's rows as text, keyed by the fields the caller asked for."""

    name: str
    fields: list[str]  # the fields found in the header, in the caller's names
    rows: list[tuple[int, dict[str, str]]]  # (row number as the spreadsheet shows it, cells)
    headers: dict[str, str]  # field -> the header text it was found under


def read_rows(path: Path | str, aliases: Mapping[str, Sequence[str]],
              required: Sequence[str]) -> SheetRows:
    """The rows under the first row that names every `required` field. `aliases`: field ->
    header words that name it (compared without spaces, brackets or case)."""
    path = Path(path)
    grid = _grid(path)
    for index, (_number, cells) in enumerate(grid):
        found = _match_header(cells, aliases)
        if all(name in found for name in required):
            body = []
            for number, row in grid[index + 1:]:
                if not any(cell.strip() for cell in row):
                    continue
                body.append((number, {name: (row[col] if col < len(row) else "").strip()
                                      for name, col in found.items()}))
            headers = {name: cells[col].strip() for name, col in found.items()}
            return SheetRows(path.name, list(found), body, headers)
    wanted = ", ".join(aliases[name][0] for name in required)
    raise ExportFileError(_("{name} has no header row with the columns {columns}.").format(
        name=path.name, columns=wanted),
        _("Check that this is the right file, and that its first rows name these columns."))


def header_key(text: str) -> str:
    return re.sub(r"[\s()\[\]_\-./:·]", "", text).lower()


# What may follow a header's name: a unit, as in "환율(100엔)", "Rate (KRW)", "금액(원)".
_UNIT_TAIL = re.compile(r"^(\d+[^\d]{0,3}|원|krw|won)$")


def _match_header(cells: list[str], aliases: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Field -> column for the header cells that name a field: exact names first, then
    names followed by a unit ("환율(100엔)"); a field's aliases are tried in their order."""
    found: dict[str, int] = {}
    keys = [header_key(cell) for cell in cells]
    for exact in (True, False):
        for name, words in aliases.items():
            if name in found:
                continue
            for word in map(header_key, words):
                col = next((col for col, key in enumerate(keys)
                            if key and col not in found.values()
                            and (key == word if exact else
                                 key.startswith(word) and _UNIT_TAIL.match(key[len(word):]))),
                           None)
                if col is not None:
                    found[name] = col
                    break
    return found


def _grid(path: Path) -> list[tuple[int, list[str]]]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ExportFileError(_("{name} is not there any more.").format(name=path.name),
                              _("Choose the file again.")) from None
    except OSError as error:
        raise ExportFileError(_("{name} cannot be opened ({reason}).").format(
            name=path.name, reason=error.strerror or error),
            _("Close it in Excel or any other program, then try again.")) from error
    if not data.strip():
        raise ExportFileError(_("{name} is empty.").format(name=path.name),
                              _("Download the file again."))
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_grid(path, data)
    if data.startswith(_OLE):
        raise ExportFileError(
            _("{name} is an old (.xls) or password-protected Excel file.").format(name=path.name),
            _("Open it in Excel and save it as Excel Workbook (.xlsx) or CSV UTF-8, then "
              "import that file."))
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ExportFileError(_("{name} is not a spreadsheet.").format(name=path.name),
                              _("Choose a .xlsx or .csv file."))
    text = _decode(path, data)
    delimiter = max((",", "\t", ";"), key=lambda d: text.split("\n", 1)[0].count(d))
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ExportFileError(_("{name} is not a well-formed CSV file ({reason}).").format(
            name=path.name, reason=error), _("Save it from Excel as CSV UTF-8 and try again.")
        ) from error
    return list(enumerate(rows, 1))


def _decode(path: Path, data: bytes) -> str:
    decoded = decode_spreadsheet_text(data)
    if decoded is not None:
        return decoded[0]
    raise ExportFileError(_("{name} is in a text encoding fulfill does not recognise.").format(
        name=path.name), _("Save it from Excel as CSV UTF-8 or as .xlsx, then import that file."))


def _xlsx_grid(path: Path, data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # styles openpyxl skips do not change the values
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                sheet.reset_dimensions()
                return [(n, [_cell_text(value) for value in row])
                        for n, row in enumerate(sheet.iter_rows(values_only=True), 1)]
            finally:
                book.close()
        except Exception as error:  # a damaged zip or XML can fail anywhere inside openpyxl
            raise ExportFileError(
                _("{name} is a damaged Excel file ({reason}).").format(
                    name=path.name, reason=type(error).__name__),
                _("Download it again, or save it from Excel as .xlsx or CSV UTF-8.")) from error


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return str(value)


def refuse_rejected(rejected: Sequence[RejectedRow], file: str) -> None:
    """Refuse an import, before anything is written, while rows of `file` are rejected."""
    if rejected:
        raise ExportError(
            _("{count} row(s) of {file} cannot be imported; nothing was written.").format(
                count=len(rejected), file=file),
            _("Correct those rows in the file and import it again, or import the others "
              "and leave these out."))


_DAY = re.compile(r"(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})|(\d{4})(\d{2})(\d{2})")


def parse_day(text: str) -> date:
    """The first date in a cell: 2026-07-05, 2026.07.05, 2026/7/5, 20260705, 2026년 7월 5일,
    or the start of a range "2026.07.05 ~ 2026.07.11". ValueError when there is none."""
    match = _DAY.search(text)
    if not match:
        raise ValueError(f"{text!r} is not a date")
    parts = [int(p) for p in match.groups() if p is not None]
    return date(*parts)
