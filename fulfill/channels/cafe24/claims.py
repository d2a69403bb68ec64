"""Cancellations, returns, exchanges and refunds as one Cafe24 order payload reports them.

Cafe24 keeps claims on the order items: each item in a claim carries its `claim_code`
(C…/R…/E… number), the buyer's `claim_reason_type` and `claim_reason`, the quantity asked
for (`claim_quantity`) and an `order_status` whose letter says what the claim is: C
cancellation, R return, E exchange [V: orders--items doc]. The claim's own record (embed
`cancellation`, `return`, `exchange`) adds the refund: `refund_amounts` per payment method
and `undone` when it was withdrawn [V: cancellation/return docs; that the list embed gives
the same record shape is assumed]. A refund is taken as paid when an item reached one of
the "refund complete" codes (C35, C40, R40, E35).

Pure: payload in, PlatformClaims out. Each claim's ref is its claim_code, so the same claim
read again is the same RMA, never a second one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fulfill.channels.money_time import KST, money, parse_time
from fulfill.domain import Money
from fulfill.domain.returns import ClaimKind, PlatformClaim, ReturnReason, reason_from_text

# Item codes of a cancelled item, and of claims whose money went back to the buyer.
CANCELLED = frozenset({"C35", "C40", "C41", "C42", "C43", "C47", "C48", "C49"})
REFUND_PAID = frozenset({"C35", "C40", "R40", "E35"})
REFUSED = frozenset({"C11", "R11", "E11"})  # the seller refused the request (…접수거부)
# Payment methods that are the mall's own points or deposit: not part of payment_amount.
STORE_CREDIT = frozenset({"point", "credit", "mileage", "deposit", "pointfy"})
# The exchange's replacement goods (status_code N2 "교환상품") are not goods of the order.
REPLACEMENT = "N2"
# claim_reason_type letters; the buyer's and the seller's lists share their meanings.
REASONS = {
    "A": ReturnReason.CHANGED_MIND, "O": ReturnReason.CHANGED_MIND,  # 고객변심
    "P": ReturnReason.NOT_AS_DESCRIBED, "E": ReturnReason.NOT_AS_DESCRIBED,  # 상품 불만족
    "F": ReturnReason.NOT_AS_DESCRIBED,  # 상품정보상이
    "V": ReturnReason.DAMAGED, "K": ReturnReason.DAMAGED,  # 상품불량
    "D": ReturnReason.DAMAGED,  # 포장불량
    "W": ReturnReason.WRONG_ITEM, "J": ReturnReason.WRONG_ITEM,  # 배송오류
}
_KIND_OF_UNDONE = {"cancellation": "C", "return": "R", "exchange": "E"}


def kst_time(text: str | None) -> datetime | None:
    """A Cafe24 time: ISO with +09:00, or KST without offset ("2017-07-10 15:55:51")."""
    return parse_time(text, naive_zone=KST) if text else None


def goods(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The order's own items, without an exchange's replacement goods."""
    items = payload.get("items")
    if items is None:
        raise KeyError("items (the order was not read with embed=items)")
    return [item for item in items if item.get("status_code") != REPLACEMENT]


def item_sku(item: dict[str, Any]) -> str:
    """The seller's own code (자체 품목/상품 코드) when set, else Cafe24's variant code."""
    return (item.get("custom_variant_code") or item.get("custom_product_code")
            or item.get("variant_code")
            or f"cafe24-{item['product_no']}-{item.get('option_id', '')}")


