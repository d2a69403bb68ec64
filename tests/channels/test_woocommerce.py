"""WooCommerce: mapper on the platform's own payloads, client and sync against the sandbox."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from fulfill.channels.credentials import load_secrets, save_secrets
from fulfill.channels.http import ChannelHttp
from fulfill.channels.woocommerce.client import WooCommerceConnector
from fulfill.channels.woocommerce.mapper import map_order
from fulfill.domain import ChannelAccount, Money, OrderStatus, Platform
from fulfill.errors import ChannelAuthError
from fulfill.sandboxes import woocommerce as woo
from fulfill.services.outbox import deliver_due, ship_order
from fulfill.services.sync import sync_account
from fulfill.storage.outbox import OutboxRepository
from fulfill.storage.sync_state import SyncRepository
from tests.channels import scenarios
from tests.channels.conftest import shared_fixture
from tests.factories import chinese_address
from tests.factories import order as factory_order


def soon():
    """A moment after the sandbox's latest change has settled."""
    return datetime.now(UTC) + timedelta(seconds=30)


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
    changes = store.db.conn.total_changes
    # The first sync also recorded the refunds and cancellations the shop reports.
    audited = store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    again = sync_account(store, connector(account))
    assert again.created == again.changed == again.claims == 0
    order_writes = store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] - audited
    assert order_writes == 0
    # only the sync's own bookkeeping (state and log) was written
    assert store.db.conn.total_changes - changes <= 4


def test_changed_order_is_updated_and_audited(store, account, sandbox):
    sync_account(store, connector(account))
    order_id = next(i for i, o in sorted(sandbox.orders.items())
                    if o["status"] == "processing" and not o["refunds"])
    sandbox.change(order_id, status="cancelled")
    new_ids = sandbox.add_orders(2, seed=99)
    report = sync_account(store, connector(account), now=soon())
    assert report.changed == 1 and report.created == 2
    local = store.orders.id_for(account.id, str(order_id))
    assert store.orders.get(local).status is OrderStatus.CANCELLED
    last = store.orders.history(local)[-1]
    assert (last.action, last.old_value, last.new_value) == ("status", "awaiting_shipment", "cancelled")
    assert all(store.orders.id_for(account.id, str(i)) for i in new_ids)


def test_throttling_and_server_errors_are_retried(store, account, sandbox):
    sandbox.fail_next(429)
    sandbox.fail_next(500, times=2)
    conn = connector(account)
    report = sync_account(store, conn)
    assert report.created == 250
    assert conn.http.stats.throttled == 1 and conn.http.stats.retries == 3


def test_timeout_then_success(store, account, sandbox):
    sandbox.stall_next(1.0)
    conn = connector(account, timeout=(1.0, 0.3))
    assert sync_account(store, conn).created == 250


def test_malformed_json_stops_the_run_and_the_next_run_resumes(store, account, sandbox):
    conn = connector(account)
    scenarios.garbled_page_stops_then_resumes(store, account, sandbox, conn,
                                              connector(account))


def test_killed_sync_resumes_without_loss_or_duplicates(store, account, sandbox):
    scenarios.cancel_when(store, connector(account), "100 orders read")
    assert store.orders.count() == 100
    state = SyncRepository(store.db).state(account.id)
    assert state.run_in_progress and state.run_cursor == "2"
    report = sync_account(store, connector(account))
    assert report.resumed and report.pages == 2 and report.created == 150
    assert store.orders.count() == 250
    assert SyncRepository(store.db).state(account.id).watermark is not None


def test_one_bad_order_is_a_problem_and_the_rest_import(store, account, sandbox):
    bad_id = sorted(sandbox.orders)[5]
    sandbox.orders[bad_id]["status"] = "mystery-status"
    report = sync_account(store, connector(account))
    assert report.created == 249 and report.problems == 1
    problems = SyncRepository(store.db).problems(account.id)
    assert problems == [(str(bad_id), "ValueError: unknown WooCommerce status 'mystery-status'")]
    sandbox.change(bad_id, status="processing")
    sync_account(store, connector(account), now=soon())
    assert SyncRepository(store.db).problems(account.id) == []


def test_wrong_credentials_say_what_to_do(store, account, sandbox):
    save_secrets(account.id, {"consumer_key": "ck_wrong", "consumer_secret": "cs_wrong"})
    with pytest.raises(ChannelAuthError, match="refused the account's credentials") as info:
        sync_account(store, connector(account))
    assert "reconnect the account" in info.value.advice


def test_tracking_write_back_offline_then_online_exactly_once(store, account, sandbox):
    sync_account(store, connector(account))
    platform_id = next(i for i, o in sorted(sandbox.orders.items()) if o["status"] == "processing")
    local = store.orders.id_for(account.id, str(platform_id))
    scenarios.ship_twice(store, local)

    def reconnect(url):
        account.settings["site_url"] = url
        return connector(account)

    scenarios.deliver_offline_then_online(store, sandbox, connector(account, max_retries=1),
                                          reconnect)
    assert [t["tracking_number"] for t in sandbox.trackings[platform_id]] == ["EE123456785KR"]
    assert sandbox.orders[platform_id]["status"] == "completed"


def test_write_back_is_not_doubled_when_the_app_died_after_sending(store, account, sandbox):
    sync_account(store, connector(account))
    platform_id = sorted(sandbox.orders)[0]
    local = store.orders.id_for(account.id, str(platform_id))
    ship_order(store, local, carrier="EMS", tracking_number="EE123456785KR")
    conn = connector(account)
    (item,) = OutboxRepository(store.db).all("pending")
    from fulfill.services.outbox import _notice

    conn.mark_shipped(_notice(item.payload))  # sent, then the app died before marking it done
    assert deliver_due(store, lambda _id: conn).delivered == 1
    assert len(sandbox.trackings[platform_id]) == 1
