"""Plain data: orders, money, addresses, products, shipments. No Qt, no storage."""

from fulfill.domain.address import Address, AddressText, is_latin
from fulfill.domain.catalog import Product, normalize_hs_code
from fulfill.domain.channel import ChannelAccount, Platform
from fulfill.domain.money import Money, currency_digits
from fulfill.domain.order import Order, OrderLine, OrderStatus
from fulfill.domain.shipment import Shipment, ShipmentStatus

__all__ = [
    "Address", "AddressText", "ChannelAccount", "Money", "Order", "OrderLine", "OrderStatus",
    "Platform", "Product", "Shipment", "ShipmentStatus", "currency_digits", "is_latin",
    "normalize_hs_code",
]