def _records(payload: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """claim_code -> (kind letter, record) from the cancellation/return/exchange embeds."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for key, letter in (("cancellation", "C"), ("return", "R"), ("exchange", "E")):
        records = payload.get(key) or []
        for record in records if isinstance(records, list) else [records]:
            if isinstance(record, dict) and record.get("claim_code"):
                found[str(record["claim_code"])] = (letter, record)
    return found


def record_refund(record: dict[str, Any] | None, currency: str) -> Money | None:
    """What the claim gave back in money (points and deposit left out), None if unknown."""
    amounts = (record or {}).get("refund_amounts")
    if not isinstance(amounts, list):
        return None
    total = Money.zero(currency)
    for part in amounts:
        if str(part.get("payment_method") or "") not in STORE_CREDIT:
            total = total + money(part.get("amount"), currency)
    return total


def refunded_total(payload: dict[str, Any]) -> Money:
    """Money the order's paid claims returned to the buyer."""
    currency = payload["currency"]
    total = Money.zero(currency)
    records = _records(payload)
    for ref, items in _groups(payload).items():
        if any(i.get("order_status") in REFUND_PAID for i in items):
            total = total + (record_refund(records.get(ref, ("", None))[1], currency)
                             or Money.zero(currency))
    return total


def _groups(payload: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in goods(payload):
        if item.get("claim_code"):
            groups.setdefault(str(item["claim_code"]), []).append(item)
    return groups


def _kind(items: list[dict[str, Any]], record: tuple[str, dict[str, Any]] | None) -> str:
    for item in items:
        letter = str(item.get("order_status") or "")[:1]
        if letter and letter in "CRE":
            return letter
    for item in items:
        undone = str(item.get("request_undone") or "").lower()
        if undone in _KIND_OF_UNDONE:
            return _KIND_OF_UNDONE[undone]
    return record[0] if record else ""


def _lines(items: list[dict[str, Any]]) -> tuple[tuple[str, int], ...]:
    """(SKU, pieces) the claim covers: the quantity asked for, else the item's."""
    return tuple((item_sku(i), int(i.get("claim_quantity") or 0) or int(i["quantity"]))
                 for i in items)


def _reason(items: list[dict[str, Any]], record: dict[str, Any] | None) -> tuple[ReturnReason, str]:
    """The buyer's reason (on the items), else the seller's (on the record)."""
    for source in [*items, record or {}]:
        code, words = str(source.get("claim_reason_type") or ""), source.get("claim_reason") or ""
        if code or words:
            return REASONS.get(code) or reason_from_text(words), words
    return ReturnReason.OTHER, ""


def _first(items: list[dict[str, Any]], *names: str) -> datetime | None:
    times = [kst_time(i.get(name)) for name in names for i in items if i.get(name)]
    return min((t for t in times if t), default=None)


def claims(payload: dict[str, Any]) -> list[PlatformClaim]:
    """Every claim on the order, requests before the refunds that settle them."""
    currency = payload["currency"]
    records = _records(payload)
    requests: list[PlatformClaim] = []
    refunds: list[PlatformClaim] = []
    for ref, items in _groups(payload).items():
        found = records.get(ref)
        record = found[1] if found else None
        kind = _kind(items, found)
        codes = {str(i.get("order_status") or "") for i in items}
        withdrawn = (any(i.get("request_undone") for i in items)
                     or (record or {}).get("undone") == "T")
        reason, words = _reason(items, record)
        lines = _lines(items)
        paid = record_refund(record, currency) if codes & REFUND_PAID else None
        if kind == "C":
            if codes & CANCELLED and not withdrawn:
                requests.append(PlatformClaim(
                    ref, ClaimKind.CANCELLATION, paid, lines, reason,
                    _first(items, "cancel_date", "cancel_request_date"), words))
            continue
        if kind not in ("R", "E"):
            continue
        if withdrawn or (codes and codes <= REFUSED):
            note = "withdrawn by the buyer on Cafe24" if withdrawn else "refused on Cafe24"
            requests.append(PlatformClaim(ref, ClaimKind.WITHDRAWAL, note=note))
            continue
        asked = ClaimKind.RETURN_REQUEST if kind == "R" else ClaimKind.EXCHANGE_REQUEST
        requests.append(PlatformClaim(
            ref, asked, None, lines, reason,
            _first(items, "return_request_date" if kind == "R" else "exchange_request_date"),
            words))
        if paid is not None and paid.minor:
            refunds.append(PlatformClaim(ref, ClaimKind.REFUND, paid, lines, reason,
                                         _first(items, "refund_date"), words))
    return requests + refunds
