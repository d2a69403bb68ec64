"""Returns and exchanges on a real demo store: every step the table allows and refuses,
quantities and refund totals at their limits, replacements that print as replacements,
restocking, the queues, platform refunds recorded once, and the frozen v5 store."""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from fulfill.domain import AddressText, ItemCategory, Money, OrderStatus
from fulfill.domain.returns import (
    TRANSITIONS, InspectionOutcome, PostagePaidBy, RefundMethod, ReturnKind, ReturnReason,
    ReturnStatus, ReturnStep, next_steps, rma_code, rma_id_from_scan,
)
from fulfill.domain.tracking import order_scan_code
from fulfill.services import pack_actions, packing, papers, returns
from fulfill.services.parcels import build_parcel
from fulfill.services.returns import ReturnRefused
from fulfill.storage import Store
from tests.conftest import FIXED_NOW, fresh_copy, seeded_demo_file
from tests.documents import pdf_tools

NOW = FIXED_NOW
R, K, S, A = ReturnReason, ReturnKind, ReturnStatus, ReturnStep
FROZEN_V5 = Path(__file__).resolve().parent.parent / "fixtures" / "store_schema_v5.sqlite"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    return seeded_demo_file(tmp_path_factory, "returns", now=NOW)


@pytest.fixture
def shop(seeded, tmp_path):
    """A fresh copy of the demo store per test."""
    with Store.open(fresh_copy(seeded, tmp_path)) as store:
        yield store


def shipped_order(store, *, pieces: int = 1, status: str = "delivered") -> int:
    """A shipped demo order with no RMA yet and a line of at least `pieces` pieces."""
    for (order_id,) in store.db.execute(
            "SELECT id FROM orders WHERE status = ? AND id NOT IN (SELECT order_id FROM rmas)"
            " ORDER BY id", [status]):
        if any(line.quantity >= pieces for line in store.orders.get(order_id).lines):
            return order_id
    raise AssertionError(f"the demo store has no {status} order with {pieces} pieces on a line")


def big_line(store, order_id: int):
    return max(store.orders.get(order_id).lines, key=lambda line: line.quantity)


def open_one(store, kind=K.RETURN, order_id=None, **kwargs):
    order_id = order_id or shipped_order(store)
    line = store.orders.get(order_id).lines[0]
    kwargs.setdefault("reason", R.DAMAGED)
    return returns.open_rma(store, order_id, kind=kind, lines={line.sku: 1}, actor="mina",
                            now=NOW, **kwargs)


# --- every step, allowed and refused ---------------------------------------------------------

def take(store, rma, step: ReturnStep):
    """Apply one step with arguments that are valid for it."""
    order = store.orders.get(rma.order_id)
    kwargs = {"actor": "mina", "note": f"{step.value} by test", "now": NOW}
    if step is A.APPROVE:
        return returns.approve(store, rma.id, **kwargs)
    if step is A.REJECT:
        return returns.reject(store, rma.id, **kwargs)
    if step is A.AWAIT_PARCEL:
        return returns.mark_awaiting_parcel(store, rma.id, return_tracking="RR123456785KR",
                                            **kwargs)
    if step is A.RECEIVE:
        return returns.receive(store, rma.id, **kwargs)
    if step is A.INSPECT:
        return returns.inspect(store, rma.id, {l.sku: InspectionOutcome.RESELLABLE
                                               for l in rma.lines}, **kwargs)
    if step is A.REFUND:
        return returns.refund(store, rma.id, Money(1, order.currency),
                              method=RefundMethod.PLATFORM, **kwargs)
    if step is A.EXCHANGE:
        return returns.exchange(store, rma.id, **kwargs)
    if step is A.CLOSE:
        return returns.close(store, rma.id, **kwargs)
    raise AssertionError(step)


def path_to(kind: ReturnKind, status: ReturnStatus) -> list[ReturnStep]:
    """The shortest list of steps from requested to `status` in the table."""
    queue, seen = deque([(S.REQUESTED, [])]), {S.REQUESTED}
    while queue:
        at, steps = queue.popleft()
        if at is status:
            return steps
        for step, target in next_steps(kind, at).items():
            if target not in seen:
                seen.add(target)
                queue.append((target, [*steps, step]))
    raise LookupError(f"{status} cannot be reached by a {kind}")


