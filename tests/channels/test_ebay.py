"""eBay: mapper on payloads built from the published OpenAPI spec, client and sync against
the sandbox (OAuth refresh, offset paging, shipping fulfillments)."""

from __future__ import annotations

import copy
import json
import time
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from fulfill.channels.base import ShipmentNotice, ShippedLine, SyncWindow
from fulfill.channels.credentials import load_secrets, save_secrets
from fulfill.channels.ebay import mapper
from fulfill.channels.ebay.client import EbayConnector, ebay_time
from fulfill.channels.ebay.mapper import map_order
from fulfill.channels.http import ChannelHttp
from fulfill.domain import ChannelAccount, Money, OrderStatus, Platform
from fulfill.errors import ChannelAuthError
from fulfill.sandboxes import ebay as sb
from fulfill.services.sync import sync_account
from tests.channels import scenarios
from tests.channels.conftest import shared_fixture
from tests.channels.scenarios import soon
from tests.factories import chinese_address
from tests.factories import order as factory_order


# --- the spec, and payloads built from it -----------------------------------------------------

@pytest.fixture(scope="module")
def schemas():
    spec = json.loads(shared_fixture("ebay", "openapi.json").read_text())
    return spec["components"]["schemas"]


_TYPES = {"string": str, "integer": int, "boolean": bool, "number": (int, float)}


def check_keys(value, schema, schemas, path="$"):
    """Every key of `value` is a property the spec declares there, with the declared type."""
    if "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
    if isinstance(value, dict):
        properties = schema.get("properties")
        assert properties is not None, f"{path}: the spec has no object here"
        for key, item in value.items():
            assert key in properties, f"{path}.{key} is not a property in the spec"
            check_keys(item, properties[key], schemas, f"{path}.{key}")
    elif isinstance(value, list):
        assert schema.get("type") == "array", f"{path}: the spec has no array here"
        for index, item in enumerate(value):
            check_keys(item, schema.get("items", {}), schemas, f"{path}[{index}]")
    elif schema.get("type") in _TYPES:
        expected = _TYPES[schema["type"]]
        assert isinstance(value, expected) and not (expected is int and isinstance(value, bool)), \
            f"{path}: {value!r} is not {schema['type']}"


def usd(value):
    return {"value": value, "currency": "USD"}


