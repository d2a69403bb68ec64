"""The seller profile: the exporter every invoice, CN22/CN23 and label names, and the address
returned parcels go to.

`open_seller_profile()` reads the profile on the StoreWorker, shows the dialog and saves it
there too, so the dialog itself only turns fields into a SellerProfile and back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QGroupBox,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from fulfill.domain import Address, AddressText, ItemCategory, SellerProfile
from fulfill.domain.customs import INCOTERMS
from fulfill.translation import _
from fulfill.ui.account_dialog import BAD_COLOUR, MUTED_COLOUR
from fulfill.ui.store_worker import StoreWorker

_COUNTRY = re.compile(r"^[A-Z]{2}$")
# The combo's words; the Incoterm code itself (the item's data) is what the papers print.
INCOTERM_HELP = {"DAP": _("DAP — the buyer pays import duties and taxes on delivery"),
                 "DDP": _("DDP — you pay import duties and taxes (the carrier bills you)")}
# The reason for export as the combo shows it; the papers print ItemCategory.english.
CATEGORY_LABELS = {
    ItemCategory.SALE_OF_GOODS: _("Sale of goods"),
    ItemCategory.GIFT: _("Gift"),
    ItemCategory.COMMERCIAL_SAMPLE: _("Commercial sample"),
    ItemCategory.DOCUMENTS: _("Documents"),
    ItemCategory.RETURNED_GOODS: _("Returned goods"),
    ItemCategory.OTHER: _("Other"),
}
# (field of AddressText or Address, caption, English placeholder, Korean placeholder): the
# placeholders are examples of what to type in that language, so they are not translated.
_ADDRESS_ROWS = (
    ("line1", _("Street:"), "3F, 45 Seongsui-ro 7-gil", "성수이로7길 45, 3층"),
    ("line2", _("District:"), "Seongdong-gu", "성동구"),
    ("city", _("City:"), "Seoul", "서울특별시"),
    ("region", _("Province:"), "", ""),
    ("postal_code", _("Postal code:"), "04780", "04780"),
)


def _country_edit() -> QLineEdit:
    edit = QLineEdit(placeholderText="KR")
    edit.setMaxLength(2)
    edit.setFixedWidth(60)
    return edit


def _address_grid(edits: dict[str, dict[str, QLineEdit]], country: QLineEdit, *,
                  first: tuple[str, QLineEdit, QLineEdit], hints: bool = True) -> QGridLayout:
    """An address in English and Korean side by side: a first row (the name), the rows of
    _ADDRESS_ROWS (with example placeholders when `hints`), and the country. Fills `edits`
    (language -> field -> edit)."""
    grid = QGridLayout()
    grid.setColumnStretch(1, 1)
    grid.setColumnStretch(2, 1)
    grid.addWidget(QLabel(_("<b>In English</b>")), 0, 1)
    grid.addWidget(QLabel(_("<b>In Korean</b> (한국어)")), 0, 2)
    caption, english, korean = first
    grid.addWidget(QLabel(caption), 1, 0)
    grid.addWidget(english, 1, 1)
    grid.addWidget(korean, 1, 2)
    for row, (key, label, en_hint, ko_hint) in enumerate(_ADDRESS_ROWS, start=2):
        grid.addWidget(QLabel(label), row, 0)
        for column, (language, hint) in enumerate((("en", en_hint), ("ko", ko_hint)), start=1):
            edit = QLineEdit(placeholderText=hint if hints else "")
            edits[language][key] = edit
            grid.addWidget(edit, row, column)
    country_row = len(_ADDRESS_ROWS) + 2
    grid.addWidget(QLabel(_("Country:")), country_row, 0)
    grid.addWidget(country, country_row, 1, Qt.AlignmentFlag.AlignLeft)
    return grid


def _fill_address(edits: dict[str, QLineEdit], address: Address | None) -> None:
    if address is None:
        return
    for key, edit in edits.items():
        source = address if key == "postal_code" else address.typed
        edit.setText(getattr(source, key))


def _muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {MUTED_COLOUR}")
    return label


class SellerProfileDialog(QDialog):
    """Every SellerProfile field; `profile()` gives the edited profile back."""

    def __init__(self, profile: SellerProfile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._original = profile
        self.setWindowTitle(_("Seller profile"))

        # --- the exporter, in English and Korean side by side -------------------------
        self.name_en = QLineEdit(placeholderText="Hanbit Trading Co., Ltd.")
        self.name_ko = QLineEdit(placeholderText="한빛무역 주식회사")
        self.address: dict[str, dict[str, QLineEdit]] = {"en": {}, "ko": {}}
        self.country = _country_edit()
        grid = _address_grid(self.address, self.country, first=(_("Company name:"), self.name_en,
                                                                 self.name_ko))
        exporter = QGroupBox(_("Exporter"))
        exporter_layout = QVBoxLayout(exporter)
        exporter_layout.addLayout(grid)
        exporter_layout.addWidget(_muted(_("The English form goes on every paper; the Korean "
                                           "form on the export declaration and Korean papers.")))

        # --- where returned parcels go, when not to the exporter address ----------------
        self.return_name_en = QLineEdit(placeholderText=_("the company name"))
        self.return_name_ko = QLineEdit(placeholderText="회사명")
        self.return_address: dict[str, dict[str, QLineEdit]] = {"en": {}, "ko": {}}
        self.return_country = _country_edit()
        return_grid = _address_grid(self.return_address, self.return_country,
                                    first=(_("Addressee:"), self.return_name_en,
                                           self.return_name_ko),
                                    hints=False)
        self.separate_returns = QCheckBox(_("Re&turns go to another address than the "
                                            "exporter's"))
        self.return_fields = QWidget()
        self.return_fields.setLayout(return_grid)
        return_grid.setContentsMargins(0, 0, 0, 0)
        self.separate_returns.toggled.connect(self.return_fields.setVisible)
        self.separate_returns.toggled.connect(self._show_missing)
        returns_box = QGroupBox(_("Return address"))
        returns_layout = QVBoxLayout(returns_box)
        returns_layout.addWidget(self.separate_returns)
        returns_layout.addWidget(self.return_fields)
        returns_layout.addWidget(_muted(_("RMA slips and the customs papers of returns are "
                                          "addressed to it.")))

        # --- identity and contact -----------------------------------------------------
        self.business_number = QLineEdit(placeholderText="120-88-12345")
        self.customs_code = QLineEdit(placeholderText=_("통관고유부호, e.g. {example}").format(
            example="한빛무1A2B3C4"))
        self.phone = QLineEdit(placeholderText="+82 2 555 0142")
        self.email = QLineEdit(placeholderText="export@example.com")
        self.signature_name = QLineEdit(placeholderText="Kim Min-ji")
        identity = QGroupBox(_("Registration and contact"))
        identity_form = QFormLayout(identity)
        identity_form.addRow(_("&Business number:"), self.business_number)
        identity_form.addRow(_("C&ustoms code:"), self.customs_code)
        identity_form.addRow(_("&Phone:"), self.phone)
        identity_form.addRow(_("&Email:"), self.email)
        identity_form.addRow(_("&Signed by:"), self.signature_name)
        identity_form.addRow("", _muted(_("The name printed under the declarations' "
                                          "signature.")))

        # --- declaration defaults -----------------------------------------------------
        self.incoterm = QComboBox()
        for term in INCOTERMS:
            self.incoterm.addItem(INCOTERM_HELP.get(term, term), term)
        self.category = QComboBox()
        for category in ItemCategory:
            self.category.addItem(CATEGORY_LABELS.get(category, category.english),
                                  category.value)
        self.category_warning = QLabel()
        self.category_warning.setWordWrap(True)
        self.category_warning.setStyleSheet(f"color: {BAD_COLOUR}")
        defaults = QGroupBox(_("Declaration defaults"))
        defaults_form = QFormLayout(defaults)
        defaults_form.addRow(_("&Incoterm:"), self.incoterm)
        defaults_form.addRow(_("&Reason for export:"), self.category)
        defaults_form.addRow("", self.category_warning)

        # --- tax numbers per destination ----------------------------------------------
        self.tax_ids = QTableWidget(0, 2)
        self.tax_ids.setHorizontalHeaderLabels([_("Country / EU"), _("IOSS / VAT number")])
        self.tax_ids.verticalHeader().setVisible(False)
        self.tax_ids.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tax_ids.setColumnWidth(0, 100)
        self.tax_ids.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tax_ids.setMinimumHeight(5 * self.fontMetrics().height() + 16)
        add_tax = QPushButton(_("&Add"))
        add_tax.setAutoDefault(False)
        add_tax.clicked.connect(lambda: self._add_tax_row("", ""))
        remove_tax = QPushButton(_("Re&move"))
        remove_tax.setAutoDefault(False)
        remove_tax.clicked.connect(self._remove_tax_row)
        tax_buttons = QHBoxLayout()
        tax_buttons.addWidget(add_tax)
        tax_buttons.addWidget(remove_tax)
        tax_buttons.addStretch(1)
        taxes = QGroupBox(_("Tax numbers per destination"))
        taxes_layout = QVBoxLayout(taxes)
        taxes_layout.addWidget(_muted(_("“EU” is your IOSS number, used for every EU country; a "
                                        "country code (GB, NO, AU…) is that country's VAT/GST "
                                        "number.")))
        taxes_layout.addWidget(self.tax_ids, 1)
        taxes_layout.addLayout(tax_buttons)

        # --- layout -------------------------------------------------------------------
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {BAD_COLOUR}")
        self.error.setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        left = QVBoxLayout()
        left.addWidget(exporter)
        left.addWidget(identity)
        right = QVBoxLayout()
        right.addWidget(defaults)
        right.addWidget(returns_box)
        right.addWidget(taxes, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 4)
        columns.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.missing)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        self._fill(profile)
        for edit in (self.name_en, self.name_ko, *self.address["en"].values(),
                     *self.address["ko"].values()):
            edit.setMinimumWidth(210)
            edit.setCursorPosition(0)
        for edit in (self.return_name_en, self.return_name_ko,
                     *self.return_address["en"].values(), *self.return_address["ko"].values()):
            edit.setMinimumWidth(150)
            edit.setCursorPosition(0)
        for edit in (self.name_en, self.phone, self.signature_name, self.address["en"]["line1"],
                     *self.return_address["en"].values(), *self.return_address["ko"].values()):
            edit.textChanged.connect(self._show_missing)
        self.category.currentIndexChanged.connect(self._show_category_warning)
        self._show_missing()
        self._show_category_warning()
        self.name_en.setFocus()

    # --- profile <-> fields -----------------------------------------------------------
    def _fill(self, profile: SellerProfile) -> None:
        self.name_en.setText(profile.name_en)
        self.name_ko.setText(profile.name_ko)
        for language, address in (("en", profile.address_en), ("ko", profile.address_ko)):
            _fill_address(self.address[language], address)
        home = profile.address_en or profile.address_ko
        self.country.setText(home.country_code if home else "KR")
        names = {"en": profile.name_en, "ko": profile.name_ko}
        for language, address, name_edit in (
                ("en", profile.return_address_en, self.return_name_en),
                ("ko", profile.return_address_ko, self.return_name_ko)):
            _fill_address(self.return_address[language], address)
            if address is not None and address.typed.name != names[language]:
                name_edit.setText(address.typed.name)  # else the company name, left implicit
        returns_home = profile.return_address_en or profile.return_address_ko
        self.return_country.setText(returns_home.country_code if returns_home else "")
        self.separate_returns.setChecked(returns_home is not None)
        self.return_fields.setVisible(returns_home is not None)
        self.business_number.setText(profile.business_number)
        self.customs_code.setText(profile.customs_code)
        self.phone.setText(profile.phone)
        self.email.setText(profile.email)
        self.signature_name.setText(profile.signature_name)
        self.incoterm.setCurrentIndex(max(self.incoterm.findData(profile.default_incoterm), 0))
        self.category.setCurrentIndex(max(self.category.findData(profile.default_category.value), 0))
        for destination, number in sorted(profile.tax_ids.items()):
            self._add_tax_row(destination, number)

    def _address(self, language: str, name: str) -> Address | None:
        original = self._original.address_en if language == "en" else self._original.address_ko
        return self._edited_address(self.address[language], self.country, name, original)

    def _return_address(self, language: str, company: str) -> Address | None:
        """The return address in one language; its addressee is the company unless named."""
        if not self.separate_returns.isChecked():
            return None
        name_edit = self.return_name_en if language == "en" else self.return_name_ko
        original = (self._original.return_address_en if language == "en"
                    else self._original.return_address_ko)
        country = self.return_country if self.return_country.text().strip() else self.country
        return self._edited_address(self.return_address[language], country,
                                    name_edit.text().strip() or company, original)

    def _edited_address(self, edits: dict[str, QLineEdit], country_edit: QLineEdit, name: str,
                        original: Address | None) -> Address | None:
        fields = {key: edit.text().strip() for key, edit in edits.items()}
        if not any(fields.values()):
            return None
        postal = fields.pop("postal_code")
        country = country_edit.text().strip().upper() or "KR"
        if original is not None:  # keep what the dialog does not show (its own phone, company)
            return replace(original, typed=replace(original.typed, name=name, **fields),
                           country_code=country, postal_code=postal)
        return Address(AddressText(name=name, **fields), country, postal,
                       self.phone.text().strip(), self.email.text().strip())

    def tax_numbers(self) -> dict[str, str]:
        numbers = {}
        for row in range(self.tax_ids.rowCount()):
            cells = [self.tax_ids.item(row, c) for c in (0, 1)]
            destination, number = ((c.text().strip() if c else "") for c in cells)
            if destination or number:
                numbers[destination.upper()] = number
        return numbers

    def profile(self) -> SellerProfile:
        name_en = self.name_en.text().strip()
        name_ko = self.name_ko.text().strip()
        return SellerProfile(
            name_en=name_en, name_ko=name_ko,
            address_en=self._address("en", name_en), address_ko=self._address("ko", name_ko),
            business_number=self.business_number.text().strip(),
            customs_code=self.customs_code.text().strip(), phone=self.phone.text().strip(),
            email=self.email.text().strip(), signature_name=self.signature_name.text().strip(),
            default_incoterm=self.incoterm.currentData(),
            default_category=ItemCategory(self.category.currentData()),
            tax_ids=self.tax_numbers(),
            return_address_en=self._return_address("en", name_en),
            return_address_ko=self._return_address("ko", name_ko),
        )

    # --- small behaviours -------------------------------------------------------------
    def _add_tax_row(self, destination: str, number: str) -> None:
        row = self.tax_ids.rowCount()
        self.tax_ids.insertRow(row)
        self.tax_ids.setItem(row, 0, QTableWidgetItem(destination))
        self.tax_ids.setItem(row, 1, QTableWidgetItem(number))
        if not destination:
            self.tax_ids.setCurrentCell(row, 0)
            self.tax_ids.editItem(self.tax_ids.item(row, 0))

    def _remove_tax_row(self) -> None:
        row = self.tax_ids.currentRow()
        if row >= 0:
            self.tax_ids.removeRow(row)

    def _show_missing(self) -> None:
        try:
            profile = self.profile()
        except ValueError:  # a half-typed country code: the check on Save says so
            return
        gaps = profile.missing()
        if profile.return_address_ko is not None and profile.return_address_en is None:
            gaps.append(_("return address in English (parcels from abroad are addressed in "
                          "it)"))
        if gaps:
            # Translators: the separator between the items of a list ("HS code, net weight").
            what = _(", ").join(gaps)
            self.missing.setText(f"<span style='color:{BAD_COLOUR}'>"
                                 + escape(_("Papers cannot print without: {gaps}.").format(
                                     gaps=what)) + "</span>")
        else:
            self.missing.setText(f"<span style='color:{MUTED_COLOUR}'>"
                                 + _("Everything the papers need is filled in.") + "</span>")

    def _show_category_warning(self) -> None:
        gift = self.category.currentData() == ItemCategory.GIFT.value
        self.category_warning.setText(
            _("“Gift” is only for goods you give away. Declaring a sale as a gift is a false "
              "declaration: customs can seize the parcel and fine you.") if gift else "")
        self.category_warning.setVisible(gift)

    def _accept_if_valid(self) -> None:
        for edit in (self.country, self.return_country):
            country = edit.text().strip().upper()
            if country and not _COUNTRY.match(country):
                self._complain(_("Country is a two-letter code such as KR."), edit)
                return
        digits = re.sub(r"[\s-]", "", self.business_number.text())
        if digits and not (digits.isdigit() and len(digits) == 10):
            self._complain(_("The business registration number has 10 digits "
                             "(123-45-67890)."), self.business_number)
            return
        destinations = [d for d in self.tax_numbers() if d]
        bad = [d for d in destinations if not _COUNTRY.match(d)]
        if bad or "" in self.tax_numbers():
            self._complain(_("Each tax number needs a destination: EU or a two-letter country "
                             "code."), self.tax_ids)
            return
        self.accept()

    def _complain(self, text: str, widget: QWidget) -> None:
        self.error.setText(text)
        self.error.setVisible(True)
        widget.setFocus()


def open_seller_profile(parent: QWidget, worker: StoreWorker,
                        on_saved: Callable[[SellerProfile], None] | None = None) -> None:
    """Read the profile on the worker, let the seller edit it, save it on the worker."""

    def failed(error: BaseException) -> None:
        QMessageBox.warning(parent, _("Seller profile"),
                            _("The seller profile could not be read or saved: {error}").format(
                                error=error))

    def loaded(profile: SellerProfile) -> None:
        dialog = SellerProfileDialog(profile, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        parent.seller_profile_dialog = dialog  # tests and screenshots reach it here

        def accepted() -> None:
            edited = dialog.profile()

            def save(store, _progress, _cancel) -> SellerProfile:
                store.settings.save_seller_profile(edited)
                return edited

            worker.submit(save, on_saved, failed, owner=parent)

        dialog.accepted.connect(accepted)
        dialog.open()

    worker.submit(lambda store, _p, _c: store.settings.seller_profile(), loaded, failed,
                  owner=parent)
