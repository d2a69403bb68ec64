"""Returns and exchanges for the demo store, so the Returns screen has something to show:
requests to decide, parcels on their way (some overdue), parcels awaiting inspection,
refunds, an exchange with its replacement waiting to be packed, and closed cases.

Every RMA goes through fulfill.services.returns, step by step, like a seller's would.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from fulfill.domain import Money
from fulfill.domain.returns import (
    InspectionOutcome, RefundMethod, ReturnKind, ReturnReason, ReturnStep,
)
from fulfill.services import returns
from fulfill.storage import Store

# (kind, reason, the steps taken, days ago the request came in). Several of each, so the
# filters and the chart have something to sort.
_CASES = (
    (ReturnKind.RETURN, ReturnReason.WRONG_SIZE, (), 1),
    (ReturnKind.EXCHANGE, ReturnReason.WRONG_SIZE, (ReturnStep.APPROVE,), 3),
    (ReturnKind.RETURN, ReturnReason.DAMAGED, (ReturnStep.APPROVE, ReturnStep.AWAIT_PARCEL), 6),
    (ReturnKind.RETURN, ReturnReason.CHANGED_MIND, (ReturnStep.APPROVE, ReturnStep.AWAIT_PARCEL),
     29),
    (ReturnKind.RETURN, ReturnReason.NOT_AS_DESCRIBED,
     (ReturnStep.APPROVE, ReturnStep.AWAIT_PARCEL, ReturnStep.RECEIVE), 12),
    (ReturnKind.EXCHANGE, ReturnReason.WRONG_ITEM,
     (ReturnStep.APPROVE, ReturnStep.RECEIVE), 9),
    (ReturnKind.RETURN, ReturnReason.DAMAGED,
     (ReturnStep.APPROVE, ReturnStep.RECEIVE, ReturnStep.INSPECT), 15),
    (ReturnKind.RETURN, ReturnReason.WRONG_SIZE,
     (ReturnStep.APPROVE, ReturnStep.RECEIVE, ReturnStep.INSPECT, ReturnStep.REFUND), 20),
    (ReturnKind.EXCHANGE, ReturnReason.NEVER_ARRIVED, (ReturnStep.APPROVE, ReturnStep.EXCHANGE),
     5),
    (ReturnKind.REFUND_ONLY, ReturnReason.DAMAGED, (ReturnStep.APPROVE, ReturnStep.REFUND), 8),
    (ReturnKind.RETURN, ReturnReason.CHANGED_MIND, (ReturnStep.REJECT,), 11),
    (ReturnKind.RETURN, ReturnReason.NOT_AS_DESCRIBED,
     (ReturnStep.APPROVE, ReturnStep.RECEIVE, ReturnStep.INSPECT, ReturnStep.REFUND,
      ReturnStep.CLOSE), 40),
)
DEMO_RETURNS = 24


def _take(store: Store, rma_id: int, step: ReturnStep, at: datetime, rng: random.Random) -> None:
    rma = returns.get(store, rma_id)
    common = {"actor": "demo", "now": at}
    if step is ReturnStep.APPROVE:
        returns.approve(store, rma_id, **common)
    elif step is ReturnStep.REJECT:
        returns.reject(store, rma_id, note="Opened and used; outside the return terms.", **common)
    elif step is ReturnStep.AWAIT_PARCEL:
        returns.mark_awaiting_parcel(
            store, rma_id, return_tracking=f"RR{rng.randrange(10**8, 10**9)}KR", **common)
    elif step is ReturnStep.RECEIVE:
        returns.receive(store, rma_id, **common)
    elif step is ReturnStep.INSPECT:
        outcome = (InspectionOutcome.DAMAGED if rma.reason is ReturnReason.DAMAGED
                   else InspectionOutcome.RESELLABLE)
        returns.inspect(store, rma_id, {line.sku: outcome for line in rma.lines}, **common)
    elif step is ReturnStep.REFUND:
        value = sum((line.unit_price * line.quantity for line in rma.lines if line.unit_price),
                    Money.zero(rma.currency))
        left = returns.refundable(store, rma.order_id)
        amount = value if 0 < value.minor <= left.minor else left
        returns.refund(store, rma_id, amount, method=RefundMethod.PLATFORM, **common)
    elif step is ReturnStep.EXCHANGE:
        returns.exchange(store, rma_id, **common)
    elif step is ReturnStep.CLOSE:
        returns.close(store, rma_id, **common)


def seed_returns(store: Store, now: datetime, *, count: int = DEMO_RETURNS, seed: int = 2026) -> int:
    """Open `count` demo RMAs on delivered orders, unless the store has RMAs already.
    Returns how many were opened."""
    if store.db.execute("SELECT 1 FROM rmas LIMIT 1").fetchone():
        return 0
    rng = random.Random(seed)
    candidates = [row[0] for row in store.db.execute(
        "SELECT id FROM orders WHERE status = 'delivered' ORDER BY id")]
    rng.shuffle(candidates)
    opened = 0
    for order_id in candidates[:count]:
        kind, reason, steps, days_ago = _CASES[opened % len(_CASES)]
        order = store.orders.get(order_id)
        line = order.lines[0]
        start = now - timedelta(days=days_ago, hours=rng.randrange(0, 20))
        with store.errors(), store.db.atomic():
            rma = returns.open_rma(store, order_id, kind=kind, reason=reason,
                                   lines={line.sku: 1}, actor="demo", now=start,
                                   note="Buyer wrote through the platform's messages.")
            for n, step in enumerate(steps, 1):
                at = min(start + timedelta(days=n * max(1, days_ago // (len(steps) + 1))), now)
                _take(store, rma.id or 0, step, at, rng)
        opened += 1
    return opened
