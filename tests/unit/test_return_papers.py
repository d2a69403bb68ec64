"""Papers of a return on a real demo store, read back with poppler and zbar: the RMA slip
(barcode, return address, lines, instructions in the buyer's language and English), the
customs papers of goods coming back to Korea (buyer sends, seller receives, "Returned goods"
ticked, only the returned lines, the proof of the original export, Korean captions), the
refusals, and nothing overflowing with long addresses and many lines."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image

from fulfill.documents.captions import captions, postal, translation
from fulfill.documents.rma_slip import ReturnSlip, rma_slip_pdf
from fulfill.domain import (
    Address, AddressText, ItemCategory, Money, Order, OrderLine, OrderStatus, ReturnKind,
    ReturnReason, SellerProfile,
)
from fulfill.domain.returns import rma_id_from_scan
from fulfill.errors import FulfillError
from fulfill.services import return_papers, returns
from fulfill.services.demo_data import demo_seller
from fulfill.services.papers import PapersBlocked
from fulfill.services.parcels import build_return_parcel, original_export_note
from fulfill.services.return_papers import ReturnPapersBlocked, ReturnPapersRefused
from fulfill.storage import Store
from fulfill.storage.settings import SELLER_PROFILE, profile_from_json, profile_to_json
from tests.conftest import FIXED_NOW, fresh_copy, seeded_demo_file
from tests.documents import pdf_tools
from tests.documents.pdf_tools import flat

NOW = FIXED_NOW
A4, LETTER = (595.28, 841.89), (612.0, 792.0)
TRACKING = "EE123456785KR"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    return seeded_demo_file(tmp_path_factory, "return-papers", now=NOW)


@pytest.fixture
def shop(seeded, tmp_path):
    """A fresh copy of the demo store per test."""
    with Store.open(fresh_copy(seeded, tmp_path)) as store:
        yield store


def delivered_to(store: Store, country: str, *, lines: int = 1) -> int:
    """A delivered demo order to `country` with at least `lines` lines, no RMA yet, and
    customs data for every product."""
    for (order_id,) in store.db.execute(
            "SELECT id FROM orders WHERE status = 'delivered' AND ship_country = ?"
            " AND id NOT IN (SELECT order_id FROM rmas) ORDER BY id", [country]):
        order = store.orders.get(order_id)
        products = store.products.by_skus(line.sku for line in order.lines)
        if len({line.sku for line in order.lines}) >= lines and all(
                line.sku in products and products[line.sku].hs_code for line in order.lines):
            return order_id
    raise AssertionError(f"the demo store has no delivered order to {country} with {lines} lines")


def shipped_with(store: Store, order_id: int, tracking: str = TRACKING) -> None:
    """The parcel the order left in, as Pack mode records it."""
    store.db.execute(
        "INSERT INTO shipments (order_id, carrier, service, tracking_number, status, weight_g,"
        " shipped_at, created_at) VALUES (?, 'Korea Post', 'EMS', ?, 'delivered', 0, ?, ?)",
        [order_id, tracking, "2026-06-01T02:00:00Z", "2026-06-01T02:00:00Z"])


def approved(store: Store, order_id: int, lines: dict[str, int] | None = None, *,
             kind: ReturnKind = ReturnKind.RETURN, reason: ReturnReason = ReturnReason.WRONG_SIZE):
    order = store.orders.get(order_id)
    lines = lines if lines is not None else {line.sku: line.quantity for line in order.lines}
    rma = returns.open_rma(store, order_id, kind=kind, reason=reason, lines=lines, now=NOW)
    return returns.approve(store, rma.id, now=NOW)


def pages_text(pdf: bytes) -> list[str]:
    return pdf_tools.text(pdf).split("\f")[:-1]


def ticked_categories(pdf: bytes, page: int) -> set[str]:
    """The categories whose tick box is crossed on a CN 22/CN 23 page: the box's centre,
    7 pt left of its label and half a box down, is dark only when ticked."""
    words, _ = pdf_tools.words(pdf)
    words = [w for w in words if w.page == page]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "144", "-gray", "-singlefile", "-f", str(page), "-l",
                        str(page), "-png", str(source), str(Path(folder) / "page")], check=True)
        image = Image.open(Path(folder) / "page.png").convert("L")
    scale = 144 / 72
    ticked = set()
    for category in ItemCategory:
        english, french = category.english.split()[0], category.french.split()[0]
        label = next(e for e in words for f in words if e.text == english and f.text == french
                     and abs(e.x0 - f.x0) < 0.5 and 0 < f.y0 - e.y0 < 10)
        cx, cy = (label.x0 - 7) * scale, (label.y0 + 5.4) * scale
        centre = [image.getpixel((round(cx) + dx, round(cy) + dy))
                  for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
        if sum(centre) / len(centre) < 128:
            ticked.add(category.english)
    return ticked


def first_word(pdf: bytes, page: int, text: str):
    words, _ = pdf_tools.words(pdf)
    return next(w for w in words if w.page == page and w.text == text)


# --- the RMA slip ---------------------------------------------------------------------------

@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_slips_barcode_scans_back_to_its_rma(shop, paper):
    rma = approved(shop, delivered_to(shop, "JP"))
    pdf = return_papers.rma_slip(shop, rma.id, paper=paper)
    assert pdf_tools.page_sizes(pdf) == [A4 if paper == "A4" else LETTER]  # one page
    for dpi in (203, 300):
        (decoded,) = pdf_tools.barcodes(pdf, dpi=dpi)
        assert decoded == rma.code and rma_id_from_scan(decoded) == rma.id
    assert pdf_tools.words_outside_pages(pdf, margin=30) == []


def test_a_japanese_buyers_slip_in_japanese_and_english(shop):
    order_id = delivered_to(shop, "JP")
    rma = approved(shop, order_id)
    order = shop.orders.get(order_id)
    pdf = return_papers.rma_slip(shop, rma.id)
    found = flat(pdf_tools.text(pdf))
    seller = demo_seller()
    for line in [*seller.address_en.typed.lines(), *seller.address_ko.typed.lines()]:
        assert flat(line) in found, line  # the return address in Latin letters and Korean
    assert "REPUBLICOFKOREA" in found and "대한민국" in found
    assert flat(rma.code) in found and found.count(flat(rma.code)) >= 3  # big, steps, footer
    assert flat(order.order_number) in found and order.ordered_at.date().isoformat() in found
    for line in order.ship_to.typed.lines() + order.ship_to.latin.lines():
        assert flat(line) in found, line  # the buyer as sender
    for line in rma.lines:
        assert flat(line.sku) in found and flat(line.title) in found
    # The steps: English in the left column, Japanese beside it.
    words, sizes = pdf_tools.words(pdf)
    gutter = 36 + 18 + (sizes[0][0] - 72 - 18) / 2  # between the two columns of steps
    english = "".join(w.text for w in words if w.x1 < gutter)
    japanese = "".join(w.text for w in words if w.x0 > gutter)
    for key in ("step_slip", "step_code", "step_send", "step_customs", "step_receipt"):
        assert flat(captions(key, ()).format(code=rma.code)) in english, key
        assert flat(translation(key, "ja").format(code=rma.code)) in japanese, key
    for key in ("slip_title", "return_to", "what_to_do", "kind_return", "reason_wrong_size",
                "postage_buyer"):
        assert flat(translation(key, "ja")) in found, key
    assert "Returnforrefund" in found and "Wrongsize" in found and "Youpay(thebuyer)" in found
    rows = pdf_tools.fonts(pdf)
    assert rows and all(row.embedded for row in rows)
    assert {"DejaVuSans", "NanumGothic", "WenQuanYiMicroHei"} <= {
        family for row in rows for family in ("DejaVuSans", "NanumGothic", "WenQuanYiMicroHei")
        if family in row.name}


def test_a_domestic_slip_is_korean_and_english_without_customs(shop):
    rma = approved(shop, delivered_to(shop, "KR"), kind=ReturnKind.EXCHANGE,
                   reason=ReturnReason.DAMAGED)
    assert not return_papers.needs_customs(shop, rma.id)
    found = flat(pdf_tools.text(return_papers.rma_slip(shop, rma.id)))
    assert flat(translation("step_slip", "ko")) in found and "Putthisslipintheparcel" in found
    assert flat(translation("kind_exchange", "ko")) in found
    assert flat(translation("postage_seller", "ko")) in found  # damaged: the seller pays
    assert flat(captions("step_customs", ())) not in found
    assert "서울특별시성동구성수이로7길45,3층" in found  # Korean written from the city down


def test_an_english_speaking_buyer_reads_english_only(shop):
    rma = approved(shop, delivered_to(shop, "US"))
    assert return_papers.needs_customs(shop, rma.id)
    found = flat(pdf_tools.text(return_papers.rma_slip(shop, rma.id)))
    assert flat(captions("step_customs", ())) in found
    assert flat(translation("step_slip", "ja")) not in found
    assert flat(translation("what_to_do", "ko")) not in found


# --- customs papers of goods coming back -----------------------------------------------------

def test_return_customs_papers_swap_the_parties_and_prove_the_export(shop):
    order_id = delivered_to(shop, "JP", lines=2)
    shipped_with(shop, order_id)
    order = shop.orders.get(order_id)
    kept, sent_back = order.lines[0], order.lines[1]
    rma = approved(shop, order_id, {sent_back.sku: 1})
    assert return_papers.needs_customs(shop, rma.id)
    shop.settings.save_cn23_threshold(rma.currency, Money(1, rma.currency))  # a CN 23
    pdf = return_papers.return_customs_papers(shop, rma.id)
    pages = pages_text(pdf)
    invoice_page = next(n for n, page in enumerate(pages, start=1) if "PROFORMA" in flat(page))
    form_pages = range(1, invoice_page)
    assert list(form_pages), "the declaration comes first"
    everything = flat("".join(pages))
    buyer, seller = order.ship_to, demo_seller()

    # Only the returned line, at the quantity sent back and what was paid for it.
    product = shop.products.get(sent_back.sku)
    assert flat(product.customs_descriptions.get("en") or product.title) in everything
    other = shop.products.get(kept.sku)
    assert flat(other.customs_descriptions.get("en") or other.title) not in everything
    assert flat(rma.code) in everything

    # The proof of the original export, on the declaration and on the invoice.
    note = original_export_note(order, shop.orders.shipments(order_id))
    assert note.startswith("Returned goods — original export: order ")
    assert f"invoice INV-{order.order_number.lstrip('#')}" in note and TRACKING in note
    for number in (form_pages[0], invoice_page):
        assert flat(note) in flat(pages[number - 1]), number

    # The declaration: From the buyer, To the seller's return address, returned goods ticked.
    form = flat(pages[0])
    sender_at = form.index(flat(buyer.latin.name))
    assert form.index("From/De") < sender_at < form.index("To/À") < form.index("HanbitTrading")
    assert flat(f"Customs code {seller.customs_code}") in form  # the seller imports
    assert ticked_categories(pdf, 1) == {"Returned goods"}
    signed = form[form.index(flat(postal("signature"))):]
    assert flat(buyer.latin.name) in signed  # the buyer declares and signs

    # The invoice: the buyer in the exporter column (left), the seller as consignee (right),
    # captions in English, Japanese (the buyer's) and Korean (where it goes).
    invoice = flat(pages[invoice_page - 1])
    middle = A4[0] / 2
    assert first_word(pdf, invoice_page, buyer.latin.name.split()[0]).x0 < middle
    assert first_word(pdf, invoice_page, "Hanbit").x0 > middle
    for key in ("exporter_buyer", "consignee_seller", "original_export", "returned_goods",
                "importer_code"):
        for language in ("ja", "ko"):
            assert flat(translation(key, language)) in invoice, (key, language)
    assert flat(captions("exporter_buyer", ())) in invoice
    assert flat(translation("return_invoice", "ko")) in invoice
    assert flat(translation("declaration", "ko")) in invoice
    assert all(row.embedded for row in pdf_tools.fonts(pdf))


def test_a_valuable_return_gets_a_cn23_on_the_paper_asked_for(shop):
    order_id = delivered_to(shop, "JP")
    rma = approved(shop, order_id)
    shop.settings.save_cn23_threshold(rma.currency, Money(1, rma.currency))
    pdf = return_papers.return_customs_papers(shop, rma.id, paper="Letter")
    pages = pages_text(pdf)
    assert "CN23" in flat(pages[0]) and "PROFORMA" in flat(pages[-1])
    assert set(pdf_tools.page_sizes(pdf)) == {LETTER}
    assert ticked_categories(pdf, 1) == {"Returned goods"}
    assert pdf_tools.words_outside_pages(pdf, margin=20) == []


def test_a_cheap_return_gets_a_cn22(shop):
    rma = approved(shop, delivered_to(shop, "JP"))
    shop.settings.save_cn23_threshold(rma.currency, Money(10**12, rma.currency))
    pdf = return_papers.return_customs_papers(shop, rma.id)
    assert "CN22" in flat(pages_text(pdf)[0])
    assert pdf_tools.page_sizes(pdf)[0] == (288.0, 432.0)
    assert ticked_categories(pdf, 1) == {"Returned goods"}
    assert "Returnedgoods—originalexport" in flat(pages_text(pdf)[0])


# --- refusals --------------------------------------------------------------------------------

def test_a_domestic_return_needs_no_customs_papers(shop):
    rma = approved(shop, delivered_to(shop, "KR"))
    with pytest.raises(ReturnPapersRefused) as refused:
        return_papers.return_customs_papers(shop, rma.id)
    assert "needs no customs papers" in refused.value.message
    assert "slip alone" in refused.value.advice


def test_a_refund_without_return_has_no_parcel_and_no_papers(shop):
    order_id = delivered_to(shop, "JP")
    rma = returns.open_rma(shop, order_id, kind=ReturnKind.REFUND_ONLY,
                           reason=ReturnReason.DAMAGED, lines={}, now=NOW)
    assert not return_papers.needs_customs(shop, rma.id)
    for make, what in ((return_papers.rma_slip, "slip"),
                       (return_papers.return_customs_papers, "customs papers")):
        with pytest.raises(ReturnPapersRefused) as refused:
            make(shop, rma.id)
        assert "refund without return" in refused.value.message and what in refused.value.message
        assert refused.value.advice


def test_missing_customs_data_is_listed_as_for_outgoing_papers(shop):
    order_id = delivered_to(shop, "JP")
    rma = approved(shop, order_id)
    sku = rma.lines[0].sku
    shop.products.save([replace(shop.products.get(sku), hs_code="", unit_weight_g=0)])
    with pytest.raises(ReturnPapersBlocked) as refused:
        return_papers.return_customs_papers(shop, rma.id)
    error = refused.value
    assert isinstance(error, PapersBlocked) and isinstance(error, FulfillError)
    assert error.message.startswith(f"The customs papers of {rma.code}")
    assert f"{sku}: no HS code" in error.message and f"{sku}: no net weight" in error.message
    assert "Products" in error.advice
    assert [gap.what for gap in error.blocked[order_id]] == ["HS code", "net weight"]
    return_papers.rma_slip(shop, rma.id)  # the slip needs no customs data


def test_no_return_address_blocks_slip_and_papers(shop):
    rma = approved(shop, delivered_to(shop, "JP"))
    shop.settings.save_seller_profile(replace(demo_seller(), address_en=None))
    for make in (return_papers.rma_slip, return_papers.return_customs_papers):
        with pytest.raises(ReturnPapersBlocked, match="return address in English"):
            make(shop, rma.id)


def test_unknown_rmas_and_papers_are_refused(shop):
    with pytest.raises(FulfillError, match="no RMA RM999999"):
        return_papers.rma_slip(shop, 999999)
    rma = approved(shop, delivered_to(shop, "JP"))
    with pytest.raises(FulfillError, match="paper size"):
        return_papers.rma_slip(shop, rma.id, paper="A5")


# --- long addresses, many lines --------------------------------------------------------------

LONG_JAPANESE = Address(
    typed=AddressText("長谷川 五郎左衛門", "丸の内二丁目七番二号 JPタワー三十二階 国際返品受付センター気付",
                      "株式会社グローバル・ロジスティクス・ソリューションズ 第三営業本部 海外通販課",
                      "千代田区", "東京都"),
    latin=AddressText("Gorozaemon Hasegawa", "JP Tower 32F, 2-7-2 Marunouchi, c/o International"
                      " Returns Reception Centre", "Global Logistics Solutions Co., Ltd., Third "
                      "Sales Division, Overseas Mail Order Section", "Chiyoda-ku", "Tokyo"),
    country_code="JP", postal_code="100-7032", phone="+81 3-1234-5678",
    email="gorozaemon.hasegawa@example.jp")

LONG_KOREAN = replace(demo_seller(), return_address_ko=Address(
    AddressText("한빛무역 주식회사 해외반품센터 (물류대행 글로벌풀필먼트코리아 주식회사 내)",
                "가산디지털1로 168, 우림라이온스밸리 에이동 지하2층 B201호 해외반품 접수처",
                "금천구", "서울특별시"), "KR", "08507"),
    return_address_en=Address(
        AddressText("Hanbit Trading Co., Ltd. Overseas Returns Centre (c/o Global Fulfilment "
                    "Korea Co., Ltd.)", "B201, B2F, Woorim Lions Valley A, 168 Gasan "
                    "digital 1-ro", "Geumcheon-gu", "Seoul"), "KR", "08507"))


def test_a_long_address_and_twenty_lines_stay_inside_their_boxes(shop):
    account_id = shop.orders.get(delivered_to(shop, "JP")).account_id
    products = [p for p in shop.products.all() if p.hs_code and p.unit_weight_g][:20]
    order = Order(
        account_id=account_id, platform_order_id="LONG-1", order_number="LONG-1",
        status=OrderStatus.DELIVERED, ordered_at=NOW - timedelta(days=30), currency="JPY",
        ship_to=LONG_JAPANESE, buyer_name="長谷川 五郎左衛門", shipping=Money(0, "JPY"),
        lines=[OrderLine(p.sku, p.title, 1 + n % 3, Money(1200 + 100 * n, "JPY"))
               for n, p in enumerate(products)])
    shop.orders.save([order], actor="test")
    shop.settings.save_seller_profile(LONG_KOREAN)
    shipped_with(shop, order.id)
    rma = approved(shop, order.id)
    assert len(rma.lines) == 20

    slip = return_papers.rma_slip(shop, rma.id)
    assert len(pdf_tools.page_sizes(slip)) == 1  # twenty lines still one page
    slip_letter = return_papers.rma_slip(shop, rma.id, paper="Letter")
    assert len(pdf_tools.page_sizes(slip_letter)) == 1
    papers = return_papers.return_customs_papers(shop, rma.id)
    for pdf in (slip, slip_letter, papers):
        assert pdf_tools.words_outside_pages(pdf, margin=8) == []
        assert "…" not in pdf_tools.text(pdf)  # nothing cut short
    for pdf in (slip, slip_letter):
        found = flat(pdf_tools.text(pdf))
        assert all(flat(f"{line.sku}{line.title}{line.quantity}") in found for line in rma.lines)
    found = flat(pdf_tools.text(papers))
    for product in products:  # each on the declaration and on the invoice
        assert found.count(flat(product.customs_descriptions.get("en") or product.title)) >= 2
    for part in ("長谷川五郎左衛門", "国際返品受付センター気付", "GorozaemonHasegawa",
                 "해외반품센터", "B201호해외반품접수처", "Woorim"):
        assert part in found, part
    assert pdf_tools.barcodes(slip) == [rma.code]
    found = flat(pdf_tools.text(papers))
    for part in ("GorozaemonHasegawa", "InternationalReturnsReceptionCentre", "해외반품센터"):
        assert part in found, part


def test_a_slip_of_more_lines_than_a_page_holds_continues(shop):
    rma = approved(shop, delivered_to(shop, "JP"))
    many = replace(rma, lines=[replace(rma.lines[0], sku=f"MANY-{n:02d}", title=f"Item {n:02d}")
                               for n in range(70)])
    order = shop.orders.get(rma.order_id)
    pdf = rma_slip_pdf([ReturnSlip(many, order.order_number, order.ordered_at.date(),
                                   order.ship_to, demo_seller(), True)])
    pages = pages_text(pdf)
    assert len(pages) >= 2 and f"2/{len(pages)}" in pages[1]
    everything = flat("".join(pages))
    assert [n for n in range(70) if f"MANY-{n:02d}" in everything] == list(range(70))
    assert pdf_tools.words_outside_pages(pdf, margin=30) == []


# --- the return address in the seller profile ------------------------------------------------

def test_returns_go_to_the_return_address_else_the_exporter_address():
    seller = demo_seller()
    home = seller.return_address()
    assert home.typed == seller.address_ko.typed and home.latin == seller.address_en.typed
    assert home.country_code == "KR" and home.phone == seller.address_en.phone
    warehouse = LONG_KOREAN.return_address()
    assert warehouse.typed == LONG_KOREAN.return_address_ko.typed
    assert warehouse.latin == LONG_KOREAN.return_address_en.typed
    assert warehouse.phone == seller.phone  # its own phone when it has none
    only_korean = replace(LONG_KOREAN, return_address_en=None)
    assert only_korean.return_address() is None  # never half warehouse, half office
    assert "return address in English (or the exporter address)" in only_korean.missing_for_returns()
    assert replace(seller, address_ko=None).return_address().latin is None
    assert SellerProfile().missing_for_returns() == [
        "company name in English", "return address in English (or the exporter address)",
        "phone number"]


def test_a_stored_profile_keeps_its_return_address_and_old_ones_still_load(store):
    store.settings.save_seller_profile(LONG_KOREAN)
    assert store.settings.seller_profile() == LONG_KOREAN
    old = profile_to_json(demo_seller())
    del old["return_address_en"], old["return_address_ko"]  # saved before returns existed
    store.settings.set(SELLER_PROFILE, old)
    assert store.settings.seller_profile() == demo_seller()
    assert profile_from_json(old).return_address_en is None


def test_the_return_parcel_holds_only_what_comes_back_at_what_was_paid(shop):
    order_id = delivered_to(shop, "JP", lines=2)
    order = shop.orders.get(order_id)
    line = order.lines[1]
    rma = approved(shop, order_id, {line.sku: 1})
    products = shop.products.by_skus([line.sku])
    parcel = build_return_parcel(order, rma, products, demo_seller(), made_on=date(2026, 12, 1))
    assert parcel.returning and parcel.sender == order.ship_to
    assert parcel.recipient == demo_seller().return_address()
    assert [(i.sku, i.quantity, i.unit_value) for i in parcel.items] == [
        (line.sku, 1, line.unit_price)]
    assert parcel.category is ItemCategory.RETURNED_GOODS and parcel.shipping.minor == 0
    assert parcel.invoice_number == rma.code and parcel.invoice_date == date(2026, 12, 1)
    assert parcel.signatory == order.ship_to.for_carrier.name
    assert parcel.original_export == original_export_note(order)
    assert "shipped with" not in parcel.original_export  # no shipment on record: not claimed


def test_every_return_caption_is_printable_in_every_language():
    from fulfill.documents import captions as words, fonts

    for key in words._RETURNS:
        for language in words.LANGUAGES:
            text = words.caption(key, language).format(code="RM000001", count=3)
            assert fonts.unprintable(text) == [] and fonts.unprintable(text, bold=True) == [], key
