"""CN 22 and CN 23 as poppler and zbar read them, and the choice between them at 300 SDR."""

from __future__ import annotations

from dataclasses import replace

import pytest

from fulfill.documents.captions import postal, postal_parts
from fulfill.documents.customs_forms import (
    SDR_300, cn22_pdf, cn23_pdf, customs_form_for, value_text,
)
from fulfill.documents.errors import DocumentError
from fulfill.documents.invoice import hs_text, kg
from fulfill.domain import ItemCategory, Money, Parcel
from tests.documents import pdf_tools
from tests.documents.pdf_tools import flat

LABEL_PAGE, A4 = (288.0, 432.0), (595.28, 841.89)


def pages_text(pdf: bytes) -> list[str]:
    return pdf_tools.text(pdf).split("\f")[:-1]


def worth(parcel: Parcel, minor: int) -> Parcel:
    """`parcel` with one line whose value is exactly `minor` units."""
    item = replace(parcel.items[0], quantity=1, unit_value=Money(minor, parcel.currency))
    return replace(parcel, items=(item,))


def many_items(parcel: Parcel, count: int) -> Parcel:
    items = tuple(replace(parcel.items[i % len(parcel.items)], sku=f"MANY-{i:02d}",
                          description=f"Item{i:02d} {parcel.items[i % len(parcel.items)].description}")
                  for i in range(count))
    return replace(parcel, items=items)


@pytest.fixture(scope="module")
def destinations(parcels_by_country) -> list[Parcel]:
    return list(parcels_by_country.values())


# --- the choice ----------------------------------------------------------------------------

@pytest.mark.parametrize("currency", ["USD", "KRW", "JPY", "EUR"])
def test_cn23_from_the_threshold_up(demo_parcels, currency):
    parcel = next(p for p in demo_parcels if p.currency == currency)
    threshold = SDR_300[currency]
    assert customs_form_for(worth(parcel, threshold.minor - 1)) == "cn22"
    assert customs_form_for(worth(parcel, threshold.minor)) == "cn23"  # ">=": safe both ways
    assert customs_form_for(worth(parcel, threshold.minor + 1)) == "cn23"


def test_a_given_threshold_overrides_the_table(parcels_by_country):
    parcel = worth(parcels_by_country["US"], 10_000)  # 100.00 USD
    assert customs_form_for(parcel) == "cn22"
    assert customs_form_for(parcel, Money.parse("100.00", "USD")) == "cn23"
    assert customs_form_for(parcel, Money.parse("100.01", "USD")) == "cn22"
    with pytest.raises(DocumentError, match="EUR"):
        customs_form_for(parcel, Money.parse("100", "EUR"))


def test_every_demo_currency_has_a_300_sdr_figure_and_others_ask_for_one(demo_parcels):
    assert {p.currency for p in demo_parcels} <= set(SDR_300)
    for code in ("USD", "EUR", "GBP", "JPY", "CNY", "TWD", "HKD", "KRW", "SGD", "MYR", "AUD",
                 "CAD", "THB", "VND", "PLN", "CZK", "RUB", "KZT"):
        assert SDR_300[code].currency == code and SDR_300[code].minor > 0
    # 300 SDR is about 410 USD: every figure sits a little under it, never over.
    assert Money.parse("380", "USD") < SDR_300["USD"] <= Money.parse("410", "USD")
    odd = replace(demo_parcels[0], currency="ISK", items=(), shipping=Money(0, "ISK"))
    with pytest.raises(DocumentError, match="threshold"):
        customs_form_for(odd)


# --- CN 22 ---------------------------------------------------------------------------------

def test_cn22_for_every_destination(destinations):
    pdf = cn22_pdf(destinations)
    assert pdf_tools.page_sizes(pdf) == [LABEL_PAGE] * len(destinations)
    assert all(row.embedded for row in pdf_tools.fonts(pdf))
    assert pdf_tools.words_outside_pages(pdf, margin=8) == []
    certify = flat(postal_parts("certify22")[0])
    for parcel, page in zip(destinations, pages_text(pdf), strict=True):
        found = flat(page)
        assert "CN22" in found and "CUSTOMSDECLARATION" in found and "DÉCLARATIONENDOUANE" in found
        for category in ItemCategory:  # all six boxes, in both languages
            assert flat(category.english) in found and flat(category.french) in found
        for item in parcel.items:
            assert flat(f"{item.quantity} × {item.description}") in found
            assert flat(hs_text(item.hs_code, parcel.recipient.country_code)) in found
            assert flat(value_text(item.value)) in found
        assert flat(value_text(parcel.goods_value)) in found and kg(parcel.weight_g) in found
        assert certify in found and parcel.seller.signature_name.replace(" ", "") in found
        assert flat(postal("signature")) in found


