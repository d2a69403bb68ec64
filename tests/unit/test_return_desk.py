"""What the Returns screen lists, counts and charts, and a returned parcel scanned at the
bench, on a real demo store with RMAs made through the returns service."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fulfill.domain import Money
from fulfill.domain.returns import (
    InspectionOutcome, RefundMethod, ReturnKind, ReturnReason, ReturnStatus,
)
from fulfill.services import return_desk, returns
from fulfill.services.return_desk import ReturnFilter
from fulfill.services.return_scans import scan_returned_parcel
from fulfill.storage import Store
from tests.conftest import FIXED_NOW, fresh_copy, seeded_demo_file

NOW = FIXED_NOW


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    return seeded_demo_file(tmp_path_factory, "return-desk", now=NOW)


@pytest.fixture
def shop(seeded, tmp_path):
    with Store.open(fresh_copy(seeded, tmp_path)) as store:
        yield store


def delivered(store, n: int) -> list[int]:
    return [row[0] for row in store.db.execute(
        "SELECT id FROM orders WHERE status = 'delivered' ORDER BY id LIMIT ?", [n])]


def open_on(store, order_id, reason=ReturnReason.DAMAGED, kind=ReturnKind.RETURN, days_ago=0):
    line = store.orders.get(order_id).lines[0]
    return returns.open_rma(store, order_id, kind=kind, reason=reason, lines={line.sku: 1},
                            now=NOW - timedelta(days=days_ago))


def test_filters_and_queues(shop):
    a, b, c, d = delivered(shop, 4)
    late = open_on(shop, a, days_ago=30)
    returns.approve(shop, late.id, now=NOW - timedelta(days=20))
    fresh = open_on(shop, b, ReturnReason.WRONG_SIZE, days_ago=2)
    inspect_me = open_on(shop, c, days_ago=5)
    returns.approve(shop, inspect_me.id, now=NOW)
    returns.receive(shop, inspect_me.id, return_tracking="rr1", now=NOW)
    refused = open_on(shop, d, ReturnReason.CHANGED_MIND, days_ago=1)
    returns.reject(shop, refused.id, note="used", now=NOW)

    every = return_desk.list_returns(shop, now=NOW)
    assert [row.rma_id for row in every][0] == late.id and every[0].overdue
    assert {row.rma_id for row in every} == {late.id, fresh.id, inspect_me.id, refused.id}
    open_rows = return_desk.list_returns(shop, ReturnFilter(open_only=True), now=NOW)
    assert refused.id not in {row.rma_id for row in open_rows}
    by_reason = return_desk.list_returns(shop, ReturnFilter(reason=ReturnReason.WRONG_SIZE),
                                         now=NOW)
    assert [row.rma_id for row in by_reason] == [fresh.id]
    old = return_desk.list_returns(shop, ReturnFilter(min_days_open=10), now=NOW)
    assert [row.rma_id for row in old] == [late.id]
    country = shop.orders.get(b).ship_to.country_code
    assert all(row.country == country for row in return_desk.list_returns(
        shop, ReturnFilter(country=country), now=NOW))
    found = return_desk.list_returns(shop, ReturnFilter(text=fresh.code.lower()), now=NOW)
    assert [row.rma_id for row in found] == [fresh.id]
    assert [row.rma_id for row in return_desk.list_returns(
        shop, ReturnFilter(text="RR1"), now=NOW)] == [inspect_me.id]
    assert return_desk.queue_counts(shop, NOW) == {
        "open": 3, "overdue": 1, "inspection": 1, "requested": 1}


def test_return_rates_measure_what_came_back_against_what_shipped(shop):
    a, b, c = delivered(shop, 3)
    first = open_on(shop, a, ReturnReason.DAMAGED)
    open_on(shop, b, ReturnReason.WRONG_SIZE)
    rejected = open_on(shop, c, ReturnReason.WRONG_SIZE)
    returns.reject(shop, rejected.id, note="outside the terms", now=NOW)
    shipped_orders = shop.db.execute(
        "SELECT COUNT(*) FROM orders WHERE status IN ('shipped', 'delivered',"
        " 'partially_refunded', 'refunded')").fetchone()[0]

    reasons = {row.key: row for row in return_desk.return_rates(shop, "reason")}
    assert set(reasons) == {"damaged", "wrong_size"}  # the rejected one is not counted
    assert reasons["wrong_size"].returned == 1 and reasons["damaged"].shipped == shipped_orders

    sku = first.lines[0].sku
    pieces = shop.db.execute(
        "SELECT SUM(l.quantity) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE"
        " l.sku = ? AND o.status IN ('shipped', 'delivered', 'partially_refunded', 'refunded')",
        [sku]).fetchone()[0]
    product = next(row for row in return_desk.return_rates(shop, "product") if row.key == sku)
    assert product.shipped == pieces and product.returned >= 1
    assert product.label == shop.products.get(sku).title

    countries = return_desk.return_rates(shop, "country")
    assert sum(row.returned for row in countries) == 2
    assert all(0 < row.rate <= 1 for row in countries)
    assert return_desk.return_rates(shop, "reason", since=NOW + timedelta(days=1)) == []
    with pytest.raises(ValueError):
        return_desk.return_rates(shop, "colour")


def test_a_replacement_is_not_a_sale_that_could_come_back(shop):
    (order_id,) = delivered(shop, 1)
    rma = open_on(shop, order_id, ReturnReason.WRONG_ITEM, kind=ReturnKind.EXCHANGE)
    returns.approve(shop, rma.id, now=NOW)
    before = return_desk.return_rates(shop, "reason")[0].shipped
    rma = returns.exchange(shop, rma.id, now=NOW)
    shop.db.execute("UPDATE orders SET status = 'shipped' WHERE id = ?",
                    [rma.replacement_order_id])
    assert return_desk.return_rates(shop, "reason")[0].shipped == before


def test_the_suggested_refund_is_the_pieces_kept_at_their_price_within_what_is_left(shop):
    (order_id,) = delivered(shop, 1)
    rma = open_on(shop, order_id)
    price = rma.lines[0].unit_price
    assert return_desk.suggested_refund(rma, Money(10**9, rma.currency)) == price
    assert return_desk.suggested_refund(rma, Money(1, rma.currency)) == Money(1, rma.currency)
    returns.approve(shop, rma.id, now=NOW)
    returns.receive(shop, rma.id, now=NOW)
    rma = returns.inspect(shop, rma.id, {rma.lines[0].sku: InspectionOutcome.MISSING}, now=NOW)
    assert return_desk.suggested_refund(rma, Money(10**9, rma.currency)).minor == 0
    detail = return_desk.rma_detail(shop, rma.id)
    assert detail.order.id == order_id and detail.replacement is None
    assert detail.refundable == shop.orders.get(order_id).grand_total
    assert [entry.action for entry in detail.history] == ["opened", "approve", "receive", "inspect"]


def test_a_scanned_return_slip_or_return_tracking_receives_the_parcel_once(shop):
    a, b, c = delivered(shop, 3)
    by_slip = open_on(shop, a)
    returns.approve(shop, by_slip.id, now=NOW)
    scan = scan_returned_parcel(shop, f" {by_slip.code.lower()}\n", actor="Bench 1", now=NOW)
    assert scan.received and scan.rma.status is ReturnStatus.RECEIVED
    assert scan.order_number == shop.orders.get(a).order_number
    again = scan_returned_parcel(shop, by_slip.code, actor="Bench 1", now=NOW)
    assert not again.received and "already received" in again.headline

    by_tracking = open_on(shop, b)
    returns.approve(shop, by_tracking.id, now=NOW)
    returns.mark_awaiting_parcel(shop, by_tracking.id, return_tracking="RR987654321KR", now=NOW)
    scan = scan_returned_parcel(shop, "rr987654321kr", actor="Bench 1", now=NOW)
    assert scan.received and scan.rma.id == by_tracking.id

    asked = open_on(shop, c)
    scan = scan_returned_parcel(shop, asked.code, actor="Bench 1", now=NOW)
    assert not scan.received and "cannot be received" in scan.headline
    assert "approved or rejected" in scan.detail
    assert returns.get(shop, asked.id).status is ReturnStatus.REQUESTED
    assert scan_returned_parcel(shop, "RM999999", actor="Bench 1") is None
    assert scan_returned_parcel(shop, "8801234567890", actor="Bench 1") is None


def test_refunds_add_up_on_the_listed_row(shop):
    (order_id,) = delivered(shop, 1)
    rma = open_on(shop, order_id, kind=ReturnKind.REFUND_ONLY)
    returns.approve(shop, rma.id, now=NOW)
    returns.refund(shop, rma.id, Money(150, rma.currency), method=RefundMethod.PLATFORM, now=NOW)
    returns.refund(shop, rma.id, Money(50, rma.currency), method=RefundMethod.PLATFORM, now=NOW)
    (row,) = return_desk.list_returns(shop, now=NOW)
    assert row.refunded == Money(200, rma.currency) and row.items == 1
