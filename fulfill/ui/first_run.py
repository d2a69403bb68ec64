"""The first run: a short wizard that walks a new seller to a profile the papers can print
with (names and addresses in English and Korean, business and customs numbers), the usual
carrier, and the printers. It can be skipped and reopened (Help → First-run setup), and it
offers the demo store for looking around first. The language can be changed on its first
page; the wizard then reappears in that language."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
    QWizard, QWizardPage,
)

from fulfill import translation
from fulfill.domain import Address, AddressText, SellerProfile
from fulfill.translation import N_, _
from fulfill.ui.printing import PrintersDialog
from fulfill.ui.ship_dialog import CARRIERS
from fulfill.ui.store_worker import with_own_store

if TYPE_CHECKING:
    from fulfill.storage import Store

DONE_SETTING = "first_run/done"
# What SellerProfile.missing() names (the domain has no translations), for the catalogue.
_GAP_WORDS = (N_("exporter name in English"), N_("exporter address in English"),
              N_("exporter phone number"), N_("name to sign the declarations with"))


@dataclass(frozen=True)
class FirstRunChoice:
    profile: SellerProfile
    carrier: str
    open_demo: bool


def first_run_needed(settings: QSettings) -> bool:
    return str(settings.value(DONE_SETTING, "")) != "true"


def mark_done(settings: QSettings) -> None:
    settings.setValue(DONE_SETTING, "true")


def _form(page: QWizardPage, rows: list[tuple[str, QWidget]], intro: str) -> None:
    """The page's layout: a line of explanation over a form."""
    layout = QVBoxLayout(page)
    hint = QLabel(intro)
    hint.setWordWrap(True)
    layout.addWidget(hint)
    form = QFormLayout()
    for label, edit in rows:
        form.addRow(label, edit)
    layout.addLayout(form)
    layout.addStretch(1)


