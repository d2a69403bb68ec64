"""A parcel that leaves for one order."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class ShipmentStatus(enum.StrEnum):
    DRAFT = "draft"
    LABEL_PRINTED = "label_printed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    RETURNED = "returned"


@dataclass(slots=True)
class Shipment:
    order_id: int
    carrier: str
    service: str = ""
    tracking_number: str = ""
    status: ShipmentStatus = ShipmentStatus.DRAFT
    weight_g: int = 0
    shipped_at: datetime | None = None
    id: int | None = None