def reachable(kind: ReturnKind) -> list[ReturnStatus]:
    found = []
    for status in S:
        try:
            path_to(kind, status)
        except LookupError:
            continue
        found.append(status)
    return found


CASES = [(kind, status, step) for kind in K for status in reachable(kind) for step in A]


def test_the_table_reaches_every_status_it_names_and_every_kind_can_close():
    for kind, table in TRANSITIONS.items():
        named = set(table) | {t for steps in table.values() for t in steps.values()}
        assert named <= set(reachable(kind)), kind
        assert S.CLOSED in reachable(kind)
    assert S.EXCHANGED not in reachable(K.RETURN)
    assert set(reachable(K.REFUND_ONLY)) == {S.REQUESTED, S.APPROVED, S.REJECTED, S.REFUNDED,
                                             S.CLOSED}
    assert next_steps(K.REFUND_ONLY, S.APPROVED) == {A.REFUND: S.REFUNDED}
    assert next_steps(K.RETURN, S.REJECTED) == {A.CLOSE: S.CLOSED}
    assert all(next_steps(kind, S.CLOSED) == {} for kind in K)


@pytest.mark.parametrize(("kind", "status", "step"), CASES,
                         ids=[f"{k}-{s}-{a}" for k, s, a in CASES])
def test_every_step_from_every_status(shop, kind, status, step):
    rma = open_one(shop, kind)
    for earlier in path_to(kind, status):
        rma = take(shop, rma, earlier)
    assert rma.status is status
    before = shop.returns.history(rma.id)
    target = TRANSITIONS[kind].get(status, {}).get(step)
    if target is None:
        with pytest.raises(ReturnRefused) as refused:
            take(shop, rma, step)
        assert refused.value.message.startswith(f"{rma.code}: ")
        assert f"is {status.label} cannot be {step.words}" in refused.value.message
        allowed = next_steps(kind, status)
        for possible in allowed:
            assert possible.words in refused.value.advice
        if not allowed:
            assert "nothing more can be done" in refused.value.advice
        assert shop.returns.get(rma.id).status is status  # nothing written
        assert shop.returns.history(rma.id) == before
    else:
        after = take(shop, rma, step)
        assert after.status is target
        entry = shop.returns.history(rma.id)[-1]
        assert (entry.action, entry.old_value, entry.new_value, entry.actor) == (
            step.value, status.value, target.value, "mina")
        assert f"{step.value} by test" in entry.note and entry.at == NOW


def test_each_step_sets_its_time_and_the_order_history_shows_opening_and_closing(shop):
    order_id = shipped_order(shop)
    rma = open_one(shop, order_id=order_id, note="box crushed")
    assert rma.status is S.REQUESTED and rma.code == rma_code(rma.id)
    assert rma.postage_paid_by is PostagePaidBy.SELLER  # damaged: the seller's doing
    later = NOW + timedelta(days=3)
    rma = returns.approve(shop, rma.id, actor="mina", now=NOW)
    rma = returns.mark_awaiting_parcel(shop, rma.id, return_tracking=" rr123456785kr ", now=NOW)
    assert rma.return_tracking == "RR123456785KR"
    rma = returns.receive(shop, rma.id, now=later)
    assert (rma.approved_at, rma.received_at, rma.closed_at) == (NOW, later, None)
    rma = returns.inspect(shop, rma.id, {rma.lines[0].sku: "damaged"}, now=later)
    rma = returns.close(shop, rma.id, actor="mina", note="nothing due", now=later)
    assert rma.closed_at == later and rma.days_open(NOW + timedelta(days=30)) == 3
    actions = [(e.action, e.new_value) for e in shop.orders.history(order_id)]
    assert ("return opened", rma.code) in actions and ("return closed", rma.code) in actions
    opened = shop.returns.history(rma.id)[0]
    assert (opened.action, opened.note, opened.actor) == ("opened", "box crushed", "mina")


