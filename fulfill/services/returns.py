"""Returns and exchanges, from request to refund: open an RMA from a shipped order, take it
through the steps of fulfill.domain.returns.TRANSITIONS, refund within what was paid, send a
replacement as an ordinary order, put resellable pieces back in stock.

Qt-free. Each step is one transaction: the RMA's new status, what the step records (refund,
inspection, replacement order, stock) and its audit entries (entity "rma", and the order's
own history for opening, refunds, replacements and closing) are written together or not at
all. A step the table does not allow is refused with ReturnRefused, naming the current
status and what it allows; nothing is written then.

Refusals are shown to the user and are in the interface's language (step_refusal_text
composes the domain's step refusal from its parts); audit notes and stock movement notes are
data and stay English.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fulfill.domain import Address, Money, Order, OrderLine, OrderStatus
from fulfill.domain.returns import (
    InspectionOutcome, PostagePaidBy, Refund, RefundMethod, ReturnKind, ReturnReason,
    ReturnStatus, ReturnStep, Rma, RmaLine, awaits_parcel, next_steps, rma_code,
    rma_id_from_scan, step_target,
)
from fulfill.errors import FulfillError
from fulfill.services import papers
from fulfill.services.parcels import replacement_explanation
from fulfill.storage import Store, audit
from fulfill.translation import N_, _, ngettext

__all__ = [
    "DEFAULT_OVERDUE_DAYS", "OVERDUE_DAYS_KEY", "ReturnRefused", "approve", "awaiting_inspection",
    "close", "exchange", "find_by_scan", "get", "inspect", "is_overdue", "mark_awaiting_parcel",
    "open_rma", "overdue", "overdue_days", "parcel_overdue", "receive", "refund",
    "refundable", "reject", "returnable", "rma_as_dict", "rma_code", "rma_id_from_scan",
    "rma_report", "set_overdue_days", "shipped_counts", "step_refusal_text",
]

# How long after approval a returned parcel may take to arrive before the RMA is listed as
# overdue. A store setting (store_settings key below), so every station sees the same list.
OVERDUE_DAYS_KEY = "returns.overdue_days"
DEFAULT_OVERDUE_DAYS = 14

# Statuses in which an order's goods have left in full. A partial refund on the platform
# comes after shipping; a full refund may come before (a cancellation), so it needs proof.
_SHIPPED_IN_FULL = (OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.PARTIALLY_REFUNDED)


class ReturnRefused(FulfillError):
    """A return step that the RMA's kind, status, quantities or amounts do not allow.
    Nothing was written."""


# --- a step the table refuses, in the interface's language -----------------------------------

# The kind at the head of a refusal ("An exchange that is requested cannot be received.").
_KIND_SUBJECT = {
    ReturnKind.RETURN: N_("A return for refund"),
    ReturnKind.EXCHANGE: N_("An exchange"),
    ReturnKind.REFUND_ONLY: N_("A refund without return"),
}
# The domain's English words a refusal names, marked so the catalogue has them: they are
# looked up with _() as they are. ReturnStatus.label ("awaiting parcel"), and ReturnStep.words,
# which name a step by the status it leads to ("received") except "marked awaiting parcel".
_DOMAIN_WORDS = (N_("requested"), N_("approved"), N_("rejected"), N_("awaiting parcel"),
                 N_("marked awaiting parcel"), N_("received"), N_("inspected"), N_("refunded"),
                 N_("exchanged"), N_("closed"))


def _step_words(step: ReturnStep) -> str:
    return _(step.words)


def _either(words: list[str]) -> str:
    """"approved or rejected", "received, exchanged or closed" in the interface's language."""
    if len(words) == 1:
        return words[0]
    # Translators: the last choice of a list: "received, exchanged {or} closed".
    return _("{choices} or {last}").format(choices=_(", ").join(words[:-1]), last=words[-1])


