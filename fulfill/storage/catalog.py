"""Channel accounts and products in the store."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import NamedTuple

from sqlite_utils import Database

from fulfill.domain import ChannelAccount, Platform, Product
from fulfill.storage.audit import now_text
from fulfill.storage.database import in_chunks, marks


_PRODUCT_COLUMNS = ("sku, title, hs_code, origin_country, unit_weight_g, barcode, titles,"
                    " customs_descriptions")


def _product(row: tuple) -> Product:
    return Product(*row[:6], titles=json.loads(row[6]), customs_descriptions=json.loads(row[7]))


class UnknownSku(NamedTuple):
    """A SKU on order lines with no product: what to add to the catalogue."""

    sku: str
    title: str  # of its latest order line
    orders: int  # how many orders name it


class AccountRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, account: ChannelAccount) -> ChannelAccount:
        """Store an account (or find the one with the same platform and name) and set its id."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO channel_accounts (platform, name, settings, created_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (platform, name) DO UPDATE SET settings = excluded.settings",
                [account.platform.value, account.name, json.dumps(account.settings), now_text()],
            )
            account.id = self.db.execute(
                "SELECT id FROM channel_accounts WHERE platform = ? AND name = ?",
                [account.platform.value, account.name],
            ).fetchone()[0]
        return account

    def all(self) -> list[ChannelAccount]:
        return [
            ChannelAccount(id=r[0], platform=Platform(r[1]), name=r[2], settings=json.loads(r[3]))
            for r in self.db.execute(
                "SELECT id, platform, name, settings FROM channel_accounts ORDER BY platform, name"
            )
        ]


class ProductRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, products: Iterable[Product]) -> None:
        rows = [
            (p.sku, p.title, json.dumps(p.titles, ensure_ascii=False), p.hs_code, p.origin_country,
             p.unit_weight_g, p.barcode, json.dumps(p.customs_descriptions, ensure_ascii=False),
             now_text())
            for p in products
        ]
        with self.db.atomic():
            self.db.conn.executemany(
                "INSERT INTO products (sku, title, titles, hs_code, origin_country, unit_weight_g,"
                " barcode, customs_descriptions, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (sku) DO UPDATE SET title = excluded.title, titles = excluded.titles,"
                " hs_code = excluded.hs_code, origin_country = excluded.origin_country,"
                " unit_weight_g = excluded.unit_weight_g, barcode = excluded.barcode,"
                " customs_descriptions = excluded.customs_descriptions,"
                " updated_at = excluded.updated_at",
                rows,
            )

    def get(self, sku: str) -> Product | None:
        row = self.db.execute(f"SELECT {_PRODUCT_COLUMNS} FROM products WHERE sku = ?",
                              [sku]).fetchone()
        return None if row is None else _product(row)

    def all(self) -> list[Product]:
        return [_product(r) for r in self.db.execute(
            f"SELECT {_PRODUCT_COLUMNS} FROM products ORDER BY sku")]

    def by_skus(self, skus: Iterable[str]) -> dict[str, Product]:
        """The products for these SKUs (unknown ones are absent), in one query per 500."""
        wanted = sorted(set(skus))
        found: dict[str, Product] = {}
        for chunk in in_chunks(wanted):
            for row in self.db.execute(
                f"SELECT {_PRODUCT_COLUMNS} FROM products WHERE sku IN ({marks(chunk)})", chunk):
                found[row[0]] = _product(row)
        return found

    def delete(self, sku: str) -> bool:
        """Remove a product; order lines keep their SKU (it becomes unknown). True if found."""
        with self.db.atomic():
            return self.db.execute("DELETE FROM products WHERE sku = ?", [sku]).rowcount > 0

    def unknown_skus(self) -> list[UnknownSku]:
        """SKUs that orders name but the catalogue lacks, most-ordered first, each with the
        title of its latest order line: the list of products to complete."""
        rows = self.db.execute(
            "SELECT l.sku, count(DISTINCT l.order_id),"
            " (SELECT l2.title FROM order_lines l2 JOIN orders o ON o.id = l2.order_id"
            "  WHERE l2.sku = l.sku ORDER BY o.ordered_at DESC, l2.id DESC LIMIT 1)"
            " FROM order_lines l LEFT JOIN products p ON p.sku = l.sku"
            " WHERE p.id IS NULL GROUP BY l.sku ORDER BY 2 DESC, l.sku")
        return [UnknownSku(sku, title or "", orders) for sku, orders, title in rows]

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM products").fetchone()[0]
