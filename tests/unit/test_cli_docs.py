"""`fulfill docs` and `fulfill batch` on a demo store file: real PDFs, read back with poppler."""

import shutil
from dataclasses import replace

import pytest

from fulfill.cli import main
from fulfill.services import papers
from fulfill.storage import Store
from tests.documents import pdf_tools
from tests.unit.cli_run import run_cli


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    path = tmp_path_factory.mktemp("docs") / "demo.sqlite"
    assert main(["demo-data", "--db", str(path), "--orders", "300"]) == 0
    return path


@pytest.fixture
def db(seeded, tmp_path):
    """A fresh copy per test, so a test may break an order without touching the others."""
    path = tmp_path / "demo.sqlite"
    with Store.open(seeded) as store:
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(seeded, path)
    return path


def _waiting(db):
    with Store.open(db) as store:
        ids = papers.order_ids_for(store, status="awaiting_shipment")
        return ids, papers.order_numbers(store, ids)


def _break_tracking(db, order_id):
    with Store.open(db) as store:
        store.db.execute("DELETE FROM shipments WHERE order_id = ?", [order_id])


def test_docs_writes_a_packing_slip_for_an_order_number(db, tmp_path, capsys):
    ids, numbers = _waiting(db)
    out = tmp_path / "slip.pdf"
    code, stdout, stderr = run_cli(capsys, "docs", "--db", db, "--order", numbers[ids[0]],
                                "--kind", "packing-slip", "--paper", "Letter", "--out", out)
    assert code == 0, stderr
    assert "1 page for 1 order" in stdout and str(out) in stdout
    pdf = out.read_bytes()
    assert numbers[ids[0]] in pdf_tools.text(pdf)
    assert pdf_tools.page_sizes(pdf) == [(612, 792)]
    assert list(tmp_path.glob(".slip.pdf.*")) == []  # no temporary file left behind


def test_docs_accepts_the_internal_id_too(db, tmp_path, capsys):
    ids, numbers = _waiting(db)
    out = tmp_path / "slip.pdf"
    code, _, stderr = run_cli(capsys, "docs", "--db", db, "--order", ids[-1], "--kind", "pick-list",
                           "--out", out)
    assert code == 0, stderr
    assert out.read_bytes().startswith(b"%PDF")


def test_docs_on_a_blocked_order_exits_2_and_writes_nothing(db, tmp_path, capsys):
    ids, numbers = _waiting(db)
    with Store.open(db) as store:
        sku = store.orders.get(ids[0]).lines[0].sku
        store.products.save([replace(store.products.get(sku), hs_code="")])
    out = tmp_path / "invoice.pdf"
    code, stdout, stderr = run_cli(capsys, "docs", "--db", db, "--order", numbers[ids[0]],
                                "--kind", "invoice", "--out", out)
    assert code == 2 and stdout == ""
    assert numbers[ids[0]] in stderr and f"{sku}: no HS code" in stderr and "Products" in stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [db]
    # An older file of that name is left as it was.
    out.write_bytes(b"keep me")
    assert run_cli(capsys, "docs", "--db", db, "--order", ids[0], "--kind", "invoice",
                "--out", out)[0] == 2
    assert out.read_bytes() == b"keep me"


def test_unknown_order_exits_2(db, tmp_path, capsys):
    code, _, stderr = run_cli(capsys, "docs", "--db", db, "--order", "NO-SUCH-ORDER",
                           "--kind", "label", "--out", tmp_path / "x.pdf")
    assert code == 2 and "no order 'NO-SUCH-ORDER'" in stderr
    assert not (tmp_path / "x.pdf").exists()


def test_batch_without_a_selection_exits_2(db, tmp_path, capsys):
    code, _, stderr = run_cli(capsys, "batch", "--db", db, "--kind", "label", "--out", tmp_path / "x")
    assert code == 2 and "--status" in stderr


def test_batch_pick_list_by_repeated_order(db, tmp_path, capsys):
    ids, numbers = _waiting(db)
    out = tmp_path / "pick.pdf"
    code, stdout, stderr = run_cli(capsys, "batch", "--db", db, "--order", ids[0], "--order",
                                numbers[ids[1]], "--kind", "pick-list", "--out", out)
    assert code == 0, stderr
    assert "for 2 orders" in stdout


# --- labels: need documents.label and customs_forms ---------------------------------------

def test_docs_label_has_the_order_number(db, tmp_path, capsys):
    ids, numbers = _waiting(db)
    out = tmp_path / "label.pdf"
    code, stdout, stderr = run_cli(capsys, "docs", "--db", db, "--order", numbers[ids[0]],
                                "--kind", "label", "--dpi", "300", "--out", out)
    assert code == 0, stderr
    pdf = out.read_bytes()
    assert numbers[ids[0]] in pdf_tools.text(pdf)
    assert pdf_tools.page_sizes(pdf) == [(288, 432)]


def test_batch_labels_one_page_per_printable_order_and_lists_the_rest(db, tmp_path, capsys):
    ids, numbers = _waiting(db)
    _break_tracking(db, ids[1])
    out = tmp_path / "labels.pdf"
    code, stdout, stderr = run_cli(capsys, "batch", "--db", db, "--status", "awaiting_shipment",
                                "--kind", "label", "--out", out)
    assert code == 0, stderr
    pdf = out.read_bytes()
    assert len(pdf_tools.page_sizes(pdf)) == len(ids) - 1
    assert f"skipped {numbers[ids[1]]}: no tracking number yet" in stderr
    assert f"{len(ids) - 1} pages for {len(ids) - 1} orders" in stdout and "1 skipped" in stdout
    text = pdf_tools.text(pdf)
    assert all(numbers[i] in text for i in ids if i != ids[1])
    assert numbers[ids[1]] not in text


def test_the_cn23_threshold_can_be_set_per_currency_and_reset(tmp_path, capsys):
    from fulfill.cli import main
    from fulfill.domain import Money
    from fulfill.storage import Store

    path = tmp_path / "t.sqlite"
    assert main(["cn23-threshold", "--db", str(path), "--currency", "usd", "--amount", "410.00"]) == 0
    assert "set for this store" in capsys.readouterr().out
    with Store.open(path) as store:
        assert store.settings.cn23_thresholds() == {"USD": Money(41000, "USD")}
    assert main(["cn23-threshold", "--db", str(path), "--currency", "USD", "--amount", "1.234"]) == 2
    assert main(["cn23-threshold", "--db", str(path), "--currency", "USD", "--reset"]) == 0
    with Store.open(path) as store:
        assert store.settings.cn23_thresholds() == {}
