"""The orders that left Korea in a period, as export paperwork sees them, and the store's
export settings. Every other export_* service starts here.

Which orders: those to another country (domestic parcels are not exports) whose first parcel
shipped within the period, by the Korean calendar (fulfill.domain.exports explains the
rules). An order that left in several parcels is one line, dated by its first parcel, with
the goods of the whole order: the e-commerce declaration is one line per order.

What they are worth: the same parcel the invoice and CN 23 print, from
services.parcels.build_parcel, so the declaration declares the goods at the value, HS code
and weight the customs papers gave them. FOB is the goods' value, or with the postage the
buyer paid when the store's setting says so. Orders priced in won need no rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from fulfill.channels.carriers import carrier_key
from fulfill.domain import Order, Parcel, Shipment, is_valid_s10
from fulfill.domain.export_declaration import (
    DEFAULT_LIMITS, DatedLimit, Declaration, ExportSettings, FobBasis, RateDate, route_for,
)
from fulfill.domain.export_period import Period, kst_date
from fulfill.domain.export_rates import KRW, CustomsRate, customs_week, rate_on
from fulfill.domain.exports import ExportLine
from fulfill.errors import FulfillError
from fulfill.services.parcels import build_parcel
from fulfill.storage import Store
from fulfill.translation import _

SETTINGS_KEY = "exports.settings"
HOME = "KR"  # parcels to an address in Korea are not exports
POSTAL_CARRIERS = frozenset({"korea_post", "ems", "kpacket"})


class ExportError(FulfillError):
    """Export paperwork that cannot be made as asked; the advice says what to do."""


class RatesMissing(ExportError):
    """No customs rate covers some parcels' rate dates. `missing`: (currency, the Sunday of
    the customs week) pairs to enter, in order."""

    def __init__(self, missing: Sequence[tuple[str, date]]) -> None:
        self.missing = list(dict.fromkeys(missing))
        weeks = "; ".join(_("{currency} for the week from {sunday}").format(
            currency=currency, sunday=sunday.isoformat()) for currency, sunday in self.missing)
        super().__init__(
            _("No customs exchange rate for: {weeks}.").format(weeks=weeks),
            _("Enter the customs rate (관세청 과세환율) that applies from each of these dates, "
              "or import the rate file from the customs site, then try again."))


# --- settings -----------------------------------------------------------------------------

def load_settings(store: Store) -> ExportSettings:
    """The store's export settings; the defaults where it has none (or a value it cannot
    read: a damaged setting never stops the paperwork)."""
    data = store.settings.get(SETTINGS_KEY) or {}
    defaults = ExportSettings()
    try:
        rate_date = RateDate(data.get("rate_date", defaults.rate_date.value))
    except ValueError:
        rate_date = defaults.rate_date
    try:
        fob_basis = FobBasis(data.get("fob_basis", defaults.fob_basis.value))
    except ValueError:
        fob_basis = defaults.fob_basis
    try:
        limits = tuple(DatedLimit(date.fromisoformat(since), int(krw))
                       for since, krw in data.get("limits", [])) or DEFAULT_LIMITS
    except (TypeError, ValueError):
        limits = DEFAULT_LIMITS
    return ExportSettings(rate_date, fob_basis, tuple(sorted(limits, key=lambda x: x.since)))


def save_settings(store: Store, settings: ExportSettings) -> None:
    for limit in settings.limits:
        if limit.krw <= 0:
            raise ExportError(_("A declaration limit must be more than 0 won."),
                              _("Give the limit in won, e.g. 4000000."))
    if len({limit.since for limit in settings.limits}) != len(settings.limits):
        raise ExportError(_("Two declaration limits start on the same day."),
                          _("Keep one limit per date."))
    with store.errors(), store.db.atomic():
        store.settings.set(SETTINGS_KEY, {
            "rate_date": settings.rate_date.value, "fob_basis": settings.fob_basis.value,
            "limits": [[limit.since.isoformat(), limit.krw]
                       for limit in sorted(settings.limits, key=lambda x: x.since)]})


# --- the export lines --------------------------------------------------------------------

def is_postal(shipment: Shipment) -> bool:
    """A parcel Korea Post carried (K-Packet, EMS, parcel post): its receipt is the export
    proof. EMS Premium goes by UPS and clears as a courier parcel."""
    words = f"{shipment.carrier} {shipment.service}".lower()
    if "premium" in words:
        return False
    number = shipment.tracking_number
    return (carrier_key(shipment.carrier) in POSTAL_CARRIERS
            or (is_valid_s10(number) and number.endswith("KR")))


def export_lines(store: Store, period: Period, *,
                 settings: ExportSettings | None = None) -> list[ExportLine]:
    """The orders whose goods left Korea in `period`, first shipped first."""
    start, end = period.utc_bounds()
    with store.errors():
        ids = [order_id for order_id, _at in store.exports.first_shipped_between(start, end)]
        return lines_for_orders(store, ids, settings=settings)


def lines_for_orders(store: Store, order_ids: Sequence[int], *,
                     settings: ExportSettings | None = None) -> list[ExportLine]:
    """Export lines of these orders (those that shipped abroad), in the order given."""
    settings = settings or load_settings(store)
    ids = list(dict.fromkeys(order_ids))
    parcels = store.exports.shipped_parcels(ids)
    orders = {i: order for i in ids if i in parcels
              and (order := store.orders.get(i)) is not None
              and order.ship_to.country_code != HOME}
    products = store.products.by_skus(line.sku for o in orders.values() for line in o.lines)
    seller = store.settings.seller_profile()
    channels = {a.id: a.display_name for a in store.accounts.all()}
    replacements = store.returns.replacement_origins(list(orders))
    declarations = store.exports.declarations(list(orders))
    rates: dict[str, list[CustomsRate]] = {}
    for rate in store.exports.rates({o.currency for o in orders.values()} - {KRW}):
        rates.setdefault(rate.currency, []).append(rate)
    lines = []
    for order_id, order in orders.items():
        shipped = parcels[order_id]
        replacement_for = replacements.get(order_id, (0, ""))[1]
        # The customs papers' own parcel: the same value, HS codes and weights.
        parcel = build_parcel(order, products, seller, channel=channels.get(order.account_id, ""),
                              shipment=shipped[-1], strict=False, replacement_for=replacement_for)
        lines.append(_line(order, shipped, parcel, declarations.get(order_id),
                           rates.get(order.currency, []), settings, replacement_for))
    return lines


def _line(order: Order, shipped: list[Shipment], parcel: Parcel,
          declaration: Declaration | None, rates: list[CustomsRate], settings: ExportSettings,
          replacement_for: str) -> ExportLine:
    """One order's export line; `rates`: those of the order's currency."""
    first = shipped[0]
    assert first.shipped_at is not None
    goods = parcel.goods_value
    fob = goods + parcel.shipping if settings.fob_basis is FobBasis.GOODS_AND_SHIPPING else goods
    rate_date = kst_date(first.shipped_at)
    if (settings.rate_date is RateDate.DECLARATION_DATE and declaration is not None
            and declaration.declared_on is not None):
        rate_date = declaration.declared_on
    rate = rate_on(rates, order.currency, rate_date)
    krw = rate.to_krw(fob) if rate is not None else None
    weighed = [s.weight_g for s in shipped]
    gross = sum(weighed) if all(w > 0 for w in weighed) else replace(parcel,
                                                                      gross_weight_g=0).weight_g
    return ExportLine(
        order_id=order.id or 0, order_number=order.order_number, account_id=order.account_id,
        channel=parcel.channel, shipped_at=first.shipped_at, carrier=first.carrier,
        service=first.service,
        tracking_numbers=tuple(dict.fromkeys(s.tracking_number for s in shipped
                                             if s.tracking_number)),
        postal=all(is_postal(s) for s in shipped), country=order.ship_to.country_code,
        buyer=order.ship_to.for_carrier.name or order.buyer_name, currency=order.currency,
        goods=goods, shipping=parcel.shipping, fob=fob, items=parcel.items,
        net_weight_g=parcel.net_weight_g, gross_weight_g=gross, rate_date=rate_date, rate=rate,
        krw=krw, route=route_for(krw, rate_date, settings.limits) if krw is not None else None,
        declaration=declaration, replacement_for=replacement_for)


def missing_rates(lines: Sequence[ExportLine]) -> list[tuple[str, date]]:
    """(currency, customs week) of every line no rate covers, in order."""
    return list(dict.fromkeys((line.currency, customs_week(line.rate_date))
                              for line in lines if line.rate is None))


def require_rates(lines: Sequence[ExportLine]) -> None:
    """Refuse (RatesMissing, naming each currency and week) when a line has no rate."""
    missing = missing_rates(lines)
    if missing:
        raise RatesMissing(missing)
