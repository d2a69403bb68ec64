"""The import dialog driven as a seller would: real order sheets, a real store, the StoreWorker."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from fulfill.domain import ChannelAccount, Platform
from fulfill.services.file_import import MappingStore
from fulfill.storage import Store
from fulfill.ui.import_dialog import ImportDialog
from fulfill.ui.store_worker import StoreWorker

WAIT_MS = 10_000

# An 11st-style sheet: a title row above the headings, Korean headings, and "품번" for the SKU,
# a heading suggest_mapping does not know (the seller maps it once; the mapping is saved).
TITLE = ["11번가 발송처리 목록 (2026-11-19)"]
HEADERS = ["주문번호", "주문일시", "수취인명", "수취인연락처1", "우편번호", "배송지", "품번", "상품명",
           "수량", "판매가", "배송비"]


def row(order: str, *, name: str = "김민수", sku: str = "SG-CUSH-21N", qty: str = "1",
        price: str = "15000", address: str = "서울특별시 송파구 올림픽로 300") -> list[str]:
    return [order, "2026-11-19 14:03", name, "010-1234-5678", "05510", address, sku,
            "글로우 쿠션 21호", qty, price, "3000"]


ROWS = [
    row("A001"),                                   # spreadsheet row 3
    row("A001", sku="SG-MASK-10", qty="2", price="8000"),
    row("A002", name="이영희", address="부산광역시 해운대구 우동 1408"),
    row("A003", qty="two"),                        # row 6: bad quantity
    row("A004", address=""),                       # row 7: no address
    row("A005", name="박서준", price="12,000"),     # row 8: good (thousands separator)
    row("A006", price="12.5"),                     # row 9: KRW has no decimals
]


def write_cp949_csv(path: Path) -> Path:
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(TITLE + [""] * (len(HEADERS) - 1))
    writer.writerow(HEADERS)
    writer.writerows(ROWS)
    path.write_bytes(text.getvalue().encode("cp949"))
    return path


def write_esm_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "주문목록"
    sheet.append(["ESM+ 발송관리 주문 목록"])
    sheet.append([])
    sheet.append(["주문번호", "결제완료일", "수령인명", "수령인 휴대폰", "우편번호", "주소",
                  "판매자 상품코드", "상품명", "수량", "판매가(원)"])
    sheet.append([3001, datetime(2026, 11, 19, 14, 3), "김민수", "010-1234-5678", 5510,
                  "서울특별시 송파구 올림픽로 300", "SG-CUSH-21N", "쿠션", 1, 15000])
    sheet.cell(row=4, column=5).number_format = "00000"
    sheet.append([3002, datetime(2026, 11, 19, 9, 15), "이영희", "01098765432", "48060",
                  "부산광역시 해운대구 우동 1408", "SG-MASK-10", "마스크", 2, 8000])
    book.create_sheet("메모").append(["a", "b", "c"])
    book.save(path)
    return path


@pytest.fixture
def worker(store_path):
    Store.open(store_path).close()  # the app prepares the store before any window opens
    made = StoreWorker(store_path)
    yield made
    made.close()


@pytest.fixture
def mappings(tmp_path) -> Path:
    return tmp_path / "import_mappings"


def add_account(store_path: Path, name: str) -> ChannelAccount:
    with Store.open(store_path) as store:
        return store.accounts.add(ChannelAccount(Platform.FILE_IMPORT, name))


def file_accounts(store_path: Path) -> list[ChannelAccount]:
    with Store.open(store_path) as store:
        return store.accounts.all()


def order_numbers(store_path: Path) -> list[str]:
    with Store.open(store_path) as store:
        return [r[0] for r in store.db.execute(
            "SELECT order_number FROM orders ORDER BY order_number")]


def open_dialog(qtbot, store_path, worker, mappings, path=None, **kwargs) -> ImportDialog:
    dialog = ImportDialog(store_path, worker, mappings, file_accounts(store_path), path=path,
                          locale="en_US", **kwargs)
    dialog.CLOSE_DELAY_MS = 50
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot, dialog)
    return dialog


def settle(qtbot, dialog: ImportDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)


def table_rows(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def import_all(qtbot, dialog: ImportDialog):
    with qtbot.waitSignal(dialog.ordersImported, timeout=WAIT_MS) as imported:
        dialog.import_button.click()
    return imported.args


def test_cp949_sheet_maps_previews_rejects_and_imports(qtbot, store_path, worker, mappings,
                                                       tmp_path):
    account = add_account(store_path, "11st")
    path = write_cp949_csv(tmp_path / "11st-발송처리.csv")
    dialog = open_dialog(qtbot, store_path, worker, mappings, path)

    assert dialog.current_account().id == account.id, "the only source is chosen"
    info = dialog.file_info.text()
    assert "CP949" in info and "headings on row 2" in info and "7 rows" in info
    # Pre-filled from the headings; the unknown "품번" leaves the SKU to the seller.
    assert [dialog.column(f) for f in ("order_number", "recipient_name", "address_line1",
                                       "quantity", "unit_price", "ordered_at", "shipping_fee")
            ] == ["주문번호", "수취인명", "배송지", "수량", "판매가", "주문일시", "배송비"]
    assert dialog.column("sku") == ""
    assert "SKU" in dialog.error_text() and "What to do:" in dialog.error_text()
    assert not dialog.import_button.isEnabled()
    assert dialog.orders.rowCount() == 0

    with qtbot.waitSignal(dialog.previewChanged, timeout=WAIT_MS):
        dialog.set_column("sku", "품번")
    settle(qtbot, dialog)
    assert dialog.error_text() == ""
    assert table_rows(dialog.orders) == [
        ["A001", "김민수", "KR", "SG-CUSH-21N × 1, SG-MASK-10 × 2", "₩34,000"],
        ["A002", "이영희", "KR", "SG-CUSH-21N × 1", "₩18,000"],
        ["A005", "박서준", "KR", "SG-CUSH-21N × 1", "₩15,000"],
    ]
    assert table_rows(dialog.rejected) == [
        ["6", "quantity 'two' is not a whole number"],
        ["7", "no address (column '배송지' is empty)"],
        ["9", "price 12.5 has more decimals than KRW allows"],
    ], "row numbers as the spreadsheet shows them (a title row above the headings)"
    assert dialog.rejected_box.title() == "Rows that will not be imported: 3"
    assert dialog.import_button.text() == "&Import 3 orders"
    assert dialog.import_button.isEnabled()

    result, summary = import_all(qtbot, dialog)
    assert summary == "3 new, 0 unchanged"
    assert (result.created, result.unchanged) == (3, 0)
    assert "3 new, 0 unchanged" in dialog.status.text()
    assert order_numbers(store_path) == ["A001", "A002", "A005"]
    assert dialog.isVisible(), "rejected rows stay on screen until the seller closes"
    assert MappingStore(mappings).load("11st").sku == "품번"
    dialog.import_button.click()  # now "Close"
    assert not dialog.isVisible()

    # Next time: the saved mapping pre-fills the SKU, and the same sheet changes nothing.
    again = open_dialog(qtbot, store_path, worker, mappings, path)
    assert again.column("sku") == "품번"
    assert "Saved for 11st" in again.mapping_note.text()
    assert again.orders.rowCount() == 3
    result, summary = import_all(qtbot, again)
    assert summary == "0 new, 3 unchanged"
    assert (result.created, result.changed, result.unchanged) == (0, 0, 3)
    assert order_numbers(store_path) == ["A001", "A002", "A005"]


def test_xlsx_from_a_new_source_imports_and_closes(qtbot, store_path, worker, mappings, tmp_path):
    path = write_esm_xlsx(tmp_path / "esm.xlsx")
    dialog = open_dialog(qtbot, store_path, worker, mappings, path)
    assert dialog.current_account() is None
    assert dialog.sheet.isVisible() and dialog.sheet.currentText() == "주문목록"
    assert "Excel workbook" in dialog.file_info.text()
    assert "headings on row 3" in dialog.file_info.text()
    assert [dialog.column(f) for f in ("order_number", "recipient_name", "sku", "unit_price")
            ] == ["주문번호", "수령인명", "판매자 상품코드", "판매가(원)"]
    assert table_rows(dialog.orders) == [
        ["3001", "김민수", "KR", "SG-CUSH-21N × 1", "₩15,000"],
        ["3002", "이영희", "KR", "SG-MASK-10 × 2", "₩16,000"],
    ]
    assert dialog.rejected.rowCount() == 0
    assert not dialog.import_button.isEnabled(), "no source chosen yet"
    assert "Choose the source" in dialog.status.text()

    # "New source…" asks a name and creates the account on the worker.
    dialog.source.activated.emit(dialog.source.findData(-1))
    assert dialog.name_dialog.isVisible()
    dialog.name_dialog.setTextValue("Gmarket ESM+")
    with qtbot.waitSignal(dialog.sourceAdded, timeout=WAIT_MS) as added:
        dialog.name_dialog.accept()
    settle(qtbot, dialog)
    account = added.args[0]
    assert dialog.current_account().id == account.id
    assert dialog.source.currentText() == "Gmarket ESM+"
    assert [(a.platform, a.name) for a in file_accounts(store_path)] == [
        (Platform.FILE_IMPORT, "Gmarket ESM+")]

    _result, summary = import_all(qtbot, dialog)
    assert summary == "2 new, 0 unchanged"
    assert order_numbers(store_path) == ["3001", "3002"]
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)  # nothing rejected: closes

    # Another sheet of the workbook is read when chosen; the saved mapping does not fit it.
    second = open_dialog(qtbot, store_path, worker, mappings, path)
    assert second.current_account().id == account.id
    assert "Saved for Gmarket ESM+" in second.mapping_note.text()
    second.sheet.activated.emit(second.sheet.findText("메모"))
    settle(qtbot, second)
    assert "esm.xlsx has no column '주문번호'" in second.error_text()
    assert "check the column mapping" in second.error_text()
    assert second.combo_text("order_number") == "⚠ 주문번호 (not in this file)"
    assert not second.import_button.isEnabled()


def test_saved_mapping_picks_the_source_for_a_known_sheet(qtbot, store_path, worker, mappings,
                                                          tmp_path):
    add_account(store_path, "Auction ESM+")
    esm = add_account(store_path, "Gmarket ESM+")
    path = write_esm_xlsx(tmp_path / "esm.xlsx")
    first = open_dialog(qtbot, store_path, worker, mappings, path, account_id=esm.id)
    import_all(qtbot, first)
    first.close()
    second = open_dialog(qtbot, store_path, worker, mappings, path)
    assert second.current_account().id == esm.id


def test_a_png_named_csv_shows_what_is_wrong_and_what_to_do(qtbot, store_path, worker, mappings,
                                                           tmp_path):
    add_account(store_path, "Lotte ON")
    path = tmp_path / "orders.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01")
    dialog = open_dialog(qtbot, store_path, worker, mappings, path)
    text = dialog.error_text()
    assert "orders.csv is a PNG image, not a spreadsheet." in text
    assert "What to do: Choose the order sheet downloaded from the marketplace." in text
    assert not dialog.import_button.isEnabled()
    assert dialog.orders.rowCount() == 0 and dialog.table is None
    assert dialog.isVisible()
    # A good file afterwards clears the error.
    dialog.load_file(write_esm_xlsx(tmp_path / "esm.xlsx"))
    settle(qtbot, dialog)
    assert dialog.error_text() == "" and dialog.orders.rowCount() == 2
    assert order_numbers(store_path) == []
