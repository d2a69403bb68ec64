"""Etsy: mapper on receipts built from the spec, client and sync against the sandbox."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from urllib.parse import parse_qs, urlsplit

import pytest

from fulfill.channels.credentials import load_secrets, save_secrets
from fulfill.channels.etsy.client import EtsyConnector, authorize_url, carrier_name
from fulfill.channels.etsy.mapper import STATUSES, etsy_money, map_order, refunded_total
from fulfill.channels.http import ChannelHttp
from fulfill.channels.oauth import pkce_challenge, pkce_pair
from fulfill.domain import ChannelAccount, Money, OrderStatus, Platform
from fulfill.errors import ChannelAuthError, ChannelUnavailable
from fulfill.sandboxes import etsy
from fulfill.services.progress import CancelToken, Cancelled
from fulfill.services.sync import sync_account
from tests.channels import scenarios
from tests.channels.conftest import shared_fixture
from tests.channels.scenarios import soon
from tests.factories import chinese_address
from tests.factories import order as factory_order


# --- the spec --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def spec():
    return json.loads(shared_fixture("etsy", "openapi.json").read_text())


def _schema(spec, schema):
    """Resolve $ref and single allOf wrappers."""
    while True:
        if "$ref" in schema:
            schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        elif "allOf" in schema and len(schema["allOf"]) == 1:
            schema = schema["allOf"][0]
        else:
            return schema


_TYPES = {"integer": (int, Decimal), "number": (int, float, Decimal), "string": str,
          "boolean": bool, "array": list, "object": dict}


def conforms(spec, value, schema, where="receipt"):
    """Every key is a property of the schema and every value has the schema's type."""
    schema = _schema(spec, schema)
    if value is None:
        assert schema.get("nullable"), f"{where} is null; the spec does not allow it"
        return
    kind = schema.get("type", "object" if "properties" in schema else None)
    if kind:
        assert isinstance(value, _TYPES[kind]), f"{where}: {value!r} is not {kind}"
        assert not (kind in ("integer", "number") and isinstance(value, bool)), where
    if kind == "object" and "properties" in schema:
        unknown = set(value) - set(schema["properties"])
        assert not unknown, f"{where}: {unknown} not in the spec"
        for key, item in value.items():
            conforms(spec, item, schema["properties"][key], f"{where}.{key}")
    if kind == "array":
        for n, item in enumerate(value):
            conforms(spec, item, schema["items"], f"{where}[{n}]")


def usd(amount):
    return {"amount": amount, "divisor": 100, "currency_code": "USD"}


def spec_receipt():
    """A ShopReceipt written from the spec's schema (Etsy publishes no example payloads)."""
    return {
        "receipt_id": 1234567890, "receipt_type": 0, "seller_user_id": 11111111,
        "seller_email": "studio@example.com", "buyer_user_id": 22222222, "buyer_email": None,
        "name": "Jane Miller", "first_line": "1600 Amphitheatre Pkwy", "second_line": "Apt 4",
        "city": "Mountain View", "state": "CA", "zip": "94043", "status": "paid",
        "formatted_address": "Jane Miller\n1600 Amphitheatre Pkwy\nApt 4\nMountain View, CA 94043",
        "country_iso": "US", "payment_method": "cc", "payment_email": None,
        "message_from_seller": None, "message_from_buyer": "Please gift wrap",
        "message_from_payment": None, "is_paid": True, "is_shipped": False,
        "create_timestamp": 1763200000, "created_timestamp": 1763200000,
        "update_timestamp": 1763203600, "updated_timestamp": 1763203600,
        "is_gift": True, "gift_message": "Happy birthday!", "gift_sender": "Tom",
        "grandtotal": usd(5847), "subtotal": usd(4500), "total_price": usd(5000),
        "total_shipping_cost": usd(995), "total_tax_cost": usd(352), "total_vat_cost": usd(0),
        "discount_amt": usd(500), "gift_wrap_price": usd(0),
        "shipments": [],
        "transactions": [{
            "transaction_id": 3333333301, "title": "Hanbok hair ribbon", "description": "Silk",
            "seller_user_id": 11111111, "buyer_user_id": 22222222,
            "create_timestamp": 1763200000, "created_timestamp": 1763200000,
            "paid_timestamp": 1763200100, "shipped_timestamp": None, "quantity": 2,
            "listing_image_id": 555, "receipt_id": 1234567890, "is_digital": False,
            "file_data": "", "listing_id": 987654321, "transaction_type": "listing",
            "product_id": 444, "sku": "HB-RIB-RED", "price": usd(2500),
            "shipping_cost": usd(995),
            "variations": [{"property_id": 200, "value_id": 1, "formatted_name": "Color",
                            "formatted_value": "Red"}],
            "product_data": [], "shipping_profile_id": 77, "min_processing_days": 1,
            "max_processing_days": 3, "shipping_method": "Standard", "shipping_upgrade": None,
            "expected_ship_date": 1763459200, "buyer_coupon": Decimal("0"),
            "shop_coupon": Decimal("5.00"),
        }],
        "refunds": [],
    }


