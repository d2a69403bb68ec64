"""The interface language at start-up: the seller's choice (Settings), else the system's.
Installs fulfill's catalogue and Qt's own (file dialogs, standard buttons) together, before
any window module is imported, so strings made at import time are translated as well."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication

from fulfill import i18n, translation

SETTING = "interface/language"
# Qt ships its own catalogues as qtbase_<locale>.qm; our language keys name them so.
_QT_LOCALES = {"ko": "ko", "ja": "ja", "zh_Hans": "zh_CN"}
_qt_translators: list[QTranslator] = []
# Dates, numbers and money in the interface language; English keeps the system's locale
# (an English interface in Germany still writes 19,90 €).
_DISPLAY_LOCALES = {"ko": "ko_KR", "ja": "ja_JP", "zh_Hans": "zh_Hans_CN"}


def chosen_language(settings: QSettings) -> str:
    saved = str(settings.value(SETTING, "") or "")
    return saved if saved in translation.LANGUAGES else translation.system_language()


def save_language(settings: QSettings, language: str) -> None:
    settings.setValue(SETTING, language)


def install_qt_translations(app: QApplication, language: str) -> bool:
    """Qt's own dialogs in `language`; False when Qt has no catalogue for it."""
    for old in _qt_translators:
        app.removeTranslator(old)
    _qt_translators.clear()
    qt_locale = _QT_LOCALES.get(language)
    if not qt_locale:
        return language == translation.ENGLISH
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(qt_locale), "qtbase", "_", folder):
        return False
    app.installTranslator(translator)
    _qt_translators.append(translator)
    return True


def install_interface_language(app: QApplication, settings: QSettings) -> str:
    """Install the chosen language for fulfill and for Qt; returns it."""
    language = translation.install(chosen_language(settings))
    install_qt_translations(app, language)
    i18n.set_display_locale(_DISPLAY_LOCALES.get(language))
    return language
