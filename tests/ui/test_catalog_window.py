"""The Products window and the seller profile dialog, on a real demo store."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from fulfill.domain import Address, AddressText, ItemCategory, Money, OrderLine, Product
from fulfill.services import demo
from fulfill.services.demo_data import demo_seller
from fulfill.storage import Store
from fulfill.ui.catalog_window import ProductsWindow
from fulfill.ui.seller_profile_dialog import SellerProfileDialog, open_seller_profile
from fulfill.ui.store_worker import StoreWorker
from tests.conftest import FIXED_NOW
from tests.factories import order
from tests.ui.conftest import type_text


@pytest.fixture
def demo_store(store_path):
    with Store.open(store_path) as store:
        demo.seed(store, 120, now=FIXED_NOW)
        # One product without customs data, so the filter has something to find.
        store.products.save([Product("TEST-NOHS", "Test balm", origin_country="KR")])
        # And an order naming a SKU the catalogue lacks.
        shop = store.accounts.all()[0]
        store.orders.save([order(shop.id, "#UNKNOWN-1", lines=[
            OrderLine("NEW-TOTE-01", "Canvas tote bag", 1, Money.parse("15.00", "USD"))])])
    return store_path


@pytest.fixture
def worker(demo_store):
    worker = StoreWorker(demo_store)
    yield worker
    worker.close()


@pytest.fixture
def products(qtbot, worker, ui_settings):
    window = ProductsWindow(worker, ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.table.rowCount() > 0, timeout=5000)
    return window


def _skus(window):
    return [window.table.item(r, 0).text() for r in range(window.table.rowCount())]


def _stored(path, sku):
    with Store.open(path) as store:
        return store.products.get(sku)


def test_missing_filter_lists_products_without_customs_data(products):
    everything = _skus(products)
    products.missing_only.setChecked(True)
    missing = _skus(products)
    assert "TEST-NOHS" in missing
    assert 0 < len(missing) < len(everything)
    assert all(products.table.item(r, 0).toolTip() for r in range(products.table.rowCount()))
    assert "missing customs data" in products.count_label.text()


def test_hs_code_edit_is_saved_to_the_store(products, qtbot, demo_store):
    products.missing_only.setChecked(True)
    assert products.select_sku("TEST-NOHS")
    form = products.form
    assert form.sku.isReadOnly()
    qtbot.keyClicks(form.hs_code, "3304.99")
    form.weight.setValue(45)
    type_text(form.translations["zh-Hans"], "护唇膏")
    qtbot.keyClicks(form.description, "Lip balm, 10 g")
    assert "HS 3304.99" in form.hs_message.text()
    assert products.save_button.isEnabled()
    with qtbot.waitSignal(products.productsChanged, timeout=5000):
        qtbot.keyClick(products, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = _stored(demo_store, "TEST-NOHS")
    assert saved.hs_code == "330499"
    assert saved.unit_weight_g == 45
    assert saved.customs_descriptions == {"en": "Lip balm, 10 g", "zh-Hans": "护唇膏"}
    # Complete now: it leaves the "missing" list, and the form shows it saved.
    assert "TEST-NOHS" not in _skus(products)
    assert "Saved TEST-NOHS" in products.status.text()


def test_invalid_hs_code_is_refused_with_the_reason(products, qtbot, demo_store):
    products.missing_only.setChecked(True)
    products.select_sku("TEST-NOHS")
    qtbot.keyClicks(products.form.hs_code, "7712.34")
    assert "chapter 77" in products.form.hs_message.text()
    assert not products.save_button.isEnabled()
    assert products.save() is False
    assert "chapter 77" in products.status.text()
    products.form.hs_code.setText("12345")
    assert "not 6 digits" in products.form.hs_message.text()
    assert products.save() is False
    assert _stored(demo_store, "TEST-NOHS").hs_code == ""


def test_unknown_sku_is_added_prefilled(products, qtbot, demo_store):
    assert products.unknown_box.isVisibleTo(products)
    unknown = products.unknown[0]
    products.unknown_table.selectRow(0)
    qtbot.mouseClick(products.add_unknown_button, Qt.MouseButton.LeftButton)
    form = products.form
    assert form.sku.text() == unknown.sku and not form.sku.isReadOnly()
    assert form.title.text() == unknown.title
    assert form.hs_code.hasFocus() or not products.isActiveWindow()
    form.hs_code.setText("4911.99")
    form.weight.setValue(380)
    with qtbot.waitSignal(products.loaded, timeout=5000):
        products.save()
    assert _stored(demo_store, unknown.sku).hs_code == "491199"
    assert unknown.sku not in [u.sku for u in products.unknown]
    assert products.selected_sku() == unknown.sku


def test_seller_profile_round_trip_and_gift_warning(qtbot, worker, demo_store):
    profile = demo_seller()
    dialog = SellerProfileDialog(profile)
    qtbot.addWidget(dialog)
    assert dialog.profile() == profile
    assert "Everything the papers need" in dialog.missing.text()
    dialog.category.setCurrentIndex(dialog.category.findData(ItemCategory.GIFT.value))
    assert dialog.category_warning.isVisibleTo(dialog)
    assert "false declaration" in dialog.category_warning.text()
    dialog.name_en.clear()
    assert "exporter name in English" in dialog.missing.text()
    assert not dialog.separate_returns.isChecked() and dialog.profile().return_address_en is None
    # A separate return address round-trips too, and unticking it sends returns home again.
    warehouse = replace(profile, return_address_en=Address(
        AddressText("Hanbit Returns", "B1, 12 Gasan digital 1-ro", city="Seoul"), "KR", "08594"))
    returns = SellerProfileDialog(warehouse)
    qtbot.addWidget(returns)
    assert returns.separate_returns.isChecked() and returns.profile() == warehouse
    returns.separate_returns.setChecked(False)
    assert returns.profile() == profile


def test_seller_profile_saves_through_the_worker(qtbot, worker, demo_store):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    saved = []
    open_seller_profile(parent, worker, saved.append)
    qtbot.waitUntil(lambda: getattr(parent, "seller_profile_dialog", None) is not None, timeout=5000)
    dialog = parent.seller_profile_dialog
    dialog.signature_name.setText("Park Ji-hoon")
    dialog.tax_ids.setRowCount(0)
    dialog._add_tax_row("NO", "NO-VOEC-2024")
    dialog._accept_if_valid()
    qtbot.waitUntil(lambda: bool(saved), timeout=5000)
    with Store.open(demo_store) as store:
        stored = store.settings.seller_profile()
    assert stored.signature_name == "Park Ji-hoon"
    assert stored.tax_ids == {"NO": "NO-VOEC-2024"}
    assert stored.address_ko is not None and stored.address_ko.typed.line1


def test_desk_menu_opens_products_with_unknown_skus(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_P,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    products = window.products_window
    assert products is not None and products.isVisible()
    # The desk's test orders name SKU-0..SKU-11, none of them in the catalogue yet.
    qtbot.waitUntil(lambda: len(products.unknown) == 12, timeout=5000)
    assert products.unknown_box.isVisibleTo(products)
