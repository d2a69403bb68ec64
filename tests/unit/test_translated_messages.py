"""Messages the services, storage and channel connectors compose come out in the interface
language: real failures (an SQLite file that is locked or full, a return step the table
refuses, papers missing customs data, a platform answering 503 on loopback, a bad row in an
order sheet) read in Korean once Korean is installed, and in English again afterwards."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from fulfill import translation
from fulfill.channels.base import SyncWindow
from fulfill.channels.http import ChannelHttp
from fulfill.channels.registry import KINDS
from fulfill.domain import ChannelAccount, OrderStatus, Platform
from fulfill.domain.returns import ReturnKind, ReturnReason, ReturnStatus, ReturnStep
from fulfill.errors import ChannelUnavailable, StoreDiskFull, StoreLocked
from fulfill.services import papers, returns
from fulfill.services.channels import as_fulfill_error
from fulfill.services.file_import import ColumnMapping, preview, read_table
from fulfill.storage import backups
from fulfill.storage.database import classify
from tests.factories import account, order

HANGUL = range(0xAC00, 0xD7A4)


def korean(text: str) -> bool:
    return any(ord(ch) in HANGUL for ch in text)


@pytest.fixture
def ko():
    """Korean for the test, English again after it (other tests match English text)."""
    assert translation.install("ko") == "ko"
    try:
        yield
    finally:
        translation.install("en")


# --- storage ----------------------------------------------------------------------------------

def test_a_locked_store_says_so_in_korean(ko, store_path):
    with sqlite3.connect(store_path) as conn:
        conn.execute("CREATE TABLE t (x)")
    holder = sqlite3.connect(store_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(sqlite3.OperationalError) as raised:
            sqlite3.connect(store_path, timeout=0.05).execute("SELECT * FROM t").fetchall()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    error = classify(raised.value, store_path)
    assert isinstance(error, StoreLocked)
    assert error.message == f"다른 프로그램이 저장소 {store_path.name}을(를) 사용하고 있습니다."
    assert korean(error.advice) and "fulfill" in error.advice


def test_a_full_disk_says_so_in_korean_and_english_comes_back(store, store_path):
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 2}")
    acc = store.accounts.add(account())
    big = [order(acc.id, f"#big{n}") for n in range(300)]
    translation.install("ko")
    try:
        with pytest.raises(StoreDiskFull) as info, store.errors():
            store.orders.save(big)
    finally:
        translation.install("en")
    assert info.value.message == f"{store_path.name}이(가) 있는 디스크가 가득 찼습니다."
    assert "안전합니다" in info.value.advice
    with pytest.raises(StoreDiskFull, match="is full"), store.errors():
        store.orders.save(big)


def test_backup_kinds_are_named_in_korean(ko, store, store_path):
    made = backups.back_up(store_path, kind="auto")
    assert made.label.endswith("(자동)")


# --- returns ----------------------------------------------------------------------------------

def _delivered_order(store) -> int:
    acc = store.accounts.add(account())
    store.orders.save([order(acc.id, "#2001", status=OrderStatus.DELIVERED)])
    return store.orders.id_for(acc.id, "pid-#2001")


def test_a_refused_return_step_names_status_and_next_steps_in_korean(ko, store):
    order_id = _delivered_order(store)
    rma = returns.open_rma(store, order_id, kind=ReturnKind.EXCHANGE,
                           reason=ReturnReason.WRONG_SIZE, lines={"SG-CUSH-21N": 1})
    with pytest.raises(returns.ReturnRefused) as refused:
        returns.receive(store, rma.id)
    assert refused.value.message == (
        f"{rma.code}: 요청 상태인 교환 건은 ‘입고 완료’ 처리할 수 없습니다.")
    assert refused.value.advice == "요청 상태에서 가능한 처리: 승인 또는 거절."
    assert store.returns.get(rma.id).status is ReturnStatus.REQUESTED  # nothing written


def test_a_closed_rma_and_too_many_pieces_are_refused_in_korean(ko, store):
    order_id = _delivered_order(store)
    with pytest.raises(returns.ReturnRefused) as too_many:
        returns.open_rma(store, order_id, kind=ReturnKind.RETURN, reason=ReturnReason.DAMAGED,
                         lines={"SG-CUSH-21N": 3})
    assert too_many.value.message.startswith("주문 #2001: SG-CUSH-21N 3개를 요청했지만")
    assert too_many.value.advice == "최대 2개까지 반품할 수 있습니다."
    rma = returns.open_rma(store, order_id, kind=ReturnKind.RETURN, reason=ReturnReason.DAMAGED,
                           lines={"SG-CUSH-21N": 1})
    returns.reject(store, rma.id, note="worn")
    returns.close(store, rma.id)
    with pytest.raises(returns.ReturnRefused) as closed:
        returns.approve(store, rma.id)
    assert "종료 상태인 반품(환불) 건은 ‘승인’" in closed.value.message
    assert closed.value.advice.startswith("종료된 건이라")


def test_every_domain_word_a_refusal_names_is_in_the_korean_catalogue(ko):
    """Services translate the domain's English words with _(): each must be in the catalogue."""
    words = ([s.label for s in ReturnStatus] + [s.words for s in ReturnStep]
             + [s.label for s in OrderStatus] + [k.label for k in ReturnKind])
    untranslated = [w for w in words if translation._(w) == w]
    assert not untranslated


