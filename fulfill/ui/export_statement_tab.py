"""The VAT statement tab: the 수출실적명세서 of the period as the tax return proves the zero
rate with it. Totals (won, each currency, the Korea Post receipts), the statement's lines,
the postal receipts and what is left out with why; Preview, Print and Save are the
window's, which makes the PDF and the files off the UI thread."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from fulfill.domain.export_declaration import format_declaration_number
from fulfill.domain.export_period import Period
from fulfill.domain.exports import ExportStatement
from fulfill.i18n import country_name, format_money
from fulfill.services.export_checks import ExportProblem
from fulfill.translation import N_, _, ngettext
from fulfill.ui.account_dialog import BAD_COLOUR
from fulfill.ui.export_dialogs import MissingRatesBar, muted
from fulfill.ui.export_period import period_span_text
from fulfill.ui.tables import ReadOnlyTable

LINE_COLUMNS = [N_("No."), N_("Declaration no."), N_("Ship date"), N_("Currency"), N_("Rate"),
                N_("Foreign amount"), N_("Won"), N_("Order numbers")]
RECEIPT_COLUMNS = [N_("No."), N_("Tracking no."), N_("Ship date"), N_("Ctry"), N_("Service"),
                   N_("Currency"), N_("Rate"), N_("Foreign amount"), N_("Won"), N_("Order")]


class StatementTab(QWidget):
    preview = Signal()
    printStatement = Signal()
    save = Signal()
    enterRate = Signal(str, object)
    openProfile = Signal()

    def __init__(self, locale: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.locale = locale
        self.statement: ExportStatement | None = None
        self.rates_bar = MissingRatesBar(_("The VAT statement converts every export at the "
                                           "customs rate of its week, and needs: {weeks}."))
        self.rates_bar.enterRate.connect(self.enterRate)
        self.totals = QLabel()
        self.totals.setTextFormat(Qt.TextFormat.RichText)
        self.totals.setWordWrap(True)
        self.totals.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.by_currency = ReadOnlyTable(
            [_("Currency"), _("Declared"), _("In won"), _("Postal receipts"), _("In won")],
            (70, 120, 120, 120, 120), stretch=4)
        self.by_currency.setMaximumHeight(7 * self.by_currency.verticalHeader().defaultSectionSize())
        self.by_currency.setMinimumWidth(560)
        self.profile_warning = QLabel()
        self.profile_warning.setWordWrap(True)
        self.profile_warning.linkActivated.connect(lambda _link: self.openProfile.emit())
        self.profile_warning.setVisible(False)
        self.lines_table = ReadOnlyTable([_(w) for w in LINE_COLUMNS],
                                         (44, 150, 90, 70, 90, 120, 120, 200), stretch=7)
        self.receipts_table = ReadOnlyTable([_(w) for w in RECEIPT_COLUMNS],
                                            (44, 140, 90, 50, 130, 70, 90, 120, 120, 120),
                                            stretch=9)
        self.left_out_table = ReadOnlyTable([_("Order"), _("Why it is not on the statement")],
                                            (160, 500), stretch=1)
        self.lists = QTabWidget()
        self.lists.addTab(self.lines_table, "")
        self.lists.addTab(self.receipts_table, "")
        self.lists.addTab(self.left_out_table, "")
        self.preview_button = QPushButton(_("Pre&view…"))
        self.preview_button.setToolTip(_("The statement as an A4 PDF, to look at and print"))
        self.preview_button.clicked.connect(self.preview)
        self.print_button = QPushButton(_("&Print…"))
        self.print_button.clicked.connect(self.printStatement)
        self.save_button = QPushButton(_("Save as PDF / XLSX / &CSV…"))
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        left = QVBoxLayout()  # the totals, and what to do with them right under
        left.addWidget(self.totals)
        left.addWidget(self.profile_warning)
        left.addStretch(1)
        left.addLayout(buttons)
        totals_row = QHBoxLayout()
        totals_row.addLayout(left, 1)
        totals_row.addWidget(self.by_currency)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rates_bar)
        layout.addLayout(totals_row)
        layout.addWidget(self.lists, 1)
        layout.addWidget(muted(_(
            "Exports with a declaration number are listed by number; Korea Post parcels "
            "without one are proved by their receipts (소포수령증). Courier parcels without a "
            "number, no-charge replacements and goods without a value are left out, with why: "
            "ask your tax accountant about those.")))

    def show_statement(self, period: Period, statement: ExportStatement | None,
                       missing: list[tuple[str, date]], profile_problems: list[ExportProblem]) -> None:
        self.statement = statement
        self.rates_bar.show_missing(missing)
        missing_profile = [p for p in profile_problems if "statement" in p.stops]
        self.profile_warning.setVisible(bool(missing_profile))
        if missing_profile:
            link = escape(_("Open the seller profile…"))
            self.profile_warning.setText(
                f"<span style='color:{BAD_COLOUR}'>"
                + escape(_("The statement cannot be saved or printed yet: {problems}.").format(
                    problems="; ".join(p.detail for p in missing_profile)))
                + f"</span> <a href='profile'>{link}</a>")
        if statement is None:
            self.totals.setText(escape(period_span_text(period)) + "<br>"
                                + escape(_("The statement is shown once every rate it needs is "
                                           "entered.")))
            for table in (self.lines_table, self.receipts_table, self.left_out_table,
                          self.by_currency):
                table.fill([])
            self._tab_titles(0, 0, 0)
            return
        self.totals.setText(self._totals_html(statement))
        self._fill_currencies(statement)
        money = lambda amount: format_money(amount, self.locale)  # noqa: E731
        self.lines_table.fill([[
            (str(n), ""), (format_declaration_number(line.declaration_number), ""),
            (line.ship_date.isoformat(), ""), (line.currency, ""), (line.rate.text, ""),
            (money(line.foreign), ""), (money(line.krw), ""),
            (", ".join(line.order_numbers), ", ".join(line.order_numbers))]
            for n, line in enumerate(statement.lines, 1)], right=(0, 4, 5, 6))
        self.receipts_table.fill([[
            (str(n), ""), (" ".join(r.tracking_numbers), ""), (r.ship_date.isoformat(), ""),
            (r.country, country_name(r.country, self.locale)), (r.service, ""),
            (r.currency, ""), (r.rate.text, ""), (money(r.foreign), ""), (money(r.krw), ""),
            (r.order_number, "")] for n, r in enumerate(statement.receipts, 1)],
            right=(0, 6, 7, 8))
        self.left_out_table.fill([[(item.order_number, ""), (item.reason, item.reason)]
                                  for item in statement.left_out])
        self._tab_titles(len(statement.lines), len(statement.receipts), len(statement.left_out))

    def _tab_titles(self, lines: int, receipts: int, left_out: int) -> None:
        self.lists.setTabText(0, ngettext("{n} export declaration", "{n} export declarations",
                                          lines).format(n=f"{lines:,}"))
        self.lists.setTabText(1, ngettext("{n} Korea Post receipt", "{n} Korea Post receipts",
                                          receipts).format(n=f"{receipts:,}"))
        self.lists.setTabText(2, ngettext("{n} left out", "{n} left out", left_out).format(
            n=f"{left_out:,}"))

    def _totals_html(self, done: ExportStatement) -> str:
        money = lambda amount: escape(format_money(amount, self.locale))  # noqa: E731
        rows = [
            (escape(ngettext("{n} export declaration", "{n} export declarations",
                             len(done.lines)).format(n=f"{len(done.lines):,}")),
             money(done.krw)),
            (escape(ngettext("{n} Korea Post receipt", "{n} Korea Post receipts",
                             len(done.receipts)).format(n=f"{len(done.receipts):,}")),
             money(done.receipts_krw)),
            ("<b>" + escape(_("Zero-rated exports in all")) + "</b>",
             f"<b style='font-size:large'>{money(done.total_krw)}</b>"),
        ]
        cells = "".join(f"<tr><td style='padding-right:24px'>{label}</td>"
                        f"<td align='right'>{value}</td></tr>" for label, value in rows)
        return f"<table cellspacing='3'>{cells}</table>"

    def _fill_currencies(self, done: ExportStatement) -> None:
        """Each currency's foreign total and its won, declared and by receipt."""
        money = lambda amount: format_money(amount, self.locale) if amount else ""  # noqa: E731
        declared, receipts = done.foreign_totals, done.receipts_foreign_totals
        self.by_currency.fill([[
            (currency, ""), (money(declared.get(currency)), ""),
            (money(done.krw_by_currency.get(currency)), ""),
            (money(receipts.get(currency)), ""),
            (money(done.receipts_krw_by_currency.get(currency)), "")]
            for currency in sorted(set(declared) | set(receipts))], right=(1, 2, 3, 4))
