"""The interface's gettext catalogues, with babel:

  python tools/translations.py extract   # strings in fulfill/ -> resources/translations/fulfill.pot
  python tools/translations.py update    # the .pot merged into each language's .po
                                         # (and any translations in fragments/*.<lang>.po)
  python tools/translations.py compile   # each .po -> .mo, what the app loads
  python tools/translations.py check     # untranslated or fuzzy strings per language
  python tools/translations.py missing ko   # those strings, each with the files that use it

Strings are marked with _(), ngettext() and N_() from fulfill.translation.
"""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fulfill.translation import DOMAIN, ENGLISH, LANGUAGES  # noqa: E402

FOLDER = ROOT / "resources" / "translations"
TEMPLATE = FOLDER / f"{DOMAIN}.pot"
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None}


def po_path(language: str) -> Path:
    return FOLDER / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Catalog:
    """Every marked string in fulfill/, with where it is used."""
    catalog = Catalog(project="fulfill", domain=DOMAIN)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT / "fulfill"), method_map=[("**.py", "python")], keywords=KEYWORDS,
            comment_tags=("Translators:",), strip_comment_tags=True):
        catalog.add(message, locations=[(f"fulfill/{filename}", lineno)],
                    auto_comments=comments, context=context)
    return catalog


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = BytesIO()
    write_po(buffer, catalog, width=100, sort_by_file=True)
    path.write_bytes(buffer.getvalue())


def update() -> None:
    template = extract()
    _write(template, TEMPLATE)
    for language in LANGUAGES:
        if language == ENGLISH:
            continue
        path = po_path(language)
        catalog = _read(path, language) if path.exists() else Catalog(locale=language,
                                                                       domain=DOMAIN)
        catalog.update(template, no_fuzzy_matching=True)
        for fragment in sorted((FOLDER / "fragments").glob(f"*.{language}.po")):
            for message in _read(fragment, language):
                if message.id and message.string and message.id in catalog:
                    catalog[message.id].string = message.string
        catalog.obsolete.clear()
        _write(catalog, path)


def compile_all() -> None:
    for language in LANGUAGES:
        if language == ENGLISH or not po_path(language).exists():
            continue
        catalog = _read(po_path(language), language)
        with po_path(language).with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)


def untranslated(language: str) -> list[str]:
    """The strings of the catalogue not (or only fuzzily) translated into `language`."""
    catalog = _read(po_path(language), language)
    return [str(m.id) for m in catalog if m.id and (m.fuzzy or not (
        all(m.string) if isinstance(m.string, tuple) else m.string))]


def missing_by_file(language: str) -> dict[str, list[str]]:
    """The untranslated strings of `language`, grouped by the source files that use them."""
    catalog = _read(po_path(language), language)
    wanted = set(untranslated(language))
    found: dict[str, list[str]] = {}
    for message in catalog:
        key = str(message.id) if message.id else ""
        if key in wanted:
            files = ", ".join(sorted({path for path, _line in message.locations}))
            found.setdefault(files, []).append(message.id if isinstance(message.id, str)
                                               else message.id[0])
    return found


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "extract":
        _write(extract(), TEMPLATE)
    elif command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        for language in LANGUAGES:
            if language != ENGLISH and po_path(language).exists():
                missing = untranslated(language)
                print(f"{language}: {len(missing)} untranslated")
    elif command == "missing" and len(argv) > 2:
        for files, ids in sorted(missing_by_file(argv[2]).items()):
            print(f"{files}: {len(ids)}")
            for msgid in ids:
                print(f"    {msgid}")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
