"""The local SQLite store (sqlite-utils): opening, migrating, repositories. No Qt."""

from fulfill.storage.store import Store

__all__ = ["Store"]
