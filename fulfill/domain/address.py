"""Postal addresses as the buyer typed them, with a Latin form for carriers and customs."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


# Letters of Latin script whose Unicode names do not say LATIN ("3º B" in a Spanish address).
_LATIN_EXTRAS = frozenset("ºª")


# Latin-1 letters and Latin Extended A/B and Additional: no closer look needed.
_NEEDS_A_LOOK = re.compile("[^\x00-\x7f\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")


@lru_cache(maxsize=4096)
def _non_latin_letter(char: str) -> bool:
    return (char.isalpha() and char not in _LATIN_EXTRAS
            and not unicodedata.name(char, "").startswith("LATIN"))


def is_latin(text: str) -> bool:
    """True when every letter is Latin script (accents allowed): "Zoë Müller" yes, "王芳" no."""
    if text.isascii():
        return True
    return not any(map(_non_latin_letter, _NEEDS_A_LOOK.findall(text)))


@dataclass(frozen=True, slots=True)
class AddressText:
    """The written parts of an address, all in one script."""

    name: str
    line1: str
    line2: str = ""
    city: str = ""
    region: str = ""
    company: str = ""

    def lines(self) -> list[str]:
        """Non-empty lines, name first, in the order a label prints them."""
        parts = [self.name, self.company, self.line1, self.line2]
        locality = ", ".join(p for p in (self.city, self.region) if p)
        return [p for p in (*parts, locality) if p]

    def is_latin(self) -> bool:
        return all(is_latin(part) for part in self.lines())


@dataclass(frozen=True, slots=True)
class Address:
    """A delivery address.

    `typed` is what the buyer entered, in any script; `latin` is the romanised form that
    carriers and customs need. For an address already in Latin script `latin` may be None.
    """

    typed: AddressText
    country_code: str
    postal_code: str = ""
    phone: str = ""
    email: str = ""
    latin: AddressText | None = None

    def __post_init__(self) -> None:
        if not _COUNTRY_CODE.match(self.country_code):
            raise ValueError(
                f"Country {self.country_code!r} is not an ISO 3166 two-letter code such as KR or US"
            )

    @property
    def for_carrier(self) -> AddressText:
        """The form to print for a carrier: the Latin one when there is one."""
        return self.latin or self.typed

    @property
    def needs_latin_form(self) -> bool:
        """True when the typed address is not Latin and no Latin form was given yet."""
        return self.latin is None and not self.typed.is_latin()
