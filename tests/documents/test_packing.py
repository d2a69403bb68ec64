"""Packing slips carry a barcode Pack mode can scan; the pick list adds up the batch."""

from collections import Counter

from fulfill.documents.packing import packing_slip_pdf, pick_lines, pick_list_pdf
from fulfill.domain.tracking import order_id_from_scan
from tests.documents import pdf_tools


def test_a_packing_slip_per_order_with_a_scannable_order_code(parcels_by_country):
    parcels = [parcels_by_country[c] for c in ("JP", "CN", "KR", "US")]
    pdf = packing_slip_pdf(parcels, paper="Letter")
    assert pdf_tools.page_sizes(pdf) == [(612.0, 792.0)] * 4
    assert all(row.embedded for row in pdf_tools.fonts(pdf))
    assert pdf_tools.words_outside_pages(pdf, margin=30) == []
    for page, parcel in enumerate(parcels, start=1):
        codes = pdf_tools.barcodes(pdf, dpi=150, page=page)
        assert [order_id_from_scan(c) for c in codes] == [parcel.order_id]
        text = pdf_tools.flat(pdf_tools.text(pdf, page=page))
        assert parcel.order_number in text
        assert pdf_tools.flat(parcel.recipient.typed.name) in text
        for item in parcel.items:
            assert item.sku in text


def test_a_long_order_continues_on_the_next_page(parcels_by_country):
    from dataclasses import replace

    parcel = parcels_by_country["US"]
    many = replace(parcel, items=tuple(
        replace(parcel.items[0], sku=f"SKU-{n:03d}") for n in range(60)))
    pdf = packing_slip_pdf([many])
    assert len(pdf_tools.page_sizes(pdf)) >= 2
    text = pdf_tools.text(pdf)
    assert all(f"SKU-{n:03d}" in text for n in range(60))
    assert "(continued)" in text
    assert pdf_tools.words_outside_pages(pdf, margin=30) == []


def test_the_pick_list_totals_every_sku_across_the_batch(demo_parcels):
    batch = demo_parcels[:150]
    expected = Counter()
    for parcel in batch:
        for item in parcel.items:
            expected[item.sku] += item.quantity
    lines = pick_lines(batch)
    assert {line.sku: line.quantity for line in lines} == dict(expected)
    assert [line.sku for line in lines] == sorted(expected)
    pdf = pick_list_pdf(batch)
    text = pdf_tools.text(pdf, layout=True)
    assert f"{len(batch)} orders" in text and f"{sum(expected.values())} pieces" in text
    for line in lines:
        row = next(r for r in text.splitlines() if r.strip().startswith(line.sku + " "))
        assert row.split()[-1] == str(line.quantity)
    assert pdf_tools.words_outside_pages(pdf, margin=30) == []
