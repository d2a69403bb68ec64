"""Translations run longer than English: with every interface string doubled in length, the
main screens must still show each label, button and check box whole.

The stretched catalogue has to be installed before the window modules are imported (strings
made at import time), so the screens are opened in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import gettext, json, re, sys
    from datetime import UTC, datetime
    from pathlib import Path

    from fulfill import translation

    def stretch(text):
        # The text, then its words again: twice as long, placeholders kept once.
        extra = re.sub(r"\\{\\w*\\}", "", text).replace("&", "").strip()
        return f"{text} {extra}" if extra else text

    class Stretched(gettext.NullTranslations):
        def gettext(self, message):
            return stretch(message)

        def ngettext(self, singular, plural, n):
            return stretch(singular if n == 1 else plural)

    translation.install_catalog(Stretched(), "stretched")

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import (
        QAbstractButton, QCheckBox, QLabel, QPushButton, QRadioButton,
    )
    from fulfill.services import demo
    from fulfill.storage import Store
    from fulfill.ui.app import application
    from fulfill.ui.main_window import MainWindow

    app = application()
    home = Path(sys.argv[1])
    store_path = home / "demo.sqlite"
    with Store.open(store_path) as store:
        demo.seed(store, 120, now=datetime.now(UTC), returns=True, exports=True)
    settings = QSettings(str(home / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store_path, demo=True, settings=settings)
    window.resize(1440, 900)
    window.show()

    def settle(seconds=1.5):
        end = datetime.now().timestamp() + seconds
        while datetime.now().timestamp() < end:
            app.processEvents()

    def clipped(top, screen):
        found = []
        widgets = [*top.findChildren(QLabel), *top.findChildren(QAbstractButton)]
        for widget in widgets:
            if not widget.isVisible() or widget.width() <= 0:
                continue
            if isinstance(widget, QLabel):
                text = widget.text()
                if not text or widget.pixmap() is not None and not widget.pixmap().isNull():
                    continue
                if widget.wordWrap():
                    need = widget.heightForWidth(widget.width())
                    short = need > widget.height() + 2
                else:
                    short = widget.sizeHint().width() > widget.width() + 2
            elif isinstance(widget, (QPushButton, QCheckBox, QRadioButton)):
                text = widget.text()
                short = bool(text) and widget.sizeHint().width() > widget.width() + 2
            else:
                continue
            if short:
                found.append(f"{screen}: {type(widget).__name__} {text[:60]!r}")
        return found

    problems = []
    settle()
    problems += clipped(window, "orders desk")
    returns = window.show_returns()
    returns.resize(1440, 860)
    settle()
    problems += clipped(returns, "returns")
    returns.close()
    window.open_pack_mode()
    window.pack_window.resize(1440, 860)
    settle(2.5)
    problems += clipped(window.pack_window, "pack mode")
    window.pack_window.close()
    window.show_channels()
    settle()
    problems += clipped(window.channels, "channels")
    window.channels.close()
    window.show_products()
    settle()
    problems += clipped(window.products_window, "products")
    window.products_window.close()
    exports = window.show_exports()
    exports.resize(1440, 860)
    settle()
    for index in range(exports.tabs.count()):
        exports.tabs.setCurrentIndex(index)
        settle(0.5)
        problems += clipped(exports, f"exports tab {index}")
    exports.edit_settings()
    settle(1.0)
    problems += clipped(exports.settings_dialog, "export settings")
    exports.settings_dialog.reject()
    dialog = exports.enter_rate("USD", datetime(2026, 7, 5).date())
    settle(0.5)
    problems += clipped(dialog, "customs rate")
    dialog.reject()
    print(json.dumps(problems))
    window.close()
""")


def test_doubled_strings_clip_nothing_on_the_main_screens(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FULFILL_HOME": str(tmp_path),
           "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], env=env,
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    problems = json.loads(result.stdout.strip().splitlines()[-1])
    assert not problems, "\n".join(problems)