# A complete Order as the spec describes it (the spec ships no example payloads).
SPEC_ORDER = {
    "orderId": "03-11843-27715", "salesRecordReference": "2231", "sellerId": "seoulglow_kpop",
    "creationDate": "2026-11-18T07:41:12.358Z", "lastModifiedDate": "2026-11-18T09:02:51.004Z",
    "orderFulfillmentStatus": "NOT_STARTED", "orderPaymentStatus": "PAID",
    "buyer": {"username": "k.hartley_88",
              "taxAddress": {"city": "Portland", "stateOrProvince": "OR", "postalCode": "97209",
                             "countryCode": "US"}},
    "buyerCheckoutNotes": "Please ship before Friday, it's a gift!",
    "cancelStatus": {"cancelState": "NONE_REQUESTED", "cancelRequests": []},
    "pricingSummary": {
        "priceSubtotal": usd("52.97"), "deliveryCost": usd("12.5"), "deliveryDiscount": usd("-2.5"),
        "priceDiscount": usd("-5.3"), "tax": usd("4.11"), "total": usd("61.78")},
    "paymentSummary": {
        "payments": [{"paymentMethod": "EBAY", "paymentReferenceId": "7YU02951TJ6837148",
                      "paymentDate": "2026-11-18T07:41:15.000Z", "amount": usd("61.78"),
                      "paymentStatus": "PAID"}],
        "refunds": [], "totalDueSeller": usd("50.66")},
    "fulfillmentStartInstructions": [{
        "fulfillmentInstructionsType": "SHIP_TO", "ebaySupportedFulfillment": False,
        "minEstimatedDeliveryDate": "2026-11-26T08:00:00.000Z",
        "maxEstimatedDeliveryDate": "2026-12-04T08:00:00.000Z",
        "shippingStep": {
            "shippingCarrierCode": "KoreaPost", "shippingServiceCode": "StandardInternational",
            "shipTo": {"fullName": "Kate Hartley", "companyName": "Hartley Studio",
                       "contactAddress": {"addressLine1": "1120 NW Couch St",
                                          "addressLine2": "Suite 400",
                                          "city": "Portland", "stateOrProvince": "OR",
                                          "postalCode": "97209", "countryCode": "US"},
                       "primaryPhone": {"phoneNumber": "5035550187"},
                       "email": "0a1b2c3d4e5f6a7b8c9d@members.ebay.com"}}}],
    "fulfillmentHrefs": [],
    "lineItems": [
        {"lineItemId": "10071234567801", "legacyItemId": "266012345678", "sku": "KP-LS-NJ-01",
         "title": "NewJeans Official Light Stick", "quantity": 1, "lineItemCost": usd("38.99"),
         "discountedLineItemCost": usd("33.69"), "total": usd("33.69"),
         "appliedPromotions": [{"promotionId": "5123", "description": "10% off",
                                "discountAmount": usd("5.3")}],
         "deliveryCost": {"shippingCost": usd("12.5")}, "taxes": [],
         "ebayCollectAndRemitTaxes": [{"taxType": "STATE_SALES_TAX", "amount": usd("4.11"),
                                       "collectionMethod": "NET"}],
         "soldFormat": "FIXED_PRICE", "listingMarketplaceId": "EBAY_US",
         "purchaseMarketplaceId": "EBAY_US", "lineItemFulfillmentStatus": "NOT_STARTED",
         "itemLocation": {"location": "Seoul", "countryCode": "KR", "postalCode": "04524"},
         "properties": {"buyerProtection": True, "soldViaAdCampaign": False},
         "lineItemFulfillmentInstructions": {"shipByDate": "2026-11-21T14:59:59.000Z",
                                             "guaranteedDelivery": False},
         "refunds": []},
        {"lineItemId": "10071234567802", "legacyItemId": "266012345679",
         "title": "Photocard sleeves",
         "quantity": 2, "lineItemCost": usd("13.98"), "total": usd("13.98"),
         "lineItemFulfillmentStatus": "NOT_STARTED", "refunds": []},
    ],
    "ebayCollectAndRemitTax": True, "totalFeeBasisAmount": usd("61.78"),
    "totalMarketplaceFee": usd("8.19"),
}


def test_spec_built_order_is_valid_and_maps_exactly(schemas):
    check_keys(SPEC_ORDER, {"$ref": "Order"}, schemas)
    order = map_order(copy.deepcopy(SPEC_ORDER), account_id=1)
    assert order.platform_order_id == order.order_number == "03-11843-27715"
    assert order.status is OrderStatus.AWAITING_SHIPMENT
    assert order.ordered_at == datetime(2026, 11, 18, 7, 41, 12, 358000, tzinfo=UTC)
    assert order.updated_at.tzinfo is UTC
    assert order.paid_total == Money(6178, "USD") and order.shipping == Money(1250, "USD")
    assert order.discount == Money(780, "USD") and order.tax == Money(411, "USD")
    assert [(ln.sku, ln.quantity, ln.unit_price) for ln in order.lines] == [
        ("KP-LS-NJ-01", 1, Money(3899, "USD")), ("ebay-item-266012345679", 2, Money(699, "USD"))]
    assert order.lines[0].platform_line_id == "10071234567801"
    typed = order.ship_to.typed
    assert (typed.name, typed.company, typed.line1, typed.line2, typed.city, typed.region) == (
        "Kate Hartley", "Hartley Studio", "1120 NW Couch St", "Suite 400", "Portland", "OR")
    assert order.ship_to.country_code == "US" and order.ship_to.postal_code == "97209"
    assert order.buyer_email.endswith("@members.ebay.com")
    assert order.note.startswith("Please ship") and order.raw == SPEC_ORDER


