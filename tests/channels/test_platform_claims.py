"""Refunds, cancellations and return requests the platforms report: each mapper on real and
own payloads, each connector against its loopback sandbox, merged into RMAs without duplicates
however many times a sync reads them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from fulfill.channels.amazon import mapper as amazon_mapper
from fulfill.channels.credentials import load_secrets, save_secrets
from fulfill.channels.ebay import mapper as ebay_mapper
from fulfill.channels.etsy import mapper as etsy_mapper
from fulfill.channels.http import ChannelHttp
from fulfill.channels.registry import KINDS
from fulfill.channels.shopee import mapper as shopee_mapper
from fulfill.channels.shopify import mapper as shopify_mapper
from fulfill.channels.woocommerce import mapper as woo_mapper
from fulfill.domain import ChannelAccount, Money, OrderStatus, Platform
from fulfill.domain.returns import (
    ClaimKind, PlatformClaim, RefundMethod, ReturnKind, ReturnReason, ReturnStatus,
    reason_from_text,
)
from fulfill.errors import StoreError
from fulfill.services import channels, returns
from fulfill.services.platform_claims import apply_claims
from fulfill.services.returns import ReturnRefused
from fulfill.services.sync import SyncReport, sync_account
from fulfill.storage.returns import PLATFORM_CANCELLATION
from fulfill.storage.sync_state import SyncRepository
from tests.channels import scenarios
from tests.channels.conftest import shared_fixture
from tests.channels.scenarios import audit_rows, soon
from tests.factories import order as factory_order

OWN_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "claims"


def own_fixture(name: str, **options: Any) -> Any:
    return json.loads((OWN_FIXTURES / name).read_text(), **options)


def usd(text: str) -> Money:
    return Money.parse(text, "USD")


# --- mappers: the platforms' own payloads ---------------------------------------------------

def test_shopify_rest_refund_from_the_documented_order():
    payload = json.loads(shared_fixture("shopify", "rest_2024-10_order_get.json").read_text())
    (refund,) = shopify_mapper.rest_claims(payload["order"])
    assert refund.kind is ClaimKind.REFUND and refund.ref == "gid://shopify/Refund/509562969"
    assert refund.amount == usd("209.00")  # the successful refund transaction
    assert refund.lines == (("IPOD2008BLACK", 1), ("IPOD2008GREEN", 1))
    assert refund.reason is ReturnReason.DAMAGED and refund.note == "it broke during shipping"
    assert refund.at == datetime(2024, 10, 2, 13, 59, 11, tzinfo=UTC)


def test_amazon_cancellation_from_the_documented_order_and_items():
    order = json.loads(shared_fixture("amazon", "getOrder_sandbox_TEST_CASE_200.json")
                       .read_text())["payload"]
    items = json.loads(shared_fixture("amazon", "getOrderItems_sandbox_TEST_CASE_200.json")
                       .read_text())["payload"]["OrderItems"]
    assert amazon_mapper.claims({**order, "OrderItems": items}) == []  # Unshipped
    (cancel,) = amazon_mapper.claims({**order, "OrderStatus": "Canceled", "OrderItems": items})
    assert cancel.kind is ClaimKind.CANCELLATION and cancel.amount is None
    assert cancel.note == "buyer: Found cheaper somewhere else."


def test_documented_woocommerce_and_shopee_orders_report_nothing_back():
    woo = json.loads(shared_fixture("woocommerce", "v3_order_retrieve.json").read_text())
    assert woo_mapper.claims(woo) == []
    text = shared_fixture("shopee", "get_order_detail_doc_example.json").read_text()
    detail = json.loads(text, parse_float=Decimal)["response"]["order_list"][0]
    assert shopee_mapper.claims(detail) == []


# --- mappers: own payloads -------------------------------------------------------------------

def test_woocommerce_refunds_listed_on_the_order():
    payload = own_fixture("woocommerce_order_refunded_twice.json")
    assert woo_mapper.map_order(payload, 1).status is OrderStatus.PARTIALLY_REFUNDED
    first, second = woo_mapper.claims(payload)
    assert (first.ref, first.amount, first.reason) == ("7318", usd("24.50"), ReturnReason.DAMAGED)
    assert (second.ref, second.amount, second.lines) == ("7325", usd("8.00"), ())
    assert first.at is None  # the order's list of refunds has no dates


def test_etsy_refunds_of_one_second_share_a_reference():
    payload = own_fixture("etsy_receipt_refunds.json")
    same_second, later = etsy_mapper.claims(payload)
    assert same_second.ref == "refund@1762335000" and same_second.amount == usd("20.00")
    assert same_second.reason is ReturnReason.NOT_AS_DESCRIBED
    assert same_second.note == "Item not as described; postage back"
    assert later.amount == usd("5.00") and later.at == datetime.fromtimestamp(1762421400, UTC)
    assert etsy_mapper.claims({**payload, "refunds": []}) == []


def test_ebay_refunds_line_refunds_and_cancellation():
    cancelled = own_fixture("ebay_order_cancelled_and_refunded.json")
    refund, cancel = ebay_mapper.claims(cancelled)
    assert (refund.ref, refund.amount, refund.lines) == ("5000000042", usd("69"), ())  # not FAILED
    assert cancel.kind is ClaimKind.CANCELLATION and cancel.ref == "5000123456"
    assert cancel.note == "Buyer: ORDERED_BY_MISTAKE"
    assert cancel.reason is ReturnReason.CHANGED_MIND
    (line_refund,) = ebay_mapper.claims(own_fixture("ebay_order_line_refund.json"))
    assert line_refund.lines == (("SG-CUSH-21N", 1),)  # 24.50 pays for one cushion of two


def test_shopee_returns_paid_requested_and_cancelled():
    fixture = own_fixture("shopee_order_with_returns.json", parse_float=Decimal)
    order = shopee_mapper.map_order(fixture["order"], 1, fixture["returns"])
    request, refund = shopee_mapper.claims(order.raw)  # the cancelled return gave nothing
    assert request.kind is ClaimKind.RETURN_REQUEST and request.ref == "2611050AAAA01"
    assert request.lines == (("SG-CUSH-21N", 1),) and request.reason is ReturnReason.DAMAGED
    assert refund.kind is ClaimKind.REFUND and refund.amount == Money.parse("12", "TWD")
    assert refund.lines == (("SG-MASK-10", 1),) and refund.reason is ReturnReason.CHANGED_MIND
    cancelled = {**fixture["order"], "order_status": "CANCELLED", "cancel_by": "buyer",
                 "buyer_cancel_reason": "Need to change delivery address"}
    (cancel,) = shopee_mapper.claims(cancelled, [])
    assert cancel.note == "buyer: Need to change delivery address"


def test_shopify_graphql_refunds_returns_and_cancellation():
    payload = own_fixture("shopify_graphql_order_claims.json")
    first, second, request = shopify_mapper.claims(payload)
    assert first.amount == usd("24.50") and first.lines == (("SG-CUSH-21N", 1),)
    assert first.reason is ReturnReason.WRONG_SIZE
    assert second.amount == usd("8.00") and second.lines == ()
    assert request.kind is ClaimKind.RETURN_REQUEST and request.note == "Too tight"
    assert request.reason is ReturnReason.WRONG_SIZE  # the declined return is left out
    cancelled = {**payload, "refunds": [], "returns": {"nodes": []},
                 "cancelledAt": "2026-11-06T00:00:00Z", "cancelReason": "INVENTORY"}
    (cancel,) = shopify_mapper.claims(cancelled)
    assert cancel.kind is ClaimKind.CANCELLATION and cancel.note == "inventory"


def test_reasons_from_platform_words():
    assert reason_from_text("Arrived damaged") is ReturnReason.DAMAGED
    assert reason_from_text("SIZE_TOO_SMALL") is ReturnReason.WRONG_SIZE
    assert reason_from_text("NOT_RECEIPT") is ReturnReason.NEVER_ARRIVED
    assert reason_from_text("단순 변심") is ReturnReason.CHANGED_MIND
    assert reason_from_text(None) is ReturnReason.OTHER
    with pytest.raises(ValueError, match="reference"):
        PlatformClaim(" ", ClaimKind.REFUND, usd("1.00"))
    merged = PlatformClaim("r1", ClaimKind.REFUND, usd("1.00"), (("A", 1), ("B", 2), ("A", 1)))
    assert merged.lines == (("A", 2), ("B", 2))


# --- against the sandboxes -------------------------------------------------------------------

ROOMY = {"bucket": 1e9, "restore_rate": 1e9}  # a Shopify shop that never throttles


@dataclass
class Shop:
    """One platform's sandbox and account, and the seller's actions on the platform's side."""

    platform: Platform
    sandbox: Any
    account: ChannelAccount

    @property
    def names_items(self) -> bool:
        """Whether the platform says which items a refund was for."""
        return self.platform in (Platform.SHOPIFY, Platform.SHOPEE, Platform.EBAY)

    def connector(self):
        settings = self.account.settings
        base = {Platform.WOOCOMMERCE: f"{settings.get('site_url')}/wp-json",
                Platform.EBAY: f"{settings.get('api_base')}/sell/fulfillment/v1"}.get(
            self.platform, settings.get("api_base"))
        http = ChannelHttp(base, self.platform.value, sleep=lambda s: None)
        conn = KINDS[self.platform].connector_class()(self.account, load_secrets(self.account.id),
                                                      http=http)
        conn.on_secrets_changed = lambda secrets: save_secrets(self.account.id, secrets)
        return conn

    def sync(self, store) -> SyncReport:
        """A sync after the platform's latest change has settled."""
        if self.platform is Platform.AMAZON:
            return sync_account(store, self.connector(), now=self.sandbox.advance(130))
        return sync_account(store, self.connector(), now=soon())

    def shipped_order(self) -> Any:
        """The sandbox's key of a shipped order with nothing refunded or returned."""
        sb = self.sandbox
        if self.platform is Platform.WOOCOMMERCE:
            return next(k for k, o in sorted(sb.orders.items())
                        if o["status"] == "completed" and not o["refunds"])
        if self.platform is Platform.SHOPIFY:
            return next(k for k, o in sorted(sb.orders.items())
                        if o["displayFulfillmentStatus"] == "FULFILLED"
                        and o["displayFinancialStatus"] == "PAID")
        if self.platform is Platform.ETSY:
            return next(k for k, o in sorted(sb.receipts.items())
                        if o["status"] == "completed" and not o["refunds"])
        if self.platform is Platform.EBAY:
            return next(k for k, o in sorted(sb.orders.items())
                        if o["orderFulfillmentStatus"] == "FULFILLED"
                        and o["orderPaymentStatus"] == "PAID")
        returned = {r["order_sn"] for r in sb.returns}
        return next(k for k, o in sorted(sb.orders.items())
                    if o["order_status"] in ("SHIPPED", "COMPLETED") and k not in returned)

    def order_id(self, store, key: Any) -> int:
        platform_id = (f"gid://shopify/Order/{key}" if self.platform is Platform.SHOPIFY
                       else str(key))
        found = store.orders.id_for(self.account.id, platform_id)
        assert found is not None
        return found

    def refund(self, key: Any, amount: Money, lines: list[tuple[str, int]] = ()) -> str:
        """The seller refunds on the platform; `lines` where the platform takes them."""
        sb, lines = self.sandbox, list(lines)
        if self.platform is Platform.WOOCOMMERCE:
            return str(sb.refund(key, amount, "Damaged in transit"))
        if self.platform is Platform.SHOPIFY:
            return sb.refund(key, amount, lines, note="Damaged in transit")
        if self.platform is Platform.ETSY:
            sb.refund(key, amount, reason="Damaged in transit")
            return f"refund@{sb.receipts[key]['refunds'][-1]['created_timestamp']}"
        if self.platform is Platform.EBAY:
            line = next((i["lineItemId"] for i in sb.orders[key]["lineItems"]
                         if lines and i["sku"] == lines[0][0]), None)
            return sb.refund(key, amount, line_item_id=line)
        return sb.refund(key, amount, lines, text="Damaged in transit")


