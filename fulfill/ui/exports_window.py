"""The Export paperwork screen: for a period (last quarter unless the seller picks another),
the e-commerce export declaration batch, the VAT zero-rating statement (수출실적명세서),
where the exports went, the customs rates they convert at, and what is still missing.

The way through for a seller at a desk: the screen opens on last quarter; "Save declaration
batch…" and "Save VAT statement…" sit at the top. When one of them needs something first (a
customs rate, an HS code, the seller profile), it says what and offers the way to it — the
rate dialog, leaving the incomplete orders out, the profile — then carries on.

Everything reads and writes through the store worker (fulfill.services.export_*); this
module asks the questions and shows the answers. Saving the papers, previewing the statement,
importing declaration numbers and the ways forward when a save is refused are in
fulfill.ui.export_files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QMessageBox, QPushButton, QTabWidget, QVBoxLayout, QWidget,
)

from fulfill.domain.export_declaration import ExportSettings
from fulfill.domain.export_period import Period
from fulfill.domain.export_rates import CustomsRate
from fulfill.domain.exports import ExportLine, ExportStatement
from fulfill.i18n import format_money
from fulfill.services import export_figures, export_rates, export_statement
from fulfill.services.export_checks import ExportProblem, Fix, line_problems, seller_problems
from fulfill.services.export_figures import ExportFigures
from fulfill.services.export_lines import export_lines, load_settings, missing_rates
from fulfill.storage import Store
from fulfill.translation import _, ngettext
from fulfill.ui.account_dialog import BAD_COLOUR, OK_COLOUR
from fulfill.ui.export_checks_panel import ChecksPanel
from fulfill.ui.export_declaration_tab import DeclarationTab
from fulfill.ui.export_dialogs import RateEntryDialog
from fulfill.ui.export_figures_chart import FiguresPanel
from fulfill.ui.export_files import ExportFiles
from fulfill.ui.export_period import PeriodPicker
from fulfill.ui.export_rates_panel import RatesPanel
from fulfill.ui.export_settings_dialog import ExportSettingsDialog
from fulfill.ui.export_statement_tab import StatementTab
from fulfill.ui.pdf_preview import PdfPreview
from fulfill.ui.seller_profile_dialog import open_seller_profile
from fulfill.ui.store_worker import StoreWorker, error_text

DECLARATION_TAB, STATEMENT_TAB, FIGURES_TAB, RATES_TAB, CHECKS_TAB = range(5)


@dataclass
class ExportSnapshot:
    """All the screen shows for one period, read in one job."""

    period: Period
    settings: ExportSettings
    lines: list[ExportLine]
    problems: list[ExportProblem]
    figures: ExportFigures
    statement: ExportStatement | None  # None while a rate is missing
    rates: list[CustomsRate]
    missing: list[tuple[str, date]]


def load_snapshot(store: Store, period: Period, locale: str | None) -> ExportSnapshot:
    settings = load_settings(store)
    lines = export_lines(store, period, settings=settings)
    problems = seller_problems(store.settings.seller_profile()) if lines else []
    for line in lines:
        problems += line_problems(line)
    missing = missing_rates(lines)
    done = (export_statement.statement(store, period, settings=settings, lines=lines)
            if not missing else None)
    return ExportSnapshot(period, settings, lines, problems,
                          export_figures.figures_of(lines, period, locale=locale), done,
                          export_rates.rates(store), missing)


def reveal_product(products, sku: str) -> None:
    """Select `sku` in the Products window once its listing is in (or start adding it)."""
    def select() -> None:
        if products.select_sku(sku):
            return
        products.search.clear()
        products.missing_only.setChecked(False)
        if not products.select_sku(sku):
            products.new_product(sku)

    products.loaded.connect(select, Qt.ConnectionType.SingleShotConnection)


class ExportsWindow(ExportFiles, QWidget):
    showOrder = Signal(int)
    showProduct = Signal(str)
    loaded = Signal(object)  # the ExportSnapshot now shown (tests wait on it)
    saved = Signal(object)  # paths written by the last save

    def __init__(self, worker: StoreWorker, settings: QSettings, locale: str | None = None,
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(_("Export paperwork"))
        self.worker, self.settings, self.locale = worker, settings, locale
        self.snapshot: ExportSnapshot | None = None
        self.prompt: QMessageBox | None = None  # the open question, if any (see ask())
        self.rate_dialog: RateEntryDialog | None = None
        self.preview: PdfPreview | None = None
        self._stale = False  # a fix opened elsewhere: read again when the seller comes back
        self._build(today)
        if isinstance(geometry := settings.value("exports/geometry"), QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 860)
        self.reload()

    # --- construction ----------------------------------------------------------------
    def _build(self, today: date | None) -> None:
        self.picker = PeriodPicker(today)
        self.picker.changed.connect(lambda _period: (self._say(""), self.reload()))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.linkActivated.connect(lambda _link: self.tabs.setCurrentIndex(CHECKS_TAB))
        self.batch_button = QPushButton(_("Save &declaration batch…"))
        self.batch_button.setDefault(True)
        self.batch_button.setToolTip(_("The period's orders for the e-commerce export "
                                       "declaration, as XLSX or CSV"))
        self.batch_button.clicked.connect(self.save_batch)
        self.statement_button = QPushButton(_("Save &VAT statement…"))
        self.statement_button.setToolTip(_("The export performance statement (수출실적명세서) "
                                           "for the VAT return's zero rate, as PDF, XLSX or CSV"))
        self.statement_button.clicked.connect(self.save_statement)
        self.settings_button = QPushButton(_("Se&ttings…"))
        self.settings_button.setToolTip(_("Rate date, FOB value and the simplified-declaration "
                                          "limit (unverified rules)"))
        self.settings_button.clicked.connect(self.edit_settings)
        actions = QHBoxLayout()
        actions.addWidget(self.summary, 1)
        actions.addWidget(self.batch_button)
        actions.addWidget(self.statement_button)
        actions.addWidget(self.settings_button)

        self.declaration = DeclarationTab(self.worker, self.locale)
        self.declaration.saveBatch.connect(self.save_batch)
        self.declaration.importNumbers.connect(self.import_numbers)
        self.declaration.enterRate.connect(self.enter_rate)
        self.declaration.changed.connect(self.reload)
        self.statement = StatementTab(self.locale)
        self.statement.save.connect(self.save_statement)
        self.statement.preview.connect(self.preview_statement)
        self.statement.printStatement.connect(lambda: self.preview_statement(print_it=True))
        self.statement.enterRate.connect(self.enter_rate)
        self.statement.openProfile.connect(self.open_profile)
        self.figures = FiguresPanel(self.locale)
        self.figures.exportFigures.connect(self.save_figures)
        self.figures.enterRate.connect(self.enter_rate)
        self.rates = RatesPanel(self.worker, self.settings)
        self.rates.enterRate.connect(self.enter_rate)
        self.rates.editRate.connect(lambda rate: self.enter_rate(
            rate.currency, rate.applies_from, existing=rate))
        self.rates.changed.connect(self.reload)
        self.checks = ChecksPanel()
        self.checks.fix.connect(self.fix)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.declaration, _("Declaration"))
        self.tabs.addTab(self.statement, _("VAT statement (수출실적명세서)"))
        self.tabs.addTab(self.figures, _("Figures"))
        self.tabs.addTab(self.rates, _("Customs rates"))
        self.tabs.addTab(self.checks, _("Checks"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setOpenExternalLinks(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker)
        layout.addLayout(actions)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        QShortcut(QKeySequence.StandardKey.Refresh, self, self.reload)

    # --- reading ---------------------------------------------------------------------
    def period(self) -> Period:
        return self.picker.period()

    def reload(self) -> None:
        period, locale = self.period(), self.locale
        self._stale = False
        self.summary.setText(escape(_("Reading the exports of {period}…").format(
            period=period.label)))
        self.worker.submit(lambda store, _p, _c: load_snapshot(store, period, locale),
                           self._show, self._failed, owner=self)

    def _show(self, snapshot: ExportSnapshot) -> None:
        if snapshot.period != self.period():
            return  # the seller picked another period meanwhile; its snapshot follows
        self.snapshot = snapshot
        lines, problems = snapshot.lines, snapshot.problems
        self.declaration.show_lines(lines, problems, snapshot.missing)
        profile = [p for p in problems if p.fix is Fix.SELLER_PROFILE]
        self.statement.show_statement(snapshot.period, snapshot.statement, snapshot.missing,
                                      profile)
        self.figures.show_figures(snapshot.figures)
        self.rates.show_rates(snapshot.rates, snapshot.period, snapshot.missing)
        self.checks.show_problems(problems)
        self.tabs.setTabText(CHECKS_TAB, ngettext("Checks ({n})", "Checks ({n})",
                                                  len(problems)).format(n=len(problems))
                             if problems else _("Checks"))
        self.summary.setText(self._summary_html(snapshot))
        self.batch_button.setEnabled(bool(lines))
        self.statement_button.setEnabled(bool(lines))
        self.loaded.emit(snapshot)

    def _summary_html(self, snapshot: ExportSnapshot) -> str:
        lines = snapshot.lines
        if not lines:
            return escape(_("No parcel left Korea in {period}: nothing to declare or prove.")
                          .format(period=snapshot.period.label))
        total = snapshot.figures.total
        parts = [escape(ngettext("{n} order left Korea", "{n} orders left Korea", len(lines)))
                 .format(n=f"<b>{len(lines):,}</b>"),
                 escape(_("FOB {won}")).format(
                     won=f"<b>{escape(format_money(total.krw, self.locale))}</b>")]
        if snapshot.missing:
            parts.append(f"<span style='color:{BAD_COLOUR}'>" + escape(ngettext(
                "{n} customs rate missing", "{n} customs rates missing",
                len(snapshot.missing)).format(n=len(snapshot.missing))) + "</span>")
        if snapshot.problems:
            parts.append("<a href='checks'>" + escape(ngettext(
                "{n} thing to check", "{n} things to check", len(snapshot.problems)).format(
                n=len(snapshot.problems))) + "</a>")
        else:
            parts.append(f"<span style='color:{OK_COLOUR}'>"
                         + escape(_("nothing missing")) + "</span>")
        return " · ".join(parts)

    def _failed(self, error: BaseException) -> None:
        self.summary.setText(f"<span style='color:{BAD_COLOUR}'>"
                             + escape(error_text(error)) + "</span>")

    def _say(self, text: str, colour: str = "", folder: Path | None = None) -> None:
        html = f"<span style='color:{colour}'>{escape(text)}</span>" if colour else escape(text)
        if folder is not None:
            url = escape(QUrl.fromLocalFile(str(folder)).toString(), quote=True)
            html += (f" <a href='{url}'>"
                     + escape(_("Open the folder")) + "</a>")
        self.status.setText(html)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if (event.type() == QEvent.Type.ActivationChange and self.isActiveWindow()
                and self._stale):
            self.reload()  # back from a product, an order or the profile: read it again

    # --- rates, settings, fixes ----------------------------------------------------------
    def enter_rate(self, currency: str = "", week: date | None = None, *,
                   existing: CustomsRate | None = None, reason: str = "",
                   then: Callable[[], None] | None = None) -> RateEntryDialog:
        """The rate dialog for `currency` from `week`; saved, the screen reads again and
        `then` runs (the save that needed the rate tries again)."""
        snapshot = self.snapshot
        currencies = sorted({line.currency for line in snapshot.lines} - {"KRW"}
                            | {rate.currency for rate in snapshot.rates}) if snapshot else []
        if not reason and currency and week is not None and existing is None:
            reason = _("Exports of {currency} in the week from {sunday} need its customs "
                       "rate.").format(currency=currency, sunday=week.isoformat())
        if self.rate_dialog is not None:
            self.rate_dialog.close()
        dialog = RateEntryDialog(self.worker, currency=currency, applies_from=week,
                                 currencies=currencies, existing=existing, reason=reason,
                                 parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda: setattr(self, "rate_dialog", None))

        def saved(rate: CustomsRate) -> None:
            self._say(_("Saved the {currency} rate from {day}.").format(
                currency=rate.currency, day=rate.applies_from.isoformat()), OK_COLOUR)
            self.reload()
            if then is not None:
                then()

        dialog.saved.connect(saved)
        self.rate_dialog = dialog
        dialog.open()
        return dialog

    def edit_settings(self) -> None:
        def open_dialog(settings: ExportSettings) -> None:
            self.settings_dialog = ExportSettingsDialog(self.worker, settings, self)
            self.settings_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.settings_dialog.saved.connect(lambda _s: (self._say(
                _("Settings saved: the figures are read again.")), self.reload()))
            self.settings_dialog.open()

        self.worker.submit(lambda store, _p, _c: load_settings(store), open_dialog, self._warn,
                           owner=self)

    def open_profile(self, then: Callable[[], None] | None = None) -> None:
        def saved(_profile) -> None:
            self._say(_("Seller profile saved."), OK_COLOUR)
            self.reload()
            if then is not None:
                then()

        open_seller_profile(self, self.worker, saved)

    def fix(self, problem: ExportProblem) -> None:
        """Open the place where `problem` is fixed."""
        if problem.fix is Fix.PRODUCT:
            self._stale = True
            self.showProduct.emit(problem.sku)
        elif problem.fix is Fix.ORDER and problem.order_id is not None:
            self._stale = True
            self.showOrder.emit(problem.order_id)
        elif problem.fix is Fix.RATE:
            self.tabs.setCurrentIndex(RATES_TAB)
            self.enter_rate(problem.currency, problem.week, reason=problem.detail)
        elif problem.fix is Fix.DECLARATION and problem.order_id is not None:
            self.tabs.setCurrentIndex(DECLARATION_TAB)
            self.declaration.focus_number(problem.order_id)
        elif problem.fix is Fix.SELLER_PROFILE:
            self.open_profile()

    def _warn(self, error: BaseException) -> None:
        self._say(error_text(error), BAD_COLOUR)
        QMessageBox.warning(self, _("Export paperwork"), error_text(error, "\n\n"))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("exports/geometry", self.saveGeometry())
        for window in (self.preview, self.rate_dialog):
            if window is not None:
                window.close()
        super().closeEvent(event)

