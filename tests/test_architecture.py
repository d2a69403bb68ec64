"""The layer rules of DESIGN.md, checked by walking every import in the package."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "fulfill"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).parts, _imports(path)


def test_the_package_is_walked():
    assert sum(1 for _ in _modules()) > 20


def test_only_ui_imports_pyside6():
    offenders = [
        "/".join(parts) for parts, names in _modules()
        if parts[0] != "ui" and any(n.split(".")[0] in ("PySide6", "shiboken6") for n in names)
    ]
    assert offenders == []


def test_domain_imports_nothing_of_ours():
    offenders = [
        "/".join(parts) for parts, names in _modules()
        if parts[0] == "domain" and any(n.startswith("fulfill.") and not n.startswith("fulfill.domain")
                                        for n in names)
    ]
    assert offenders == []


def test_channels_and_documents_never_import_storage():
    offenders = [
        "/".join(parts) for parts, names in _modules()
        if parts[0] in ("channels", "documents") and any(n.startswith("fulfill.storage") for n in names)
    ]
    assert offenders == []


def test_lower_layers_never_import_upper_ones():
    upper = {"storage": ("fulfill.services", "fulfill.ui"), "services": ("fulfill.ui",),
             "domain": ("fulfill.",)}
    offenders = [
        "/".join(parts) for parts, names in _modules()
        if parts[0] in upper and any(n.startswith(upper[parts[0]]) and not n.startswith("fulfill.domain")
                                     for n in names)
    ]
    assert offenders == []


def test_core_runs_without_qt():
    """Importing the whole core in a fresh interpreter must not load Qt."""
    import subprocess
    import sys

    code = (
        "import sys, fulfill.cli, fulfill.storage, fulfill.services.demo, fulfill.i18n\n"
        "import fulfill.storage.order_queries\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt loaded'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PACKAGE.parent)