@contextmanager
def open_shop(platform: Platform, store, orders: int = 120) -> Iterator[Shop]:
    """The platform's sandbox, running while the `with` lasts, and an account on it."""
    kind = KINDS[platform]
    module = kind.sandbox_module()
    with kind.sandbox_class()(orders, **(ROOMY if platform is Platform.SHOPIFY else {})) as sandbox:
        account = channels.add_account(store, platform, f"{platform.value} (sandbox)",
                                       module.account_settings(sandbox.url), module.SECRETS)
        yield Shop(platform, sandbox, account)


REFUNDING = [Platform.WOOCOMMERCE, Platform.SHOPIFY, Platform.ETSY, Platform.EBAY,
             Platform.SHOPEE]


@pytest.fixture(params=REFUNDING, ids=lambda p: p.value)
def shop(request, store):
    with open_shop(request.param, store) as made:
        yield made


def test_platform_refunds_merge_into_one_rma_without_duplicates(store, shop):
    """Platform refunds from the sandboxes merge into existing RMAs without duplicates."""
    shop.sync(store)
    key = shop.shipped_order()
    order_id = shop.order_id(store, key)
    order = store.orders.get(order_id)
    paid, sku = order.grand_total, order.lines[0].sku
    first, second = Money(paid.minor // 4, paid.currency), Money(paid.minor // 3, paid.currency)
    assert store.returns.for_order(order_id) == []

    ref = shop.refund(key, first, [(sku, 1)])
    assert shop.sync(store).claims == 1
    (rma,) = store.returns.for_order(order_id)
    assert (rma.kind, rma.status, rma.refunded) == (ReturnKind.REFUND_ONLY,
                                                    ReturnStatus.REFUNDED, first)
    assert rma.platform_ref == ref and rma.refunds[0].platform_ref == ref
    assert rma.refunds[0].method is RefundMethod.PLATFORM
    assert [(line.sku, line.quantity) for line in rma.lines] == (
        [(sku, 1)] if shop.names_items else [])
    actions = [entry.action for entry in store.orders.history(order_id)]
    assert actions.count("return opened") == 1 and actions.count("refund") == 1

    audited = audit_rows(store)  # the same refund read again, as every later sync does
    assert shop.sync(store).claims == 0
    (again,) = store.returns.for_order(order_id)
    assert again.id == rma.id and again.refunded == first and audit_rows(store) == audited

    second_ref = shop.refund(key, second)  # no items: a goodwill refund on the same order
    shop.sync(store)
    (merged,) = store.returns.for_order(order_id)
    assert merged.id == rma.id and merged.refunded == first + second
    assert [r.platform_ref for r in merged.refunds] == [ref, second_ref]
    assert returns.refundable(store, order_id) == paid - first - second
    shop.sync(store)
    assert len(store.returns.for_order(order_id)) == 1

    # The platform reports more back than the buyer paid: kept out, said, the sync goes on.
    shop.refund(key, paid)
    report = shop.sync(store)
    assert report.problems == 1
    ((platform_id, message),) = SyncRepository(store.db).problems(shop.account.id)
    assert platform_id == store.orders.get(order_id).platform_order_id
    assert "more than the" in message
    (kept,) = store.returns.for_order(order_id)
    assert kept.refunded == first + second <= paid


def test_a_seller_opened_rma_takes_the_platform_refund(store, shop):
    shop.sync(store)
    key = shop.shipped_order()
    order_id = shop.order_id(store, key)
    line = store.orders.get(order_id).lines[0]
    # The buyer wrote in; the seller opened a return and is waiting for the parcel.
    mine = returns.open_rma(store, order_id, kind=ReturnKind.RETURN, reason=ReturnReason.DAMAGED,
                            lines={line.sku: 1}, actor="mina")
    returns.approve(store, mine.id, actor="mina")
    returns.mark_awaiting_parcel(store, mine.id, return_tracking="RR123456785KR", actor="mina")

    ref = shop.refund(key, line.unit_price, [(line.sku, 1)])  # refunded ahead of the parcel
    shop.sync(store)
    (rma,) = store.returns.for_order(order_id)
    assert rma.id == mine.id and rma.platform_ref == ref and rma.refunded == line.unit_price
    assert rma.status is ReturnStatus.AWAITING_PARCEL  # the parcel is still to be inspected
    actions = [entry.action for entry in store.returns.history(rma.id)]
    assert "platform reference" in actions and actions[-1] == "refund"
    shop.sync(store)
    (again,) = store.returns.for_order(order_id)
    assert again.refunded == line.unit_price and len(again.refunds) == 1

    # The parcel comes: it is received and inspected; nothing more is due, so it closes.
    returns.receive(store, rma.id, actor="mina")
    returns.inspect(store, rma.id, {line.sku: "resellable"}, actor="mina")
    assert returns.close(store, rma.id, actor="mina").status is ReturnStatus.CLOSED


def test_a_refund_typed_in_by_hand_is_not_counted_twice(store):
    with open_shop(Platform.WOOCOMMERCE, store) as shop:
        shop.sync(store)
        key = shop.shipped_order()
        order_id = shop.order_id(store, key)
        paid = store.orders.get(order_id).grand_total
        amount = Money(paid.minor // 2, paid.currency)
        mine = returns.open_rma(store, order_id, kind=ReturnKind.REFUND_ONLY,
                                reason=ReturnReason.CHANGED_MIND, lines={}, actor="mina")
        returns.approve(store, mine.id, actor="mina")
        returns.refund(store, mine.id, amount, method=RefundMethod.PLATFORM, actor="mina")

        ref = shop.refund(key, amount)  # the same money, on the shop's side
        shop.sync(store)
        (rma,) = store.returns.for_order(order_id)
        assert rma.id == mine.id and rma.refunded == amount and len(rma.refunds) == 1
        assert rma.refunds[0].platform_ref == ref and rma.platform_ref == ref
        assert "refund matched" in [entry.action for entry in store.returns.history(rma.id)]


@pytest.mark.parametrize("platform", [Platform.SHOPIFY, Platform.SHOPEE], ids=lambda p: p.value)
def test_a_return_request_opens_one_requested_rma_then_takes_its_refund(store, platform):
    with open_shop(platform, store) as shop:
        shop.sync(store)
        key = shop.shipped_order()
        order_id = shop.order_id(store, key)
        line = store.orders.get(order_id).lines[0]
        if platform is Platform.SHOPIFY:
            ref = shop.sandbox.request_return(key, [(line.sku, 1)], reason="DEFECTIVE",
                                              note="Case cracked")
        else:
            ref = shop.sandbox.request_return(key, [(line.sku, 1)], reason="ITEM_DAMAGED",
                                              text="Case cracked")
        shop.sync(store)
        (rma,) = store.returns.for_order(order_id)
        assert (rma.kind, rma.status, rma.platform_ref) == (ReturnKind.RETURN,
                                                            ReturnStatus.REQUESTED, ref)
        assert [(item.sku, item.quantity) for item in rma.lines] == [(line.sku, 1)]
        assert rma.reason is ReturnReason.DAMAGED and rma.note == "Case cracked"
        audited = audit_rows(store)
        shop.sync(store)
        assert [r.id for r in store.returns.for_order(order_id)] == [rma.id]
        assert audit_rows(store) == audited

        # The platform pays the buyer back for it: the same RMA, approved, money recorded.
        if platform is Platform.SHOPIFY:
            shop.refund(key, line.unit_price, [(line.sku, 1)])
        else:
            shop.sandbox.pay_return(ref, line.unit_price)
        shop.sync(store)
        (paid,) = store.returns.for_order(order_id)
        assert paid.id == rma.id and paid.status is ReturnStatus.APPROVED
        assert paid.refunded == line.unit_price


def test_an_amazon_cancellation_is_recorded_on_the_order_once(store):
    with open_shop(Platform.AMAZON, store) as shop:
        sync_account(store, shop.connector())

        def cancellations(order_id):
            return [e for e in store.orders.history(order_id)
                    if e.action == PLATFORM_CANCELLATION]

        seeded = [store.orders.id_for(shop.account.id, k) for k, o in shop.sandbox.orders.items()
                  if o["OrderStatus"] == "Canceled"]
        assert seeded and all(len(cancellations(i)) == 1 for i in seeded)
        key = next(k for k, o in sorted(shop.sandbox.orders.items())
                   if o["OrderStatus"] == "Unshipped")
        order_id = shop.order_id(store, key)
        shop.sandbox.change(key, OrderStatus="Canceled")
        shop.sync(store)
        (entry,) = cancellations(order_id)
        assert entry.new_value == "Canceled" and entry.actor == "sync"
        shop.sandbox.change(key, OrderStatus="Canceled")  # read again after another change
        shop.sync(store)
        assert len(cancellations(order_id)) == 1
        assert store.returns.for_order(order_id) == []  # Orders v0 says nothing of money


# --- a sync cut off mid-page -----------------------------------------------------------------

def refunded_ids(sandbox) -> dict[str, int]:
    return {str(k): len(o["refunds"]) for k, o in sandbox.orders.items() if o["refunds"]}


def refunds_per_order(store) -> dict[str, int]:
    """The refunds on each stored order's RMAs, by platform order id, as `refunded_ids`."""
    return dict(store.db.execute(
        "SELECT o.platform_order_id, count(f.id) FROM orders o JOIN rmas r ON r.order_id = o.id"
        " JOIN refunds f ON f.rma_id = r.id GROUP BY o.id").fetchall())


def refund_twice_on_each_page(sandbox) -> None:
    """Two refunds, an hour ago, on a shipped order of each page of 100 (the sandbox's own
    refunded orders are fewer)."""
    keys = sorted(sandbox.orders)
    earlier = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")
    for start in range(0, len(keys), 100):
        key = next(k for k in keys[start:start + 100] if sandbox.orders[k]["status"] == "completed"
                   and not sandbox.orders[k]["refunds"])
        for _ in range(2):
            sandbox.refund(key, Money.parse("1", sandbox.orders[key]["currency"]))
        sandbox.orders[key]["date_modified_gmt"] = earlier


def test_a_sync_killed_mid_page_leaves_no_half_applied_claims(store):
    with open_shop(Platform.WOOCOMMERCE, store, orders=250) as shop:
        refund_twice_on_each_page(shop.sandbox)
        first_page = sorted(shop.sandbox.orders)[:100]
        refunded = refunded_ids(shop.sandbox)
        # The app dies while the second page's refunds are written, after its orders were.
        store.db.execute("CREATE TEMP TRIGGER killed BEFORE INSERT ON main.refunds"
                         " WHEN (SELECT count(*) FROM orders) > 100"
                         " BEGIN SELECT RAISE(ABORT, 'the app was killed'); END")
        with pytest.raises(StoreError):
            sync_account(store, shop.connector())
        assert store.orders.count() == 100  # the first page, whole
        stored = {r[0] for r in store.db.execute("SELECT platform_order_id FROM orders")}
        assert stored == {str(k) for k in first_page}
        with_rmas = {r[0] for r in store.db.execute(
            "SELECT DISTINCT o.platform_order_id FROM rmas r JOIN orders o ON o.id = r.order_id")}
        assert with_rmas == stored & set(refunded)

        store.db.execute("DROP TRIGGER killed")
        report = sync_account(store, shop.connector())
        assert report.resumed and store.orders.count() == 250
        assert refunds_per_order(store) == refunded  # every refund once, none twice


def test_a_sync_cancelled_between_pages_resumes_with_each_refund_once(store):
    with open_shop(Platform.WOOCOMMERCE, store, orders=250) as shop:
        refund_twice_on_each_page(shop.sandbox)
        scenarios.cancel_when(store, shop.connector(), "100 orders read")
        assert store.orders.count() == 100
        sync_account(store, shop.connector())
        sync_account(store, shop.connector())
        assert refunds_per_order(store) == refunded_ids(shop.sandbox)


# --- the rules, on one order -----------------------------------------------------------------

@pytest.fixture
def saved(store):
    """An order of 69.00 USD saved in the store, and its id."""
    account = store.accounts.add(ChannelAccount(Platform.WOOCOMMERCE, "Woo", {}))
    made = factory_order(account.id, "#2001", status=OrderStatus.SHIPPED)
    store.orders.save([made])
    return made.id


def refund(ref: str, amount: str, *lines: tuple[str, int]) -> PlatformClaim:
    return PlatformClaim(ref, ClaimKind.REFUND, usd(amount), tuple(lines))


def test_a_shrinking_platform_total_is_refused_and_nothing_is_written(store, saved):
    apply_claims(store, saved, [refund("r1", "20.00")])
    before = audit_rows(store)
    with pytest.raises(ReturnRefused, match="less than the 20.00"):
        apply_claims(store, saved, [refund("r2", "5.00"), refund("r1", "10.00")])
    (rma,) = store.returns.for_order(saved)
    assert rma.refunded == usd("20.00") and audit_rows(store) == before  # r2 was not kept


def test_a_grown_refund_adds_only_the_difference(store, saved):
    (rma,) = apply_claims(store, saved, [refund("r1", "10.00")])
    (grown,) = apply_claims(store, saved, [refund("r1", "15.00")])
    assert grown.id == rma.id and [r.amount for r in grown.refunds] == [usd("10.00"),
                                                                        usd("5.00")]
    assert apply_claims(store, saved, [refund("r1", "15.00")]) == []


def test_refunds_naming_other_items_open_their_own_rma(store, saved):
    (cushion,) = apply_claims(store, saved, [refund("r1", "24.50", ("SG-CUSH-21N", 1))])
    (mask,) = apply_claims(store, saved, [refund("r2", "12.00", ("SG-MASK-10", 1))])
    assert mask.id != cushion.id and [item.title for item in mask.lines] == ["Sheet mask set"]
    # two open RMAs: a refund naming no items cannot tell which, so it stands alone
    (postage,) = apply_claims(store, saved, [refund("r3", "8.00")])
    assert postage.id not in (cushion.id, mask.id) and postage.lines == []
    assert len(store.returns.for_order(saved)) == 3


def test_a_cancellation_with_money_back_before_shipping(store):
    account = store.accounts.add(ChannelAccount(Platform.SHOPEE, "Shopee", {}))
    made = factory_order(account.id, "#2002", status=OrderStatus.CANCELLED)
    store.orders.save([made])
    claim = PlatformClaim("cancelled", ClaimKind.CANCELLATION, usd("69.00"),
                          note="buyer: Need to change delivery address")
    (rma,) = apply_claims(store, made.id, [claim])
    assert (rma.kind, rma.status, rma.lines) == (ReturnKind.REFUND_ONLY, ReturnStatus.REFUNDED,
                                                 [])
    assert rma.refunded == usd("69.00")
    assert apply_claims(store, made.id, [claim]) == []
    entries = [e for e in store.orders.history(made.id) if e.action == PLATFORM_CANCELLATION]
    assert [(e.new_value, e.note) for e in entries] == [
        ("cancelled", "buyer: Need to change delivery address")]


def test_an_exchange_request_opens_one_exchange_and_a_withdrawal_closes_it(store, saved):
    ask = PlatformClaim("X-77", ClaimKind.EXCHANGE_REQUEST, lines=(("SG-CUSH-21N", 1),),
                        reason=ReturnReason.WRONG_SIZE, note="21N too light, want 23N")
    (rma,) = apply_claims(store, saved, [ask])
    assert (rma.kind, rma.status, rma.platform_ref) == (ReturnKind.EXCHANGE,
                                                        ReturnStatus.REQUESTED, "X-77")
    assert apply_claims(store, saved, [ask]) == []  # read again: nothing new
    withdrawn = PlatformClaim("X-77", ClaimKind.WITHDRAWAL, note="buyer kept the 21N")
    (closed,) = apply_claims(store, saved, [ask, withdrawn])
    assert closed.id == rma.id and closed.status is ReturnStatus.CLOSED
    assert closed.closed_at is not None
    assert apply_claims(store, saved, [ask, withdrawn]) == []
    assert len(store.returns.for_order(saved)) == 1


def test_a_withdrawal_after_the_goods_came_back_leaves_the_rma_to_the_seller(store, saved):
    ask = PlatformClaim("R-5", ClaimKind.RETURN_REQUEST, lines=(("SG-CUSH-21N", 1),))
    (rma,) = apply_claims(store, saved, [ask])
    returns.approve(store, rma.id)
    returns.receive(store, rma.id)
    before = audit_rows(store)
    assert apply_claims(store, saved, [ask, PlatformClaim("R-5", ClaimKind.WITHDRAWAL)]) == []
    assert store.returns.get(rma.id).status is ReturnStatus.RECEIVED
    assert audit_rows(store) == before


@pytest.mark.parametrize("text, reason", [
    ("商品が破損していました", ReturnReason.DAMAGED), ("サイズが合わない", ReturnReason.WRONG_SIZE),
    ("注文間違いです", ReturnReason.CHANGED_MIND), ("違う商品が届いた", ReturnReason.WRONG_ITEM),
    ("商品與描述不符", ReturnReason.NOT_AS_DESCRIBED), ("一直没收到货", ReturnReason.NEVER_ARRIVED),
    ("包裹寄錯了", ReturnReason.WRONG_ITEM), ("不想要了", ReturnReason.CHANGED_MIND),
])
def test_reasons_in_japanese_and_chinese(text, reason):
    assert reason_from_text(text) is reason