def _open_order(sandbox):
    """A paid order nobody asked to cancel and nothing has shipped of."""
    return next(i for i, o in sorted(sandbox.orders.items())
                if o["orderPaymentStatus"] == "PAID"
                and o["orderFulfillmentStatus"] == "NOT_STARTED"
                and o["cancelStatus"]["cancelState"] == "NONE_REQUESTED")


def test_sandbox_payloads_use_only_the_specs_names(schemas):
    with sb.EbaySandbox(60) as sandbox:
        account = ChannelAccount(Platform.EBAY, "t", sb.account_settings(sandbox.url), id=1)
        conn = EbayConnector(account, dict(sb.SECRETS))
        page = conn._call("GET", "order?limit=200").json()
        check_keys(page, {"$ref": "OrderSearchPagedCollection"}, schemas)
        for payload in sandbox.orders.values():
            check_keys(payload, {"$ref": "Order"}, schemas)
        order_id = _open_order(sandbox)
        conn.mark_shipped(ShipmentNotice(order_id, "EMS", "EE123456785KR", datetime.now(UTC)))
        check_keys({k: v for k, v in sandbox.write_backs[0].items() if k != "orderId"},
                   {"$ref": "ShippingFulfillmentDetails"}, schemas)
        done = conn._call("GET", f"order/{order_id}/shipping_fulfillment").json()
        check_keys(done, {"$ref": "ShippingFulfillmentPagedCollection"}, schemas)
        check_keys(conn._call("GET", f"order/{order_id}").json(), {"$ref": "Order"}, schemas)


# --- mapper edge cases ------------------------------------------------------------------------

def _payload(status=OrderStatus.AWAITING_SHIPMENT, **kwargs):
    return sb.render(factory_order(1, "#1", status=status, **kwargs), "01-00001-00001", 1)


def test_every_ebay_status_combination_has_a_status():
    for payment in mapper.PAYMENT_STATES:
        for fulfilment in mapper.FULFILLMENT_STATES:
            for cancel in mapper.CANCEL_STATES:
                payload = {"orderPaymentStatus": payment, "orderFulfillmentStatus": fulfilment,
                           "cancelStatus": {"cancelState": cancel}}
                assert isinstance(mapper.status_of(payload), OrderStatus)
    for status in OrderStatus:  # the sandbox's rendering of each round-trips
        expected = OrderStatus.SHIPPED if status is OrderStatus.DELIVERED else status
        assert map_order(_payload(status), 1).status is expected


def test_cancellation_and_cancel_request():
    payload = _payload()
    payload["cancelStatus"] = {"cancelState": "IN_PROGRESS", "cancelRequests": []}
    assert map_order(payload, 1).status is OrderStatus.ON_HOLD  # buyer asked: do not ship
    payload.update(orderPaymentStatus="FULLY_REFUNDED", cancelStatus={
        "cancelState": "CANCELED", "cancelledDate": "2026-11-19T01:00:00.000Z"})
    assert map_order(payload, 1).status is OrderStatus.CANCELLED


def test_partial_refund_and_cjk_address():
    payload = _payload(OrderStatus.PARTIALLY_REFUNDED, address=chinese_address())
    order = map_order(payload, 1)
    assert order.status is OrderStatus.PARTIALLY_REFUNDED
    assert mapper.refunded_total(payload) == Money(2450, "USD")
    assert order.ship_to.typed.name == "王芳"
    assert order.ship_to.typed.line1 == "朝阳区建国路88号"
    assert order.ship_to.typed.city == "北京市" and order.ship_to.country_code == "CN"
    assert order.ship_to.needs_latin_form  # eBay gives only what the buyer typed


