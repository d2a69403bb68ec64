"""Incremental, idempotent order sync for one channel account.

Each run covers the window [watermark - overlap, start of run). Every page is saved in one
transaction together with the cursor after it, so a run cut off (network drop, app killed)
resumes at the next page with nothing lost and nothing doubled; upserts make re-reading the
overlap harmless. The watermark moves only when the whole window is stored.

What the platform reports against an order (refunds, cancellations, return requests) is
applied to its RMAs in the same transaction as the order itself: a run cut off never leaves
an order updated without its claims, or claims without their order.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import queue
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fulfill.channels.base import Connector, Page, SyncWindow
from fulfill.errors import FulfillError
from fulfill.services.platform_claims import apply_synced_claims
from fulfill.services.progress import CancelToken, Progress, no_progress
from fulfill.storage import Store
from fulfill.storage.database import atomic
from fulfill.storage.sync_state import SyncRepository, SyncState
from fulfill.translation import _, ngettext

log = logging.getLogger(__name__)


@dataclass
class SyncReport:
    fetched: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    problems: int = 0
    pages: int = 0
    resumed: bool = False
    claims: int = 0  # RMAs opened or changed and cancellations recorded from what was reported


def sync_account(
    store: Store,
    connector: Connector,
    *,
    now: datetime | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> SyncReport:
    account_id = connector.account.id
    assert account_id is not None
    repo = SyncRepository(store.db)
    state = repo.state(account_id)
    report = SyncReport(resumed=state.run_in_progress)
    if state.run_in_progress:
        window = SyncWindow(state.run_since, state.run_until)  # type: ignore[arg-type]
        cursor = state.run_cursor
    else:
        until = (now or datetime.now(UTC)).astimezone(UTC) - timedelta(seconds=connector.settle_s)
        since = state.watermark - timedelta(seconds=connector.overlap_s) if state.watermark else None
        window, cursor = SyncWindow(since, until), None
        with store.errors(), store.db.atomic():
            repo.save_state(account_id, SyncState(state.watermark, since, until, None))
    with store.errors():
        log_id = repo.start_log(account_id)
    label = connector.account.display_name
    if window.since:
        progress(0.0, _("{account}: asking for orders changed since {time} UTC").format(
            account=label, time=f"{window.since:%Y-%m-%d %H:%M}"))
    else:
        progress(0.0, _("{account}: first sync").format(account=label))
    commits = GroupedCommits(store)
    try:
        with paced_for_bulk_work(), roomy_page_cache(store):
            for page in prefetched(connector.fetch(window, cursor)):
                if cancel:
                    cancel.check()
                commits.begin()
                _save_page(store, repo, account_id, page, window, state.watermark, report)
                commits.commit_if_due()
                progress(-1.0, ngettext(
                    "{account}: {read} order read, {new} new, {changed} changed",
                    "{account}: {read} orders read, {new} new, {changed} changed",
                    report.fetched).format(account=label, read=f"{report.fetched:,}",
                                           new=f"{report.created:,}",
                                           changed=f"{report.changed:,}"))
        with store.errors(), store.db.atomic():
            repo.save_state(account_id, SyncState(window.until))
            repo.finish_log(log_id, fetched=report.fetched, created=report.created,
                            changed=report.changed, problems=report.problems, outcome="ok")
        commits.commit()
    except BaseException as error:
        try:
            commits.commit()  # every page saved whole before the error is kept
        except FulfillError:
            log.exception("Could not commit the pages saved before the error")
        message = str(error) if isinstance(error, FulfillError) else repr(error)
        outcome = "cancelled" if type(error).__name__ == "Cancelled" else "failed"
        try:
            with store.errors():
                repo.finish_log(log_id, fetched=report.fetched, created=report.created,
                                changed=report.changed, problems=report.problems,
                                outcome=outcome, message=message)
        except FulfillError:
            log.exception("Could not write the sync log")
        raise
    progress(1.0, _("{account}: done — {new} new, {changed} changed, {problems} with "
                    "problems").format(account=label, new=f"{report.created:,}",
                                       changed=f"{report.changed:,}",
                                       problems=f"{report.problems:,}"))
    return report


# Interpreter settings for the length of a sync; see paced_for_bulk_work.
SWITCH_INTERVAL_S = 0.0005
GC_YOUNG_THRESHOLD = 10_000
_pacing_lock = threading.Lock()
_paced_runs = 0
_unpaced: tuple[float, tuple[int, ...]] = (0.005, (700, 10, 10))


@contextlib.contextmanager
def paced_for_bulk_work() -> Iterator[None]:
    """Two process-wide interpreter settings, changed while pages stream in, then put back.

    The fetching thread needs the interpreter lock only briefly, a few times per page, but
    by default it waits up to 5 ms each time for the saving thread to let go of it: beside
    a thread busy in Python, a plain fetch loop took three times as long; with a 0.5 ms
    switch interval, 40% longer. And the cyclic garbage collector ran some 280
    times per 10,000 orders (a tenth of a second, three runs over every object of the
    process) for objects that reference counting frees anyway: its youngest generation may
    now grow to GC_YOUNG_THRESHOLD objects first. Overlapping syncs share one change.
    """
    global _paced_runs, _unpaced
    with _pacing_lock:
        if _paced_runs == 0:
            _unpaced = (sys.getswitchinterval(), gc.get_threshold())
            sys.setswitchinterval(min(_unpaced[0], SWITCH_INTERVAL_S))
            young, *older = _unpaced[1]
            if young:  # 0: collection is off, and stays so
                gc.set_threshold(max(young, GC_YOUNG_THRESHOLD), *older)
        _paced_runs += 1
    try:
        yield
    finally:
        with _pacing_lock:
            _paced_runs -= 1
            if _paced_runs == 0:
                sys.setswitchinterval(_unpaced[0])
                gc.set_threshold(*_unpaced[1])


# The store's page cache during a sync, in KiB. With SQLite's default 2 MB, a commit's worth
# of orders spilled to the write-ahead log before the commit, and pages needed again were
# read back from it: for 10,000 orders, 80 MB read in 20,000 calls instead of 40 MB in
# 9,500, and up to a tenth of a second more processor time.
SYNC_PAGE_CACHE_KIB = 16_384


@contextlib.contextmanager
def roomy_page_cache(store: Store) -> Iterator[None]:
    """A page cache of SYNC_PAGE_CACHE_KIB for the store's connection, then the one before."""
    db = store.db
    with store.errors():
        before = db.execute("PRAGMA cache_size").fetchone()[0]  # < 0: KiB, > 0: pages
        page_kib = db.execute("PRAGMA page_size").fetchone()[0] / 1024
        roomy = (-before if before < 0 else before * page_kib) < SYNC_PAGE_CACHE_KIB
        if roomy:
            db.execute(f"PRAGMA cache_size = -{SYNC_PAGE_CACHE_KIB}")
    try:
        yield
    finally:
        if roomy:
            try:
                db.execute(f"PRAGMA cache_size = {before}")
            except sqlite3.Error:  # only memory is at stake: the run's own outcome matters
                log.warning("Could not put the store's page cache back", exc_info=True)


