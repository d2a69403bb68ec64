"""The Declaration tab: the period's orders as the e-commerce export declaration sees them
(HS code, pieces, weight, FOB in the order currency and in won with the rate and its week,
the declaration number, and the orders over the simplified limit), and the declaration
number of the selected order, typed in or cleared.

Saving the batch and importing numbers are the window's (they ask questions and may need a
rate first); this tab says when the seller asks for them."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QVBoxLayout, QWidget,
)

from fulfill.domain.export_declaration import (
    DeclarationRoute, format_declaration_number, normalize_declaration_number,
)
from fulfill.domain.export_rates import customs_week
from fulfill.domain.exports import ExportLine
from fulfill.i18n import country_name, format_money
from fulfill.services import export_declaration
from fulfill.services.export_checks import ExportProblem
from fulfill.translation import N_, _, ngettext
from fulfill.ui.account_dialog import BAD_COLOUR, MUTED_COLOUR, OK_COLOUR
from fulfill.ui.export_dialogs import MissingRatesBar, muted
from fulfill.ui.store_worker import StoreWorker, error_text
from fulfill.ui.tables import ReadOnlyTable

ACTOR = "seller"
REGULAR_TINT = "#fff0d9"
COLUMNS = [
    N_("Order"),
    # Translators: column header: the Korean day the order's first parcel left.
    N_("Ship date"),
    # Translators: column header, short for "country" (a two-letter code below it).
    N_("Ctry"), N_("HS code"),
    # Translators: column header, short for "pieces".
    N_("Pcs"), N_("Gross kg"), N_("FOB"), N_("Rate"), N_("Rate week"), N_("FOB in won"),
    N_("Declaration"), N_("Declaration no."),
]
ROUTE, NUMBER = 10, 11
VIEWS = (("all", N_("All orders")), ("undeclared", N_("Without a declaration number")),
         ("regular", N_("Over the limit: regular declaration")),
         ("problems", N_("Missing something")))


def hs_text(code: str) -> str:
    """"330499" -> "3304.99", "3304991000" -> "3304.99 1000", as the catalogue shows it."""
    return f"{code[:4]}.{code[4:6]} {code[6:]}".strip() if len(code) > 4 else code


def kg_text(grams: int) -> str:
    return f"{grams / 1000:.3f}" if grams else ""


class DeclarationTab(QWidget):
    saveBatch = Signal()
    importNumbers = Signal()
    enterRate = Signal(str, object)
    changed = Signal()  # a declaration number was written or cleared

    def __init__(self, worker: StoreWorker, locale: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker, self.locale = worker, locale
        self.lines: list[ExportLine] = []
        self.shown: list[ExportLine] = []
        self.problems: dict[int, list[ExportProblem]] = {}
        self._current_id: int | None = None
        self.rates_bar = MissingRatesBar(_(
            "The won amounts, the declaration batch and the VAT statement need these customs "
            "rates: {weeks}."))
        self.rates_bar.enterRate.connect(self.enterRate)
        self.view = QComboBox()
        for key, words in VIEWS:
            self.view.addItem(_(words), key)
        self.view.currentIndexChanged.connect(self._fill)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        top = QHBoxLayout()
        # Translators: before a list choice: "Show [All orders]".
        top.addWidget(QLabel(_("Show")))
        top.addWidget(self.view)
        top.addWidget(self.counts, 1)
        self.table = ReadOnlyTable([_(words) for words in COLUMNS],
                                   (140, 86, 44, 90, 40, 66, 100, 86, 86, 110, 96, 150),
                                   stretch=NUMBER)
        self.table.currentCellChanged.connect(lambda row, *_rest: self._row_chosen(row))
        self.empty = muted("")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setVisible(False)

        self.number_box = QGroupBox(_("Export declaration number"))
        self.number = QLineEdit(placeholderText="12865-24-008922X")
        self.number.setMaxLength(24)
        self.number.textEdited.connect(self._check_number)
        self.number.returnPressed.connect(self.save_number)
        self.accepted_on_given = QCheckBox(_("Accepted on"))
        self.accepted_on = QDateEdit(calendarPopup=True)
        self.accepted_on.setDisplayFormat("yyyy-MM-dd")
        self.accepted_on.setEnabled(False)
        self.accepted_on_given.toggled.connect(self.accepted_on.setEnabled)
        self.save_number_button = QPushButton(_("Save &number"))
        self.save_number_button.clicked.connect(self.save_number)
        self.clear_number_button = QPushButton(_("C&lear number"))
        self.clear_number_button.clicked.connect(self.clear_number)
        self.number_status = QLabel()
        self.number_status.setWordWrap(True)
        number_row = QHBoxLayout()
        number_row.addWidget(self.number, 1)
        number_row.addWidget(self.accepted_on_given)
        number_row.addWidget(self.accepted_on)
        number_row.addWidget(self.save_number_button)
        number_row.addWidget(self.clear_number_button)
        number_layout = QVBoxLayout(self.number_box)
        number_layout.addLayout(number_row)
        number_layout.addWidget(self.number_status)

        self.undeclared_only = QCheckBox(_("Only orders without a declaration number"))
        self.undeclared_only.setToolTip(_("Leave out of the batch the orders whose declaration "
                                          "number you already have"))
        self.save_button = QPushButton(_("&Save declaration batch…"))
        self.save_button.setToolTip(_("The period's orders as a file for the e-commerce export "
                                      "declaration (XLSX or CSV)"))
        self.save_button.clicked.connect(self.saveBatch)
        self.import_button = QPushButton(_("&Import declaration numbers…"))
        self.import_button.setToolTip(_("A file of order numbers and declaration numbers: the "
                                        "batch file with the numbers filled in will do"))
        self.import_button.clicked.connect(self.importNumbers)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.undeclared_only)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rates_bar)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.number_box)
        layout.addLayout(buttons)
        layout.addWidget(muted(_("The UNI-PASS upload template is not public (unverified): "
                                 "the batch names each column in Korean and English so you "
                                 "can copy them into it. Orders over the simplified limit are "
                                 "marked for a regular declaration.")))
        self._show_number(None)

    # --- listing -----------------------------------------------------------------------
    def show_lines(self, lines: list[ExportLine], problems: list[ExportProblem],
                   missing: list[tuple[str, date]]) -> None:
        self.lines = lines
        self.problems = {}
        for problem in problems:
            if problem.order_id is not None:
                self.problems.setdefault(problem.order_id, []).append(problem)
        self.rates_bar.show_missing(missing)
        regular = sum(1 for line in lines if line.route is DeclarationRoute.REGULAR)
        declared = sum(1 for line in lines if line.declaration is not None)
        stopped = sum(1 for line in lines if self._stopped(line))
        parts = [ngettext("{n} order left Korea", "{n} orders left Korea", len(lines)).format(
            n=f"{len(lines):,}"),
            ngettext("{n} with a declaration number", "{n} with a declaration number",
                     declared).format(n=f"{declared:,}"),
            ngettext("{n} over the limit: regular declaration",
                     "{n} over the limit: regular declaration", regular).format(n=regular)]
        if stopped:
            parts.append(ngettext("{n} missing what the batch needs",
                                  "{n} missing what the batch needs", stopped).format(n=stopped))
        self.counts.setText(" · ".join(parts))
        self.save_button.setEnabled(bool(lines))
        self._fill()

    def _stopped(self, line: ExportLine) -> bool:
        return any("declaration" in p.stops for p in self.problems.get(line.order_id, []))

    def _wanted(self, line: ExportLine) -> bool:
        view = self.view.currentData()
        if view == "undeclared":
            return line.declaration is None
        if view == "regular":
            return line.route is DeclarationRoute.REGULAR
        if view == "problems":
            return line.order_id in self.problems or line.rate is None
        return True

    def _fill(self) -> None:
        keep = self._current_id
        self.shown = [line for line in self.lines if self._wanted(line)]
        self.table.blockSignals(True)
        self.table.fill([self._cells(line) for line in self.shown], right=(4, 5, 6, 7, 9))
        for row, line in enumerate(self.shown):
            self._colour(row, line)
        self.table.blockSignals(False)
        self.empty.setVisible(not self.shown)
        self.empty.setText(_("No order left Korea in this period.") if not self.lines
                           else _("No order of this period is in this list."))
        ids = [line.order_id for line in self.shown]
        if keep in ids:
            self.table.selectRow(ids.index(keep))
        elif self.shown:
            self.table.selectRow(0)
        self._row_chosen(self.table.currentRow())

    def _cells(self, line: ExportLine) -> list[tuple[str, str]]:
        order_tip = "\n".join(x for x in (
            line.channel, line.buyer, " ".join(x for x in (line.carrier, line.service) if x),
            " ".join(line.tracking_numbers)) if x)
        hs_lines = line.hs_lines()
        missing = _("missing")  # a table cell with nothing in it yet
        missing_hs = any(p.what == "HS code" for p in self.problems.get(line.order_id, []))
        hs = missing if missing_hs else hs_text(line.main_hs_code)
        if len(hs_lines) > 1 and not missing_hs:
            hs += f" +{len(hs_lines) - 1}"
        hs_tip = "\n".join(f"{hs_text(h.hs_code) or missing}: {h.description}"
                           for h in hs_lines)
        rate = line.rate
        week = rate.applies_from if rate else customs_week(line.rate_date)
        if line.route is DeclarationRoute.REGULAR:
            route = _("Regular")
            route_tip = _("Over the simplified-declaration limit: this order needs a regular "
                          "export declaration (정식수출신고).")
        elif line.route is DeclarationRoute.SIMPLIFIED:
            route, route_tip = _("Simplified"), _("E-commerce simplified export declaration")
        else:
            route, route_tip = "—", _("Enter the customs rate to tell")
        declaration = line.declaration
        if declaration is not None:
            number = format_declaration_number(declaration.number)
            number_tip = (_("Accepted on {day}").format(day=declaration.declared_on.isoformat())
                          if declaration.declared_on else "")
        elif line.postal:
            number, number_tip = _("(postal receipt)"), _(
                "Korea Post parcel: without a declaration, its receipt (소포수령증) proves "
                "the export on the VAT statement")
        else:
            number, number_tip = "", ""
        return [
            (line.order_number, order_tip), (line.ship_date.isoformat(), ""),
            (line.country, country_name(line.country, self.locale)), (hs, hs_tip),
            (f"{line.pieces:,}", ""), (kg_text(line.gross_weight_g), ""),
            (format_money(line.fob, self.locale), ""),
            (rate.text if rate else _("no rate"), rate.source if rate else ""),
            (week.isoformat(), _("Customs week from {sunday}").format(sunday=week.isoformat())),
            (format_money(line.krw, self.locale) if line.krw else "—", ""),
            (route, route_tip), (number, number_tip),
        ]

    def _colour(self, row: int, line: ExportLine) -> None:
        bad = QBrush(QColor(BAD_COLOUR))
        if any(p.what == "HS code" for p in self.problems.get(line.order_id, [])):
            self.table.item(row, 3).setForeground(bad)
        if line.rate is None:
            for column in (7, 8):
                self.table.item(row, column).setForeground(bad)
        if line.route is DeclarationRoute.REGULAR:
            item = self.table.item(row, ROUTE)
            item.setBackground(QBrush(QColor(REGULAR_TINT)))
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        if line.declaration is None and line.postal:
            self.table.item(row, NUMBER).setForeground(QBrush(QColor(MUTED_COLOUR)))

    # --- the selected order's number ----------------------------------------------------
    def current_line(self) -> ExportLine | None:
        row = self.table.currentRow()
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def select_order(self, order_id: int) -> bool:
        """Show this order in the table (every order, if the list hid it)."""
        if order_id not in [line.order_id for line in self.shown]:
            self.view.setCurrentIndex(0)
        ids = [line.order_id for line in self.shown]
        if order_id not in ids:
            return False
        self.table.selectRow(ids.index(order_id))
        self.table.scrollToItem(self.table.item(ids.index(order_id), 0))
        return True

    def focus_number(self, order_id: int) -> None:
        if self.select_order(order_id):
            self.number.setFocus(Qt.FocusReason.OtherFocusReason)
            self.number.selectAll()

    def _row_chosen(self, row: int) -> None:
        line = self.shown[row] if 0 <= row < len(self.shown) else None
        if line is None or line.order_id != self._current_id:
            self._show_number(line)
        else:  # the same order, listed again after a change: keep what is typed and said
            self.clear_number_button.setEnabled(line.declaration is not None)

    def _show_number(self, line: ExportLine | None) -> None:
        self._current_id = line.order_id if line else None
        for widget in (self.number, self.accepted_on_given, self.save_number_button):
            widget.setEnabled(line is not None)
        declaration = line.declaration if line else None
        self.clear_number_button.setEnabled(declaration is not None)
        self.number_box.setTitle(_("Export declaration number of order {number}").format(
            number=line.order_number) if line else _("Export declaration number"))
        self.number.setText(format_declaration_number(declaration.number) if declaration else "")
        day = (declaration.declared_on if declaration and declaration.declared_on
               else line.ship_date if line else date.today())
        self.accepted_on.setDate(QDate(day.year, day.month, day.day))
        self.accepted_on_given.setChecked(bool(declaration and declaration.declared_on))
        self._say("")

    def _say(self, text: str, colour: str = "") -> None:
        self.number_status.setVisible(bool(text))
        self.number_status.setText(f"<span style='color:{colour}'>{escape(text)}</span>"
                                   if colour else escape(text))

    def _check_number(self, text: str) -> None:
        """Say at once when what is typed cannot be a number (the service decides on save)."""
        if not text.strip():
            self._say("")
            return
        try:
            normalize_declaration_number(text)
        except ValueError:
            cleaned = "".join(c for c in text if c not in " -")
            self._say(_("{count} of 14 characters: 13 digits and a check digit or letter, "
                        "e.g. 12865-24-008922X.").format(count=len(cleaned)), MUTED_COLOUR)
            return
        self._say(_("Press Enter to save it."), OK_COLOUR)

    def _accepted_on(self) -> date | None:
        if not self.accepted_on_given.isChecked():
            return None
        value = self.accepted_on.date()
        return date(value.year(), value.month(), value.day())

    def save_number(self) -> None:
        line = self.current_line()
        if line is None:
            return
        order_id, text, day = line.order_id, self.number.text(), self._accepted_on()

        def done(declaration) -> None:
            self._say(_("Saved {number} on order {order}.").format(
                number=format_declaration_number(declaration.number),
                order=line.order_number), OK_COLOUR)
            self.changed.emit()

        self.worker.submit(lambda store, _p, _c: export_declaration.set_declaration_number(
            store, order_id, text, declared_on=day, actor=ACTOR), done, self._refused,
            owner=self)

    def clear_number(self) -> None:
        line = self.current_line()
        if line is None or line.declaration is None:
            return
        order_id = line.order_id

        def done(_cleared) -> None:
            self._say(_("Cleared the declaration number of order {order}.").format(
                order=line.order_number))
            self.changed.emit()

        self.worker.submit(lambda store, _p, _c: export_declaration.clear_declaration_number(
            store, order_id, actor=ACTOR), done, self._refused, owner=self)

    def _refused(self, error: BaseException) -> None:
        self._say(error_text(error), BAD_COLOUR)
        self.number.setFocus()
