"""Cafe24: the mapper on the vendor's documented example and on own global-mall payloads,
the Basic/OAuth recipe, carrier codes, and the connector against the loopback mall: sync,
paging and slices, the leaky bucket, tokens, write-back and claims."""

from __future__ import annotations

import json
import socket
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
import requests

from fulfill.channels.base import ShipmentNotice, ShippedLine, SyncWindow, map_payloads
from fulfill.channels.cafe24 import auth
from fulfill.channels.cafe24 import client as client_module
from fulfill.channels.cafe24.carriers import (
    parse_codes, registered_codes, shipping_company_code,
)
from fulfill.channels.cafe24.claims import claims
from fulfill.channels.cafe24.client import Cafe24Connector
from fulfill.channels.cafe24.mapper import STATUSES, map_order
from fulfill.channels.credentials import load_secrets, save_secrets
from fulfill.channels.http import ChannelHttp
from fulfill.channels.ratelimit import RATE_SETTING, TokenBucket
from fulfill.domain import Money, OrderStatus, Platform
from fulfill.domain.returns import ClaimKind, ReturnKind, ReturnReason, ReturnStatus
from fulfill.errors import ChannelAuthError, ChannelRejected
from fulfill.sandboxes import cafe24
from fulfill.sandboxes.seed import sample_orders
from fulfill.services import channels
from fulfill.services.browser_sign_in import browser_sign_in, supports_browser_sign_in
from fulfill.services.outbox import deliver_due, ship_order
from fulfill.services.sync import sync_account
from fulfill.storage.outbox import OutboxRepository
from fulfill.storage.returns import PLATFORM_CANCELLATION
from tests.channels import scenarios
from tests.channels.scenarios import soon

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cafe24"
FAST = 10_000  # the sandbox's bucket drains this many calls a second unless a test is about it
# Every order_status the orders list documents (its `order_status` parameter).
DOCUMENTED = ("N00 N02 N10 N20 N21 N22 N30 N40 N50 C00 C10 C11 C34 C35 C36 C40 C41 C42 C43 C47 "
              "C48 C49 R00 R10 R11 R12 R13 R20 R30 R31 R34 R36 R40 R41 R42 R43 E00 E10 N01 N03 "
              "E11 E12 E13 E20 E30 E31 E32 E33 E34 E35 E36 E40").split()


