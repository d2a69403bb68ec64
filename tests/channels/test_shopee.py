"""Shopee: signer, mapper on the platform's own payloads, client and sync against the sandbox."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial

import pytest

from fulfill.channels.base import ShipmentNotice, SyncWindow
from fulfill.channels.credentials import load_secrets, save_secrets
from fulfill.channels.http import ChannelHttp
from fulfill.channels.shopee.client import SLICE_S, ShopeeConnector, sign
from fulfill.channels.shopee.mapper import map_order
from fulfill.domain import ChannelAccount, Money, OrderStatus, Platform
from fulfill.errors import ChannelAuthError, ChannelRejected
from fulfill.sandboxes import shopee
from fulfill.sandboxes.server import Sandbox, SandboxReply
from fulfill.services import channels
from fulfill.services.sync import sync_account
from tests.channels import scenarios
from tests.channels.conftest import shared_fixture
from tests.channels.scenarios import soon
from tests.factories import chinese_address
from tests.factories import order as factory_order


def as_shopee_sends(payload):
    """Through JSON text and back the way the client reads it: numbers as Decimal."""
    return json.loads(json.dumps(payload, ensure_ascii=False), parse_float=Decimal)


# --- signature and mapper ---------------------------------------------------------------

def test_shop_signature_matches_an_independent_hmac():
    # Shopee publishes no official test vector in our references (channel-apis.md §10), so
    # the expected value is computed here straight from the documented recipe.
    key, partner, path, ts, token, shop = "k3y", "2001887", "/api/v2/order/get_order_list", \
        1700000000, "tok", "880123456"
    expected = hmac.new(b"k3y", b"2001887/api/v2/order/get_order_list1700000000tok880123456",
                        hashlib.sha256).hexdigest()
    assert sign(key, partner, path, ts, token, shop) == expected
    assert len(expected) == 64 and expected == expected.lower()


def test_mapper_reads_the_documented_detail_payload():
    text = shared_fixture("shopee", "get_order_detail_doc_example.json").read_text()
    payload = json.loads(text, parse_float=Decimal)["response"]["order_list"][0]
    order = map_order(payload, account_id=1)
    assert order.platform_order_id == order.order_number == "210930KJDNF06T"
    assert order.status is OrderStatus.DELIVERED and order.currency == "SGD"
    assert order.paid_total == Money(298899, "SGD") and order.shipping == Money(399, "SGD")
    assert order.ordered_at == datetime(2021, 9, 30, 3, 43, 41, tzinfo=UTC)
    assert order.updated_at == datetime.fromtimestamp(1633001809, UTC)
    ship = order.ship_to
    assert ship.typed.line1 == "BLOCK 116, EDGEFIELD PLAINS, #05-334, SG, 820116"
    assert (ship.country_code, ship.postal_code, ship.phone) == ("SG", "820116", "******10")
    (line,) = order.lines
    assert line.title == "Vitamin Bottles - Acc" and line.quantity == 1
    assert line.unit_price == Money(300000, "SGD") and line.sku == "shopee-101513055-0"
    assert order.raw == payload


class DocSandbox(Sandbox):
    """Answers with Shopee's own documented samples: the list (more=true, next_cursor "20"),
    then an empty last page; the detail sample for any order_sn."""

    def __init__(self):
        super().__init__()
        list_doc = shared_fixture("shopee", "get_order_list_doc_example.json")
        self.list_doc = json.loads(list_doc.read_text())
        self.detail_doc = shared_fixture("shopee", "get_order_detail_doc_example.json").read_bytes()
        self.asked = []

    def route(self, request):
        self.asked.append((request.path, request.arg("cursor"), request.arg("order_sn_list")))
        if request.path.endswith("get_order_list"):
            if request.arg("cursor") == "20":
                return SandboxReply(200, {"error": "", "message": "", "response": {
                    "more": False, "next_cursor": "", "order_list": []}})
            return SandboxReply(200, self.list_doc)
        if request.path.endswith("get_order_detail"):
            return SandboxReply(200, self.detail_doc)
        return SandboxReply(200, {"error": "", "message": "",
                                  "response": {"more": False, "return": []}})


def test_client_reads_the_documented_list_and_detail_payloads():
    with DocSandbox() as server:
        account = ChannelAccount(Platform.SHOPEE, "doc", shopee.account_settings(server.url), id=1)
        conn = ShopeeConnector(account, dict(shopee.SECRETS),
                               http=ChannelHttp(server.url, "Shopee", sleep=lambda s: None))
        until = datetime(2020, 12, 18, tzinfo=UTC)
        pages = list(conn.fetch(SyncWindow(until - timedelta(days=3), until)))
    assert [o.platform_order_id for o in pages[0].orders] == ["210930KJDNF06T"]
    assert json.loads(pages[0].resume_cursor)["cursor"] == "20" and len(pages) == 1
    sns = next(a[2] for a in server.asked if a[2])
    assert sns.split(",")[:2] == ["201218V2Y6E59M", "201218V2W2SG1E"]
    assert ("/api/v2/order/get_order_list", "20", None) in server.asked


def _payload(**changes):
    order = factory_order(1, "#9", address=chinese_address(), currency="CNY")
    return as_shopee_sends({**shopee.render(order, "261120ABCDEFGH"), **changes})


def test_mapper_cjk_address_and_partial_refund():
    paid_back = {"return_sn": "R1", "order_sn": "261120ABCDEFGH", "status": "REFUND_PAID",
                 "refund_amount": Decimal("5.00"), "currency": "CNY"}
    asked = dict(paid_back, status="REQUESTED", refund_amount=Decimal("69.00"))
    order = map_order(_payload(), 1, [paid_back, asked])
    assert order.status is OrderStatus.PARTIALLY_REFUNDED
    assert order.ship_to.typed.name == "王芳" and order.buyer_name == "王芳"
    assert order.ship_to.typed.line1 == "北京北京市朝阳区建国路88号SOHO现代城2号楼1801"
    assert order.ship_to.typed.city == "" and order.ship_to.country_code == "CN"
    assert order.paid_total == Money(6900, "CNY") and order.raw["returns"][0]["return_sn"] == "R1"
    full = map_order(_payload(), 1, [dict(paid_back, refund_amount=Decimal("69.00"))])
    assert full.status is OrderStatus.REFUNDED


def test_mapper_cancellation_statuses_and_missing_optional_fields():
    assert map_order(_payload(order_status="CANCELLED"), 1).status is OrderStatus.CANCELLED
    assert map_order(_payload(order_status="IN_CANCEL"), 1).status is OrderStatus.ON_HOLD
    assert map_order(_payload(order_status="TO_RETURN"), 1).status is OrderStatus.REFUNDED
    assert map_order(_payload(order_status="TO_CONFIRM_RECEIVE"), 1).status is OrderStatus.DELIVERED
    assert map_order(_payload(order_status="PROCESSED"), 1).status is OrderStatus.AWAITING_SHIPMENT
    bare = {"order_sn": "X1", "region": "TW", "currency": "TWD", "order_status": "UNPAID",
            "create_time": 1779835620, "total_amount": 249}
    order = map_order(bare, 1)
    assert order.status is OrderStatus.AWAITING_PAYMENT and order.lines == []
    assert order.ship_to.country_code == "TW" and order.shipping == Money(0, "TWD")
    assert order.updated_at is None and order.note == ""
    with pytest.raises(ValueError, match="unknown Shopee order_status"):
        map_order({**bare, "order_status": "MYSTERY"}, 1)
    with pytest.raises(TypeError):  # a float amount means the reply was not read with Decimal
        map_order({**bare, "total_amount": 249.5}, 1)


# --- against the sandbox ----------------------------------------------------------------

@pytest.fixture
def sandbox():
    with shopee.ShopeeSandbox(250) as server:
        yield server


def add_account(store, url):
    return channels.add_account(store, Platform.SHOPEE, "Shopee TW (sandbox)",
                                shopee.account_settings(url), shopee.SECRETS)


@pytest.fixture
def account(store, sandbox):
    return add_account(store, sandbox.url)


def connector(account, sleep=lambda s: None, **http_options):
    http = ChannelHttp(account.settings["api_base"], "Shopee", sleep=sleep, **http_options)
    conn = ShopeeConnector(account, load_secrets(account.id), http=http)
    conn.on_secrets_changed = lambda secrets: save_secrets(account.id, secrets)
    return conn


def first_with_status(sandbox, status):
    return next(sn for sn, o in sorted(sandbox.orders.items()) if o["order_status"] == status)


def test_first_sync_reads_every_slice_then_resync_writes_no_orders(store, account, sandbox):
    report = sync_account(store, connector(account))
    assert report.created == 250 and report.problems == 0 and store.orders.count() == 250
    counts = {s: 0 for s in OrderStatus}
    for payload in sandbox.orders.values():
        local = store.orders.get(store.orders.id_for(account.id, payload["order_sn"]))
        counts[local.status] += 1
    assert counts[OrderStatus.PARTIALLY_REFUNDED] > 0 and counts[OrderStatus.REFUNDED] > 0
    scenarios.resync_writes_nothing(store, connector(account))


def test_paging_within_a_slice_and_slices_of_at_most_15_days(account, sandbox):
    sandbox.add_orders(130, seed=11)  # all in the last slice: two list pages of ≤100
    until = soon()
    pages = list(connector(account).fetch(SyncWindow(until - timedelta(days=200), until)))
    assert sum(len(p.orders) for p in pages) == 380 and pages[-1].resume_cursor is None
    cursors = [json.loads(p.resume_cursor) for p in pages[:-1]]
    assert any(c["cursor"] for c in cursors)  # resumed mid-slice by Shopee's cursor
    starts = sorted({c["from"] for c in cursors})
    assert all(b - a == SLICE_S for a, b in zip(starts, starts[1:], strict=False))


def test_changed_order_is_updated_and_audited(store, account, sandbox):
    sync_account(store, connector(account))
    sn = first_with_status(sandbox, "READY_TO_SHIP")
    sandbox.change(sn, order_status="CANCELLED", cancel_by="buyer")
    new_sns = sandbox.add_orders(2, seed=99)
    report = sync_account(store, connector(account), now=soon())
    scenarios.one_change_and_two_new_orders(store, account, report, sn, new_sns)


def test_shopee_throttle_errors_are_waited_out(store):
    with shopee.ShopeeSandbox(250, rate=40) as server:
        account = add_account(store, server.url)
        conn = connector(account, sleep=time.sleep, backoff_s=0.05)
        scenarios.server_throttling_is_waited_out(store, server, conn, 250)


def test_http_429_and_server_errors_are_retried(store, account, sandbox):
    scenarios.faults_are_retried(store, sandbox, partial(connector, account), throttles=1,
                                 errors=2)


def test_timeout_then_success(store, account, sandbox):
    scenarios.faults_are_retried(store, sandbox, partial(connector, account), stalls=1)


def test_malformed_json_stops_the_run_and_the_next_run_resumes(store, account, sandbox):
    scenarios.garbled_page_stops_then_resumes(store, account, sandbox, connector(account),
                                              connector(account))


def test_killed_sync_resumes_without_loss_or_duplicates(store, account, sandbox):
    state = scenarios.killed_mid_sync(store, account, connector(account), "orders read")
    position = json.loads(state.run_cursor)
    assert position["cursor"] == ""  # the next 15-day slice
    since = int(state.run_until.timestamp()) - connector(account).history_days * 86400
    assert position["from"] > since and (position["from"] - since) % SLICE_S == 0
    scenarios.resumed_to_the_end(store, account, connector(account))


def test_one_bad_order_is_a_problem_and_the_rest_import(store, account, sandbox):
    bad = sorted(sandbox.orders)[5]
    sandbox.orders[bad]["order_status"] = "MYSTERY"
    scenarios.one_bad_order_is_a_problem(store, account, connector(account), bad,
                                         "ValueError: unknown Shopee order_status 'MYSTERY'")
    sandbox.change(bad, order_status="COMPLETED")
    scenarios.problem_clears_once_fixed(store, account, connector(account), soon())


def test_wrong_partner_key_is_an_auth_error_without_refreshing(store, account, sandbox):
    save_secrets(account.id, {**shopee.SECRETS, "partner_key": "wrong"})
    with pytest.raises(ChannelAuthError, match="error_sign") as info:
        sync_account(store, connector(account))
    assert "reconnect" in info.value.advice and sandbox.refreshes == 0


def test_revoked_tokens_are_an_auth_error(store, account, sandbox):
    save_secrets(account.id, {**shopee.SECRETS, "access_token": "nope", "refresh_token": "nope"})
    with pytest.raises(ChannelAuthError, match="refused the shop's credentials"):
        sync_account(store, connector(account))


def test_expired_access_token_is_refreshed_and_rotated_tokens_are_saved(store, account, sandbox):
    sandbox.expire_access_token()
    conn = connector(account)
    report = sync_account(store, conn)
    assert report.created == 250 and sandbox.refreshes == 1
    assert connector(account).test_connection().startswith("Connected to Shopee")
    saved = load_secrets(account.id)
    assert saved["access_token"] == sandbox.access_token != shopee.ACCESS_TOKEN
    assert saved["refresh_token"] == sandbox.refresh_token != shopee.REFRESH_TOKEN
    assert saved["partner_key"] == shopee.PARTNER_KEY
    stale = ShopeeConnector(account, dict(shopee.SECRETS),
                            http=ChannelHttp(sandbox.url, "Shopee", sleep=lambda s: None))
    with pytest.raises(ChannelAuthError, match="Invalid refresh_token"):
        stale.refresh_access_token()  # the old refresh token died with the rotation


def test_tracking_write_back_offline_then_online_exactly_once(store, account, sandbox):
    sync_account(store, connector(account))
    sn = first_with_status(sandbox, "READY_TO_SHIP")
    local = store.orders.id_for(account.id, sn)
    scenarios.write_back_offline_then_online(store, sandbox, account, local,
                                             partial(connector, account), shopee.account_settings)
    assert sandbox.shipments == [{"order_sn": sn, "tracking_number": "EE123456785KR"}]
    assert sandbox.orders[sn]["order_status"] == "SHIPPED"


def test_write_back_is_not_doubled_when_the_app_died_after_sending(store, account, sandbox):
    sync_account(store, connector(account))
    sn = first_with_status(sandbox, "READY_TO_SHIP")
    scenarios.sent_before_the_app_died(store, store.orders.id_for(account.id, sn),
                                       connector(account), "EMS", scenarios.TRACKING)
    assert len(sandbox.shipments) == 1


def test_a_different_tracking_number_already_on_shopee_is_refused(account, sandbox):
    sn = first_with_status(sandbox, "SHIPPED")
    notice = ShipmentNotice(sn, "EMS", "EE999999995KR", datetime.now(UTC))
    with pytest.raises(ChannelRejected, match="already has tracking number"):
        connector(account).mark_shipped(notice)
    assert sandbox.shipments == []
