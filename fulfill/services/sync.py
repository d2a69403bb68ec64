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

import logging
import queue
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
from fulfill.storage.sync_state import SyncRepository, SyncState

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
    progress(0.0, f"{label}: asking for orders changed since "
                  f"{window.since:%Y-%m-%d %H:%M} UTC" if window.since else f"{label}: first sync")
    commits = GroupedCommits(store)
    try:
        for page in prefetched(connector.fetch(window, cursor)):
            if cancel:
                cancel.check()
            commits.begin()
            _save_page(store, repo, account_id, page, window, state.watermark, report)
            commits.commit_if_due()
            progress(-1.0, f"{label}: {report.fetched:,} orders read, {report.created:,} new, "
                           f"{report.changed:,} changed")
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
    progress(1.0, f"{label}: done — {report.created:,} new, {report.changed:,} changed, "
                  f"{report.problems:,} with problems")
    return report


class GroupedCommits:
    """Pages saved in one transaction until it is `every_s` old, then committed together.

    Each page is saved whole or not at all (a savepoint) with the cursor after it, so a run
    killed before a commit resumes from the last committed page: nothing lost, nothing doubled,
    at most `every_s` of work fetched again. One commit per page was a sixth of a full sync,
    mostly the full-text index flushing its segments.
    """

    def __init__(self, store: Store, every_s: float = 1.0) -> None:
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
    with store.errors(), store.db.atomic():
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
