"""The dialogs of the Returns screen: open a return from an order, record what inspection
found, record a refund. Each only gathers what the seller chose; fulfill.services.returns
checks it again and refuses with the reason, so a dialog never has the last word."""

from __future__ import annotations

from decimal import InvalidOperation

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
    QPlainTextEdit, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from fulfill.domain import Money, Order
from fulfill.domain.returns import (
    InspectionOutcome, PostagePaidBy, RefundMethod, ReturnKind, ReturnReason, Rma,
)
from fulfill.i18n import format_money
from fulfill.translation import N_, _, ngettext
from fulfill.ui import labels

ERROR_STYLE = "color: #b3261e"
# Who pays the return postage, and how refunds are paid, as the dialogs offer them (longer
# than their labels elsewhere); English here, translated where they are shown.
_POSTAGE = {PostagePaidBy.SELLER: N_("We pay (a return label or refund of the postage)"),
            PostagePaidBy.BUYER: N_("The buyer pays"),
            PostagePaidBy.PLATFORM: N_("The platform's label")}
_METHODS = {RefundMethod.PLATFORM: N_("Through the sales platform"),
            RefundMethod.PAYMENT_PROVIDER: N_("Card / PayPal / payment provider"),
            RefundMethod.BANK_TRANSFER: N_("Bank transfer"),
            RefundMethod.STORE_CREDIT: N_("Store credit"),
            RefundMethod.OTHER: N_("Other")}


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    return label


def _spin(maximum: int, value: int = 0) -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, maximum)
    box.setValue(value)
    return box


def _fit_columns(table: QTableWidget, first: int) -> None:
    """Columns from `first` on as wide as their headers (at least 90 px), and the table wide
    enough to show every column without scrolling."""
    header = table.horizontalHeader()
    for column in range(first, table.columnCount()):
        table.setColumnWidth(column, max(90, header.sectionSizeHint(column) + 12))
    width = sum(table.columnWidth(c) for c in range(table.columnCount()))
    table.setMinimumWidth(width + 2 * table.frameWidth()
                          + table.verticalScrollBar().sizeHint().width())


def _lines_table(headers: list[str], rows: int) -> QTableWidget:
    table = QTableWidget(rows, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 14)
    table.horizontalHeader().setStretchLastSection(False)
    table.setColumnWidth(0, 120)
    table.setColumnWidth(1, 260)
    return table


class NewReturnDialog(QDialog):
    """Open a return, exchange or refund without return from one order: which pieces (never
    more than can still come back), why, and who pays the postage back."""

    def __init__(self, order: Order, returnable: dict[str, int], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("New return for order {number}").format(
            number=order.order_number))
        self.kind = QComboBox()
        for kind in ReturnKind:
            self.kind.addItem(labels.return_kind(kind), kind)
        self.reason = QComboBox()
        for reason in ReturnReason:
            self.reason.addItem(labels.return_reason(reason), reason)
        self.postage = QComboBox()
        for who, words in _POSTAGE.items():
            self.postage.addItem(_(words), who)
        self.note = QPlainTextEdit(placeholderText=_("What the buyer wrote, photos received…"))
        self.note.setFixedHeight(70)
        self._skus: list[str] = []
        # Translators: column header: how many pieces of the item may still be returned.
        can_come_back = _("Can come back")
        self.table = _lines_table([_("SKU"), _("Item"), can_come_back, _("Pieces")], 0)
        seen: set[str] = set()
        for line in order.lines:
            if line.sku in seen:
                continue
            seen.add(line.sku)
            row = self.table.rowCount()
            self.table.insertRow(row)
            left = returnable.get(line.sku, 0)
            for column, text in enumerate((line.sku, line.title, str(left))):
                self.table.setItem(row, column, QTableWidgetItem(text))
            self.table.setCellWidget(row, 3, _spin(left, 1 if left and len(order.lines) == 1 else 0))
            self._skus.append(line.sku)
        _fit_columns(self.table, 2)
        self.table.setMinimumHeight(min(60 + 34 * len(self._skus), 260))
        self.error = _error_label()
        if not any(returnable.values()):
            self.error.setText(_("Nothing on this order can come back: it has not shipped, or "
                                 "every piece is on a return already. A refund without return "
                                 "is still possible."))
        self.reason.currentIndexChanged.connect(self._suggest_postage)
        self._suggest_postage()
        form = QFormLayout()
        form.addRow(_("What the buyer asks"), self.kind)
        form.addRow(_("Reason"), self.reason)
        form.addRow(_("Return postage"), self.postage)
        form.addRow(_("Note"), self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("Items coming back")))
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, _("Open return")))

    def _suggest_postage(self) -> None:
        reason = ReturnReason(self.reason.currentData())  # combo data comes back a plain str
        who = PostagePaidBy.SELLER if reason.seller_at_fault else PostagePaidBy.BUYER
        self.postage.setCurrentIndex(self.postage.findData(who))

    def choice(self) -> dict:
        """Keyword arguments for services.returns.open_rma."""
        lines = {sku: self.table.cellWidget(row, 3).value()
                 for row, sku in enumerate(self._skus) if self.table.cellWidget(row, 3).value()}
        # Combo boxes hand their data back as plain strings: the enums again for the service.
        return {"kind": ReturnKind(self.kind.currentData()),
                "reason": ReturnReason(self.reason.currentData()),
                "postage_paid_by": PostagePaidBy(self.postage.currentData()),
                "note": self.note.toPlainText().strip(), "lines": lines}

    def accept(self) -> None:
        choice = self.choice()
        if not choice["lines"] and choice["kind"] is not ReturnKind.REFUND_ONLY:
            self.error.setText(_("Choose how many pieces of which item come back."))
            return
        super().accept()


