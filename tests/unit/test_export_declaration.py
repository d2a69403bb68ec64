"""The export declaration batch on a small hand-made store: which parcels a quarter holds in
Korean time, the week's rate for each, the 400만원 line, the files a spreadsheet opens, and
declaration numbers coming back by order number, all or nothing.

The `Shop` helper here builds the stores the other export tests use too."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from fulfill.domain import Address, AddressText, Money, OrderLine, OrderStatus, Platform, Product
from fulfill.domain.export_declaration import (
    DatedLimit, DeclarationRoute, ExportSettings, FobBasis, RateDate,
)
from fulfill.domain.export_period import Period
from fulfill.errors import StoreError
from fulfill.services import export_declaration, export_lines, export_rates
from fulfill.services.demo_data import demo_seller, demo_tracking_number
from fulfill.services.export_checks import ExportBlocked, Fix
from fulfill.services.export_lines import ExportError, RatesMissing
from fulfill.storage import audit
from tests import factories

Q1 = Period.quarter(2026, 1)
PRODUCTS = (
    Product("SG-CUSH-21N", "Glow Cushion 21N", hs_code="3304991000", unit_weight_g=120),
    Product("SG-MASK-10", "Sheet mask set", hs_code="330799", unit_weight_g=200),
    Product("KP-HOODIE", "Logo hoodie", hs_code="611020", unit_weight_g=450),
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class Shop:
    """A store with the demo seller, three products, an account, and orders shipped when
    the test says."""

    def __init__(self, store) -> None:
        self.store = store
        store.settings.save_seller_profile(demo_seller())
        store.products.save(PRODUCTS)
        shop = factories.account(Platform.CAFE24, "서울글로우 글로벌몰")
        self.account = store.accounts.add(shop).id
        self.count = 0

    def order(self, number: str, *, currency: str = "USD", lines=None, country: str = "DE",
              account: int | None = None, status=OrderStatus.SHIPPED, address=None,
              shipping: str = "8.00") -> int:
        self.count += 1
        lines = lines or [("SG-CUSH-21N", 2, "24.50"), ("SG-MASK-10", 1, "12.00")]
        address = address or replace(factories.german_address(), country_code=country)
        order = factories.order(
            account or self.account, number, status=status, currency=currency, address=address,
            lines=[OrderLine(sku, sku, qty, Money.parse(price, currency))
                   for sku, qty, price in lines])
        order.shipping = Money.parse(shipping, currency)
        order.paid_total = None
        self.store.orders.save([order])
        return order.id

    def ship(self, order_id: int, when: str, *, carrier: str = "Korea Post",
             service: str = "K-Packet", tracking: str | None = None, weight_g: int = 0) -> None:
        self.store.db.execute(
            "INSERT INTO shipments (order_id, carrier, service, tracking_number, status,"
            " weight_g, shipped_at, created_at) VALUES (?, ?, ?, ?, 'shipped', ?, ?, ?)",
            [order_id, carrier, service,
             tracking if tracking is not None else demo_tracking_number(order_id * 13, "LK"),
             weight_g, audit.utc_text(utc(when)), audit.now_text()])

    def shipped(self, number: str, when: str, **options) -> int:
        ship = {k: options.pop(k) for k in ("carrier", "service", "tracking", "weight_g")
                if k in options}
        order_id = self.order(number, **options)
        self.ship(order_id, when, **ship)
        return order_id

    def rate(self, currency: str, day: str, rate: str, unit: int | None = None) -> None:
        export_rates.enter_rate(self.store, currency, date.fromisoformat(day), rate, unit)

    def numbers(self, period: Period = Q1) -> list[str]:
        return [line.order_number for line in export_lines.export_lines(self.store, period)]


@pytest.fixture
def shop(store):
    return Shop(store)


# --- which parcels, at which rate ------------------------------------------------------------

def test_a_quarter_holds_the_parcels_shipped_in_it_in_korean_time(shop):
    shop.shipped("#A", "2026-03-31T14:30:00")  # 23:30 KST, 31 March: Q1
    shop.shipped("#B", "2026-03-31T15:00:00")  # 00:00 KST, 1 April: Q2
    shop.shipped("#C", "2026-02-10T03:00:00", country="KR")  # domestic: not an export
    split = shop.order("#D")
    shop.ship(split, "2026-03-30T01:00:00")
    shop.ship(split, "2026-04-02T01:00:00", tracking=demo_tracking_number(777, "LK"))
    shop.shipped("#E", "2025-12-31T15:30:00")  # 00:30 KST on New Year's Day: Q1
    shop.shipped("#F", "2025-12-31T14:59:59")  # 23:59 KST on 31 December: Q4 of 2025
    shop.order("#G")  # not shipped
    assert shop.numbers(Q1) == ["#E", "#D", "#A"]
    assert shop.numbers(Period.quarter(2026, 2)) == ["#B"]  # #D counts where it first left
    assert shop.numbers(Period.quarter(2025, 4)) == ["#F"]
    (d,) = [line for line in export_lines.export_lines(shop.store, Q1) if line.order_number == "#D"]
    assert len(d.tracking_numbers) == 2 and d.ship_date == date(2026, 3, 30)


def test_won_use_the_rate_of_the_customs_week_the_parcel_shipped_in(shop):
    shop.rate("USD", "2026-03-22", "1400.00")
    shop.rate("USD", "2026-03-29", "1450.55")
    shop.shipped("#SAT", "2026-03-28T14:59:00", lines=[("SG-CUSH-21N", 1, "100.00")])  # 23:59 Sat
    shop.shipped("#SUN", "2026-03-28T15:01:00", lines=[("SG-CUSH-21N", 1, "12.34")])  # 00:01 Sun
    sat, sun = export_lines.export_lines(shop.store, Q1)
    assert (sat.rate.applies_from, sat.krw) == (date(2026, 3, 22), Money(140_000, "KRW"))
    assert (sun.rate.applies_from, sun.krw) == (date(2026, 3, 29), Money(17_899, "KRW"))  # .7787
    assert sun.rate_date == date(2026, 3, 29)


def test_the_declaration_date_can_pick_the_rate_instead(shop):
    shop.rate("USD", "2026-03-22", "1400.00")
    shop.rate("USD", "2026-03-29", "1450.00")
    order_id = shop.shipped("#1", "2026-03-30T02:00:00", lines=[("SG-CUSH-21N", 1, "10.00")])
    export_declaration.set_declaration_number(shop.store, order_id, "12865-26-008922X",
                                              declared_on=date(2026, 3, 27))
    (line,) = export_lines.export_lines(shop.store, Q1)
    assert line.krw == Money(14_500, "KRW")  # by default: the shipping date
    export_lines.save_settings(shop.store, ExportSettings(rate_date=RateDate.DECLARATION_DATE))
    (line,) = export_lines.export_lines(shop.store, Q1)
    assert (line.rate_date, line.krw) == (date(2026, 3, 27), Money(14_000, "KRW"))


def test_a_missing_rate_is_refused_naming_the_currency_and_week(shop):
    shop.rate("USD", "2026-03-22", "1400.00")
    shop.shipped("#1", "2026-03-24T02:00:00")
    shop.shipped("#2", "2026-03-25T02:00:00", currency="EUR")
    shop.shipped("#3", "2026-03-26T02:00:00", currency="EUR")
    shop.shipped("#4", "2026-03-30T02:00:00")  # the USD rate of 22 March ended on the 28th
    with pytest.raises(RatesMissing) as refused:
        export_declaration.declaration_batch(shop.store, Q1)
    assert refused.value.missing == [("EUR", date(2026, 3, 22)), ("USD", date(2026, 3, 29))]
    assert "EUR for the week from 2026-03-22" in refused.value.message
    assert "과세환율" in refused.value.advice


def test_the_fob_value_leaves_postage_out_unless_the_setting_says(shop):
    shop.rate("USD", "2026-03-22", "1000")
    shop.shipped("#1", "2026-03-24T02:00:00", lines=[("SG-CUSH-21N", 1, "100.00")],
                 shipping="8.00")
    (line,) = export_lines.export_lines(shop.store, Q1)
    assert (line.fob, line.krw) == (Money.parse("100.00", "USD"), Money(100_000, "KRW"))
    export_lines.save_settings(shop.store, ExportSettings(fob_basis=FobBasis.GOODS_AND_SHIPPING))
    (line,) = export_lines.export_lines(shop.store, Q1)
    assert (line.fob, line.krw) == (Money.parse("108.00", "USD"), Money(108_000, "KRW"))


# --- the 400만원 line ------------------------------------------------------------------------

def test_four_million_won_is_the_last_simplified_declaration(shop):
    shop.rate("USD", "2026-03-22", "1400.00")
    for number, currency, price in (("#EXACT", "KRW", "4000000"), ("#OVER", "KRW", "4000001"),
                                    ("#USD-UNDER", "USD", "2857.14"),  # 3,999,996 won
                                    ("#USD-OVER", "USD", "2857.15")):  # 4,000,010 won
        shop.shipped(number, "2026-03-24T02:00:00", currency=currency,
                     lines=[("KP-HOODIE", 1, price)], shipping="0")
    routes = {line.order_number: (line.krw.minor, line.route)
              for line in export_lines.export_lines(shop.store, Q1)}
    assert routes == {"#EXACT": (4_000_000, DeclarationRoute.SIMPLIFIED),
                      "#OVER": (4_000_001, DeclarationRoute.REGULAR),
                      "#USD-UNDER": (3_999_996, DeclarationRoute.SIMPLIFIED),
                      "#USD-OVER": (4_000_010, DeclarationRoute.REGULAR)}
    batch = export_declaration.declaration_batch(shop.store, Q1)
    assert [line.order_number for line in batch.regular] == ["#OVER", "#USD-OVER"]
    rows = _xlsx_rows(export_declaration.batch_tables(batch)[0])
    flagged = {row["주문번호 (Order no.)"]: row["신고구분 (Declaration type)"] for row in rows}
    assert flagged["#EXACT"] == "간이수출신고" and flagged["#OVER"] == "정식수출신고"
    # The limit is a dated setting: a later, higher one moves the line.
    export_lines.save_settings(shop.store, ExportSettings(
        limits=(DatedLimit(date(2024, 8, 1), 4_000_000), DatedLimit(date(2026, 3, 1), 5_000_000))))
    assert export_declaration.declaration_batch(shop.store, Q1).regular == []


def test_the_limit_before_august_2024_was_two_million(shop):
    shop.shipped("#OLD", "2024-07-30T02:00:00", currency="KRW",
                 lines=[("KP-HOODIE", 1, "2500000")], shipping="0")
    shop.shipped("#NEW", "2024-08-01T02:00:00", currency="KRW",
                 lines=[("KP-HOODIE", 1, "2500000")], shipping="0")
    lines = export_lines.export_lines(shop.store, Period.quarter(2024, 3))
    assert [(line.order_number, line.route) for line in lines] == [
        ("#OLD", DeclarationRoute.REGULAR), ("#NEW", DeclarationRoute.SIMPLIFIED)]


def _xlsx_rows(table) -> list[dict]:
    headers = [column.header for column in table.columns]
    return [dict(zip(headers, row, strict=True)) for row in table.rows]


# --- the files --------------------------------------------------------------------------------

def test_declaration_files_open_in_a_spreadsheet_with_korean_text_intact(shop, tmp_path):
    shop.rate("JPY", "2026-03-22", "912.35")
    japanese = Address(AddressText("山田花子", "千代田区丸の内1-1", city="東京都"), "JP",
                       "100-0005")
    shop.shipped("#1001", "2026-03-24T02:00:00", currency="JPY", address=japanese,
                 lines=[("SG-CUSH-21N", 2, "1980"), ("KP-HOODIE", 1, "5980")], shipping="0")
    sneaky = Address(AddressText("=HYPERLINK(\"http://x\")", "1 Main St"), "JP")
    shop.shipped("#1002", "2026-03-25T02:00:00", currency="JPY", address=sneaky,
                 lines=[("SG-MASK-10", 1, "1200")], shipping="0")
    xlsx, csv_path = tmp_path / "batch.xlsx", tmp_path / "batch.csv"
    export_declaration.write_declaration(shop.store, Q1, xlsx)
    export_declaration.write_declaration(shop.store, Q1, csv_path)

    book = load_workbook(xlsx)
    assert book.sheetnames == ["수출신고 (Declaration)", "란별 (HS lines)", "안내 Notes"]
    sheet = book["수출신고 (Declaration)"]
    header = [cell.value for cell in sheet[1]]
    first = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert first["주문번호 (Order no.)"] == "#1001" and first["구매자 (Buyer)"] == "山田花子"
    assert first["판매채널 (Channel)"] == "Cafe24 · 서울글로우 글로벌몰"
    assert first["세번부호 (HS code)"] == "611020"  # the most valuable HS line: 5,980 yen
    assert first["FOB 외화 (FOB amount)"] == 9940 and first["환율단위 (Rate per units)"] == 100
    assert first["FOB 원화 (FOB KRW)"] == 90_687  # 9,940 × 912.35 / 100 = 90,687.59
    second = dict(zip(header, [cell.value for cell in sheet[3]], strict=True))
    assert second["구매자 (Buyer)"] == "=HYPERLINK(\"http://x\")"
    assert sheet.cell(3, header.index("구매자 (Buyer)") + 1).data_type == "s"  # text, not a formula
    lines = book["란별 (HS lines)"]
    assert [row[3] for row in lines.iter_rows(min_row=2, values_only=True)] == [
        "611020", "3304991000", "330799"]
    notes = dict(book["안내 Notes"].iter_rows(values_only=True))
    assert notes["통관고유부호 (Customs code)"] == demo_seller().customs_code

    data = csv_path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][1] == "주문번호 (Order no.)" and rows[1][7] == "山田花子"
    assert rows[2][7] == "'=HYPERLINK(\"http://x\")"  # Excel shows it, never runs it
    assert len(rows) == 3  # no totals row: the file feeds an upload template
    assert notes["합계 (Total)"] == "2건, FOB 원화 101,635원"  # 90,687 + 10,948 (1,200 × 9.1235)


def test_fob_krw_in_the_file_is_cut_below_one_won(shop, tmp_path):
    shop.rate("JPY", "2026-03-22", "912.35")
    shop.shipped("#1", "2026-03-24T02:00:00", currency="JPY",
                 lines=[("SG-CUSH-21N", 1, "1980")], shipping="0")
    (line,) = export_lines.export_lines(shop.store, Q1)
    assert line.krw == Money(18_064, "KRW")  # 1,980 × 9.1235 = 18,064.53


def test_a_batch_with_gaps_is_refused_or_leaves_them_out(shop, tmp_path):
    shop.store.products.save([Product("NO-HS", "Mystery box", unit_weight_g=100),
                              Product("NO-WEIGHT", "Pin badge", hs_code="711719")])
    shop.rate("USD", "2026-03-22", "1400")
    shop.shipped("#OK", "2026-03-24T02:00:00")
    shop.shipped("#GAPS", "2026-03-24T03:00:00", lines=[("NO-HS", 1, "5.00"),
                                                       ("NO-WEIGHT", 1, "3.00")])
    out = tmp_path / "batch.xlsx"
    with pytest.raises(ExportBlocked) as refused:
        export_declaration.write_declaration(shop.store, Q1, out)
    assert not out.exists()
    problems = {(p.what, p.sku, p.fix) for p in refused.value.problems}
    assert problems == {("HS code", "NO-HS", Fix.PRODUCT), ("weight", "NO-WEIGHT", Fix.PRODUCT)}
    assert "#GAPS" in refused.value.message and "Products" in refused.value.advice
    batch = export_declaration.write_declaration(shop.store, Q1, out, leave_out_incomplete=True)
    assert [line.order_number for line in batch.lines] == ["#OK"]
    assert [item.order_number for item in batch.left_out] == ["#GAPS"]
    assert "NO-HS" in batch.left_out[0].reason and out.exists()


def test_the_seller_needs_a_customs_code_for_the_declaration(shop):
    shop.store.settings.save_seller_profile(replace(demo_seller(), customs_code=""))
    shop.rate("USD", "2026-03-22", "1400")
    shop.shipped("#1", "2026-03-24T02:00:00")
    with pytest.raises(ExportBlocked, match="통관고유부호"):
        export_declaration.declaration_batch(shop.store, Q1)


def test_an_empty_period_writes_nothing(shop, tmp_path):
    with pytest.raises(ExportError, match="No parcel"):
        export_declaration.write_declaration(shop.store, Q1, tmp_path / "b.csv")
    with pytest.raises(ExportError, match=".xlsx or .csv"):
        export_declaration.write_declaration(shop.store, Q1, tmp_path / "b.pdf")


# --- declaration numbers back ----------------------------------------------------------------

def _fill(path, numbers: dict[str, str], extra: list[list[str]] = ()) -> None:
    """The seller fills the batch's declaration-number column and saves it from Excel."""
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    at, order_at = rows[0].index("수출신고번호 (Export declaration no.)"), 1
    for row in rows[1:]:
        if row[order_at] in numbers:
            row[at] = numbers[row[order_at]]
    for order_number, number in extra:
        rows.append([""] * len(rows[0]))
        rows[-1][order_at], rows[-1][at] = order_number, number
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_bytes(codecs.BOM_UTF8 + out.getvalue().encode())


