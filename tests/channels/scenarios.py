"""Scenarios every connector goes through against its sandbox, written once.

Each platform's test calls them with its own connector, sandbox and counts, and then checks
what is its own (the cursor it resumes from, what its sandbox recorded). Where a scenario
makes connectors itself it takes `connect`, a function that gives a fresh connector for the
test's account and passes its keyword arguments (HTTP options) on."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from fulfill.domain import OrderStatus
from fulfill.errors import PayloadError
from fulfill.services.outbox import _notice, deliver_due, ship_order
from fulfill.services.progress import CancelToken, Cancelled
from fulfill.services.sync import SyncReport, sync_account
from fulfill.storage.outbox import OutboxRepository
from fulfill.storage.sync_state import SyncRepository, SyncState

TRACKING = "EE123456785KR"
STALL_S = 1.0  # a stalled answer comes this late: well past the read timeout below
STALL_TIMEOUT = (1.0, 0.3)  # (connect, read) seconds for a connector meant to see a stall


def soon() -> datetime:
    """A moment after the sandbox's latest change has settled: the `now` of a later sync."""
    return datetime.now(UTC) + timedelta(seconds=30)


def audit_rows(store) -> int:
    """How many entries the order audit log holds."""
    return store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


# --- reading orders ------------------------------------------------------------------------

def resync_writes_nothing(store, connector, now: datetime | None = None) -> SyncReport:
    """A sync right after a complete one finds nothing new and writes only its own bookkeeping."""
    changes, audited = store.db.conn.total_changes, audit_rows(store)
    again = sync_account(store, connector, now=now)
    assert again.created == again.changed == again.claims == again.problems == 0
    assert audit_rows(store) == audited
    assert store.db.conn.total_changes - changes <= 4  # the sync's own state and log
    return again


def one_change_and_two_new_orders(store, account, report: SyncReport, changed_id: str,
                                  new_ids, became: OrderStatus = OrderStatus.CANCELLED) -> int:
    """The next sync updates the one changed order, audits its status change, adds the two new."""
    assert report.changed == 1 and report.created == 2
    local = store.orders.id_for(account.id, changed_id)
    assert store.orders.get(local).status is became
    # the status change (a platform's cancellation itself is recorded after it)
    last = [entry for entry in store.orders.history(local) if entry.action == "status"][-1]
    assert (last.old_value, last.new_value) == ("awaiting_shipment", became.value)
    assert all(store.orders.id_for(account.id, i) for i in new_ids)
    return local


def one_bad_order_is_a_problem(store, account, connector, bad_id: str, message: str,
                               total: int = 250) -> None:
    """An order the mapper cannot read is kept back as a problem saying why; the rest import."""
    report = sync_account(store, connector)
    assert report.created == total - 1 and report.problems == 1
    assert SyncRepository(store.db).problems(account.id) == [(bad_id, message)]


def problem_clears_once_fixed(store, account, connector, now: datetime) -> None:
    """Once the platform sends the bad order readable, the next sync clears its problem."""
    sync_account(store, connector, now=now)
    assert SyncRepository(store.db).problems(account.id) == []


# --- faults on the wire --------------------------------------------------------------------

def faults_are_retried(store, sandbox, connect: Callable[..., object], *, throttles: int = 0,
                       errors: int = 0, stalls: int = 0, orders: int = 250):
    """429s, then 500s, then answers too slow to wait for are each retried; every order arrives."""
    # each fault is counted as a retry (a 429 as a throttle too); gives the connector
    for _ in range(throttles):
        sandbox.fail_next(429)
    if errors:
        sandbox.fail_next(500, times=errors)
    for _ in range(stalls):
        sandbox.stall_next(STALL_S)
    conn = connect(timeout=STALL_TIMEOUT) if stalls else connect()
    assert sync_account(store, conn).created == orders
    assert conn.http.stats.throttled == throttles
    assert conn.http.stats.retries == throttles + errors + stalls
    return conn


