"""The Returns screen's dialogs hold the seller to what the returns service would accept."""

from __future__ import annotations

from datetime import UTC, datetime

from fulfill.domain import Money, OrderLine
from fulfill.domain.returns import (
    InspectionOutcome, PostagePaidBy, RefundMethod, ReturnKind, ReturnReason, ReturnStatus, Rma, RmaLine,
)
from fulfill.ui.return_dialogs import InspectDialog, NewReturnDialog, RefundDialog
from tests.factories import german_address, order

NOW = datetime(2026, 11, 20, tzinfo=UTC)


def two_line_order():
    return order(1, "#3001", address=german_address(), currency="EUR", lines=[
        OrderLine("SG-A", "Serum", 3, Money(1990, "EUR")),
        OrderLine("SG-B", "Toner", 1, Money(1500, "EUR"))])


def rma(**kwargs):
    values = {"order_id": 1, "kind": ReturnKind.RETURN, "reason": ReturnReason.DAMAGED,
              "status": ReturnStatus.RECEIVED, "currency": "EUR",
              "lines": [RmaLine("SG-A", 2, "Serum", Money(1990, "EUR"))],
              "postage_paid_by": PostagePaidBy.SELLER, "opened_at": NOW, "id": 7}
    values.update(kwargs)
    return Rma(**values)


def test_a_new_return_never_asks_for_more_than_can_come_back(qtbot):
    dialog = NewReturnDialog(two_line_order(), {"SG-A": 2, "SG-B": 0})
    qtbot.addWidget(dialog)
    spin_a, spin_b = (dialog.table.cellWidget(row, 3) for row in range(2))
    assert (spin_a.maximum(), spin_b.maximum()) == (2, 0)
    spin_a.setValue(5)  # clamped to what shipped less what is already on a return
    assert dialog.choice()["lines"] == {"SG-A": 2}
    spin_a.setValue(0)
    dialog.accept()
    assert dialog.result() == 0 and "Choose how many" in dialog.error.text()
    dialog.reason.setCurrentIndex(dialog.reason.findData(ReturnReason.CHANGED_MIND))
    assert dialog.postage.currentData() == PostagePaidBy.BUYER
    dialog.reason.setCurrentIndex(dialog.reason.findData(ReturnReason.WRONG_ITEM))
    assert dialog.postage.currentData() == PostagePaidBy.SELLER
    dialog.kind.setCurrentIndex(dialog.kind.findData(ReturnKind.REFUND_ONLY))
    dialog.accept()  # a refund without return may name no items
    choice = dialog.choice()
    assert dialog.result() == 1 and choice["kind"] is ReturnKind.REFUND_ONLY
    assert choice["reason"] is ReturnReason.WRONG_ITEM and choice["postage_paid_by"] is \
        PostagePaidBy.SELLER


def test_inspection_counts_every_piece_once(qtbot):
    dialog = InspectDialog(rma())
    qtbot.addWidget(dialog)
    assert dialog.outcomes() == {"SG-A": {InspectionOutcome.RESELLABLE: 2,
                                          InspectionOutcome.DAMAGED: 0,
                                          InspectionOutcome.MISSING: 0}}
    dialog.table.cellWidget(0, 4).setValue(1)  # one damaged as well as two resellable: three
    dialog.accept()
    assert dialog.result() == 0 and "outcomes count 3" in dialog.error.text()
    dialog.table.cellWidget(0, 3).setValue(1)
    dialog.accept()
    assert dialog.result() == 1


def test_a_refund_is_typed_in_the_orders_currency_within_what_is_left(qtbot):
    dialog = RefundDialog(rma(), Money(3980, "EUR"), Money(4000, "EUR"), "en_US")
    qtbot.addWidget(dialog)
    assert dialog.amount.text() == "39.80"
    for typed, complaint in (("40.01", "At most"), ("abc", "Type the amount"), ("0", "Type the"),
                             ("1.234", "Type the amount")):
        dialog.amount.setText(typed)
        dialog.accept()
        assert dialog.result() == 0 and complaint in dialog.error.text(), typed
    dialog.amount.setText("1,000.5")
    assert dialog.money() == Money(100050, "EUR")
    dialog.amount.setText("40.00")
    dialog.accept()
    choice = dialog.choice()
    assert dialog.result() == 1 and choice["amount"] == Money(4000, "EUR")
    assert choice["method"] is RefundMethod.PLATFORM
