"""Shipping an order and telling its platform, through the outbox.

ship_order() records the shipment, marks the order shipped and queues the write-back in one
transaction, so it works offline and survives restarts. deliver_due() sends what is due:
network faults and throttling retry with growing delays; a platform's plain "no" (a rejected
request) stops and waits for the seller, with the platform's words kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

from fulfill.channels.base import Connector, ShipmentNotice, ShippedLine
from fulfill.domain import OrderStatus
from fulfill.errors import ChannelAuthError, ChannelRejected, FulfillError
from fulfill.storage import Store, audit
from fulfill.storage.outbox import OutboxRepository

log = logging.getLogger(__name__)

MARK_SHIPPED = "mark_shipped"
FIRST_RETRY_S = 30
MAX_RETRY_S = 6 * 3600


@dataclass(frozen=True)
class SentTracking:
    """A tracking number the platform accepted for one order."""

    account_id: int
    order_id: int
    platform_order_id: str
    tracking_number: str


@dataclass
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    sent: list[SentTracking] = field(default_factory=list)


def ship_order(store: Store, order_id: int, *, carrier: str, tracking_number: str,
               shipped_at: datetime | None = None, lines: tuple[ShippedLine, ...] = (),
               service: str = "", actor: str = "packer", shipment_id: int | None = None,
               order_complete: bool | None = None) -> int | None:
    """Mark an order shipped and queue the tracking write-back. Returns the outbox id
    (None when this exact tracking number was already queued for the order).

    `shipment_id` names the draft shipment this parcel was packed under (it becomes the
    shipped one); without it a shipment is added. `lines` lists what this parcel holds when
    it is not the whole order; `order_complete` says whether the order is then all shipped
    (default: only when no lines are given)."""
    order = store.orders.get(order_id)
    if order is None:
        raise KeyError(f"No order with id {order_id}")
    shipped_at = shipped_at or datetime.now(UTC)
    notice = ShipmentNotice(order.platform_order_id, carrier, tracking_number.strip(),
                            shipped_at, lines, service)
    payload = asdict(notice)
    payload["shipped_at"] = audit.utc_text(shipped_at)
    complete = not lines if order_complete is None else order_complete
    with store.errors(), store.db.atomic():
        if shipment_id is None:
            store.db.execute(
                "INSERT INTO shipments (order_id, carrier, service, tracking_number, status,"
                " shipped_at, created_at) VALUES (?, ?, ?, ?, 'shipped', ?, ?)",
                [order_id, carrier, service, notice.tracking_number, audit.utc_text(shipped_at),
                 audit.now_text()])
        else:
            store.db.execute(
                "UPDATE shipments SET carrier = ?, service = ?, tracking_number = ?,"
                " status = 'shipped', shipped_at = ? WHERE id = ? AND order_id = ?",
                [carrier, service, notice.tracking_number, audit.utc_text(shipped_at),
                 shipment_id, order_id])
        if order.status is not OrderStatus.SHIPPED and complete:
            store.orders.set_status(order_id, OrderStatus.SHIPPED, actor=actor,
                                    note=f"{carrier} {notice.tracking_number}")
        if store.returns.replacement_origins([order_id]):
            # An exchange's replacement exists only here: its platform has no such order to
            # tell. (The buyer hears through the RMA.)
            return None
        return OutboxRepository(store.db).enqueue(
            order.account_id, order_id, MARK_SHIPPED, payload,
            dedupe_key=f"{MARK_SHIPPED}:{order_id}:{notice.tracking_number}", due=shipped_at)


def _notice(payload: dict) -> ShipmentNotice:
    return ShipmentNotice(
        platform_order_id=payload["platform_order_id"], carrier=payload["carrier"],
        tracking_number=payload["tracking_number"],
        shipped_at=audit.parse_utc_text(payload["shipped_at"]),
        lines=tuple(ShippedLine(**line) for line in payload.get("lines", ())),
        service=payload.get("service", ""), tracking_url=payload.get("tracking_url", ""))


def deliver_due(store: Store, connector_for: Callable[[int], Connector], *,
                now: datetime | None = None) -> DeliveryReport:
    """Send every due outbox message once; `connector_for(account_id)` gives the client."""
    now = now or datetime.now(UTC)
    outbox = OutboxRepository(store.db)
    report = DeliveryReport()
    for item in outbox.due(now):
        try:
            connector_for(item.account_id).mark_shipped(_notice(item.payload))
        except ChannelRejected as error:
            with store.errors():
                outbox.mark_failed(item.id, str(error))
            report.failed += 1
        except (FulfillError, OSError) as error:
            delay = min(MAX_RETRY_S, FIRST_RETRY_S * 2 ** item.attempts)
            if isinstance(error, ChannelAuthError):
                delay = MAX_RETRY_S  # waits for the seller to reconnect the account
            with store.errors():
                outbox.mark_retry(item.id, str(error), now + timedelta(seconds=delay))
            report.retrying += 1
            log.info("Write-back %d will be retried in %d s: %s", item.id, delay, error)
        else:
            with store.errors():
                outbox.mark_done(item.id)
            report.delivered += 1
            report.sent.append(SentTracking(item.account_id, item.order_id,
                                            item.payload["platform_order_id"],
                                            item.payload["tracking_number"]))
    return report
