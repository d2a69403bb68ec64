"""The store's schema, as an ordered list of migrations.

Each migration runs inside one transaction with its record (sqlite_utils.Migrations).
SCHEMA_VERSION is how many this build knows; a file that has more is from a newer fulfill.
Never edit a released migration: add a new one, and freeze a copy of the old schema in
tests/fixtures for the migration test.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database, Migrations

from fulfill.domain import OrderStatus

MIGRATION_SET = "fulfill"
APPLICATION_ID = 0x46554C46  # "FULF" in PRAGMA application_id marks a fulfill store

migrations = Migrations(MIGRATION_SET)

_STATUSES = ", ".join(f"'{s.value}'" for s in OrderStatus)


def _run_script(db: Database, script: str) -> None:
    """Run statements one by one: executescript() would COMMIT the migration's transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"Unfinished SQL statement in migration: {statement!r}")


@migrations()
def m001_initial(db: Database) -> None:
    _run_script(
        db,
        f"""
        CREATE TABLE channel_accounts (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            name TEXT NOT NULL,
            settings TEXT NOT NULL DEFAULT '{{}}',
            created_at TEXT NOT NULL,
            UNIQUE (platform, name)
        );

        CREATE TABLE products (
            id INTEGER PRIMARY KEY,
            sku TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            titles TEXT NOT NULL DEFAULT '{{}}',
            hs_code TEXT NOT NULL DEFAULT '',
            origin_country TEXT NOT NULL DEFAULT '',
            unit_weight_g INTEGER NOT NULL DEFAULT 0 CHECK (unit_weight_g >= 0),
            barcode TEXT NOT NULL DEFAULT '',
            customs_descriptions TEXT NOT NULL DEFAULT '{{}}',
            updated_at TEXT NOT NULL
        );
        CREATE INDEX products_barcode ON products (barcode);

        CREATE TABLE orders (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES channel_accounts (id),
            platform_order_id TEXT NOT NULL,
            order_number TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ({_STATUSES})),
            ordered_at TEXT NOT NULL,
            updated_at TEXT,
            buyer_name TEXT NOT NULL DEFAULT '',
            buyer_email TEXT NOT NULL DEFAULT '',
            ship_name TEXT NOT NULL DEFAULT '',
            ship_name_latin TEXT NOT NULL DEFAULT '',
            ship_country TEXT NOT NULL,
            address TEXT NOT NULL,
            currency TEXT NOT NULL,
            subtotal INTEGER NOT NULL,
            shipping INTEGER,
            tax INTEGER,
            discount INTEGER,
            total INTEGER NOT NULL,
            item_count INTEGER NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            problem TEXT NOT NULL DEFAULT '',
            raw TEXT NOT NULL DEFAULT '{{}}',
            content_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            synced_at TEXT NOT NULL,
            UNIQUE (account_id, platform_order_id)
        );
        CREATE INDEX orders_ordered_at ON orders (ordered_at);
        CREATE INDEX orders_status ON orders (status, ordered_at);
        CREATE INDEX orders_account ON orders (account_id, ordered_at);
        CREATE INDEX orders_country ON orders (ship_country, ordered_at);
        CREATE INDEX orders_number ON orders (order_number);

        CREATE TABLE order_lines (
            id INTEGER PRIMARY KEY,
            order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
            line_no INTEGER NOT NULL,
            sku TEXT NOT NULL,
            title TEXT NOT NULL,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            unit_price INTEGER NOT NULL,
            platform_line_id TEXT NOT NULL DEFAULT '',
            UNIQUE (order_id, line_no)
        );
        CREATE INDEX order_lines_sku ON order_lines (sku);

        CREATE TABLE shipments (
            id INTEGER PRIMARY KEY,
            order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
            carrier TEXT NOT NULL,
            service TEXT NOT NULL DEFAULT '',
            tracking_number TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL,
            weight_g INTEGER NOT NULL DEFAULT 0,
            shipped_at TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX shipments_order ON shipments (order_id);
        CREATE INDEX shipments_tracking ON shipments (tracking_number);

        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id INTEGER NOT NULL,
            action TEXT NOT NULL,
            old_value TEXT NOT NULL DEFAULT '',
            new_value TEXT NOT NULL DEFAULT '',
            actor TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

        -- One search document per order (rowid = orders.id). Text is pre-split by
        -- fulfill.storage.search_text so that Chinese, Japanese and Korean match by character.
        CREATE VIRTUAL TABLE orders_fts USING fts5 (
            number, buyer, address, items,
            tokenize = "unicode61 remove_diacritics 2"
        );
        """
    )


