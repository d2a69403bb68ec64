"""Parcels for document tests: the demo store's orders, catalogue and seller, no store file."""

from __future__ import annotations

from dataclasses import replace

import pytest

from fulfill.domain import Parcel
from fulfill.services.demo_data import (
    demo_accounts, demo_orders, demo_products, demo_seller, demo_tracking_number,
)
from fulfill.services.parcels import MissingCustomsData, build_parcel
from tests.conftest import FIXED_NOW


def make_demo_parcels(count: int = 300) -> list[Parcel]:
    """Printable parcels from `count` demo orders (the few with customs gaps are left out),
    each with a demo S10 tracking number."""
    accounts = demo_accounts()
    for number, account in enumerate(accounts, start=1):
        account.id = number
    labels = {a.id: a.display_name for a in accounts}
    products = {p.sku: p for p in demo_products()}
    seller = demo_seller()
    parcels = []
    for index, order in enumerate(demo_orders(accounts, list(products.values()), count,
                                              now=FIXED_NOW)):
        order.id = index + 1
        try:
            parcel = build_parcel(order, products, seller, channel=labels[order.account_id])
        except MissingCustomsData:
            continue
        parcels.append(replace(parcel, carrier="Korea Post", service="EMS",
                               tracking_number=demo_tracking_number(index)))
    return parcels


@pytest.fixture(scope="session")
def demo_parcels() -> list[Parcel]:
    return make_demo_parcels()


@pytest.fixture(scope="session")
def parcels_by_country(demo_parcels) -> dict[str, Parcel]:
    """One parcel per destination country (the first one), every script the demo has."""
    found: dict[str, Parcel] = {}
    for parcel in demo_parcels:
        found.setdefault(parcel.recipient.country_code, parcel)
    return found
