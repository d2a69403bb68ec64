"""Qoo10 QSM API: request encoding, mapper and claims on our own payloads (Qoo10 publishes no
examples outside QSM), client and sync against the sandbox."""

from __future__ import annotations

import json
import math
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest

from fulfill.channels.base import ShipmentNotice, SyncWindow
from fulfill.channels.credentials import load_secrets, save_secrets
from fulfill.channels.http import ChannelHttp
from fulfill.channels.qoo10 import client as qoo10_client
from fulfill.channels.qoo10.client import Qoo10Connector
from fulfill.channels.qoo10.mapper import claims, map_order, parse_qoo10_time
from fulfill.channels.qoo10.qapi import result_of, rows_of
from fulfill.channels.qoo10.sites import JP, SG, site_for
from fulfill.domain import Money, OrderStatus, Platform
from fulfill.domain.returns import ClaimKind, ReturnKind, ReturnReason, ReturnStatus
from fulfill.errors import ChannelAuthError, ChannelRejected, PayloadError
from fulfill.sandboxes import qoo10
from fulfill.services import channels
from fulfill.services.sync import sync_account
from fulfill.storage.sync_state import SyncRepository
from tests.channels import scenarios
from tests.channels.scenarios import soon

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "qoo10"


def load(name):
    """A fixture as the client reads answers: JSON numbers as Decimal."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"), parse_float=Decimal)


def jst(*parts):
    return datetime(*parts, tzinfo=UTC) - timedelta(hours=9)


# --- request encoding ----------------------------------------------------------------------

def test_requests_are_form_posts_with_the_key_header_and_site_local_dates(store):
    # Qoo10 signs nothing: what must be exact is the request. The known vector, by hand:
    # 2026-11-20 00:00 UTC is 09:00 in Tokyo and 08:00 in Singapore; the window's end is
    # sent as its last second, inclusive.
    since, until = datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 21, tzinfo=UTC)
    for site, start, end in (("JP", "20261120090000", "20261121085959"),
                             ("SG", "20261120080000", "20261121075959")):
        with qoo10.Qoo10Sandbox(5, site=site) as server:
            settings = {"api_base": qoo10.service_url(server.url, site), "site": site}
            account = channels.add_account(store, Platform.QOO10, f"Q {site}", settings,
                                           qoo10.SECRETS)
            list(connector(account).fetch(SyncWindow(since, until)))
        first = server.calls[0]
        assert first == {
            "http": "POST", "method": "ShippingBasic.GetShippingInfo_v2",
            "key": qoo10.CERT_KEY, "version": "1.0",
            "type": "application/x-www-form-urlencoded",
            "form": {"returnType": "application/json", "ShippingStat": "1",
                     "search_condition": "1", "search_Sdate": start, "search_Edate": end}}
        asked = [(c["method"], c["form"].get("ShippingStat"), c["form"]["search_condition"])
                 for c in server.calls]
        assert asked == [("ShippingBasic.GetShippingInfo_v2", "1", "1"),
                         ("ShippingBasic.GetShippingInfo_v2", "2", "2"),
                         ("ShippingBasic.GetShippingInfo_v2", "3", "2"),
                         ("ShippingBasic.GetShippingInfo_v2", "4", "3"),
                         ("ShippingBasic.GetShippingInfo_v2", "5", "4"),
                         ("ShippingBasic.GetClaimInfo_V3", None, "2"),
                         ("ShippingBasic.GetClaimInfo_V3", None, "3")]


# --- mapper and claims on our own payloads ---------------------------------------------------

def test_mapper_reads_a_cart_of_two_orders():
    first_row, second_row = load("get_shipping_info_v2.json")["ResultObject"]
    first, second = map_order(first_row, 1), map_order(second_row, 1)
    assert (first.platform_order_id, first.order_number) == ("1062428737", "1062428737")
    assert first.status is OrderStatus.AWAITING_SHIPMENT and first.currency == "JPY"
    assert first.ordered_at == jst(2026, 11, 19, 23, 41, 7)
    assert first.updated_at == jst(2026, 11, 19, 23, 42, 15)  # paid: its latest event
    (line,) = first.lines
    assert (line.sku, line.quantity, line.platform_line_id) == ("SG-TINT-05", 2, "1062428737")
    assert line.title == "ジューシーグロウ リップティント (カラー:05 ローズ)"
    # total 2460 = 2 × (1180 + 100 option) − 100 discount: the unit price is before the discount
    assert line.unit_price == Money(1280, "JPY")
    # the cart's 500 shipping counts once, on its first order; the cart discounts are its own
    assert (first.shipping, first.discount) == (Money(500, "JPY"), Money(180, "JPY"))
    assert first.paid_total == Money(2880, "JPY") and first.grand_total == Money(2880, "JPY")
    assert (second.shipping, second.discount) == (Money(0, "JPY"), None)
    assert second.paid_total == Money(1580, "JPY")
    ship = first.ship_to
    assert (ship.typed.name, ship.typed.region, ship.typed.city) == ("佐藤 恵子", "広島県", "広島市中区")
    assert ship.typed.line1 == "本通4-17-2 パークハウス本通 102号室"
    assert (ship.country_code, ship.postal_code, ship.phone) == ("JP", "730-0035", "080-1331-4191")
    assert first.note == "不在の場合は宅配ボックスへ" and first.buyer_email == ""
    assert first.raw == first_row and claims(first_row) == []


def test_the_one_order_answer_maps_with_its_claim():
    (row,) = load("get_shipping_and_claim_info_by_order_no_v2.json")["ResultObject"]
    order = map_order(row, 1)
    assert order.status is OrderStatus.REFUNDED  # returned: claim 6 in the row's own fields
    assert order.ordered_at == jst(2026, 11, 2, 8, 15, 40)
    assert order.updated_at == jst(2026, 11, 18, 12, 0)
    assert order.ship_to.typed.region == "大阪府"
    assert order.ship_to.typed.line1 == "大阪市北区梅田1-28-8 パークハウス梅田 205号室"
    assert order.paid_total == Money(2680, "JPY") and order.shipping == Money(0, "JPY")
    request, refund = claims(row)
    assert (request.kind, refund.kind) == (ClaimKind.RETURN_REQUEST, ClaimKind.REFUND)
    assert request.ref == refund.ref == "return-1062431002-20261110090000"
    assert request.lines == refund.lines == (("SG-CRM-SNAIL", 1),)
    assert request.reason is ReturnReason.DAMAGED and refund.amount == Money(2680, "JPY")
    assert (request.at, refund.at) == (jst(2026, 11, 10, 9, 0), jst(2026, 11, 18, 12, 0))


def _with_claim(status, **fields):
    row = load("get_shipping_info_v2.json")["ResultObject"][0]
    claim = {**load("get_claim_info_v3.json")["ResultObject"][0], "claimStatus": str(status),
             **fields}
    return {**row, "claims": [claim]}


@pytest.mark.parametrize(("status", "fields", "order_status", "expected"), [
    (1, {}, OrderStatus.ON_HOLD, []),
    (2, {}, OrderStatus.ON_HOLD, []),
    (3, {"cancelRefundDate": "2026-11-25 12:00:00"}, OrderStatus.CANCELLED,
     [(ClaimKind.CANCELLATION, None, ())]),
    (4, {}, OrderStatus.AWAITING_SHIPMENT, [(ClaimKind.RETURN_REQUEST, None,
                                             (("SG-TINT-05", 2),))]),
    (6, {"cancelRefundDate": "2026-11-30 12:00:00"}, OrderStatus.REFUNDED,
     [(ClaimKind.RETURN_REQUEST, None, (("SG-TINT-05", 2),)),
      (ClaimKind.REFUND, Money(2880, "JPY"), (("SG-TINT-05", 2),))]),
    (6, {"paymentAmount": 99999}, OrderStatus.REFUNDED,  # never more than was paid
     [(ClaimKind.RETURN_REQUEST, None, (("SG-TINT-05", 2),)),
      (ClaimKind.REFUND, Money(2880, "JPY"), (("SG-TINT-05", 2),))]),
    (11, {}, OrderStatus.AWAITING_SHIPMENT, [(ClaimKind.EXCHANGE_REQUEST, None,
                                              (("SG-TINT-05", 2),))]),
    (14, {}, OrderStatus.REFUNDED, [(ClaimKind.REFUND, Money(2880, "JPY"), ())]),
    (15, {"nrPartRefundCnt": 1, "nrPartRefundBalance": 1280}, OrderStatus.PARTIALLY_REFUNDED,
     [(ClaimKind.REFUND, Money(1280, "JPY"), (("SG-TINT-05", 1),))]),
    (16, {}, OrderStatus.CANCELLED, [(ClaimKind.CANCELLATION, None, ())]),
])
def test_each_claim_status_maps_faithfully(status, fields, order_status, expected):
    payload = _with_claim(status, **fields)
    assert map_order(payload, 1).status is order_status
    found = claims(payload)
    assert [(c.kind, c.amount, c.lines) for c in found] == expected
    assert all(c.ref.endswith("-1062428737-20261125100300") for c in found)


def test_claims_from_the_claim_listing_and_the_latest_one_decides():
    claim_rows = load("get_claim_info_v3.json")["ResultObject"]
    row = load("get_shipping_info_v2.json")["ResultObject"][1]
    order = {**row, "claims": [claim_rows[1]]}  # 15: part never received, 14-digit dates
    assert map_order(order, 1).status is OrderStatus.PARTIALLY_REFUNDED
    (refund,) = claims(order)
    assert refund.ref == "nonreceipt-1062428738-20261124180000"
    assert (refund.amount, refund.lines) == (Money(790, "JPY"), (("SG-MASK-CICA10", 1),))
    assert refund.reason is ReturnReason.NEVER_ARRIVED
    assert refund.at == jst(2026, 11, 26, 9, 15)
    later = {**claim_rows[1], "claimStatus": "3", "requestDate": "2026-11-27 08:00:00"}
    assert map_order({**row, "claims": [later, claim_rows[1]]}, 1).status is \
        OrderStatus.CANCELLED


def test_times_and_bad_values():
    assert parse_qoo10_time("2026-11-19 23:41:07") == jst(2026, 11, 19, 23, 41, 7)
    assert parse_qoo10_time("2026/11/19 23:41") == jst(2026, 11, 19, 23, 41)
    assert parse_qoo10_time("20261119234107") == jst(2026, 11, 19, 23, 41, 7)
    assert parse_qoo10_time("20261119") == jst(2026, 11, 19)
    assert parse_qoo10_time("2026-11-19T23:41:07+09:00") == jst(2026, 11, 19, 23, 41, 7)
    assert parse_qoo10_time("2026-11-19 23:41:07", SG) == datetime(2026, 11, 19, 15, 41, 7,
                                                                    tzinfo=UTC)
    for empty in ("", None, "0001-01-01 00:00:00", "1900-01-01 00:00:00"):
        assert parse_qoo10_time(empty) is None
    with pytest.raises(ValueError):
        parse_qoo10_time("19/11/2026")
    row = load("get_shipping_info_v2.json")["ResultObject"][0]
    with pytest.raises(ValueError, match="unknown Qoo10 shippingStatus 'Mystery'"):
        map_order({**row, "shippingStatus": "Mystery"}, 1)
    with pytest.raises(ValueError, match="unknown Qoo10 claimStatus '99'"):
        map_order({**row, "claims": [{"claimStatus": "99"}]}, 1)
    with pytest.raises(TypeError):  # a float amount means the answer was not read as Decimal
        map_order({**row, "Cart_Discount_Seller": 50.5}, 1)
    bare = {k: v for k, v in row.items() if k not in ("orderNo", "OrderNo")}
    with pytest.raises(KeyError):
        map_order(bare, 1)


def test_answers_and_their_result_codes():
    errors = load("errors.json")
    assert result_of(errors["unknown_key"]) == (-90001, "存在しないAPIです。")
    assert result_of(errors["expired_key"]) == (
        -90004, "Seller authorization key is expired. Use a new key.")
    assert result_of({"ResultCode": "0", "ResultMsg": "SUCCESS"}) == (0, "SUCCESS")
    assert rows_of(errors["no_rows"]) == [] and rows_of({"ResultObject": []}) == []
    assert rows_of({"ResultObject": {"orderNo": 1}}) == [{"orderNo": 1}]
    with pytest.raises(PayloadError, match="without a result code"):
        result_of({"ResultObject": []})
    with pytest.raises(PayloadError, match="unexpected form"):
        rows_of({"ResultObject": "1062428737"})


def test_carrier_names_qoo10_takes():
    expected = {"Korea Post EMS": "EMS", "Korea Post K-Packet": "K-Packet", "우체국": "韓国郵便",
                "CJ대한통운": "CJ大韓通運", "롯데택배": "ロッテグローバルロジス", "Hanjin": "韓進",
                "DHL Express": "DHL", "Yamato": "ヤマト宅急便", "Sagawa": "佐川急便",
                "Japan Post": "ゆうパック"}
    assert {name: JP.shipping_corp(name) for name in expected} == expected
    assert SG.shipping_corp("CJ Logistics") == "CJ Logistics"
    assert JP.shipping_corp("Other") is None and JP.shipping_corp("Qxpress") == "Qxpress"
    assert site_for(None) is JP and site_for(" sg ") is SG
    assert SG.api_base == "https://api.qoo10.sg/GMKT.INC.Front.QAPIService/Giosis.qapi"
    with pytest.raises(ValueError, match="use JP or SG"):
        site_for("KR")


# --- against the sandbox ----------------------------------------------------------------

@pytest.fixture
def sandbox():
    with qoo10.Qoo10Sandbox(250) as server:
        yield server


def add_account(store, url, secrets=None, name="Qoo10 (sandbox)"):
    return channels.add_account(store, Platform.QOO10, name, qoo10.account_settings(url),
                                qoo10.SECRETS if secrets is None else secrets)


@pytest.fixture
def account(store, sandbox):
    return add_account(store, sandbox.url)


def connector(account, sleep=lambda s: None, **http_options):
    http = ChannelHttp(account.settings["api_base"], "Qoo10 Japan", sleep=sleep, **http_options)
    conn = Qoo10Connector(account, load_secrets(account.id), http=http)
    conn.on_secrets_changed = lambda secrets: save_secrets(account.id, secrets)
    return conn


def local(store, account, order_no):
    return store.orders.get(store.orders.id_for(account.id, order_no))


def first_with_status(sandbox, status, *, claimed=False):
    return next(no for no in sorted(sandbox.rows) if sandbox.status_of(no) == status
                and bool(sandbox.claims.get(no)) == claimed)


def test_first_sync_then_resync_writes_nothing(store, account, sandbox):
    report = sync_account(store, connector(account))
    assert report.created == 250 and report.problems == 0 and store.orders.count() == 250
    statuses = {local(store, account, no).status for no in sandbox.rows}
    assert statuses == set(OrderStatus)  # every status, from Qoo10's statuses and claims
    on_hold = next(no for no, c in sandbox.claims.items() if c[-1]["claimStatus"] == "1")
    held = local(store, account, on_hold)
    assert held.status is OrderStatus.ON_HOLD and held.raw["shippingStatus"] == "On request(2)"
    refunded = [local(store, account, no) for no, c in sandbox.claims.items()
                if c[-1]["claimStatus"] in ("6", "15")]
    rmas = store.returns.for_orders([o.id for o in refunded])
    assert all(len(rmas[o.id]) == 1 and rmas[o.id][0].refunds for o in refunded)
    scenarios.resync_writes_nothing(store, connector(account))


def test_windows_of_a_week_and_a_full_answer_asked_again_in_halves(store, account, sandbox):
    new = sandbox.add_orders(60, seed=11)  # all just bought: one window's answer
    sandbox.row_limit = 25  # Qoo10 cuts an answer short somewhere; here at 25 rows
    conn = connector(account)
    conn.full_rows = 25
    until = soon()
    pages = list(conn.fetch(SyncWindow(until - timedelta(days=30), until)))
    found = {o.platform_order_id for p in pages for o in p.orders}
    assert set(new) <= found
    spans = [(datetime.strptime(end, "%Y%m%d%H%M%S") - datetime.strptime(start, "%Y%m%d%H%M%S"))
             for _, _, _, start, end in sandbox.listings]
    assert max(spans) < timedelta(days=7)
    assert min(spans) < timedelta(days=1)  # the full answers were split
    cursors = [json.loads(p.resume_cursor)["from"] for p in pages if p.resume_cursor]
    assert all(b - a == qoo10_client.WINDOW_S for a, b in zip(cursors, cursors[1:],
                                                               strict=False))


def test_a_range_qoo10_refuses_is_an_error_with_its_message(store, account, sandbox,
                                                            monkeypatch):
    monkeypatch.setattr(Qoo10Connector, "window_s", 100 * 86400)
    with pytest.raises(ChannelRejected, match=r"\(-10003: Searching period exceeds to 90 days"):
        sync_account(store, connector(account))
    assert store.orders.count() == 0


def test_changed_order_is_updated_and_audited(store, account, sandbox):
    sync_account(store, connector(account))
    shipped = first_with_status(sandbox, 3)
    sandbox.change(shipped, shippingStatus="On delivery(4)", DeliveryCompany="EMS",
                   TrackingNo="EE000000000KR")
    new = sandbox.add_orders(2, seed=99)
    report = sync_account(store, connector(account), now=soon())
    scenarios.one_change_and_two_new_orders(store, account, report, shipped, new,
                                            became=OrderStatus.SHIPPED)
    assert local(store, account, shipped).raw["TrackingNo"] == "EE000000000KR"


def test_throttling_is_waited_out(store):
    with qoo10.Qoo10Sandbox(250, rate=100) as server:
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
    start = json.loads(state.run_cursor)["from"]
    since = math.floor(state.run_until.timestamp()) - 200 * 86400  # the first window's start
    assert (start - since) % qoo10_client.WINDOW_S == 0  # a week's window
    scenarios.resumed_to_the_end(store, account, connector(account))


def test_one_bad_order_is_a_problem_and_the_rest_import(store, account, sandbox):
    bad = first_with_status(sandbox, 5)
    sandbox.rows[bad]["total"] = "1,280円"
    scenarios.one_bad_order_is_a_problem(store, account, connector(account), bad,
                                         "ValueError: '1,280円' is not an amount of money")
    sandbox.change(bad, total=1280)
    scenarios.problem_clears_once_fixed(store, account, connector(account), soon())
    assert local(store, account, bad).status is OrderStatus.DELIVERED


def test_a_row_without_an_order_number_is_a_problem(store, account, sandbox):
    numberless = first_with_status(sandbox, 5)
    del sandbox.rows[numberless]["orderNo"]
    report = sync_account(store, connector(account))
    assert report.created == 249 and report.problems == 1
    ((number, message),) = SyncRepository(store.db).problems(account.id)
    assert (number, message) == ("?", "Qoo10 sent a row without an order number")


def test_a_claim_on_an_order_qoo10_cannot_return_is_a_problem(store, account, sandbox):
    number = first_with_status(sandbox, 5)
    sandbox.open_claim(number, 4, "破損")
    ghost = {**sandbox.claims[number][-1], "orderNo": 1069999999}
    sandbox.claims["1069999999"] = [ghost]  # Qoo10 lists a claim on an order it then denies
    report = sync_account(store, connector(account), now=soon())
    assert report.created == 250 and report.problems == 1
    assert SyncRepository(store.db).problems(account.id) == [
        ("1069999999", "Qoo10 reports a claim on this order but does not return the order")]
    assert len(store.returns.for_order(store.orders.id_for(account.id, number))) == 1


def test_a_sandbox_account_syncs_through_the_channels_service(store):
    try:
        account = channels.add_sandbox_account(store, Platform.QOO10)
        assert channels.check_connection(account).endswith("(Qoo10 Japan)")
        (result,) = channels.sync_accounts(store, [account])
        assert result.error is None and result.report.created == 250
    finally:
        channels.stop_sandboxes()


def test_an_expired_key_is_renewed_from_the_saved_login_and_kept(store, account, sandbox):
    sandbox.expire_certification_keys()
    report = sync_account(store, connector(account))
    assert report.created == 250 and sandbox.keys_issued == 1
    saved = load_secrets(account.id)
    assert saved["certification_key"] in sandbox.keys
    assert saved["certification_key"] != qoo10.CERT_KEY and saved["api_key"] == qoo10.API_KEY
    assert connector(account).test_connection() == \
        f"Connected to {account.display_name} (Qoo10 Japan)"
    assert sandbox.keys_issued == 1  # the saved key is used, not another one made


def test_a_key_is_made_when_only_the_login_is_saved(store, sandbox):
    secrets = {k: v for k, v in qoo10.SECRETS.items() if k != "certification_key"}
    account = add_account(store, sandbox.url, secrets)
    assert sync_account(store, connector(account)).created == 250
    assert sandbox.keys_issued == 1 and load_secrets(account.id)["certification_key"]


def test_an_expired_key_without_a_login_says_how_to_make_one(store, sandbox):
    secrets = {"api_key": qoo10.API_KEY, "certification_key": qoo10.CERT_KEY}
    account = add_account(store, sandbox.url, secrets)
    sandbox.expire_certification_keys()
    with pytest.raises(ChannelAuthError, match=r"\(-90004: Seller authorization key is "
                                               r"expired") as info:
        sync_account(store, connector(account))
    assert "QSM login ID and password" in info.value.advice and sandbox.keys_issued == 0
    keyless = add_account(store, sandbox.url, {"api_key": qoo10.API_KEY}, name="Qoo10 keyless")
    with pytest.raises(ChannelAuthError, match="needs a seller authorization key"):
        connector(keyless).test_connection()


def test_a_wrong_key_or_password_is_an_auth_error_in_qoo10s_words(store, sandbox):
    wrong_key = add_account(store, sandbox.url, {"api_key": qoo10.API_KEY,
                                                 "certification_key": "not-a-key"})
    with pytest.raises(ChannelAuthError, match="-90001: 存在しないAPIです。"):
        connector(wrong_key).test_connection()
    sandbox.expire_certification_keys()
    wrong_password = add_account(store, sandbox.url, {**qoo10.SECRETS, "password": "wrong"},
                                 name="Qoo10 two")
    with pytest.raises(ChannelAuthError, match="would not make a seller authorization key "
                                               r"\(-10001: Please check the user id and"):
        connector(wrong_password).test_connection()


def test_tracking_write_back_offline_then_online_exactly_once(store, account, sandbox):
    sync_account(store, connector(account))
    number = first_with_status(sandbox, 2)
    order_id = store.orders.id_for(account.id, number)
    scenarios.write_back_offline_then_online(store, sandbox, account, order_id,
                                             partial(connector, account), qoo10.account_settings)
    assert sandbox.shipments == [{"OrderNo": number, "ShippingCorp": "EMS",
                                  "TrackingNo": scenarios.TRACKING}]
    assert sandbox.rows[number]["shippingStatus"] == "On delivery(4)"


def test_write_back_is_not_doubled_when_the_app_died_after_sending(store, account, sandbox):
    sync_account(store, connector(account))
    number = first_with_status(sandbox, 3)
    scenarios.sent_before_the_app_died(store, store.orders.id_for(account.id, number),
                                       connector(account), "CJ대한통운", "569012345678")
    assert sandbox.shipments == [{"OrderNo": number, "ShippingCorp": "CJ大韓通運",
                                  "TrackingNo": "569012345678"}]


def test_refusals_name_the_number_the_carrier_and_qoo10s_reason(account, sandbox):
    conn = connector(account)
    shipped = first_with_status(sandbox, 4)
    with pytest.raises(ChannelRejected, match="already has tracking number EE"):
        conn.mark_shipped(ShipmentNotice(shipped, "EMS", "EE999999995KR", datetime.now(UTC)))
    waiting = first_with_status(sandbox, 2)
    with pytest.raises(ChannelRejected, match="no delivery company for the carrier “Pigeon”"):
        conn.mark_shipped(ShipmentNotice(waiting, "Pigeon", "P1", datetime.now(UTC)))
    held = next(no for no, c in sandbox.claims.items() if c[-1]["claimStatus"] == "1")
    with pytest.raises(ChannelRejected, match=r"-10004: The order status is not valid"):
        conn.mark_shipped(ShipmentNotice(held, "EMS", "EE999999995KR", datetime.now(UTC)))
    assert sandbox.shipments == []


def test_a_return_weeks_after_delivery_opens_one_rma_then_takes_its_refund(store, account,
                                                                           sandbox):
    sync_account(store, connector(account))
    number = first_with_status(sandbox, 5)
    sandbox.open_claim(number, 4, "サイズが合わない")  # its own dates are long out of the window
    report = sync_account(store, connector(account), now=soon())
    order = local(store, account, number)
    (rma,) = store.returns.for_order(order.id)
    assert (rma.kind, rma.status, rma.reason) == (ReturnKind.RETURN, ReturnStatus.REQUESTED,
                                                  ReturnReason.WRONG_SIZE)
    assert rma.platform_ref.startswith(f"return-{number}-") and report.claims == 1
    assert order.status is OrderStatus.DELIVERED
    assert sync_account(store, connector(account), now=soon()).claims == 0
    sandbox.advance_claim(number, 6)  # returned: Qoo10 refunds the buyer
    sync_account(store, connector(account), now=soon())
    (rma,) = store.returns.for_order(order.id)
    assert [r.amount for r in rma.refunds] == [local(store, account, number).paid_total]
    assert local(store, account, number).status is OrderStatus.REFUNDED
    assert sync_account(store, connector(account), now=soon()).claims == 0
    assert len(store.returns.for_order(order.id)) == 1


def test_a_cancel_request_holds_the_order_then_cancels_it_once(store, account, sandbox):
    sync_account(store, connector(account))
    number = first_with_status(sandbox, 2)
    sandbox.open_claim(number, 1, "注文内容を変更したい")
    sync_account(store, connector(account), now=soon())
    assert local(store, account, number).status is OrderStatus.ON_HOLD
    sandbox.advance_claim(number, 3)  # cancelled: Qoo10 stops listing the order
    report = sync_account(store, connector(account), now=soon())
    order = local(store, account, number)
    assert order.status is OrderStatus.CANCELLED and report.claims == 1
    asked = sandbox.claims[number][-1]["requestDate"]  # "2026-11-20 18:30:05"
    ref = f"cancel-{number}-{asked[:4]}{asked[5:7]}{asked[8:10]}{asked[11:13]}{asked[14:16]}" \
          f"{asked[17:19]}"
    assert store.returns.platform_cancellations([order.id]) == {order.id: {ref}}
    again = sync_account(store, connector(account), now=soon())
    assert again.claims == 0 and again.changed == 0


def test_singapore_orders_in_sgd_and_singapore_time(store):
    with qoo10.Qoo10Sandbox(30, site="SG") as server:
        settings = {"api_base": qoo10.service_url(server.url, "SG"), "site": "SG",
                    "history_days": "200"}
        account = channels.add_account(store, Platform.QOO10, "Qoo10 SG", settings, qoo10.SECRETS)
        assert sync_account(store, connector(account)).created == 30
        number = sorted(server.rows)[0]
        row = server.rows[number]
    order = local(store, account, number)
    assert order.currency == "SGD" and order.ship_to.country_code == "SG"
    assert order.lines[0].unit_price.to_decimal() == Decimal(str(row["orderPrice"]))
    assert order.ordered_at == datetime.strptime(row["orderDate"], "%Y-%m-%d %H:%M:%S").replace(
        tzinfo=UTC) - timedelta(hours=8)


def test_the_account_dialog_takes_qoo10_without_the_optional_login(qtbot):
    from fulfill.ui.account_dialog import AccountDialog

    dialog = AccountDialog()
    qtbot.addWidget(dialog)
    dialog.platform.setCurrentIndex(dialog.platform.findData("qoo10"))
    dialog.name.setText("Qoo10 JP")
    dialog.fields["site"].setText("JP")
    assert dialog.fields["password"].placeholderText() == "Optional"
    dialog._accept_if_complete()
    assert dialog.error.isVisibleTo(dialog) and "API key" in dialog.error.text()
    dialog.fields["api_key"].setText("key-from-qoo10")
    dialog.fields["certification_key"].setText("sak-123")
    dialog._accept_if_complete()  # login ID and password left empty: accepted
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.secrets() == {"api_key": "key-from-qoo10", "certification_key": "sak-123"}