def test_declaration_numbers_come_back_matched_by_order_number(shop, tmp_path):
    shop.rate("USD", "2026-03-22", "1400")
    ids = {n: shop.shipped(n, "2026-03-24T02:00:00") for n in ("#1", "#2", "#3", "#4")}
    other = shop.store.accounts.add(factories.account(Platform.SHOPIFY, "Other shop")).id
    shop.shipped("#4", "2026-03-25T02:00:00", account=other)  # the same number in two shops
    path = tmp_path / "batch.csv"
    export_declaration.write_declaration(shop.store, Q1, path)
    _fill(path, {"#1": "12865-26-008922X", "#2": "", "#3": "123", "#4": "1286526000001A"},
          extra=[["#99", "1286526000002B"], ["1", "1286526008922X"],
                 ["#1", "1286526000003C"], ["", "1286526000004D"]])

    preview = export_declaration.preview_numbers_file(shop.store, path)
    assert [(r.order_number, r.declaration.number) for r in preview.rows] == [
        ("#1", "1286526008922X")]
    assert preview.blank == 1 and preview.unchanged == 0
    reasons = {r.row: r.reason for r in preview.rejected}
    assert len(reasons) == 6
    texts = " | ".join(reasons.values())
    for expected in ("'123' has 3 characters", "belongs to 2 orders", "there is no order #99",
                     "also on row 2", "no order number"):
        assert expected in texts
    with pytest.raises(ExportError, match="6 row.*nothing was written"):
        export_declaration.import_numbers(shop.store, preview)
    assert shop.store.exports.declarations(list(ids.values())) == {}

    assert export_declaration.import_numbers(shop.store, preview, skip_rejected=True) == 1
    saved = shop.store.exports.declarations([ids["#1"]])[ids["#1"]]
    assert (saved.number, saved.source) == ("1286526008922X", "batch.csv")
    history = shop.store.orders.history(ids["#1"])
    assert [(h.action, h.new_value) for h in history][-1] == ("export declaration",
                                                             "1286526008922X")
    again = export_declaration.preview_numbers_file(shop.store, path)
    assert again.rows == [] and again.unchanged == 1