def test_a_rejection_needs_a_reason_and_the_buyer_pays_postage_for_a_change_of_mind(shop):
    rma = open_one(shop, reason=R.CHANGED_MIND)
    assert rma.postage_paid_by is PostagePaidBy.BUYER
    with pytest.raises(ReturnRefused, match="needs a reason"):
        returns.reject(shop, rma.id, note="  ")
    assert returns.reject(shop, rma.id, note="outside 30 days").status is S.REJECTED


def test_an_unknown_rma_is_refused(shop):
    with pytest.raises(ReturnRefused, match="There is no RMA RM999999"):
        returns.approve(shop, 999999)


# --- quantities --------------------------------------------------------------------------------

def test_exactly_shipped_less_returned_is_fine_one_more_is_refused(shop):
    order_id = shipped_order(shop, pieces=2)
    line = big_line(shop, order_id)
    q = line.quantity
    first = returns.open_rma(shop, order_id, kind=K.RETURN, reason=R.WRONG_SIZE,
                             lines={line.sku: q - 1}, now=NOW)
    assert returns.returnable(shop, order_id)[line.sku] == 1
    with pytest.raises(ReturnRefused) as refused:
        returns.open_rma(shop, order_id, kind=K.RETURN, reason=R.WRONG_SIZE,
                         lines={line.sku: 2}, now=NOW)
    assert f"{q} shipped and {q - 1} already on other returns" in refused.value.message
    assert "At most 1" in refused.value.advice
    returns.open_rma(shop, order_id, kind=K.EXCHANGE, reason=R.WRONG_SIZE,
                     lines=[(line.sku, 1)], now=NOW)
    with pytest.raises(ReturnRefused) as refused:
        returns.open_rma(shop, order_id, kind=K.REFUND_ONLY, reason=R.DAMAGED,
                         lines={line.sku: 1}, now=NOW)
    assert "already on a return" in refused.value.advice
    # A rejected RMA gives its pieces back.
    returns.reject(shop, first.id, note="not ours")
    assert returns.returnable(shop, order_id)[line.sku] == q - 1


def test_a_whole_order_at_once_and_one_piece_more(shop):
    order_id = shipped_order(shop, pieces=2)
    order = shop.orders.get(order_id)
    everything = {}
    for line in order.lines:
        everything[line.sku] = everything.get(line.sku, 0) + line.quantity
    too_many = dict(everything)
    too_many[order.lines[0].sku] += 1
    with pytest.raises(ReturnRefused, match="At most"):
        returns.open_rma(shop, order_id, kind=K.RETURN, reason=R.DAMAGED, lines=too_many)
    rma = returns.open_rma(shop, order_id, kind=K.RETURN, reason=R.DAMAGED, lines=everything)
    assert rma.item_count == order.item_count
    assert rma.lines[0].unit_price == order.lines[0].unit_price
    assert returns.returnable(shop, order_id) == {}


@pytest.mark.parametrize("lines", [{"NO-SUCH-SKU": 1}, {"first": 0}, {"first": -1}])
def test_unknown_skus_and_non_positive_quantities_are_refused(shop, lines):
    order_id = shipped_order(shop)
    sku = shop.orders.get(order_id).lines[0].sku
    lines = {sku if k == "first" else k: v for k, v in lines.items()}
    with pytest.raises(ReturnRefused):
        returns.open_rma(shop, order_id, kind=K.RETURN, reason=R.DAMAGED, lines=lines)
    assert shop.returns.for_order(order_id) == []


def test_a_return_needs_items_a_refund_without_return_may_have_none(shop):
    order_id = shipped_order(shop)
    with pytest.raises(ReturnRefused, match="needs at least one item"):
        returns.open_rma(shop, order_id, kind=K.RETURN, reason=R.DAMAGED, lines={})
    rma = returns.open_rma(shop, order_id, kind=K.REFUND_ONLY, reason=R.OTHER, lines={},
                           note="postage refund")
    assert rma.lines == [] and rma.kind is K.REFUND_ONLY


def test_nothing_comes_back_from_an_order_that_has_not_shipped(shop):
    order_id = papers.order_ids_for(shop, status="awaiting_shipment")[0]
    sku = shop.orders.get(order_id).lines[0].sku
    for kind, lines in ((K.RETURN, {sku: 1}), (K.REFUND_ONLY, {})):
        with pytest.raises(ReturnRefused, match="has not shipped yet"):
            returns.open_rma(shop, order_id, kind=kind, reason=R.DAMAGED, lines=lines)