def test_spec_receipt_and_sandbox_receipts_have_the_schemas_keys_and_types(spec):
    schema = spec["components"]["schemas"]["ShopReceipt"]
    conforms(spec, spec_receipt(), schema)
    assert set(spec_receipt()) == set(schema["properties"])
    with etsy.EtsySandbox(40) as sandbox:
        for receipt in sandbox.receipts.values():
            assert set(receipt) == set(schema["properties"])
            conforms(spec, json.loads(json.dumps(receipt), parse_float=Decimal), schema)
    transaction = _schema(spec, spec["components"]["schemas"]["ShopReceiptTransaction"])
    assert set(receipt["transactions"][0]) <= set(transaction["properties"])


def test_status_table_covers_every_status_in_the_spec(spec):
    enum = spec["components"]["schemas"]["ShopReceipt"]["properties"]["status"]["enum"]
    assert set(STATUSES) == set(enum)


def test_list_and_tracking_paths_are_the_specs(spec):
    receipts = spec["paths"]["/v3/application/shops/{shop_id}/receipts"]["get"]
    names = {p["name"] for p in receipts["parameters"]}
    assert {"min_last_modified", "max_last_modified", "limit", "offset", "sort_on"} <= names
    limit = next(p for p in receipts["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 100
    tracking = spec["paths"]["/v3/application/shops/{shop_id}/receipts/{receipt_id}/tracking"]
    form = tracking["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
    assert {"tracking_code", "carrier_name"} <= set(form["schema"]["properties"])


# --- mapper ----------------------------------------------------------------------------
def test_mapper_reads_a_spec_receipt_exactly():
    order = map_order(spec_receipt(), account_id=1)
    assert order.platform_order_id == order.order_number == "1234567890"
    assert order.status is OrderStatus.AWAITING_SHIPMENT
    assert order.paid_total == Money(5847, "USD") and order.shipping == Money(995, "USD")
    assert order.tax == Money(352, "USD") and order.discount == Money(500, "USD")
    (line,) = order.lines
    assert line.unit_price == Money(2500, "USD") and line.quantity == 2
    assert line.title == "Hanbok hair ribbon (Color: Red)" and line.platform_line_id == "3333333301"
    assert order.ordered_at == datetime.fromtimestamp(1763200000, UTC)
    assert order.updated_at == datetime.fromtimestamp(1763203600, UTC)
    assert order.ship_to.typed.line2 == "Apt 4" and order.ship_to.postal_code == "94043"
    assert order.ship_to.phone == "" and order.buyer_email == ""
    assert order.note == "Please gift wrap\nGift message: Happy birthday!"
    assert order.raw == spec_receipt()


def test_money_is_amount_over_divisor_exactly():
    def amount(value, divisor, currency):
        money = {"amount": value, "divisor": divisor, "currency_code": currency}
        return etsy_money(money, currency)

    assert amount(1999, 100, "EUR") == Money(1999, "EUR")
    assert amount(2500, 1, "JPY") == Money(2500, "JPY")
    assert amount(12340, 1000, "USD") == Money(1234, "USD")
    with pytest.raises(ValueError, match="not an exact amount"):
        etsy_money({"amount": 100, "divisor": 3, "currency_code": "USD"}, "USD")
    with pytest.raises(ValueError, match="decimal place"):
        etsy_money({"amount": 1999, "divisor": 100, "currency_code": "JPY"}, "JPY")
    with pytest.raises(ValueError, match="not a whole number"):
        etsy_money({"amount": 19.99, "divisor": 100, "currency_code": "USD"}, "USD")
    with pytest.raises(ValueError, match="on a USD receipt"):
        etsy_money({"amount": 1, "divisor": 100, "currency_code": "EUR"}, "USD")


def test_cjk_address_is_kept_as_typed():
    payload = etsy.render(factory_order(1, "#9", address=chinese_address(), currency="CNY"), 9)
    order = map_order(payload, 1)
    assert order.ship_to.typed.name == "王芳" and order.ship_to.typed.city == "北京市"
    assert order.ship_to.typed.line1 == "朝阳区建国路88号" and order.ship_to.country_code == "CN"
    assert order.ship_to.needs_latin_form and order.paid_total == Money(6900, "CNY")


def test_refunds_and_cancellation():
    partial = spec_receipt() | {"status": "partially refunded",
                                "refunds": [{"amount": usd(1000), "created_timestamp": 1763300000,
                                             "reason": "Damaged", "note_from_issuer": None,
                                             "status": "REFUND"}]}
    assert map_order(partial, 1).status is OrderStatus.PARTIALLY_REFUNDED
    assert refunded_total(partial) == Money(1000, "USD")
    # a refund Etsy has not yet reflected in the status still shows as partial
    assert map_order(partial | {"status": "completed"}, 1).status is OrderStatus.PARTIALLY_REFUNDED
    def status(**fields):
        return map_order(spec_receipt() | fields, 1).status

    assert status(status="fully refunded") is OrderStatus.REFUNDED
    assert status(status="canceled") is OrderStatus.CANCELLED
    assert status(status="Payment Processing") is OrderStatus.AWAITING_PAYMENT
    assert status(is_shipped=True) is OrderStatus.SHIPPED


def test_missing_optional_fields():
    payload = spec_receipt()
    for key in ("second_line", "state", "zip", "message_from_buyer", "total_tax_cost",
                "total_vat_cost", "discount_amt", "created_timestamp", "updated_timestamp",
                "refunds", "shipments"):
        payload.pop(key)
    payload["is_gift"] = False
    payload["transactions"][0].update(sku=None, title=None, variations=[])
    order = map_order(payload, 1)
    assert order.ordered_at == datetime.fromtimestamp(1763200000, UTC)  # the create_ twin
    assert order.tax == Money(0, "USD") and order.note == ""
    assert order.lines[0].sku == "etsy-listing-987654321"
    assert order.lines[0].title == "Etsy listing 987654321"
    assert order.ship_to.typed.line2 == "" and order.ship_to.postal_code == ""
    with pytest.raises(ValueError, match="address withheld"):
        map_order(spec_receipt() | {"country_iso": None}, 1)


# --- OAuth helpers ---------------------------------------------------------------------
def test_pkce_matches_rfc_7636_and_authorize_url():
    # RFC 7636 appendix B's verifier (a variant with "-mJ92K0zYCz2..." circulates; it is not it)
    assert (pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
            == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    verifier, challenge = pkce_pair()
    assert 43 <= len(verifier) <= 128 and pkce_challenge(verifier) == challenge
    assert pkce_pair()[0] != verifier
    url = authorize_url("key123", "http://127.0.0.1:8765/callback", "st8", challenge,
                        ["transactions_r", "transactions_w"])
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://www.etsy.com/oauth/connect"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {"response_type": "code", "client_id": "key123",
                     "redirect_uri": "http://127.0.0.1:8765/callback",
                     "scope": "transactions_r transactions_w", "state": "st8",
                     "code_challenge": challenge, "code_challenge_method": "S256"}
    assert "scope=transactions_r%20transactions_w" in url


# --- against the sandbox ---------------------------------------------------------------
@pytest.fixture
def sandbox():
    with etsy.EtsySandbox(250) as server:
        yield server


@pytest.fixture
def account(store, sandbox):
    acc = store.accounts.add(ChannelAccount(Platform.ETSY, "Etsy (sandbox)",
                                            etsy.account_settings(sandbox.url)))
    save_secrets(acc.id, dict(etsy.SECRETS))
    return acc


def connector(account, *, seen=None, **http_options):
    http = ChannelHttp(account.settings["api_base"], "Etsy", sleep=lambda s: None, **http_options)
    conn = EtsyConnector(account, load_secrets(account.id), http=http)

    def saved(secrets):
        save_secrets(account.id, secrets)
        if seen is not None:
            seen.append(dict(secrets))

    conn.on_secrets_changed = saved
    return conn


def test_first_sync_reads_every_page_then_resync_writes_no_orders(store, account, sandbox):
    conn = connector(account)
    report = sync_account(store, conn)
    assert report.created == 250 and report.pages == 3 and report.problems == 0
    assert store.orders.count() == 250 and conn.remaining_today == etsy.PER_DAY - 3
    scenarios.resync_writes_nothing(store, connector(account))


def test_changed_order_is_updated_and_audited(store, account, sandbox):
    sync_account(store, connector(account))
    receipt_id = next(i for i, r in sorted(sandbox.receipts.items())
                      if r["status"] == "paid" and not r["refunds"])
    sandbox.change(receipt_id, status="canceled")
    new_ids = sandbox.add_orders(2, seed=99)
    report = sync_account(store, connector(account), now=soon())
    local = scenarios.one_change_and_two_new_orders(store, account, report, str(receipt_id),
                                                    [str(i) for i in new_ids])
    assert store.orders.history(local)[-1].action == "status"  # nothing recorded after it


def test_etsy_429_with_retry_after_then_success(store, account, sandbox):
    sandbox.throttle_next()
    conn = connector(account)
    assert sync_account(store, conn).created == 250
    assert conn.http.stats.throttled == 1 and conn.http.stats.waited_s == 1.0  # retry-after: 1


def test_server_side_rate_limit_is_respected(store):
    with etsy.EtsySandbox(250, rate=2) as limited:
        acc = store.accounts.add(ChannelAccount(Platform.ETSY, "limited",
                                                etsy.account_settings(limited.url)))
        save_secrets(acc.id, dict(etsy.SECRETS))
        http = ChannelHttp(limited.url, "Etsy", sleep=time.sleep)  # real waits: ~1 s
        conn = EtsyConnector(acc, load_secrets(acc.id), http=http)
        scenarios.server_throttling_is_waited_out(store, limited, conn, 250)


def test_spent_daily_quota_stops_the_run_without_waiting(store, account, sandbox):
    sandbox.daily_limit = 1
    conn = connector(account)
    with pytest.raises(ChannelUnavailable, match="daily allowance"):
        sync_account(store, conn)
    assert conn.http.stats.waited_s == 0 and store.orders.count() == 100
    sandbox.daily_limit = etsy.PER_DAY
    report = sync_account(store, connector(account))
    assert report.resumed and store.orders.count() == 250


def test_server_errors_and_timeouts_are_retried(store, account, sandbox):
    scenarios.faults_are_retried(store, sandbox, partial(connector, account), errors=2,
                                 stalls=1)


def test_malformed_json_stops_the_run_and_the_next_run_resumes(store, account, sandbox):
    sync = connector(account)
    scenarios.garbled_page_stops_then_resumes(store, account, sandbox, sync,
                                              connector(account))


def test_killed_sync_resumes_without_loss_or_duplicates(store, account, sandbox):
    state = scenarios.killed_mid_sync(store, account, connector(account), "100 orders read")
    assert store.orders.count() == 100
    hundredth = sorted(r["updated_timestamp"] for r in sandbox.receipts.values())[99]
    assert state.run_cursor.startswith(f"{hundredth}:")  # the last receipt read
    report = scenarios.resumed_to_the_end(store, account, connector(account))
    assert report.pages == 2 and report.created == 150


def test_receipts_changing_mid_run_do_not_hide_unread_ones(store, account, sandbox):
    """With a plain offset, receipts leaving the window would shift unread ones past it."""
    cancel = CancelToken()
    first_page = sorted(sandbox.receipts.values(), key=lambda r: (r["updated_timestamp"],
                                                                  r["receipt_id"]))[:100]

    def meddle(fraction, message):
        if "100 orders read" in message:
            for receipt in first_page[:30]:  # the seller works through the oldest ones
                sandbox.change(receipt["receipt_id"], status="completed", is_shipped=True)
            cancel.cancel()

    with pytest.raises(Cancelled):
        sync_account(store, connector(account), progress=meddle, cancel=cancel)
    sync_account(store, connector(account))
    assert store.orders.count() == 250


def test_one_bad_order_is_a_problem_and_the_rest_import(store, account, sandbox):
    bad_id = sorted(sandbox.receipts)[5]
    sandbox.receipts[bad_id]["status"] = "mystery"
    scenarios.one_bad_order_is_a_problem(store, account, connector(account), str(bad_id),
                                         "ValueError: unknown Etsy status 'mystery'")
    sandbox.change(bad_id, status="paid")
    scenarios.problem_clears_once_fixed(store, account, connector(account), soon())


@pytest.mark.parametrize("wrong", [{"api_key": "not-our-key"}, {"shared_secret": ""},
                                   {"access_token": "123.wrong", "refresh_token": ""}])
def test_wrong_credentials_say_what_to_do(store, account, sandbox, wrong):
    save_secrets(account.id, {**etsy.SECRETS, **wrong})
    with pytest.raises(ChannelAuthError, match="refused the account's credentials") as info:
        sync_account(store, connector(account))
    assert "reconnect the account" in info.value.advice
    assert sandbox.refreshes == 0


def test_expired_token_is_refreshed_and_the_rotated_pair_is_saved(store, account, sandbox):
    sandbox.expire_access_tokens()
    seen = []
    conn = connector(account, seen=seen)
    assert sync_account(store, conn).created == 250
    assert sandbox.refreshes == 1 and len(seen) == 1
    saved = load_secrets(account.id)
    assert saved == seen[0] and saved["refresh_token"] != etsy.REFRESH_TOKEN
    assert saved["refresh_token"] in sandbox.refresh_tokens
    assert etsy.REFRESH_TOKEN not in sandbox.refresh_tokens  # rotated: the old one is dead
    assert int(saved["expires_at"]) > time.time() + 3000
    # A later connector starts from the keychain, with the new token: no refresh needed.
    assert sync_account(store, connector(account)).created == 0 and sandbox.refreshes == 1


def test_token_due_to_expire_is_refreshed_before_the_first_call(store, account, sandbox):
    save_secrets(account.id, {**etsy.SECRETS, "expires_at": str(int(time.time()) - 5)})
    conn = connector(account)
    assert sync_account(store, conn).created == 250
    assert sandbox.refreshes == 1 and conn.http.stats.requests == 4  # token + 3 pages


def test_a_used_refresh_token_asks_the_seller_to_reconnect(store, account, sandbox):
    sandbox.expire_access_tokens()
    sync_account(store, connector(account))  # rotates the refresh token
    sandbox.expire_access_tokens()
    save_secrets(account.id, dict(etsy.SECRETS))  # an old copy of the secrets
    with pytest.raises(ChannelAuthError, match="no longer accepts") as info:
        sync_account(store, connector(account))
    assert "connect the Etsy account again" in info.value.advice


def _awaiting(sandbox):
    return next(i for i, r in sorted(sandbox.receipts.items())
                if r["status"] == "paid" and not r["refunds"])


def test_tracking_write_back_offline_then_online_exactly_once(store, account, sandbox):
    sync_account(store, connector(account))
    receipt_id = _awaiting(sandbox)
    local = store.orders.id_for(account.id, str(receipt_id))
    scenarios.write_back_offline_then_online(store, sandbox, account, local,
                                             partial(connector, account), etsy.account_settings)
    assert sandbox.tracking_posts == [{"receipt_id": receipt_id, "tracking_code": "EE123456785KR",
                                       "carrier_name": "korea-post"}]
    receipt = sandbox.receipts[receipt_id]
    assert receipt["status"] == "completed" and receipt["is_shipped"]
    assert [s["tracking_code"] for s in receipt["shipments"]] == ["EE123456785KR"]


def test_write_back_is_not_doubled_when_the_app_died_after_sending(store, account, sandbox):
    sync_account(store, connector(account))
    receipt_id = _awaiting(sandbox)
    local = store.orders.id_for(account.id, str(receipt_id))
    scenarios.sent_before_the_app_died(store, local, connector(account), "CJ대한통운",
                                       "640012345678")
    assert len(sandbox.tracking_posts) == 1
    assert sandbox.tracking_posts[0]["carrier_name"] == "cj-logistics"


def test_carrier_names():
    assert carrier_name(" EMS ") == "korea-post" and carrier_name("DHL") == "dhl"
    assert carrier_name("Some local courier") == "other"
