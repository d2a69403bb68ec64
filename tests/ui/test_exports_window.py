"""The Export paperwork screen on a real demo store with exports, driven as a seller drives
it: last quarter by default, the declaration batch saved (leaving out what is incomplete),
declaration numbers typed and imported through the preview, a missing customs rate entered
from the prompt that stopped the statement, the statement as a PDF, the figures chart, and
the Fix buttons of the checks."""

from __future__ import annotations

from datetime import UTC, datetime

import openpyxl
import pytest
from PySide6.QtCharts import QAbstractBarSeries
from PySide6.QtWidgets import QFileDialog, QMessageBox

from fulfill.domain.export_declaration import format_declaration_number
from fulfill.domain.export_period import Period, kst_date
from fulfill.domain.export_rates import customs_week
from fulfill.i18n import country_name, format_money
from fulfill.services import export_declaration, export_lines, export_rates
from fulfill.services.export_checks import Fix
from fulfill.services.export_figures import FigureKey
from fulfill.storage import Store
from tests.conftest import FIXED_NOW, fresh_copy, seeded_demo_file
from tests.documents import pdf_tools
from tests.ui.conftest import open_desk

QUARTER = Period.quarter(2026, 3)  # the demo's last quarter at FIXED_NOW


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    return seeded_demo_file(tmp_path_factory, "exports-ui", now=FIXED_NOW, returns=True,
                            exports=True)


@pytest.fixture
def shop(seeded, tmp_path):
    return fresh_copy(seeded, tmp_path)


@pytest.fixture
def desk(qtbot, shop, ui_settings):
    return open_desk(qtbot, shop, ui_settings)


def open_exports(qtbot, desk, period: Period = QUARTER):
    """The screen, showing `period` once its snapshot is in."""
    screen = desk.show_exports()
    screen.picker.set_period(period)
    qtbot.waitUntil(lambda: screen.snapshot is not None and screen.snapshot.period == period
                    and not screen.worker.busy, timeout=10_000)
    return screen


def reloaded(qtbot, screen, change) -> None:
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        change()
    qtbot.waitUntil(lambda: not screen.worker.busy, timeout=10_000)


def save_to(monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(path), ""))


def click(box: QMessageBox, words: str) -> None:
    button = next(b for b in box.buttons() if b.text().startswith(words))
    button.click()


def test_opens_on_last_quarter_in_korean_days(qtbot, desk):
    action = next(a for menu in desk.menuBar().actions() for a in menu.menu().actions()
                  if a.shortcut().toString() == "Ctrl+Shift+E")
    action.trigger()
    screen = desk.exports_window
    assert screen.isVisible()
    assert screen.period() == Period.last_quarter(kst_date(datetime.now(UTC)))
    assert screen.picker.kind.currentData() == "quarter"
    assert "Korean calendar days" in screen.picker.span.text()
    # A month, then back to last quarter with one click.
    screen.picker.set_period(Period.month(2026, 8))
    assert screen.picker.kind.currentData() == "month"
    screen.picker.last_quarter_button.click()
    assert screen.period() == Period.last_quarter(kst_date(datetime.now(UTC)))