def step_refusal_text(code: str, kind: ReturnKind, status: ReturnStatus,
                      step: ReturnStep) -> tuple[str, str]:
    """(what happened, what is possible) for a step the table refuses, for the user: the
    domain's step_refusal composed from its parts in the interface's language.
    "RM000012: An exchange that is requested cannot be received." """
    # Translators: "RM000012: An exchange that is requested cannot be received." {kind} is
    # "A return for refund", "An exchange" or "A refund without return"; {status} the RMA's
    # status ("requested"); {step} the status the refused step would have led to ("received",
    # or "marked awaiting parcel").
    message = _("{code}: {kind} that is {status} cannot be {step}.").format(
        code=code, kind=_(_KIND_SUBJECT[kind]), status=_(status.label), step=_step_words(step))
    allowed = next_steps(kind, status)
    if not allowed:
        return message, _("It is closed: nothing more can be done with it; open a new RMA if "
                          "needed.")
    # Translators: "From requested it can be approved or rejected." {steps} lists the
    # statuses the RMA can go on to.
    return message, _("From {status} it can be {steps}.").format(
        status=_(status.label), steps=_either([_step_words(s) for s in allowed]))


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _order(store: Store, order_id: int) -> Order:
    order = store.orders.get(order_id)
    if order is None:
        raise ReturnRefused(_("There is no order with id {id}.").format(id=order_id),
                            _("Choose the order from the orders desk and try again."))
    return order


def get(store: Store, rma_id: int) -> Rma:
    rma = store.returns.get(rma_id)
    if rma is None:
        raise ReturnRefused(_("There is no RMA {code}.").format(code=rma_code(rma_id)),
                            _("Check the code on the slip, or find the RMA from its order."))
    return rma


def find_by_scan(store: Store, code: str) -> Rma | None:
    """The RMA a scanned code names: its RM code, or the returned parcel's tracking number."""
    rma_id = rma_id_from_scan(code)
    if rma_id is not None:
        return store.returns.get(rma_id)
    text = code.strip().upper()
    row = store.db.execute("SELECT id FROM rmas WHERE return_tracking = ? AND return_tracking != ''"
                           " ORDER BY id DESC LIMIT 1", [text]).fetchone()
    return store.returns.get(row[0]) if row else None


# --- what an order can still have back -------------------------------------------------------

def _ever_shipped(store: Store, order_id: int) -> bool:
    shipment = store.db.execute(
        "SELECT 1 FROM shipments WHERE order_id = ? AND status IN ('shipped', 'delivered',"
        " 'returned')", [order_id]).fetchone()
    status = store.db.execute(
        "SELECT 1 FROM audit_log WHERE entity = 'order' AND entity_id = ?"
        " AND new_value IN ('shipped', 'delivered')", [order_id]).fetchone()
    return bool(shipment or status)


def shipped_counts(store: Store, order: Order) -> Counter[str]:
    """SKU -> pieces of the order that have left: all of them once the order is shipped,
    else what Pack mode sent in earlier parcels."""
    whole = order.status in _SHIPPED_IN_FULL or (
        order.status is OrderStatus.REFUNDED and _ever_shipped(store, order.id or 0))
    if whole:
        counts: Counter[str] = Counter()
        for line in order.lines:
            counts[line.sku] += line.quantity
        return counts
    return store.packing.shipped_counts(order.id or 0)


def returnable(store: Store, order_id: int) -> Counter[str]:
    """SKU -> pieces an RMA may still name: shipped less those on the order's RMAs that
    were not rejected."""
    order = _order(store, order_id)
    left = shipped_counts(store, order)
    left.subtract(store.returns.returned_counts(order_id))
    return +left


def refundable(store: Store, order_id: int) -> Money:
    """What can still be refunded on the order: the paid total less every refund recorded
    on its RMAs."""
    order = _order(store, order_id)
    return order.grand_total - Money(store.returns.refunded_minor(order_id), order.currency)


# --- opening ---------------------------------------------------------------------------------

def _merged(lines: Mapping[str, int] | Iterable[tuple[str, int]]) -> dict[str, int]:
    pairs = lines.items() if isinstance(lines, Mapping) else lines
    merged: dict[str, int] = {}
    for sku, quantity in pairs:
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise ReturnRefused(_("{sku}: {quantity} is not a number of pieces.").format(
                                    sku=sku, quantity=repr(quantity)),
                                _("Give each SKU a whole number of pieces, at least 1."))
        merged[sku] = merged.get(sku, 0) + quantity
    return merged


