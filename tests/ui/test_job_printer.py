"""Printing a parcel's papers at the station: copies per destination, PDF folders, printers,
and failures that say what to do and print nothing half-way."""

from __future__ import annotations

import errno
import io
import os

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas

import fulfill.files
from fulfill.services.papers import PrintJob
from fulfill.ui import printing
from fulfill.ui.job_printer import JobPrinter, ParcelNotPrinted, PrintedJob, file_stem
from fulfill.ui.printing import DOCUMENT, LABEL, PrinterProfile, pdf_printer, save_profile
from fulfill.ui.station import StationSettings

LABEL_SIZE, A4 = (288, 432), (595.28, 841.89)


def _pdf(title: str, pages: int, size: tuple[float, float]) -> bytes:
    out = io.BytesIO()
    drawing = canvas.Canvas(out, pagesize=size)
    for page in range(pages):
        drawing.drawString(30, size[1] - 60, f"{title} page {page + 1}")
        drawing.showPage()
    drawing.save()
    return out.getvalue()


def _job(kind: str, printer: str, pages: int = 1) -> PrintJob:
    size = LABEL_SIZE if printer == LABEL else A4
    return PrintJob(kind, printer, _pdf(kind.upper(), pages, size), [7], pages)


def _parcel(customs: str = "cn23") -> list[PrintJob]:
    """What papers.one_parcel_papers hands over: label, customs form, invoice (2 pages)."""
    return [_job("label", LABEL), _job(customs, LABEL if customs == "cn22" else DOCUMENT),
            _job("invoice", DOCUMENT, pages=2)]


def _page_titles(path) -> list[str]:
    return [page.extract_text().strip() for page in PdfReader(str(path)).pages]


@pytest.fixture
def folders(tmp_path):
    labels, documents = tmp_path / "labels", tmp_path / "documents"
    labels.mkdir()
    documents.mkdir()
    return labels, documents


@pytest.fixture
def station(ui_settings, folders):
    labels, documents = folders
    save_profile(ui_settings, PrinterProfile(LABEL, "", 203, "4x6", str(labels)))
    save_profile(ui_settings, PrinterProfile(DOCUMENT, "", 300, "A4", str(documents)))
    return StationSettings(ui_settings)


@pytest.fixture
def job_printer(qtbot, station):
    return JobPrinter(station)


def _print(qtbot, job_printer, jobs, *, country="JP", name="FO000123"):
    """Print and wait; returns ("finished", [PrintedJob]) or ("failed", error)."""
    outcome = []
    job_printer.finished.connect(lambda printed: outcome.append(("finished", printed)))
    job_printer.failed.connect(lambda error: outcome.append(("failed", error)))
    job_printer.print_parcel(jobs, country=country, name=name)
    assert outcome == []  # the answer always comes after the call returns
    qtbot.waitUntil(lambda: bool(outcome), timeout=10000)
    job_printer.finished.disconnect()
    job_printer.failed.disconnect()
    return outcome[0]


# --- to PDF folders -----------------------------------------------------------------------
def test_print_to_pdf_folders_with_copies_per_destination(qtbot, job_printer, station, folders):
    labels, documents = folders
    station.set_copies("cn23", "JP", 3)
    outcome, printed = _print(qtbot, job_printer, _parcel(), country="JP")
    assert outcome == "finished"
    label_file, document_file = labels / "FO000123-label.pdf", documents / "FO000123-document.pdf"
    assert printed == [
        PrintedJob(LABEL, ["label"], {"label": 1}, 1, str(label_file)),
        PrintedJob(DOCUMENT, ["cn23", "invoice"], {"cn23": 3, "invoice": 2}, 7,
                   str(document_file)),
    ]
    assert _page_titles(label_file) == ["LABEL page 1"]
    # Kinds in the order given, each repeated whole (collated copies).
    assert _page_titles(document_file) == ["CN23 page 1"] * 3 + [
        "INVOICE page 1", "INVOICE page 2"] * 2
    assert sorted(os.listdir(labels)) == ["FO000123-label.pdf"]  # no temporary file left
    assert not job_printer.busy


def test_cn22_goes_with_the_label_and_eu_rules_apply(qtbot, job_printer, station, folders):
    labels, documents = folders
    station.set_copies("invoice", "EU", 1)
    _outcome, printed = _print(qtbot, job_printer, _parcel("cn22"), country="DE", name="#1042")
    assert [(job.role, job.kinds, job.pages) for job in printed] == [
        (LABEL, ["label", "cn22"], 2), (DOCUMENT, ["invoice"], 2)]
    assert _page_titles(labels / "1042-label.pdf") == ["LABEL page 1", "CN22 page 1"]
    assert len(PdfReader(str(documents / "1042-document.pdf")).pages) == 2


def test_a_reprint_never_overwrites(qtbot, job_printer, folders):
    labels, _documents = folders
    first = _print(qtbot, job_printer, _parcel())[1]
    first_bytes = (labels / "FO000123-label.pdf").read_bytes()
    second = _print(qtbot, job_printer, _parcel())[1]
    third = _print(qtbot, job_printer, _parcel())[1]
    assert [os.path.basename(j[0].destination) for j in (first, second, third)] == [
        "FO000123-label.pdf", "FO000123-label-2.pdf", "FO000123-label-3.pdf"]
    assert (labels / "FO000123-label.pdf").read_bytes() == first_bytes
    assert os.path.basename(third[1].destination) == "FO000123-document-3.pdf"


