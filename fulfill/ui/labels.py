"""The interface's words for the domain's enums, in the user's language.

The domain stays English and free of Qt and gettext (its `.label`s are for logs and tests);
every window shows an enum through one of these functions instead. The English each gives is
the domain's own `.label`, so nothing changes for an English user.

The words are marked with N_() and translated when asked for, so a catalogue installed after
this module was imported (a test's pseudo-language) is still used.
"""

from __future__ import annotations

from fulfill.domain import ChannelAccount, OrderStatus
from fulfill.domain.channel import Platform
from fulfill.domain.returns import (
    InspectionOutcome, PostagePaidBy, RefundMethod, ReturnKind, ReturnReason, ReturnStatus,
)
from fulfill.domain.shipment import ShipmentStatus
from fulfill.translation import N_, _

__all__ = ["account_name", "inspection_outcome", "order_status", "platform", "postage_paid_by",
           "refund_method", "return_kind", "return_kind_short", "return_reason",
           "return_status", "shipment_status"]

_ORDER_STATUS = {
    OrderStatus.AWAITING_PAYMENT: N_("Awaiting payment"),
    OrderStatus.AWAITING_SHIPMENT: N_("Awaiting shipment"),
    OrderStatus.ON_HOLD: N_("On hold"),
    OrderStatus.SHIPPED: N_("Shipped"),
    OrderStatus.DELIVERED: N_("Delivered"),
    OrderStatus.CANCELLED: N_("Cancelled"),
    OrderStatus.REFUNDED: N_("Refunded"),
    OrderStatus.PARTIALLY_REFUNDED: N_("Partially refunded"),
}

_SHIPMENT_STATUS = {
    ShipmentStatus.DRAFT: N_("Draft"),
    ShipmentStatus.LABEL_PRINTED: N_("Label printed"),
    ShipmentStatus.SHIPPED: N_("Shipped"),
    ShipmentStatus.DELIVERED: N_("Delivered"),
    ShipmentStatus.RETURNED: N_("Returned"),
}

_RETURN_KIND = {
    ReturnKind.RETURN: N_("Return for refund"),
    ReturnKind.EXCHANGE: N_("Exchange"),
    ReturnKind.REFUND_ONLY: N_("Refund without return"),
}

# For a narrow column.
_RETURN_KIND_SHORT = {
    ReturnKind.RETURN: N_("Return"),
    ReturnKind.EXCHANGE: N_("Exchange"),
    ReturnKind.REFUND_ONLY: N_("Refund only"),
}

_RETURN_REASON = {
    ReturnReason.WRONG_SIZE: N_("Wrong size"),
    ReturnReason.DAMAGED: N_("Damaged"),
    ReturnReason.WRONG_ITEM: N_("Wrong item"),
    ReturnReason.NOT_AS_DESCRIBED: N_("Not as described"),
    ReturnReason.CHANGED_MIND: N_("Changed mind"),
    ReturnReason.NEVER_ARRIVED: N_("Never arrived"),
    ReturnReason.OTHER: N_("Other"),
}

# Lower case, as the domain's label: it is read inside sentences ("RM000012 is now approved.").
_RETURN_STATUS = {
    # Translators: a return's status: the buyer asked, the seller has not decided yet.
    ReturnStatus.REQUESTED: N_("requested"),
    ReturnStatus.APPROVED: N_("approved"),
    ReturnStatus.REJECTED: N_("rejected"),
    # Translators: a return's status: approved, the returned parcel is not in yet.
    ReturnStatus.AWAITING_PARCEL: N_("awaiting parcel"),
    # Translators: a return's status: the returned parcel arrived at the seller's.
    ReturnStatus.RECEIVED: N_("received"),
    ReturnStatus.INSPECTED: N_("inspected"),
    ReturnStatus.REFUNDED: N_("refunded"),
    ReturnStatus.EXCHANGED: N_("exchanged"),
    ReturnStatus.CLOSED: N_("closed"),
}

# Who pays to send the goods back.
_POSTAGE_PAID_BY = {
    PostagePaidBy.SELLER: N_("seller"),
    PostagePaidBy.BUYER: N_("buyer"),
    PostagePaidBy.PLATFORM: N_("platform"),
}

_REFUND_METHOD = {
    RefundMethod.PLATFORM: N_("Sales platform"),
    RefundMethod.PAYMENT_PROVIDER: N_("Payment provider"),
    RefundMethod.BANK_TRANSFER: N_("Bank transfer"),
    RefundMethod.STORE_CREDIT: N_("Store credit"),
    RefundMethod.OTHER: N_("Other"),
}

_INSPECTION_OUTCOME = {
    InspectionOutcome.RESELLABLE: N_("Resellable"),
    InspectionOutcome.DAMAGED: N_("Damaged"),
    InspectionOutcome.MISSING: N_("Missing"),
}

# Platform names are brands and stay as they are; only the generic ones are words.
_PLATFORM = {Platform.FILE_IMPORT: N_("File import")}


def _word(words: dict, value, fallback: str) -> str:
    english = words.get(value)
    return _(english) if english else fallback


def order_status(status: OrderStatus | str) -> str:
    """"Awaiting shipment"."""
    status = OrderStatus(status)
    return _word(_ORDER_STATUS, status, status.label)


def shipment_status(status: ShipmentStatus | str) -> str:
    """"Label printed"."""
    status = ShipmentStatus(status)
    return _word(_SHIPMENT_STATUS, status, status.value.replace("_", " ").capitalize())


def return_kind(kind: ReturnKind | str) -> str:
    """"Return for refund", "Exchange", "Refund without return"."""
    kind = ReturnKind(kind)
    return _word(_RETURN_KIND, kind, kind.label)


def return_kind_short(kind: ReturnKind | str) -> str:
    """"Return", "Exchange", "Refund only": the kind in a narrow column."""
    kind = ReturnKind(kind)
    return _word(_RETURN_KIND_SHORT, kind, kind.label)


def return_reason(reason: ReturnReason | str) -> str:
    """"Wrong size"."""
    reason = ReturnReason(reason)
    return _word(_RETURN_REASON, reason, reason.label)


def return_status(status: ReturnStatus | str) -> str:
    """"awaiting parcel" (lower case, read inside sentences)."""
    status = ReturnStatus(status)
    return _word(_RETURN_STATUS, status, status.label)


def postage_paid_by(who: PostagePaidBy | str) -> str:
    """"seller", "buyer", "platform": who pays the return postage."""
    who = PostagePaidBy(who)
    return _word(_POSTAGE_PAID_BY, who, who.value)


def refund_method(method: RefundMethod | str) -> str:
    """"Bank transfer"."""
    method = RefundMethod(method)
    return _word(_REFUND_METHOD, method, method.value.replace("_", " ").capitalize())


def inspection_outcome(outcome: InspectionOutcome | str) -> str:
    """"Resellable", "Damaged", "Missing"."""
    outcome = InspectionOutcome(outcome)
    return _word(_INSPECTION_OUTCOME, outcome, outcome.value.capitalize())


def platform(value: Platform | str) -> str:
    """The platform's name: a brand ("Naver Smart Store") as is, a generic one translated."""
    value = Platform(value)
    return _word(_PLATFORM, value, value.label)


def account_name(account: ChannelAccount) -> str:
    """"Shopify · Seoul Glow": ChannelAccount.display_name with the platform's words (a name
    that already says its platform stays as it is)."""
    if account.display_name == account.name:
        return account.name
    return f"{platform(account.platform)} · {account.name}"
