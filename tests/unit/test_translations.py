"""The interface catalogues: every marked string is in them, Korean is complete, the compiled
.mo files match their .po, and no translation loses or invents a {placeholder}."""

from __future__ import annotations

import re
import sys
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import translations  # noqa: E402  (tools/translations.py)

from fulfill import translation  # noqa: E402

LANGUAGES = [code for code in translation.LANGUAGES if code != translation.ENGLISH]
PLACEHOLDER = re.compile(r"\{(\w*)\}")


@pytest.fixture(scope="module")
def template():
    return translations.extract()


def _ids(catalog) -> set:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def test_the_interface_marks_hundreds_of_strings(template):
    assert len(_ids(template)) > 500


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_interface_string_is_in_the_catalogue(template, language):
    catalog = translations._read(translations.po_path(language), language)
    missing = sorted(_ids(template) - _ids(catalog))
    assert not missing, f"run `python tools/translations.py update`: {missing[:10]}"


def test_korean_is_complete():
    missing = translations.untranslated("ko")
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language):
    catalog = translations._read(translations.po_path(language), language)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    mo = translations.po_path(language).with_suffix(".mo")
    assert mo.read_bytes() == compiled.getvalue(), "run `python tools/translations.py compile`"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    catalog = translations._read(translations.po_path(language), language)
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            if text and set(PLACEHOLDER.findall(text)) != wanted:
                wrong.append((ids[0], text))
    assert not wrong, wrong[:5]


def test_installing_a_language_translates_and_english_comes_back():
    try:
        assert translation.install("ko") == "ko"
        assert translation._("Welcome to fulfill") == "fulfill에 오신 것을 환영합니다"
        assert translation.install("xx") == "en"
        assert translation._("Welcome to fulfill") == "Welcome to fulfill"
    finally:
        translation.install("en")


@pytest.mark.parametrize(("system", "language"), [
    ("ko_KR.UTF-8", "ko"), ("ja_JP", "ja"), ("zh_CN", "zh_Hans"), ("zh_TW", "en"),
    ("de_DE", "en"), (None, "en"), ("C", "en")])
def test_the_system_locale_picks_the_interface_language(system, language):
    assert translation.language_for_locale(system) == language
