"""Returns and exchanges (RMAs): what the buyer asks for, and the one table of steps an RMA
may take from each status, per kind.

Plain data and rules, no storage: fulfill.services.returns applies the steps to the store and
refuses, with the reason, every step this table does not list.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime

from fulfill.domain.money import Money


class ReturnKind(enum.StrEnum):
    RETURN = "return"  # goods come back, the buyer is refunded
    EXCHANGE = "exchange"  # goods come back (or not, when they never arrived), a replacement goes out
    REFUND_ONLY = "refund_only"  # refund without return: the goods stay with the buyer

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {ReturnKind.RETURN: "Return for refund", ReturnKind.EXCHANGE: "Exchange",
                ReturnKind.REFUND_ONLY: "Refund without return"}


class ReturnReason(enum.StrEnum):
    WRONG_SIZE = "wrong_size"
    DAMAGED = "damaged"
    WRONG_ITEM = "wrong_item"
    NOT_AS_DESCRIBED = "not_as_described"
    CHANGED_MIND = "changed_mind"
    NEVER_ARRIVED = "never_arrived"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def seller_at_fault(self) -> bool:
        """The seller's (or carrier's) doing: by custom the seller pays the return postage."""
        return self in (ReturnReason.DAMAGED, ReturnReason.WRONG_ITEM,
                        ReturnReason.NOT_AS_DESCRIBED, ReturnReason.NEVER_ARRIVED)


class ReturnStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    AWAITING_PARCEL = "awaiting_parcel"
    RECEIVED = "received"
    INSPECTED = "inspected"
    REFUNDED = "refunded"
    EXCHANGED = "exchanged"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class PostagePaidBy(enum.StrEnum):
    SELLER = "seller"
    BUYER = "buyer"
    PLATFORM = "platform"  # a marketplace return label (Amazon, eBay managed returns)


class InspectionOutcome(enum.StrEnum):
    RESELLABLE = "resellable"  # goes back on the shelf
    DAMAGED = "damaged"
    MISSING = "missing"  # listed on the RMA, not in the parcel


class RefundMethod(enum.StrEnum):
    PLATFORM = "platform"  # through the sales platform's own refund
    PAYMENT_PROVIDER = "payment_provider"  # card, PayPal, Alipay… refunded by the provider
    BANK_TRANSFER = "bank_transfer"
    STORE_CREDIT = "store_credit"
    OTHER = "other"


class ReturnStep(enum.StrEnum):
    """What the seller does to an RMA; each step leads to one status."""

    APPROVE = "approve"
    REJECT = "reject"
    AWAIT_PARCEL = "await_parcel"
    RECEIVE = "receive"
    INSPECT = "inspect"
    REFUND = "refund"
    EXCHANGE = "exchange"
    CLOSE = "close"

    @property
    def words(self) -> str:
        """The step as a verb phrase: "RM000001 cannot be {words} …"."""
        return _STEP_WORDS[self]


_STEP_WORDS = {
    ReturnStep.APPROVE: "approved", ReturnStep.REJECT: "rejected",
    ReturnStep.AWAIT_PARCEL: "marked awaiting parcel", ReturnStep.RECEIVE: "received",
    ReturnStep.INSPECT: "inspected", ReturnStep.REFUND: "refunded",
    ReturnStep.EXCHANGE: "exchanged", ReturnStep.CLOSE: "closed",
}

_K, _S, _A = ReturnKind, ReturnStatus, ReturnStep

# Every step an RMA may take: kind -> status -> step -> the status it leads to.
# Anything not listed is refused with the current status and what it allows.
# - Every kind: requested → approved or rejected; rejected → closed.
# - A return: the parcel may arrive before the seller marked it awaited (approved → received);
#   one that never comes can be closed; after inspection it is refunded, or closed when
#   nothing is due (all missing, or used). Refunds may come in parts (refunded → refunded).
# - An exchange goes the same way to inspection, then sends the replacement (or refunds when
#   there is nothing to send). The replacement may also go out ahead of the returned goods,
#   from approved or awaiting parcel — the wrong item sent, a parcel that never arrived — and
#   the goods, if any come back, are then received and inspected before closing.
# - A refund without return has no parcel: approved → refunded → closed.
TRANSITIONS: dict[ReturnKind, dict[ReturnStatus, dict[ReturnStep, ReturnStatus]]] = {
    _K.RETURN: {
        _S.REQUESTED: {_A.APPROVE: _S.APPROVED, _A.REJECT: _S.REJECTED},
        _S.APPROVED: {_A.AWAIT_PARCEL: _S.AWAITING_PARCEL, _A.RECEIVE: _S.RECEIVED},
        _S.AWAITING_PARCEL: {_A.RECEIVE: _S.RECEIVED, _A.CLOSE: _S.CLOSED},
        _S.RECEIVED: {_A.INSPECT: _S.INSPECTED},
        _S.INSPECTED: {_A.REFUND: _S.REFUNDED, _A.CLOSE: _S.CLOSED},
        _S.REFUNDED: {_A.REFUND: _S.REFUNDED, _A.CLOSE: _S.CLOSED},
        _S.REJECTED: {_A.CLOSE: _S.CLOSED},
    },
    _K.EXCHANGE: {
        _S.REQUESTED: {_A.APPROVE: _S.APPROVED, _A.REJECT: _S.REJECTED},
        _S.APPROVED: {_A.AWAIT_PARCEL: _S.AWAITING_PARCEL, _A.RECEIVE: _S.RECEIVED,
                      _A.EXCHANGE: _S.EXCHANGED},
        _S.AWAITING_PARCEL: {_A.RECEIVE: _S.RECEIVED, _A.EXCHANGE: _S.EXCHANGED,
                             _A.CLOSE: _S.CLOSED},
        _S.RECEIVED: {_A.INSPECT: _S.INSPECTED},
        _S.INSPECTED: {_A.EXCHANGE: _S.EXCHANGED, _A.REFUND: _S.REFUNDED, _A.CLOSE: _S.CLOSED},
        _S.EXCHANGED: {_A.RECEIVE: _S.RECEIVED, _A.CLOSE: _S.CLOSED},
        _S.REFUNDED: {_A.REFUND: _S.REFUNDED, _A.CLOSE: _S.CLOSED},
        _S.REJECTED: {_A.CLOSE: _S.CLOSED},
    },
    _K.REFUND_ONLY: {
        _S.REQUESTED: {_A.APPROVE: _S.APPROVED, _A.REJECT: _S.REJECTED},
        _S.APPROVED: {_A.REFUND: _S.REFUNDED},
        _S.REFUNDED: {_A.REFUND: _S.REFUNDED, _A.CLOSE: _S.CLOSED},
        _S.REJECTED: {_A.CLOSE: _S.CLOSED},
    },
}


def awaits_parcel(kind: ReturnKind, status: ReturnStatus) -> bool:
    """An RMA of `kind` in `status` is waiting for the returned parcel to come in."""
    return status in (ReturnStatus.APPROVED, ReturnStatus.AWAITING_PARCEL) and \
        kind is not ReturnKind.REFUND_ONLY


def next_steps(kind: ReturnKind, status: ReturnStatus) -> dict[ReturnStep, ReturnStatus]:
    """The steps an RMA of `kind` may take from `status`, each with where it leads."""
    return dict(TRANSITIONS[kind].get(status, {}))


def step_target(kind: ReturnKind, status: ReturnStatus, step: ReturnStep) -> ReturnStatus | None:
    """The status `step` leads to, or None when the table does not allow it."""
    return TRANSITIONS[kind].get(status, {}).get(step)


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def step_refusal(kind: ReturnKind, status: ReturnStatus, step: ReturnStep) -> tuple[str, str]:
    """(what happened, what is possible) for a step the table refuses."""
    what = kind.label.lower()
    article = "An" if what[0] in "aeiou" else "A"
    message = f"{article} {what} that is {status.label} cannot be {step.words}."
    allowed = next_steps(kind, status)
    if not allowed:
        return message, "It is closed: nothing more can be done with it; open a new RMA if needed."
    return message, f"From {status.label} it can be {_either([s.words for s in allowed])}."


# --- data ----------------------------------------------------------------------------------

RMA_CODE_PREFIX = "RM"


def rma_code(rma_id: int) -> str:
    """The RMA's code on slips and parcels, printed as a barcode: RM + its id (RM000123)."""
    return f"{RMA_CODE_PREFIX}{rma_id:06d}"


