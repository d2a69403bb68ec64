"""Scenarios every connector goes through against its sandbox, written once.

Each platform's test calls them with its own connector and then checks what is its own
(the cursor it resumes from, what its sandbox recorded)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from fulfill.domain import OrderStatus
from fulfill.errors import PayloadError
from fulfill.services.outbox import deliver_due, ship_order
from fulfill.services.progress import CancelToken, Cancelled
from fulfill.services.sync import SyncReport, sync_account
from fulfill.storage.outbox import OutboxRepository
from fulfill.storage.sync_state import SyncRepository

TRACKING = "EE123456785KR"


def garbled_page_stops_then_resumes(store, account, sandbox, first, second) -> None:
    """A page that is not JSON fails the run (logged, nothing stored); the next run resumes
    and stores all 250 orders."""
    sandbox.garble_next()
    with pytest.raises(PayloadError, match="not valid JSON"):
        sync_account(store, first)
    assert store.orders.count() == 0
    log = SyncRepository(store.db).log(account.id)[0]
    assert log.outcome == "failed" and "not valid JSON" in log.message
    report = sync_account(store, second)
    assert report.resumed and store.orders.count() == 250


def cancel_when(store, connector, progress_text: str) -> None:
    """Run a sync and cancel it (as a killed app would stop) once the progress message
    contains `progress_text`."""
    cancel = CancelToken()

    def stop_after_first_page(fraction, message):
        if progress_text in message:
            cancel.cancel()

    with pytest.raises(Cancelled):
        sync_account(store, connector, progress=stop_after_first_page, cancel=cancel)


def resume(store, connector) -> SyncReport:
    return sync_account(store, connector)


def ship_twice(store, order_id: int) -> None:
    """Marking shipped queues one write-back; the same number again queues none."""
    assert ship_order(store, order_id, carrier="EMS", tracking_number=TRACKING) is not None
    assert ship_order(store, order_id, carrier="EMS", tracking_number=TRACKING) is None
    assert store.orders.get(order_id).status is OrderStatus.SHIPPED


def deliver_offline_then_online(store, sandbox, offline, reconnect: Callable[[str], object]
                                ) -> None:
    """The platform is unreachable: the write-back waits and retries. It comes back on a new
    port (as after a restart); `reconnect(url)` gives the connector for it. The write-back is
    delivered once it is due, exactly once."""
    sandbox.stop()
    report = deliver_due(store, lambda _id: offline)
    assert report.retrying == 1
    (item,) = OutboxRepository(store.db).all("pending")
    assert "could not be reached" in item.last_error

    sandbox.start()
    online = reconnect(sandbox.url)
    assert deliver_due(store, lambda _id: online).delivered == 0  # not due yet
    later = datetime.now(UTC) + timedelta(hours=1)
    assert deliver_due(store, lambda _id: online, now=later).delivered == 1
    assert deliver_due(store, lambda _id: online, now=later).delivered == 0