@migrations()
def m002_sync_and_outbox(db: Database) -> None:
    _run_script(
        db,
        """
        -- Where each account's sync stands. `watermark`: every change before it is stored.
        -- While a run is under way, its window and the cursor after its last saved page
        -- are kept, so a run cut off midway resumes from that page.
        CREATE TABLE sync_state (
            account_id INTEGER PRIMARY KEY REFERENCES channel_accounts (id) ON DELETE CASCADE,
            watermark TEXT,
            run_since TEXT,
            run_until TEXT,
            run_cursor TEXT
        );

        CREATE TABLE sync_log (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES channel_accounts (id) ON DELETE CASCADE,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            fetched INTEGER NOT NULL DEFAULT 0,
            created INTEGER NOT NULL DEFAULT 0,
            changed INTEGER NOT NULL DEFAULT 0,
            problems INTEGER NOT NULL DEFAULT 0,
            outcome TEXT NOT NULL DEFAULT 'running',
            message TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX sync_log_account ON sync_log (account_id, id);

        -- Payloads that could not be mapped: kept whole, so a fix needs no re-download.
        CREATE TABLE sync_problems (
            account_id INTEGER NOT NULL REFERENCES channel_accounts (id) ON DELETE CASCADE,
            platform_order_id TEXT NOT NULL,
            message TEXT NOT NULL,
            raw TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            PRIMARY KEY (account_id, platform_order_id)
        );

        -- Messages to platforms (tracking write-back), retried until the platform accepts.
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES channel_accounts (id),
            order_id INTEGER NOT NULL REFERENCES orders (id),
            kind TEXT NOT NULL,
            dedupe_key TEXT NOT NULL UNIQUE,
            payload TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            done_at TEXT
        );
        CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
        """,
    )