def test_a_number_import_that_fails_midway_writes_nothing(shop, tmp_path):
    ids = [shop.shipped(n, "2026-03-24T02:00:00") for n in ("#1", "#2")]
    path = tmp_path / "numbers.csv"
    path.write_bytes(codecs.BOM_UTF8 + ("주문번호,수출신고번호,수리일자\r\n"
                                        "#1,1286526000001A,2026-03-23\r\n"
                                        "#2,1286526000002B,2026.03.23\r\n").encode())
    preview = export_declaration.preview_numbers_file(shop.store, path)
    assert [r.declaration.declared_on for r in preview.rows] == [date(2026, 3, 23)] * 2
    shop.store.db.execute("DELETE FROM orders WHERE id = ?", [ids[1]])  # gone since the preview
    with pytest.raises(StoreError):
        export_declaration.import_numbers(shop.store, preview)
    assert shop.store.exports.declarations(ids) == {}


def test_one_number_by_hand(shop):
    order_id = shop.shipped("#1", "2026-03-24T02:00:00")
    done = export_declaration.set_declaration_number(shop.store, order_id, " 12865 26 008922x")
    assert done.number == "1286526008922X"
    with pytest.raises(ExportError, match="14"):
        export_declaration.set_declaration_number(shop.store, order_id, "12865-26")
    with pytest.raises(ExportError, match="no order"):
        export_declaration.set_declaration_number(shop.store, 999, "1286526008922X")
    assert export_declaration.clear_declaration_number(shop.store, order_id)
    assert shop.store.exports.declarations([order_id]) == {}


def test_the_filled_in_xlsx_batch_comes_back_too(shop, tmp_path):
    shop.rate("USD", "2026-03-22", "1400")
    ids = [shop.shipped(n, "2026-03-24T02:00:00") for n in ("#1", "#2")]
    path = tmp_path / "batch.xlsx"
    export_declaration.write_declaration(shop.store, Q1, path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    number_col = header.index("수출신고번호 (Export declaration no.)") + 1
    sheet.cell(2, number_col, "12865-26-0000011")
    sheet.cell(2, header.index("수리일자 (Declaration date)") + 1, datetime(2026, 3, 23))
    book.save(path)
    preview = export_declaration.preview_numbers_file(shop.store, path)
    assert preview.blank == 1 and preview.rejected == []
    assert export_declaration.import_numbers(shop.store, preview) == 1
    saved = shop.store.exports.declarations(ids)
    assert list(saved) == [ids[0]]
    assert (saved[ids[0]].number, saved[ids[0]].declared_on) == ("12865260000011",
                                                                 date(2026, 3, 23))
