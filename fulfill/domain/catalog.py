"""Products the seller ships, with what customs asks about them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HS_CODE = re.compile(r"^\d{6}(\d{4})?$")


def normalize_hs_code(code: str) -> str:
    """Digits only: "3304.99-1000" -> "3304991000"."""
    return re.sub(r"[\s.\-]", "", code)


@dataclass(frozen=True, slots=True)
class Product:
    """A stock-keeping unit.

    hs_code: 6-digit HS or 10-digit Korean HSK. customs_descriptions maps a language
    code ("en", "zh-Hans", "ja") to the plain words customs reads.
    """

    sku: str
    title: str
    hs_code: str = ""
    origin_country: str = "KR"
    unit_weight_g: int = 0
    barcode: str = ""
    titles: dict[str, str] = field(default_factory=dict)
    customs_descriptions: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.sku.strip():
            raise ValueError("A product needs a SKU")
        if self.hs_code and not _HS_CODE.match(self.hs_code):
            raise ValueError(
                f"HS code {self.hs_code!r} for {self.sku}: use 6 digits (HS) or 10 digits (HSK)"
            )
        if self.unit_weight_g < 0:
            raise ValueError(f"Weight of {self.sku} cannot be negative")
