"""Store settings (seller profile, CN23 thresholds), schema v3, and the product catalogue."""

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from fulfill.domain import Address, AddressText, ItemCategory, Money, OrderLine, Product, SellerProfile
from fulfill.services.demo_data import demo_seller
from fulfill.storage import Store, schema
from tests import factories

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_a_new_store_has_an_empty_profile_that_says_what_is_missing(store):
    profile = store.settings.seller_profile()
    assert profile == SellerProfile()
    assert "exporter name in English" in profile.missing()
    assert store.settings.cn23_thresholds() == {}


def test_seller_profile_round_trips_exactly_across_reopening(store_path):
    profile = replace(
        demo_seller(),
        address_ko=Address(AddressText("한빛무역", "성수이로7길 45", city="서울특별시"), "KR", "04780",
                           latin=AddressText("Hanbit", "45 Seongsui-ro 7-gil", city="Seoul")),
        default_incoterm="DDP", default_category=ItemCategory.COMMERCIAL_SAMPLE,
        tax_ids={"EU": "IM2760000001", "NO": "VOEC 2024555"},
    )
    with Store.open(store_path) as store:
        store.settings.save_seller_profile(demo_seller())
        store.settings.save_seller_profile(profile)  # the second save replaces the first
    with Store.open(store_path) as store:
        assert store.settings.seller_profile() == profile
        assert store.db.execute("SELECT count(*) FROM store_settings").fetchone()[0] == 1


def test_cn23_thresholds_are_set_replaced_and_forgotten_per_currency(store):
    settings = store.settings
    settings.save_cn23_threshold("USD", Money.parse("400", "USD"))
    settings.save_cn23_threshold("KRW", Money.parse("550000", "KRW"))
    settings.save_cn23_threshold("USD", Money.parse("380.50", "USD"))
    assert settings.cn23_thresholds() == {"KRW": Money(550000, "KRW"), "USD": Money(38050, "USD")}
    settings.save_cn23_threshold("KRW", None)
    settings.save_cn23_threshold("JPY", None)  # forgetting one never set is fine
    assert settings.cn23_thresholds() == {"USD": Money(38050, "USD")}
    with pytest.raises(ValueError, match="USD threshold cannot be in EUR"):
        settings.save_cn23_threshold("USD", Money(100, "EUR"))


def test_a_v2_store_migrates_with_empty_settings(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "store_schema_v2.sqlite", path)
    with Store.open(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert store.settings.seller_profile() == SellerProfile()
        store.settings.save_seller_profile(demo_seller())
    with Store.open(path) as store:
        assert store.settings.seller_profile() == demo_seller()


def test_the_frozen_v3_store_keeps_its_profile_threshold_and_draft_shipment(tmp_path):
    path = tmp_path / "v3.sqlite"
    shutil.copy(FIXTURES / "store_schema_v3.sqlite", path)
    with Store.open(path) as store:
        assert store.settings.seller_profile() == demo_seller()
        assert store.settings.cn23_thresholds() == {"USD": Money(40000, "USD")}
        assert store.products.get("SG-CUSH-21N").customs_descriptions["zh-Hans"] == "气垫粉底"
        (shipment,) = store.orders.shipments(2)
        assert shipment.tracking_number == "EE123456785KR"


def test_products_listed_by_sku_and_deleted(store):
    store.products.save([Product("B-2", "Second"), Product("A-1", "First", "330499"),
                         Product("C-3", "Third")])
    assert [p.sku for p in store.products.all()] == ["A-1", "B-2", "C-3"]
    assert store.products.delete("B-2") is True
    assert store.products.delete("B-2") is False
    assert [p.sku for p in store.products.all()] == ["A-1", "C-3"]
    assert set(store.products.by_skus(["A-1", "Z-9", "A-1"])) == {"A-1"}


def test_unknown_skus_most_ordered_first_with_the_latest_title(store):
    account = store.accounts.add(factories.account())
    store.products.save([Product("SG-CUSH-21N", "Glow Cushion 21N", "330499")])

    def lines(*pairs):
        return [OrderLine(sku, title, 1, Money.parse("5", "USD")) for sku, title in pairs]

    store.orders.save([
        factories.order(account.id, "#1", days_ago=9, lines=lines(
            ("OLD-1", "Old mask (2024)"), ("SG-CUSH-21N", "Cushion"))),
        factories.order(account.id, "#2", days_ago=1, lines=lines(("OLD-1", "Old mask, renamed"))),
        factories.order(account.id, "#3", days_ago=5, lines=lines(("OLD-1", "Old mask (2025)"),
                                                                  ("GONE-7", "Gone tote"))),
    ])
    unknown = store.products.unknown_skus()
    assert [tuple(u) for u in unknown] == [("OLD-1", "Old mask, renamed", 3),
                                           ("GONE-7", "Gone tote", 1)]
    store.products.save([Product("OLD-1", "Old mask")])
    assert [u.sku for u in store.products.unknown_skus()] == ["GONE-7"]
