"""Where fulfill keeps its data, settings and logs, and where its resources are.

FULFILL_HOME overrides everything (portable use, tests); otherwise the platform's usual place.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from fulfill import APP_NAME


def data_dir() -> Path:
    override = os.environ.get("FULFILL_HOME")
    if override:
        base = Path(override)
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / APP_NAME
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / APP_NAME
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / APP_NAME
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_store_path() -> Path:
    return data_dir() / "store.sqlite"


def demo_store_path() -> Path:
    return data_dir() / "demo.sqlite"


def settings_file() -> Path:
    return data_dir() / "settings.ini"


def backups_dir(store_path: Path) -> Path:
    """Backups sit beside the store they belong to, so moving a store moves its backups."""
    return store_path.parent / "backups"


def resources_dir() -> Path:
    """resources/ from a source checkout, or from inside a frozen build."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
