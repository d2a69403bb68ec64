"""Why a document cannot be made, said before anything is drawn."""

from __future__ import annotations

from collections.abc import Iterable

from fulfill.documents import fonts
from fulfill.errors import FulfillError


class DocumentError(FulfillError):
    """A document that would print wrong: refused, with what to fix."""


def check_printable(fields: Iterable[tuple[str, str]], *, where: str = "") -> None:
    """Refuse text with characters no bundled font can draw: an empty box on a customs form
    or label is a parcel held at the border. `fields` are (what it is, text) pairs."""
    problems = []
    for label, text in fields:
        missing = fonts.unprintable(text)
        if missing:
            problems.append(f"{label} has {fonts.describe(missing)}")
    if problems:
        prefix = f"{where}: " if where else ""
        raise DocumentError(
            f"{prefix}cannot print: {'; '.join(problems)}.",
            "Edit the text to use other characters (for example the Latin form of the address), "
            "then print again.")
