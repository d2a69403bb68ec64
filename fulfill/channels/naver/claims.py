"""Cancellations, returns and exchanges Naver reports on a product order, as PlatformClaims.
Pure: the payload mapper.group() builds in, claims out.

Naver keeps each claim as its own record with a claimId (the PlatformClaim's ref, stable from
one sync to the next) in the product order's "cancel", "return" and "exchange" objects, and,
for clients that ask for quantity claims, in "currentClaim" and "completedClaims"; all are
read, each claimId once. By claimStatus:
- CANCEL_DONE, ADMIN_CANCEL_DONE: a cancellation, with the money that went back: what the
  product order cost (its share of the requested quantity), and its delivery fee when every
  product order of the order was cancelled (nothing was delivered). A cancel still requested
  opens nothing: the order is on hold until Naver decides (mapper.line_status).
- RETURN_REQUEST, COLLECTING, COLLECT_DONE: a return request for the product order's SKU;
  RETURN_DONE: the same request (so a return requested and completed between two syncs still
  opens its RMA) and the refund of what the returned pieces cost. Return postage the buyer
  pays is not subtracted: the claim records do not say in our sources how it was paid.
- EXCHANGE_REQUEST … EXCHANGE_DONE: an exchange request (opens one exchange).
- RETURN_REJECT, EXCHANGE_REJECT (반품/교환 철회: withdrawn or refused): a withdrawal of that
  claimId, which closes the RMA it opened while no goods came back.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from fulfill.channels.naver.mapper import CANCELLED, delivery_fee, kst_time, sku, won
from fulfill.domain import Money
from fulfill.domain.returns import ClaimKind, PlatformClaim, ReturnReason, reason_from_text

CANCEL_DONE = frozenset({"CANCEL_DONE", "ADMIN_CANCEL_DONE"})
RETURN_OPEN = frozenset({"RETURN_REQUEST", "COLLECTING", "COLLECT_DONE"})
RETURN_DONE = "RETURN_DONE"
EXCHANGE_OPEN = frozenset({"EXCHANGE_REQUEST", "COLLECTING", "COLLECT_DONE",
                           "EXCHANGE_REDELIVERING", "EXCHANGE_DONE"})
WITHDRAWN = frozenset({"RETURN_REJECT", "EXCHANGE_REJECT"})
# Naver's claim reason codes (claimRequestReason / returnReason …) as third-party clients
# list them (unverified against the vendor's table); others are read as words.
REASONS = {
    "INTENT_CHANGED": ReturnReason.CHANGED_MIND, "WRONG_ORDER": ReturnReason.CHANGED_MIND,
    "COLOR_AND_SIZE": ReturnReason.WRONG_SIZE, "BROKEN": ReturnReason.DAMAGED,
    "INCORRECT_INFO": ReturnReason.NOT_AS_DESCRIBED, "WRONG_DELIVERY": ReturnReason.WRONG_ITEM,
    "WRONG_OPTION": ReturnReason.WRONG_ITEM, "DROPPED_DELIVERY": ReturnReason.WRONG_ITEM,
    "DELAYED_DELIVERY": ReturnReason.OTHER, "SOLD_OUT": ReturnReason.OTHER,
    "PRODUCT_UNSATISFIED": ReturnReason.OTHER,
}
_TYPES = {"cancel": "CANCEL", "return": "RETURN", "exchange": "EXCHANGE"}


def _records(item: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(claim type, record) for every claim of a product order, each claimId once."""
    current = item.get("currentClaim") or {}
    found = [(_TYPES[key], current.get(key)) for key in _TYPES]
    found += [(_TYPES[key], item.get(key)) for key in _TYPES]
    found += [(str(r.get("claimType") or ""), r) for r in item.get("completedClaims") or []
              if isinstance(r, dict)]
    seen: set[str] = set()
    for kind, record in found:
        if isinstance(record, dict) and record.get("claimId") and \
                str(record["claimId"]) not in seen:
            seen.add(str(record["claimId"]))
            yield ("CANCEL" if kind == "ADMIN_CANCEL" else kind), record


def _reason(record: dict[str, Any], kind: str) -> tuple[ReturnReason, str]:
    code = str(record.get(f"{kind}Reason") or record.get("claimRequestReason") or "")
    words = str(record.get(f"{kind}DetailedReason") or record.get("claimRequestDetailContent")
                or "")
    return REASONS.get(code) or reason_from_text(f"{code} {words}"), words or code


def _time(record: dict[str, Any], *names: str) -> datetime | None:
    return next((kst_time(record[n]) for n in names if record.get(n)), None)


def _pieces(record: dict[str, Any], product_order: dict[str, Any]) -> int:
    quantity = int(product_order["quantity"])
    asked = int(record.get("requestQuantity") or quantity)
    return max(1, min(asked, quantity))


def _paid_for(record: dict[str, Any], product_order: dict[str, Any]) -> Money:
    """What the claimed pieces cost the buyer (the product order's payment, pro rata)."""
    paid = won(product_order.get("totalPaymentAmount"))
    quantity = int(product_order["quantity"])
    pieces = _pieces(record, product_order)
    return paid if pieces >= quantity else Money(paid.minor * pieces // quantity, paid.currency)


def claims(payload: dict[str, Any]) -> list[PlatformClaim]:
    items = payload["productOrders"]
    all_cancelled = all(item["productOrder"]["productOrderStatus"] in CANCELLED
                        for item in items)
    found: list[PlatformClaim] = []
    for item in items:
        po = item["productOrder"]
        for kind, record in _records(item):
            status, ref = str(record.get("claimStatus") or ""), str(record["claimId"])
            lines = ((sku(po), _pieces(record, po)),)
            if kind == "CANCEL" and status in CANCEL_DONE:
                reason, words = _reason(record, "cancel")
                amount = _paid_for(record, po)
                if all_cancelled:
                    amount = amount + delivery_fee(po)
                found.append(PlatformClaim(
                    ref, ClaimKind.CANCELLATION, amount, lines, reason,
                    _time(record, "cancelCompletedDate", "cancelApprovalDate",
                          "claimRequestDate"),
                    f"{po.get('productName', '')}: {words}".strip(": ")))
            elif kind == "RETURN" and (status in RETURN_OPEN or status == RETURN_DONE):
                reason, words = _reason(record, "return")
                found.append(PlatformClaim(ref, ClaimKind.RETURN_REQUEST, None, lines, reason,
                                           _time(record, "claimRequestDate"), words))
                if status == RETURN_DONE:
                    found.append(PlatformClaim(
                        ref, ClaimKind.REFUND, _paid_for(record, po), lines, reason,
                        _time(record, "returnCompletedDate", "claimRequestDate"), words))
            elif kind == "EXCHANGE" and status in EXCHANGE_OPEN:
                reason, words = _reason(record, "exchange")
                found.append(PlatformClaim(ref, ClaimKind.EXCHANGE_REQUEST, None, lines, reason,
                                           _time(record, "claimRequestDate"), words))
            elif status in WITHDRAWN:
                found.append(PlatformClaim(ref, ClaimKind.WITHDRAWAL, note="withdrawn on Naver"))
    return found
