"""Orders as fulfill sees them, whichever platform they came from."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fulfill.domain.address import Address
from fulfill.domain.money import Money, total


class OrderStatus(enum.StrEnum):
    """One normalized status for every platform's own vocabulary."""

    AWAITING_PAYMENT = "awaiting_payment"
    AWAITING_SHIPMENT = "awaiting_shipment"
    ON_HOLD = "on_hold"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_open(self) -> bool:
        """Still needs the seller's work before it leaves the building."""
        return self in (OrderStatus.AWAITING_PAYMENT, OrderStatus.AWAITING_SHIPMENT, OrderStatus.ON_HOLD)


@dataclass(frozen=True, slots=True)
class OrderLine:
    sku: str
    title: str
    quantity: int
    unit_price: Money
    platform_line_id: str = ""

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise ValueError(f"Line {self.sku!r} has quantity {self.quantity}; it must be at least 1")

    @property
    def amount(self) -> Money:
        return self.unit_price * self.quantity


@dataclass(slots=True)
class Order:
    """One order from one channel account.

    Identity is (account_id, platform_order_id): the same order synced twice is one row.
    `raw` keeps the platform's payload so a mapping fix needs no re-download.
    """

    account_id: int
    platform_order_id: str
    order_number: str
    status: OrderStatus
    ordered_at: datetime
    currency: str
    ship_to: Address
    lines: list[OrderLine]
    buyer_name: str = ""
    buyer_email: str = ""
    shipping: Money | None = None
    tax: Money | None = None
    discount: Money | None = None
    paid_total: Money | None = None
    updated_at: datetime | None = None
    note: str = ""
    raw: dict[str, Any] = field(default_factory=dict)
    id: int | None = None

    def __post_init__(self) -> None:
        if self.ordered_at.tzinfo is None:
            raise ValueError(f"Order {self.order_number}: ordered_at must carry a time zone")
        for line in self.lines:
            if line.unit_price.currency != self.currency:
                raise ValueError(
                    f"Order {self.order_number}: line {line.sku} is in {line.unit_price.currency}, "
                    f"the order in {self.currency}"
                )

    def _or_zero(self, amount: Money | None) -> Money:
        return amount if amount is not None else Money.zero(self.currency)

    @property
    def subtotal(self) -> Money:
        return total([line.amount for line in self.lines], self.currency)

    @property
    def grand_total(self) -> Money:
        """What the buyer paid: the platform's figure when it gave one, else computed."""
        if self.paid_total is not None:
            return self.paid_total
        return (
            self.subtotal
            + self._or_zero(self.shipping)
            + self._or_zero(self.tax)
            - self._or_zero(self.discount)
        )

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)