def test_the_batch_saves_as_xlsx_leaving_out_what_is_incomplete(qtbot, desk, shop, tmp_path,
                                                                  monkeypatch):
    screen = open_exports(qtbot, desk)
    snapshot = screen.snapshot
    stopped = {p.order_id for p in snapshot.problems if "declaration" in p.stops}
    assert stopped  # two demo products have no HS code
    assert screen.batch_button.isEnabled()
    target = tmp_path / "out" / "배치"
    target.parent.mkdir()
    save_to(monkeypatch, target)  # no suffix typed: the kind chosen adds it
    screen.batch_button.click()
    qtbot.waitUntil(lambda: screen.prompt is not None and screen.prompt.isVisible(),
                    timeout=10_000)
    assert "cannot go in the batch" in screen.prompt.text()
    with qtbot.waitSignal(screen.saved, timeout=10_000) as saved:
        click(screen.prompt, "Leave them out")
    path = saved.args[0][0]
    assert path.name == "배치.xlsx" and path.is_file()
    book = openpyxl.load_workbook(path)
    sheet = book["수출신고 (Declaration)"]
    headers = [cell.value for cell in sheet[1]]
    assert "주문번호 (Order no.)" in headers and "신고구분 (Declaration type)" in headers
    numbers = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(numbers) == len(snapshot.lines) - len(stopped)
    assert {line.order_number for line in snapshot.lines
            if line.order_id not in stopped} == set(numbers)
    kinds = {row[headers.index("신고구분 (Declaration type)")]
             for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert kinds <= {"간이수출신고", "정식수출신고"} and "간이수출신고" in kinds
    notes = [row[0] for row in book.worksheets[-1].iter_rows(values_only=True)]
    assert sum(1 for note in notes if str(note).startswith("제외 (Left out)")) == len(stopped)
    assert "left out" in screen.status.text()


def test_a_number_is_typed_refused_then_saved_and_cleared(qtbot, desk, shop):
    screen = open_exports(qtbot, desk)
    tab = screen.declaration
    line = next(line for line in screen.snapshot.lines if line.declaration is None)
    assert tab.select_order(line.order_id)
    tab.number.setText("12345")
    tab.save_number()
    qtbot.waitUntil(lambda: "14" in tab.number_status.text(), timeout=10_000)
    assert "12345" in tab.number_status.text()  # the service's refusal, as it said it
    tab.number.setText("43217-26-000001X")
    reloaded(qtbot, screen, tab.save_number)
    row = [l.order_id for l in tab.shown].index(line.order_id)
    assert tab.table.item(row, 11).text() == "43217-26-000001X"
    with Store.open(shop) as store:
        assert store.exports.declarations([line.order_id])[line.order_id].number == \
            "4321726000001X"
    desk.show_order(line.order_id)  # the order's detail names its declaration too
    assert "43217-26-000001X" in desk.detail.toPlainText()
    assert tab.clear_number_button.isEnabled()
    reloaded(qtbot, screen, tab.clear_number)
    with Store.open(shop) as store:
        assert store.exports.declarations([line.order_id]) == {}


def test_numbers_import_through_the_preview_and_show(qtbot, desk, shop, tmp_path, monkeypatch):
    screen = open_exports(qtbot, desk)
    undeclared = [line for line in screen.snapshot.lines if line.declaration is None][:2]
    rows = ["주문번호,수출신고번호,수리일자"]
    numbers = ["43217-26-900001X", "43217-26-9000025"]
    for line, number in zip(undeclared, numbers):
        rows.append(f"{line.order_number},{number},{line.ship_date.isoformat()}")
    rows.append("NO-SUCH-ORDER,43217-26-9000033,2026-07-01")
    file = tmp_path / "수출신고번호.csv"
    file.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(file), ""))
    screen.declaration.import_button.click()
    qtbot.waitUntil(lambda: getattr(screen, "numbers_dialog", None) is not None
                    and screen.numbers_dialog.isVisible(), timeout=10_000)
    dialog = screen.numbers_dialog
    assert dialog.table.rowCount() == 2 and dialog.refused.rowCount() == 1
    assert "NO-SUCH-ORDER" in dialog.refused.item(0, 2).text()
    assert dialog.import_button.text().replace("&", "") == "Import 2 numbers"
    reloaded(qtbot, screen, dialog.import_button.click)
    shown = {l.order_id: row for row, l in enumerate(screen.declaration.shown)}
    for line, number in zip(undeclared, numbers):
        assert screen.declaration.table.item(shown[line.order_id], 11).text() == number
    with Store.open(shop) as store:
        found = store.exports.declarations([line.order_id for line in undeclared])
    assert [format_declaration_number(found[line.order_id].number) for line in undeclared] \
        == numbers


