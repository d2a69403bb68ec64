"""Channel accounts and products in the store."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlite_utils import Database

from fulfill.domain import ChannelAccount, Platform, Product
from fulfill.storage.audit import now_text


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
        row = self.db.execute(
            "SELECT sku, title, hs_code, origin_country, unit_weight_g, barcode, titles,"
            " customs_descriptions FROM products WHERE sku = ?", [sku]
        ).fetchone()
        if row is None:
            return None
        return Product(*row[:6], titles=json.loads(row[6]), customs_descriptions=json.loads(row[7]))

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM products").fetchone()[0]
