"""The store: creation, idempotent upsert, audit log and full-text search, on a real file."""

import shutil
from pathlib import Path

from fulfill.domain import OrderStatus, Platform
from fulfill.storage import Store
from fulfill.storage.database import NEW_STORE_PAGE_SIZE
from fulfill.storage.order_queries import OrderFilter, OrderSort, desk_rows, order_ids, status_counts
from tests.factories import account, chinese_address, order

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_new_store_is_wal_with_foreign_keys(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_new_store_has_large_pages_and_an_older_store_keeps_its_own(store, tmp_path):
    # Large pages keep an order's platform payload out of overflow chains (see database.py).
    assert store.db.execute("PRAGMA page_size").fetchone()[0] == NEW_STORE_PAGE_SIZE
    older = tmp_path / "older.sqlite"
    shutil.copy(FIXTURES / "store_schema_v6.sqlite", older)
    with Store.open(older) as opened:
        assert opened.db.execute("PRAGMA page_size").fetchone()[0] == 4096
        before = opened.orders.count()
        acc = opened.accounts.add(account())
        opened.orders.save([order(acc.id)])
    with Store.open(older) as reopened:
        assert reopened.orders.count() == before + 1


def test_saving_twice_changes_nothing(store):
    acc = store.accounts.add(account())
    first = store.orders.save([order(acc.id, "#1"), order(acc.id, "#2")])
    assert (first.created, first.changed, first.unchanged) == (2, 0, 0)
    changes_before = store.db.conn.total_changes
    again = store.orders.save([order(acc.id, "#1"), order(acc.id, "#2")])
    assert (again.created, again.changed, again.unchanged) == (0, 0, 2)
    assert again.ids == first.ids
    assert store.db.conn.total_changes == changes_before, "an unchanged resync must write nothing"
    assert store.orders.count() == 2


def test_an_order_listed_twice_in_one_batch_is_stored_once_as_listed_last(store):
    acc = store.accounts.add(account())
    first, second = order(acc.id, "#1"), order(acc.id, "#1", status=OrderStatus.CANCELLED)
    result = store.orders.save([first, second, order(acc.id, "#2")])
    assert result.created == 2 and store.orders.count() == 2
    assert first.id == second.id == result.ids[0] == result.ids[1]
    assert store.orders.get(first.id).status is OrderStatus.CANCELLED


def test_a_batch_larger_than_one_statement_is_stored_whole(store):
    # 2,000 orders need two multi-row INSERTs; lines, search text and audit follow each one.
    acc = store.accounts.add(account())
    result = store.orders.save([order(acc.id, f"#{n}") for n in range(2000)])
    assert result.created == 2000 and len(set(result.ids)) == 2000
    counts = [store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("orders", "orders_fts", "audit_log")]
    assert counts == [2000, 2000, 2000]
    last = store.orders.get(result.ids[-1])
    assert last.order_number == "#1999" and last.lines


def test_same_platform_id_on_two_accounts_is_two_orders(store):
    a = store.accounts.add(account(Platform.SHOPIFY, "A"))
    b = store.accounts.add(account(Platform.EBAY, "B"))
    store.orders.save([order(a.id, "#1"), order(b.id, "#1")])
    assert store.orders.count() == 2


def test_status_change_updates_and_is_audited(store):
    acc = store.accounts.add(account())
    (order_id,) = store.orders.save([order(acc.id, "#1")]).ids
    result = store.orders.save([order(acc.id, "#1", status=OrderStatus.CANCELLED)])
    assert result.changed == 1
    assert store.orders.get(order_id).status is OrderStatus.CANCELLED
    actions = [(e.action, e.old_value, e.new_value) for e in store.orders.history(order_id)]
    assert actions == [("created", "", "awaiting_shipment"), ("status", "awaiting_shipment", "cancelled")]


def test_address_edit_replaces_lines_and_search_document(store):
    acc = store.accounts.add(account())
    (order_id,) = store.orders.save([order(acc.id, "#1")]).ids
    store.orders.save([order(acc.id, "#1", address=chinese_address())])
    assert order_ids(store.db, OrderFilter(search="Müller")) == []
    assert order_ids(store.db, OrderFilter(search="王芳")) == [order_id]
    assert store.db.execute("SELECT count(*) FROM order_lines").fetchone()[0] == 2
    assert store.orders.history(order_id)[-1].action == "updated"


def test_round_trip_keeps_both_address_forms_and_raw_json(store):
    acc = store.accounts.add(account())
    original = order(acc.id, "#7", address=chinese_address(), currency="CNY")
    original.raw = {"id": 7, "note": "请尽快发货"}
    (order_id,) = store.orders.save([original]).ids
    loaded = store.orders.get(order_id)
    assert loaded.ship_to == original.ship_to
    assert loaded.lines == original.lines
    assert loaded.grand_total == original.grand_total
    assert loaded.raw == {"id": 7, "note": "请尽快发货"}


def test_set_status_writes_audit_once(store):
    acc = store.accounts.add(account())
    (order_id,) = store.orders.save([order(acc.id)]).ids
    store.orders.set_status(order_id, OrderStatus.ON_HOLD, actor="seller", note="address check")
    store.orders.set_status(order_id, OrderStatus.ON_HOLD, actor="seller")
    entries = store.orders.history(order_id)
    assert [(e.action, e.new_value, e.actor, e.note) for e in entries][1:] == [
        ("status", "on_hold", "seller", "address check")
    ]


def test_deleting_an_order_with_lines_cascades(store):
    acc = store.accounts.add(account())
    (order_id,) = store.orders.save([order(acc.id)]).ids
    store.db.execute("DELETE FROM orders WHERE id = ?", [order_id])
    assert store.db.execute("SELECT count(*) FROM order_lines").fetchone()[0] == 0


def _search_store(store):
    acc = store.accounts.add(account())
    ids = store.orders.save([
        order(acc.id, "#100", address=chinese_address(), currency="CNY"),
        order(acc.id, "#101"),
    ]).ids
    return ids


def test_search_by_native_and_latin_name_and_address(store):
    cn, de = _search_store(store)
    for text in ("王芳", "王", "芳", "wang fang", "Jianguo", "朝阳区", "建国路", "100022"):
        assert order_ids(store.db, OrderFilter(search=text)) == [cn], text
    for text in ("müller", "Muller", "mull", "schönhauser", "10119"):
        assert order_ids(store.db, OrderFilter(search=text)) == [de], text


def test_search_by_sku_title_and_order_number(store):
    cn, de = _search_store(store)
    assert set(order_ids(store.db, OrderFilter(search="SG-CUSH-21N"))) == {cn, de}
    assert set(order_ids(store.db, OrderFilter(search="cush"))) == {cn, de}
    assert order_ids(store.db, OrderFilter(search="#101")) == [de]
    assert order_ids(store.db, OrderFilter(search="王芳 cushion")) == [cn]
    assert order_ids(store.db, OrderFilter(search="nobody-here")) == []


def test_search_text_with_fts_syntax_is_plain_text(store):
    _search_store(store)
    for text in ('"', "AND", "OR NOT", "*", "müller)", "NEAR("):
        order_ids(store.db, OrderFilter(search=text))  # must not raise


def test_filters_sort_and_counts(store):
    shop = store.accounts.add(account(Platform.SHOPIFY, "S"))
    bay = store.accounts.add(account(Platform.EBAY, "E"))
    a = store.orders.save([order(shop.id, "#1", days_ago=3)]).ids[0]
    b = store.orders.save([order(bay.id, "#2", days_ago=1, status=OrderStatus.SHIPPED,
                                 address=chinese_address())]).ids[0]
    c = store.orders.save([order(bay.id, "#3", days_ago=2)]).ids[0]
    assert order_ids(store.db, OrderFilter()) == [b, c, a]
    assert order_ids(store.db, OrderFilter(), OrderSort("ordered_at", descending=False)) == [a, c, b]
    assert order_ids(store.db, OrderFilter(account_ids=(bay.id,))) == [b, c]
    assert order_ids(store.db, OrderFilter(countries=("CN",))) == [b]
    assert order_ids(store.db, OrderFilter(statuses=(OrderStatus.SHIPPED,))) == [b]
    counts = status_counts(store.db, OrderFilter(statuses=(OrderStatus.SHIPPED,)))
    assert counts[OrderStatus.SHIPPED] == 1 and counts[OrderStatus.AWAITING_SHIPMENT] == 2
    rows = desk_rows(store.db, [a, b])
    assert rows[b].ship_name == "王芳" and rows[b].ship_name_latin == "Wang Fang"
    assert rows[a].platform is Platform.SHOPIFY


def test_store_reopens_with_data(store_path):
    with Store.open(store_path) as first:
        acc = first.accounts.add(account())
        first.orders.save([order(acc.id)])
    with Store.open(store_path) as second:
        assert second.orders.count() == 1


def test_a_platform_hiding_old_buyer_data_does_not_blank_what_was_stored(store):
    """eBay stops returning name, street and phone after 90 days; a later change keeps them."""
    from dataclasses import replace

    from fulfill.domain import AddressText

    acc = store.accounts.add(account())
    original = order(acc.id, "#1", address=chinese_address())
    original.buyer_email = "wang@example.com"
    (order_id,) = store.orders.save([original]).ids
    def hidden():
        later = order(acc.id, "#1", status=OrderStatus.DELIVERED, address=replace(
            chinese_address(), typed=AddressText(name="", line1="", city="北京市"), latin=None,
            phone=""))
        later.buyer_name = ""
        return later

    assert store.orders.save([hidden()]).changed == 1
    kept = store.orders.get(order_id)
    assert kept.status is OrderStatus.DELIVERED
    assert kept.ship_to.typed.name == "王芳" and kept.ship_to.typed.line1 == "朝阳区建国路88号"
    assert kept.ship_to.latin.name == "Wang Fang" and kept.ship_to.phone == "+86 138 0013 8000"
    assert kept.buyer_name == "王芳" and kept.buyer_email == "wang@example.com"
    assert store.orders.save([hidden()]).unchanged == 1  # the next identical sync writes nothing
