"""Plain data: orders, money, addresses, products, shipments, returns. No Qt, no storage."""

from fulfill.domain.address import Address, AddressText, is_latin
from fulfill.domain.catalog import Product, normalize_hs_code
from fulfill.domain.channel import ChannelAccount, Platform
from fulfill.domain.customs import CustomsItem, ItemCategory, Parcel, SellerProfile, hs6, hs_problem
from fulfill.domain.money import Money, currency_digits
from fulfill.domain.order import Order, OrderLine, OrderStatus
from fulfill.domain.returns import (
    InspectionOutcome, PostagePaidBy, Refund, RefundMethod, ReturnKind, ReturnReason, ReturnStatus,
    ReturnStep, Rma, RmaLine,
)
from fulfill.domain.shipment import Shipment, ShipmentStatus
from fulfill.domain.tracking import (
    TrackingNumberError, is_valid_s10, normalize_tracking_number, s10_check_digit,
)

__all__ = [
    "Address", "AddressText", "ChannelAccount", "CustomsItem", "InspectionOutcome", "ItemCategory",
    "Money", "Order", "OrderLine", "OrderStatus", "Parcel", "Platform", "PostagePaidBy", "Product",
    "Refund", "RefundMethod", "ReturnKind", "ReturnReason", "ReturnStatus", "ReturnStep", "Rma",
    "RmaLine", "SellerProfile", "Shipment", "ShipmentStatus", "TrackingNumberError",
    "currency_digits", "hs6", "hs_problem", "is_latin", "is_valid_s10", "normalize_hs_code",
    "normalize_tracking_number", "s10_check_digit",
]