class GroupedCommits:
    """Pages saved in one transaction until it is `every_s` old, then committed together.

    Each page is saved whole or not at all (a savepoint) with the cursor after it, so a run
    killed before a commit resumes from the last committed page: nothing lost, nothing doubled,
    at most `every_s` of work fetched again. One commit per page was a sixth of a full sync,
    mostly the full-text index flushing its segments. A commit also copies what it wrote from
    the write-ahead log into the store file; the last one is waited for at the end of the run,
    so commits of a third of a second keep it short (1 s: 40-70 ms; 0.3 s: under 20 ms).
    """

    def __init__(self, store: Store, every_s: float = 0.3) -> None:
        self.store = store
        self.every_s = every_s
        self.started: float | None = None

    def begin(self) -> None:
        if self.started is None and not self.store.db.conn.in_transaction:
            with self.store.errors():
                self.store.db.execute("BEGIN")
            self.started = time.monotonic()

    def commit_if_due(self) -> None:
        if self.started is not None and time.monotonic() - self.started >= self.every_s:
            self.commit()

    def commit(self) -> None:
        if self.started is None:
            return
        self.started = None
        if self.store.db.conn.in_transaction:  # an I/O error may have ended it already
            with self.store.errors():
                self.store.db.execute("COMMIT")


# Pages fetched ahead of saving. One was not enough: a page that took the platform longer
# to serve left the saving thread idle. A few pages of orders are a few hundred kilobytes.
PREFETCH_PAGES = 4


def prefetched(pages: Iterator[Page]) -> Iterator[Page]:
    """Fetch the next page on a helper thread while the caller saves this one.

    The connector (and its HTTP session) is only ever driven from that one thread; at most
    PREFETCH_PAGES pages wait in memory. Errors from the connector come out here, in order.
    """
    slot: queue.Queue = queue.Queue(maxsize=PREFETCH_PAGES)
    stop = threading.Event()

    def offer(item: tuple) -> bool:
        """Hand an item over unless the caller has stopped listening."""
        while not stop.is_set():
            try:
                slot.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def pull() -> None:
        try:
            for page in pages:
                if not offer(("page", page)):
                    return
            offer(("end", None))
        except BaseException as error:  # handed to the caller, never lost in the thread
            offer(("error", error))

    worker = threading.Thread(target=pull, name="sync-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = slot.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        worker.join(timeout=60)


def _save_page(store: Store, repo: SyncRepository, account_id: int, page: Page,
               window: SyncWindow, watermark: datetime | None, report: SyncReport) -> None:
    with store.errors(), atomic(store.db, "sync_page"):
        result = store.orders.save(page.orders, actor="sync")
        if repo.has_problems(account_id):
            for order in page.orders:
                repo.clear_problem(account_id, order.platform_order_id)
        for problem in page.problems:
            repo.record_problem(account_id, problem.platform_order_id, problem.message, problem.raw)
        claimed = refused = 0
        if page.claims:  # only orders with refunds, cancellations or returns cost anything
            outcome = apply_synced_claims(store, page.orders, page.claims,
                                          all_new=result.created == len(page.orders))
            if outcome.refused:
                raw = {order.platform_order_id: order.raw for order in page.orders}
                for platform_id, message in outcome.refused.items():
                    repo.record_problem(account_id, platform_id, message, raw[platform_id])
            claimed, refused = outcome.changes, len(outcome.refused)
        # The checkpoint matters only when the page stored something; an unchanged page
        # re-read after a crash costs a request, not data.
        if result.created or result.changed or page.problems or claimed or refused:
            repo.save_state(account_id, SyncState(watermark, window.since, window.until,
                                                  page.resume_cursor))
    report.pages += 1
    report.fetched += page.fetched or len(page.orders) + len(page.problems)
    report.created += result.created
    report.changed += result.changed
    report.unchanged += result.unchanged
    report.problems += len(page.problems) + refused
    report.claims += claimed