def _check_quantities(store: Store, order: Order, wanted: Mapping[str, int]) -> None:
    ordered = {line.sku for line in order.lines}
    shipped = shipped_counts(store, order)
    if not shipped:
        raise ReturnRefused(
            _("Order {number} has not shipped yet ({status}).").format(
                number=order.order_number, status=_(order.status.label).lower()),
            _("Nothing can come back before it leaves: cancel or refund the order on its "
              "platform instead."))
    returned = store.returns.returned_counts(order.id or 0)
    for sku, quantity in wanted.items():
        if sku not in ordered:
            raise ReturnRefused(_("{sku} is not on order {number}.").format(
                                    sku=sku, number=order.order_number),
                                _("Choose among its SKUs: {skus}.").format(
                                    skus=", ".join(sorted(ordered))))
        left = shipped[sku] - returned[sku]
        if quantity > left:
            raise ReturnRefused(
                _("Order {number}: {quantity} × {sku} asked, but {shipped} shipped and "
                  "{returned} already on other returns.").format(
                      number=order.order_number, quantity=quantity, sku=sku,
                      shipped=shipped[sku], returned=returned[sku]),
                _("At most {n} can be returned.").format(n=left) if left > 0 else
                _("Every shipped piece of it is already on a return; see the order's RMAs."))


def open_rma(store: Store, order_id: int, *, kind: ReturnKind, reason: ReturnReason,
             lines: Mapping[str, int] | Iterable[tuple[str, int]], note: str = "",
             postage_paid_by: PostagePaidBy | None = None, platform_ref: str = "",
             return_tracking: str = "", actor: str = "", now: datetime | None = None) -> Rma:
    """Raise an RMA from a shipped order for `lines` (SKU -> pieces), status requested.

    Each SKU may name at most its shipped pieces less those on the order's other RMAs
    (rejected ones aside). A refund without return may name no lines (a refund of postage,
    a goodwill gesture). Postage defaults to the seller when the reason is the seller's
    doing, else the buyer."""
    at = _now(now)
    wanted = _merged(lines)
    if not wanted and kind is not ReturnKind.REFUND_ONLY:
        # Translators: {kind} is "A return for refund" or "An exchange".
        raise ReturnRefused(_("{kind} needs at least one item.").format(
                                kind=_(_KIND_SUBJECT[kind])),
                            _("Choose the items and how many of each come back."))
    with store.errors(), store.db.atomic():
        order = _order(store, order_id)
        if platform_ref and store.returns.by_platform_ref(order_id, platform_ref):
            raise ReturnRefused(
                _("Order {number} already has an RMA for platform reference {ref}.").format(
                    number=order.order_number, ref=platform_ref),
                _("Open that RMA instead of a second one."))
        _check_quantities(store, order, wanted)  # refused too when nothing has shipped
        by_sku = {line.sku: line for line in reversed(order.lines)}  # first line wins
        rma = Rma(
            order_id=order_id, kind=kind, reason=reason, status=ReturnStatus.REQUESTED,
            currency=order.currency, postage_paid_by=postage_paid_by or (
                PostagePaidBy.SELLER if reason.seller_at_fault else PostagePaidBy.BUYER),
            lines=[RmaLine(sku=sku, quantity=quantity, title=by_sku[sku].title,
                           unit_price=by_sku[sku].unit_price) for sku, quantity in wanted.items()],
            opened_at=at, updated_at=at, note=note, platform_ref=platform_ref,
            return_tracking=return_tracking.strip().upper())
        store.returns.add(rma)
        stamp = audit.utc_text(at)
        audit.record(store.db, "rma", rma.id or 0, "opened", new=rma.status.value, actor=actor,
                     note=note, at=stamp)
        audit.record(store.db, "order", order_id, "return opened", new=rma.code, actor=actor,
                     note=f"{kind.label}: {reason.label}", at=stamp)
    return rma


# --- steps -----------------------------------------------------------------------------------

@dataclass
class _Step:
    """One step under way: the RMA as it was, and the time the step is stamped with."""

    store: Store
    rma: Rma
    step: ReturnStep
    at: datetime
    target: ReturnStatus

    def write(self, *, actor: str, note: str, **fields: Any) -> Rma:
        store, rma = self.store, self.rma
        store.returns.set_status(rma.id or 0, self.target, self.at, **fields)
        audit.record(store.db, "rma", rma.id or 0, self.step.value, old=rma.status.value,
                     new=self.target.value, actor=actor, note=note, at=audit.utc_text(self.at))
        return get(store, rma.id or 0)


