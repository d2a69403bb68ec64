"""The interface language: gettext catalogues made with babel, chosen once at start-up.

Interface strings are written in English and wrapped: `_("Sync now")`, `ngettext("%(n)d
order", "%(n)d orders", n) % {"n": n}`. The language is installed before the windows are
imported (fulfill.ui.app does it from the saved setting, else the system's), so strings
made when a module loads are translated too; switching language takes effect on restart.
Documents choose their own languages per destination (fulfill.documents.captions); this
module is only the interface's.

Catalogues: resources/translations/<lang>/LC_MESSAGES/fulfill.po, compiled to .mo by
`python tools/translations.py compile` (extract / update / compile, all with babel).
"""

from __future__ import annotations

import gettext as _gettext
import locale as _locale
from pathlib import Path

from fulfill import paths

DOMAIN = "fulfill"
ENGLISH = "en"
# The interface languages offered in Settings, in their own words.
LANGUAGES = {"en": "English", "ko": "한국어", "ja": "日本語", "zh_Hans": "简体中文"}
# Locales that pick an interface language ("ko_KR" -> "ko"; Traditional Chinese stays English).
_BY_LOCALE = {"ko": "ko", "ja": "ja", "zh_CN": "zh_Hans", "zh_SG": "zh_Hans", "zh_Hans": "zh_Hans"}

_current: _gettext.NullTranslations = _gettext.NullTranslations()
_language = ENGLISH


def translations_dir() -> Path:
    return paths.resources_dir() / "translations"


def language_for_locale(code: str | None) -> str:
    """The interface language for a system locale such as "ko_KR.UTF-8"; English otherwise."""
    code = (code or "").split(".")[0].replace("-", "_")
    if code in _BY_LOCALE:
        return _BY_LOCALE[code]
    return _BY_LOCALE.get(code.split("_")[0], ENGLISH)


def system_language() -> str:
    return language_for_locale(_locale.getlocale()[0])


def install(language: str | None) -> str:
    """Use `language` (a LANGUAGES key; None or unknown: English) for every string from now
    on. Returns the language installed; English when its catalogue is missing."""
    global _current, _language
    wanted = language if language in LANGUAGES else ENGLISH
    if wanted == ENGLISH:
        _current, _language = _gettext.NullTranslations(), ENGLISH
        return _language
    try:
        _current = _gettext.translation(DOMAIN, translations_dir(), languages=[wanted])
        _language = wanted
    except OSError:
        _current, _language = _gettext.NullTranslations(), ENGLISH
    return _language


def install_catalog(catalog: _gettext.NullTranslations, language: str) -> None:
    """Use a catalogue made elsewhere (the layout test's stretched pseudo-language)."""
    global _current, _language
    _current, _language = catalog, language


def current_language() -> str:
    return _language


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 (gettext's name)
    """Marks a string for the catalogue where it must stay English now and be translated
    where it is shown (an enum's label kept in data)."""
    return message
