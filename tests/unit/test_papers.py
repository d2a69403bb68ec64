"""services.papers on a real demo store: what blocks printing, and the PDFs it hands out."""

from dataclasses import replace

import pytest

from fulfill.domain import Money, OrderStatus, TrackingNumberError
from fulfill.errors import FulfillError
from fulfill.services import demo, papers
from fulfill.services.demo_data import demo_seller
from fulfill.services.pdf_join import join_pdfs
from fulfill.storage import Store
from tests.conftest import FIXED_NOW
from tests.documents import pdf_tools

ORDERS = 300  # about a dozen awaiting shipment


@pytest.fixture
def shop(tmp_path):
    with Store.open(tmp_path / "demo.sqlite") as store:
        demo.seed(store, ORDERS, now=FIXED_NOW)
        yield store


def _waiting(store):
    return papers.order_ids_for(store, status="awaiting_shipment")


def _first_sku(store, order_id):
    return store.orders.get(order_id).lines[0].sku


def _drop_shipments(store, order_id):
    store.db.execute("DELETE FROM shipments WHERE order_id = ?", [order_id])


def test_demo_store_is_ready_to_print_labels(shop):
    ids = _waiting(shop)
    assert len(ids) >= 5
    assert shop.settings.seller_profile() == demo_seller()
    parcels, blocked = papers.load_parcels(shop, ids)
    assert blocked == {} and [p.order_id for p in parcels] == ids
    for parcel in parcels:
        assert parcel.carrier == "Korea Post" and parcel.service in ("K-Packet", "EMS")
        assert parcel.tracking_number.endswith("KR") and parcel.gross_weight_g > 0
        assert " · " in parcel.channel and parcel.seller == demo_seller()
    # Seeding again adds no second shipment.
    demo.seed(shop, ORDERS, now=FIXED_NOW)
    assert shop.db.execute("SELECT count(*) FROM shipments").fetchone()[0] == len(ids)


def test_order_ids_for_a_status_oldest_first(shop):
    ids = _waiting(shop)
    dates = [shop.orders.get(i).ordered_at for i in ids]
    assert dates == sorted(dates)
    assert all(shop.orders.get(i).status is OrderStatus.AWAITING_SHIPMENT for i in ids)
    with pytest.raises(FulfillError, match="no order status 'packed'"):
        papers.order_ids_for(shop, status="packed")


def test_missing_hs_code_unknown_sku_and_tracking_number_are_each_reported(shop):
    first, *others = _waiting(shop)
    sku = _first_sku(shop, first)
    # An order that shares no product with the first, and a third one.
    second = next(i for i in others
                  if sku not in {line.sku for line in shop.orders.get(i).lines})
    third, *rest = [i for i in others if i != second]
    shop.products.save([replace(shop.products.get(sku), hs_code="")])
    unknown = _first_sku(shop, second)
    shop.products.delete(unknown)
    _drop_shipments(shop, third)

    gaps = papers.gaps_for(shop, [first, second, third, *rest])
    assert set(gaps) >= {first, second, third}
    assert any(g.what == "HS code" and g.sku == sku and g.detail == "no HS code"
               for g in gaps[first])
    assert any(g.what == "product" and g.sku == unknown for g in gaps[second])
    assert [g.what for g in gaps[third]] == ["tracking number"]
    # Everything else still loads.
    parcels, blocked = papers.load_parcels(shop, rest)
    assert len(parcels) == len([i for i in rest if i not in gaps])


def test_render_refuses_listing_every_gap_by_order_number_and_draws_nothing(shop):
    first, second, *_ = _waiting(shop)
    sku = _first_sku(shop, first)
    shop.products.save([replace(shop.products.get(sku), hs_code="")])
    _drop_shipments(shop, second)
    with pytest.raises(papers.PapersBlocked) as caught:
        papers.render(shop, [first, second], "label")
    error = caught.value
    numbers = papers.order_numbers(shop, [first, second])
    assert set(error.blocked) == {first, second}
    assert f"{numbers[first]}: " in error.message and f"{sku}: no HS code" in error.message
    assert f"{numbers[second]}: no tracking number yet" in error.message
    assert "Products" in error.advice and "tracking number" in error.advice


def test_a_packing_slip_needs_neither_customs_data_nor_a_tracking_number(shop):
    first, *_ = _waiting(shop)
    shop.products.save([replace(shop.products.get(_first_sku(shop, first)), hs_code="")])
    _drop_shipments(shop, first)
    job = papers.render(shop, [first], "packing-slip", paper="Letter")
    assert (job.kind, job.printer, job.order_ids, job.pages) == ("packing-slip", "document",
                                                                 [first], 1)
    assert pdf_tools.page_sizes(job.pdf) == [(612, 792)]
    number = shop.orders.get(first).order_number
    assert number in pdf_tools.text(job.pdf)


def test_cancelled_and_refunded_orders_are_refused(shop):
    for status, words in ((OrderStatus.CANCELLED, "cancelled"), (OrderStatus.REFUNDED, "refunded")):
        (order_id, *_) = papers.order_ids_for(shop, status=status.value)
        gaps = papers.gaps_for(shop, [order_id])[order_id]
        assert [str(g) for g in gaps] == [f"the order is {words}"]
        with pytest.raises(papers.PapersBlocked):
            papers.render(shop, [order_id], "packing-slip")


