"""Previewing and printing papers: QtPdf preview, print at actual size, missing data on the spot."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from reportlab.pdfgen import canvas

from fulfill.services import demo, papers
from fulfill.storage import Store
from fulfill.files import write_atomically
from fulfill.ui.papers_window import PapersWindow, ParcelPrinting
from fulfill.ui.store_worker import StoreWorker
from fulfill.ui.printing import (
    DOCUMENT, LABEL, PagePrinter, PrinterProfile, load_profile, pdf_printer, print_pdf, save_profile,
)
from tests.conftest import FIXED_NOW
from tests.documents.pdf_tools import page_sizes


def _pdf(pages: int, size: tuple[float, float]) -> bytes:
    out = io.BytesIO()
    drawing = canvas.Canvas(out, pagesize=size)
    for page in range(pages):
        drawing.rect(20, 20, 120, 60, fill=1)
        drawing.drawString(30, size[1] - 60, f"Page {page + 1}")
        drawing.showPage()
    drawing.save()
    return out.getvalue()


def test_print_to_pdf_printer_keeps_pages_and_size(qapp, tmp_path):
    labels = _pdf(3, (288, 432))
    out = tmp_path / "printed.pdf"
    pages = print_pdf(labels, PrinterProfile(LABEL, dpi=203), printer=pdf_printer(out, 203))
    assert pages == 3
    assert page_sizes(out.read_bytes()) == [(288.0, 432.0)] * 3


def test_print_a4_at_300_dpi(qapp, tmp_path):
    out = tmp_path / "a4.pdf"
    print_pdf(_pdf(2, (595.28, 841.89)), PrinterProfile(DOCUMENT, dpi=300, paper="A4"),
              printer=pdf_printer(out, 300))
    assert [(round(w), round(h)) for w, h in page_sizes(out.read_bytes())] == [(595, 842)] * 2


def test_page_printer_steps_through_pages_and_can_be_cancelled(qtbot, tmp_path):
    labels = _pdf(6, (288, 432))
    printing = PagePrinter(labels, PrinterProfile(LABEL), pdf_printer(tmp_path / "all.pdf", 203))
    with qtbot.waitSignal(printing.finished, timeout=10000) as finished:
        printing.start()
    assert finished.args == [6]
    assert len(page_sizes((tmp_path / "all.pdf").read_bytes())) == 6

    stopped = PagePrinter(labels, PrinterProfile(LABEL), pdf_printer(tmp_path / "part.pdf", 203))
    stopped.BUDGET_MS = 0  # one page per turn
    stopped.progress.connect(lambda done, _total: stopped.cancel() if done == 2 else None)
    with qtbot.waitSignal(stopped.cancelled, timeout=10000) as cancelled:
        stopped.start()
    assert cancelled.args == [2]


def test_profiles_are_remembered(ui_settings):
    save_profile(ui_settings, PrinterProfile(LABEL, "", 300, "4x6"))
    save_profile(ui_settings, PrinterProfile(DOCUMENT, "", 300, "Letter"))
    assert load_profile(ui_settings, LABEL).dpi == 300
    assert load_profile(ui_settings, DOCUMENT).paper == "Letter"


def test_atomic_write(tmp_path):
    target = tmp_path / "papers.pdf"
    write_atomically(target, b"%PDF-1.4 test")
    assert target.read_bytes() == b"%PDF-1.4 test"
    assert [p.name for p in tmp_path.iterdir()] == ["papers.pdf"]


# --- the papers window and the one-action print, on a real demo store ---------------------
@pytest.fixture
def demo_store(store_path):
    with Store.open(store_path) as store:
        demo.seed(store, 150, now=FIXED_NOW)
        ready = papers.order_ids_for(store, status="awaiting_shipment")
    assert len(ready) >= 3
    return store_path, ready


@pytest.fixture
def worker(demo_store):
    worker = StoreWorker(demo_store[0])
    yield worker
    worker.close()


def _papers_window(qtbot, demo_store, worker, ui_settings, ids, **kwargs):
    window = PapersWindow(demo_store[0], worker, ui_settings, ids, **kwargs)
    qtbot.addWidget(window)
    window.show()
    return window


def test_preview_label_then_save_as_pdf(qtbot, demo_store, worker, ui_settings, tmp_path):
    path, ready = demo_store
    window = _papers_window(qtbot, demo_store, worker, ui_settings, ready[:2], kind="label")
    qtbot.waitUntil(lambda: window.job is not None, timeout=10000)
    document = window.view.document()
    assert document.pageCount() == 2
    size = document.pagePointSize(0)
    assert (round(size.width()), round(size.height())) == (288, 432)
    assert window.print_button.isEnabled() and not window.busy.isVisible()
    assert "2 pages" in window.status.text()
    out = tmp_path / "labels.pdf"
    window.save_to(out)
    assert page_sizes(out.read_bytes()) == [(288.0, 432.0)] * 2
    # Another kind re-renders in the background: an A4 invoice.
    window.kind.setCurrentIndex(window.kind.findData("invoice"))
    qtbot.waitUntil(lambda: window.job is not None and window.job.kind == "invoice", timeout=10000)
    width = window.view.document().pagePointSize(0).width()
    assert round(width) == 595


def test_a_folder_profile_prints_the_preview_into_its_folder(qtbot, demo_store, worker,
                                                            ui_settings, tmp_path):
    from fulfill.ui.printing import LABEL, PrinterProfile, save_profile

    folder = tmp_path / "labels-out"
    folder.mkdir()
    save_profile(ui_settings, PrinterProfile(LABEL, "", 203, "4x6", folder=str(folder)))
    _path, ready = demo_store
    window = _papers_window(qtbot, demo_store, worker, ui_settings, ready[:2], kind="label")
    qtbot.waitUntil(lambda: window.job is not None, timeout=10000)
    with qtbot.waitSignal(window.printed, timeout=5000):
        window.print_job()
    window.print_job()  # printed again: a second file, the first kept
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == 2 and all(page_sizes(f.read_bytes()) == [(288.0, 432.0)] * 2
                                   for f in files)


def test_print_from_the_window_goes_to_the_label_printer(qtbot, demo_store, worker, ui_settings,
                                                         tmp_path):
    out = tmp_path / "label-printer.pdf"
    window = _papers_window(qtbot, demo_store, worker, ui_settings, demo_store[1][:3],
                            printer_factory=lambda profile: pdf_printer(out, profile.dpi))
    qtbot.waitUntil(lambda: window.job is not None, timeout=10000)
    with qtbot.waitSignal(window.printed, timeout=10000) as printed:
        window.print_job()
    assert printed.args == [3]
    assert page_sizes(out.read_bytes()) == [(288.0, 432.0)] * 3


def test_missing_hs_code_is_listed_and_filled_in_then_the_order_prints(
        qtbot, demo_store, worker, ui_settings, tmp_path):
    path, ready = demo_store
    order_id = ready[0]
    with Store.open(path) as store:
        sku = store.orders.get(order_id).lines[0].sku
        product = store.products.get(sku)
        store.products.save([replace(product, hs_code="")])
    outputs = {"label": tmp_path / "labels.pdf", "document": tmp_path / "documents.pdf"}
    parent = QWidget()
    qtbot.addWidget(parent)
    statuses = []
    printing = ParcelPrinting(parent, path, worker, ui_settings, on_status=statuses.append,
                              printer_factory=lambda p: pdf_printer(outputs[p.role], p.dpi))
    sent = []
    printing.finished = sent.append
    printing.start([order_id])
    qtbot.waitUntil(lambda: printing.dialog is not None and bool(printing.dialog.sku_fields),
                    timeout=10000)
    dialog = printing.dialog
    rows = [[dialog.gap_table.item(r, c).text() for c in range(3)]
            for r in range(dialog.gap_table.rowCount())]
    assert [rows[0][1], rows[0][2]] == [sku, "HS code"]
    assert rows[0][0].startswith("#") or rows[0][0]
    fields = dialog.sku_fields[sku]
    fields.hs_code.setText("7712.34")  # chapter 77: refused, nothing saved
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "chapter 77" in dialog.error.text()
    fields.hs_code.setText(product.hs_code)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(sent), timeout=10000)
    with Store.open(path) as store:
        assert store.products.get(sku).hs_code == product.hs_code
    assert [job.printer for job in sent[0]] == ["label", "document"]
    assert page_sizes(outputs["label"].read_bytes())[0] == (288.0, 432.0)
    assert len(page_sizes(outputs["document"].read_bytes())) >= 1
    assert statuses[-1].startswith("Printed")


def test_batch_from_the_desk_filter_shows_what_blocks_it(window, qtbot):
    from fulfill.domain import OrderStatus

    window.statuses.select(OrderStatus.AWAITING_SHIPMENT)
    qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=5000)
    window.table.clearSelection()
    window.print_batch()
    qtbot.waitUntil(lambda: window.papers_window is not None, timeout=5000)
    papers_window = window.papers_window
    assert papers_window.order_ids == [window.model.order_id(r) for r in range(4)]
    assert "awaiting shipment" in papers_window.windowTitle()
    # The test orders name SKUs the catalogue lacks and the store has no seller profile.
    qtbot.waitUntil(lambda: papers_window.blocked is not None, timeout=10000)
    text = papers_window.blocked_label.text()
    assert "4 of 4 orders cannot be printed yet" in text and "SKU-0" in text
    assert papers_window.fill_button.isVisibleTo(papers_window)
    assert not papers_window.print_button.isEnabled()