def _begin(store: Store, rma_id: int, step: ReturnStep, now: datetime | None) -> _Step:
    """Load the RMA and check the step against the table (inside the caller's transaction)."""
    rma = get(store, rma_id)
    target = step_target(rma.kind, rma.status, step)
    if target is None:
        raise ReturnRefused(*step_refusal_text(rma.code, rma.kind, rma.status, step))
    return _Step(store, rma, step, _now(now), target)


def approve(store: Store, rma_id: int, *, actor: str = "", note: str = "",
            now: datetime | None = None) -> Rma:
    with store.errors(), store.db.atomic():
        step = _begin(store, rma_id, ReturnStep.APPROVE, now)
        return step.write(actor=actor, note=note, approved_at=step.at)


def reject(store: Store, rma_id: int, *, note: str, actor: str = "",
           now: datetime | None = None) -> Rma:
    """Refuse the request; the note (why) is required, since the buyer will ask."""
    with store.errors(), store.db.atomic():
        step = _begin(store, rma_id, ReturnStep.REJECT, now)
        if not note.strip():
            raise ReturnRefused(_("{code}: a rejection needs a reason.").format(
                                    code=step.rma.code),
                                _("Write why in the note; the buyer will ask."))
        return step.write(actor=actor, note=note)


def mark_awaiting_parcel(store: Store, rma_id: int, *, return_tracking: str = "",
                         actor: str = "", note: str = "", now: datetime | None = None) -> Rma:
    """The buyer has the return instructions (and maybe a label): the parcel is on its way."""
    with store.errors(), store.db.atomic():
        step = _begin(store, rma_id, ReturnStep.AWAIT_PARCEL, now)
        tracking = return_tracking.strip().upper() or step.rma.return_tracking
        return step.write(actor=actor, note=note, return_tracking=tracking)


def receive(store: Store, rma_id: int, *, return_tracking: str = "", actor: str = "",
            note: str = "", now: datetime | None = None) -> Rma:
    """The returned parcel is here; it joins the queue awaiting inspection."""
    with store.errors(), store.db.atomic():
        step = _begin(store, rma_id, ReturnStep.RECEIVE, now)
        tracking = return_tracking.strip().upper() or step.rma.return_tracking
        return step.write(actor=actor, note=note, received_at=step.at, return_tracking=tracking)


Outcomes = Mapping[str, InspectionOutcome | Mapping[InspectionOutcome, int]]


def _outcome_counts(rma: Rma, outcomes: Outcomes) -> dict[str, Counter[InspectionOutcome]]:
    """SKU -> pieces per outcome, every line covered and every piece counted once."""
    lines = {line.sku: line for line in rma.lines}
    unknown = sorted(set(outcomes) - set(lines))
    if unknown:
        raise ReturnRefused(_("{code}: {skus} is not on this RMA.").format(
                                code=rma.code, skus=", ".join(unknown)),
                            _("Inspect its items: {skus}.").format(skus=", ".join(lines)))
    counts: dict[str, Counter[InspectionOutcome]] = {}
    for sku, line in lines.items():
        if sku not in outcomes:
            raise ReturnRefused(_("{code}: no inspection outcome for {sku}.").format(
                                    code=rma.code, sku=sku),
                                _("Say for every item whether it is resellable, damaged or "
                                  "missing."))
        given = outcomes[sku]
        found = (Counter({InspectionOutcome(given): line.quantity}) if isinstance(given, str)
                 else Counter({InspectionOutcome(k): v for k, v in given.items()}))
        if any(v < 0 for v in found.values()) or sum(found.values()) != line.quantity:
            raise ReturnRefused(
                ngettext("{code}: {sku} has {quantity} piece on the RMA, but the outcomes "
                         "count {count}.", "{code}: {sku} has {quantity} pieces on the RMA, "
                         "but the outcomes count {count}.", line.quantity).format(
                             code=rma.code, sku=sku, quantity=line.quantity,
                             count=sum(found.values())),
                _("Give an outcome for each piece: resellable, damaged or missing."))
        counts[sku] = found
    return counts


