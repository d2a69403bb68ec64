"""RMAs in the store: rows <-> fulfill.domain.returns objects, refunds, inspection counts, and
stock movements. Plain reads and writes; the rules live in fulfill.services.returns."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from fulfill.domain import Money
from fulfill.domain.returns import (
    PostagePaidBy, Refund, RefundMethod, ReturnKind, ReturnReason, ReturnStatus, Rma, RmaLine,
)
from fulfill.storage import audit
from fulfill.storage.database import in_chunks, marks
from fulfill.storage.audit import parse_utc_text, utc_text

_RMA_COLUMNS = ("id, order_id, kind, reason, status, currency, postage_paid_by, note,"
                " platform_ref, return_tracking, replacement_order_id, opened_at, approved_at,"
                " received_at, closed_at, updated_at")
_LINE_COLUMNS = "rma_id, sku, title, quantity, unit_price, resellable, damaged, missing"
_REFUND_COLUMNS = "rma_id, id, amount, currency, method, refunded_at, actor, note, platform_ref"
# The order's audit action that records a cancellation the platform reported (new_value:
# the platform's reference for it), read back so it is recorded once.
PLATFORM_CANCELLATION = "cancelled on platform"
# Columns a step may set besides the status.
_STEP_FIELDS = frozenset({"approved_at", "received_at", "closed_at", "return_tracking",
                          "replacement_order_id"})


def _time(text: str | None) -> datetime | None:
    return parse_utc_text(text) if text else None


def _rma(row: tuple, lines: list[RmaLine], refunds: list[Refund]) -> Rma:
    return Rma(
        id=row[0], order_id=row[1], kind=ReturnKind(row[2]), reason=ReturnReason(row[3]),
        status=ReturnStatus(row[4]), currency=row[5], postage_paid_by=PostagePaidBy(row[6]),
        note=row[7], platform_ref=row[8], return_tracking=row[9], replacement_order_id=row[10],
        opened_at=parse_utc_text(row[11]), approved_at=_time(row[12]),
        received_at=_time(row[13]), closed_at=_time(row[14]), updated_at=_time(row[15]),
        lines=lines, refunds=refunds,
    )


class ReturnRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- RMAs ----------------------------------------------------------------------------
    def add(self, rma: Rma) -> int:
        """Store a new RMA with its lines; sets and returns its id."""
        at = utc_text(rma.opened_at)
        with self.db.atomic():
            rma.id = self.db.execute(
                "INSERT INTO rmas (order_id, kind, reason, status, currency, postage_paid_by,"
                " note, platform_ref, return_tracking, opened_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [rma.order_id, rma.kind.value, rma.reason.value, rma.status.value, rma.currency,
                 rma.postage_paid_by.value, rma.note, rma.platform_ref, rma.return_tracking,
                 at, at]).lastrowid
            self.db.conn.executemany(
                "INSERT INTO rma_lines (rma_id, line_no, sku, title, quantity, unit_price)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(rma.id, n, line.sku, line.title, line.quantity,
                  line.unit_price.minor if line.unit_price else 0)
                 for n, line in enumerate(rma.lines, start=1)])
        return rma.id  # type: ignore[return-value]

    def insert_many(self, rmas: Sequence[Rma]) -> None:
        """Store new RMAs as they stand (status, step times, lines, refunds) in a few
        statements, in the caller's transaction; sets their ids, not their refunds'. add()
        opens one RMA as requested; this is for many whose first steps were taken elsewhere
        (on a platform). The ids are the next free ones: the transaction holds the write
        lock, so nobody else takes them meanwhile."""
        if not rmas:
            return
        next_id = self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM rmas").fetchone()[0]
        for n, rma in enumerate(rmas):
            rma.id = next_id + n
        self.db.conn.executemany(
            "INSERT INTO rmas (id, order_id, kind, reason, status, currency, postage_paid_by,"
            " note, platform_ref, return_tracking, replacement_order_id, opened_at, approved_at,"
            " received_at, closed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?, ?)",
            [(rma.id, rma.order_id, rma.kind.value, rma.reason.value, rma.status.value,
              rma.currency, rma.postage_paid_by.value, rma.note, rma.platform_ref,
              rma.return_tracking, rma.replacement_order_id,
              *[utc_text(t) if t else None for t in (
                  rma.opened_at, rma.approved_at, rma.received_at, rma.closed_at,
                  rma.updated_at or rma.opened_at)]) for rma in rmas])
        lines = [(rma.id, n, line.sku, line.title, line.quantity,
                  line.unit_price.minor if line.unit_price else 0)
                 for rma in rmas for n, line in enumerate(rma.lines, start=1)]
        if lines:
            self.db.conn.executemany(
                "INSERT INTO rma_lines (rma_id, line_no, sku, title, quantity, unit_price)"
                " VALUES (?, ?, ?, ?, ?, ?)", lines)
        refunds = [(rma.id, r.amount.minor, r.amount.currency, r.method.value,
                    utc_text(r.refunded_at), r.actor, r.note, r.platform_ref)
                   for rma in rmas for r in rma.refunds]
        if refunds:
            self.db.conn.executemany(
                "INSERT INTO refunds (rma_id, amount, currency, method, refunded_at, actor,"
                " note, platform_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", refunds)

    def get(self, rma_id: int) -> Rma | None:
        found = self._load(f"SELECT {_RMA_COLUMNS} FROM rmas WHERE id = ?", [rma_id])
        return found[0] if found else None

    def for_order(self, order_id: int) -> list[Rma]:
        return self._load(f"SELECT {_RMA_COLUMNS} FROM rmas WHERE order_id = ? ORDER BY id",
                          [order_id])

    def by_platform_ref(self, order_id: int, platform_ref: str) -> Rma | None:
        found = self._load(f"SELECT {_RMA_COLUMNS} FROM rmas WHERE order_id = ?"
                           " AND platform_ref = ?", [order_id, platform_ref])
        return found[0] if found else None

    def for_orders(self, order_ids: Sequence[int]) -> dict[int, list[Rma]]:
        """Order id -> its RMAs (oldest first), for the orders among `order_ids` with any."""
        found: dict[int, list[Rma]] = {}
        for chunk in in_chunks(list(order_ids)):
            for rma in self._load(f"SELECT {_RMA_COLUMNS} FROM rmas WHERE order_id IN"
                                  f" ({marks(chunk)}) ORDER BY id", chunk):
                found.setdefault(rma.order_id, []).append(rma)
        return found

    def with_status(self, statuses: Iterable[ReturnStatus] = ()) -> list[Rma]:
        """RMAs of these statuses (all when none given), oldest first."""
        wanted = [s.value for s in statuses]
        if not wanted:
            return self._load(f"SELECT {_RMA_COLUMNS} FROM rmas ORDER BY opened_at, id", [])
        return self._load(
            f"SELECT {_RMA_COLUMNS} FROM rmas WHERE status IN ({marks(wanted)})"
            " ORDER BY opened_at, id", wanted)

    def _load(self, sql: str, params: list[Any]) -> list[Rma]:
        """RMAs from `sql`, with their lines and refunds in one query each per 500."""
        rows = self.db.execute(sql, params).fetchall()
        ids = [row[0] for row in rows]
        lines: dict[int, list[RmaLine]] = {i: [] for i in ids}
        refunds: dict[int, list[Refund]] = {i: [] for i in ids}
        currency = {row[0]: row[5] for row in rows}
        for chunk in in_chunks(ids):
            for r in self.db.execute(f"SELECT {_LINE_COLUMNS} FROM rma_lines WHERE rma_id IN"
                                     f" ({marks(chunk)}) ORDER BY rma_id, line_no", chunk):
                lines[r[0]].append(RmaLine(sku=r[1], title=r[2], quantity=r[3],
                                           unit_price=Money(r[4], currency[r[0]]),
                                           resellable=r[5], damaged=r[6], missing=r[7]))
            for r in self.db.execute(f"SELECT {_REFUND_COLUMNS} FROM refunds WHERE rma_id IN"
                                     f" ({marks(chunk)}) ORDER BY rma_id, id", chunk):
                refunds[r[0]].append(Refund(id=r[1], amount=Money(r[2], r[3]),
                                            method=RefundMethod(r[4]),
                                            refunded_at=parse_utc_text(r[5]), actor=r[6],
                                            note=r[7], platform_ref=r[8]))
        return [_rma(row, lines[row[0]], refunds[row[0]]) for row in rows]

    def set_status(self, rma_id: int, status: ReturnStatus, at: datetime, **fields: Any) -> None:
        """Move the RMA to `status` (the caller checked the step), setting step fields."""
        if set(fields) - _STEP_FIELDS:
            raise ValueError(f"Cannot set RMA fields {sorted(set(fields) - _STEP_FIELDS)}")
        values = [utc_text(v) if isinstance(v, datetime) else v for v in fields.values()]
        sets = "".join(f", {name} = ?" for name in fields)
        self.db.execute(f"UPDATE rmas SET status = ?, updated_at = ?{sets} WHERE id = ?",
                        [status.value, utc_text(at), *values, rma_id])

    def set_inspection(self, rma_id: int, sku: str, *, resellable: int, damaged: int,
                       missing: int) -> None:
        self.db.execute("UPDATE rma_lines SET resellable = ?, damaged = ?, missing = ?"
                        " WHERE rma_id = ? AND sku = ?", [resellable, damaged, missing, rma_id, sku])

    def add_refund(self, rma_id: int, refund: Refund) -> int:
        return self.db.execute(
            "INSERT INTO refunds (rma_id, amount, currency, method, refunded_at, actor, note,"
            " platform_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [rma_id, refund.amount.minor, refund.amount.currency, refund.method.value,
             utc_text(refund.refunded_at), refund.actor, refund.note, refund.platform_ref],
        ).lastrowid

    def set_platform_ref(self, rma_id: int, platform_ref: str, at: datetime) -> None:
        """Give an RMA opened by hand the platform's reference for it, once."""
        changed = self.db.execute(
            "UPDATE rmas SET platform_ref = ?, updated_at = ? WHERE id = ?"
            " AND platform_ref = ''", [platform_ref, utc_text(at), rma_id]).rowcount
        if changed != 1:
            raise ValueError(f"RMA {rma_id} already has a platform reference")

    def set_refund_platform_ref(self, refund_id: int, platform_ref: str) -> None:
        """Name the platform refund a refund recorded by hand was."""
        self.db.execute("UPDATE refunds SET platform_ref = ? WHERE id = ? AND platform_ref = ''",
                        [platform_ref, refund_id])

    # --- cancellations the platforms reported ------------------------------------------------
    def platform_cancellations(self, order_ids: Sequence[int]) -> dict[int, set[str]]:
        """Order id -> references of the platform cancellations recorded on it."""
        found: dict[int, set[str]] = {}
        for chunk in in_chunks(list(order_ids)):
            for order_id, ref in self.db.execute(
                    "SELECT entity_id, new_value FROM audit_log WHERE entity = 'order'"
                    f" AND entity_id IN ({marks(chunk)}) AND action = ?",
                    [*chunk, PLATFORM_CANCELLATION]):
                found.setdefault(order_id, set()).add(ref)
        return found

    # --- what an order has had back --------------------------------------------------------
    def returned_counts(self, order_id: int, *, excluding: int | None = None) -> Counter[str]:
        """SKU -> pieces on the order's RMAs that were not rejected (optionally leaving one
        RMA out)."""
        counts: Counter[str] = Counter()
        for sku, quantity in self.db.execute(
                "SELECT l.sku, sum(l.quantity) FROM rma_lines l JOIN rmas r ON r.id = l.rma_id"
                " WHERE r.order_id = ? AND r.status != 'rejected' AND r.id IS NOT ?"
                " GROUP BY l.sku", [order_id, excluding]):
            counts[sku] = quantity
        return counts

    def refunded_minor(self, order_id: int) -> int:
        """Minor units refunded on all the order's RMAs."""
        return self.db.execute(
            "SELECT coalesce(sum(f.amount), 0) FROM refunds f JOIN rmas r ON r.id = f.rma_id"
            " WHERE r.order_id = ?", [order_id]).fetchone()[0]

    def replacement_origins(self, order_ids: Sequence[int]) -> dict[int, tuple[int, str]]:
        """For the orders among `order_ids` that are exchange replacements:
        replacement order id -> (RMA id, the original order's number)."""
        found: dict[int, tuple[int, str]] = {}
        for chunk in in_chunks(list(order_ids)):
            found.update((r[0], (r[1], r[2])) for r in self.db.execute(
                "SELECT r.replacement_order_id, r.id, o.order_number FROM rmas r"
                " JOIN orders o ON o.id = r.order_id"
                f" WHERE r.replacement_order_id IN ({marks(chunk)})", chunk))
        return found

    # --- stock ---------------------------------------------------------------------------
    # Products carry no stock column: stock is the sum of its movements, so a restock is
    # one row that says why (which RMA) and can be traced or reversed.
    def add_stock_movement(self, sku: str, delta: int, reason: str, *, at: datetime,
                           rma_id: int | None = None) -> None:
        if delta == 0:
            raise ValueError("A stock movement must change the stock")
        self.db.execute("INSERT INTO stock_movements (sku, delta, reason, rma_id, at)"
                        " VALUES (?, ?, ?, ?, ?)", [sku, delta, reason, rma_id, utc_text(at)])

    def stock_on_hand(self, sku: str) -> int:
        """Pieces of `sku` on the shelf, as far as recorded movements say."""
        return self.db.execute("SELECT coalesce(sum(delta), 0) FROM stock_movements"
                               " WHERE sku = ?", [sku]).fetchone()[0]

    def stock_movements(self, rma_id: int) -> list[tuple[str, int, str]]:
        """(sku, delta, reason) of the movements an RMA caused."""
        return [tuple(r) for r in self.db.execute(  # type: ignore[misc]
            "SELECT sku, delta, reason FROM stock_movements WHERE rma_id = ? ORDER BY id",
            [rma_id])]

    def history(self, rma_id: int) -> list[audit.AuditEntry]:
        return audit.history(self.db, "rma", rma_id)