def test_a_rate_entered_from_the_prompt_unblocks_the_statement(qtbot, shop, ui_settings,
                                                               tmp_path, monkeypatch):
    from fulfill.ui.main_window import MainWindow

    with Store.open(shop) as store:
        usd = next(line for line in export_lines.export_lines(store, QUARTER)
                   if line.currency == "USD")
        week = customs_week(usd.rate_date)
        assert export_rates.delete_rate(store, "USD", week)
    desk = MainWindow(shop, settings=ui_settings)
    qtbot.addWidget(desk)
    screen = open_exports(qtbot, desk)
    assert screen.snapshot.statement is None
    assert ("USD", week) in screen.snapshot.missing
    bar = screen.statement.rates_bar
    assert not bar.isHidden() and "USD" in bar.button.text()
    target = tmp_path / "vat.pdf"
    save_to(monkeypatch, target)
    screen.statement_button.click()
    qtbot.waitUntil(lambda: screen.prompt is not None and screen.prompt.isVisible(),
                    timeout=10_000)
    assert "USD" in screen.prompt.text() and week.isoformat() in screen.prompt.text()
    click(screen.prompt, "Enter the USD rate")
    dialog = screen.rate_dialog
    assert dialog is not None and dialog.code() == "USD" and dialog.day() == week
    assert dialog.unit.currentData() == 1
    dialog.rate.setText("1,391.50")
    with qtbot.waitSignal(screen.saved, timeout=15_000) as saved:
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert saved.args[0] == [target] and target.read_bytes().startswith(b"%PDF")
    qtbot.waitUntil(lambda: screen.snapshot.statement is not None and not screen.worker.busy,
                    timeout=10_000)
    assert bar.isHidden()
    with Store.open(shop) as store:
        rate = export_rates.rate_for(store, "USD", week)
    assert rate is not None and str(rate.rate) == "1391.50" and rate.source == "entered"


def test_the_statement_saves_as_pdf_with_its_totals(qtbot, desk, shop, tmp_path, monkeypatch):
    screen = open_exports(qtbot, desk)
    done = screen.snapshot.statement
    assert done is not None and done.lines and done.receipts
    assert format_money(done.total_krw, desk.locale) in screen.statement.totals.text()
    assert screen.statement.lines_table.rowCount() == len(done.lines)
    assert screen.statement.receipts_table.rowCount() == len(done.receipts)
    target = tmp_path / "statement.pdf"
    save_to(monkeypatch, target)
    with qtbot.waitSignal(screen.saved, timeout=15_000):
        screen.statement.save_button.click()
    text = pdf_tools.flat(pdf_tools.text(target.read_bytes()))
    assert f"{done.total_krw.minor:,}원" in text
    assert f"{done.krw.minor:,}" in text and f"{done.receipts_krw.minor:,}" in text
    assert "수출실적명세서" in text and "2026년2기예정" in text
    # The preview shows the same PDF, ready to print.
    screen.statement.preview_button.click()
    qtbot.waitUntil(lambda: screen.preview is not None and screen.preview.isVisible(),
                    timeout=15_000)
    assert screen.preview.document.pageCount() >= 1


def test_the_figures_chart_has_a_bar_per_country(qtbot, desk):
    screen = open_exports(qtbot, desk)
    screen.tabs.setCurrentWidget(screen.figures)
    panel = screen.figures
    panel.group.setCurrentIndex(panel.group.findData(FigureKey.COUNTRY))
    rows = screen.snapshot.figures.groups[FigureKey.COUNTRY]
    series = [s for s in panel.chart.series() if isinstance(s, QAbstractBarSeries)]
    assert len(series) == 1
    bars = series[0].barSets()[0]
    expected = min(len(rows), 15) + (1 if len(rows) > 15 else 0)
    assert bars.count() == expected == len(panel.bar_labels)
    for code in ("US", "JP", "TW"):
        assert country_name(code, desk.locale) in panel.bar_labels
    us = next(row for row in rows if row.key == "US")
    # Horizontal bars are drawn lowest first: the label order is reversed.
    at = panel.bar_labels.index(us.label)
    assert round(bars.at(at)) == round(us.krw.minor / 1000)
    panel.measure.setCurrentIndex(panel.measure.findData("USD"))
    at = panel.bar_labels.index(us.label)
    usd = panel.chart.series()[0].barSets()[0]
    assert usd.at(at) == pytest.approx(float(us.by_currency["USD"].to_decimal()))
    assert panel.table.rowCount() == len(rows)


