"""Realistic orders for sandboxes, from the demo generator, for one platform."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fulfill.domain import ChannelAccount, Order, Platform
from fulfill.services.demo_data import demo_orders, demo_products


def sample_orders(platform: Platform, count: int, *, seed: int = 7,
                  now: datetime | None = None, region: str | None = None) -> list[Order]:
    """`count` orders as that platform's buyers place them (countries, currencies, scripts)."""
    settings = {"region": region} if region else {}
    account = ChannelAccount(platform, "sandbox", settings, id=1)
    now = now or datetime.now(UTC)
    orders = list(demo_orders([account], demo_products(), count, seed=seed, now=now))
    # The generator may stamp a change at `now` itself; a platform's clock has moved on since.
    settled = now - timedelta(seconds=30)
    for order in orders:
        if order.updated_at and order.updated_at > settled:
            order.updated_at = max(order.ordered_at, settled)
    return orders
