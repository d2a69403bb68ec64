"""A Store: one open store file with its repositories."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from fulfill.storage.catalog import AccountRepository, ProductRepository
from fulfill.storage.database import DEFAULT_BUSY_TIMEOUT_S, open_store_db, store_errors
from fulfill.storage.exports import ExportRepository
from fulfill.storage.orders import OrderRepository
from fulfill.storage.packing import PackingRepository
from fulfill.storage.returns import ReturnRepository
from fulfill.storage.settings import StoreSettings


class Store:
    """Owns one connection; use it only from the thread that opened it."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path
        self.accounts = AccountRepository(db)
        self.products = ProductRepository(db)
        self.orders = OrderRepository(db)
        self.settings = StoreSettings(db)
        self.packing = PackingRepository(db)
        self.returns = ReturnRepository(db)
        self.exports = ExportRepository(db)

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        create: bool = True,
        check_integrity: bool = True,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT_S,
    ) -> Store:
        path = Path(path)
        db = open_store_db(path, create=create, check_integrity=check_integrity,
                           busy_timeout=busy_timeout)
        return cls(db, path)

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """SQLite errors raised inside become StoreError with advice for the user."""
        with store_errors(self.path):
            yield

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
