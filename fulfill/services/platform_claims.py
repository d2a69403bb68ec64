"""Refunds, cancellations and return requests the platforms report, merged into the order's
RMAs: never a second RMA for what one already holds, however many times a sync reads them.

Qt-free. Where a claim goes:
- A refund goes to the RMA that already holds it (a refund of that reference, or the RMA
  carrying the reference: the return it settles); else to the order's open RMA it fits, the
  one with the same items when the platform names items, else the only open one, so the
  seller's own RMA, or the RMA of an earlier refund, takes it rather than a second RMA; else
  to a new refund without return. Its amount is the platform's running total for its
  reference: only what grew is added, and all refunds of an order never exceed what the buyer
  paid. A refund the seller typed in by hand as paid on the platform, not yet matched to one
  of the platform's, counts as this one when it fits in the amount, rather than twice.
- A return request opens a return in status requested once, or names the seller's own open
  return or exchange of the same items; an exchange request likewise opens an exchange.
- A withdrawn request closes its RMA while no goods have come back (rejected then closed when
  it was still requested); once they have, or money went back, the seller decides.
- A cancellation is written to the order's history once; money it gave back is a refund as
  above (one that never shipped has a refund without return and without items).

An RMA the platform pays on is approved (the platform agreed by paying) and takes the refund
step when the lifecycle allows it; where it does not (a return whose parcel is still to come
back and be inspected, one closed), the RMA keeps its status and records the money. Every change is
in the audit log, entry for entry as services.returns writes it. An order's claims apply
together or not at all: one the rules refuse (more than was paid, a platform total that
shrank) is reported and nothing of that order's claims is written.

Each order's claims are worked out in memory first, then written in a few statements: a
first sync meets hundreds of refunded orders, and services.returns' one-step-at-a-time calls
read the order back at every step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from fulfill.domain import Money, Order
from fulfill.domain.returns import (
    ClaimKind, PlatformClaim, PostagePaidBy, Refund, RefundMethod, ReturnKind, ReturnStatus,
    ReturnStep, Rma, RmaLine, step_target,
)
from fulfill.services.returns import ReturnRefused
from fulfill.storage import Store, audit
from fulfill.storage.returns import PLATFORM_CANCELLATION

__all__ = ["SyncedClaims", "apply_claims", "apply_synced_claims"]

_SETTLED = (ReturnStatus.REJECTED, ReturnStatus.CLOSED)
_GOODS_BACK = (ReturnKind.RETURN, ReturnKind.EXCHANGE)


@dataclass
class SyncedClaims:
    """What a page's claims did: RMAs opened or changed and cancellations recorded, and the
    orders whose claims were refused (platform order id -> why), nothing written for them."""

    changes: int = 0
    refused: dict[str, str] = field(default_factory=dict)


def apply_claims(store: Store, order_id: int, claims: Iterable[PlatformClaim], *,
                 actor: str = "sync", now: datetime | None = None) -> list[Rma]:
    """Apply what a platform reports on one order; returns the RMAs opened or changed.
    Raises ReturnRefused, with nothing written, when the rules refuse one of the claims."""
    with store.errors(), store.db.atomic():
        order = store.orders.get(order_id)
        if order is None:
            raise ReturnRefused(f"There is no order with id {order_id}.",
                                "Sync the order's channel again.")
        ledger = _Ledger(order, store.returns.for_order(order_id),
                         store.returns.platform_cancellations([order_id]).get(order_id, set()),
                         actor, now or datetime.now(UTC))
        for claim in claims:
            ledger.apply(claim)
        _write(store, [ledger])
        found = (store.returns.get(rma.id or 0) for rma in ledger.touched.values())
        return [rma for rma in found if rma is not None]  # read back: the refunds' ids


def apply_synced_claims(store: Store, orders: Sequence[Order],
                        claims: Mapping[str, Sequence[PlatformClaim]], *, all_new: bool = False,
                        actor: str = "sync", now: datetime | None = None) -> SyncedClaims:
    """Apply the claims of orders a sync has just saved (ids set), reading what all of them
    have in a few queries, none when they are `all_new` (just created: nothing to read).
    Runs in the page's transaction, so an order and its claims are stored together or not
    at all."""
    outcome = SyncedClaims()
    # An order listed twice on a page is one order: its later copy, as OrderRepository.save.
    wanted = list({o.id: o for o in orders
                   if o.id is not None and claims.get(o.platform_order_id)}.values())
    if not wanted:
        return outcome
    ids: list[int] = [o.id for o in wanted]  # type: ignore[misc]
    rmas = {} if all_new else store.returns.for_orders(ids)
    cancellations = {} if all_new else store.returns.platform_cancellations(ids)
    at = now or datetime.now(UTC)
    applied: list[_Ledger] = []
    for order, order_id in zip(wanted, ids, strict=True):
        ledger = _Ledger(order, rmas.get(order_id, []), cancellations.get(order_id, set()),
                         actor, at)
        try:
            for claim in claims[order.platform_order_id]:
                ledger.apply(claim)
        except ReturnRefused as refused:  # nothing of this order's claims is written
            outcome.refused[order.platform_order_id] = str(refused)
            continue
        applied.append(ledger)
        outcome.changes += ledger.changes
    _write(store, applied)
    return outcome


def _write(store: Store, ledgers: Sequence[_Ledger]) -> None:
    """New RMAs in one go (their ids then name them in the audit rows), then the changes to
    RMAs that were there, then every audit entry in one go."""
    store.returns.insert_many([rma for ledger in ledgers for rma in ledger.new])
    history: list[tuple] = []
    for ledger in ledgers:
        history += ledger.write_changes(store)
    store.db.conn.executemany(audit.INSERT, history)


_Text = str | Callable[[], str]  # a callable for text that names a new RMA's code


@dataclass
class _Entry:
    """An audit entry waiting for its RMA's id (a new RMA has none until written)."""

    entity: str
    target: Rma | int
    action: str
    old: str = ""
    new: _Text = ""
    note: _Text = ""

    def row(self, stamp: str, actor: str) -> tuple:
        target = self.target.id if isinstance(self.target, Rma) else self.target
        return (stamp, self.entity, target, self.action, self.old, _text(self.new), actor,
                _text(self.note))


