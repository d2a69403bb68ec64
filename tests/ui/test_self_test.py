"""`fulfill --self-test`, as CI runs it against the frozen build: from source here."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from fulfill.ui import self_test

ROOT = Path(__file__).resolve().parents[2]


def test_the_self_test_passes_from_source_and_names_each_check(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FULFILL_HOME": str(tmp_path),
           "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "fulfill", "--self-test"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("fulfill ") and "from source" in lines[0]
    assert [line.split()[0] for line in lines[1:7]] == ["ok"] * 6
    assert "취소" in result.stdout and "Shopify, Amazon" in result.stdout
    assert "₩15,000" in result.stdout and "288 × 432 pt" in result.stdout
    assert lines[-1].startswith("all checks passed")
    assert not list(tmp_path.glob("*.sqlite"))  # it leaves nothing behind


def test_a_failing_check_is_named_and_the_others_still_run(qtbot, monkeypatch):
    def broken(_folder):
        raise RuntimeError("the fonts folder is missing")

    checks = dict(self_test.CHECKS)
    checks["fonts"] = broken
    monkeypatch.setattr(self_test, "CHECKS", tuple(checks.items()))
    out = io.StringIO()
    assert self_test.run_self_test(out) == 1
    text = out.getvalue()
    assert "FAILED  fonts: the fonts folder is missing" in text
    assert "ok      label:" in text and "1 check(s) failed" in text