def fixture(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# --- recipe, mapper, codes ----------------------------------------------------------------

def test_token_call_basic_header_matches_the_rfc_7617_vector():
    # RFC 7617 §2: user-id "Aladdin", password "open sesame".
    assert auth.basic("Aladdin", "open sesame") == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="


def test_token_answer_times_are_kst_without_offset_and_the_authorize_url():
    # The shape of a logged Cafe24 token answer: KST times without offset, scopes as a list.
    secrets = auth.token_secrets({"access_token": "rbvm", "refresh_token": "Kfcg",
                                  "expires_at": "2021-07-31T20:00:21.000",
                                  "refresh_token_expires_at": "2021-08-14T18:00:21.000",
                                  "scopes": ["mall.read_order"], "mall_id": "londonlabel"})
    assert secrets == {"access_token": "rbvm", "refresh_token": "Kfcg",
                       "expires_at": "2021-07-31T11:00:21Z",
                       "refresh_expires_at": "2021-08-14T09:00:21Z"}
    url = auth.authorize_url("https://seoulglow.cafe24api.com", "cid",
                             "http://127.0.0.1:8724/callback", "st8")
    assert url == ("https://seoulglow.cafe24api.com/api/v2/oauth/authorize?response_type=code"
                   "&client_id=cid&state=st8&redirect_uri=http%3A%2F%2F127.0.0.1%3A8724%2Fcallback"
                   "&scope=mall.read_order,mall.write_order,mall.read_shipping")


def test_mapper_reads_the_documented_example_order():
    payload = fixture("doc_example_order.json")["order"]
    order = map_order(payload, account_id=1)
    assert order.platform_order_id == order.order_number == "20170710-0000013"
    assert order.status is OrderStatus.DELIVERED and order.currency == "KRW"
    assert order.ordered_at == datetime(2018, 7, 4, 2, 21, 35, tzinfo=UTC)
    assert order.paid_total == Money(30000, "KRW") and order.shipping == Money(14000, "KRW")
    assert order.discount == Money(6500, "KRW") and order.tax == Money(120, "KRW")
    assert [(line.sku, line.title, line.quantity, line.unit_price, line.platform_line_id)
            for line in order.lines] == [
        ("C001", "iPhone X", 1, Money(30000, "KRW"), "20170710-0000013-01"),
        ("C002", "iPhone XS", 1, Money(30000, "KRW"), "20170710-0000013-02")]
    ship = order.ship_to
    assert (ship.country_code, ship.postal_code, ship.phone) == ("KR", "06258", "010-0000-0000")
    assert ship.typed.line1 == "Sindaebang dong Dongjak-gu, Seoul, Republic of Korea"
    assert order.buyer_name == "Floyd Mayweather" and order.buyer_email == "sample@gmail.com"
    assert order.note == "Sample shipping message" and order.raw is payload
    assert claims(payload) == []  # claim codes on delivered items: nothing under way


def test_every_documented_status_code_is_mapped():
    assert set(STATUSES) == set(DOCUMENTED)
    payload = fixture("doc_example_order.json")["order"]

    def status_of(*codes, before=None):
        items = [dict(payload["items"][0], order_status=code, order_item_code=f"x-{n}",
                      claim_code=None, order_status_before_cs=before)
                 for n, code in enumerate(codes)]
        return map_order({**payload, "items": items}, 1).status

    assert status_of("N00") is OrderStatus.AWAITING_PAYMENT
    assert status_of("N10", "N40") is OrderStatus.AWAITING_SHIPMENT
    assert status_of("N22", "N40") is OrderStatus.ON_HOLD
    assert status_of("C00", "N20") is OrderStatus.ON_HOLD  # cancel requested: do not ship
    assert status_of("N30", "N40") is OrderStatus.SHIPPED
    assert status_of("N50") is OrderStatus.DELIVERED
    assert status_of("C11", before="N30") is OrderStatus.SHIPPED  # refused cancellation
    assert status_of("R00", "N40") is OrderStatus.DELIVERED  # the RMA follows the return
    assert status_of("C40", "C48") is OrderStatus.CANCELLED
    assert status_of("R40", "R40") is OrderStatus.REFUNDED


def test_own_global_mall_payloads_statuses_claims_and_kst_times():
    jpy, usd, cny, twd = fixture("global_mall_orders.json")["orders"]
    order = map_order(jpy, 1)  # one item cancelled and refunded, the other still to ship
    assert order.status is OrderStatus.AWAITING_SHIPMENT
    assert [(line.sku, line.quantity) for line in order.lines] == [("SG-TON-RICE", 2)]
    assert order.updated_at == datetime(2026, 11, 6, 1, 0, tzinfo=UTC)  # "2026-11-06 10:00:00" KST
    assert order.ship_to.typed.name == "佐々木 莉子"
    assert order.ship_to.latin.city == "Shinjuku-ku"
    assert order.note == "置き配希望" and order.paid_total == Money(8040, "JPY")
    (cancel,) = claims(jpy)
    assert (cancel.kind, cancel.ref, cancel.amount) == (
        ClaimKind.CANCELLATION, "C20261106-0000007", Money(2980, "JPY"))
    assert cancel.reason is ReturnReason.CHANGED_MIND and cancel.lines == (("SG-CUSH-21N", 1),)

    order = map_order(usd, 1)  # returned and refunded item, exchange asked, replacement left out
    assert order.status is OrderStatus.PARTIALLY_REFUNDED
    assert [line.sku for line in order.lines] == ["SG-CUSH-23N", "FS-EAR-HEART"]
    request, exchange, refund = claims(usd)
    assert (request.kind, request.reason, request.lines) == (
        ClaimKind.RETURN_REQUEST, ReturnReason.DAMAGED, (("SG-CUSH-23N", 1),))
    assert (exchange.kind, exchange.lines) == (ClaimKind.EXCHANGE_REQUEST, (("FS-EAR-HEART", 1),))
    assert (refund.kind, refund.ref) == (ClaimKind.REFUND, request.ref)
    assert refund.amount == Money(2450, "USD")  # the card refund; the mall's points left out
    assert refund.at == datetime(2026, 11, 8, 0, 30, tzinfo=UTC)

    assert map_order(cny, 1).status is OrderStatus.DELIVERED
    withdrawn, refused = claims(cny)
    assert (withdrawn.kind, withdrawn.ref, withdrawn.note) == (
        ClaimKind.WITHDRAWAL, "R20261012-0000005", "withdrawn by the buyer on Cafe24")
    assert (refused.kind, refused.note) == (ClaimKind.WITHDRAWAL, "refused on Cafe24")

    order = map_order(twd, 1)  # cancelled before payment: nothing paid back
    assert order.status is OrderStatus.CANCELLED and len(order.lines) == 1
    (cancel,) = claims(twd)
    assert cancel.kind is ClaimKind.CANCELLATION and cancel.amount is None
    assert cancel.at == datetime(2026, 11, 13, 13, 40, 5, tzinfo=UTC)


def test_a_bad_payload_is_a_problem_that_names_the_fault():
    jpy = fixture("global_mall_orders.json")["orders"][0]
    unknown = {**jpy, "items": [dict(jpy["items"][1], order_status="X99")]}
    no_items = {k: v for k, v in jpy.items() if k != "items"}
    float_price = {**jpy, "items": [dict(jpy["items"][1], product_price=2280.5)]}
    nowhere = {**jpy, "receivers": [dict(jpy["receivers"][0], country_code="")]}
    orders, problems = map_payloads([unknown, no_items, float_price, nowhere, jpy],
                                    lambda p: map_order(p, 1), lambda p: p["order_id"], claims)
    assert [o.platform_order_id for o in orders] == ["20261105-0000031"]
    assert [p.message for p in problems] == [
        "ValueError: unknown Cafe24 order_status 'X99'",
        "KeyError: 'items (the order was not read with embed=items)'",
        "TypeError: Money.parse takes a str, int or Decimal, never a float",
        "ValueError: the receiver of an overseas order has no country_code"]


def test_carrier_codes_own_then_the_malls_then_defaults():
    mall = registered_codes({"shipping_carrier_code": code, "shipping_carrier": name}
                            for _, code, name in cafe24.CARRIERS)
    assert mall["cj"] == "0019" and mall["kpacket"] == "0027" and mall["ems"] == "0015"
    assert shipping_company_code("Korea Post EMS", {}, {}) == "0015"  # default table
    assert shipping_company_code("CJ Logistics", {}, mall) == "0019"  # the mall's own code
    own = parse_codes("K-Packet=0031, cj = 0021; nonsense, ems=15")
    assert own == {"kpacket": "0031", "cj": "0021"}
    assert shipping_company_code("CJ대한통운", own, mall) == "0021"
    assert shipping_company_code("0042", {}, {}) == "0042"  # the code typed as the carrier
    with pytest.raises(ChannelRejected, match="“Yamato”"):
        shipping_company_code("Yamato", {}, mall)
    with pytest.raises(ChannelRejected, match="“Korea Post K-Packet”"):
        shipping_company_code("Korea Post K-Packet", {}, {})  # no default for K-Packet


# --- against the sandbox ------------------------------------------------------------------

@pytest.fixture
def sandbox():
    with cafe24.Cafe24Sandbox(250, rate=FAST) as server:
        yield server


def add_account(store, url, **settings):
    return channels.add_account(store, Platform.CAFE24, "Seoul Glow Global (sandbox)",
                                {**cafe24.account_settings(url), **settings}, cafe24.SECRETS)


@pytest.fixture
def account(store, sandbox):
    return add_account(store, sandbox.url)


def connector(account, sleep=lambda s: None, page_size=client_module.PAGE_LIMIT, bucket=None,
              **http_options):
    http = ChannelHttp(account.settings["api_base"], "Cafe24", sleep=sleep, bucket=bucket,
                       **http_options)
    conn = Cafe24Connector(account, load_secrets(account.id), http=http, page_size=page_size)
    conn.on_secrets_changed = lambda secrets: save_secrets(account.id, secrets)
    return conn


def local(store, account, order_id):
    return store.orders.get(store.orders.id_for(account.id, order_id))


def first_with(sandbox, code, items=1):
    return next(oid for oid, p in sorted(sandbox.orders.items())
                if {i["order_status"] for i in p["items"]} == {code} and len(p["items"]) >= items)


def rmas(store):
    return store.db.execute("SELECT count(*) FROM rmas").fetchone()[0]


def test_first_sync_reads_every_shop_then_resync_writes_nothing(store, account, sandbox):
    report = sync_account(store, connector(account))
    assert report.created == 250 and report.problems == 0 and store.orders.count() == 250
    for sample in sample_orders(Platform.CAFE24, 250):  # what the mall was seeded with
        order = local(store, account, sample.platform_order_id)
        assert (order.status, order.currency, order.paid_total) == (
            sample.status, sample.currency, sample.grand_total)
        assert order.ship_to.country_code == sample.ship_to.country_code
    seeded = Counter(s.status for s in sample_orders(Platform.CAFE24, 250))
    assert rmas(store) == (seeded[OrderStatus.CANCELLED] + seeded[OrderStatus.REFUNDED]
                           + seeded[OrderStatus.PARTIALLY_REFUNDED])
    assert set(sandbox.api_versions) == {client_module.API_VERSION}  # on every call
    scenarios.resync_writes_nothing(store, connector(account))


def test_paging_slices_and_the_search_limits(account, sandbox, monkeypatch):
    until = soon()
    pages = list(connector(account, page_size=20).fetch(SyncWindow(None, until)))
    assert sum(len(p.orders) for p in pages) == 250 and pages[-1].resume_cursor is None
    cursors = [json.loads(p.resume_cursor) for p in pages[:-1]]
    assert any(c["o"] for c in cursors)  # paged by offset within a slice
    days = sorted({c["d"] for c in cursors if c["o"] == 0})
    gaps = {(datetime.fromisoformat(b) - datetime.fromisoformat(a)).days
            for a, b in zip(days, days[1:], strict=False)}
    assert gaps == {client_module.SLICE_DAYS}
    with pytest.raises(ChannelRejected, match="under 3 months"):  # Cafe24's own rule
        connector(account)._orders(2, {"start_date": "2026-01-01", "end_date": "2026-04-01"})
    # More orders in a slice than offset can reach: the same days are read in halves.
    sandbox.add_orders(70, seed=11)  # today, a quarter of them in the USD shop
    monkeypatch.setattr(client_module, "MAX_OFFSET", 30)  # 40 reachable; 31 are today's
    pages = list(connector(account, page_size=10).fetch(SyncWindow(None, soon())))
    assert sum(len(p.orders) for p in pages) == 320
    assert min(json.loads(p.resume_cursor)["s"] for p in pages[:-1]) < client_module.SLICE_DAYS
    monkeypatch.setattr(client_module, "MAX_OFFSET", 0)
    with pytest.raises(ChannelRejected, match="at most 10 orders per search"):
        list(connector(account, page_size=10).fetch(SyncWindow(None, soon())))


def test_changed_order_is_updated_audited_and_its_cancellation_recorded_once(store, account,
                                                                             sandbox):
    sync_account(store, connector(account))
    oid = first_with(sandbox, "N20")
    claim = sandbox.cancel(oid, reason="Ordered twice")
    new_ids = sandbox.add_orders(2, seed=99)
    report = sync_account(store, connector(account), now=soon())
    scenarios.one_change_and_two_new_orders(store, account, report, oid, new_ids)
    assert report.claims >= 1
    order = local(store, account, oid)
    history = store.orders.history(order.id)
    assert [e.new_value for e in history if e.action == PLATFORM_CANCELLATION] == [claim]
    refunds = store.returns.for_order(order.id)
    assert len(refunds) == 1 and refunds[0].refunded == order.paid_total
    again = sync_account(store, connector(account), now=soon())
    assert again.claims == 0 and len(store.returns.for_order(order.id)) == 1


def test_the_bucket_header_slows_calls_down_before_a_429(store):
    with cafe24.Cafe24Sandbox(250, rate=20, bucket=10) as server:
        account = add_account(store, server.url)
        conn = connector(account, sleep=time.sleep, bucket=TokenBucket(rate=20, burst=40))
        assert sync_account(store, conn).created == 250
    assert server.throttled == 0 and conn.http.stats.waited_s > 0


def test_a_429_waits_for_the_bucket_to_drain(store):
    waits = []
    with cafe24.Cafe24Sandbox(250, rate=20, bucket=10) as server:
        account = add_account(store, server.url,
                              **{RATE_SETTING: f"{client_module.DRAIN_PER_S:g}"})
        conn = connector(account, sleep=lambda s: (waits.append(s), time.sleep(s)))
        scenarios.server_throttling_is_waited_out(store, server, conn, 250)
    assert waits and min(waits) >= 1 / client_module.DRAIN_PER_S  # a drained call each


def test_the_usage_limit_remain_header_is_waited_out_not_hammered(store, account, sandbox):
    waits = []
    sandbox.exhaust_usage(0.2)
    conn = connector(account, sleep=lambda s: (waits.append(s), time.sleep(s)))
    assert sync_account(store, conn).created == 250
    assert sandbox.blocked_calls == 1 and max(waits) >= 1  # X-Cafe24-Call-Remain: 1


def test_server_errors_then_success_and_a_timeout(store, account, sandbox):
    scenarios.faults_are_retried(store, sandbox, partial(connector, account), errors=2,
                                 stalls=1)


def test_malformed_json_stops_the_run_and_the_next_run_resumes(store, account, sandbox):
    scenarios.garbled_page_stops_then_resumes(store, account, sandbox, connector(account),
                                              connector(account))


def test_killed_sync_resumes_without_loss_or_duplicates(store, account, sandbox):
    # once orders arrive: the first slices of a shop can be empty ("0 orders read")
    state = scenarios.killed_mid_sync(store, account, connector(account, page_size=20),
                                      r": [1-9][0-9]* orders read")
    assert json.loads(state.run_cursor)["o"] % 20 == 0  # a page's offset within its slice
    scenarios.resumed_to_the_end(store, account, connector(account, page_size=20))


def test_one_bad_order_is_a_problem_and_the_rest_import(store, account, sandbox):
    bad = sorted(sandbox.orders)[5]
    sandbox.orders[bad]["items"][0]["order_status"] = "X99"
    scenarios.one_bad_order_is_a_problem(store, account, connector(account), bad,
                                         "ValueError: unknown Cafe24 order_status 'X99'")
    sandbox.set_status(bad, "N40", date_type="shipend_date")  # corrected, dated today
    scenarios.problem_clears_once_fixed(store, account, connector(account), soon())


def test_expired_access_token_is_refreshed_and_the_rotated_pair_saved(store, account, sandbox):
    sandbox.expire_access_tokens()
    assert sync_account(store, connector(account)).created == 250 and sandbox.refreshes == 1
    saved = load_secrets(account.id)
    assert saved["access_token"] != cafe24.ACCESS_TOKEN
    assert saved["access_token"] in sandbox.access_tokens
    assert saved["refresh_token"] in sandbox.refresh_tokens != {cafe24.REFRESH_TOKEN}
    assert saved["expires_at"].endswith("Z") and saved["client_secret"] == cafe24.CLIENT_SECRET
    assert connector(account).test_connection().startswith(
        "Connected to Cafe24 · Seoul Glow Global")
    stale = Cafe24Connector(account, dict(cafe24.SECRETS),
                            http=ChannelHttp(sandbox.url, "Cafe24", sleep=lambda s: None))
    with pytest.raises(ChannelAuthError, match="no longer accepts"):
        stale.refresh_access_token()  # the old refresh token died with the rotation


def test_a_token_about_to_expire_is_renewed_before_the_call(store, account, sandbox):
    soon_over = (datetime.now(UTC) + timedelta(seconds=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    save_secrets(account.id, {**cafe24.SECRETS, "expires_at": soon_over})
    connector(account).test_connection()
    assert sandbox.refreshes == 1 and load_secrets(account.id)["expires_at"] != soon_over


def test_revoked_tokens_and_a_wrong_secret_are_auth_errors(store, account, sandbox):
    save_secrets(account.id, {**cafe24.SECRETS, "access_token": "nope", "refresh_token": "nope"})
    with pytest.raises(ChannelAuthError, match="no longer accepts") as info:
        sync_account(store, connector(account))
    assert "Connect with Cafe24" in info.value.advice
    save_secrets(account.id, {**cafe24.SECRETS, "access_token": "nope", "client_secret": "wrong"})
    with pytest.raises(ChannelAuthError, match="client ID or secret"):
        sync_account(store, connector(account))
    assert sandbox.refreshes == 0


def test_write_back_offline_then_online_exactly_once(store, account, sandbox):
    sync_account(store, connector(account))
    oid = first_with(sandbox, "N20")
    order_id = local(store, account, oid).id
    scenarios.write_back_offline_then_online(store, sandbox, account, order_id,
                                             partial(connector, account), cafe24.account_settings)
    codes = [i["order_item_code"] for i in sandbox.orders[oid]["items"]]
    assert sandbox.shipment_posts == [{
        "order_id": oid, "shop_no": sandbox.orders[oid]["shop_no"],
        "tracking_no": scenarios.TRACKING, "shipping_company_code": "0015",
        "status": "shipping", "order_item_code": codes}]
    assert {i["order_status"] for i in sandbox.orders[oid]["items"]} == {"N30"}


def test_write_back_is_not_doubled_when_the_app_died_after_sending(store, account, sandbox):
    sync_account(store, connector(account))
    oid = first_with(sandbox, "N10")
    scenarios.sent_before_the_app_died(store, local(store, account, oid).id, connector(account),
                                       "CJ대한통운", "6123456789012")
    assert [p["shipping_company_code"] for p in sandbox.shipment_posts] == ["0019"]


def test_parcels_by_item_then_a_different_number_is_refused(account, sandbox):
    oid = first_with(sandbox, "N20", items=2)
    first, *rest = [i["order_item_code"] for i in sandbox.orders[oid]["items"]]
    conn = connector(account)
    conn.mark_shipped(ShipmentNotice(oid, "EMS", "EE100000001KR", datetime.now(UTC),
                                     (ShippedLine(first, 1),)))
    conn.mark_shipped(ShipmentNotice(oid, "EMS", "EE100000002KR", datetime.now(UTC)))
    assert [p["order_item_code"] for p in sandbox.shipment_posts] == [[first], rest]
    with pytest.raises(ChannelRejected, match="already has tracking number EE10000000"):
        conn.mark_shipped(ShipmentNotice(oid, "EMS", "EE999999995KR", datetime.now(UTC)))
    with pytest.raises(ChannelRejected, match="no items waiting for shipping .status C40"):
        conn.mark_shipped(ShipmentNotice(first_with(sandbox, "C40"), "EMS", "EE1",
                                         datetime.now(UTC)))
    assert len(sandbox.shipment_posts) == 2


def test_unknown_carrier_is_refused_naming_it_and_nothing_is_sent(store, account, sandbox):
    sync_account(store, connector(account))
    ship_order(store, local(store, account, first_with(sandbox, "N20")).id, carrier="Yamato",
               tracking_number="4567-8901-2345")
    assert deliver_due(store, lambda _id: connector(account)).failed == 1
    (item,) = OutboxRepository(store.db).all("failed")
    assert "“Yamato”" in item.last_error and sandbox.shipment_posts == []


def test_codes_without_the_malls_carrier_list(store, sandbox):
    sandbox.carriers_forbidden = True  # the app was not given mall.read_shipping
    account = add_account(store, sandbox.url, carrier_codes="cj=0019")
    conn = connector(account)
    ready = [oid for oid, p in sorted(sandbox.orders.items())
             if {i["order_status"] for i in p["items"]} <= {"N10", "N20"}][:2]
    conn.mark_shipped(ShipmentNotice(ready[0], "CJ Logistics", "6100000000011", datetime.now(UTC)))
    conn.mark_shipped(ShipmentNotice(ready[1], "EMS", "EE100000003KR", datetime.now(UTC)))
    assert [p["shipping_company_code"] for p in sandbox.shipment_posts] == ["0019", "0015"]


def test_claims_open_rmas_once_including_a_return_after_shipment(store, account, sandbox):
    sync_account(store, connector(account))
    before = rmas(store)
    assert sync_account(store, connector(account)).claims == 0 and rmas(store) == before
    oid = first_with(sandbox, "N20")
    ship_order(store, local(store, account, oid).id, carrier="EMS", tracking_number="EE1KR")
    assert deliver_due(store, lambda _id: connector(account)).delivered == 1
    sandbox.set_status(oid, "N40", date_type="shipend_date")
    claim = sandbox.request_return(oid, reason_type="V", reason="Arrived damaged")
    exchanged = first_with(sandbox, "N40")
    swap = sandbox.request_exchange(exchanged, reason_type="O", reason="Wrong size")
    sync_account(store, connector(account), now=soon())
    (rma,) = store.returns.for_order(local(store, account, oid).id)
    assert (rma.kind, rma.status, rma.platform_ref, rma.reason) == (
        ReturnKind.RETURN, ReturnStatus.REQUESTED, claim, ReturnReason.DAMAGED)
    (swap_rma,) = store.returns.for_order(local(store, account, exchanged).id)
    assert swap_rma.kind is ReturnKind.EXCHANGE and swap_rma.platform_ref == swap
    assert sync_account(store, connector(account), now=soon()).claims == 0
    assert rmas(store) == before + 2
    paid = local(store, account, oid).paid_total
    sandbox.complete_return(claim)  # goods back, refund pending (R41)
    sync_account(store, connector(account), now=soon())
    sandbox.pay_refund(claim, paid)  # only the refunds list dates this one
    report = sync_account(store, connector(account), now=soon())
    assert report.claims == 1
    (rma,) = store.returns.for_order(local(store, account, oid).id)
    assert [r.amount for r in rma.refunds] == [paid] and rma.refunds[0].platform_ref == claim
    assert local(store, account, oid).status is OrderStatus.REFUNDED
    assert sync_account(store, connector(account), now=soon()).claims == 0
    assert len(store.returns.for_order(local(store, account, oid).id)[0].refunds) == 1


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_browser_sign_in_needs_the_registered_redirect(store, sandbox):
    port = _free_port()
    sandbox.redirect_uris.add(auth.redirect_uri(port))
    answers = []

    def browser(url):  # the seller presses Allow: the mall redirects to the loopback address
        answers.append(requests.get(url, timeout=5).status_code)

    settings = {**cafe24.account_settings(sandbox.url), "redirect_port": str(port)}
    app = {"client_id": cafe24.CLIENT_ID, "client_secret": cafe24.CLIENT_SECRET}
    assert supports_browser_sign_in(Platform.CAFE24)  # the Channels screen's Connect button
    granted = browser_sign_in(Platform.CAFE24, settings, app, open_browser=browser, timeout=5)
    assert answers == [200] and granted["access_token"] in sandbox.access_tokens
    assert granted["refresh_token"] in sandbox.refresh_tokens
    assert granted["expires_at"].endswith("Z")
    account = channels.add_account(store, Platform.CAFE24, "Signed in", settings, granted)
    assert connector(account).test_connection().startswith("Connected to Cafe24 · Signed in")

    elsewhere = {**settings, "redirect_port": str(_free_port())}  # not registered on the app
    with pytest.raises(ChannelAuthError, match="not finished in the browser"):
        auth.sign_in(elsewhere, app, open_browser=browser, timeout=0.3)
    assert answers[-1] == 400
    with pytest.raises(ChannelAuthError, match="client ID or secret"):
        auth.sign_in(settings, {**app, "client_secret": "wrong"}, open_browser=browser, timeout=5)


def test_sandbox_account_as_the_channels_screen_adds_it(store):
    account = channels.add_sandbox_account(store, Platform.CAFE24)
    try:
        conn = channels.connector(account)  # a 40-call bucket, draining 40 a second
        assert sync_account(store, conn).created == 250
        assert conn.test_connection() == "Connected to Cafe24 (sandbox) (shops 1, 2, 3, 4, 5)"
        assert channels.running_sandbox(Platform.CAFE24).throttled == 0
    finally:
        channels.stop_sandboxes()
