"""Amazon SP-API: mapper on Amazon's own payloads, client and sync against the sandbox."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from fulfill.channels.amazon.client import AmazonConnector, package_reference
from fulfill.channels.amazon.mapper import map_order
from fulfill.channels.base import ShipmentNotice, ShippedLine, SyncWindow, map_payloads
from fulfill.channels.credentials import load_secrets, save_secrets
from fulfill.channels.http import ChannelHttp
from fulfill.domain import ChannelAccount, Money, OrderStatus, Platform
from fulfill.errors import ChannelAuthError, ChannelRejected
from fulfill.sandboxes import amazon as amz
from fulfill.services.sync import sync_account
from tests.channels import scenarios
from tests.channels.conftest import shared_fixture
from tests.factories import chinese_address
from tests.factories import order as factory_order


def fixture(name: str):
    return json.loads(shared_fixture("amazon", name).read_text())


def _without_pricing(items):
    prices = ("ItemPrice", "ItemTax", "ShippingPrice", "PromotionDiscount")
    return [{k: v for k, v in item.items() if k not in prices} for item in items]


# --- mapper on Amazon's published payloads -------------------------------------------------
def test_mapper_reads_the_sandbox_order_with_items_address_and_buyer():
    order = fixture("getOrders_sandbox_TEST_CASE_200.json")["payload"]["Orders"][0]
    items = fixture("getOrderItems_sandbox_TEST_CASE_200.json")["payload"]["OrderItems"]
    address = fixture("getOrderAddress_sandbox_TEST_CASE_200.json")["payload"]["ShippingAddress"]
    buyer = fixture("getOrderBuyerInfo_sandbox_TEST_CASE_200.json")["payload"]
    payload = {**order, "ShippingAddress": address, "BuyerInfo": buyer, "OrderItems": items}
    mapped = map_order(payload, account_id=1)
    assert mapped.platform_order_id == mapped.order_number == "902-1845936-5435065"
    # Unshipped, but the buyer asked to cancel: held, not shipped by mistake
    assert mapped.status is OrderStatus.ON_HOLD
    assert mapped.paid_total == Money(1101, "USD") and mapped.tax == Money(101, "USD")
    (line,) = mapped.lines
    assert (line.sku, line.quantity) == ("NABetaASINB00551Q3CS", 1)
    assert line.unit_price == Money(1000, "USD")
    assert line.platform_line_id == "05015851154158"
    assert mapped.ordered_at == datetime(1970, 1, 19, 3, 58, 30, tzinfo=UTC)
    assert mapped.ship_to.typed.name == "MFNIntegrationTestMerchant"
    assert mapped.ship_to.postal_code == "98121-2778" and mapped.ship_to.country_code == "US"
    assert mapped.buyer_email == "fzyrv6gwkhbb15c@example.com"
    assert mapped.raw == payload
    single = fixture("getOrder_sandbox_TEST_CASE_200.json")["payload"]
    # getOrder without PII: the country comes from the marketplace
    assert map_order({**single, "OrderItems": items}, 1).ship_to.country_code == "US"


def test_mapper_reads_pending_orders_without_pricing_or_address():
    order = fixture("getOrders_example.json")["payload"]["Orders"][0]
    items = fixture("getOrderItems_sandbox_TEST_CASE_200.json")["payload"]["OrderItems"]
    items = _without_pricing(items)
    mapped = map_order({**order, "OrderItems": items}, 1)
    assert mapped.status is OrderStatus.AWAITING_PAYMENT and mapped.paid_total is None
    assert mapped.lines[0].unit_price == Money(0, "USD") and mapped.grand_total == Money(0, "USD")
    assert mapped.ship_to.typed.city == "Canton" and mapped.buyer_name == "John Doe"
    for page in (1, 2):
        name = f"getOrders_sandbox_nexttoken_page{page}.json"
        (page_order,) = fixture(name)["payload"]["Orders"]
        pending = map_order({**page_order, "OrderItems": []}, 1)
        assert pending.status is OrderStatus.AWAITING_PAYMENT
        assert pending.ship_to.country_code == "US"
    assert fixture("getOrders_sandbox_nexttoken_page1.json")["payload"]["NextToken"]


def test_mapper_refuses_the_spec_example_with_yen_cents_instead_of_rounding():
    order = {**fixture("getOrders_example.json")["payload"]["Orders"][0],
             "OrderStatus": "Unshipped", "MarketplaceId": "A1VC38T7YXB528"}
    items = fixture("getOrderItems_example.json")["payload"]["OrderItems"]  # "25.99" JPY
    orders, problems = map_payloads([{**order, "OrderItems": items}], lambda p: map_order(p, 1),
                                    lambda p: p["AmazonOrderId"])
    assert orders == [] and problems[0].platform_order_id == "902-3159896-1390916"
    assert "JPY" in problems[0].message


def test_sandbox_speaks_amazons_error_and_request_shapes():
    refused = fixture("confirmShipment_400_sandbox.json")["response"]
    ours = amz._errors(400, "InvalidInput", "Invalid Input").body
    assert set(ours) == set(refused) and set(refused["errors"][0]) <= set(ours["errors"][0])
    sent = fixture("confirmShipment_request_sandbox.json")["parameters"]["body"]["value"]
    assert set(sent) == {"marketplaceId", "packageDetail"}


@pytest.mark.parametrize("status, expected", [
    ("PendingAvailability", OrderStatus.AWAITING_PAYMENT),
    ("Pending", OrderStatus.AWAITING_PAYMENT),
    ("Unshipped", OrderStatus.AWAITING_SHIPMENT),
    ("PartiallyShipped", OrderStatus.AWAITING_SHIPMENT),
    ("Shipped", OrderStatus.SHIPPED), ("InvoiceUnconfirmed", OrderStatus.SHIPPED),
    ("Canceled", OrderStatus.CANCELLED), ("Unfulfillable", OrderStatus.CANCELLED),
])
def test_every_amazon_status_has_a_meaning(status, expected):
    payload, items = amz.render(factory_order(1, "#1"))
    assert map_order({**payload, "OrderStatus": status, "OrderItems": items}, 1).status is expected


def test_mapper_cjk_address_cancellation_refund_and_missing_fields():
    payload, items = amz.render(factory_order(1, "#9", address=chinese_address(), currency="CNY"))
    cjk = map_order({**payload, "OrderItems": items}, 1)
    assert cjk.ship_to.typed.name == "王芳" and cjk.ship_to.typed.city == "北京市"
    assert cjk.ship_to.typed.line2 == "SOHO现代城2号楼1801" and cjk.currency == "CNY"
    assert cjk.paid_total == Money(6900, "CNY") and cjk.lines[0].unit_price == Money(2450, "CNY")
    # Cancelled: Amazon may zero a line's quantity; the line leaves the desk, raw keeps it
    cancelled = [{**items[0], "QuantityOrdered": 0}, items[1]]
    gone = map_order({**payload, "OrderStatus": "Canceled", "OrderItems": cancelled}, 1)
    assert gone.status is OrderStatus.CANCELLED and len(gone.lines) == 1
    assert gone.raw["OrderItems"][0]["QuantityOrdered"] == 0
    # A partial refund is invisible in Orders v0 (Finances API): the order stays Shipped
    refunded = map_order({**payload, "OrderStatus": "Shipped", "OrderItems": items}, 1)
    assert refunded.status is OrderStatus.SHIPPED and refunded.paid_total == cjk.paid_total
    bare = {"AmazonOrderId": "111-0000000-0000001", "PurchaseDate": "2026-11-01T10:00:00Z",
            "OrderStatus": "Unshipped",
            "OrderItems": [{"ASIN": "B0TEST", "OrderItemId": "1", "QuantityOrdered": 2}]}
    minimal = map_order(bare, 1)
    assert minimal.lines[0].sku == "ASIN-B0TEST" and minimal.updated_at is None
    assert minimal.ship_to.country_code == "US" and minimal.paid_total is None
    with pytest.raises(ValueError, match="unknown Amazon order status"):
        map_order({**bare, "OrderStatus": "Teleported"}, 1)
    with pytest.raises(ValueError, match="without its order items"):
        map_order({k: v for k, v in bare.items() if k != "OrderItems"}, 1)


# --- against the sandbox ---------------------------------------------------------------------
@pytest.fixture
def sandbox():
    with amz.AmazonSandbox(250) as server:
        yield server


@pytest.fixture
def account(store, sandbox):
    acc = store.accounts.add(ChannelAccount(Platform.AMAZON, "Amazon US (sandbox)",
                                            amz.account_settings(sandbox.url)))
    save_secrets(acc.id, dict(amz.SECRETS))
    return acc


def connector(account, **http_options):
    http = ChannelHttp(account.settings["api_base"], "Amazon", sleep=lambda s: None, **http_options)
    return AmazonConnector(account, load_secrets(account.id), http=http)


def open_order(sandbox) -> str:
    return next(i for i, o in sorted(sandbox.orders.items())
                if o["OrderStatus"] == "Unshipped"
                and not any("BuyerRequestedCancel" in item for item in sandbox.items[i]))


def test_first_sync_reads_every_page_then_resync_writes_no_orders(store, account, sandbox):
    conn = connector(account)
    report = sync_account(store, conn)
    assert report.created == 250 and report.pages == 3 and report.problems == 0
    assert conn.settle_s == 120
    # PII came through the restricted data token: names and streets are there
    shipped_id = next(i for i, o in sandbox.orders.items() if o["OrderStatus"] == "Shipped")
    local = store.orders.get(store.orders.id_for(account.id, shipped_id))
    assert local.ship_to.typed.name == sandbox.orders[shipped_id]["ShippingAddress"]["Name"]
    assert local.ship_to.typed.line1 and local.buyer_email
    pending_id = next(i for i, o in sandbox.orders.items() if o["OrderStatus"] == "Pending")
    pending = store.orders.get(store.orders.id_for(account.id, pending_id))
    assert pending.status is OrderStatus.AWAITING_PAYMENT
    scenarios.resync_writes_nothing(store, connector(account))


def test_without_a_restricted_data_token_amazon_withholds_the_buyer(account, sandbox):
    conn = connector(account)
    since = (sandbox.now() - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    reply = conn._call("getOrders", "GET", "orders/v0/orders",
                       params={"MarketplaceIds": amz.MARKETPLACE, "LastUpdatedAfter": since})
    orders = reply.json()["payload"]["Orders"]
    addressed = [o for o in orders if "ShippingAddress" in o]
    assert addressed and all("Name" not in o["ShippingAddress"] and "BuyerInfo" not in o
                             for o in addressed)
    assert reply.headers["x-amzn-RateLimit-Limit"] == amz.GENEROUS_RATE
    assert conn.buckets["getOrders"].rate == float(amz.GENEROUS_RATE)


def test_changed_order_is_updated_and_audited(store, account, sandbox):
    sync_account(store, connector(account))
    order_id = open_order(sandbox)
    sandbox.change(order_id, OrderStatus="Canceled")
    new_ids = sandbox.add_orders(2, seed=99)
    report = sync_account(store, connector(account), now=sandbox.advance(130))
    scenarios.one_change_and_two_new_orders(store, account, report, order_id, new_ids)


def test_too_recent_a_window_is_refused_as_amazon_does(account, sandbox):
    conn = connector(account)
    now = sandbox.now()
    with pytest.raises(ChannelRejected, match="2 minutes"):
        next(iter(conn.fetch(SyncWindow(now - timedelta(hours=1), now - timedelta(seconds=30)))))


def test_injected_throttling_and_server_errors_are_retried(store, account, sandbox):
    scenarios.faults_are_retried(store, sandbox, partial(connector, account), throttles=1,
                                 errors=2)


def test_amazons_own_429_quota_exceeded_is_waited_out(store):
    with amz.AmazonSandbox(40, rate=20) as small:
        acc = store.accounts.add(ChannelAccount(Platform.AMAZON, "Throttled",
                                                amz.account_settings(small.url)))
        save_secrets(acc.id, dict(amz.SECRETS))
        conn = connector(acc)
        scenarios.server_throttling_is_waited_out(store, small, conn, 40)
        assert conn.buckets["getOrderItems"].rate == 20  # from x-amzn-RateLimit-Limit


def test_timeout_then_success(store, account, sandbox):
    scenarios.faults_are_retried(store, sandbox, partial(connector, account), stalls=1)


def test_malformed_json_stops_the_run_and_the_next_run_resumes(store, account, sandbox):
    conn = connector(account)
    conn._restricted_token()  # tokens in hand: the garbled answer is the first page
    scenarios.garbled_page_stops_then_resumes(store, account, sandbox, conn,
                                              connector(account))


def test_killed_sync_resumes_without_loss_or_duplicates(store, account, sandbox):
    scenarios.killed_mid_sync(store, account, connector(account), "100 orders read")  # NextToken
    assert store.orders.count() == 100
    report = scenarios.resumed_to_the_end(store, account, connector(account))
    assert report.pages == 2 and report.created == 150


def test_an_expired_next_token_restarts_the_window(store, account, sandbox):
    window = SyncWindow(None, sandbox.now() - timedelta(minutes=3))
    pages = list(connector(account).fetch(window, cursor="not-a-token"))
    assert sum(len(p.orders) for p in pages) == 250


def test_one_bad_order_is_a_problem_and_the_rest_import(store, account, sandbox):
    bad_id = sorted(sandbox.orders)[5]
    sandbox.orders[bad_id]["OrderStatus"] = "Mystery"
    scenarios.one_bad_order_is_a_problem(store, account, connector(account), bad_id,
                                         "ValueError: unknown Amazon order status 'Mystery'")
    sandbox.change(bad_id, OrderStatus="Unshipped")
    scenarios.problem_clears_once_fixed(store, account, connector(account), sandbox.advance(130))


def test_wrong_credentials_say_what_to_do(store, account, sandbox):
    save_secrets(account.id, {**amz.SECRETS, "client_secret": "wrong"})
    with pytest.raises(ChannelAuthError, match="refused the account's credentials") as info:
        sync_account(store, connector(account))
    assert "reconnect the account" in info.value.advice
    save_secrets(account.id, {**amz.SECRETS, "refresh_token": "Atzr|revoked"})
    with pytest.raises(ChannelAuthError, match="invalid_grant") as info:
        sync_account(store, connector(account))
    assert "authorise the app again" in info.value.advice
    save_secrets(account.id, {"client_id": amz.CLIENT_ID})
    with pytest.raises(ChannelAuthError, match="no refresh_token, client_secret"):
        sync_account(store, connector(account))


def test_access_token_cached_then_refreshed_when_due_or_expired(store, account, sandbox):
    saved = []

    def keep(secrets):
        saved.append(secrets)
        save_secrets(account.id, secrets)

    conn = connector(account)
    conn.on_secrets_changed = keep
    sync_account(store, conn)
    assert sandbox.token_grants == 1 and saved[-1]["access_token"].startswith("Atza|")
    first = saved[-1]["access_token"]
    # a new run reuses the cached token from the keychain
    reused = connector(account)
    sync_account(store, reused)
    assert sandbox.token_grants == 1 and reused.secrets["access_token"] == first
    # Amazon expires it early: 403, refresh, the same request is retried
    sandbox.expire_tokens()
    again = connector(account)
    again.on_secrets_changed = keep
    sync_account(store, again, now=sandbox.advance(130))
    assert sandbox.token_grants == 2 and saved[-1]["access_token"] != first
    assert load_secrets(account.id)["access_token"] == saved[-1]["access_token"]
    # and our own record says it is due: refreshed before any request
    save_secrets(account.id, {**load_secrets(account.id),
                              "access_token_expires": str(int(time.time()))})
    due = connector(account)
    due.test_connection()
    assert sandbox.token_grants == 3


def test_tracking_write_back_offline_then_online_exactly_once(store, account, sandbox):
    sync_account(store, connector(account))
    platform_id = open_order(sandbox)
    local = store.orders.id_for(account.id, platform_id)
    scenarios.write_back_offline_then_online(store, sandbox, account, local,
                                             partial(connector, account), amz.account_settings)
    (package,) = sandbox.confirmations[platform_id]
    assert package["trackingNumber"] == "EE123456785KR"
    assert (package["carrierCode"], package["carrierName"]) == ("Other", "EMS")
    assert package["packageReferenceId"] == package_reference("EE123456785KR")
    ordered = {i["OrderItemId"]: i["QuantityOrdered"] for i in sandbox.items[platform_id]}
    assert {i["orderItemId"]: i["quantity"] for i in package["orderItems"]} == ordered
    assert sandbox.orders[platform_id]["OrderStatus"] == "Shipped"


def test_write_back_is_not_doubled_when_the_app_died_after_sending(store, account, sandbox):
    sync_account(store, connector(account))
    platform_id = open_order(sandbox)
    local = store.orders.id_for(account.id, platform_id)
    scenarios.sent_before_the_app_died(store, local, connector(account), "UPS",
                                       "1Z999AA10123456784")
    (package,) = sandbox.confirmations[platform_id]
    assert package["carrierCode"] == "UPS" and "carrierName" not in package


def test_partial_shipment_then_the_rest_and_a_third_parcel_is_refused(account, sandbox):
    platform_id = next(i for i in sorted(sandbox.orders)
                       if sandbox.orders[i]["OrderStatus"] == "Unshipped"
                       and sum(it["QuantityOrdered"] for it in sandbox.items[i]) > 1)
    first = sandbox.items[platform_id][0]
    conn = connector(account)
    conn.mark_shipped(ShipmentNotice(platform_id, "DHL", "JD0001", datetime.now(UTC),
                                     (ShippedLine(first["OrderItemId"], 1),)))
    assert sandbox.orders[platform_id]["OrderStatus"] == "PartiallyShipped"
    conn.mark_shipped(ShipmentNotice(platform_id, "DHL", "JD0002", datetime.now(UTC)))
    assert sandbox.orders[platform_id]["OrderStatus"] == "Shipped"
    assert [p["trackingNumber"] for p in sandbox.confirmations[platform_id]] == ["JD0001", "JD0002"]
    # a third parcel for an order already fully shipped is Amazon's "no", not a success
    with pytest.raises(ChannelRejected):
        conn.mark_shipped(ShipmentNotice(platform_id, "DHL", "JD0003", datetime.now(UTC)))