def test_cn22_items_that_do_not_fit_continue_on_marked_sheets(parcels_by_country):
    parcel = many_items(parcels_by_country["US"], 12)
    pdf = cn22_pdf([parcel])
    pages = pages_text(pdf)
    assert len(pages) >= 2
    assert pdf_tools.page_sizes(pdf) == [LABEL_PAGE] * len(pages)
    assert pdf_tools.words_outside_pages(pdf, margin=8) == []
    for number, page in enumerate(pages, start=1):
        assert flat(f"Sheet / Feuille {number}/{len(pages)}") in flat(page)
        assert flat(value_text(parcel.goods_value)) in flat(page)  # totals of all sheets
    everything = flat("".join(pages))
    for item in parcel.items:
        assert everything.count(flat(item.description)) == 1


# --- CN 23 ---------------------------------------------------------------------------------

def test_cn23_boxes_and_barcode(parcels_by_country):
    parcel = parcels_by_country["DE"]
    pdf = cn23_pdf([parcel])
    assert pdf_tools.page_sizes(pdf) == [A4]
    assert all(row.embedded for row in pdf_tools.fonts(pdf))
    assert pdf_tools.words_outside_pages(pdf, margin=20) == []
    assert pdf_tools.barcodes(pdf, dpi=300) == [parcel.tracking_number]
    found = flat(pdf_tools.text(pdf))
    for key in ("from", "to", "sender_ref", "importer_ref", "postal_charges", "licence",
                "certificate", "invoice", "comments", "signature", "total_gross", "total_value"):
        assert flat(postal(key)) in found, key
    assert flat(postal_parts("certify23")[0]) in found and flat(postal_parts("certify23")[1]) in found
    assert flat(parcel.invoice_number) in found
    assert flat(parcel.seller.customs_code) in found
    assert "IOSSNo.IM2760000001" in found  # the importer reference for an EU destination
    assert flat(value_text(parcel.shipping)) in found and kg(parcel.weight_g) in found
    for line in parcel.recipient.typed.lines():
        assert flat(line) in found


def test_cn23_for_every_destination_on_letter(destinations):
    pdf = cn23_pdf(destinations, paper="Letter")
    assert pdf_tools.page_sizes(pdf) == [(612.0, 792.0)] * len(destinations)
    assert pdf_tools.words_outside_pages(pdf, margin=20) == []
    for parcel, page in zip(destinations, pages_text(pdf), strict=True):
        found = flat(page)
        latin = parcel.recipient.for_carrier
        for line in latin.lines():
            assert flat(line) in found
        for item in parcel.items:
            assert flat(item.description) in found


def test_cn23_many_items_continue_and_each_sheet_has_its_barcode(parcels_by_country):
    parcel = many_items(parcels_by_country["JP"], 40)
    pdf = cn23_pdf([parcel])
    pages = pages_text(pdf)
    assert len(pages) >= 2
    assert pdf_tools.words_outside_pages(pdf, margin=20) == []
    everything = flat("".join(pages))
    for item in parcel.items:
        assert everything.count(flat(item.description)) == 1
    assert pdf_tools.barcodes(pdf, dpi=300, page=len(pages)) == [parcel.tracking_number]


def test_unprintable_text_is_refused_before_drawing(parcels_by_country):
    parcel = parcels_by_country["TH"]
    thai_street = replace(parcel, recipient=replace(
        parcel.recipient, typed=replace(parcel.recipient.typed, line1="ถนนสุขุมวิท 21")))
    with pytest.raises(DocumentError, match="recipient address.*U\\+0E16"):
        cn23_pdf([thai_street])
    cn22_pdf([thai_street])  # a CN 22 carries no address: nothing unprintable on it
    thai_item = replace(parcel, items=(
        replace(parcel.items[0], description="แชมพู Shampoo, 500 ml"), *parcel.items[1:]))
    for make in (cn22_pdf, cn23_pdf):
        with pytest.raises(DocumentError, match=f"description of {parcel.items[0].sku}"):
            make([thai_item])