def _text(value: _Text) -> str:
    return value if isinstance(value, str) else value()


class _Ledger:
    """One order's RMAs while its claims are applied: changed in memory, then written."""

    def __init__(self, order: Order, rmas: list[Rma], cancellations: set[str], actor: str,
                 now: datetime) -> None:
        self.order, self.rmas, self.cancellations = order, list(rmas), set(cancellations)
        self.actor, self.now = actor, now
        self.entries: list[_Entry] = []
        self.new: list[Rma] = []
        self.before: dict[int, tuple[ReturnStatus, str]] = {}  # status and ref before
        self.step_times: dict[int, dict[str, datetime]] = {}
        self.tagged: list[tuple[int, str]] = []  # (refund id, platform ref)
        self.touched: dict[int, Rma] = {}  # by id(): new RMAs have no id yet

    @property
    def changes(self) -> int:
        """RMAs opened or changed, and cancellations recorded."""
        return len(self.touched) + sum(e.action == PLATFORM_CANCELLATION for e in self.entries)

    # --- claims ----------------------------------------------------------------------------
    def apply(self, claim: PlatformClaim) -> None:
        if claim.kind is ClaimKind.REFUND:
            self._refund(claim)
        elif claim.kind is ClaimKind.RETURN_REQUEST:
            self._goods_request(claim, ReturnKind.RETURN)
        elif claim.kind is ClaimKind.EXCHANGE_REQUEST:
            self._goods_request(claim, ReturnKind.EXCHANGE)
        elif claim.kind is ClaimKind.WITHDRAWAL:
            self._withdrawal(claim)
        else:
            self._cancellation(claim)

    def _refund(self, claim: PlatformClaim) -> None:
        amount = claim.amount
        if amount is None or amount.minor == 0:
            return
        if amount.currency != self.order.currency:
            raise self._refused(claim, f"it is in {amount.currency}, the order in "
                                       f"{self.order.currency}")
        recorded = sum(r.amount.minor for rma in self.rmas for r in rma.refunds
                       if r.platform_ref == claim.ref)
        if amount.minor < recorded:
            raise self._refused(claim, f"the platform now reports {amount}, less than the "
                                       f"{Money(recorded, amount.currency)} recorded",
                                "Check the refund on the platform; fulfill keeps what it "
                                "recorded.")
        if amount.minor == recorded:
            return
        rma = self._holding(claim.ref) or self._fitting(claim)
        typed = self._typed_refunds(rma, amount.minor - recorded) if rma else []
        more = amount.minor - recorded - sum(r.amount.minor for r in typed)
        paid = self.order.grand_total
        already = sum(r.amount.minor for other in self.rmas for r in other.refunds)
        if already + more > paid.minor:
            raise self._refused(claim, f"{Money(more, paid.currency)} more would bring the "
                                       f"refunds to {Money(already + more, paid.currency)}, "
                                       f"more than the {paid} paid")
        if rma is None:
            rma = self._open(claim, ReturnKind.REFUND_ONLY, PostagePaidBy.PLATFORM)
        elif not rma.platform_ref:
            self._adopt(rma, claim.ref)
        for refund in typed:
            self._tag(rma, refund, claim.ref)
        if rma.status is ReturnStatus.REQUESTED:
            self._step(rma, ReturnStep.APPROVE, "refunded on the platform",
                       approved_at=claim.at or self.now)
        if more:
            self._add_refund(rma, Money(more, amount.currency), claim)

    def _goods_request(self, claim: PlatformClaim, kind: ReturnKind) -> None:
        if self._holding(claim.ref):
            return
        rma = self._fitting(claim, kinds=(kind,) if kind is ReturnKind.EXCHANGE else _GOODS_BACK,
                            unreferenced=True)
        if rma is not None:
            self._adopt(rma, claim.ref)
        else:
            self._open(claim, kind, None)

    def _withdrawal(self, claim: PlatformClaim) -> None:
        rma = self._holding(claim.ref)
        if rma is None or rma.status in _SETTLED or rma.refunds:
            return  # never opened here, already settled, or money went back: nothing to undo
        note = claim.note or "withdrawn by the buyer on the platform"
        if rma.status is ReturnStatus.REQUESTED:
            self._step(rma, ReturnStep.REJECT, note)
        elif rma.status is ReturnStatus.APPROVED and rma.kind in _GOODS_BACK:
            self._step(rma, ReturnStep.AWAIT_PARCEL, note)
        if rma.status in (ReturnStatus.REJECTED, ReturnStatus.AWAITING_PARCEL):
            self._step(rma, ReturnStep.CLOSE, note, closed_at=claim.at or self.now)
        # Goods already back (a rare late withdrawal): the seller finishes the RMA by hand.

    def _cancellation(self, claim: PlatformClaim) -> None:
        if claim.ref not in self.cancellations:
            self.entries.append(_Entry("order", self.order.id or 0, PLATFORM_CANCELLATION,
                                       new=claim.ref, note=claim.note))
            self.cancellations.add(claim.ref)
        if claim.amount and claim.amount.minor:  # money went back with it
            self._refund(PlatformClaim(claim.ref, ClaimKind.REFUND, claim.amount,
                                       reason=claim.reason, at=claim.at,
                                       note=claim.note or "cancelled on the platform"))

    # --- finding the RMA -------------------------------------------------------------------
    def _holding(self, ref: str) -> Rma | None:
        """The RMA with a refund of this reference, else the one carrying it."""
        for rma in self.rmas:
            if any(r.platform_ref == ref for r in rma.refunds):
                return rma
        return next((rma for rma in self.rmas if rma.platform_ref == ref), None)

    def _fitting(self, claim: PlatformClaim, *, kinds: Sequence[ReturnKind] = (),
                 unreferenced: bool = False) -> Rma | None:
        """The open RMA a new claim belongs to: the same items when the claim names items
        (the seller's own first, then the oldest), else the order's only open RMA."""
        open_ones = [rma for rma in self.rmas if rma.status not in _SETTLED
                     and (not kinds or rma.kind in kinds)
                     and not (unreferenced and rma.platform_ref)]
        if not claim.lines:
            return open_ones[0] if len(open_ones) == 1 else None
        wanted = dict(claim.lines)
        same = [rma for rma in open_ones
                if {line.sku: line.quantity for line in rma.lines} == wanted]
        same.sort(key=lambda rma: (bool(rma.platform_ref), rma.id or 0))
        return same[0] if same else None

    @staticmethod
    def _typed_refunds(rma: Rma, wanted_minor: int) -> list[Refund]:
        """Refunds on the RMA the seller typed in as paid on the platform, not yet matched to
        one of the platform's, that fit in `wanted_minor`, oldest first."""
        chosen, total = [], 0
        for refund in rma.refunds:
            if (not refund.platform_ref and refund.method is RefundMethod.PLATFORM
                    and total + refund.amount.minor <= wanted_minor):
                chosen.append(refund)
                total += refund.amount.minor
        return chosen

    # --- changes in memory -----------------------------------------------------------------
    def _refused(self, claim: PlatformClaim, why: str, advice: str = "") -> ReturnRefused:
        what = claim.kind.value.replace("_", " ")
        return ReturnRefused(
            f"Order {self.order.order_number}: the platform's {what} {claim.ref} was not "
            f"recorded: {why}.", advice or "Check the order on the platform and its returns "
                                           "in fulfill.")

    def _touch(self, rma: Rma) -> None:
        if rma.id is not None and id(rma) not in self.touched:
            self.before[id(rma)] = (rma.status, rma.platform_ref)
        self.touched[id(rma)] = rma

    def _open(self, claim: PlatformClaim, kind: ReturnKind,
              postage: PostagePaidBy | None) -> Rma:
        """A new RMA for the claim, requested, as services.returns.open_rma opens one but
        without its check that the goods left: the platform has already decided."""
        order = self.order
        by_sku = {line.sku: line for line in reversed(order.lines)}  # first line wins
        pieces = dict(claim.lines)
        if not pieces and kind is not ReturnKind.REFUND_ONLY:  # a return of unnamed items:
            for line in order.lines:  # the whole order, one line per SKU
                pieces[line.sku] = pieces.get(line.sku, 0) + line.quantity
        lines = [RmaLine(sku=sku, quantity=quantity,
                         title=by_sku[sku].title if sku in by_sku else sku,
                         unit_price=by_sku[sku].unit_price if sku in by_sku else None)
                 for sku, quantity in pieces.items()]
        opened = claim.at or self.now
        rma = Rma(order_id=order.id or 0, kind=kind, reason=claim.reason,
                  status=ReturnStatus.REQUESTED, currency=order.currency, lines=lines,
                  postage_paid_by=postage or (PostagePaidBy.SELLER if claim.reason.seller_at_fault
                                              else PostagePaidBy.BUYER),
                  opened_at=opened, updated_at=opened, note=claim.note, platform_ref=claim.ref)
        self.rmas.append(rma)
        self.new.append(rma)
        self._touch(rma)
        self.entries += [
            _Entry("rma", rma, "opened", new=rma.status.value, note=claim.note),
            _Entry("order", order.id or 0, "return opened", new=lambda: rma.code,
                   note=f"{kind.label}: {claim.reason.label}")]
        return rma

    def _adopt(self, rma: Rma, ref: str) -> None:
        """The seller opened this RMA by hand: the platform's claim is the same one."""
        self._touch(rma)
        rma.platform_ref = ref
        self.entries.append(_Entry("rma", rma, "platform reference", new=ref,
                                   note="the platform reported it"))

    def _tag(self, rma: Rma, refund: Refund, ref: str) -> None:
        self._touch(rma)
        self.tagged.append((refund.id or 0, ref))
        rma.refunds[rma.refunds.index(refund)] = replace(refund, platform_ref=ref)
        self.entries.append(_Entry("rma", rma, "refund matched", new=ref,
                                   note=f"{refund.amount} recorded by hand"))

    def _step(self, rma: Rma, step: ReturnStep, note: str, **times: datetime) -> None:
        target = step_target(rma.kind, rma.status, step)
        assert target is not None, (rma.kind, rma.status, step)
        self._touch(rma)
        self.entries.append(_Entry("rma", rma, step.value, old=rma.status.value,
                                   new=target.value, note=note))
        rma.status, rma.updated_at = target, self.now
        for name, value in times.items():
            setattr(rma, name, value)
            self.step_times.setdefault(id(rma), {})[name] = value

    def _add_refund(self, rma: Rma, amount: Money, claim: PlatformClaim) -> None:
        self._touch(rma)
        rma.refunds.append(Refund(amount=amount, method=RefundMethod.PLATFORM,
                                  refunded_at=claim.at or self.now, actor=self.actor,
                                  note=claim.note, platform_ref=claim.ref))
        words = f"{amount} by platform"
        note = f"{words}. {claim.note}".strip() if claim.note else words
        self.entries.append(_Entry("order", rma.order_id, "refund", new=str(amount),
                                   note=lambda: f"{rma.code}: {words}"))
        if step_target(rma.kind, rma.status, ReturnStep.REFUND):
            self._step(rma, ReturnStep.REFUND, note)
        else:  # e.g. goods still to come back and be inspected: the status waits for them
            self.entries.append(_Entry("rma", rma, ReturnStep.REFUND.value,
                                       old=rma.status.value, new=rma.status.value,
                                       note=f"{note}; it stays {rma.status.label}"))

    # --- writing ---------------------------------------------------------------------------
    def write_changes(self, store: Store) -> list[tuple]:
        """Write the changes to RMAs that were there (the new ones are written already);
        returns the audit rows, for the caller to insert with others."""
        returns = store.returns
        new = {id(rma) for rma in self.new}
        for key, rma in self.touched.items():
            if key in new:
                continue
            status, platform_ref = self.before[key]
            if rma.platform_ref != platform_ref:
                returns.set_platform_ref(rma.id or 0, rma.platform_ref, self.now)
            if rma.status is not status:
                returns.set_status(rma.id or 0, rma.status, self.now,
                                   **self.step_times.get(key, {}))
            for n, refund in enumerate(rma.refunds):
                if refund.id is None:
                    rma.refunds[n] = replace(refund, id=returns.add_refund(rma.id or 0, refund))
        for refund_id, ref in self.tagged:
            returns.set_refund_platform_ref(refund_id, ref)
        stamp = audit.utc_text(self.now)
        return [entry.row(stamp, self.actor) for entry in self.entries]
