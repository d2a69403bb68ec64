"""The platforms fulfill connects to: connector and sandbox for each, imported on demand."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from fulfill.domain import ChannelAccount, Platform


@dataclass(frozen=True)
class ChannelKind:
    platform: Platform
    connector: str  # "module:Class"
    sandbox: str  # "module:Class"; the module also defines SECRETS and account_settings(url)

    def connector_class(self) -> type:
        return _load(self.connector)

    def sandbox_class(self) -> type:
        return _load(self.sandbox)

    def sandbox_module(self) -> Any:
        return importlib.import_module(self.sandbox.split(":")[0])


def _load(target: str) -> Any:
    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)


def _kind(platform: Platform, name: str, title: str) -> ChannelKind:
    return ChannelKind(platform, f"fulfill.channels.{name}.client:{title}Connector",
                       f"fulfill.sandboxes.{name}:{title}Sandbox")


KINDS: dict[Platform, ChannelKind] = {
    kind.platform: kind
    for kind in (
        _kind(Platform.SHOPIFY, "shopify", "Shopify"),
        _kind(Platform.AMAZON, "amazon", "Amazon"),
        _kind(Platform.EBAY, "ebay", "Ebay"),
        _kind(Platform.ETSY, "etsy", "Etsy"),
        _kind(Platform.WOOCOMMERCE, "woocommerce", "WooCommerce"),
        _kind(Platform.SHOPEE, "shopee", "Shopee"),
        _kind(Platform.CAFE24, "cafe24", "Cafe24"),
        _kind(Platform.QOO10, "qoo10", "Qoo10"),
        _kind(Platform.COUPANG, "coupang", "Coupang"),
        _kind(Platform.NAVER, "naver", "Naver"),
    )
}


def connector_for(account: ChannelAccount, secrets: dict[str, str]):
    """A connector for a saved account, or KeyError when fulfill has none for its platform."""
    return KINDS[account.platform].connector_class()(account, secrets)
