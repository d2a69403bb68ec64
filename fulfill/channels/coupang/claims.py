"""Coupang's claim records, read against one shipping box. Pure: records in, domain out.

Coupang reports claims as records of their own, each naming an orderId and the items (and
mostly the boxes) it is about:
- returnRequests: receiptType RETURN (반품) or CANCEL (취소, cancelled before it was
  prepared), with receiptStatus RELEASE_STOP_UNCHECKED (출고중지요청: the buyer asks not to
  ship), RETURNS_UNCHECKED, VENDOR_WAREHOUSE_CONFIRM, REQUEST_COUPANG_CHECK or
  RETURNS_COMPLETED, and releaseStopStatus telling whether a stop request was met
  ("처리(출고중지)") or came too late ("처리(이미출고)").
- exchangeRequests: exchangeStatus RECEIPT, PROGRESS, SUCCESS, REJECT (불가) or CANCEL (철회).
- returnWithdrawRequests: a buyer withdrew the return `cancelId` (= the return's receiptId).

The client attaches the records that concern a box to its order-sheet payload, under the
keys below (`attach`); `claims` turns them into PlatformClaims and `box_state` tells the
mapper what they mean for the box's status.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fulfill.channels.money_time import KST, parse_time
from fulfill.domain.returns import ClaimKind, PlatformClaim, ReturnReason, reason_from_text

RETURNS, EXCHANGES, WITHDRAWALS = "returnRequests", "exchangeRequests", "returnWithdrawRequests"
CLAIM_KEYS = (RETURNS, EXCHANGES, WITHDRAWALS)

STOP_REQUESTED = "RELEASE_STOP_UNCHECKED"  # 출고중지요청: not yet answered by the seller
STOP_UNANSWERED = "미처리"
SHIPMENT_STOPPED = "처리(출고중지)"  # the seller stopped it: the pieces are cancelled
RETURN_DONE = "RETURNS_COMPLETED"  # 반품완료: the goods are back and the buyer refunded
EXCHANGE_OFF = frozenset({"CANCEL", "REJECT"})  # 철회 by the buyer, 불가 by seller/Coupang

# Coupang reason codes and words that reason_from_text does not know.
_REASONS: tuple[tuple[str, ReturnReason], ...] = (
    ("DIFFERENTOPT", ReturnReason.WRONG_SIZE), ("COMPOMISS", ReturnReason.WRONG_ITEM),
    ("구성품", ReturnReason.WRONG_ITEM), ("부속품", ReturnReason.WRONG_ITEM),
    ("WRONGDELIVERY", ReturnReason.WRONG_ITEM), ("BROKEN", ReturnReason.DAMAGED),
    ("결함", ReturnReason.DAMAGED), ("DELAY", ReturnReason.NEVER_ARRIVED),
    ("배송지연", ReturnReason.NEVER_ARRIVED),
)


def sku_of(item: Mapping[str, Any]) -> str:
    """A box item's SKU: the seller's own code when given, else Coupang's option id."""
    return str(item.get("externalVendorSkuCode") or "").strip() or \
        f"coupang-{item['vendorItemId']}"


def _ids(values: Iterable[Any]) -> set[str]:
    return {str(v) for v in values if v not in (None, "")}


def _box_items(box: Mapping[str, Any]) -> set[str]:
    return _ids(item.get("vendorItemId") for item in box.get("orderItems") or [])


def belongs(box: Mapping[str, Any], key: str, record: Mapping[str, Any]) -> bool:
    """Whether a claim record is about this box: by the boxes it names, else by its items."""
    box_id = str(box.get("shipmentBoxId"))
    if key == RETURNS:
        items = record.get("returnItems") or []
        named = _ids(i.get("shipmentBoxId") for i in items)
        return box_id in named if named else bool(
            _ids(i.get("vendorItemId") for i in items) & _box_items(box))
    if key == EXCHANGES:
        items = record.get("exchangeItemDtoV1s") or []
        named = _ids(i.get("originalShipmentBoxId") for i in items)
        return box_id in named if named else bool(
            _ids(i.get("orderItemId") for i in items) & _box_items(box))
    return bool(_ids(record.get("vendorItemIds") or []) & _box_items(box))


def record_id(key: str, record: Mapping[str, Any]) -> str:
    field = {RETURNS: "receiptId", EXCHANGES: "exchangeId", WITHDRAWALS: "cancelId"}[key]
    return str(record.get(field))


def boxes_named(key: str, record: Mapping[str, Any]) -> set[str]:
    """The box ids a record names itself (a withdrawal names none)."""
    if key == RETURNS:
        return _ids(i.get("shipmentBoxId") for i in record.get("returnItems") or [])
    if key == EXCHANGES:
        return _ids(i.get("originalShipmentBoxId") for i in record.get("exchangeItemDtoV1s") or [])
    return set()


def attach(box: dict[str, Any], records: Mapping[str, Iterable[Mapping[str, Any]]]
           ) -> dict[str, Any]:
    """The box payload with the records (key -> records of its order) that concern it, in
    a stable order so that reading the same claims again changes nothing."""
    found = {key: sorted((r for r in records.get(key, ()) if belongs(box, key, r)),
                         key=lambda r, k=key: record_id(k, r))
             for key in CLAIM_KEYS}
    found = {key: list(value) for key, value in found.items() if value}
    return {**box, **found} if found else box


def when(text: Any) -> datetime | None:
    """A Coupang timestamp (KST without offset, "T" or space) in UTC; None when absent."""
    if not text or not isinstance(text, str):
        return None
    try:
        return parse_time(text.strip(), naive_zone=KST)
    except ValueError:
        return None