def rma_id_from_scan(text: str) -> int | None:
    """The RMA id in a scanned or typed code ("RM000123", " rm000123\\n"), else None."""
    match = re.fullmatch(rf"{RMA_CODE_PREFIX}(\d{{6,}})", text.strip().upper())
    return int(match.group(1)) if match else None


@dataclass(slots=True)
class RmaLine:
    """Pieces of one SKU the RMA covers, and after inspection what became of each."""

    sku: str
    quantity: int
    title: str = ""
    unit_price: Money | None = None  # as paid on the order
    resellable: int = 0
    damaged: int = 0
    missing: int = 0

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise ValueError(f"RMA line {self.sku!r} has quantity {self.quantity}; "
                             "it must be at least 1")

    @property
    def inspected(self) -> int:
        return self.resellable + self.damaged + self.missing


@dataclass(frozen=True, slots=True)
class Refund:
    amount: Money
    method: RefundMethod
    refunded_at: datetime
    actor: str = ""
    note: str = ""
    platform_ref: str = ""
    id: int | None = None


@dataclass(slots=True)
class Rma:
    """One return request raised from one order. The steps it took, with who and a note,
    are in the audit log (entity "rma")."""

    order_id: int
    kind: ReturnKind
    reason: ReturnReason
    status: ReturnStatus
    currency: str  # the order's: refunds are in it
    lines: list[RmaLine]
    postage_paid_by: PostagePaidBy
    opened_at: datetime
    note: str = ""
    platform_ref: str = ""  # the platform's return or refund id, when it came from there
    return_tracking: str = ""  # the returned parcel's tracking number
    replacement_order_id: int | None = None
    approved_at: datetime | None = None
    received_at: datetime | None = None
    closed_at: datetime | None = None
    updated_at: datetime | None = None
    refunds: list[Refund] = field(default_factory=list)
    id: int | None = None

    @property
    def code(self) -> str:
        return rma_code(self.id or 0)

    @property
    def refunded(self) -> Money:
        total = Money.zero(self.currency)
        for refund in self.refunds:
            total = total + refund.amount
        return total

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    def next_steps(self) -> dict[ReturnStep, ReturnStatus]:
        return next_steps(self.kind, self.status)

    def days_open(self, now: datetime) -> int:
        """Whole days from opening to closing (or to `now` while open)."""
        return max(0, ((self.closed_at or now) - self.opened_at).days)

    def awaits_parcel(self) -> bool:
        """Approved and the returned goods not in yet (nor the replacement sent ahead)."""
        return awaits_parcel(self.kind, self.status)


