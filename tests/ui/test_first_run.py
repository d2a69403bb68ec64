"""The first run, in Korean: the wizard walks a new seller to a profile the papers accept;
it can be skipped, and picking another language shows it again in that language."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWizard

from fulfill import i18n, translation
from fulfill.services.packing import CARRIER_KEY
from fulfill.storage import Store
from fulfill.ui.first_run import (
    FirstRunWizard, first_run_needed, run_first_run, save_choice,
)
from fulfill.ui.language import install_qt_translations
from tests.ui.conftest import type_text

ANSWERS = {
    "name_en": "Hanbit Trading Co., Ltd.", "name_ko": "한빛무역 주식회사",
    "business_number": "120-88-12345", "customs_code": "한빛무1A2B3C4",
    "phone": "+82 2 555 0142", "email": "export@hanbit.example", "signature_name": "김민지",
    "line1_en": "3F, 45 Seongsui-ro 7-gil", "line2_en": "Seongdong-gu", "city_en": "Seoul",
    "postal_code": "04780", "line1_ko": "성수이로7길 45, 3층", "city_ko": "서울특별시 성동구",
}


def to_last_page(wizard) -> None:
    for _page in wizard.pageIds():
        if wizard.currentId() == wizard.pageIds()[-1]:
            return
        wizard.next()
    raise AssertionError(f"the wizard stayed on page {wizard.currentId()}")


@pytest.fixture
def korean():
    assert translation.install("ko") == "ko"
    yield
    translation.install("en")


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_a_first_run_in_korean_walks_a_new_seller_to_a_ready_profile(
        qtbot, korean, settings, store_path):
    Store.open(store_path).close()
    wizard = FirstRunWizard(settings)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.windowTitle() == "fulfill에 오신 것을 환영합니다"
    assert wizard.buttonText(QWizard.WizardButton.NextButton) == "다음 >"
    assert wizard.language.currentData() == "ko"
    wizard.next()
    assert wizard.currentPage().title() == "사업자 정보"
    for key, value in ANSWERS.items():
        type_text(wizard.edits[key], value)
    to_last_page(wizard)
    assert wizard.missing.text().startswith("판매자 정보가 모두 입력되었습니다")
    wizard.carrier.setCurrentText("Korea Post EMS")
    choice = wizard.choice()
    assert choice.profile.missing() == [] and not choice.open_demo
    save_choice(store_path, choice)
    with Store.open(store_path) as store:
        profile = store.settings.seller_profile()
        assert profile.missing() == [] and profile.name_ko == "한빛무역 주식회사"
        assert profile.business_number == "1208812345"
        assert profile.address_ko.typed.line1 == "성수이로7길 45, 3층"
        assert store.settings.get(CARRIER_KEY) == "Korea Post EMS"


def test_gaps_are_named_in_korean(qtbot, korean, settings):
    wizard = FirstRunWizard(settings)
    qtbot.addWidget(wizard)
    wizard.show()
    type_text(wizard.edits["name_en"], "Hanbit")
    to_last_page(wizard)
    text = wizard.missing.text()
    assert "영문 수출자 주소" in text and "수출자 전화번호" in text and "영문 수출자명" not in text


def test_choosing_a_language_shows_the_wizard_again_in_it_and_skipping_ends_it(
        qtbot, settings, store_path):
    Store.open(store_path).close()
    titles = []

    def act():
        wizard = QApplication.activeModalWidget()
        if not isinstance(wizard, QWizard):
            QTimer.singleShot(20, act)
            return
        titles.append(wizard.windowTitle())
        if len(titles) == 1:
            wizard.language.setCurrentIndex(wizard.language.findData("ko"))
            QTimer.singleShot(20, act)
        else:
            wizard.button(QWizard.WizardButton.CustomButton1).click()  # "Skip for now"

    QTimer.singleShot(0, act)
    try:
        assert run_first_run(QApplication.instance(), settings, store_path) is False
    finally:
        translation.install("en")
        install_qt_translations(QApplication.instance(), "en")
        i18n.set_display_locale(None)  # the switch to Korean set it for dates and money
    assert titles == ["Welcome to fulfill", "fulfill에 오신 것을 환영합니다"]
    assert settings.value("interface/language") == "ko"
    assert not first_run_needed(settings)