def reason(*words: Any) -> ReturnReason:
    text = " ".join(str(w) for w in words if w)
    for marker, found in _REASONS:
        if marker in text:
            return found
    return reason_from_text(text)


def _note(*words: Any) -> str:
    return " / ".join(str(w).strip() for w in words if w and str(w).strip())


def _lines(box: Mapping[str, Any], pairs: Iterable[tuple[Any, Any]]) -> tuple[tuple[str, int], ...]:
    """(vendorItemId, pieces) of a record as (SKU, pieces) of this box; others are skipped."""
    skus = {str(i.get("vendorItemId")): sku_of(i) for i in box.get("orderItems") or []}
    return tuple((skus[str(item)], int(count)) for item, count in pairs
                 if str(item) in skus and count and int(count) > 0)


def _return_claim(box: Mapping[str, Any], record: Mapping[str, Any]) -> PlatformClaim | None:
    ref = str(record.get("receiptId") or "")
    lines = _return_lines(box, record)
    why = reason(record.get("cancelReasonCategory1"), record.get("cancelReasonCategory2"),
                 record.get("cancelReason"))
    note = _note(record.get("cancelReasonCategory1"), record.get("cancelReasonCategory2"),
                 record.get("cancelReason"))
    at = when(record.get("createdAt"))
    if record.get("receiptType") == "CANCEL" or record.get("releaseStopStatus") == SHIPMENT_STOPPED:
        return PlatformClaim(ref, ClaimKind.CANCELLATION, None, lines, why, at, note)
    if record.get("receiptStatus") == STOP_REQUESTED \
            or record.get("releaseStopStatus") == STOP_UNANSWERED:
        return None  # asked not to ship, not yet answered: the box is on hold meanwhile
    return PlatformClaim(ref, ClaimKind.RETURN_REQUEST, None, lines, why, at, note)


def _exchange_claim(box: Mapping[str, Any], record: Mapping[str, Any]) -> PlatformClaim:
    ref = f"EX{record.get('exchangeId')}"
    at = when(record.get("modifiedAt")) or when(record.get("createdAt"))
    if record.get("exchangeStatus") in EXCHANGE_OFF:
        words = "refused on Coupang" if record.get("exchangeStatus") == "REJECT" \
            else "withdrawn by the buyer on Coupang"
        return PlatformClaim(ref, ClaimKind.WITHDRAWAL, at=at,
                             note=_note(words, record.get("cancelReason")))
    items = [i for i in record.get("exchangeItemDtoV1s") or []
             if str(i.get("originalShipmentBoxId") or box.get("shipmentBoxId"))
             == str(box.get("shipmentBoxId"))]
    lines = _lines(box, ((i.get("orderItemId"), i.get("quantity")) for i in items))
    why = reason(record.get("reasonCode"), record.get("reasonCodeText"),
                 record.get("reasonEtcDetail"), record.get("reason"))
    note = _note(record.get("reasonCodeText"), record.get("reasonEtcDetail"))
    return PlatformClaim(ref, ClaimKind.EXCHANGE_REQUEST, None, lines, why,
                         when(record.get("createdAt")), note)


def claims(payload: Mapping[str, Any]) -> list[PlatformClaim]:
    """The box's cancellations, return and exchange requests and their withdrawals, requests
    before withdrawals so that a request withdrawn in one go is opened then closed."""
    found = [c for r in payload.get(RETURNS) or [] if (c := _return_claim(payload, r))]
    found += [_exchange_claim(payload, r) for r in payload.get(EXCHANGES) or []]
    found.sort(key=lambda c: c.kind is ClaimKind.WITHDRAWAL)
    found += [PlatformClaim(str(r.get("cancelId")), ClaimKind.WITHDRAWAL,
                            at=when(r.get("createdAt")),
                            note="return withdrawn by the buyer on Coupang")
              for r in payload.get(WITHDRAWALS) or []]
    return found


@dataclass(frozen=True)
class BoxState:
    """What the claims on a box mean for shipping it."""

    pieces: int  # ordered
    cancelled: int  # cancelled (the items' own count, or cancellations and met stop requests)
    returned: int  # pieces back and refunded (반품완료)
    stop_requested: bool  # the buyer asked not to ship and no one has answered yet


def box_state(payload: Mapping[str, Any]) -> BoxState:
    items = payload.get("orderItems") or []
    ordered = sum(int(i.get("shippingCount") or 0) for i in items)
    counted = sum(min(int(i.get("cancelCount") or 0), int(i.get("shippingCount") or 0))
                  for i in items)
    cancelled = returned = 0
    stop = any(int(i.get("holdCountForCancel") or 0) > 0 for i in items)
    for record in payload.get(RETURNS) or []:
        pieces = sum(n for _sku, n in _return_lines(payload, record))
        if record.get("receiptType") == "CANCEL" \
                or record.get("releaseStopStatus") == SHIPMENT_STOPPED:
            cancelled += pieces
        elif record.get("receiptStatus") == STOP_REQUESTED \
                or record.get("releaseStopStatus") == STOP_UNANSWERED:
            stop = True
        elif record.get("receiptStatus") == RETURN_DONE:
            returned += pieces
    # The items' own cancelCount may already hold the cancellations: never count them twice.
    return BoxState(ordered, max(counted, cancelled), returned, stop)


def _return_lines(box: Mapping[str, Any], record: Mapping[str, Any]) -> tuple[tuple[str, int], ...]:
    return _lines(box, ((i.get("vendorItemId"), i.get("cancelCount") or i.get("purchaseCount"))
                        for i in record.get("returnItems") or []
                        if str(i.get("shipmentBoxId") or box.get("shipmentBoxId"))
                        == str(box.get("shipmentBoxId"))))