class InspectDialog(QDialog):
    """What each returned piece turned out to be. Resellable pieces go back in stock."""

    def __init__(self, rma: Rma, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Inspect {code}").format(code=rma.code))
        self.rma = rma
        outcomes = list(InspectionOutcome)
        self.table = _lines_table([_("SKU"), _("Item"), _("Pieces")]
                                  + [labels.inspection_outcome(o) for o in outcomes],
                                  len(rma.lines))
        for row, line in enumerate(rma.lines):
            for column, text in enumerate((line.sku, line.title, str(line.quantity))):
                self.table.setItem(row, column, QTableWidgetItem(text))
            for n, outcome in enumerate(outcomes):
                default = line.quantity if outcome is InspectionOutcome.RESELLABLE else 0
                self.table.setCellWidget(row, 3 + n, _spin(line.quantity, default))
        _fit_columns(self.table, 2)
        self.restock = QCheckBox(_("Put resellable pieces back in stock"))
        self.restock.setChecked(True)
        self.note = QLineEdit(placeholderText=_("Note (e.g. seal broken, box crushed)"))
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Count every piece once: resellable, damaged or missing.")))
        layout.addWidget(self.table)
        layout.addWidget(self.restock)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, _("Record inspection")))

    def outcomes(self) -> dict[str, dict[InspectionOutcome, int]]:
        return {line.sku: {outcome: self.table.cellWidget(row, 3 + n).value()
                           for n, outcome in enumerate(InspectionOutcome)}
                for row, line in enumerate(self.rma.lines)}

    def accept(self) -> None:
        for line, found in zip(self.rma.lines, self.outcomes().values()):
            if sum(found.values()) != line.quantity:
                self.error.setText(ngettext(
                    "{sku}: {quantity} piece came back, the outcomes count {count}.",
                    "{sku}: {quantity} pieces came back, the outcomes count {count}.",
                    line.quantity).format(sku=line.sku, quantity=line.quantity,
                                          count=sum(found.values())))
                return
        super().accept()


class RefundDialog(QDialog):
    """Money paid back: the amount in the order's currency (what the RMA's items are worth is
    suggested), how, and a note. More than is still refundable is refused here already."""

    def __init__(self, rma: Rma, suggested: Money, refundable: Money, locale: str | None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Refund on {code}").format(code=rma.code))
        self.currency = rma.currency
        self.refundable, self.locale = refundable, locale
        self.amount = QLineEdit(str(suggested.to_decimal()) if suggested.minor else "")
        self.amount.setPlaceholderText(_("Amount in {currency}").format(currency=rma.currency))
        self.method = QComboBox()
        for method, words in _METHODS.items():
            self.method.addItem(_(words), method)
        self.note = QLineEdit(placeholderText=_("Platform refund id, bank reference…"))
        at_most = _("At most {amount} can still be refunded on the order.").format(
            amount=format_money(refundable, locale))
        if rma.refunded.minor:
            already = _("{amount} refunded on this RMA so far.").format(
                amount=format_money(rma.refunded, locale))
            at_most = f"{already} {at_most}"
        hint = QLabel(at_most)
        hint.setWordWrap(True)
        self.error = _error_label()
        form = QFormLayout()
        form.addRow(_("Amount ({currency})").format(currency=rma.currency), self.amount)
        form.addRow(_("Paid back by"), self.method)
        form.addRow(_("Note"), self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, _("Record refund")))
        self.setMinimumWidth(420)  # room for the hint in longer languages
        self.amount.selectAll()

    def money(self) -> Money | None:
        try:
            return Money.parse(self.amount.text().strip().replace(",", ""), self.currency)
        except (ValueError, InvalidOperation, ArithmeticError):
            return None

    def choice(self) -> dict:
        return {"amount": self.money(), "method": RefundMethod(self.method.currentData()),
                "note": self.note.text().strip()}

    def accept(self) -> None:
        amount = self.money()
        if amount is None or amount.minor <= 0:
            self.error.setText(_("Type the amount paid back, e.g. 12.50 ({currency}).").format(
                currency=self.currency))
        elif amount.minor > self.refundable.minor:
            self.error.setText(_("At most {amount} can still be refunded on the order.").format(
                amount=format_money(self.refundable, self.locale)))
        else:
            super().accept()