def inspect(store: Store, rma_id: int, outcomes: Outcomes, *, restock: bool = True,
            actor: str = "", note: str = "", now: datetime | None = None) -> Rma:
    """Record what each returned piece is: `outcomes` maps every SKU of the RMA to one
    outcome for all its pieces, or to pieces per outcome. Resellable pieces go back in
    stock (one movement per SKU) unless `restock` is False."""
    with store.errors(), store.db.atomic():
        step = _begin(store, rma_id, ReturnStep.INSPECT, now)
        rma = step.rma
        counts = _outcome_counts(rma, outcomes)
        for sku, found in counts.items():
            resellable = found[InspectionOutcome.RESELLABLE]
            store.returns.set_inspection(rma.id or 0, sku, resellable=resellable,
                                         damaged=found[InspectionOutcome.DAMAGED],
                                         missing=found[InspectionOutcome.MISSING])
            if restock and resellable:
                store.returns.add_stock_movement(sku, resellable, f"returned on {rma.code}",
                                                 at=step.at, rma_id=rma.id)
        total = sum(counts.values(), Counter())
        summary = ", ".join(f"{total[o]} {o.value}" for o in InspectionOutcome if total[o])
        return step.write(actor=actor, note=f"{summary}. {note}".strip() if note else summary)


def _check_refund(store: Store, rma: Rma, amount: Money) -> Order:
    order = _order(store, rma.order_id)
    if amount.currency != order.currency:
        raise ReturnRefused(_("{code}: order {number} was paid in {currency}, not "
                              "{other}.").format(code=rma.code, number=order.order_number,
                                                 currency=order.currency,
                                                 other=amount.currency),
                            _("Enter the refund in {currency}.").format(currency=order.currency))
    if amount.minor <= 0:
        raise ReturnRefused(_("{code}: a refund must be more than nothing ({amount}).").format(
                                code=rma.code, amount=amount),
                            _("Enter the amount paid back to the buyer."))
    already = Money(store.returns.refunded_minor(order.id or 0), order.currency)
    if already + amount > order.grand_total:
        left = order.grand_total - already
        raise ReturnRefused(
            _("{code}: refunding {amount} would bring order {number} to {total} refunded, "
              "more than the {paid} paid.").format(
                  code=rma.code, amount=amount, number=order.order_number,
                  total=already + amount, paid=order.grand_total),
            _("At most {amount} can still be refunded.").format(amount=left)
            if left.minor > 0 else _("The whole payment is already refunded."))
    return order


def refund(store: Store, rma_id: int, amount: Money, *, method: RefundMethod,
           refunded_at: datetime | None = None, platform_ref: str = "", actor: str = "",
           note: str = "", now: datetime | None = None) -> Rma:
    """Record money paid back. Parts add up; all refunds on the order's RMAs together never
    exceed what the buyer paid for it."""
    with store.errors(), store.db.atomic():
        step = _begin(store, rma_id, ReturnStep.REFUND, now)
        rma = step.rma
        order = _check_refund(store, rma, amount)
        store.returns.add_refund(rma.id or 0, Refund(
            amount=amount, method=method, refunded_at=refunded_at or step.at, actor=actor,
            note=note, platform_ref=platform_ref))
        words = f"{amount} by {method.value.replace('_', ' ')}"
        audit.record(store.db, "order", order.id or 0, "refund", new=str(amount), actor=actor,
                     note=f"{rma.code}: {words}", at=audit.utc_text(step.at))
        return step.write(actor=actor, note=f"{words}. {note}".strip() if note else words)


def close(store: Store, rma_id: int, *, actor: str = "", note: str = "",
          now: datetime | None = None) -> Rma:
    with store.errors(), store.db.atomic():
        step = _begin(store, rma_id, ReturnStep.CLOSE, now)
        audit.record(store.db, "order", step.rma.order_id, "return closed", new=step.rma.code,
                     actor=actor, note=note, at=audit.utc_text(step.at))
        return step.write(actor=actor, note=note, closed_at=step.at)


# --- exchanges -------------------------------------------------------------------------------

