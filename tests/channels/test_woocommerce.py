"""WooCommerce: mapper on the platform's own payloads, client and sync against the sandbox."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import partial

import pytest

from fulfill.channels.credentials import load_secrets, save_secrets
from fulfill.channels.http import ChannelHttp
from fulfill.channels.woocommerce.client import WooCommerceConnector
from fulfill.channels.woocommerce.mapper import map_order
from fulfill.domain import ChannelAccount, Money, OrderStatus, Platform
from fulfill.errors import ChannelAuthError
from fulfill.sandboxes import woocommerce as woo
from fulfill.services.sync import sync_account
from tests.channels import scenarios
from tests.channels.conftest import shared_fixture
from tests.channels.scenarios import soon
from tests.factories import chinese_address
from tests.factories import order as factory_order


def test_mapper_reads_the_documented_payloads():
    payloads = json.loads(shared_fixture("woocommerce", "v3_orders_list.json").read_text())
    order = map_order(payloads[0], account_id=1)
    assert order.platform_order_id == "727" and order.status is OrderStatus.AWAITING_SHIPMENT
    assert order.paid_total == Money(2935, "USD") and order.shipping == Money(1000, "USD")
    assert order.ship_to.typed.name == "John Doe" and order.ship_to.country_code == "US"
    assert order.lines[0].quantity == 2 and order.lines[0].unit_price == Money(300, "USD")
    assert order.ordered_at == datetime(2017, 3, 22, 19, 28, 2, tzinfo=UTC)
    single = json.loads(shared_fixture("woocommerce", "v3_order_retrieve.json").read_text())
    assert map_order(single, account_id=1).raw == single


def test_mapper_partial_refund_and_cjk_name():
    payload = woo.render(factory_order(1, "#9", address=chinese_address(), currency="CNY"), 9)
    payload["refunds"] = [{"id": 1, "reason": "", "total": "-5.00"}]
    order = map_order(payload, 1)
    assert order.status is OrderStatus.PARTIALLY_REFUNDED
    assert order.ship_to.typed.name == "王芳" and order.ship_to.typed.city == "北京市"
    assert order.paid_total == Money(6900, "CNY")


@pytest.fixture
def sandbox():
    with woo.WooCommerceSandbox(250) as server:
        yield server


@pytest.fixture
def account(store, sandbox):
    acc = store.accounts.add(ChannelAccount(Platform.WOOCOMMERCE, "Woo (sandbox)",
                                            {"site_url": sandbox.url}))
    save_secrets(acc.id, {"consumer_key": woo.KEY, "consumer_secret": woo.SECRET})
    return acc


def connector(account, **http_options):
    secrets = load_secrets(account.id)
    http = ChannelHttp(f"{account.settings['site_url']}/wp-json", "WooCommerce",
                       sleep=lambda s: None, **http_options)
    return WooCommerceConnector(account, secrets, http=http)


def test_first_sync_reads_every_page_then_resync_writes_no_orders(store, account, sandbox):
    report = sync_account(store, connector(account))
    assert report.created == 250 and report.pages == 3 and report.problems == 0
    assert store.orders.count() == 250
    # The first sync also recorded the refunds and cancellations the shop reports: not again.
    scenarios.resync_writes_nothing(store, connector(account))


def test_changed_order_is_updated_and_audited(store, account, sandbox):
    sync_account(store, connector(account))
    order_id = next(i for i, o in sorted(sandbox.orders.items())
                    if o["status"] == "processing" and not o["refunds"])
    sandbox.change(order_id, status="cancelled")
    new_ids = sandbox.add_orders(2, seed=99)
    report = sync_account(store, connector(account), now=soon())
    local = scenarios.one_change_and_two_new_orders(store, account, report, str(order_id),
                                                    [str(i) for i in new_ids])
    assert store.orders.history(local)[-1].action == "status"  # nothing recorded after it


def test_throttling_and_server_errors_are_retried(store, account, sandbox):
    scenarios.faults_are_retried(store, sandbox, partial(connector, account), throttles=1,
                                 errors=2)


def test_timeout_then_success(store, account, sandbox):
    scenarios.faults_are_retried(store, sandbox, partial(connector, account), stalls=1)


def test_malformed_json_stops_the_run_and_the_next_run_resumes(store, account, sandbox):
    conn = connector(account)
    scenarios.garbled_page_stops_then_resumes(store, account, sandbox, conn,
                                              connector(account))


def test_killed_sync_resumes_without_loss_or_duplicates(store, account, sandbox):
    state = scenarios.killed_mid_sync(store, account, connector(account), "100 orders read")
    assert store.orders.count() == 100 and state.run_cursor == "2"  # the next page
    report = scenarios.resumed_to_the_end(store, account, connector(account))
    assert report.pages == 2 and report.created == 150


def test_one_bad_order_is_a_problem_and_the_rest_import(store, account, sandbox):
    bad_id = sorted(sandbox.orders)[5]
    sandbox.orders[bad_id]["status"] = "mystery-status"
    scenarios.one_bad_order_is_a_problem(
        store, account, connector(account), str(bad_id),
        "ValueError: unknown WooCommerce status 'mystery-status'")
    sandbox.change(bad_id, status="processing")
    scenarios.problem_clears_once_fixed(store, account, connector(account), soon())


def test_wrong_credentials_say_what_to_do(store, account, sandbox):
    save_secrets(account.id, {"consumer_key": "ck_wrong", "consumer_secret": "cs_wrong"})
    with pytest.raises(ChannelAuthError, match="refused the account's credentials") as info:
        sync_account(store, connector(account))
    assert "reconnect the account" in info.value.advice


def test_tracking_write_back_offline_then_online_exactly_once(store, account, sandbox):
    sync_account(store, connector(account))
    platform_id = next(i for i, o in sorted(sandbox.orders.items()) if o["status"] == "processing")
    local = store.orders.id_for(account.id, str(platform_id))
    scenarios.write_back_offline_then_online(store, sandbox, account, local,
                                             partial(connector, account), woo.account_settings)
    assert [t["tracking_number"] for t in sandbox.trackings[platform_id]] == ["EE123456785KR"]
    assert sandbox.orders[platform_id]["status"] == "completed"


def test_write_back_is_not_doubled_when_the_app_died_after_sending(store, account, sandbox):
    sync_account(store, connector(account))
    platform_id = sorted(sandbox.orders)[0]
    local = store.orders.id_for(account.id, str(platform_id))
    scenarios.sent_before_the_app_died(store, local, connector(account), "EMS",
                                       scenarios.TRACKING)
    assert len(sandbox.trackings[platform_id]) == 1
