"""Every schema fulfill ever shipped must open and migrate in today's version.

tests/fixtures/store_schema_vN.sqlite is a small store written by the version that introduced
schema N. Add one each time a migration is added; never regenerate an old one.
"""

import shutil
from pathlib import Path

import pytest

from fulfill.storage import Store, schema
from fulfill.storage.order_queries import OrderFilter, order_ids

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FROZEN = sorted(FIXTURES.glob("store_schema_v*.sqlite"))


def test_there_is_a_frozen_store_for_every_schema_version():
    versions = {int(p.stem.rsplit("v", 1)[1]) for p in FROZEN}
    assert versions == set(range(1, schema.SCHEMA_VERSION + 1))


@pytest.mark.parametrize("frozen", FROZEN, ids=lambda p: p.stem)
def test_frozen_store_opens_migrates_and_keeps_its_orders(frozen, tmp_path):
    path = tmp_path / frozen.name
    shutil.copy(frozen, path)
    with Store.open(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert store.orders.count() == 2
        (found,) = order_ids(store.db, OrderFilter(search="王芳"))
        loaded = store.orders.get(found)
        assert loaded.ship_to.latin.name == "Wang Fang"
        assert loaded.grand_total.currency == "CNY"


def test_frozen_v6_keeps_its_customs_rate_and_declaration(tmp_path):
    from datetime import date
    from decimal import Decimal

    path = tmp_path / "store_schema_v6.sqlite"
    shutil.copy(FIXTURES / "store_schema_v6.sqlite", path)
    with Store.open(path) as store:
        (rate,) = store.exports.rates(["CNY"])
        assert (rate.applies_from, rate.rate, rate.unit) == (date(2026, 11, 15), Decimal("193.45"), 1)
        declaration = store.exports.declarations([2])[2]
        assert (declaration.number, declaration.declared_on) == ("1286526008922X",
                                                                 date(2026, 11, 20))


def test_a_v5_store_gains_empty_export_tables(tmp_path):
    path = tmp_path / "store_schema_v5.sqlite"
    shutil.copy(FIXTURES / "store_schema_v5.sqlite", path)
    with Store.open(path) as store:
        assert store.exports.rates() == [] and store.exports.declarations([1, 2]) == {}