def server_throttling_is_waited_out(store, server, conn, orders: int,
                                    now: datetime | None = None) -> None:
    """The sandbox's own rate limit: each throttled answer is waited out; every order arrives."""
    assert sync_account(store, conn, now=now).created == orders
    assert server.throttled > 0 and conn.http.stats.throttled == server.throttled


def garbled_page_stops_then_resumes(store, account, sandbox, first, second) -> None:
    """A page that is not JSON fails the run, logged, nothing stored; the next run gets all 250."""
    sandbox.garble_next()
    with pytest.raises(PayloadError, match="not valid JSON"):
        sync_account(store, first)
    assert store.orders.count() == 0
    log = SyncRepository(store.db).log(account.id)[0]
    assert log.outcome == "failed" and "not valid JSON" in log.message
    report = sync_account(store, second)
    assert report.resumed and store.orders.count() == 250


# --- a sync killed and resumed -------------------------------------------------------------

def cancel_when(store, connector, progress_pattern: str) -> None:
    """Cancel a sync (as a killed app stops) once its progress message has `progress_pattern`."""
    cancel = CancelToken()

    def stop_there(fraction, message):
        if re.search(progress_pattern, message):
            cancel.cancel()

    with pytest.raises(Cancelled):
        sync_account(store, connector, progress=stop_there, cancel=cancel)


def killed_mid_sync(store, account, connector, progress_pattern: str,
                    total: int = 250) -> SyncState:
    """A sync killed part-way keeps some orders, not all, and leaves its run open at a cursor."""
    # gives the run's state, for the platform's own cursor to be checked
    cancel_when(store, connector, progress_pattern)
    assert 0 < store.orders.count() < total
    state = SyncRepository(store.db).state(account.id)
    assert state.run_in_progress and state.run_cursor
    return state


def resumed_to_the_end(store, account, connector, total: int = 250) -> SyncReport:
    """The next sync resumes the run and stores just the orders missing: none lost, none twice."""
    stored = store.orders.count()
    report = sync_account(store, connector)
    assert report.resumed and report.created == total - stored
    assert store.orders.count() == total
    assert SyncRepository(store.db).state(account.id).watermark is not None
    return report


# --- write-back ----------------------------------------------------------------------------

def ship_twice(store, order_id: int) -> None:
    """Marking shipped queues one write-back; the same number again queues none."""
    assert ship_order(store, order_id, carrier="EMS", tracking_number=TRACKING) is not None
    assert ship_order(store, order_id, carrier="EMS", tracking_number=TRACKING) is None
    assert store.orders.get(order_id).status is OrderStatus.SHIPPED


def write_back_offline_then_online(store, sandbox, account, order_id: int,
                                   connect: Callable[..., object],
                                   settings_for: Callable[[str], dict]) -> None:
    """Shipped (twice over) while the platform is offline, the write-back waits, then goes once."""
    ship_twice(store, order_id)
    sandbox.stop()
    report = deliver_due(store, lambda _id: connect(max_retries=1))
    assert report.retrying == 1
    (item,) = OutboxRepository(store.db).all("pending")
    assert "could not be reached" in item.last_error

    sandbox.start()  # on a new port, as after a restart: `settings_for(url)` points there
    account.settings.update(settings_for(sandbox.url))
    online = connect()
    assert deliver_due(store, lambda _id: online).delivered == 0  # not due yet
    later = datetime.now(UTC) + timedelta(hours=1)
    assert deliver_due(store, lambda _id: online, now=later).delivered == 1
    assert deliver_due(store, lambda _id: online, now=later).delivered == 0


def sent_before_the_app_died(store, order_id: int, conn, carrier: str,
                             tracking_number: str) -> None:
    """A write-back sent just before the app died is found done on delivery, not sent again."""
    assert ship_order(store, order_id, carrier=carrier, tracking_number=tracking_number)
    (item,) = OutboxRepository(store.db).all("pending")
    conn.mark_shipped(_notice(item.payload))  # sent, then the app died before marking it done
    assert deliver_due(store, lambda _id: conn).delivered == 1
