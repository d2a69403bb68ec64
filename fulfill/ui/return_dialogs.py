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

ERROR_STYLE = "color: #b3261e"
_POSTAGE = {PostagePaidBy.SELLER: "We pay (a return label or refund of the postage)",
            PostagePaidBy.BUYER: "The buyer pays", PostagePaidBy.PLATFORM: "The platform's label"}
_METHODS = {RefundMethod.PLATFORM: "Through the sales platform",
            RefundMethod.PAYMENT_PROVIDER: "Card / PayPal / payment provider",
            RefundMethod.BANK_TRANSFER: "Bank transfer", RefundMethod.STORE_CREDIT: "Store credit",
            RefundMethod.OTHER: "Other"}


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
        self.setWindowTitle(f"New return for order {order.order_number}")
        self.kind = QComboBox()
        for kind in ReturnKind:
            self.kind.addItem(kind.label, kind)
        self.reason = QComboBox()
        for reason in ReturnReason:
            self.reason.addItem(reason.label, reason)
        self.postage = QComboBox()
        for who, words in _POSTAGE.items():
            self.postage.addItem(words, who)
        self.note = QPlainTextEdit(placeholderText="What the buyer wrote, photos received…")
        self.note.setFixedHeight(70)
        self._skus: list[str] = []
        self.table = _lines_table(["SKU", "Item", "Can come back", "Pieces"], 0)
        self.table.setColumnWidth(2, 110)
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
        self.table.setMinimumWidth(620)
        self.table.setMinimumHeight(min(60 + 34 * len(self._skus), 260))
        self.error = _error_label()
        if not any(returnable.values()):
            self.error.setText("Nothing on this order can come back: it has not shipped, or every "
                               "piece is on a return already. A refund without return is still "
                               "possible.")
        self.reason.currentIndexChanged.connect(self._suggest_postage)
        self._suggest_postage()
        form = QFormLayout()
        form.addRow("What the buyer asks", self.kind)
        form.addRow("Reason", self.reason)
        form.addRow("Return postage", self.postage)
        form.addRow("Note", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Items coming back"))
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, "Open return"))

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
            self.error.setText("Choose how many pieces of which item come back.")
            return
        super().accept()


class InspectDialog(QDialog):
    """What each returned piece turned out to be. Resellable pieces go back in stock."""

    def __init__(self, rma: Rma, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Inspect {rma.code}")
        self.rma = rma
        outcomes = list(InspectionOutcome)
        self.table = _lines_table(["SKU", "Item", "Pieces"] + [o.value.capitalize() for o in outcomes],
                                  len(rma.lines))
        for row, line in enumerate(rma.lines):
            for column, text in enumerate((line.sku, line.title, str(line.quantity))):
                self.table.setItem(row, column, QTableWidgetItem(text))
            for n, outcome in enumerate(outcomes):
                default = line.quantity if outcome is InspectionOutcome.RESELLABLE else 0
                self.table.setCellWidget(row, 3 + n, _spin(line.quantity, default))
        self.table.setMinimumWidth(700)
        self.restock = QCheckBox("Put resellable pieces back in stock")
        self.restock.setChecked(True)
        self.note = QLineEdit(placeholderText="Note (e.g. seal broken, box crushed)")
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Count every piece once: resellable, damaged or missing."))
        layout.addWidget(self.table)
        layout.addWidget(self.restock)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, "Record inspection"))

    def outcomes(self) -> dict[str, dict[InspectionOutcome, int]]:
        return {line.sku: {outcome: self.table.cellWidget(row, 3 + n).value()
                           for n, outcome in enumerate(InspectionOutcome)}
                for row, line in enumerate(self.rma.lines)}

    def accept(self) -> None:
        for line, found in zip(self.rma.lines, self.outcomes().values()):
            if sum(found.values()) != line.quantity:
                self.error.setText(f"{line.sku}: {line.quantity} piece(s) came back, the "
                                   f"outcomes count {sum(found.values())}.")
                return
        super().accept()


class RefundDialog(QDialog):
    """Money paid back: the amount in the order's currency (what the RMA's items are worth is
    suggested), how, and a note. More than is still refundable is refused here already."""

    def __init__(self, rma: Rma, suggested: Money, refundable: Money, locale: str | None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Refund on {rma.code}")
        self.currency = rma.currency
        self.refundable = refundable
        self.amount = QLineEdit(str(suggested.to_decimal()) if suggested.minor else "")
        self.amount.setPlaceholderText(f"Amount in {rma.currency}")
        self.method = QComboBox()
        for method, words in _METHODS.items():
            self.method.addItem(words, method)
        self.note = QLineEdit(placeholderText="Platform refund id, bank reference…")
        already = (f"{format_money(rma.refunded, locale)} refunded on this RMA so far. "
                   if rma.refunded.minor else "")
        hint = QLabel(f"{already}At most {format_money(refundable, locale)} can still be "
                      "refunded on the order.")
        hint.setWordWrap(True)
        self.error = _error_label()
        form = QFormLayout()
        form.addRow(f"Amount ({rma.currency})", self.amount)
        form.addRow("Paid back by", self.method)
        form.addRow("Note", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, "Record refund"))
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
            self.error.setText(f"Type the amount paid back, e.g. 12.50 ({self.currency}).")
        elif amount.minor > self.refundable.minor:
            self.error.setText(f"At most {self.refundable} can still be refunded on this order.")
        else:
            super().accept()
