"""The Checks tab: what the period's paperwork still needs, parcel by parcel (an HS code, a
weight, a value, a rate, a declaration number, the seller profile), whether it stops the
declaration batch or the VAT statement or is only a warning, and a Fix button that opens
the place to fix it. The window decides where each fix leads."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from fulfill.services.export_checks import DECLARATION, STATEMENT, ExportProblem, Fix
from fulfill.translation import N_, _, ngettext
from fulfill.ui.export_dialogs import muted
from fulfill.ui.tables import ReadOnlyTable

COLUMNS = [N_("Missing"), N_("Order"), N_("What to do"), N_("Stops"), ""]
FIX_COLUMN = 4
WHAT = {"HS code": N_("HS code"), "weight": N_("Net weight"), "value": N_("Value"),
        "rate": N_("Customs rate"), "declaration number": N_("Declaration number"),
        "seller profile": N_("Seller profile")}
FIX_BUTTONS = {Fix.PRODUCT: N_("Open the product"), Fix.ORDER: N_("Show the order"),
               Fix.RATE: N_("Enter the rate"), Fix.DECLARATION: N_("Enter the number"),
               Fix.SELLER_PROFILE: N_("Seller profile")}


def stops_text(problem: ExportProblem) -> str:
    if problem.stops >= {DECLARATION, STATEMENT}:
        return _("Batch and statement")
    if DECLARATION in problem.stops:
        return _("Declaration batch")
    if STATEMENT in problem.stops:
        return _("VAT statement")
    return _("Warning only")


class ChecksPanel(QWidget):
    fix = Signal(object)  # the ExportProblem whose Fix button was pressed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problems: list[ExportProblem] = []
        self.fix_buttons: list[QPushButton] = []
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = ReadOnlyTable([_(words) for words in COLUMNS[:-1]] + [_("Fix")],
                                   (130, 150, 520, 150, 170), stretch=2)
        self.table.doubleClicked.connect(
            lambda index: self._fix_row(index.row()))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(muted(_("A problem that stops the batch keeps its order out of the "
                                 "declaration until it is fixed (or you leave the order out); "
                                 "a warning does not stop anything. Fix opens the place to "
                                 "fix it; the list updates when you come back.")))

    def show_problems(self, problems: list[ExportProblem]) -> None:
        self.problems = problems
        stops_batch = sum(1 for p in problems if DECLARATION in p.stops)
        stops_statement = sum(1 for p in problems if STATEMENT in p.stops)
        if not problems:
            self.summary.setText(_("Nothing is missing: the declaration batch and the VAT "
                                   "statement can be made for this period."))
        else:
            self.summary.setText(ngettext(
                "{n} thing to check: {batch} stop the declaration batch, {statement} the VAT "
                "statement, the rest are warnings.",
                "{n} things to check: {batch} stop the declaration batch, {statement} the VAT "
                "statement, the rest are warnings.", len(problems)).format(
                n=len(problems), batch=stops_batch, statement=stops_statement))
        self.table.fill([[
            (_(WHAT.get(p.what, p.what)), p.sku), (p.order_number, ""), (p.detail, p.detail),
            (stops_text(p), ""), ("", "")] for p in problems])
        self.fix_buttons = []
        for row, problem in enumerate(problems):
            button = QPushButton(_(FIX_BUTTONS[problem.fix]))
            button.clicked.connect(lambda _checked=False, p=problem: self.fix.emit(p))
            self.table.setCellWidget(row, FIX_COLUMN, button)
            self.fix_buttons.append(button)
        if self.fix_buttons:  # as wide as the widest button, in any language
            self.table.setColumnWidth(FIX_COLUMN, max(
                max(b.sizeHint().width() for b in self.fix_buttons) + 8,
                self.table.columnWidth(FIX_COLUMN)))

    def _fix_row(self, row: int) -> None:
        if 0 <= row < len(self.problems):
            self.fix.emit(self.problems[row])