def test_unknown_ids_and_kinds_and_empty_selections_are_refused(shop):
    assert papers.gaps_for(shop, [999_999])[999_999][0].what == "order"
    with pytest.raises(FulfillError, match="No orders"):
        papers.render(shop, [], "label")
    with pytest.raises(FulfillError, match="no document kind"):
        papers.render(shop, _waiting(shop), "postcard")
    with pytest.raises(FulfillError, match="paper size"):
        papers.render(shop, _waiting(shop), "invoice", paper="A5")


def test_loading_many_orders_reads_products_once(shop):
    ids = papers.order_ids_for(shop, status="delivered")
    assert len(ids) > 100
    statements = []
    shop.db.conn.set_trace_callback(statements.append)
    try:
        parcels, blocked = papers.load_parcels(shop, ids, strict=False, need_tracking=False)
    finally:
        shop.db.conn.set_trace_callback(None)
    assert len(parcels) + len(blocked) == len(ids)
    assert sum("FROM products" in s for s in statements) == 1
    assert sum("FROM shipments" in s for s in statements) == 1


def test_tracking_numbers_are_checked_and_update_the_draft(shop):
    first, *_ = _waiting(shop)
    with pytest.raises(TrackingNumberError, match="check digit"):
        papers.set_tracking_number(shop, first, "EE123456784KR", carrier="Korea Post")
    papers.set_tracking_number(shop, first, "ee 123 456 785 kr", carrier="Korea Post",
                               service="EMS", weight_g=900)
    (shipment,) = shop.orders.shipments(first)
    assert (shipment.tracking_number, shipment.service, shipment.weight_g) == (
        "EE123456785KR", "EMS", 900)
    _drop_shipments(shop, first)
    papers.set_tracking_number(shop, first, "1Z999AA10123456784", carrier="UPS")
    parcels, blocked = papers.load_parcels(shop, [first])
    assert blocked == {} and parcels[0].tracking_number == "1Z999AA10123456784"


def test_joined_pdfs_keep_every_page_in_order(shop):
    first, second, *_ = _waiting(shop)
    one = papers.render(shop, [first], "packing-slip").pdf
    two = papers.render(shop, [second, first], "packing-slip").pdf
    joined = join_pdfs([one, two])
    numbers = papers.order_numbers(shop, [first, second])
    pages = [pdf_tools.text(joined, page=n) for n in (1, 2, 3)]
    assert [numbers[first] in pages[0], numbers[second] in pages[1], numbers[first] in pages[2]] \
        == [True, True, True]
    assert all(font.embedded for font in pdf_tools.fonts(joined) if font.type != "Type 1")
    assert join_pdfs([one]) is one


# --- labels and customs forms: need documents.label, invoice and customs_forms -------------

def test_label_job_has_one_page_per_order_with_its_number(shop):
    ids = _waiting(shop)
    job = papers.render(shop, ids, "label", dpi=300)
    assert (job.printer, job.order_ids, job.pages) == ("label", ids, len(ids))
    assert set(pdf_tools.page_sizes(job.pdf)) == {(288, 432)}
    text = pdf_tools.text(job.pdf)
    for number in papers.order_numbers(shop, ids).values():
        assert number in text


def test_customs_picks_the_form_by_the_store_threshold(shop):
    first, *_ = _waiting(shop)
    currency = shop.orders.get(first).currency
    assert papers.render(shop, [first], "customs").kind == "cn22"  # demo parcels are small
    shop.settings.save_cn23_threshold(currency, Money(1, currency))
    job = papers.render(shop, [first], "customs")
    assert (job.kind, job.printer, job.pages) == ("cn23", "document", 1)
    assert shop.orders.get(first).order_number in pdf_tools.text(job.pdf)


def test_a_batch_needing_both_forms_gets_cn23_for_all(shop):
    ids = _waiting(shop)
    currency = shop.orders.get(ids[0]).currency
    shop.settings.save_cn23_threshold(currency, Money(1, currency))
    forms = papers.customs_forms(shop, papers.load_parcels(shop, ids)[0])
    assert "cn23" in forms and "cn22" in forms
    job = papers.render(shop, ids, "customs")
    assert (job.kind, job.printer) == ("cn23", "document")
    assert set(pdf_tools.page_sizes(job.pdf)) == {(595.28, 841.89)}


def test_parcel_papers_gives_each_printer_one_job(shop):
    ids = _waiting(shop)
    currency = shop.orders.get(ids[0]).currency
    shop.settings.save_cn23_threshold(currency, Money(1, currency))  # some CN23s too
    forms = papers.customs_forms(shop, papers.load_parcels(shop, ids)[0])
    cn22 = forms.count("cn22")
    assert 0 < cn22 < len(ids)
    label, document = papers.parcel_papers(shop, ids, paper="Letter")
    assert (label.kind, label.printer) == ("label+cn22", "label")
    assert (document.kind, document.printer) == ("cn23+invoice", "document")
    assert label.pages == len(ids) + cn22
    assert pdf_tools.page_sizes(label.pdf) == [(288, 432)] * label.pages
    assert set(pdf_tools.page_sizes(document.pdf)) == {(612, 792)}
    assert document.pages >= len(ids) + len(ids) - cn22
    assert label.order_ids == ids and sorted(document.order_ids) == sorted(ids)
    # Every label's barcode still scans in the joined file.
    numbers = {p.order_id: p.tracking_number for p in papers.load_parcels(shop, ids)[0]}
    assert pdf_tools.barcodes(label.pdf, 203, page=1) == [numbers[ids[0]]]
    assert pdf_tools.barcodes(label.pdf, 203, page=len(ids)) == [numbers[ids[-1]]]
