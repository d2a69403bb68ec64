"""Customs exchange rates on a real store: entered by hand, and imported from the files a
seller downloads (CP949 CSV with a title row, UTF-8 with BOM, XLSX), per 1 or per 100 units,
with every unusable row listed and nothing written until the import, all of it or none."""

from __future__ import annotations

import codecs
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from fulfill.services import export_rates
from fulfill.services.export_files import ExportFileError
from fulfill.services.export_lines import ExportError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "exports"


def _csv(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def _xlsx(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_a_cp949_customs_file_keeps_export_rates_and_units(store):
    preview = export_rates.preview_rate_file(store, FIXTURES / "customs_rates_cp949.csv")
    got = {(r.rate.currency, r.rate.applies_from): (r.rate.rate, r.rate.unit) for r in preview.rows}
    assert got == {
        ("USD", date(2026, 7, 5)): (Decimal("1380.10"), 1),
        ("JPY", date(2026, 7, 5)): (Decimal("912.35"), 100),
        ("EUR", date(2026, 7, 5)): (Decimal("1500.40"), 1),
        ("VND", date(2026, 7, 5)): (Decimal("5.42"), 100),
        ("TWD", date(2026, 7, 5)): (Decimal("42.36"), 1),
        ("USD", date(2026, 7, 12)): (Decimal("1386.90"), 1),
        ("JPY", date(2026, 7, 12)): (Decimal("915.40"), 100),
        ("EUR", date(2026, 7, 12)): (Decimal("1507.50"), 1),
    }
    assert [s.row for s in preview.skipped] == [4, 10]  # the import (수입) rates
    assert preview.rejected == [] and preview.currencies == ["EUR", "JPY", "TWD", "USD", "VND"]
    assert export_rates.rates(store) == []  # a preview writes nothing

    done = export_rates.import_rates(store, preview)
    assert (done.added, done.replaced, done.unchanged) == (8, 0, 0)
    stored = export_rates.rates(store, "JPY")
    assert [r.applies_from for r in stored] == [date(2026, 7, 5), date(2026, 7, 12)]
    assert {r.source for r in stored} == {"customs_rates_cp949.csv"}
    assert all(r.entered_at is not None for r in stored)
    assert export_rates.rate_for(store, "jpy", date(2026, 7, 15)).rate == Decimal("915.40")

    again = export_rates.preview_rate_file(store, FIXTURES / "customs_rates_cp949.csv")
    assert again.rows == [] and again.unchanged == 8


def test_english_xlsx_with_a_unit_column_and_a_header_per_100(store, tmp_path):
    units = _xlsx(tmp_path / "rates.xlsx", [
        ["Currency", "Unit", "Exchange rate", "Applies from"],
        ["USD", 1, 1385.2, date(2026, 7, 5)],
        ["JPY", 100, "912.35", "2026-07-05"],
        ["JPY", 1, "9.1", "2026-07-12"],
    ])
    preview = export_rates.preview_rate_file(store, units)
    assert [(r.rate.currency, r.rate.rate, r.rate.unit) for r in preview.rows] == [
        ("USD", Decimal("1385.2"), 1), ("JPY", Decimal("912.35"), 100), ("JPY", Decimal("9.1"), 1)]
    header = _csv(tmp_path / "yen.csv", "통화,환율(100엔),적용일\nJPY,905.10,20260719\n")
    (row,) = export_rates.preview_rate_file(store, header).rows
    assert (row.rate.rate, row.rate.unit, row.rate.applies_from) == (
        Decimal("905.10"), 100, date(2026, 7, 19))


def test_every_unusable_row_is_listed_and_nothing_is_written(store, tmp_path):
    export_rates.enter_rate(store, "USD", date(2026, 6, 28), "1379.00")
    path = _csv(tmp_path / "rates.csv",
                "통화코드,환율,적용개시일\n"
                "USD,1380.10,2026-07-05\n"
                "DOLLAR,12,2026-07-05\n"
                "EUR,-3,2026-07-05\n"
                "EUR,1500,someday\n"
                "USD,1381.00,2026-07-05\n"
                "USD,13.80,2026-07-12\n"
                "CNY,,2026-07-05\n"
                ",,\n"
                "KRW,1,2026-07-05\n")
    preview = export_rates.preview_rate_file(store, path)
    reasons = {r.row: r.reason for r in preview.rejected}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 10]
    assert "names no currency" in reasons[3] and "positive" in reasons[4]
    assert "not a date" in reasons[5] and "row 2" in reasons[6]
    assert "per 1 or per 100" in reasons[7] and reasons[8] == "no rate"
    assert "won need no" in reasons[10]
    assert [r.rate.currency for r in preview.rows] == ["USD"]
    with pytest.raises(ExportError, match="7 row.*nothing was written"):
        export_rates.import_rates(store, preview)
    assert [r.applies_from for r in export_rates.rates(store)] == [date(2026, 6, 28)]
    export_rates.import_rates(store, preview, skip_rejected=True)
    assert [r.applies_from for r in export_rates.rates(store)] == [date(2026, 6, 28),
                                                                    date(2026, 7, 5)]


def test_a_changed_rate_says_what_it_replaces(store, tmp_path):
    export_rates.enter_rate(store, "USD", date(2026, 7, 5), "1370")
    path = _csv(tmp_path / "rates.csv", "Currency,Rate,Date\nUSD,1380.10,2026-07-05\n")
    (row,) = export_rates.preview_rate_file(store, path).rows
    assert row.replaces is not None and row.replaces.rate == Decimal("1370")
    done = export_rates.import_rates(store, export_rates.preview_rate_file(store, path))
    assert (done.added, done.replaced) == (0, 1)
    (stored,) = export_rates.rates(store)
    assert stored.rate == Decimal("1380.10") and stored.source == "rates.csv"


def test_entering_rates_by_hand(store):
    jpy = export_rates.enter_rate(store, "jpy", date(2026, 7, 5), "912.35")
    assert (jpy.currency, jpy.unit, jpy.source) == ("JPY", 100, "entered")
    usd = export_rates.enter_rate(store, "USD", date(2026, 7, 5), "1,385.20")
    assert (usd.rate, usd.unit) == (Decimal("1385.20"), 1)
    for currency, rate, match in (("ZZZ", "1", "not a currency"), ("KRW", "1", "Won need"),
                                  ("USD", "0", "positive"), ("USD", "abc", "not a rate")):
        with pytest.raises(ExportError, match=match):
            export_rates.enter_rate(store, currency, date(2026, 7, 5), rate)
    assert export_rates.delete_rate(store, "USD", date(2026, 7, 5))
    assert [r.currency for r in export_rates.rates(store)] == ["JPY"]


@pytest.mark.parametrize("content, match", [
    (b"", "is empty"),
    (b"%PDF-1.4 not a sheet", "no header row"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", "old \\(.xls\\)"),
    (b"PK\x03\x04broken zip", "damaged Excel"),
    (codecs.BOM_UTF8 + "날짜,금액\n2026-07-05,1\n".encode(), "no header row with the columns"),
])
def test_files_that_are_not_rate_files_are_refused(store, tmp_path, content, match):
    path = tmp_path / "rates.csv"
    path.write_bytes(content)
    with pytest.raises(ExportFileError, match=match):
        export_rates.preview_rate_file(store, path)


def test_a_missing_file_says_so(store, tmp_path):
    with pytest.raises(ExportFileError, match="not there"):
        export_rates.preview_rate_file(store, tmp_path / "gone.csv")


def test_the_currency_code_column_wins_over_a_currency_name_column(store, tmp_path):
    path = _csv(tmp_path / "rates.csv", "통화,통화부호,환율,적용개시일자\n미국 달러,USD,1380.10,2026-07-05\n")
    (row,) = export_rates.preview_rate_file(store, path).rows
    assert (row.rate.currency, row.rate.rate) == ("USD", Decimal("1380.10"))