def test_missing_optional_fields_and_pii_past_90_days():
    payload = _payload()
    payload["creationDate"] = ebay_time(datetime.now(UTC) - timedelta(days=120))
    old = sb.redacted(payload, datetime.now(UTC))
    for key in ("tax", "deliveryCost", "priceDiscount"):
        old["pricingSummary"].pop(key, None)
    for key in ("salesRecordReference", "lastModifiedDate", "buyerCheckoutNotes"):
        old.pop(key, None)
    old["lineItems"][0].pop("sku")
    order = map_order(old, 1)
    assert order.ship_to.typed.name == "" and order.ship_to.typed.line1 == ""
    assert order.ship_to.phone == "" and order.buyer_email == ""
    assert order.ship_to.typed.city == "Berlin" and order.ship_to.country_code == "DE"
    assert order.buyer_name == "buyer_00001"  # the eBay user id stands in for the name
    assert order.shipping == Money(0, "USD") and order.updated_at is None
    assert order.lines[0].sku.startswith("ebay-item-")
    old["fulfillmentStartInstructions"] = []  # no ship-to at all: the tax address's country
    assert map_order(old, 1).ship_to.country_code == "DE"


def test_money_is_exact_and_unknown_states_are_refused():
    payload = _payload()
    payload["pricingSummary"]["total"] = {"value": "41.8", "currency": "USD"}
    assert map_order(payload, 1).paid_total == Money(4180, "USD")
    payload["pricingSummary"]["total"]["value"] = "41.805"
    with pytest.raises(ValueError):
        map_order(payload, 1)
    payload = _payload()
    payload["orderPaymentStatus"] = "MYSTERY"
    with pytest.raises(ValueError, match="unknown eBay orderPaymentStatus 'MYSTERY'"):
        map_order(payload, 1)


def test_filter_is_percent_encoded_with_millisecond_utc_times():
    account = ChannelAccount(Platform.EBAY, "t", {}, id=1)
    conn = EbayConnector(account, dict(sb.SECRETS))
    assert conn.http.base_url == "https://api.ebay.com/sell/fulfillment/v1"
    since = datetime(2026, 11, 1, 9, 0, 0, 511000, tzinfo=UTC)
    path = conn._orders_path(SyncWindow(since, since + timedelta(hours=1)), 400)
    assert path == ("order?filter=lastmodifieddate:%5B2026-11-01T09:00:00.511Z.."
                    "2026-11-01T10:00:00.511Z%5D&limit=200&offset=400&fieldGroups=TAX_BREAKDOWN")
    conn.close()


# --- against the sandbox ----------------------------------------------------------------------

@pytest.fixture
def sandbox():
    with sb.EbaySandbox(250) as server:
        yield server


@pytest.fixture
def account(store, sandbox):
    acc = store.accounts.add(ChannelAccount(Platform.EBAY, "seoulglow_kpop",
                                            sb.account_settings(sandbox.url)))
    save_secrets(acc.id, dict(sb.SECRETS))
    return acc


def connector(account, secrets=None, **http_options):
    """As fulfill.services.channels builds it: rotated tokens go back to the keychain."""
    http = ChannelHttp(f"{account.settings['api_base']}/sell/fulfillment/v1", "eBay",
                       sleep=lambda s: None, **http_options)
    conn = EbayConnector(account, secrets or load_secrets(account.id), http=http)
    conn.on_secrets_changed = lambda changed: save_secrets(account.id, changed)
    return conn


def test_first_sync_reads_every_page_then_resync_writes_no_orders(store, account, sandbox):
    report = sync_account(store, connector(account))
    assert report.created == 250 and report.pages == 2 and report.problems == 0
    assert store.orders.count() == 250
    assert sandbox.token_requests == 1 and load_secrets(account.id)["access_token"]
    scenarios.resync_writes_nothing(store, connector(account))
    assert sandbox.token_requests == 1  # the saved token is still good


def test_changed_order_is_updated_and_audited(store, account, sandbox):
    sync_account(store, connector(account))
    order_id = _open_order(sandbox)
    sandbox.change(order_id, orderPaymentStatus="FULLY_REFUNDED",
                   cancelStatus={"cancelState": "CANCELED", "cancelRequests": [],
                                 "cancelledDate": ebay_time(datetime.now(UTC))})
    new_ids = sandbox.add_orders(2, seed=99)
    report = sync_account(store, connector(account), now=soon())
    scenarios.one_change_and_two_new_orders(store, account, report, order_id, new_ids)


