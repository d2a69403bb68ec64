"""Export paperwork for the demo store, so the Export screen shows real figures: the
parcels of shipped and delivered orders abroad (mostly Korea Post K-Packet and EMS, some by
courier), weekly customs rates for every currency the demo sells in over its whole span,
and export declaration numbers on part of the parcels: every courier parcel but one, and
about half of the postal ones; the rest are postal exports proved by their receipts.

Deterministic for a (seed, now), and seeding again adds nothing: only orders without a
parcel get one, only missing weeks get a rate, only undeclared orders a number.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from fulfill.domain import Product, ShipmentStatus
from fulfill.domain.export_declaration import Declaration
from fulfill.domain.export_period import kst_date
from fulfill.domain.export_rates import KRW, CustomsRate, customs_week
from fulfill.services.demo_data import demo_tracking_number
from fulfill.services.export_lines import HOME
from fulfill.services.export_rates import default_unit
from fulfill.storage import Store, audit
from fulfill.storage.database import marks

DEMO = "demo"
K_PACKET_LIMIT_G = 2000
PACKAGING_G = 120
COURIER = "DHL Express"
COURIER_SHARE = 0.12
POSTAL_DECLARED_SHARE = 0.5
DECLARANT = "43217"  # a made-up declarant code: demo numbers are never real ones
# Won per unit the demo's weekly rates wander around (JPY and VND are published per 100).
BASE_RATES = {
    "USD": "1380", "EUR": "1500", "GBP": "1750", "AUD": "900", "CAD": "1000", "JPY": "9.2",
    "CNY": "190", "TWD": "43", "SGD": "1030", "MYR": "300", "THB": "39", "VND": "0.054",
}
_SHIPPED_STATUSES = ("shipped", "delivered", "partially_refunded")


def seed_exports(store: Store, now: datetime, *, seed: int = 2026) -> int:
    """Ship the demo's shipped orders abroad, add the rates and declaration numbers.
    Returns how many parcels were added."""
    with store.errors(), store.db.atomic():
        added = _ship(store, now, seed)
        _rates(store, now)
        _declarations(store, seed)
    return added


def _weight(lines, products: dict[str, Product]) -> int:
    return PACKAGING_G + sum((products[sku].unit_weight_g if sku in products else 100) * quantity
                             for sku, quantity in lines)


def _ship(store: Store, now: datetime, seed: int) -> int:
    rows = store.db.execute(
        f"SELECT id, status, ordered_at FROM orders WHERE status IN ({marks(_SHIPPED_STATUSES)})"
        " AND ship_country != ? AND id NOT IN (SELECT order_id FROM shipments) ORDER BY id",
        [*_SHIPPED_STATUSES, HOME]).fetchall()
    if not rows:
        return 0
    ids = [r[0] for r in rows]
    lines: dict[int, list[tuple[str, int]]] = {}
    for order_id, sku, quantity in store.db.execute(
            f"SELECT order_id, sku, quantity FROM order_lines WHERE order_id IN ({marks(ids)})",
            ids):
        lines.setdefault(order_id, []).append((sku, quantity))
    products = store.products.by_skus(sku for items in lines.values() for sku, _q in items)
    created = audit.now_text()
    parcels = []
    for order_id, status, ordered_at in rows:
        rng = random.Random(seed * 1_000_003 + order_id)
        grams = _weight(lines.get(order_id, []), products)
        shipped_at = min(audit.parse_utc_text(ordered_at) + timedelta(hours=rng.uniform(10, 44)),
                         now - timedelta(hours=2))
        if rng.random() < COURIER_SHARE:
            carrier, service = COURIER, "Express Worldwide"
            number = f"{7_100_000_000 + order_id * 7_919 % 800_000_000:010d}"
        else:
            light = grams < K_PACKET_LIMIT_G
            carrier, service = "Korea Post", "K-Packet" if light else "EMS"
            number = demo_tracking_number(order_id, "LK" if light else "EE")
        state = ShipmentStatus.SHIPPED if status == "shipped" else ShipmentStatus.DELIVERED
        parcels.append((order_id, carrier, service, number, state.value, grams,
                        audit.utc_text(shipped_at), created))
    store.db.conn.executemany(
        "INSERT INTO shipments (order_id, carrier, service, tracking_number, status, weight_g,"
        " shipped_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", parcels)
    return len(parcels)


def _rates(store: Store, now: datetime) -> None:
    """A rate for every week from the first shipped parcel to now, in each currency sold
    abroad; the demo's rates move a little week by week."""
    first = store.db.execute("SELECT min(shipped_at) FROM shipments WHERE shipped_at IS NOT NULL"
                             ).fetchone()[0]
    if first is None:
        return
    currencies = [r[0] for r in store.db.execute(
        "SELECT DISTINCT currency FROM orders WHERE ship_country != ? AND currency != ?",
        [HOME, KRW]) if r[0] in BASE_RATES]
    known = {(r.currency, r.applies_from) for r in store.exports.rates(currencies)}
    week, last = customs_week(kst_date(audit.parse_utc_text(first))), customs_week(kst_date(now))
    rates = []
    while week <= last:
        for n, currency in enumerate(sorted(currencies)):
            if (currency, week) in known:
                continue
            unit = default_unit(currency)
            # A gentle wave, different per currency: within ±2.5 % of the base.
            step = (week.toordinal() // 7 + 5 * n) % 20
            wave = Decimal(abs(step - 10) - 5) / Decimal(200)
            value = Decimal(BASE_RATES[currency]) * unit * (1 + wave)
            rates.append(CustomsRate(currency, week, value.quantize(Decimal("0.01")), unit, DEMO))
        week += timedelta(days=7)
    store.exports.save_rates(rates)


def _check_char(digits: str) -> str:
    """A check character for demo numbers only: customs' own rule is not public."""
    return "0123456789X"[sum(int(d) * (i % 7 + 2) for i, d in enumerate(digits)) % 11]


def _declarations(store: Store, seed: int) -> None:
    rows = store.db.execute(
        "SELECT s.order_id, min(s.shipped_at), s.carrier FROM shipments s"
        " JOIN orders o ON o.id = s.order_id"
        " WHERE s.shipped_at IS NOT NULL AND o.ship_country != ?"
        " AND s.order_id NOT IN (SELECT order_id FROM export_declarations)"
        " GROUP BY s.order_id ORDER BY s.order_id", [HOME]).fetchall()
    left_one_courier = False
    for order_id, shipped_at, carrier in rows:
        rng = random.Random(seed * 7_000_001 + order_id)
        if carrier == COURIER:
            if not left_one_courier:  # one courier parcel without, for the checks to show
                left_one_courier = True
                continue
        elif rng.random() >= POSTAL_DECLARED_SHARE:
            continue
        day = kst_date(audit.parse_utc_text(shipped_at)) - timedelta(days=rng.randrange(0, 2))
        digits = f"{DECLARANT}{day:%y}{(order_id * 389 + seed) % 1_000_000:06d}"
        store.exports.set_declaration(
            order_id, Declaration(digits + _check_char(digits), day, DEMO), actor=DEMO)
