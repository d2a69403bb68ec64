"""Sales platforms and the seller's accounts on them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Platform(enum.StrEnum):
    SHOPIFY = "shopify"
    AMAZON = "amazon"
    EBAY = "ebay"
    ETSY = "etsy"
    WOOCOMMERCE = "woocommerce"
    SHOPEE = "shopee"
    CAFE24 = "cafe24"
    NAVER = "naver"
    COUPANG = "coupang"
    QOO10 = "qoo10"
    FILE_IMPORT = "file_import"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Platform.SHOPIFY: "Shopify",
    Platform.AMAZON: "Amazon",
    Platform.EBAY: "eBay",
    Platform.ETSY: "Etsy",
    Platform.WOOCOMMERCE: "WooCommerce",
    Platform.SHOPEE: "Shopee",
    Platform.CAFE24: "Cafe24",
    Platform.NAVER: "Naver Smart Store",
    Platform.COUPANG: "Coupang",
    Platform.QOO10: "Qoo10",
    Platform.FILE_IMPORT: "File import",
}


@dataclass(slots=True)
class ChannelAccount:
    """One shop on one platform. Secrets are never here: they live in the OS keychain."""

    platform: Platform
    name: str
    settings: dict[str, Any] = field(default_factory=dict)
    id: int | None = None

    @property
    def short_label(self) -> str:
        """"Shopee TW": enough to tell a seller's shops apart in a narrow column."""
        region = self.settings.get("region", "")
        return f"{self.platform.label} {region}".strip()

    @property
    def display_name(self) -> str:
        """"Shopify · Seoul Glow", or just the name when it already says the platform
        ("Shopify (sandbox)", not "Shopify · Shopify (sandbox)")."""
        if self.name.casefold().startswith(self.platform.label.casefold()):
            return self.name
        return f"{self.platform.label} · {self.name}"
