"""Shopify: mappers on Shopify's own payloads, client and sync against the sandbox."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from fulfill.channels.base import ShipmentNotice, ShippedLine
from fulfill.channels.credentials import load_secrets, save_secrets
from fulfill.channels.http import ChannelHttp, Reply
from fulfill.channels.shopify import client as shopify_client
from fulfill.channels.shopify.client import (
    CostBucket, ShopifyConnector, fulfillment_groups, shop_domain, throttle_wait,
)
from fulfill.channels.shopify.mapper import gid, legacy_id, map_order, map_rest_order, order_status
from fulfill.domain import ChannelAccount, Money, OrderLine, OrderStatus, Platform
from fulfill.errors import ChannelAuthError, ChannelError, ChannelRejected
from fulfill.sandboxes import shopify as sh
from fulfill.services.outbox import deliver_due, ship_order
from fulfill.services.sync import sync_account
from fulfill.storage.outbox import OutboxRepository
from tests.channels import scenarios
from tests.channels.conftest import shared_fixture
from tests.channels.scenarios import soon
from tests.factories import chinese_address
from tests.factories import order as factory_order

ROOMY = {"bucket": 1e9, "restore_rate": 1e9}  # a shop that never throttles


def fixture(name: str):
    return json.loads(shared_fixture("shopify", name).read_text())


# --- REST mapper on Shopify's documented examples ------------------------------------------

def test_rest_mapper_reads_the_documented_order():
    payload = fixture("rest_2024-10_order_get.json")["order"]
    order = map_rest_order(payload, account_id=1)
    assert order.platform_order_id == "gid://shopify/Order/450789469"
    assert order.order_number == "#1001" and order.status is OrderStatus.PARTIALLY_REFUNDED
    assert order.currency == "USD" and order.paid_total == Money(59894, "USD")
    assert (order.tax, order.discount, order.shipping) == (
        Money(1194, "USD"), Money(1000, "USD"), Money(0, "USD"))
    assert order.ordered_at == datetime(2008, 1, 10, 16, 0, tzinfo=UTC)
    address = order.ship_to
    assert (address.typed.name, address.typed.line1, address.typed.city, address.typed.region,
            address.postal_code, address.country_code) == (
        "Bob Norman", "Chestnut Street 92", "Louisville", "KY", "40202", "US")
    assert order.buyer_email == "bob.norman@mail.example.com"
    # Two of the three iPods were removed or refunded (current_quantity 0): only red is left.
    assert [(line.sku, line.quantity, line.unit_price) for line in order.lines] == [
        ("IPOD2008RED", 1, Money(19900, "USD"))]
    assert order.lines[0].platform_line_id == "gid://shopify/LineItem/518995019"
    assert order.lines[0].title == "IPod Nano - 8gb - red"
    assert order.raw is payload


def test_rest_mapper_reads_lists_and_the_legacy_field_set():
    listed = fixture("rest_2024-10_orders_list_updated_at_min.json")["orders"]
    assert [map_rest_order(o, 1).order_number for o in listed] == ["#1001"]
    legacy = fixture("legacy_python_api_order.json")["order"]
    order = map_rest_order(legacy, 1)
    # No admin_graphql_api_id in 2013: the same gid is built, so the order is not doubled.
    assert order.platform_order_id == "gid://shopify/Order/450789469"
    assert order.status is OrderStatus.AWAITING_SHIPMENT  # "authorized", not yet shipped
    assert [line.sku for line in order.lines] == ["IPOD2008GREEN", "IPOD2008RED", "IPOD2008BLACK"]
    assert order.shipping == Money(0, "USD")  # from shipping_lines: no *_set fields then
    assert order.paid_total == Money(40994, "USD")
    for o in fixture("legacy_python_api_orders.json")["orders"]:  # an order without line_items
        assert map_rest_order(o, 1).lines == []


@pytest.mark.parametrize(("financial", "fulfillment", "cancelled", "status"), [
    ("pending", None, False, OrderStatus.AWAITING_PAYMENT),
    ("paid", None, False, OrderStatus.AWAITING_SHIPMENT),
    ("authorized", "partial", False, OrderStatus.AWAITING_SHIPMENT),
    ("paid", "fulfilled", False, OrderStatus.SHIPPED),
    ("PAID", "ON_HOLD", False, OrderStatus.ON_HOLD),
    ("EXPIRED", "UNFULFILLED", False, OrderStatus.ON_HOLD),
    ("voided", None, False, OrderStatus.CANCELLED),
    ("REFUNDED", "FULFILLED", True, OrderStatus.CANCELLED),
    ("refunded", "fulfilled", False, OrderStatus.REFUNDED),
    ("partially_refunded", "fulfilled", False, OrderStatus.PARTIALLY_REFUNDED),
])
def test_status_from_both_spellings(financial, fulfillment, cancelled, status):
    assert order_status(financial, fulfillment, cancelled) is status


def test_unknown_status_is_an_error():
    with pytest.raises(ValueError, match="financial status 'BARTERED'"):
        order_status("BARTERED", None, False)


def test_ids_between_rest_and_graphql():
    assert gid("Order", 450789469) == "gid://shopify/Order/450789469"
    assert gid("Order", "gid://shopify/Order/1") == "gid://shopify/Order/1"
    assert legacy_id("gid://shopify/LineItem/518995019") == "518995019"


# --- GraphQL mapper ------------------------------------------------------------------------

def test_graphql_mapper_buyer_currency_cjk_name_and_current_quantities():
    order = factory_order(1, "#9", address=chinese_address(), currency="CNY")
    node = sh.render(order, 42, [7001, 7002])
    node["lineItems"]["nodes"][1]["currentQuantity"] = 0  # removed after checkout
    node["lineItems"]["nodes"][0]["sku"] = None
    mapped = map_order(node, account_id=3)
    assert mapped.platform_order_id == "gid://shopify/Order/42" and mapped.currency == "CNY"
    assert mapped.ship_to.typed.name == "王芳" and mapped.ship_to.typed.city == "北京市"
    assert mapped.paid_total == order.grand_total  # the presentment figure, not the shop's USD
    assert [(line.sku, line.quantity) for line in mapped.lines] == [
        ("shopify-variant-7007001", 2)]
    node["lineItems"]["nodes"][0]["currentQuantity"] = 0  # nothing left: keep what was bought
    assert [line.quantity for line in map_order(node, 3).lines] == [2, 1]


def test_graphql_mapper_refuses_a_partial_line_list():
    node = sh.render(factory_order(1), 1, [1, 2])
    node["lineItems"]["pageInfo"] = {"hasNextPage": True, "endCursor": "x"}
    with pytest.raises(ValueError, match="part of the order's line items"):
        map_order(node, 1)


# --- small pieces --------------------------------------------------------------------------

def test_shop_domain_from_what_sellers_type():
    for typed in ("seoul-glow", "seoul-glow.myshopify.com", "https://seoul-glow.myshopify.com/",
                  "https://seoul-glow.myshopify.com/admin/orders",
                  "admin.shopify.com/store/seoul-glow"):
        assert shop_domain(typed) == "seoul-glow.myshopify.com"
    with pytest.raises(ChannelError, match="not a Shopify shop address"):
        shop_domain("  ")


def _reply(body, status=200):
    return Reply(status, {}, json.dumps(body).encode(), "https://x/admin/api/2024-10/graphql.json")


def test_throttle_wait_reads_the_published_throttled_answer():
    # Shopify's example of a throttled answer (shopify.dev community thread 8456 / gist).
    body = {"errors": [{"message": "Throttled", "extensions": {
        "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
        "extensions": {"cost": {"requestedQueryCost": 70, "actualQueryCost": None,
                                "throttleStatus": {"maximumAvailable": 1000,
                                                   "currentlyAvailable": 66, "restoreRate": 50}}}}
    assert throttle_wait(_reply(body)) == pytest.approx(4 / 50 + 0.05)
    assert throttle_wait(_reply(body, 429)) == pytest.approx(4 / 50 + 0.05)
    assert throttle_wait(_reply({"data": {}})) is None
    assert throttle_wait(Reply(429, {}, b"<html>", "u")) is None  # falls back to Retry-After


def test_cost_bucket_waits_for_what_the_query_asked_last_time():
    now = [100.0]
    bucket = CostBucket(clock=lambda: now[0])
    assert bucket.wait_before("Orders") == 0  # nothing known yet
    bucket.observe("Orders", {"extensions": {"cost": {
        "requestedQueryCost": 902, "actualQueryCost": 600,
        "throttleStatus": {"maximumAvailable": 2000, "currentlyAvailable": 400,
                           "restoreRate": 100}}}})
    assert bucket.wait_before("Orders") == pytest.approx(5.02)
    now[0] += 3
    assert bucket.wait_before("Orders") == pytest.approx(2.02)
    now[0] += 10
    assert bucket.wait_before("Orders") == 0


def test_fulfillment_groups_on_the_documented_fulfillment_orders():
    listing = fixture("rest_2024-10_fulfillment_orders_list.json")["fulfillment_orders"]
    assert fulfillment_groups(listing, ()) == {24826418: [{"fulfillment_order_id": 1046000823}]}
    red = (ShippedLine("gid://shopify/LineItem/518995019", 1),)
    assert fulfillment_groups(listing, red) == {24826418: [
        {"fulfillment_order_id": 1046000823,
         "fulfillment_order_line_items": [{"id": 1058737564, "quantity": 1}]}]}
    with pytest.raises(ChannelRejected, match="fewer items left"):
        fulfillment_groups(listing, (ShippedLine("gid://shopify/LineItem/518995019", 2),))


# --- against the sandbox -------------------------------------------------------------------

@pytest.fixture
def sandbox():
    with sh.ShopifySandbox(250, **ROOMY) as server:
        yield server


@pytest.fixture
def account(store, sandbox):
    acc = store.accounts.add(ChannelAccount(Platform.SHOPIFY, "Seoul Glow (sandbox)",
                                            sh.account_settings(sandbox.url)))
    save_secrets(acc.id, dict(sh.SECRETS))
    return acc


def connector(account, *, sleep=lambda s: None, **http_options):
    http = ChannelHttp(account.settings["api_base"], "Shopify", sleep=sleep, **http_options)
    return ShopifyConnector(account, load_secrets(account.id), http=http)


def test_first_sync_reads_every_page_then_resync_writes_no_orders(store, account, sandbox):
    conn = connector(account)
    report = sync_account(store, conn)
    assert report.created == 250 and report.pages == 10 and report.problems == 0
    assert conn.http.stats.throttled == 0
    first_gid = next(iter(sandbox.orders.values()))["id"]
    local = store.orders.get(store.orders.id_for(account.id, first_gid))
    assert local.platform_order_id.startswith("gid://shopify/Order/")
    assert local.currency in {"USD", "CAD", "GBP", "AUD", "EUR"}
    scenarios.resync_writes_nothing(store, connector(account))


def test_changed_and_new_orders_are_picked_up(store, account, sandbox):
    sync_account(store, connector(account))
    order_id = next(i for i, o in sorted(sandbox.orders.items())
                    if o["displayFinancialStatus"] == "PAID"
                    and o["displayFulfillmentStatus"] == "UNFULFILLED")
    sandbox.change(order_id, cancelledAt=sh._z(datetime.now(UTC)),
                   displayFinancialStatus="VOIDED")
    new_ids = sandbox.add_orders(2, seed=99)
    report = sync_account(store, connector(account), now=soon())
    scenarios.one_change_and_two_new_orders(store, account, report,
                                            f"gid://shopify/Order/{order_id}",
                                            [f"gid://shopify/Order/{i}" for i in new_ids])
    assert report.fetched < 30  # only what changed since the last sync was read


def test_an_order_with_many_lines_gets_the_rest_fetched(store, account, sandbox):
    lines = [OrderLine(f"SG-{n:02d}", f"Sheet mask {n}", 1, Money.parse("3.50", "USD"))
             for n in range(12)]
    big = sandbox.add_order(factory_order(1, lines=lines))
    sandbox.orders[big]["updatedAt"] = sh._z(datetime.now(UTC) - timedelta(minutes=5))
    report = sync_account(store, connector(account))
    assert report.problems == 0
    order = store.orders.get(store.orders.id_for(account.id, f"gid://shopify/Order/{big}"))
    assert [line.sku for line in order.lines] == [f"SG-{n:02d}" for n in range(12)]


def test_one_bad_order_is_a_problem_and_the_rest_import(store, account, sandbox):
    bad = sorted(sandbox.orders)[5]
    status = sandbox.orders[bad]["displayFinancialStatus"]
    sandbox.orders[bad]["displayFinancialStatus"] = "BARTERED"
    scenarios.one_bad_order_is_a_problem(
        store, account, connector(account), f"gid://shopify/Order/{bad}",
        "ValueError: unknown Shopify financial status 'BARTERED'")
    sandbox.change(bad, displayFinancialStatus=status)
    scenarios.problem_clears_once_fixed(store, account, connector(account), soon())


def test_query_cost_pacing_avoids_throttled_answers(store, account):
    # A Standard-like bucket, sped up: each page asks ~900 points and leaves ~350.
    with sh.ShopifySandbox(250, bucket=1000, restore_rate=8000) as tight:
        account.settings["api_base"] = tight.url
        conn = connector(account, sleep=time.sleep)
        assert sync_account(store, conn).created == 250
        assert tight.throttled == 0 and conn.http.stats.throttled == 0
        assert conn.http.stats.waited_s > 0


@pytest.mark.parametrize("status", [200, 429])
def test_throttled_answer_is_waited_out_and_retried(store, account, status):
    # Refilling takes about a second: long enough that a busy machine's first query still
    # meets the spent bucket (at 8,000 points/s it sometimes came after the refill).
    restore = 1000
    with sh.ShopifySandbox(30, bucket=1000, restore_rate=restore, throttle_status=status) as tight:
        tight.points = 0  # another app just spent the bucket
        account.settings["api_base"] = tight.url
        conn = connector(account, sleep=time.sleep)
        assert sync_account(store, conn).created == 30
        assert tight.throttled == 1 and conn.http.stats.throttled == 1
        assert conn.http.stats.waited_s >= 902 / restore  # the wait its figures gave


def test_a_page_that_asks_too_much_is_refused(store, account, sandbox, monkeypatch):
    monkeypatch.setattr(shopify_client, "ORDERS_PER_PAGE", 50)
    with pytest.raises(ChannelRejected, match="exceeds the single query max cost"):
        sync_account(store, connector(account))


def test_wrong_token_says_what_to_do(store, account, sandbox):
    save_secrets(account.id, {"access_token": "shpat_wrong"})
    with pytest.raises(ChannelAuthError, match="refused the account's credentials") as info:
        sync_account(store, connector(account))
    assert "reconnect the account" in info.value.advice


def test_sandbox_account_through_the_channels_service(store):
    from fulfill.services import channels

    try:
        acc = channels.add_sandbox_account(store, Platform.SHOPIFY)
        assert channels.check_connection(acc) == f"Connected to {sh.SHOP}"
    finally:
        channels.stop_sandboxes()


# --- write-back ----------------------------------------------------------------------------

def _unfulfilled(sandbox):
    return next(i for i, o in sorted(sandbox.orders.items())
                if o["displayFulfillmentStatus"] == "UNFULFILLED" and not o["cancelledAt"]
                and len(o["lineItems"]["nodes"]) >= 2)


def test_tracking_write_back_offline_then_online_exactly_once(store, account, sandbox):
    sync_account(store, connector(account))
    platform_id = _unfulfilled(sandbox)
    local = store.orders.id_for(account.id, f"gid://shopify/Order/{platform_id}")
    scenarios.write_back_offline_then_online(store, sandbox, account, local,
                                             partial(connector, account), sh.account_settings)
    (posted,) = sandbox.posted
    body = posted["fulfillment"]
    # The documented request shape (fulfillment_create_{a,b,c}.request.json) and nothing else.
    assert set(body) <= {"line_items_by_fulfillment_order", "tracking_info", "notify_customer",
                         "message"}
    assert body["tracking_info"] == {"number": "EE123456785KR", "company": "Korea Post"}
    assert body["line_items_by_fulfillment_order"] == [
        {"fulfillment_order_id": sandbox.fulfillment_orders[platform_id][0]["id"]}]
    assert sandbox.orders[platform_id]["displayFulfillmentStatus"] == "FULFILLED"
    sync_account(store, connector(account), now=soon())
    assert store.orders.get(local).status is OrderStatus.SHIPPED


def test_documented_request_shape_matches_the_fixtures():
    for name in ("a", "b", "c"):
        documented = fixture(f"rest_2024-10_fulfillment_create_{name}.request.json")["fulfillment"]
        assert {"line_items_by_fulfillment_order", "tracking_info"} <= set(documented)
        assert set(documented["tracking_info"]) <= {"number", "url", "company"}


def test_partial_shipment_sends_only_its_lines(store, account, sandbox):
    sync_account(store, connector(account))
    platform_id = _unfulfilled(sandbox)
    local = store.orders.id_for(account.id, f"gid://shopify/Order/{platform_id}")
    first = store.orders.get(local).lines[0]
    ship_order(store, local, carrier="DHL", tracking_number="1234567890",
               lines=(ShippedLine(first.platform_line_id, first.quantity),))
    assert deliver_due(store, lambda _id: connector(account)).delivered == 1
    (posted,) = sandbox.posted
    (group,) = posted["fulfillment"]["line_items_by_fulfillment_order"]
    (fo,) = sandbox.fulfillment_orders[platform_id]
    assert group["fulfillment_order_line_items"] == [
        {"id": fo["line_items"][0]["id"], "quantity": first.quantity}]
    assert posted["fulfillment"]["tracking_info"]["company"] == "DHL Express"
    assert sandbox.orders[platform_id]["displayFulfillmentStatus"] == "PARTIALLY_FULFILLED"


def test_write_back_is_not_doubled_when_the_app_died_after_sending(store, account, sandbox):
    sync_account(store, connector(account))
    platform_id = _unfulfilled(sandbox)
    local = store.orders.id_for(account.id, f"gid://shopify/Order/{platform_id}")
    scenarios.sent_before_the_app_died(store, local, connector(account), "EMS",
                                       scenarios.TRACKING)
    assert len(sandbox.fulfillments[platform_id]) == 1


def test_two_locations_make_two_fulfillments_with_one_tracking_number(store, account, sandbox):
    sync_account(store, connector(account))
    platform_id = _unfulfilled(sandbox)
    sandbox.split_locations(platform_id)
    conn = connector(account)
    notice = ShipmentNotice(f"gid://shopify/Order/{platform_id}", "UPS", "1Z999AA10123456784",
                            datetime.now(UTC))
    conn.mark_shipped(notice)
    done = sandbox.fulfillments[platform_id]
    assert [f["location_id"] for f in done] == [1, 2]
    assert {f["tracking_number"] for f in done} == {"1Z999AA10123456784"}
    assert sandbox.orders[platform_id]["displayFulfillmentStatus"] == "FULFILLED"
    conn.mark_shipped(notice)  # again, as after a crash: nothing more is sent
    assert len(sandbox.fulfillments[platform_id]) == 2


def test_held_or_cancelled_order_is_refused_with_advice(store, account, sandbox):
    sync_account(store, connector(account))
    held = next(i for i, o in sorted(sandbox.orders.items())
                if o["displayFulfillmentStatus"] == "ON_HOLD")
    conn = connector(account)
    with pytest.raises(ChannelRejected, match="holds this order") as info:
        conn.mark_shipped(ShipmentNotice(f"gid://shopify/Order/{held}", "EMS", "EE1KR",
                                         datetime.now(UTC)))
    assert "Release the hold" in info.value.advice
    cancelled = next(i for i, o in sorted(sandbox.orders.items()) if o["cancelledAt"])
    local = store.orders.id_for(account.id, f"gid://shopify/Order/{cancelled}")
    ship_order(store, local, carrier="EMS", tracking_number="EE2KR")
    report = deliver_due(store, lambda _id: connector(account))
    assert report.failed == 1
    (item,) = OutboxRepository(store.db).all("failed")
    assert "nothing left to fulfil" in item.last_error
    assert sandbox.posted == []


def test_rest_429_with_retry_after_is_waited_out(store, account):
    with sh.ShopifySandbox(30, rate=5, **ROOMY) as limited:
        account.settings["api_base"] = limited.url
        sync_account(store, connector(account))
        platform_id = _unfulfilled(limited)
        limited.limit.tokens = 0  # the REST bucket is empty: the next call gets a 429
        conn = connector(account, sleep=time.sleep)
        conn.mark_shipped(ShipmentNotice(f"gid://shopify/Order/{platform_id}", "USPS",
                                         "9400111899223100000000", datetime.now(UTC)))
        assert limited.throttled >= 1 and conn.http.stats.throttled == limited.throttled
        assert len(limited.fulfillments[platform_id]) == 1