def test_fix_buttons_open_the_product_and_the_number_entry(qtbot, desk, shop):
    with Store.open(shop) as store:
        courier = next(line for line in export_lines.export_lines(store, QUARTER)
                       if not line.postal and line.declaration is not None)
        export_declaration.clear_declaration_number(store, courier.order_id)
    screen = open_exports(qtbot, desk)
    panel = screen.checks
    kinds = [p.fix for p in panel.problems]
    assert Fix.PRODUCT in kinds and Fix.DECLARATION in kinds
    assert screen.tabs.tabText(4) == f"Checks ({len(panel.problems)})"

    product = kinds.index(Fix.PRODUCT)
    sku = panel.problems[product].sku
    panel.fix_buttons[product].click()
    qtbot.waitUntil(lambda: desk.products_window is not None
                    and desk.products_window.selected_sku() == sku, timeout=10_000)
    assert desk.products_window.isVisible()

    number = next(n for n, p in enumerate(panel.problems)
                  if p.fix is Fix.DECLARATION and p.order_id == courier.order_id)
    panel.fix_buttons[number].click()
    assert screen.tabs.currentWidget() is screen.declaration
    line = screen.declaration.current_line()
    assert line is not None and line.order_id == courier.order_id


def test_the_rate_fix_and_settings_say_what_is_unverified(qtbot, shop, ui_settings):
    from fulfill.ui.main_window import MainWindow

    with Store.open(shop) as store:
        line = next(line for line in export_lines.export_lines(store, QUARTER)
                    if line.currency == "JPY")
        week = customs_week(line.rate_date)
        export_rates.delete_rate(store, "JPY", week)
    desk = MainWindow(shop, settings=ui_settings)
    qtbot.addWidget(desk)
    screen = open_exports(qtbot, desk)
    problem = next(p for p in screen.checks.problems if p.fix is Fix.RATE)
    assert (problem.currency, problem.week) == ("JPY", week)
    screen.checks.fix_buttons[screen.checks.problems.index(problem)].click()
    dialog = screen.rate_dialog
    assert dialog.code() == "JPY" and dialog.day() == week
    assert dialog.unit.currentData() == 100  # customs publishes yen per 100
    dialog.rate.setText("not a rate")
    dialog.save()
    assert dialog.isVisible() and "not a rate" in dialog.error.text()
    dialog.reject()

    screen.settings_button.click()
    qtbot.waitUntil(lambda: getattr(screen, "settings_dialog", None) is not None
                    and screen.settings_dialog.isVisible(), timeout=10_000)
    settings = screen.settings_dialog
    texts = " ".join(label.text() for label in settings.findChildren(type(screen.summary)))
    assert "Unverified" in texts and "UNI-PASS" in texts
    settings.limit_rows[-1][1].setValue(50_000)  # most orders are now over the limit
    reloaded(qtbot, screen, settings.save)
    assert any(line.route is not None and line.route.value == "regular"
               for line in screen.snapshot.lines)
    with Store.open(shop) as store:
        assert export_lines.load_settings(store).limits[-1].krw == 50_000


def test_a_rate_file_imports_through_its_preview(qtbot, desk, shop, tmp_path, monkeypatch):
    from pathlib import Path

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / \
        "customs_rates_cp949.csv"
    file = tmp_path / "환율.csv"
    file.write_bytes(fixture.read_bytes() + "수출,영국,GBP,열두,2026.07.05\n".encode("cp949"))
    screen = open_exports(qtbot, desk)
    screen.tabs.setCurrentWidget(screen.rates)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(file), ""))
    screen.rates.import_button.click()
    qtbot.waitUntil(lambda: getattr(screen.rates, "preview_dialog", None) is not None
                    and screen.rates.preview_dialog.isVisible(), timeout=10_000)
    dialog = screen.rates.preview_dialog
    assert dialog.table.rowCount() == 8  # the export rates; the demo holds other figures
    reasons = [dialog.refused.item(r, 2).text() for r in range(dialog.refused.rowCount())]
    assert sum("수입" in reason for reason in reasons) == 2  # import rates are skipped
    assert any("열두" in reason for reason in reasons)
    reloaded(qtbot, screen, dialog.import_button.click)
    assert "8 replaced" in screen.rates.status.text()
    with Store.open(shop) as store:
        rate = export_rates.rate_for(store, "JPY", datetime(2026, 7, 6).date())
    assert str(rate.rate) == "912.35" and rate.unit == 100 and rate.source == file.name
