"""The VAT zero-rating statement, the checks and the export figures on a small hand-made
store: declared exports on the 수출실적명세서, Korea Post parcels on the receipts list,
what is left out and why, real XLSX/CSV files and a PDF read back with poppler."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from fulfill.domain import Money, OrderStatus
from fulfill.domain.export_period import Period
from fulfill.domain.returns import ReturnKind, ReturnReason
from fulfill.services import export_checks, export_declaration, export_figures, export_statement
from fulfill.services import returns
from fulfill.services.demo_data import demo_seller, demo_tracking_number
from fulfill.services.export_checks import ExportBlocked, Fix
from fulfill.services.export_figures import FigureKey
from fulfill.services.export_lines import RatesMissing
from tests.documents import pdf_tools
from tests.unit.test_export_declaration import Q1, Shop

SHARED = "12865-26-008922X"


@pytest.fixture
def shop(store):
    """Q1 2026: two USD orders under one declaration, a JPY one under another, a Korea Post
    parcel without a declaration, a courier parcel without one, and an exchange's free
    replacement."""
    shop = Shop(store)
    shop.rate("USD", "2026-03-01", "1390.00")  # the replacement's week
    shop.rate("USD", "2026-03-22", "1400.00")
    shop.rate("JPY", "2026-03-22", "912.35")
    shop.ids = {}
    for number, when in (("#D1", "2026-03-23T02:00:00"), ("#D2", "2026-03-24T02:00:00")):
        shop.ids[number] = shop.shipped(number, when)  # 61.00 USD each
        export_declaration.set_declaration_number(store, shop.ids[number], SHARED)
    shop.ids["#D3"] = shop.shipped("#D3", "2026-03-25T02:00:00", currency="JPY", country="JP",
                                   lines=[("SG-CUSH-21N", 1, "1980")], shipping="0")
    export_declaration.set_declaration_number(store, shop.ids["#D3"], "1286526000001A")
    shop.ids["#P1"] = shop.shipped("#P1", "2026-03-26T02:00:00", country="FR",
                                   tracking=demo_tracking_number(5, "EE"), service="EMS")
    shop.ids["#C1"] = shop.shipped("#C1", "2026-03-27T02:00:00", carrier="DHL Express",
                                   service="Express", tracking="7123456789")
    original = shop.shipped("#O", "2025-12-20T02:00:00")  # last year: not in Q1
    rma = returns.open_rma(store, original, kind=ReturnKind.EXCHANGE,
                           reason=ReturnReason.WRONG_SIZE, lines={"SG-MASK-10": 1},
                           now=datetime(2026, 3, 1, tzinfo=UTC))
    returns.approve(store, rma.id, now=datetime(2026, 3, 2, tzinfo=UTC))
    replaced = returns.exchange(store, rma.id, now=datetime(2026, 3, 3, tzinfo=UTC))
    shop.ids["replacement"] = replaced.replacement_order_id
    shop.ship(replaced.replacement_order_id, "2026-03-04T02:00:00")
    return shop


def test_the_statement_lists_declared_exports_and_postal_parcels(shop):
    done = export_statement.statement(shop.store, Q1)
    assert [(s.declaration_number, s.currency, s.foreign, s.krw, s.order_numbers)
            for s in done.lines] == [
        ("1286526008922X", "USD", Money.parse("122.00", "USD"), Money(170_800, "KRW"),
         ("#D1", "#D2")),
        ("1286526000001A", "JPY", Money.parse("1980", "JPY"), Money(18_064, "KRW"), ("#D3",)),
    ]
    assert done.lines[0].ship_date == date(2026, 3, 23)
    (receipt,) = done.receipts
    assert (receipt.tracking_numbers, receipt.country, receipt.krw) == (
        (demo_tracking_number(5, "EE"),), "FR", Money(85_400, "KRW"))
    left = {item.order_number: item.reason for item in done.left_out}
    assert set(left) == {"#C1", shop.store.orders.get(shop.ids["replacement"]).order_number}
    assert "DHL Express" in left["#C1"] and any("replacement" in r for r in left.values())
    assert done.krw == Money(188_864, "KRW") and done.receipts_krw == Money(85_400, "KRW")
    assert done.total_krw == Money(274_264, "KRW")
    assert done.foreign_totals == {"JPY": Money(1980, "JPY"), "USD": Money(12200, "USD")}
    assert done.krw_by_currency == {"JPY": Money(18_064, "KRW"), "USD": Money(170_800, "KRW")}


def test_statement_files_xlsx_and_two_csvs(shop, tmp_path):
    export_statement.write_statement(shop.store, Q1, tmp_path / "vat.xlsx")
    book = load_workbook(tmp_path / "vat.xlsx")
    assert book.sheetnames == ["수출실적명세서", "소포수령증 (Postal receipts)", "안내 Notes"]
    rows = list(book["수출실적명세서"].iter_rows(values_only=True))
    assert rows[0][:3] == ("일련번호 (No.)", "수출신고번호 (Export declaration no.)",
                           "선(기)적일자 (Shipping date)")
    assert rows[1][1] == "12865-26-008922X" and rows[1][4] == 1400 and rows[1][7] == 170_800
    assert rows[-1][1] == "합계 (Total)" and rows[-1][2] == "2건" and rows[-1][7] == 188_864
    subtotals = {row[3]: (row[6], row[7]) for row in rows if row[1] and "소계" in row[1]}
    assert subtotals == {"JPY": (1980, 18_064), "USD": (122, 170_800)}
    notes = dict(book["안내 Notes"].iter_rows(values_only=True))
    assert notes["과세기간 (VAT term)"] == "2026년 1기 예정"
    assert notes["사업자등록번호 (Business no.)"] == "120-88-12345"
    assert any(key.startswith("제외 (Left out) #C1") for key in notes)

    written = export_statement.write_statement(shop.store, Q1, tmp_path / "vat.csv")
    assert [p.name for p in written.paths] == ["vat.csv", "vat-postal.csv"]
    for path in written.paths:
        assert path.read_bytes().startswith(codecs.BOM_UTF8)
    postal = list(csv.reader(io.StringIO((tmp_path / "vat-postal.csv").read_text("utf-8-sig"))))
    assert postal[0][1] == "등기번호 (Tracking no.)"
    assert postal[1][1] == demo_tracking_number(5, "EE")
    assert postal[-1][:3] == ["", "합계 (Total)", "1건"] and postal[-1][9] == "85400"


def test_the_printed_statement(shop, tmp_path):
    export_statement.write_statement(shop.store, Q1, tmp_path / "vat.pdf")
    pdf = (tmp_path / "vat.pdf").read_bytes()
    done, preview = export_statement.printable_statement(shop.store, Q1)
    assert preview.startswith(b"%PDF") and done.total_krw == Money(274_264, "KRW")
    text = pdf_tools.flat(pdf_tools.text(pdf))
    for expected in ("수출실적명세서", "한빛무역주식회사", "120-88-12345", "2026년1기예정",
                     "2026-01-01~2026-03-31", "12865-26-008922X", "1,400.00", "170,800",
                     "912.35/100", "18,064", demo_tracking_number(5, "EE"), "85,400",
                     "274,264원", "#D1,#D2", "합계Total", "원미만절사"):
        assert expected in text, expected
    assert "#C1" not in text  # a courier parcel without a declaration is on neither list
    assert pdf_tools.page_sizes(pdf) == [(595.28, 841.89)]
    assert all(font.embedded for font in pdf_tools.fonts(pdf))


def test_a_long_statement_runs_over_pages_with_its_header_again(shop, tmp_path):
    for n in range(110):
        shop.shipped(f"#M{n:02d}", f"2026-03-2{2 + n % 6}T0{n % 9}:00:00",
                     tracking=demo_tracking_number(1000 + n, "LK"))
    done = export_statement.statement(shop.store, Q1)
    assert len(done.receipts) == 111
    from fulfill.documents.export_statement import statement_pdf

    pdf = statement_pdf(done)
    pages = [pdf_tools.flat(pdf_tools.text(pdf, page=n)) for n in (1, 2, 3)]
    assert len(pdf_tools.page_sizes(pdf)) == 3
    assert "1/3" in pages[0] and "3/3" in pages[2]
    assert all("수출실적명세서" in page and "120-88-12345" in page for page in pages)
    assert "계속continued" in pages[1] + pages[2] and "등기번호" in pages[2]
    assert "합계Total" in pages[2] and "111건" in pages[2]


def test_the_statement_needs_the_business_number_and_every_rate(shop, tmp_path):
    shop.store.settings.save_seller_profile(replace(demo_seller(), business_number=""))
    with pytest.raises(ExportBlocked, match="사업자등록번호"):
        export_statement.write_statement(shop.store, Q1, tmp_path / "vat.pdf")
    assert not (tmp_path / "vat.pdf").exists()
    shop.store.settings.save_seller_profile(demo_seller())
    shop.shipped("#EUR", "2026-03-27T05:00:00", currency="EUR")
    with pytest.raises(RatesMissing, match="EUR for the week from 2026-03-22"):
        export_statement.write_statement(shop.store, Q1, tmp_path / "vat.pdf")
    with pytest.raises(export_statement.ExportError, match=".pdf, .xlsx or .csv"):
        export_statement.write_statement(shop.store, Q1, tmp_path / "vat.docx")


# --- checks -----------------------------------------------------------------------------------

def test_checks_say_what_is_missing_and_where_to_fix_it(shop):
    from fulfill.domain import Product

    shop.store.products.save([Product("NO-HS", "Mystery box", unit_weight_g=100),
                              Product("NO-WEIGHT", "Pin badge", hs_code="711719")])
    shop.shipped("#GAPS", "2026-03-27T03:00:00", lines=[("NO-HS", 1, "5.00"),
                                                       ("NO-WEIGHT", 1, "3.00")])
    shop.shipped("#EUR", "2026-03-27T04:00:00", currency="EUR")
    shop.shipped("#BIG", "2026-03-27T05:00:00", currency="KRW", shipping="0",
                 lines=[("KP-HOODIE", 1, "4500000")])
    shop.shipped("#FREE", "2026-03-27T06:00:00", lines=[("KP-HOODIE", 1, "0")], shipping="0")
    problems = export_checks.check(shop.store, Q1)
    found = {(p.order_number, p.what): p for p in problems}
    hs = found[("#GAPS", "HS code")]
    assert (hs.fix, hs.sku) == (Fix.PRODUCT, "NO-HS")
    assert found[("#GAPS", "weight")].sku == "NO-WEIGHT"
    rate = found[("#EUR", "rate")]
    assert (rate.fix, rate.currency, rate.week) == (Fix.RATE, "EUR", date(2026, 3, 22))
    assert rate.stops == {"declaration", "statement"}
    assert "regular export declaration" in found[("#BIG", "declaration number")].detail
    assert found[("#C1", "declaration number")].fix is Fix.DECLARATION
    assert found[("#C1", "declaration number")].stops == frozenset()  # a warning
    assert found[("#FREE", "value")].fix is Fix.ORDER
    assert ("#P1", "declaration number") not in found  # its postal receipt proves it
    assert not [p for p in problems if p.order_number in ("#D1", "#D2", "#D3")]
    shop.store.settings.save_seller_profile(replace(demo_seller(), customs_code=""))
    (profile,) = [p for p in export_checks.check(shop.store, Q1) if p.fix is Fix.SELLER_PROFILE]
    assert profile.order_id is None and profile.stops == {"declaration"}


# --- figures ----------------------------------------------------------------------------------

def test_export_figures_by_country_channel_hs_chapter_and_month(shop, tmp_path):
    shop.shipped("#JP2", "2026-02-28T15:30:00", currency="JPY", country="JP",  # 1 March KST
                 lines=[("SG-CUSH-21N", 1, "1980"), ("KP-HOODIE", 1, "5980")], shipping="0")
    shop.shipped("#EUR", "2026-03-27T04:00:00", currency="EUR")
    shop.rate("JPY", "2026-03-01", "900.00")
    done = export_figures.figures(shop.store, Q1, locale="en")
    countries = {row.key: row for row in done.groups[FigureKey.COUNTRY]}
    assert countries["JP"].label == "Japan" and countries["JP"].orders == 2
    assert countries["JP"].krw == Money(18_064 + 71_640, "KRW")  # 7,960 × 9.00
    assert countries["JP"].by_currency == {"JPY": Money(9940, "JPY")}
    # #D1, #D2, #C1, the replacement and #EUR, which has no rate yet
    assert countries["DE"].unconverted == 1 and countries["DE"].orders == 5
    assert done.groups[FigureKey.COUNTRY][0].key == "DE"  # most won first
    months = [(row.key, row.orders) for row in done.groups[FigureKey.MONTH]]
    assert months == [("2026-03", 8)]
    chapters = {row.key: row for row in done.groups[FigureKey.HS_CHAPTER]}
    assert chapters["61"].orders == 1 and chapters["61"].krw == Money(53_820, "KRW")
    assert chapters["33"].orders == 8
    (channel,) = done.groups[FigureKey.CHANNEL]
    assert channel.label == "Cafe24 · 서울글로우 글로벌몰" and channel.orders == 8
    assert done.total.orders == 8 and done.missing_rates == [("EUR", date(2026, 3, 22))]

    export_figures.write_figures(shop.store, Q1, tmp_path / "fig.csv", locale="en")
    data = (tmp_path / "fig.csv").read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:6] == ["구분 (Group)", "코드 (Key)", "이름 (Name)", "주문수 (Orders)",
                           "원화 (KRW)", "환율 없음 (Without rate)"]
    assert rows[0][6:] == ["EUR", "JPY", "USD"]
    jp = next(row for row in rows if row[1] == "JP")
    assert jp[:5] == ["목적국 (Destination)", "JP", "Japan", "2", str(18_064 + 71_640)]
    assert jp[7] == "9940"
    assert rows[-1][0] == "합계 (Total)" and rows[-1][3] == "8"
    export_figures.write_figures(shop.store, Q1, tmp_path / "fig.xlsx", [FigureKey.MONTH])
    assert load_workbook(tmp_path / "fig.xlsx").sheetnames == ["수출 실적 (Month)", "안내 Notes"]


def test_cancelled_orders_that_never_left_are_not_exports(shop):
    shop.order("#NEVER", status=OrderStatus.CANCELLED)
    numbers = [line.order_number for line in
               export_statement.export_lines(shop.store, Period.quarter(2026, 1))]
    assert "#NEVER" not in numbers and "#D1" in numbers
