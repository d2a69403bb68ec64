"""4x6 labels checked the way a carrier's scanner and a customs officer would: poppler reads
the text back, every font is embedded, zbarimg decodes the barcode from a printer-resolution
raster, and nothing lies outside the page."""

from dataclasses import replace

import pytest

from fulfill.documents.errors import DocumentError
from fulfill.documents.label import HEIGHT, MARGIN, WIDTH, country_name, label_pdf, tracking_barcode
from fulfill.domain import AddressText
from tests.documents import pdf_tools


@pytest.fixture(scope="module")
def labels(parcels_by_country):
    parcels = list(parcels_by_country.values())
    return parcels, label_pdf(parcels, customs_forms=["CN22"] * len(parcels))


def test_one_exact_4x6_page_per_parcel(labels):
    parcels, pdf = labels
    assert pdf_tools.page_sizes(pdf) == [(288.0, 432.0)] * len(parcels)


def test_every_destination_reads_back_as_typed_and_in_latin(labels):
    parcels, pdf = labels
    for page, parcel in enumerate(parcels, start=1):
        text = pdf_tools.flat(pdf_tools.text(pdf, page=page))
        address = parcel.recipient
        forms = [address.typed] + ([address.latin] if address.latin else [])
        for form in forms:
            for part in (form.name, form.company, form.line1, form.line2, form.city, form.region,
                         address.postal_code):
                assert pdf_tools.flat(part) in text, (address.country_code, part)
        assert pdf_tools.flat(country_name(address.country_code)) in text
        assert parcel.order_number in text


def test_the_demo_covers_every_script(parcels_by_country):
    assert {"CN", "TW", "JP", "KR", "RU", "DE", "VN"} <= set(parcels_by_country)


def test_every_font_is_embedded(labels):
    rows = pdf_tools.fonts(labels[1])
    assert rows and all(row.embedded for row in rows)
    names = " ".join(row.name for row in rows)
    for family in ("DejaVuSans", "NanumGothic", "WenQuanYiMicroHei"):
        assert family in names


def test_no_text_outside_the_page(labels):
    assert pdf_tools.words_outside_pages(labels[1], margin=MARGIN - 1) == []


@pytest.mark.parametrize("dpi", [203, 300])
def test_the_tracking_barcode_scans_at_the_printer_resolution(parcels_by_country, dpi):
    parcels = [parcels_by_country[c] for c in ("CN", "JP", "US")]
    pdf = label_pdf(parcels, dpi=dpi)
    for page, parcel in enumerate(parcels, start=1):
        assert pdf_tools.barcodes(pdf, dpi=dpi, page=page) == [parcel.tracking_number]


@pytest.mark.parametrize(("dpi", "dots"), [(203, 3), (300, 4)])
def test_bars_are_whole_printer_dots_in_the_s10_range(dpi, dots):
    code = tracking_barcode("EE123456785KR", dpi, WIDTH - 2 * MARGIN)
    assert code.barWidth * dpi / 72 == pytest.approx(dots)
    module_mm = code.barWidth * 25.4 / 72
    assert 0.25 <= module_mm <= 0.51
    assert code.barHeight * 25.4 / 72 >= 12.5


def test_a_long_carrier_number_takes_narrower_bars_and_still_fits():
    code = tracking_barcode("1ZABCDEFGHIJKLMNOPQRSTUV", 203, WIDTH - 2 * MARGIN)
    assert code.barWidth * 203 / 72 == pytest.approx(2)
    with pytest.raises(DocumentError, match="too long"):
        tracking_barcode("X" * 40, 203, WIDTH - 2 * MARGIN)


def test_a_very_long_address_shrinks_inside_the_label(parcels_by_country):
    parcel = parcels_by_country["DE"]
    long_line = "Hinterhaus, 3. Obergeschoss links, bei Familie Schmidt-Oberländer, " * 3
    typed = replace(parcel.recipient.typed, line2=long_line.strip())
    long_parcel = replace(parcel, recipient=replace(parcel.recipient, typed=typed))
    pdf = label_pdf([long_parcel])
    assert pdf_tools.words_outside_pages(pdf, margin=MARGIN - 1) == []
    words, _ = pdf_tools.words(pdf)
    barcode_top = HEIGHT - 140  # the facts row starts 140 pt above the bottom
    address_words = [w for w in words if "Obergeschoss" in w.text]
    assert address_words and all(w.y1 < barcode_top for w in address_words)
    assert pdf_tools.barcodes(pdf) == [parcel.tracking_number]


def test_unprintable_characters_and_missing_numbers_are_refused(parcels_by_country):
    parcel = parcels_by_country["TH"]
    thai = replace(parcel, recipient=replace(
        parcel.recipient, typed=AddressText("สมชาย ใจดี", "99 ถนนสุขุมวิท", city="กรุงเทพฯ")))
    with pytest.raises(DocumentError, match="Recipient address has .*THAI CHARACTER"):
        label_pdf([thai])
    with pytest.raises(DocumentError, match="no tracking number"):
        label_pdf([replace(parcel, tracking_number="")])
