"""Buyer names as platforms split them (first / last) put back together the way they are written."""

from __future__ import annotations

from fulfill.domain import is_latin


def person_name(first: str | None, last: str | None) -> str:
    """Western order for Latin names; family name first, unspaced, for CJK ones (王芳, 김민수)."""
    first, last = (first or "").strip(), (last or "").strip()
    if first and last and not is_latin(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()