def test_parcels_shipped_from_pack_mode_count_piece_by_piece(shop):
    order_id = papers.order_ids_for(shop, status="awaiting_shipment")[0]
    line = shop.orders.get(order_id).lines[0]
    session = shop.packing.start_session(order_id, 1, "Bench 1", "test")
    shop.packing.add_scan(session, line.sku, line.sku, "item")
    shop.packing.update(session, state="shipped")
    assert returns.returnable(shop, order_id) == {line.sku: 1}
    returns.open_rma(shop, order_id, kind=K.RETURN, reason=R.DAMAGED, lines={line.sku: 1})
    with pytest.raises(ReturnRefused, match="At most 0|already on a return"):
        returns.open_rma(shop, order_id, kind=K.RETURN, reason=R.DAMAGED, lines={line.sku: 1})


def test_a_refunded_order_counts_as_shipped_only_if_it_ever_shipped(shop):
    never = shipped_order(shop, status="refunded")
    assert returns.returnable(shop, never) == {}
    order_id = shipped_order(shop, status="shipped")
    shop.orders.set_status(order_id, OrderStatus.REFUNDED, actor="sync")
    assert sum(returns.returnable(shop, order_id).values()) == \
        shop.orders.get(order_id).item_count
    partial = shipped_order(shop, status="partially_refunded")
    assert returns.returnable(shop, partial)


# --- refunds -----------------------------------------------------------------------------------

def approved_refund_only(store, order_id, lines=None):
    rma = returns.open_rma(store, order_id, kind=K.REFUND_ONLY, reason=R.NEVER_ARRIVED,
                           lines=lines or {}, now=NOW)
    return returns.approve(store, rma.id, now=NOW)


def test_refunds_add_up_to_exactly_the_paid_total_and_not_one_minor_unit_more(shop):
    order_id = shipped_order(shop)
    paid = shop.orders.get(order_id).grand_total
    rma = approved_refund_only(shop, order_id)
    with pytest.raises(ReturnRefused) as refused:
        returns.refund(shop, rma.id, paid + Money(1, paid.currency),
                       method=RefundMethod.PLATFORM)
    assert f"more than the {paid} paid" in refused.value.message
    assert f"At most {paid} can still be refunded" in refused.value.advice
    assert shop.returns.get(rma.id).status is S.APPROVED and shop.returns.get(rma.id).refunds == []
    rma = returns.refund(shop, rma.id, paid - Money(1, paid.currency),
                         method=RefundMethod.PAYMENT_PROVIDER, note="most of it",
                         refunded_at=NOW - timedelta(days=1), now=NOW)
    assert returns.refundable(shop, order_id) == Money(1, paid.currency)
    rma = returns.refund(shop, rma.id, Money(1, paid.currency), method=RefundMethod.STORE_CREDIT)
    assert rma.status is S.REFUNDED and rma.refunded == paid and len(rma.refunds) == 2
    assert rma.refunds[0].method is RefundMethod.PAYMENT_PROVIDER
    assert rma.refunds[0].refunded_at == NOW - timedelta(days=1)
    assert rma.refunds[0].note == "most of it" and rma.refunds[1].refunded_at > NOW
    with pytest.raises(ReturnRefused) as refused:
        returns.refund(shop, rma.id, Money(1, paid.currency), method=RefundMethod.PLATFORM)
    assert "whole payment is already refunded" in refused.value.advice
    refunds = [e for e in shop.orders.history(order_id) if e.action == "refund"]
    assert [e.new_value for e in refunds] == [str(paid - Money(1, paid.currency)),
                                              str(Money(1, paid.currency))]