def test_offsets_that_move_mid_run_restart_the_paging(store, account, sandbox):
    conn = connector(account)
    window = SyncWindow(None, datetime.now(UTC) - timedelta(seconds=5))
    pages = conn.fetch(window)
    first = next(pages)
    # An order on page 1 changes now: it leaves the window, every offset after it moves.
    sandbox.change(first.orders[0].platform_order_id, buyerCheckoutNotes="changed")
    rest = list(pages)
    seen = {o.platform_order_id for page in [first, *rest] for o in page.orders}
    assert len(seen) == 250  # nothing skipped (a plain offset walk would miss one)
    assert rest[-1].resume_cursor is None


def test_ebay_throttle_then_success(store, account, sandbox):
    sandbox.throttle_next(2)
    conn = connector(account)
    report = sync_account(store, conn)
    assert report.created == 250
    assert conn.http.stats.throttled == 2 and conn.quota_reached


def test_server_side_rate_limit_is_waited_out(store, account):
    with sb.EbaySandbox(450, rate=2) as limited:
        account.settings.update(sb.account_settings(limited.url))
        conn = connector(account, backoff_s=0.05)
        conn.http.sleep = time.sleep  # real waits, short ones
        scenarios.server_throttling_is_waited_out(store, limited, conn, 450)


def test_server_errors_are_retried(store, account, sandbox):
    scenarios.faults_are_retried(store, sandbox, partial(connector, account), errors=2)


def test_timeout_then_success(store, account, sandbox):
    scenarios.faults_are_retried(store, sandbox, partial(connector, account), stalls=1)


def test_malformed_json_stops_the_run_and_the_next_run_resumes(store, account, sandbox):
    connector(account).test_connection()  # a token in hand: the garbled reply is a page
    scenarios.garbled_page_stops_then_resumes(store, account, sandbox, connector(account),
                                              connector(account))


def test_killed_sync_resumes_without_loss_or_duplicates(store, account, sandbox):
    state = scenarios.killed_mid_sync(store, account, connector(account), "200 orders read")
    assert store.orders.count() == 200 and state.run_cursor == "200:250"  # offset:total
    report = scenarios.resumed_to_the_end(store, account, connector(account))
    assert report.pages == 1 and report.created == 50


def test_one_bad_order_is_a_problem_and_the_rest_import(store, account, sandbox):
    bad_id = sorted(sandbox.orders)[5]
    sandbox.orders[bad_id]["orderFulfillmentStatus"] = "MYSTERY"
    scenarios.one_bad_order_is_a_problem(
        store, account, connector(account), bad_id,
        "ValueError: unknown eBay orderFulfillmentStatus 'MYSTERY'")
    sandbox.change(bad_id, orderFulfillmentStatus="FULFILLED")
    scenarios.problem_clears_once_fixed(store, account, connector(account), soon())


@pytest.mark.parametrize("secret, value", [("client_secret", "SBX-wrong"),
                                           ("refresh_token", "v^1.1#revoked")])
def test_wrong_credentials_say_what_to_do(store, account, sandbox, secret, value):
    save_secrets(account.id, {**sb.SECRETS, secret: value})
    with pytest.raises(ChannelAuthError, match="eBay refused") as info:
        sync_account(store, connector(account))
    assert "reconnect" in info.value.advice or "re-enter" in info.value.advice


def test_bad_access_token_without_refresh_rights_is_an_auth_error(store, account, sandbox):
    secrets = {**sb.SECRETS, "access_token": "v^1.1#forged", "expires_at": "2099-01-01T00:00:00Z",
               "client_secret": "SBX-wrong"}
    with pytest.raises(ChannelAuthError):
        sync_account(store, connector(account, secrets))


