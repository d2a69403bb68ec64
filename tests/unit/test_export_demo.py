"""The demo store's export paperwork: last quarter's declaration batch and VAT statement
come out of it in a few calls, with real figures, and seeding again adds nothing."""

from __future__ import annotations

import pytest

from fulfill.domain.export_period import Period, kst_date
from fulfill.services import demo, export_checks, export_declaration, export_figures
from fulfill.services import export_lines, export_statement
from fulfill.services.export_checks import Fix
from fulfill.storage import Store
from tests.conftest import FIXED_NOW, fresh_copy, seeded_demo_file
from tests.documents import pdf_tools

LAST_QUARTER = Period.last_quarter(kst_date(FIXED_NOW))  # 2026Q3


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    return seeded_demo_file(tmp_path_factory, "exports", now=FIXED_NOW, returns=True,
                            exports=True)


@pytest.fixture
def shop(seeded, tmp_path):
    with Store.open(fresh_copy(seeded, tmp_path)) as store:
        yield store


def _counts(store):
    return [store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("shipments", "customs_rates", "export_declarations", "orders")]


def test_last_quarter_is_ready_for_the_vat_return(shop, tmp_path):
    assert LAST_QUARTER == Period.quarter(2026, 3)
    lines = export_lines.export_lines(shop, LAST_QUARTER)
    assert len(lines) > 60 and all(line.rate is not None for line in lines)
    assert {line.country for line in lines} >= {"US", "JP", "TW", "DE"}
    declared = [line for line in lines if line.declaration is not None]
    postal = [line for line in lines if line.declaration is None and line.postal]
    assert declared and postal and len(declared) + len(postal) >= len(lines) - 1
    assert any(not line.postal for line in declared)  # courier parcels are declared

    written = export_statement.write_statement(shop, LAST_QUARTER, tmp_path / "vat.pdf")
    done = written.statement
    assert done.lines and done.receipts and done.total_krw.minor > 0
    text = pdf_tools.flat(pdf_tools.text((tmp_path / "vat.pdf").read_bytes()))
    assert "2026년2기예정" in text and "120-88-12345" in text

    batch = export_declaration.write_declaration(shop, LAST_QUARTER, tmp_path / "batch.xlsx",
                                                 leave_out_incomplete=True)
    # Two demo products have no HS code on purpose: their orders wait, listed.
    assert batch.lines and batch.left_out
    assert all("HS code" in item.reason for item in batch.left_out)
    problems = export_checks.check(shop, LAST_QUARTER)
    assert {p.fix for p in problems} <= {Fix.PRODUCT, Fix.DECLARATION}

    figures = export_figures.figures(shop, LAST_QUARTER, locale="en")
    assert figures.total.orders == len(lines) and figures.missing_rates == []
    assert [row.key for row in figures.groups[export_figures.FigureKey.MONTH]] == [
        "2026-07", "2026-08", "2026-09"]
    assert len(figures.groups[export_figures.FigureKey.CHANNEL]) >= 6


def test_seeding_again_adds_nothing(shop):
    before = _counts(shop)
    assert all(before)
    demo.seed(shop, 300, now=FIXED_NOW, returns=True, exports=True)
    assert _counts(shop) == before


def test_every_currency_abroad_has_a_rate_for_every_week_of_the_demo(shop):
    currencies = {r[0] for r in shop.db.execute(
        "SELECT DISTINCT currency FROM orders WHERE ship_country != 'KR' AND currency != 'KRW'")}
    rates = export_lines.missing_rates(export_lines.lines_for_orders(
        shop, [r[0] for r in shop.db.execute("SELECT DISTINCT order_id FROM shipments"
                                              " WHERE shipped_at IS NOT NULL")]))
    assert rates == []
    assert {r.currency for r in shop.exports.rates()} == currencies
    assert {r.unit for r in shop.exports.rates(["JPY", "VND"])} == {100}