# --- what the platforms report -----------------------------------------------------------

class ClaimKind(enum.StrEnum):
    REFUND = "refund"  # money went back to the buyer on the platform
    CANCELLATION = "cancellation"  # the order was cancelled on the platform
    RETURN_REQUEST = "return_request"  # the buyer asked the platform to send goods back
    EXCHANGE_REQUEST = "exchange_request"  # the buyer asked for other goods in their place
    WITHDRAWAL = "withdrawal"  # the buyer withdrew the return or exchange request `ref`


@dataclass(frozen=True, slots=True)
class PlatformClaim:
    """A refund, cancellation or return request as one platform reports it on one order.

    `ref` is the platform's own id for it (refund id, return number), stable from one sync to
    the next. For a refund `amount` is the platform's running total under that ref, so a
    refund that grows is seen as the same one. `lines` are (SKU, pieces), merged per SKU."""

    ref: str
    kind: ClaimKind
    amount: Money | None = None
    lines: tuple[tuple[str, int], ...] = ()
    reason: ReturnReason = ReturnReason.OTHER
    at: datetime | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if not self.ref.strip():
            raise ValueError(f"A platform {self.kind.value} needs the platform's reference")
        if self.amount is not None and self.amount.minor < 0:
            raise ValueError(f"{self.kind.value} {self.ref}: amount {self.amount} is negative")
        merged: dict[str, int] = {}
        for sku, quantity in self.lines:
            if not isinstance(quantity, int) or quantity < 1:
                raise ValueError(f"{self.kind.value} {self.ref}: {quantity!r} pieces of {sku}")
            merged[sku] = merged.get(sku, 0) + quantity
        object.__setattr__(self, "lines", tuple(merged.items()))


# Words buyers and platforms use for each reason, in English, Korean, Japanese and Chinese;
# the first match wins, so the more specific phrases come first.
_REASON_WORDS: tuple[tuple[ReturnReason, tuple[str, ...]], ...] = (
    (ReturnReason.NOT_AS_DESCRIBED, ("not as described", "different from",
                                     "different description", "not as pictured",
                                     "not as expected", "fake", "counterfeit", "상품정보 상이",
                                     "イメージと違", "説明と異な", "商品説明と", "偽物",
                                     "與描述不符", "与描述不符", "不符", "假貨", "假货")),
    (ReturnReason.WRONG_SIZE, ("size", "too small", "too large", "too big", "doesn't fit",
                               "does not fit", "사이즈", "サイズ", "尺寸", "尺碼", "尺码")),
    (ReturnReason.WRONG_ITEM, ("wrong item", "wrong product", "incorrect item", "wrong colour",
                               "wrong color", "not what i ordered", "missing", "오배송", "누락",
                               "違う商品", "誤配送", "商品間違", "間違った商品", "不足",
                               "寄錯", "发错", "發錯", "錯誤商品", "错误商品", "少件", "缺少")),
    (ReturnReason.DAMAGED, ("damage", "broke", "defect", "faulty", "not working", "leak",
                            "파손", "불량", "破損", "不良", "汚れ", "傷", "破损", "損壞",
                            "损坏", "瑕疵")),
    (ReturnReason.NEVER_ARRIVED, ("never arrived", "not arrive", "not received", "not receive",
                                  "not receipt", "lost", "undelivered", "미배송", "분실",
                                  "届かない", "未着", "未受取", "未受け取り", "未收到",
                                  "沒收到", "没收到")),
    (ReturnReason.CHANGED_MIND, ("changed my mind", "change of mind", "change mind",
                                 "no longer", "mistake", "unwanted", "don't want", "변심",
                                 "気が変わ", "不要", "注文間違", "注文内容を変更", "不想要",
                                 "改變主意", "改变主意")),
)


def reason_from_text(text: str | None) -> ReturnReason:
    """The reason a platform's free text (or reason code, "ITEM_DAMAGED") names, else OTHER."""
    words = (text or "").replace("_", " ").lower()
    for reason, phrases in _REASON_WORDS:
        if any(phrase in words for phrase in phrases):
            return reason
    return ReturnReason.OTHER