@migrations()
def m003_papers(db: Database) -> None:
    _run_script(
        db,
        """
        -- Store-wide settings as JSON values: the seller profile (exporter on every paper)
        -- and document settings such as the CN23 threshold per currency.
        CREATE TABLE store_settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
    )


@migrations()
def m004_packing(db: Database) -> None:
    _run_script(
        db,
        """
        -- Orders picked together and packed one by one at the bench.
        CREATE TABLE pack_batches (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            closed_at TEXT
        );
        CREATE TABLE pack_batch_orders (
            batch_id INTEGER NOT NULL REFERENCES pack_batches (id) ON DELETE CASCADE,
            order_id INTEGER NOT NULL REFERENCES orders (id),
            position INTEGER NOT NULL,
            PRIMARY KEY (batch_id, order_id)
        );

        -- One parcel of an order at a packing station, from opening it to shipping it (or
        -- setting it aside). While 'packing' or 'printed' it is the order's lock: `holder`
        -- names the window (host|pid|token) and `heartbeat_at` says it is still there.
        CREATE TABLE pack_sessions (
            id INTEGER PRIMARY KEY,
            order_id INTEGER NOT NULL REFERENCES orders (id),
            parcel_no INTEGER NOT NULL DEFAULT 1,
            station TEXT NOT NULL,
            holder TEXT NOT NULL,
            state TEXT NOT NULL
                CHECK (state IN ('packing', 'printed', 'shipped', 'set_aside', 'abandoned')),
            note TEXT NOT NULL DEFAULT '',
            shipment_id INTEGER REFERENCES shipments (id),
            started_at TEXT NOT NULL,
            completed_at TEXT,
            printed_at TEXT,
            finished_at TEXT,
            heartbeat_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX pack_sessions_one_open ON pack_sessions (order_id)
            WHERE state IN ('packing', 'printed');
        CREATE INDEX pack_sessions_order ON pack_sessions (order_id, state);
        CREATE INDEX pack_sessions_station ON pack_sessions (station, state);
        CREATE INDEX pack_sessions_finished ON pack_sessions (finished_at);

        -- Every scan at the bench, stored as it happens: a crash resumes from here.
        CREATE TABLE pack_scans (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES pack_sessions (id),
            at TEXT NOT NULL,
            code TEXT NOT NULL,
            sku TEXT NOT NULL DEFAULT '',
            outcome TEXT NOT NULL
                CHECK (outcome IN ('item', 'extra', 'wrong_item', 'unknown', 'undo')),
            message TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX pack_scans_session ON pack_scans (session_id);
        CREATE INDEX pack_scans_at ON pack_scans (at);

        -- What an order looked like when its papers were printed, so a later change on the
        -- platform (another address, other items) stops the packer before the old label
        -- goes on the parcel.
        CREATE TABLE printed_papers (
            id INTEGER PRIMARY KEY,
            order_id INTEGER NOT NULL REFERENCES orders (id),
            at TEXT NOT NULL,
            kinds TEXT NOT NULL,
            station TEXT NOT NULL DEFAULT '',
            snapshot TEXT NOT NULL
        );
        CREATE INDEX printed_papers_order ON printed_papers (order_id, id);
        """,
    )



@migrations()
def m005_returns(db: Database) -> None:
    # Kinds, reasons and statuses are checked by the domain's enums when rows are read, not
    # by CHECK constraints here: a new status then needs no rebuild of the table.
    _run_script(
        db,
        """
        -- Return requests (RMAs) raised from an order. The steps they took, with who and a
        -- note, are in audit_log (entity 'rma'); the times below are for queries (days open,
        -- overdue parcels). platform_ref: the platform's return or refund id, when it came
        -- from there (one RMA per order and reference).
        CREATE TABLE rmas (
            id INTEGER PRIMARY KEY,
            order_id INTEGER NOT NULL REFERENCES orders (id),
            kind TEXT NOT NULL,
            reason TEXT NOT NULL,
            status TEXT NOT NULL,
            currency TEXT NOT NULL,
            postage_paid_by TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            platform_ref TEXT NOT NULL DEFAULT '',
            return_tracking TEXT NOT NULL DEFAULT '',
            replacement_order_id INTEGER REFERENCES orders (id),
            opened_at TEXT NOT NULL,
            approved_at TEXT,
            received_at TEXT,
            closed_at TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX rmas_order ON rmas (order_id);
        CREATE INDEX rmas_status ON rmas (status, opened_at);
        CREATE INDEX rmas_replacement ON rmas (replacement_order_id)
            WHERE replacement_order_id IS NOT NULL;
        CREATE UNIQUE INDEX rmas_platform_ref ON rmas (order_id, platform_ref)
            WHERE platform_ref != '';

        -- Pieces per SKU on an RMA, and what inspection found of them.
        CREATE TABLE rma_lines (
            id INTEGER PRIMARY KEY,
            rma_id INTEGER NOT NULL REFERENCES rmas (id) ON DELETE CASCADE,
            line_no INTEGER NOT NULL,
            sku TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            unit_price INTEGER NOT NULL DEFAULT 0,
            resellable INTEGER NOT NULL DEFAULT 0 CHECK (resellable >= 0),
            damaged INTEGER NOT NULL DEFAULT 0 CHECK (damaged >= 0),
            missing INTEGER NOT NULL DEFAULT 0 CHECK (missing >= 0),
            CHECK (resellable + damaged + missing <= quantity),
            UNIQUE (rma_id, sku)
        );

        -- Money paid back, in minor units of the order's currency; parts add up.
        CREATE TABLE refunds (
            id INTEGER PRIMARY KEY,
            rma_id INTEGER NOT NULL REFERENCES rmas (id),
            amount INTEGER NOT NULL CHECK (amount > 0),
            currency TEXT NOT NULL,
            method TEXT NOT NULL,
            refunded_at TEXT NOT NULL,
            actor TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            platform_ref TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX refunds_rma ON refunds (rma_id);

        -- Products have no stock column: stock on hand is the sum of these movements
        -- (returned pieces put back on the shelf, for now).
        CREATE TABLE stock_movements (
            id INTEGER PRIMARY KEY,
            sku TEXT NOT NULL,
            delta INTEGER NOT NULL CHECK (delta != 0),
            reason TEXT NOT NULL,
            rma_id INTEGER REFERENCES rmas (id),
            at TEXT NOT NULL
        );
        CREATE INDEX stock_movements_sku ON stock_movements (sku);
        CREATE INDEX stock_movements_rma ON stock_movements (rma_id) WHERE rma_id IS NOT NULL;
        """,
    )


@migrations()
def m006_exports(db: Database) -> None:
    _run_script(
        db,
        """
        -- Customs exchange rates (관세청 과세환율): `rate` won for `unit` (1 or 100) units of
        -- `currency`, in force from `applies_from` (a Korean calendar day, YYYY-MM-DD) for the
        -- week. The rate is kept as the decimal text it was published as, never a float.
        CREATE TABLE customs_rates (
            id INTEGER PRIMARY KEY,
            currency TEXT NOT NULL,
            applies_from TEXT NOT NULL,
            rate TEXT NOT NULL,
            unit INTEGER NOT NULL DEFAULT 1 CHECK (unit IN (1, 100)),
            source TEXT NOT NULL DEFAULT '',
            entered_at TEXT NOT NULL,
            UNIQUE (currency, applies_from)
        );

        -- The export declaration (수출신고번호) an order's goods left under, once the seller
        -- has it; declared_on is its date (수리일자) when known.
        CREATE TABLE export_declarations (
            order_id INTEGER PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
            number TEXT NOT NULL,
            declared_on TEXT,
            source TEXT NOT NULL DEFAULT '',
            entered_at TEXT NOT NULL
        );
        CREATE INDEX export_declarations_number ON export_declarations (number);

        -- Export paperwork picks parcels by the day they shipped.
        CREATE INDEX shipments_shipped_at ON shipments (shipped_at) WHERE shipped_at IS NOT NULL;
        """,
    )


SCHEMA_VERSION = len(migrations._migrations)
KNOWN_MIGRATIONS = frozenset(m.name for m in migrations._migrations)
