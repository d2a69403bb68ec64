""""Sync now" and "Sync all" as one job: sync the accounts, then send tracking write-backs.

Plain function, plain callbacks: the UI runs `sync_all` on its store worker and shows the
`SyncOutcome`; nothing here knows about Qt.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from fulfill.domain import ChannelAccount
from fulfill.errors import FulfillError
from fulfill.services.channels import (
    AccountSyncResult, SandboxConfirmation, active_accounts, as_fulfill_error, connector_class,
    deliver_write_backs, sandbox_confirmations, sync_accounts,
)
from fulfill.services.outbox import DeliveryReport
from fulfill.services.progress import CancelToken, Progress, no_progress
from fulfill.storage import Store
from fulfill.translation import _, ngettext

__all__ = ["SyncOutcome", "as_fulfill_error", "plural", "sync_all"]

log = logging.getLogger(__name__)


def plural(n: int, word: str) -> str:
    """English only (logs); shown counts use ngettext."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@dataclass
class SyncOutcome:
    """What one "Sync now" / "Sync all" did, for the summary and for whoever listens."""

    results: list[AccountSyncResult] = field(default_factory=list)
    unsupported: list[ChannelAccount] = field(default_factory=list)
    cancelled_account: ChannelAccount | None = None
    cancelled: bool = False
    delivery: DeliveryReport | None = None
    delivery_error: FulfillError | None = None
    sandbox_shows: list[SandboxConfirmation] = field(default_factory=list)
    finished_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def created(self) -> int:
        return sum(r.report.created for r in self.results if r.report)

    @property
    def changed(self) -> int:
        return sum(r.report.changed for r in self.results if r.report)

    @property
    def problems(self) -> int:
        return sum(r.report.problems for r in self.results if r.report)

    @property
    def failures(self) -> list[AccountSyncResult]:
        return [r for r in self.results if r.error is not None]

    @property
    def may_have_changed_orders(self) -> bool:
        return bool(self.created or self.changed or self.problems or self.failures
                    or self.cancelled)

    def counts(self) -> str:
        """"12 new, 3 changed, 1 with problems", in the interface's language."""
        return _("{new} new, {changed} changed, {problems} with problems").format(
            new=f"{self.created:,}", changed=f"{self.changed:,}", problems=f"{self.problems:,}")

    def summary_line(self) -> str:
        """One line for a status bar, in the interface's language:
        "Sync finished at 14:03: 12 new, 3 changed, 1 with problems"."""
        at = self.finished_at.astimezone().strftime("%H:%M")
        if not self.results and not self.cancelled:
            if self.unsupported:
                return _("Nothing to sync: fulfill cannot connect to these accounts' platforms "
                         "yet.")
            return _("Nothing to sync: add an account first.")
        n = len(self.failures)
        failed = " · " + ngettext("{n} account failed", "{n} accounts failed", n).format(
            n=f"{n:,}") if n else ""
        # Translators: {counts} is "12 new, 3 changed, 1 with problems"; {failed} is empty
        # or " · 1 account failed".
        line = (_("Sync cancelled at {time}: {counts}{failed}.") if self.cancelled
                else _("Sync finished at {time}: {counts}{failed}."))
        return line.format(time=at, counts=self.counts(), failed=failed)


def sync_all(store: Store, account_id: int | None = None, progress: Progress = no_progress,
             cancel: CancelToken | None = None) -> SyncOutcome:
    """Sync one account (account_id) or every active one (None), then deliver write-backs.

    Accounts sync one at a time; a failure of one is kept with advice and the others still
    sync. Accounts this build cannot connect to are listed, not synced. After a cancel the
    accounts already synced keep their results and no write-backs are sent."""
    cancel = cancel or CancelToken()
    outcome = SyncOutcome()
    ready = []
    for account in active_accounts(store):
        if account_id is None or account.id == account_id:
            (ready if connector_class(account.platform) else outcome.unsupported).append(account)
    results = sync_accounts(store, ready, progress=progress, cancel=cancel)
    outcome.results = [r for r in results if not r.cancelled]
    outcome.cancelled_account = next((r.account for r in results if r.cancelled), None)
    if cancel.cancelled or outcome.cancelled_account is not None:
        outcome.cancelled = True
    elif ready:
        progress(-1.0, _("Sending tracking numbers to the platforms…"))
        try:
            outcome.delivery = deliver_write_backs(store)
            outcome.sandbox_shows = sandbox_confirmations(store, outcome.delivery.sent)
        except Exception as error:
            log.exception("Write-back delivery failed")
            outcome.delivery_error = as_fulfill_error(error)
    outcome.finished_at = datetime.now(UTC)
    return outcome
