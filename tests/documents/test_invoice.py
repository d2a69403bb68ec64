"""The commercial invoice as poppler reads it: every destination's address as typed and in
Latin letters, embedded fonts, exact paper sizes, nothing off the page, captions in the
destination's language, babel totals, long orders on more pages, unprintable text refused."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from babel.numbers import format_currency

from fulfill.documents import captions, fonts
from fulfill.documents.captions import caption, language_for, translation
from fulfill.documents.errors import DocumentError
from fulfill.documents.invoice import hs_text, invoice_pdf, kg
from fulfill.domain import Parcel
from tests.documents import pdf_tools
from tests.documents.pdf_tools import flat

A4, LETTER = (595.28, 841.89), (612.0, 792.0)


def pages_text(pdf: bytes) -> list[str]:
    """pdftotext of each page (it separates pages with a form feed)."""
    return pdf_tools.text(pdf).split("\f")[:-1]


@pytest.fixture(scope="module")
def destinations(parcels_by_country) -> list[Parcel]:
    return list(parcels_by_country.values())


@pytest.fixture(scope="module")
def batch(destinations) -> bytes:
    return invoice_pdf(destinations)


def long_order(parcel: Parcel, lines: int = 40) -> Parcel:
    items = tuple(replace(parcel.items[i % len(parcel.items)], sku=f"LONG-{i:02d}",
                          description=f"Line{i:02d} {parcel.items[i % len(parcel.items)].description}")
                  for i in range(lines))
    return replace(parcel, items=items)


def test_every_destination_gives_back_its_address_as_typed_and_in_latin(destinations, batch):
    assert len(destinations) >= 15
    pages = pages_text(batch)
    assert len(pages) == len(destinations)  # the demo orders each fit one page
    for parcel, page in zip(destinations, pages, strict=True):
        found = flat(page)
        recipient = parcel.recipient
        for line in recipient.typed.lines():
            assert flat(line) in found, (recipient.country_code, line)
        if recipient.latin:
            for line in recipient.latin.lines():
                assert flat(line) in found, (recipient.country_code, line)
        assert flat(parcel.invoice_number) in found
        assert flat(parcel.order_number) in found
        assert flat(parcel.tracking_number) in found
        for item in parcel.items:
            assert flat(item.description) in found
            assert flat(hs_text(item.hs_code, recipient.country_code)) in found


def test_fonts_embedded_pages_exact_and_no_word_off_the_page(batch, destinations):
    rows = pdf_tools.fonts(batch)
    assert rows and all(row.embedded for row in rows), rows
    assert pdf_tools.page_sizes(batch) == [A4] * len(destinations)
    assert pdf_tools.words_outside_pages(batch, margin=20) == []


def test_letter_paper(destinations):
    pdf = invoice_pdf(destinations[:3], paper="Letter")
    assert pdf_tools.page_sizes(pdf) == [LETTER] * 3
    assert pdf_tools.words_outside_pages(pdf, margin=20) == []


@pytest.mark.parametrize(("country", "language", "word"), [
    ("CN", "zh-Hans", "商业发票"), ("TW", "zh-Hant", "商業發票"),
    ("HK", "zh-Hant", "商業發票"), ("JP", "ja", "コマーシャル・インボイス"), ("KR", "ko", "상업송장"),
])
def test_captions_in_the_destinations_language(parcels_by_country, country, language, word):
    parcel = parcels_by_country[country]
    assert language_for(country) == language
    found = flat(pdf_tools.text(invoice_pdf([parcel])))
    assert word in found
    assert flat(caption("invoice_no", language)) in found
    assert flat(translation("col_description", language)) in found
    assert flat(caption("declaration", "en")) in found
    translated = parcel.items[0].translations.get(language)
    if translated:  # the demo catalogue has Simplified Chinese and Japanese descriptions
        assert flat(translated) in found


def test_english_only_elsewhere_and_language_override(parcels_by_country):
    german = flat(pdf_tools.text(invoice_pdf([parcels_by_country["DE"]])))
    assert "COMMERCIALINVOICE" in german and "发票" not in german and "IOSSNo.IM2760000001" in german
    chinese_in_english = flat(pdf_tools.text(invoice_pdf([parcels_by_country["CN"]], language="en")))
    assert "商业发票" not in chinese_in_english
    assert flat(parcels_by_country["CN"].recipient.typed.name) in chinese_in_english
    us_in_japanese = flat(pdf_tools.text(invoice_pdf([parcels_by_country["US"]], language="ja")))
    assert "コマーシャル・インボイス" in us_in_japanese
    with pytest.raises(DocumentError, match="xx"):
        invoice_pdf([parcels_by_country["US"]], language="xx")


@pytest.mark.parametrize(("country", "locale"), [
    ("CN", "zh_Hans_CN"), ("JP", "ja_JP"), ("TW", "zh_Hant_TW"), ("KR", "ko_KR"), ("US", "en_US"),
    ("DE", "en_US"),
])
def test_totals_formatted_by_babel_for_the_document_locale(parcels_by_country, country, locale):
    parcel = parcels_by_country[country]
    found = flat(pdf_tools.text(invoice_pdf([parcel])))
    total = parcel.goods_value + parcel.shipping
    for amount in (parcel.goods_value, parcel.shipping, total):
        assert flat(format_currency(amount.to_decimal(), amount.currency, locale=locale)) in found
    assert f"({parcel.currency})" in found
    assert f"{kg(parcel.net_weight_g)}kg" in found and f"{kg(parcel.weight_g)}kg" in found


def test_a_long_order_continues_on_more_pages_with_the_header_repeated(parcels_by_country):
    parcel = long_order(parcels_by_country["JP"])
    pdf = invoice_pdf([parcel])
    pages = pages_text(pdf)
    assert len(pages) >= 2
    assert pdf_tools.words_outside_pages(pdf, margin=20) == []
    everything = flat("".join(pages))
    for item in parcel.items:
        assert flat(item.description) in everything
    for number, page in enumerate(pages, start=1):
        assert flat(f"{number}/{len(pages)}") in flat(page)
        assert "Descriptionofgoods" in flat(page)  # the table header on every page
        assert flat(parcel.invoice_number) in flat(page)
    assert "Goodsvalue" in flat(pages[-1]) and "Goodsvalue" not in flat(pages[0])
    # Each line printed once: nothing repeated or lost at the page break.
    assert sorted(re.findall(r"Line(\d\d)", everything)) == [f"{i:02d}" for i in range(40)]


def test_an_unprintable_character_is_refused_naming_the_field(parcels_by_country):
    parcel = parcels_by_country["TH"]
    thai = replace(parcel, recipient=replace(
        parcel.recipient, typed=replace(parcel.recipient.typed, name="สมชาย ใจดี")))
    with pytest.raises(DocumentError) as refused:
        invoice_pdf([parcels_by_country["US"], thai])
    message = str(refused.value)
    assert "recipient name" in message and "U+0E2A" in message
    assert parcel.order_number in message


def test_no_parcels_is_an_error():
    with pytest.raises(DocumentError):
        invoice_pdf([])


def test_hs_codes_and_weights():
    assert hs_text("3304992000", "KR") == "3304.99-2000"  # Korean HSK at home
    assert hs_text("3304992000", "JP") == "3304.99"  # HS6 abroad
    assert hs_text("330499", "KR") == "3304.99"
    assert kg(190) == "0.190" and kg(12_345) == "12.345" and kg(0) == "0.000"


def test_every_caption_is_printable_with_the_bundled_fonts():
    for key in captions._INVOICE:
        for language in captions.LANGUAGES:
            assert fonts.unprintable(captions.caption(key, language)) == [], (key, language)
            assert fonts.unprintable(captions.caption(key, language), bold=True) == []
    for key in captions._POSTAL:
        assert fonts.unprintable(captions.postal(key)) == [], key