def test_zero_copies_leave_a_paper_out(qtbot, job_printer, station, ui_settings, folders):
    labels, documents = folders
    station.set_copies("invoice", "*", 0)
    station.set_copies("cn23", "*", 0)
    # Nothing goes to the document printer, so it need not be chosen at all.
    save_profile(ui_settings, PrinterProfile(DOCUMENT, "", 300, "A4", ""))
    outcome, printed = _print(qtbot, job_printer, _parcel(), country="US")
    assert outcome == "finished"
    assert [job.role for job in printed] == [LABEL]
    assert os.listdir(documents) == []


def test_file_names_are_safe():
    assert file_stem("FO/000 123") == "FO-000-123"
    assert file_stem('a:b*c?"d<e>f|g') == "a-b-c-d-e-f-g"
    assert file_stem("...") == "parcel"


# --- failures -----------------------------------------------------------------------------
def test_a_role_without_printer_or_folder_fails_before_anything_prints(
        qtbot, job_printer, ui_settings, folders):
    labels, _documents = folders
    save_profile(ui_settings, PrinterProfile(DOCUMENT, "", 300, "A4", ""))
    outcome, error = _print(qtbot, job_printer, _parcel())
    assert outcome == "failed" and isinstance(error, ParcelNotPrinted)
    assert "No document printer is chosen" in error.message
    assert error.advice == "Choose a printer or a PDF folder under Station settings."
    assert error.printed == []
    assert os.listdir(labels) == []  # the label did not print either
    assert not job_printer.busy


def test_a_printer_that_is_gone_is_named(qtbot, job_printer, ui_settings, folders, monkeypatch):
    labels, _documents = folders
    monkeypatch.setattr(printing, "available_printers", lambda: ["Laser"])
    save_profile(ui_settings, PrinterProfile(DOCUMENT, "Laser", 300, "A4"))
    monkeypatch.setattr(printing, "available_printers", lambda: [])
    _outcome, error = _print(qtbot, job_printer, _parcel())
    assert "“Laser” is not installed" in error.message
    assert "Station settings" in error.advice
    assert os.listdir(labels) == []


def test_a_missing_folder_fails_before_anything_prints(qtbot, job_printer, folders):
    labels, documents = folders
    documents.rmdir()
    _outcome, error = _print(qtbot, job_printer, _parcel())
    assert str(documents) in error.message and "nothing was printed" in error.message
    assert "Station settings" in error.advice
    assert os.listdir(labels) == []


def test_an_unwritable_folder_fails_before_anything_prints(qtbot, job_printer, folders,
                                                            monkeypatch):
    labels, documents = folders
    # The operating system says no (an ACL, a read-only share): as root here, os.access is
    # where that answer comes from.
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if str(path) == str(documents)
                        else real_access(path, mode))
    _outcome, error = _print(qtbot, job_printer, _parcel())
    assert "may not write into" in error.message and str(documents) in error.message
    assert os.listdir(labels) == [] and os.listdir(documents) == []


def test_a_full_disk_leaves_no_partial_file(qtbot, job_printer, folders, monkeypatch):
    labels, documents = folders
    calls = []

    def fsync(fd):  # the label is written; the disk fills up on the documents
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fulfill.files.os, "fsync", fsync)
    outcome, error = _print(qtbot, job_printer, _parcel())
    assert outcome == "failed"
    assert f"The disk holding {documents} is full" in error.message
    assert "Free some space" in error.advice
    assert os.listdir(documents) == []  # no half-written PDF, no temporary file
    # What already went out is said, so the packer does not print the label twice.
    assert [job.role for job in error.printed] == [LABEL]
    assert "Already sent: the label" in error.message
    assert os.listdir(labels) == ["FO000123-label.pdf"]


def test_unknown_kinds_are_a_programming_error(job_printer):
    with pytest.raises(ValueError):
        job_printer.print_parcel([_job("pick-list", DOCUMENT)], country="US", name="x")
    with pytest.raises(ValueError):
        job_printer.print_parcel([_job("label+cn22", LABEL)], country="US", name="x")


# --- to system printers -------------------------------------------------------------------
def test_system_printers_get_one_job_each_label_first(qtbot, ui_settings, tmp_path, monkeypatch):
    monkeypatch.setattr(printing, "available_printers", lambda: ["Zebra", "Laser"])
    save_profile(ui_settings, PrinterProfile(LABEL, "Zebra", 203, "4x6"))
    save_profile(ui_settings, PrinterProfile(DOCUMENT, "Laser", 300, "A4"))
    order = []

    def printer_factory(profile: PrinterProfile):
        order.append(profile.printer)
        return pdf_printer(tmp_path / f"{profile.printer}.pdf", profile.dpi)

    job_printer = JobPrinter(StationSettings(ui_settings), printer_factory=printer_factory)
    statuses = []
    job_printer.progress.connect(statuses.append)
    outcome, printed = _print(qtbot, job_printer, list(reversed(_parcel())), country="US")
    assert outcome == "finished"
    assert order == ["Zebra", "Laser"]  # the label printer first, whatever the job order
    assert [(j.role, j.kinds, j.pages, j.destination) for j in printed] == [
        (LABEL, ["label"], 1, "Zebra"), (DOCUMENT, ["invoice", "cn23"], 5, "Laser")]
    assert len(PdfReader(str(tmp_path / "Laser.pdf")).pages) == 5
    assert statuses[0] == "Printing the label on Zebra…"


def test_one_parcel_at_a_time(qtbot, job_printer):
    errors = []
    job_printer.failed.connect(errors.append)
    finished = []
    job_printer.finished.connect(finished.append)
    job_printer.print_parcel(_parcel(), country="US", name="A")
    job_printer.print_parcel(_parcel(), country="US", name="B")
    qtbot.waitUntil(lambda: bool(finished) and bool(errors), timeout=10000)
    assert "still printing" in errors[0].message