def _unit_value(store: Store, order: Order, sku: str, given: Mapping[str, Money]) -> Money:
    """What customs is told one piece is worth: as given, else what the buyer paid for it on
    the original order, else the latest price it sold at in the order's currency."""
    if sku in given:
        value = given[sku]
    elif line := next((l for l in order.lines if l.sku == sku), None):
        value = line.unit_price
    else:
        row = store.db.execute(
            "SELECT l.unit_price FROM order_lines l JOIN orders o ON o.id = l.order_id"
            " WHERE l.sku = ? AND o.currency = ? AND l.unit_price > 0"
            " ORDER BY o.ordered_at DESC, l.id DESC LIMIT 1", [sku, order.currency]).fetchone()
        if row is None:
            raise ReturnRefused(_("No value is known for {sku} in {currency}: customs needs "
                                  "what a replacement piece is worth.").format(
                                      sku=sku, currency=order.currency),
                                _("Give its unit value in {currency}.").format(
                                    currency=order.currency))
        value = Money(row[0], order.currency)
    if value.currency != order.currency or value.minor <= 0:
        raise ReturnRefused(_("{sku}: a replacement is declared at the goods' value in "
                              "{currency}, not {value}.").format(
                                  sku=sku, currency=order.currency, value=value),
                            _("Give its unit value in {currency}, more than zero.").format(
                                currency=order.currency))
    return value


def _replacement_key(store: Store, order: Order) -> tuple[str, str]:
    """(platform order id, order number) of the next replacement: "<original>-EX1", -EX2…"""
    n = 1
    while store.orders.id_for(order.account_id, f"{order.platform_order_id}-EX{n}") is not None:
        n += 1
    return f"{order.platform_order_id}-EX{n}", f"{order.order_number}-EX{n}"


def exchange(store: Store, rma_id: int, *,
             replacement: Mapping[str, int] | Iterable[tuple[str, int]] | None = None,
             ship_to: Address | None = None, unit_values: Mapping[str, Money] | None = None,
             actor: str = "", note: str = "", now: datetime | None = None) -> Rma:
    """Send the replacement: a new order awaiting shipment (so papers and Pack mode treat
    it like any other), for `replacement` (SKU -> pieces; default: the RMA's own items),
    to the original address or `ship_to`. It is free to the buyer but declares the goods'
    value (see _unit_value); its papers say it is a replacement (services.papers)."""
    with store.errors(), store.db.atomic():
        step = _begin(store, rma_id, ReturnStep.EXCHANGE, now)
        rma = step.rma
        if rma.replacement_order_id is not None:  # it went ahead, the goods came back after
            number = papers.order_numbers(store, [rma.replacement_order_id]).get(
                rma.replacement_order_id, "")
            raise ReturnRefused(_("{code} already has its replacement, order {number}.").format(
                                    code=rma.code, number=number),
                                _("Close the RMA, or open a new one for another replacement."))
        wanted = _merged(replacement if replacement is not None
                         else [(line.sku, line.quantity) for line in rma.lines])
        if not wanted:
            raise ReturnRefused(_("{code}: a replacement needs at least one item.").format(
                                    code=rma.code), _("Choose what to send."))
        order = _order(store, rma.order_id)
        products = store.products.by_skus(wanted)
        titles = {line.sku: line.title for line in order.lines}
        lines = [OrderLine(sku=sku, quantity=quantity,
                           title=products[sku].title if sku in products else titles.get(sku, sku),
                           unit_price=_unit_value(store, order, sku, unit_values or {}))
                 for sku, quantity in wanted.items()]
        platform_id, number = _replacement_key(store, order)
        zero = Money.zero(order.currency)
        new = Order(
            account_id=order.account_id, platform_order_id=platform_id, order_number=number,
            status=OrderStatus.AWAITING_SHIPMENT, ordered_at=step.at, currency=order.currency,
            ship_to=ship_to or order.ship_to, lines=lines, buyer_name=order.buyer_name,
            buyer_email=order.buyer_email, shipping=zero, paid_total=zero,
            note=replacement_explanation(order.order_number),
            raw={"replacement_for": {"order_id": order.id, "order_number": order.order_number,
                                     "rma": rma.code}})
        store.orders.save([new], actor=actor or "returns")
        stamp = audit.utc_text(step.at)
        audit.record(store.db, "order", order.id or 0, "replacement", new=number, actor=actor,
                     note=rma.code, at=stamp)
        audit.record(store.db, "order", new.id or 0, "replacement for",
                     new=order.order_number, actor=actor, note=rma.code, at=stamp)
        words = f"replacement order {number}"
        return step.write(actor=actor, note=f"{words}. {note}".strip() if note else words,
                          replacement_order_id=new.id)


