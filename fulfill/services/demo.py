"""The demo store: a separate file seeded with realistic orders, so the app shows what it does."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from fulfill.services.demo_data import demo_accounts, demo_orders, demo_products
from fulfill.services.progress import CancelToken, Progress, no_progress
from fulfill.storage import Store

DEMO_ORDERS = 300
BATCH = 2000


def seed(
    store: Store,
    orders: int = DEMO_ORDERS,
    *,
    seed: int = 2026,
    now: datetime | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Add demo accounts, products and `orders` orders. Returns the number of orders saved.

    Orders go in batches, each its own transaction, so a cancelled or interrupted seed keeps
    whole orders only; seeding again with the same arguments changes nothing.
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
    generated = demo_orders(accounts, products, orders, seed=seed, now=now)
    done = 0
    progress(0.0, f"Creating {orders:,} demo orders")
    while batch := list(islice(generated, BATCH)):
        if cancel:
            cancel.check()
        with store.errors():
            store.orders.save(batch, actor="demo")
        done += len(batch)
        progress(done / max(orders, 1), f"{done:,} of {orders:,} demo orders")
    return done


def open_demo_store(path: Path, progress: Progress = no_progress) -> Store:
    """Open the demo store, creating and seeding it on first use."""
    store = Store.open(path)
    try:
        if store.orders.count() == 0:
            seed(store, progress=progress)
    except BaseException:
        store.close()
        raise
    return store