# --- papers -----------------------------------------------------------------------------------

def test_papers_gaps_and_the_refusal_are_in_korean(ko, store):
    acc = store.accounts.add(account())
    store.orders.save([order(acc.id, "#3001")])
    order_id = store.orders.id_for(acc.id, "pid-#3001")
    gaps = papers.gaps_for(store, [order_id])[order_id]
    details = {gap.what: gap.detail for gap in gaps}
    assert details["product"] == "상품 목록에 없습니다: 통관 정보와 함께 추가하세요"
    assert details["tracking number"].startswith("아직 송장번호 없음")
    assert "seller profile" in details and all(korean(gap.detail) for gap in gaps)
    with pytest.raises(papers.PapersBlocked) as blocked:
        papers.render(store, [order_id], "label")
    assert blocked.value.message.startswith("아직 인쇄할 수 없는 주문 1건:\n  #3001: ")
    assert "판매자 정보: 영문 수출자명" in blocked.value.message
    assert blocked.value.advice.endswith("그런 다음 다시 인쇄하세요.")


# --- channels ---------------------------------------------------------------------------------

def test_a_platform_answering_503_on_loopback_is_explained_in_korean(ko):
    from fulfill.channels.woocommerce.client import WooCommerceConnector
    from fulfill.sandboxes import woocommerce as sandbox_module

    with sandbox_module.WooCommerceSandbox(orders=3) as sandbox:
        sandbox.fail_next(503, times=3)
        http = ChannelHttp(f"{sandbox.url}/wp-json", "WooCommerce", max_retries=2,
                           sleep=lambda _s: None)
        http.session.auth = (sandbox_module.SECRETS["consumer_key"],
                             sandbox_module.SECRETS["consumer_secret"])
        shop = ChannelAccount(Platform.WOOCOMMERCE, "Loopback",
                              sandbox_module.account_settings(sandbox.url), id=1)
        connector = WooCommerceConnector(shop, dict(sandbox_module.SECRETS), http=http)
        with pytest.raises(ChannelUnavailable) as failed:
            next(iter(connector.fetch(SyncWindow(None, datetime.now(UTC)))))
        connector.close()
    problem = as_fulfill_error(failed.value, shop)
    assert problem.message == ("2번 다시 시도했지만 WooCommerce 서버 오류가 계속되었습니다 (503).")
    assert problem.advice.startswith("인터넷 연결을 확인하세요.")


def test_every_credential_field_is_labelled_in_korean(ko):
    """Labels and help of the connectors' credential fields are in the catalogue (examples
    such as "https://shop.example.com" stay as they are)."""
    missing = []
    for platform in (Platform.SHOPIFY, Platform.AMAZON, Platform.EBAY, Platform.ETSY,
                     Platform.WOOCOMMERCE, Platform.SHOPEE, Platform.CAFE24, Platform.NAVER,
                     Platform.COUPANG, Platform.QOO10):
        for field in KINDS[platform].connector_class().credential_fields:
            texts = [field.label] + ([field.help] if " " in field.help else [])
            missing += [text for text in texts if translation._(text) == text]
    assert not missing


# --- file import ------------------------------------------------------------------------------

def test_rejected_rows_give_their_reason_in_korean(ko, tmp_path):
    sheet = tmp_path / "orders.csv"
    sheet.write_text("주문번호,수취인명,주소,SKU,수량,판매가\n"
                     "A1,김민지,서울시 강남구 1,SKU-1,two,12000\n"
                     "A2,이수진,부산시 해운대구 2,SKU-2,1,\n", encoding="utf-8")
    table = read_table(sheet)
    mapping = ColumnMapping(order_number="주문번호", recipient_name="수취인명",
                            address_line1="주소", sku="SKU", quantity="수량", unit_price="판매가")
    result = preview(table, mapping, account_id=1, default_currency="KRW", default_country="KR")
    reasons = {row.row: row.reason for row in result.rejected}
    assert reasons == {2: "수량 'two'은(는) 정수가 아닙니다",
                       3: "판매가 없음 ('판매가' 열이 비어 있음)"}
    assert str(result.rejected[0]) == "2행: 수량 'two'은(는) 정수가 아닙니다"
