"""`fulfill --self-test`: prove a build (frozen or from source) has what it needs at run time.

Each check runs the real code path a user's first minutes would: open and migrate a store,
register the bundled fonts, format money with babel's locale data, render a 4x6 label and
load it with QtPdf, load the interface's and Qt's translations, load every platform's connector. A build that lost a resource, a Qt plugin or a hidden import fails here,
in CI, instead of on a seller's desk. Prints one line per check; exit status 0 when all pass.
"""

from __future__ import annotations

import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from fulfill import __version__

# What babel must know for the interface and the papers; the amounts print in each locale.
MONEY_SAMPLES = (("ko_KR", "KRW", "15000"), ("en_US", "USD", "1234.50"),
                 ("ja_JP", "JPY", "1200"), ("zh_CN", "CNY", "99.90"), ("de_DE", "EUR", "19.90"))


def _store(folder: Path) -> str:
    from fulfill.services import demo
    from fulfill.storage import Store

    with Store.open(folder / "self-test.sqlite") as store:
        demo.seed(store, 12, now=datetime(2026, 1, 5, tzinfo=UTC))
        version = store.db.execute("PRAGMA user_version").fetchone()[0]
        orders = store.orders.count()
    return f"store created and migrated to schema version {version}, {orders} orders"


def _fonts(_folder: Path) -> str:
    from fulfill.documents import fonts

    fonts.register()
    missing = fonts.unprintable("서울 東京 上海 台北 Müller")
    if missing:
        raise RuntimeError(f"no bundled font draws {fonts.describe(missing)}")
    return "Korean, Japanese, Chinese and Latin text all have a font"


def _money(_folder: Path) -> str:
    from fulfill.domain import Money
    from fulfill.i18n import format_money

    shown = [format_money(Money.parse(amount, currency), locale)
             for locale, currency, amount in MONEY_SAMPLES]
    return " · ".join(shown)


def _label(folder: Path) -> str:
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    from fulfill.services import papers
    from fulfill.storage import Store
    from fulfill.ui.printing import load_pdf

    with Store.open(folder / "self-test.sqlite") as store:
        ready = papers.order_ids_for(store, status="awaiting_shipment")[:1]
        if not ready:
            raise RuntimeError("the sample store has no order to print")
        job = papers.render(store, ready, "label")
    document: QPdfDocument = load_pdf(job.pdf)
    size = document.pagePointSize(0)
    image = document.render(0, QSize(406, 609))
    inked = sum(1 for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
                if image.pixelColor(x, y).lightness() < 128)
    if image.isNull() or inked < 50:
        raise RuntimeError("QtPdf drew a blank label")
    return (f"label PDF of {len(job.pdf):,} bytes, {size.width():.0f} × {size.height():.0f} pt, "
            "drawn by QtPdf")


def _languages(_folder: Path) -> str:
    from PySide6.QtWidgets import QApplication

    from fulfill import translation
    from fulfill.ui.language import install_qt_translations

    found = []
    try:
        for language in ("ko", "ja", "zh_Hans"):
            if translation.install(language) != language:
                raise RuntimeError(f"the {language} catalogue is missing from the build")
            if not install_qt_translations(QApplication.instance(), language):
                raise RuntimeError(f"Qt's own {language} catalogue is missing from the build")
            found.append(translation._("Cancel"))
    finally:
        translation.install(translation.ENGLISH)
        install_qt_translations(QApplication.instance(), translation.ENGLISH)
    return "interface catalogues and Qt's load: " + " · ".join(found)


def _channels(_folder: Path) -> str:
    """Connectors and sandboxes are imported by name when an account needs them, so a build
    can lose them silently; load each one and its sandbox."""
    from fulfill.channels.registry import KINDS

    for kind in KINDS.values():
        kind.connector_class()
        kind.sandbox_class()
    return "connectors and sandboxes load: " + ", ".join(p.label for p in KINDS)


CHECKS: tuple[tuple[str, Callable[[Path], str]], ...] = (
    ("store", _store), ("fonts", _fonts), ("money", _money), ("label", _label),
    ("languages", _languages), ("channels", _channels))


def run_self_test(out: TextIO = sys.stdout) -> int:
    """Run every check (even after a failure, so one run names everything broken)."""
    from fulfill.ui.app import application

    application()
    started = time.perf_counter()
    failed = 0
    frozen = "frozen build" if getattr(sys, "frozen", False) else "from source"
    print(f"fulfill {__version__} self-test ({frozen}, Python {sys.version.split()[0]})",
          file=out)
    with tempfile.TemporaryDirectory(prefix="fulfill-self-test-") as folder:
        for name, check in CHECKS:
            try:
                print(f"  ok      {name}: {check(Path(folder))}", file=out)
            except Exception as error:  # every failure is reported, then the next check runs
                failed += 1
                print(f"  FAILED  {name}: {error}", file=out)
                traceback.print_exc(file=out)
    took = time.perf_counter() - started
    print(f"{'all checks passed' if not failed else f'{failed} check(s) failed'} "
          f"in {took:.1f} s", file=out)
    return 0 if not failed else 1