class FirstRunWizard(QWizard):
    """Emits language_chosen when the seller picks another language on the first page."""

    language_chosen = Signal(str)

    def __init__(self, settings: QSettings, profile: SellerProfile | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(_("Welcome to fulfill"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setButtonText(QWizard.WizardButton.CustomButton1, _("Skip for now"))
        self.customButtonClicked.connect(lambda _which: self.reject())
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Start"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.edits: dict[str, QLineEdit] = {}
        for page in (self._welcome(), self._business(), self._address(), self._shipping(),
                     self._ready()):
            self.addPage(page)
        if profile is not None:
            self._fill(profile)
        self.currentIdChanged.connect(self._show_missing)
        self.resize(640, 520)

    # --- pages -----------------------------------------------------------------------
    def _edit(self, key: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(placeholderText=placeholder)
        edit.setObjectName(key)
        self.edits[key] = edit
        return edit

    def _welcome(self) -> QWizardPage:
        page = QWizardPage()
        page.setTitle(_("Welcome to fulfill"))
        self.language = QComboBox()
        for key, name in translation.LANGUAGES.items():
            self.language.addItem(name, key)
        self.language.setCurrentIndex(self.language.findData(translation.current_language()))
        self.language.currentIndexChanged.connect(
            lambda _i: self.language_chosen.emit(self.language.currentData()))
        _form(page, [(_("Language"), self.language)],
              _("A few questions so that your first labels and customs papers print right: "
                "your business, where parcels leave from, your carrier and your printers. "
                "Everything can be changed later, and you can skip this now."))
        return page

    def _business(self) -> QWizardPage:
        page = QWizardPage()
        page.setTitle(_("Your business"))
        _form(page, [
            (_("Company name in English"), self._edit("name_en", "Hanbit Trading Co., Ltd.")),
            (_("Company name in Korean"), self._edit("name_ko", "한빛무역 주식회사")),
            (_("Business number"), self._edit("business_number", "120-88-12345")),
            (_("Customs code"), self._edit("customs_code")),
            (_("Phone"), self._edit("phone", "+82 2 555 0142")),
            (_("Email"), self._edit("email")),
            (_("Name to sign papers with"), self._edit("signature_name")),
        ], _("The papers print the English name; the Korean name goes on Korean papers. The "
             "business number (사업자등록번호) and customs code (통관고유부호) go on export "
             "papers."))
        return page

    def _address(self) -> QWizardPage:
        page = QWizardPage()
        page.setTitle(_("Where your parcels leave from"))
        _form(page, [
            (_("Street (English)"), self._edit("line1_en", "3F, 45 Seongsui-ro 7-gil")),
            (_("District (English)"), self._edit("line2_en", "Seongdong-gu")),
            (_("City (English)"), self._edit("city_en", "Seoul")),
            (_("Postal code"), self._edit("postal_code", "04780")),
            (_("Street (Korean)"), self._edit("line1_ko", "성수이로7길 45, 3층")),
            (_("City (Korean)"), self._edit("city_ko", "서울특별시 성동구")),
        ], _("Customs papers and labels need the address in English; Korean papers use the "
             "Korean form."))
        return page

    def _shipping(self) -> QWizardPage:
        page = QWizardPage()
        page.setTitle(_("Carrier and printers"))
        self.carrier = QComboBox(editable=True)
        self.carrier.addItems(CARRIERS)
        printers = QPushButton(_("Choose printers…"))
        printers.clicked.connect(lambda: PrintersDialog(self.settings, self).exec())
        _form(page, [(_("Usual carrier"), self.carrier), (_("Printers"), printers)],
              _("The carrier you ship with most often is filled in when you ship. Choose the "
                "label printer (4 × 6 in) and the printer for invoices and customs forms, or "
                "let fulfill save PDFs to a folder."))
        return page

    def _ready(self) -> QWizardPage:
        page = QWizardPage()
        page.setTitle(_("Ready"))
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.demo = QCheckBox(_("Open the demo store first, to look around"))
        layout = QVBoxLayout(page)
        layout.addWidget(self.missing)
        layout.addWidget(self.demo)
        layout.addStretch(1)
        return page

    # --- the answers -----------------------------------------------------------------
    def _text(self, key: str) -> str:
        return self.edits[key].text().strip()

    def _fill(self, profile: SellerProfile) -> None:
        values = {"name_en": profile.name_en, "name_ko": profile.name_ko,
                  "business_number": profile.business_number,
                  "customs_code": profile.customs_code, "phone": profile.phone,
                  "email": profile.email, "signature_name": profile.signature_name}
        if profile.address_en is not None:
            typed = profile.address_en.typed
            values |= {"line1_en": typed.line1, "line2_en": typed.line2, "city_en": typed.city,
                       "postal_code": profile.address_en.postal_code}
        if profile.address_ko is not None:
            values |= {"line1_ko": profile.address_ko.typed.line1,
                       "city_ko": profile.address_ko.typed.city}
        for key, value in values.items():
            self.edits[key].setText(value)

    def profile(self) -> SellerProfile:
        postal = self._text("postal_code")
        english = Address(AddressText(self._text("name_en"), self._text("line1_en"),
                                      self._text("line2_en"), self._text("city_en")),
                          "KR", postal, self._text("phone"), self._text("email"))
        korean = Address(AddressText(self._text("name_ko"), self._text("line1_ko"),
                                     city=self._text("city_ko")), "KR", postal,
                         self._text("phone")) if self._text("line1_ko") else None
        return SellerProfile(
            name_en=self._text("name_en"), name_ko=self._text("name_ko"),
            address_en=english if self._text("line1_en") else None, address_ko=korean,
            business_number="".join(c for c in self._text("business_number") if c.isdigit()),
            customs_code=self._text("customs_code"), phone=self._text("phone"),
            email=self._text("email"), signature_name=self._text("signature_name"))

    def _show_missing(self, _page_id: int) -> None:
        gaps = self.profile().missing()
        if gaps:
            self.missing.setText(_("Still missing for the papers: {gaps}. You can add them "
                                   "later under Catalog → Seller profile.").format(
                gaps=", ".join(_(gap) for gap in gaps)))
        else:
            self.missing.setText(_("Your profile is complete: labels and customs papers can "
                                   "print."))

    def choice(self) -> FirstRunChoice:
        return FirstRunChoice(self.profile(), self.carrier.currentText().strip(),
                              self.demo.isChecked())


def save_answers(store: Store, choice: FirstRunChoice) -> None:
    """The wizard's answers into the store, over the profile already there (its tax numbers
    and return address stay)."""
    from fulfill.services.packing import CARRIER_KEY

    kept = store.settings.seller_profile()
    answers = choice.profile
    store.settings.save_seller_profile(replace(
        kept, name_en=answers.name_en, name_ko=answers.name_ko,
        address_en=answers.address_en or kept.address_en,
        address_ko=answers.address_ko or kept.address_ko,
        business_number=answers.business_number or kept.business_number,
        customs_code=answers.customs_code or kept.customs_code,
        phone=answers.phone or kept.phone, email=answers.email or kept.email,
        signature_name=answers.signature_name or kept.signature_name))
    if choice.carrier:
        store.settings.set(CARRIER_KEY, choice.carrier)


def save_choice(store_path: Path, choice: FirstRunChoice) -> None:
    """save_answers at start-up, before the store worker runs (the store is checked)."""
    with_own_store(store_path, lambda store: save_answers(store, choice))


def run_first_run(app, settings: QSettings, store_path: Path) -> bool:
    """Show the wizard (again in another language when the seller picks one); save what was
    answered. Returns True when the seller asked to open the demo store first."""
    from fulfill.ui.language import install_interface_language, save_language

    profile = with_own_store(store_path, lambda store: store.settings.seller_profile())
    while True:
        wizard = FirstRunWizard(settings, profile)
        switched: list[str] = []
        wizard.language_chosen.connect(lambda lang: (switched.append(lang), wizard.reject()))
        accepted = wizard.exec() == QWizard.DialogCode.Accepted
        if switched:
            save_language(settings, switched[-1])
            install_interface_language(app, settings)  # dates and money follow it too
            profile = wizard.profile()
            continue
        mark_done(settings)  # skipped or finished: it does not come back by itself
        if not accepted:
            return False
        choice = wizard.choice()
        save_choice(store_path, choice)
        return choice.open_demo
