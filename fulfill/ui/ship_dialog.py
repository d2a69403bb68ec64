"""Mark an order shipped: carrier and tracking number; the platform hears through the outbox."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
)

from fulfill.domain import Order
from fulfill.translation import _

# What Korean sellers ship international parcels with, as platforms name them. Data, not
# interface text: the chosen name is stored and sent to the platform, so it stays untranslated.
CARRIERS = ["Korea Post EMS", "Korea Post K-Packet", "CJ Logistics", "Lotte Global", "Hanjin",
            "Qxpress", "DHL", "FedEx", "UPS", "Yamato", "Sagawa", "Japan Post", "Other"]


class ShipDialog(QDialog):
    def __init__(self, order: Order, platform_label: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Mark {number} shipped").format(number=order.order_number))
        self.carrier = QComboBox(editable=True)
        self.carrier.addItems(CARRIERS)
        self.tracking = QLineEdit(placeholderText=_("Scan or type the tracking number"))
        self.tracking.setMinimumWidth(280)
        self.hint = QLabel(_("{platform} will be told, now or as soon as fulfill is "
                             "online.").format(platform=platform_label))
        self.hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Mark shipped"))
        buttons.accepted.connect(self._accept_if_complete)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("Carrier"), self.carrier)
        form.addRow(_("Tracking number"), self.tracking)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.tracking.setFocus()

    def tracking_number(self) -> str:
        return "".join(self.tracking.text().split()).upper()

    def carrier_name(self) -> str:
        return self.carrier.currentText().strip()

    def _accept_if_complete(self) -> None:
        if not self.carrier_name():
            self.error.setText(_("Choose or type the carrier."))
            self.carrier.setFocus()
        elif len(self.tracking_number()) < 6:
            self.error.setText(_("Type the whole tracking number from the label (at least 6 "
                                 "characters)."))
            self.tracking.setFocus()
        else:
            self.accept()