def test_expired_token_is_refreshed_and_saved(store, account, sandbox):
    stale = {**sb.SECRETS, "access_token": "v^1.1#old", "expires_at": "2020-01-01T00:00:00Z"}
    save_secrets(account.id, stale)
    rotated = []
    conn = connector(account)
    conn.on_secrets_changed = rotated.append
    sync_account(store, conn)
    assert sandbox.token_requests == 1  # before the first call, not after a 401
    assert rotated and rotated[-1]["access_token"] in sandbox.tokens
    assert rotated[-1]["refresh_token"] == sb.REFRESH_TOKEN
    expires = datetime.fromisoformat(rotated[-1]["expires_at"].replace("Z", "+00:00"))
    assert timedelta(hours=1, minutes=55) < expires - datetime.now(UTC) <= timedelta(hours=2)


def test_token_revoked_mid_sync_is_refreshed_and_the_call_retried(store, account, sandbox):
    conn = connector(account)
    rotated = []
    conn.on_secrets_changed = rotated.append
    window = SyncWindow(None, datetime.now(UTC) - timedelta(seconds=5))
    pages = conn.fetch(window)
    next(pages)
    sandbox.expire_tokens()  # eBay answers 401 errorId 1001 from here on
    assert len(next(pages).orders) == 50
    assert sandbox.token_requests == 2 and len(rotated) == 2
    assert rotated[-1]["access_token"] in sandbox.tokens


# --- write-back -------------------------------------------------------------------------------

def test_tracking_write_back_offline_then_online_exactly_once(store, account, sandbox):
    sync_account(store, connector(account))
    platform_id = _open_order(sandbox)
    local = store.orders.id_for(account.id, platform_id)
    scenarios.write_back_offline_then_online(store, sandbox, account, local,
                                             partial(connector, account), sb.account_settings)
    (sent,) = sandbox.write_backs
    items = sandbox.orders[platform_id]["lineItems"]
    assert sent["trackingNumber"] == "EE123456785KR" and sent["shippingCarrierCode"] == "KoreaPost"
    assert sent["lineItems"] == [{"lineItemId": i["lineItemId"], "quantity": i["quantity"]}
                                 for i in items]
    assert sent["shippedDate"].endswith("Z")
    assert sandbox.orders[platform_id]["orderFulfillmentStatus"] == "FULFILLED"
    assert len(sandbox.orders[platform_id]["fulfillmentHrefs"]) == 1


def test_write_back_is_not_doubled_when_the_app_died_after_sending(store, account, sandbox):
    sync_account(store, connector(account))
    platform_id = _open_order(sandbox)
    local = store.orders.id_for(account.id, platform_id)
    scenarios.sent_before_the_app_died(store, local, connector(account), "DHL", "1234567890")
    assert len(sandbox.write_backs) == 1 and len(sandbox.fulfillments[platform_id]) == 1


def test_one_package_of_a_split_order(store, account, sandbox):
    platform_id = next(i for i, o in sandbox.orders.items() if len(o["lineItems"]) > 1
                       and o["orderFulfillmentStatus"] == "NOT_STARTED"
                       and o["cancelStatus"]["cancelState"] == "NONE_REQUESTED")
    first = sandbox.orders[platform_id]["lineItems"][0]
    conn = connector(account)
    conn.mark_shipped(ShipmentNotice(platform_id, "K-Packet", "LX123456789KR", datetime.now(UTC),
                                     (ShippedLine(first["lineItemId"], first["quantity"]),)))
    assert sandbox.orders[platform_id]["orderFulfillmentStatus"] == "IN_PROGRESS"
    assert map_order(sandbox.orders[platform_id], 1).status is OrderStatus.AWAITING_SHIPMENT
    conn.mark_shipped(ShipmentNotice(platform_id, "EMS", "EE000000015KR", datetime.now(UTC)))
    second = sandbox.write_backs[-1]["lineItems"]
    assert first["lineItemId"] not in {ln["lineItemId"] for ln in second}  # only what was left
    assert sandbox.orders[platform_id]["orderFulfillmentStatus"] == "FULFILLED"
