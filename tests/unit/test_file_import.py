"""Order sheets from marketplaces without an API: real CSV and XLSX files in tmp_path."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from fulfill.domain import ChannelAccount, Money, OrderStatus, Platform
from fulfill.errors import FulfillError
from fulfill.services.file_import import (
    ColumnMapping, FileImportError, MappingStore, import_orders, preview, read_table,
    suggest_mapping,
)
from fulfill.services.file_import_mapping import KST, parse_when
from fulfill.storage import Store

# A Naver Smart Store style sheet (발주발송관리 download), trimmed to the columns we use.
HEADERS = ["상품주문번호", "주문번호", "주문일시", "구매자명", "수취인명", "수취인연락처1", "우편번호",
           "배송지", "상품명", "옵션관리코드", "수량", "상품가격", "배송비", "송장번호"]


def row(order: str, line: str, *, name: str = "김민수", sku: str = "SG-CUSH-21N",
        qty: str = "1", price: str = "15000", when: str = "2026-11-19 14:03:22",
        fee: str = "3000", tracking: str = "", address: str = "서울특별시 송파구 올림픽로 300",
        postal: str = "05510") -> list[str]:
    return [line, order, when, name, name, "010-1234-5678", postal, address, "글로우 쿠션 21호",
            sku, qty, price, fee, tracking]


GOOD_ROWS = [
    row("2026111900001", "L1", tracking="6012345678901"),
    row("2026111900001", "L2", sku="SG-MASK-10", qty="2", price="8000", fee="0"),
    row("2026111900002", "L3", name="이영희", address="부산광역시 해운대구 우동 1408",
        postal="48060", when="2026.11.19 09:15"),
]


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8",
              delimiter: str = ",", headers: list[str] = HEADERS) -> Path:
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def account_store(tmp_path: Path) -> tuple[Store, int]:
    store = Store.open(tmp_path / "s.sqlite")
    account = store.accounts.add(ChannelAccount(Platform.FILE_IMPORT, "Gmarket export"))
    return store, account.id


def preview_of(table, account_id: int = 1, **kwargs):
    return preview(table, suggest_mapping(table.headers), account_id=account_id,
                   default_currency="KRW", default_country="KR", **kwargs)


# --- reading CSV -----------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_csv_encoding_is_detected_and_hangul_survives(tmp_path, encoding):
    path = write_csv(tmp_path / "orders.csv", GOOD_ROWS, encoding=encoding)
    table = read_table(path)
    assert table.encoding == encoding
    assert table.headers == HEADERS
    first = dict(zip(table.headers, table.rows[0], strict=True))
    assert first["배송지"] == "서울특별시 송파구 올림픽로 300"
    assert first["우편번호"] == "05510"
    assert first["송장번호"] == "6012345678901"
    assert first["주문번호"] == "2026111900001"


@pytest.mark.parametrize("delimiter", ["\t", ";", ","])
def test_csv_delimiter_is_sniffed(tmp_path, delimiter):
    rows = [row("A1", "L1", address="서울 강남구 테헤란로 152, 10층; 1001호")]
    table = read_table(write_csv(tmp_path / "orders.txt", rows, delimiter=delimiter))
    assert table.delimiter == delimiter
    assert table.headers == HEADERS
    assert table.rows[0][7] == "서울 강남구 테헤란로 152, 10층; 1001호"


def test_csv_title_row_above_header_and_blank_rows(tmp_path):
    path = tmp_path / "11st.csv"
    body = "11번가 발송처리 목록,,\r\n\r\n" + ",".join(HEADERS) + "\r\n"
    body += ",".join(GOOD_ROWS[0]) + "\r\n\r\n" + ",".join(GOOD_ROWS[2]) + "\r\n"
    path.write_text(body, encoding="utf-8")
    table = read_table(path)
    assert table.header_row == 3
    assert table.row_numbers == [4, 6], "row numbers are the ones the spreadsheet shows"


def test_blank_and_repeated_headers_get_names(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("주문번호,,주소,주소\r\n1,x,서울,101호,extra\r\n", encoding="utf-8")
    table = read_table(path)
    assert table.headers == ["주문번호", "Column B", "주소", "주소 (2)", "Column E"]
    assert table.rows == [["1", "x", "서울", "101호", "extra"]]


# --- reading XLSX ----------------------------------------------------------------------------

def write_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "주문목록"
    sheet.append(["ESM+ 발송관리 주문 목록 (2026-11-19)"])
    sheet.append([])
    sheet.append(["주문번호", "결제완료일", "수령인명", "수령인 휴대폰", "우편번호", "주소",
                  "판매자 상품코드", "상품명", "수량", "판매가", "송장번호"])
    sheet.append([2026111900001, datetime(2026, 11, 19, 14, 3, 22), "김민수", "010-1234-5678",
                  5510, "서울특별시 송파구 올림픽로 300", "SG-CUSH-21N", "쿠션", 1, 15000,
                  6012345678901])
    sheet.cell(row=4, column=5).number_format = "00000"  # how Excel keeps 05510 as a number
    sheet.append(["2026111900002", "2026-11-19 09:15", "이영희", "01098765432", "05510",
                  "부산광역시 해운대구 우동 1408", "SG-MASK-10", "마스크", 2.0, 8000.0,
                  "6012345678902"])
    sheet.append([2026111900003.0, "20261119", "박서준", None, 5510, "인천광역시 연수구 송도동 1",
                  "SG-TONER", "토너", 3, 12000, 6.012345678903e12])
    book.create_sheet("Sheet2").append(["a", "b", "c"])
    book.save(path)
    return path


def test_xlsx_header_below_title_and_every_value_as_text(tmp_path):
    table = read_table(write_xlsx(tmp_path / "esm.xlsx"))
    assert (table.source_format, table.sheet, table.header_row) == ("xlsx", "주문목록", 3)
    assert table.sheet_names == ["주문목록", "Sheet2"]
    assert table.row_numbers == [4, 5, 6]
    records = [cells for _, cells in table.records()]
    assert [r["주문번호"] for r in records] == ["2026111900001", "2026111900002", "2026111900003"]
    assert [r["송장번호"] for r in records] == ["6012345678901", "6012345678902", "6012345678903"]
    assert [r["우편번호"] for r in records] == ["05510", "05510", "5510"]
    assert records[0]["결제완료일"] == "2026-11-19 14:03:22"
    assert (records[1]["수량"], records[1]["판매가"]) == ("2", "8000")
    assert records[2]["수령인 휴대폰"] == ""


def test_xlsx_numeric_postal_code_without_format_gets_its_zero_back_for_korea(tmp_path):
    table = read_table(write_xlsx(tmp_path / "esm.xlsx"))
    result = preview_of(table)
    assert result.rejected == []
    assert [o.ship_to.postal_code for o in result.orders] == ["05510"] * 3
    assert [o.raw.get("tracking_number") for o in result.orders] == [
        "6012345678901", "6012345678902", "6012345678903"]


def test_xlsx_sheet_by_name(tmp_path):
    path = write_xlsx(tmp_path / "esm.xlsx")
    assert read_table(path, sheet="Sheet2").headers == ["a", "b", "c"]
    with pytest.raises(FileImportError) as error:
        read_table(path, sheet="Orders")
    assert "주문목록" in error.value.advice


# --- files that are not order sheets ---------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"


@pytest.mark.parametrize("name, content, words", [
    ("photo.xlsx", PNG, "PNG image"),
    ("orders.csv", b"", "empty"),
    ("orders.xlsx", b"", "empty"),
    ("orders.csv", b"\xef\xbb\xbf\r\n \r\n", "empty"),
    ("orders.xlsx", b"PK\x03\x04 this is not really a zip", "damaged"),
    ("orders.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "password-protected"),
    ("orders.xls", b"<html><body><table><tr><td>1</td></tr></table>", "web page"),
    ("orders.pdf", b"%PDF-1.7", "not an order sheet"),
    ("orders.csv", "주문번호만 있음\r\n".encode(), "no row of column headings"),
])
def test_wrong_files_say_what_is_wrong_and_what_to_do(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileImportError) as error:
        read_table(path)
    assert isinstance(error.value, FulfillError)
    assert words in error.value.message
    assert error.value.advice


def test_truncated_xlsx_is_reported_as_damaged(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(FileImportError, match="damaged"):
        read_table(path)


def test_missing_file(tmp_path):
    with pytest.raises(FileImportError, match="not there"):
        read_table(tmp_path / "gone.csv")


# --- mapping ---------------------------------------------------------------------------------

def test_suggest_mapping_on_naver_headers():
    mapping = suggest_mapping(HEADERS)
    assert mapping.order_number == "주문번호"
    assert mapping.line_id == "상품주문번호"
    assert (mapping.recipient_name, mapping.buyer_name) == ("수취인명", "구매자명")
    assert (mapping.phone, mapping.postal_code, mapping.address_line1) == (
        "수취인연락처1", "우편번호", "배송지")
    assert (mapping.sku, mapping.item_title, mapping.quantity, mapping.unit_price) == (
        "옵션관리코드", "상품명", "수량", "상품가격")
    assert (mapping.shipping_fee, mapping.tracking_number, mapping.ordered_at) == (
        "배송비", "송장번호", "주문일시")
    assert mapping.missing_required() == []


def test_suggest_mapping_on_esm_and_english_headers():
    esm = suggest_mapping(["주문번호", "결제완료일", "수령인명", "수령인 휴대폰", "우편번호", "주소",
                           "판매자 상품코드", "상품명", "수량", "판매가(원)", "송장번호"])
    assert (esm.recipient_name, esm.phone, esm.sku, esm.unit_price, esm.ordered_at) == (
        "수령인명", "수령인 휴대폰", "판매자 상품코드", "판매가(원)", "결제완료일")
    english = suggest_mapping(["Order No.", "Order Date", "Recipient Name", "Phone", "Zip Code",
                               "Country", "Address 1", "Address 2", "City", "State", "SKU",
                               "Product Name", "Qty", "Unit Price", "Currency", "Tracking No"])
    assert english.missing_required() == []
    assert (english.address_line2, english.region, english.currency, english.country_code) == (
        "Address 2", "State", "Currency", "Country")


def test_suggest_mapping_uses_product_order_number_when_it_is_the_only_one():
    mapping = suggest_mapping(["상품주문번호", "수취인명", "주소", "SKU", "수량", "판매가"])
    assert (mapping.order_number, mapping.line_id) == ("상품주문번호", "")


def test_mapping_json_round_trip_ignores_unknown_keys():
    mapping = suggest_mapping(HEADERS)
    mapping.default_currency = "KRW"
    data = json.loads(json.dumps(mapping.to_dict()))
    assert ColumnMapping.from_dict({**data, "added_in_2027": "x"}) == mapping


def test_mapping_store_saves_and_loads_by_name(tmp_path):
    folder = tmp_path / "import_mappings"
    store = MappingStore(folder)
    mapping = suggest_mapping(HEADERS)
    store.save("Naver 스마트스토어", mapping)
    store.save("11st: main/shop?", ColumnMapping(order_number="주문번호"))
    assert store.load("Naver 스마트스토어") == mapping
    assert store.load("nowhere") is None
    assert store.names() == ["11st: main/shop?", "Naver 스마트스토어"]
    assert not list(folder.glob("*.tmp")), "no temp file is left behind"
    store.save("Naver 스마트스토어", ColumnMapping(order_number="x"))
    assert store.load("Naver 스마트스토어").order_number == "x"
    store.delete("11st: main/shop?")
    assert store.names() == ["Naver 스마트스토어"]


def test_damaged_saved_mapping_is_reported_and_skipped_in_names(tmp_path):
    store = MappingStore(tmp_path)
    path = store.save("ESM", ColumnMapping())
    path.write_text("{not json", encoding="utf-8")
    assert store.names() == []
    with pytest.raises(FileImportError):
        store.load("ESM")


def test_preview_refuses_an_incomplete_or_stale_mapping(tmp_path):
    table = read_table(write_csv(tmp_path / "o.csv", GOOD_ROWS))
    with pytest.raises(FileImportError, match="SKU"):
        preview(table, ColumnMapping(order_number="주문번호"), account_id=1,
                default_currency="KRW", default_country="KR")
    stale = suggest_mapping(HEADERS)
    stale.sku = "판매자 상품코드"
    with pytest.raises(FileImportError, match="판매자 상품코드"):
        preview(table, stale, account_id=1, default_currency="KRW", default_country="KR")


# --- preview ---------------------------------------------------------------------------------

def test_rows_are_grouped_into_orders_with_several_lines(tmp_path):
    table = read_table(write_csv(tmp_path / "o.csv", GOOD_ROWS))
    result = preview_of(table, account_id=7)
    assert (result.rows_read, result.rows_accepted, result.rows_rejected) == (3, 3, 0)
    assert [o.platform_order_id for o in result.orders] == ["2026111900001", "2026111900002"]
    first = result.orders[0]
    assert first.account_id == 7 and first.status is OrderStatus.AWAITING_SHIPMENT
    assert [(ln.sku, ln.quantity, ln.unit_price, ln.platform_line_id) for ln in first.lines] == [
        ("SG-CUSH-21N", 1, Money(15000, "KRW"), "L1"),
        ("SG-MASK-10", 2, Money(8000, "KRW"), "L2"),
    ]
    assert first.subtotal == Money(31000, "KRW")
    assert first.shipping == Money(3000, "KRW"), "a fee repeated or zeroed per line counts once"
    assert first.ordered_at == datetime(2026, 11, 19, 5, 3, 22, tzinfo=UTC)
    assert first.ordered_at.utcoffset().total_seconds() == 9 * 3600
    assert (first.ship_to.typed.name, first.ship_to.postal_code, first.ship_to.country_code) == (
        "김민수", "05510", "KR")
    assert first.ship_to.phone == "010-1234-5678"
    assert len(first.raw["rows"]) == 2 and first.raw["rows"][0]["배송지"].startswith("서울")
    assert first.raw["tracking_number"] == "6012345678901"
    assert result.orders[1].ordered_at == datetime(2026, 11, 19, 9, 15, tzinfo=KST)
    assert len(preview_of(table, limit=1).sample) == 1


def test_every_bad_row_is_listed_and_good_rows_still_import(tmp_path):
    rows = [
        row("A001", "L1"),                                   # row 2: good
        row("A002", "L2", qty="two"),                        # row 3
        row("A002", "L3"),                                   # row 4: its order has row 3
        row("A003", "L4", sku=""),                           # row 5
        row("A004", "L5", price="12.345"),                   # row 6
        row("A001", "L6", name="박지성"),                     # row 7
        row("A005", "L7", qty="0"),                          # row 8
        row("A006", "L8", when="19/11/2026"),                # row 9
        row("A007", "L9", price="12,000", postal='="06236"'),  # row 10: good
        row("", "L10"),                                      # row 11
        row("A008", "L11", address="   "),                   # row 12
    ]
    table = read_table(write_csv(tmp_path / "o.csv", rows, encoding="cp949"))
    result = preview_of(table)
    reasons = [str(r) for r in result.rejected]
    assert reasons == [
        "row 3: quantity 'two' is not a whole number",
        "row 4: order A002 is not imported because row 3 has a problem",
        "row 5: no SKU (column '옵션관리코드' is empty)",
        "row 6: price 12.345 has more decimals than KRW allows",
        "row 7: order A001 is also on row 2 with a different recipient (김민수 / 박지성)",
        "row 8: quantity 0 is less than 1",
        "row 9: order date '19/11/2026' is not a date (use 2026-11-19 14:03)",
        "row 11: no order number (column '주문번호' is empty)",
        "row 12: no address (column '배송지' is empty)",
    ]
    assert [o.order_number for o in result.orders] == ["A001", "A007"]
    assert result.orders[1].lines[0].unit_price == Money(12000, "KRW")
    assert result.orders[1].ship_to.postal_code == "06236"
    assert (result.rows_read, result.rows_accepted) == (11, 2)


def test_currency_and_country_columns_and_defaults(tmp_path):
    headers = ["Order No", "Recipient", "Address", "Country", "SKU", "Qty", "Price", "Currency"]
    rows = [["J1", "山田太郎", "東京都渋谷区1-2-3", "Japan", "S1", "1", "1500", "JPY"],
            ["U1", "Jane Doe", "1 Main St", "US", "S1", "1", "12.30", ""],
            ["U2", "Jane Roe", "2 Main St", "", "S1", "1", "12.30", "USD"],
            ["X1", "Nobody", "Nowhere", "Narnia", "S1", "1", "1", "USD"]]
    table = read_table(write_csv(tmp_path / "o.csv", rows, headers=headers))
    mapping = suggest_mapping(headers)
    mapping.default_currency = "USD"
    result = preview(table, mapping, account_id=1, default_currency="KRW", default_country="KR")
    assert [(o.order_number, o.currency, o.ship_to.country_code) for o in result.orders] == [
        ("J1", "JPY", "JP"), ("U1", "USD", "US"), ("U2", "USD", "KR")]
    assert result.orders[1].lines[0].unit_price == Money(1230, "USD")
    assert [str(r) for r in result.rejected] == [
        "row 5: country 'Narnia' is not a country code such as KR or JP"]


@pytest.mark.parametrize("text, expected", [
    ("2026-11-19 14:03:22", datetime(2026, 11, 19, 14, 3, 22, tzinfo=KST)),
    ("2026.11.19 14:03", datetime(2026, 11, 19, 14, 3, tzinfo=KST)),
    ("2026/11/19", datetime(2026, 11, 19, tzinfo=KST)),
    ("20261119", datetime(2026, 11, 19, tzinfo=KST)),
    ("2026. 11. 19. 오후 2:03:22", datetime(2026, 11, 19, 14, 3, 22, tzinfo=KST)),
    ("2026-11-19T05:03:22Z", datetime(2026, 11, 19, 14, 3, 22, tzinfo=KST)),
])
def test_dates_korean_exports_write(text, expected):
    parsed = parse_when(text)
    assert parsed == expected and parsed.tzinfo is not None


# --- importing -------------------------------------------------------------------------------

def test_import_twice_changes_nothing(tmp_path):
    path = write_csv(tmp_path / "o.csv", GOOD_ROWS, encoding="utf-8-sig")
    store, account_id = account_store(tmp_path)
    with store:
        first = import_orders(store, preview_of(read_table(path), account_id))
        assert (first.created, first.changed, first.unchanged) == (2, 0, 0)
        writes = store.db.conn.total_changes
        again = import_orders(store, preview_of(read_table(path), account_id))
        assert (again.created, again.changed, again.unchanged) == (0, 0, 2)
        assert store.db.conn.total_changes == writes
        loaded = store.orders.get(first.ids[0])
        assert loaded.raw["tracking_number"] == "6012345678901"
        assert [h.actor for h in store.orders.history(first.ids[0])] == ["file import"]


def test_reimport_keeps_what_the_seller_did_since(tmp_path):
    path = write_csv(tmp_path / "o.csv", GOOD_ROWS)
    store, account_id = account_store(tmp_path)
    with store:
        (order_id, _) = import_orders(store, preview_of(read_table(path), account_id)).ids
        store.orders.set_status(order_id, OrderStatus.SHIPPED, actor="packing")
        writes = store.db.conn.total_changes
        again = import_orders(store, preview_of(read_table(path), account_id))
        assert (again.changed, again.unchanged) == (0, 2)
        assert store.db.conn.total_changes == writes
        # A newer download of the same order (now with a tracking number) updates it but
        # never puts it back to awaiting shipment.
        newer = [row("2026111900001", "L1", tracking="6012345678999"), *GOOD_ROWS[1:]]
        later = preview_of(read_table(write_csv(tmp_path / "o2.csv", newer)), account_id)
        result = import_orders(store, later)
        assert (result.changed, result.unchanged) == (1, 1)
        assert result.ids == [order_id, later.orders[1].id]
        stored = store.orders.get(order_id)
        assert stored.status is OrderStatus.SHIPPED
        assert stored.raw["tracking_number"] == "6012345678999"


def test_sheet_without_dates_imports_the_same_on_another_day(tmp_path):
    headers = [h for h in HEADERS if h != "주문일시"]
    rows = [[c for i, c in enumerate(r) if i != 2] for r in GOOD_ROWS]
    path = write_csv(tmp_path / "o.csv", rows, headers=headers)
    store, account_id = account_store(tmp_path)
    with store:
        monday = preview_of(read_table(path), account_id, now=datetime(2026, 11, 23, tzinfo=UTC))
        assert monday.undated == {"2026111900001", "2026111900002"}
        import_orders(store, monday)
        tuesday = preview_of(read_table(path), account_id, now=datetime(2026, 11, 24, tzinfo=UTC))
        assert import_orders(store, tuesday).unchanged == 2