# --- queues and reports ----------------------------------------------------------------------

def overdue_days(store: Store) -> int:
    days = store.settings.get(OVERDUE_DAYS_KEY, DEFAULT_OVERDUE_DAYS)
    return days if isinstance(days, int) and days > 0 else DEFAULT_OVERDUE_DAYS


def set_overdue_days(store: Store, days: int) -> None:
    if not isinstance(days, int) or days < 1:
        raise ReturnRefused(_("{days} is not a number of days.").format(days=repr(days)),
                            _("Give a whole number, at least 1."))
    store.settings.set(OVERDUE_DAYS_KEY, days)


def is_overdue(rma: Rma, now: datetime, days: int) -> bool:
    """Approved more than `days` ago and the returned parcel still not in."""
    return parcel_overdue(rma.kind, rma.status, rma.approved_at, now, days)


def parcel_overdue(kind: ReturnKind, status: ReturnStatus, approved_at: datetime | None,
                   now: datetime, days: int) -> bool:
    """is_overdue from an RMA's columns, for lists that do not load whole RMAs."""
    return (awaits_parcel(kind, status) and approved_at is not None
            and now - approved_at > timedelta(days=days))


def awaiting_inspection(store: Store) -> list[Rma]:
    """Parcels received and not yet inspected, oldest first."""
    return store.returns.with_status([ReturnStatus.RECEIVED])


def overdue(store: Store, now: datetime | None = None) -> list[Rma]:
    """Approved returns whose parcel has not come within the overdue days, oldest first."""
    at, days = _now(now), overdue_days(store)
    waiting = store.returns.with_status([ReturnStatus.APPROVED, ReturnStatus.AWAITING_PARCEL])
    return [rma for rma in waiting if is_overdue(rma, at, days)]


def _money(amount: Money) -> dict[str, Any]:
    return {"amount": str(amount.to_decimal()), "minor": amount.minor, "currency": amount.currency}


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def rma_as_dict(rma: Rma, *, order_number: str, replacement_number: str | None, now: datetime,
                days: int) -> dict[str, Any]:
    """An RMA as plain JSON-ready data, for `fulfill returns --json` and scripts."""
    return {
        "id": rma.id, "code": rma.code, "order_id": rma.order_id, "order_number": order_number,
        "kind": rma.kind.value, "reason": rma.reason.value, "status": rma.status.value,
        "postage_paid_by": rma.postage_paid_by.value, "note": rma.note,
        "platform_ref": rma.platform_ref, "return_tracking": rma.return_tracking,
        "replacement_order_id": rma.replacement_order_id,
        "replacement_order_number": replacement_number,
        "opened_at": _time(rma.opened_at), "approved_at": _time(rma.approved_at),
        "received_at": _time(rma.received_at), "closed_at": _time(rma.closed_at),
        "days_open": rma.days_open(now), "overdue": is_overdue(rma, now, days),
        "lines": [{"sku": line.sku, "title": line.title, "quantity": line.quantity,
                   "unit_price": _money(line.unit_price) if line.unit_price else None,
                   "resellable": line.resellable, "damaged": line.damaged,
                   "missing": line.missing} for line in rma.lines],
        "refunds": [{"amount": _money(r.amount), "method": r.method.value,
                     "refunded_at": _time(r.refunded_at), "actor": r.actor, "note": r.note,
                     "platform_ref": r.platform_ref} for r in rma.refunds],
        "refunded": _money(rma.refunded),
        "next_steps": [step.value for step in rma.next_steps()],
    }


def rma_report(store: Store, statuses: Sequence[ReturnStatus] = (),
               now: datetime | None = None) -> list[dict[str, Any]]:
    """Every RMA of these statuses (all when none), oldest first, as rma_as_dict."""
    at, days = _now(now), overdue_days(store)
    rmas = store.returns.with_status(statuses)
    ids = {rma.order_id for rma in rmas} | {
        rma.replacement_order_id for rma in rmas if rma.replacement_order_id}
    numbers = papers.order_numbers(store, ids)
    return [rma_as_dict(rma, order_number=numbers.get(rma.order_id, ""),
                        replacement_number=numbers.get(rma.replacement_order_id or 0),
                        now=at, days=days) for rma in rmas]
