"""The demo store: a separate file seeded with realistic orders, so the app shows what it does."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from fulfill.domain import Order, OrderStatus, Product, ShipmentStatus
from fulfill.services.demo_exports import seed_exports
from fulfill.services.demo_returns import seed_returns
from fulfill.services.demo_data import (
    demo_accounts, demo_orders, demo_products, demo_seller, demo_tracking_number,
)
from fulfill.services.progress import CancelToken, Progress, no_progress
from fulfill.storage import Store, audit
from fulfill.storage.database import marks

DEMO_ORDERS = 300
BATCH = 2000
DEMO_CARRIER = "Korea Post"
K_PACKET_LIMIT_G = 2000  # K-Packet takes parcels up to 2 kg; heavier ones go by EMS
PACKAGING_G = 120


def _draft_shipments(store: Store, orders: list[Order], products: dict[str, Product]) -> None:
    """A Korea Post draft shipment with a (demo) tracking number for each order awaiting
    shipment that has none yet, so the demo prints labels straight away."""
    waiting = [o for o in orders if o.status is OrderStatus.AWAITING_SHIPMENT]
    if not waiting:
        return
    ids = [o.id for o in waiting]
    has = {r[0] for r in store.db.execute(
        f"SELECT DISTINCT order_id FROM shipments WHERE order_id IN ({marks(ids)})",
        ids)}
    now = audit.now_text()
    rows = []
    for order in waiting:
        if order.id in has:
            continue
        grams = PACKAGING_G + sum(
            (products[line.sku].unit_weight_g if line.sku in products else 100) * line.quantity
            for line in order.lines)
        light = grams < K_PACKET_LIMIT_G
        number = demo_tracking_number(order.id, "LK" if light else "EE")
        rows.append((order.id, DEMO_CARRIER, "K-Packet" if light else "EMS", number,
                     ShipmentStatus.DRAFT.value, grams, now))
    store.db.conn.executemany(
        "INSERT INTO shipments (order_id, carrier, service, tracking_number, status, weight_g,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def seed(
    store: Store,
    orders: int = DEMO_ORDERS,
    *,
    seed: int = 2026,
    now: datetime | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    returns: bool = False,
    exports: bool = False,
) -> int:
    """Add demo accounts, products, the seller profile and `orders` orders, with a draft
    Korea Post shipment for each order awaiting shipment. Returns the number of orders saved.

    Orders go in batches, each its own transaction, so a cancelled or interrupted seed keeps
    whole orders only; seeding again with the same arguments changes nothing. With
    `returns`, a few delivered orders get RMAs at every stage (services.demo_returns); with
    `exports`, the orders that left get their parcels, customs rates and export declaration
    numbers (services.demo_exports).
    """
    now = now or datetime.now(UTC)
    accounts = []
    for account in demo_accounts():
        # No platform stands behind a demo shop: sync leaves it alone (sandbox accounts are
        # how the demo shows a real sync).
        account.settings["demo"] = "true"
        accounts.append(store.accounts.add(account))
    products = demo_products()
    store.products.save(products)
    if store.settings.seller_profile().missing():  # keep a profile the user edited
        store.settings.save_seller_profile(demo_seller())
    by_sku = {p.sku: p for p in products}
    generated = demo_orders(accounts, products, orders, seed=seed, now=now)
    done = 0
    progress(0.0, f"Creating {orders:,} demo orders")
    while batch := list(islice(generated, BATCH)):
        if cancel:
            cancel.check()
        with store.errors(), store.db.atomic():
            store.orders.save(batch, actor="demo")
            _draft_shipments(store, batch, by_sku)
        done += len(batch)
        progress(done / max(orders, 1), f"{done:,} of {orders:,} demo orders")
    if exports:
        seed_exports(store, now, seed=seed)
    if returns and seed_returns(store, now, count=max(12, orders // 40), seed=seed):
        # Replacements wait to be packed with a draft shipment, like the other demo orders.
        with store.errors(), store.db.atomic():
            _draft_shipments(store, [store.orders.get(row[0]) for row in store.db.execute(
                "SELECT replacement_order_id FROM rmas WHERE replacement_order_id IS NOT NULL")],
                by_sku)
    return done


def open_demo_store(path: Path, progress: Progress = no_progress) -> Store:
    """Open the demo store, creating and seeding it on first use."""
    store = Store.open(path)
    try:
        if store.orders.count() == 0:
            seed(store, progress=progress, returns=True, exports=True)
    except BaseException:
        store.close()
        raise
    return store
