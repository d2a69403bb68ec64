"""`fulfill exports …` on a demo store file, as a seller's script would use it."""

from __future__ import annotations

import codecs
import csv
import io
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fulfill.cli import main
from fulfill.domain.export_period import Period, kst_date
from fulfill.storage import Store
from tests.documents import pdf_tools
from tests.unit.cli_run import run_cli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "exports"
# demo-data anchors its orders to today, as the command's default period does.
QUARTER = Period.last_quarter(kst_date(datetime.now(UTC))).label


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-exports") / "demo.sqlite"
    assert main(["demo-data", "--db", str(path), "--orders", "300", "--no-returns"]) == 0
    with Store.open(path) as store:
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def db(seeded, tmp_path):
    path = tmp_path / "demo.sqlite"
    shutil.copy(seeded, path)
    return path


def test_last_quarters_papers_in_three_commands(db, tmp_path, capsys):
    code, out, err = run_cli(capsys, "exports", "statement", "--db", db, "--out", tmp_path / "v.pdf")
    assert code == 0, err
    assert "declaration line(s)" in out and "postal parcel(s)" in out
    assert "수출실적명세서" in pdf_tools.text((tmp_path / "v.pdf").read_bytes())

    code, out, err = run_cli(capsys, "exports", "declaration", "--db", db, "--quarter", QUARTER,
                          "--out", tmp_path / "b.xlsx")
    assert code == 2 and "no HS code" in err and not (tmp_path / "b.xlsx").exists()
    code, out, err = run_cli(capsys, "exports", "declaration", "--db", db, "--quarter", QUARTER,
                          "--out", tmp_path / "b.csv", "--skip-incomplete")
    assert code == 0, err
    assert f"{QUARTER}:" in out and "left out" in err
    assert (tmp_path / "b.csv").read_bytes().startswith(codecs.BOM_UTF8)

    code, out, err = run_cli(capsys, "exports", "figures", "--db", db, "--quarter", QUARTER,
                          "--by", "country", "--csv", tmp_path / "f.csv")
    assert code == 0, err
    assert out.startswith("— country") and "won" in out
    assert (tmp_path / "f.csv").read_text("utf-8-sig").startswith("구분 (Group)")


def test_check_lists_what_to_fix(db, capsys):
    code, out, err = run_cli(capsys, "exports", "check", "--db", db, "--period", QUARTER)
    assert code == 0, err
    assert "HS code" in out and "[declaration]" in out and "problem(s)" in out


def test_rates_by_hand_and_from_a_file(db, capsys):
    code, out, err = run_cli(capsys, "exports", "rates", "add", "--db", db, "JPY", "2020-01-05",
                          "1,050.10")
    assert code == 0, err
    assert "JPY from 2020-01-05: 1050.10/100 won" in out
    rates = FIXTURES / "customs_rates_cp949.csv"
    code, out, err = run_cli(capsys, "exports", "rates", "import", "--db", db, rates, "--dry-run")
    assert code == 0 and "skipped row 4" in err and "USD  2026-07-05  1380.10" in out
    code, out, err = run_cli(capsys, "exports", "rates", "import", "--db", db, rates)
    assert code == 0, err
    code, out, err = run_cli(capsys, "exports", "rates", "list", "--db", db, "--currency", "JPY")
    assert "2020-01-05" in out and "entered" in out


def test_declaration_numbers_back_from_the_batch(db, tmp_path, capsys):
    batch = tmp_path / "batch.csv"
    assert run_cli(capsys, "exports", "declaration", "--db", db, "--quarter", QUARTER, "--out",
                batch, "--skip-incomplete", "--undeclared")[0] == 0
    rows = list(csv.reader(io.StringIO(batch.read_text("utf-8-sig"))))
    number_at = rows[0].index("수출신고번호 (Export declaration no.)")
    rows[1][number_at] = "43217-26-9000001"
    rows[2][number_at] = "not a number"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    batch.write_bytes(codecs.BOM_UTF8 + out.getvalue().encode())

    code, _out, err = run_cli(capsys, "exports", "numbers", "import", "--db", db, batch)
    assert code == 2 and "row 3" in err and "nothing was written" in err
    code, out, err = run_cli(capsys, "exports", "numbers", "import", "--db", db, batch,
                          "--skip-rejected")
    assert code == 0 and "1 order(s)" in out
    with Store.open(db) as store:
        found = store.exports.orders_numbered([rows[1][1]])[rows[1][1]]
        assert store.exports.declarations(found)[found[0]].number == "43217269000001"

    code, out, err = run_cli(capsys, "exports", "numbers", "set", "--db", db, rows[2][1],
                          "1286526008922X", "--date", "2026-07-02")
    assert code == 0, err
    assert "1286526008922X" in out
    code, out, err = run_cli(capsys, "exports", "numbers", "set", "--db", db, rows[2][1], "")
    assert code == 0 and "cleared" in out


def test_settings_and_wrong_periods(db, capsys):
    code, out, err = run_cli(capsys, "exports", "settings", "--db", db, "--rate-date",
                          "declaration_date", "--limit", "2024-08-01=4000000",
                          "--limit", "2027-01-01=5000000")
    assert code == 0, err
    assert "rate date: declaration_date" in out and "5,000,000 won FOB from 2027-01-01" in out
    code, _out, err = run_cli(capsys, "exports", "settings", "--db", db, "--limit", "soon=5")
    assert code == 2 and "YYYY-MM-DD=KRW" in err
    code, _out, err = run_cli(capsys, "exports", "check", "--db", db, "--quarter", "2026Q5")
    assert code == 2 and "--quarter 2026Q3" in err
    code, _out, err = run_cli(capsys, "exports", "check", "--db", db, "--from", "2026-07-01")
    assert code == 2 and "both --from and --to" in err