def test_the_cap_covers_every_rma_of_the_order(shop):
    order_id = shipped_order(shop, pieces=2)
    sku = big_line(shop, order_id).sku
    paid = shop.orders.get(order_id).grand_total
    half = Money(paid.minor // 2, paid.currency)
    first = approved_refund_only(shop, order_id, {sku: 1})
    returns.refund(shop, first.id, half, method=RefundMethod.PLATFORM)
    second = approved_refund_only(shop, order_id, {sku: 1})
    with pytest.raises(ReturnRefused, match="more than the"):
        returns.refund(shop, second.id, paid - half + Money(1, paid.currency),
                       method=RefundMethod.PLATFORM)
    assert returns.refund(shop, second.id, paid - half,
                          method=RefundMethod.BANK_TRANSFER).refunded == paid - half
    assert returns.refundable(shop, order_id) == Money.zero(paid.currency)


@pytest.mark.parametrize("amount", ["zero", "negative", "another currency"])
def test_a_refund_in_another_currency_or_of_nothing_is_refused(shop, amount):
    order_id = shipped_order(shop)
    currency = shop.orders.get(order_id).currency
    rma = approved_refund_only(shop, order_id)
    money = {"zero": Money(0, currency), "negative": Money(-100, currency),
             "another currency": Money(100, "EUR" if currency == "USD" else "USD")}[amount]
    with pytest.raises(ReturnRefused) as refused:
        returns.refund(shop, rma.id, money, method=RefundMethod.PLATFORM)
    assert refused.value.advice
    assert shop.returns.get(rma.id).refunds == []


# --- inspection and stock ----------------------------------------------------------------------

def received(store, pieces=2, kind=K.RETURN):
    order_id = shipped_order(store, pieces=pieces)
    line = big_line(store, order_id)
    rma = returns.open_rma(store, order_id, kind=kind, reason=R.DAMAGED,
                           lines={line.sku: line.quantity}, now=NOW)
    returns.approve(store, rma.id, now=NOW)
    return returns.receive(store, rma.id, now=NOW)


def test_inspection_per_piece_restocks_only_the_resellable_ones(shop):
    rma = received(shop, pieces=2)
    line = rma.lines[0]
    before = shop.returns.stock_on_hand(line.sku)
    assert [r.id for r in returns.awaiting_inspection(shop)] == [rma.id]
    rma = returns.inspect(shop, rma.id, {line.sku: {InspectionOutcome.RESELLABLE: 1,
                                                    "damaged": line.quantity - 1}})
    assert (rma.lines[0].resellable, rma.lines[0].damaged, rma.lines[0].missing) == (
        1, line.quantity - 1, 0)
    assert shop.returns.stock_on_hand(line.sku) == before + 1
    assert shop.returns.stock_movements(rma.id) == [(line.sku, 1, f"returned on {rma.code}")]
    assert returns.awaiting_inspection(shop) == []
    assert "1 resellable" in shop.returns.history(rma.id)[-1].note


def test_inspection_without_restock_and_missing_pieces(shop):
    rma = received(shop, pieces=2)
    line = rma.lines[0]
    returns.inspect(shop, rma.id, {line.sku: {"resellable": 1, "missing": line.quantity - 1}},
                    restock=False)
    assert shop.returns.stock_movements(rma.id) == []
    assert shop.returns.get(rma.id).lines[0].missing == line.quantity - 1


@pytest.mark.parametrize("outcomes", ["miscounted", "missing sku", "unknown sku"])
def test_inspection_must_count_every_piece_once(shop, outcomes):
    rma = received(shop, pieces=2)
    sku, quantity = rma.lines[0].sku, rma.lines[0].quantity
    given = {
        "miscounted": {sku: {"resellable": quantity + 1}},
        "missing sku": {},
        "unknown sku": {sku: "resellable", "NO-SUCH": "damaged"},
    }[outcomes]
    with pytest.raises(ReturnRefused):
        returns.inspect(shop, rma.id, given)
    assert shop.returns.get(rma.id).status is S.RECEIVED
    assert shop.returns.stock_movements(rma.id) == []


# --- exchanges ---------------------------------------------------------------------------------

def inspected_exchange(store, pieces=1):
    rma = received(store, pieces=pieces, kind=K.EXCHANGE)
    return returns.inspect(store, rma.id, {l.sku: "resellable" for l in rma.lines}, now=NOW)


def test_an_exchange_creates_a_linked_replacement_order(shop):
    rma = inspected_exchange(shop)
    original = shop.orders.get(rma.order_id)
    rma = returns.exchange(shop, rma.id, actor="mina", now=NOW)
    assert rma.status is S.EXCHANGED
    new = shop.orders.get(rma.replacement_order_id)
    assert new.status is OrderStatus.AWAITING_SHIPMENT and new.account_id == original.account_id
    assert new.platform_order_id == f"{original.platform_order_id}-EX1"
    assert new.order_number == f"{original.order_number}-EX1"
    assert new.ship_to == original.ship_to and new.buyer_email == original.buyer_email
    assert [(l.sku, l.quantity, l.unit_price) for l in new.lines] == [
        (l.sku, l.quantity, l.unit_price) for l in rma.lines]
    assert new.grand_total == Money.zero(original.currency)  # nothing charged
    assert new.note == f"Replacement for order {original.order_number} — no charge"
    assert shop.returns.replacement_origins([new.id, original.id]) == {
        new.id: (rma.id, original.order_number)}
    assert ("replacement", new.order_number) in [
        (e.action, e.new_value) for e in shop.orders.history(original.id)]
    assert [e.action for e in shop.orders.history(new.id)] == ["created", "replacement for"]
    assert packing.find_order(shop, new.order_number) == new.id  # Pack mode finds it


def test_a_second_exchange_of_the_order_is_ex2_and_may_go_elsewhere_with_other_skus(shop):
    order_id = shipped_order(shop, pieces=2)
    line = big_line(shop, order_id)
    original = shop.orders.get(order_id)
    other = next(p for p in shop.products.all() if p.sku not in {l.sku for l in original.lines}
                 and p.sku in {r[0] for r in shop.db.execute(
                     "SELECT l.sku FROM order_lines l JOIN orders o ON o.id = l.order_id"
                     " WHERE o.currency = ?", [original.currency])})
    ids = []
    for _ in range(2):
        rma = returns.open_rma(shop, order_id, kind=K.EXCHANGE, reason=R.WRONG_SIZE,
                               lines={line.sku: 1}, now=NOW)
        ids.append(returns.approve(shop, rma.id, now=NOW).id)
    first = returns.exchange(shop, ids[0], now=NOW)  # sent ahead, from approved
    moved = replace(original.ship_to, typed=AddressText(name="Kim", line1="1 New Street",
                                                        city="Busan"), latin=None)
    second = returns.exchange(shop, ids[1], replacement={other.sku: 2}, ship_to=moved, now=NOW)
    new = shop.orders.get(second.replacement_order_id)
    assert new.platform_order_id.endswith("-EX2") and first.replacement_order_id != new.id
    assert new.ship_to == moved and new.lines[0].title == other.title
    (sold,) = shop.db.execute(
        "SELECT l.unit_price FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE"
        " l.sku = ? AND o.currency = ? AND o.id != ? ORDER BY o.ordered_at DESC, l.id DESC"
        " LIMIT 1", [other.sku, original.currency, new.id]).fetchone()
    # Not on the original order: valued at the latest price it sold at in the order's currency.
    assert new.lines[0].unit_price == Money(sold, original.currency) and sold > 0


def test_a_replacement_without_a_known_value_is_refused_and_writes_nothing(shop):
    rma = inspected_exchange(shop)
    count = shop.orders.count()
    with pytest.raises(ReturnRefused, match="customs needs what a replacement piece is worth"):
        returns.exchange(shop, rma.id, replacement={"NEVER-SOLD": 1})
    with pytest.raises(ReturnRefused, match="more than zero"):
        returns.exchange(shop, rma.id, unit_values={rma.lines[0].sku: Money.zero(rma.currency)})
    assert shop.orders.count() == count and shop.returns.get(rma.id).status is S.INSPECTED
    given = Money(12345, rma.currency)
    rma = returns.exchange(shop, rma.id, replacement={"NEVER-SOLD": 1},
                           unit_values={"NEVER-SOLD": given})
    assert shop.orders.get(rma.replacement_order_id).lines[0].unit_price == given


def test_a_replacement_sent_ahead_is_not_sent_twice(shop):
    order_id = shipped_order(shop)
    sku = shop.orders.get(order_id).lines[0].sku
    rma = returns.open_rma(shop, order_id, kind=K.EXCHANGE, reason=R.WRONG_ITEM,
                           lines={sku: 1}, now=NOW)
    returns.approve(shop, rma.id, now=NOW)
    rma = returns.exchange(shop, rma.id, now=NOW)
    returns.receive(shop, rma.id, now=NOW)  # the wrong item came back afterwards
    rma = returns.inspect(shop, rma.id, {sku: "resellable"}, now=NOW)
    number = shop.orders.get(rma.replacement_order_id).order_number
    with pytest.raises(ReturnRefused, match=f"already has its replacement, order {number}"):
        returns.exchange(shop, rma.id, now=NOW)
    assert returns.close(shop, rma.id, now=NOW).status is S.CLOSED


def test_replacement_papers_declare_other_at_the_goods_value_never_a_sale(shop):
    rma = returns.exchange(shop, inspected_exchange(shop).id, now=NOW)
    original = shop.orders.get(rma.order_id)
    new_id = rma.replacement_order_id
    papers.set_tracking_number(shop, new_id, "LK123456785KR", carrier="Korea Post")
    (parcel,), blocked = papers.load_parcels(shop, [new_id])
    assert blocked == {} and parcel.category is ItemCategory.OTHER
    explanation = f"Replacement for order {original.order_number} — no charge"
    assert parcel.note == parcel.explanation == explanation
    assert parcel.goods_value == rma.lines[0].unit_price * rma.lines[0].quantity
    cn23 = pdf_tools.text(papers.render(shop, [new_id], "cn23").pdf)
    assert str(parcel.goods_value.to_decimal()) in cn23
    assert pdf_tools.flat(f"Replacement for order {original.order_number}") in pdf_tools.flat(cn23)
    invoice = pdf_tools.text(papers.render(shop, [new_id], "invoice").pdf)
    assert "Other" in invoice and "Sale of goods" not in invoice
    assert pdf_tools.flat(f"Replacement for order {original.order_number}") in pdf_tools.flat(invoice)
    label = pdf_tools.text(papers.render(shop, [new_id], "label").pdf)
    assert "· Other" in label and "Sale of goods" not in label
    slip = pdf_tools.text(papers.render(shop, [new_id], "packing-slip").pdf)
    assert f"Replacement for order {original.order_number}" in slip
    jobs = papers.one_parcel_papers(shop, new_id)  # Pack mode's papers
    assert "· Other" in pdf_tools.text(jobs[0].pdf)
    # The original's papers are unchanged: a sale.
    original_cn23 = pdf_tools.text(papers.render(shop, [original.id], "cn23").pdf)
    assert original_cn23.count("Other") == 1


def test_a_replacement_is_packed_printed_and_shipped_in_pack_mode_then_can_come_back(shop):
    rma = returns.exchange(shop, inspected_exchange(shop).id, now=NOW)
    new_id = rma.replacement_order_id
    papers.set_tracking_number(shop, new_id, "LK123456785KR", carrier="Korea Post")
    session = packing.open_order(shop, order_scan_code(new_id), station="Bench 1",
                                 holder=packing.new_holder())
    for line in session.lines:
        for _ in range(line.quantity):
            assert pack_actions.scan(shop, session, line.sku).accepted
    jobs = pack_actions.papers_for(shop, session)
    assert "· Other" in pdf_tools.text(jobs[0].pdf)
    pack_actions.record_printed(shop, session, [j.kind for j in jobs])
    assert pack_actions.ship(shop, session).order_complete
    assert shop.orders.get(new_id).status is OrderStatus.SHIPPED
    sku = shop.orders.get(new_id).lines[0].sku
    again = returns.open_rma(shop, new_id, kind=K.RETURN, reason=R.DAMAGED, lines={sku: 1})
    assert again.order_id == new_id


def test_build_parcel_explains_a_replacement_and_keeps_the_buyers_note(shop):
    order = shop.orders.get(shipped_order(shop))
    products = shop.products.by_skus(line.sku for line in order.lines)
    seller = shop.settings.seller_profile()
    order.note = "Fragile"
    parcel = build_parcel(order, products, seller, replacement_for="A-1")
    assert parcel.explanation == "Replacement for order A-1 — no charge"
    assert parcel.note == "Fragile" and parcel.category is ItemCategory.OTHER
    plain = build_parcel(order, products, seller)
    assert plain.category is seller.default_category and plain.explanation == ""


def test_shipping_a_replacement_tells_no_platform(shop):
    from fulfill.services.outbox import ship_order
    from fulfill.storage.outbox import OutboxRepository

    rma = returns.exchange(shop, inspected_exchange(shop).id, now=NOW)
    assert ship_order(shop, rma.replacement_order_id, carrier="Korea Post",
                      tracking_number="LK123456785KR") is None
    assert OutboxRepository(shop.db).for_order(rma.replacement_order_id) == []
    assert shop.orders.get(rma.replacement_order_id).status is OrderStatus.SHIPPED


# --- queues, codes, platform refunds -----------------------------------------------------------

def test_overdue_after_the_store_setting_from_approval_to_receipt(shop):
    assert returns.overdue_days(shop) == returns.DEFAULT_OVERDUE_DAYS == 14
    late = returns.approve(shop, open_one(shop).id, now=NOW - timedelta(days=14, seconds=1))
    on_time = returns.approve(shop, open_one(shop, kind=K.EXCHANGE).id,
                              now=NOW - timedelta(days=14))
    returns.mark_awaiting_parcel(shop, on_time.id, now=NOW)
    in_ = returns.receive(shop, returns.approve(shop, open_one(shop).id,
                                                now=NOW - timedelta(days=40)).id, now=NOW)
    no_parcel = approved_refund_only(shop, shipped_order(shop))
    shop.db.execute("UPDATE rmas SET approved_at = '2000-01-01T00:00:00Z' WHERE id = ?",
                    [no_parcel.id])
    assert [r.id for r in returns.overdue(shop, NOW)] == [late.id]
    assert [r.id for r in returns.overdue(shop, NOW + timedelta(days=1))] == [late.id, on_time.id]
    returns.set_overdue_days(shop, 20)
    assert shop.settings.get(returns.OVERDUE_DAYS_KEY) == 20
    assert returns.overdue(shop, NOW) == []
    assert in_.id not in [r.id for r in returns.overdue(shop, NOW + timedelta(days=99))]
    with pytest.raises(ReturnRefused):
        returns.set_overdue_days(shop, 0)


def test_rma_codes_scan_back_to_their_rma(shop):
    assert rma_code(123) == "RM000123" and rma_id_from_scan(" rm000123\n") == 123
    assert rma_id_from_scan("FO000123") is None and rma_id_from_scan("RM12") is None
    rma = open_one(shop, return_tracking="rr123456785kr")
    assert returns.find_by_scan(shop, rma.code).id == rma.id
    assert returns.find_by_scan(shop, "RR123456785KR").id == rma.id
    assert returns.find_by_scan(shop, "nothing") is None


def test_the_report_lists_rmas_with_their_order_numbers_and_next_steps(shop):
    rma = returns.exchange(shop, inspected_exchange(shop).id, now=NOW)
    open_one(shop, kind=K.REFUND_ONLY)
    report = returns.rma_report(shop, [S.EXCHANGED], now=NOW + timedelta(days=2))
    (row,) = report
    assert row["code"] == rma.code and row["next_steps"] == ["receive", "close"]
    assert row["replacement_order_number"].endswith("-EX1") and row["days_open"] == 2
    assert len(returns.rma_report(shop, now=NOW)) == 2


def test_the_frozen_v5_store_keeps_its_rma(tmp_path):
    path = tmp_path / FROZEN_V5.name
    path.write_bytes(FROZEN_V5.read_bytes())
    with Store.open(path) as store:
        (rma,) = store.returns.with_status()
        assert (rma.code, rma.kind, rma.status, rma.note) == (
            "RM000001", K.RETURN, S.REQUESTED, "Torn sachet")
        assert [(l.sku, l.quantity, l.unit_price) for l in rma.lines] == [
            ("SG-MASK-10", 1, Money(1200, "CNY"))]
        assert store.orders.get(rma.order_id).currency == "CNY"

