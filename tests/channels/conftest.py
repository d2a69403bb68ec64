"""Channel tests talk to real HTTP servers on loopback and keep secrets in a test keychain."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "channels"


def shared_fixture(platform: str, name: str) -> Path:
    """A real payload published by the platform; the test skips when shared/ is absent."""
    path = SHARED_FIXTURES / platform / name
    if not path.exists():
        pytest.skip(f"shared fixture {platform}/{name} not available")
    return path
