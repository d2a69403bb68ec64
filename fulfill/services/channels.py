"""Channel accounts as the seller manages them: add, connect, test, remove, sync, write back.

Secrets go to the OS keychain; the store keeps only the account's name and settings. A
sandbox account ({"sandbox": true}) talks to a local stand-in of the platform started on
demand inside this process, so a newcomer can watch a real sync without any credentials.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from fulfill.channels import credentials
from fulfill.channels.base import Connector
from fulfill.channels.registry import KINDS
from fulfill.domain import ChannelAccount, Platform
from fulfill.errors import FulfillError
from fulfill.services.outbox import DeliveryReport, deliver_due
from fulfill.services.progress import CancelToken, Progress, no_progress
from fulfill.services.sync import SyncReport, sync_account
from fulfill.storage import Store

_sandboxes: dict[Platform, object] = {}
_sandbox_lock = threading.Lock()


def supported_platforms() -> list[Platform]:
    return list(KINDS)


def running_sandbox(platform: Platform):
    """The sandbox for a platform, started on first use and kept for the app's lifetime."""
    with _sandbox_lock:
        if platform not in _sandboxes:
            sandbox = KINDS[platform].sandbox_class()()
            sandbox.start()
            _sandboxes[platform] = sandbox
        return _sandboxes[platform]


def stop_sandboxes() -> None:
    with _sandbox_lock:
        for sandbox in _sandboxes.values():
            sandbox.stop()
        _sandboxes.clear()


def add_account(store: Store, platform: Platform, name: str, settings: dict[str, str],
                secrets: dict[str, str]) -> ChannelAccount:
    """Save an account: settings in the store, secrets in the keychain."""
    if platform not in KINDS:
        raise FulfillError(f"fulfill cannot connect to {platform.label} yet.", "")
    if not name.strip():
        raise FulfillError("The account needs a name.", "Type a name you will recognise, e.g. the shop's.")
    with store.errors():
        account = store.accounts.add(ChannelAccount(platform, name.strip(), dict(settings)))
    if secrets:
        credentials.save_secrets(account.id, secrets)
    return account


def add_sandbox_account(store: Store, platform: Platform) -> ChannelAccount:
    return add_account(store, platform, f"{platform.label} (sandbox)", {"sandbox": "true"}, {})


def remove_account(store: Store, account: ChannelAccount) -> None:
    """Forget an account's credentials and sync state. Its orders stay in the store."""
    credentials.delete_secrets(account.id)
    with store.errors(), store.db.atomic():
        store.db.execute("DELETE FROM sync_state WHERE account_id = ?", [account.id])
        store.db.execute("UPDATE channel_accounts SET settings = json_set(settings, '$.removed', 'true')"
                         " WHERE id = ?", [account.id])


def connector(account: ChannelAccount) -> Connector:
    """The account's connector with its secrets; rotated tokens are saved back to the keychain."""
    kind = KINDS[account.platform]
    if account.settings.get("sandbox") == "true":
        sandbox = running_sandbox(account.platform)
        module = kind.sandbox_module()
        live = ChannelAccount(account.platform, account.name,
                              {**account.settings, **module.account_settings(sandbox.url)}, account.id)
        return kind.connector_class()(live, dict(module.SECRETS))
    made = kind.connector_class()(account, credentials.load_secrets(account.id))
    made.on_secrets_changed = lambda secrets: credentials.save_secrets(account.id, secrets)
    return made


def check_connection(account: ChannelAccount) -> str:
    """Talk to the platform once; returns a confirmation or raises a ChannelError with advice."""
    made = connector(account)
    try:
        return made.test_connection()
    finally:
        made.close()


@dataclass
class AccountSyncResult:
    account: ChannelAccount
    report: SyncReport | None
    error: FulfillError | None


def active_accounts(store: Store) -> list[ChannelAccount]:
    return [a for a in store.accounts.all()
            if a.platform in KINDS and a.settings.get("removed") != "true"
            and a.settings.get("demo") != "true"]


def sync_accounts(store: Store, accounts: list[ChannelAccount], *, progress: Progress = no_progress,
                  cancel: CancelToken | None = None, now: datetime | None = None
                  ) -> list[AccountSyncResult]:
    """Sync each account in turn; one account failing does not stop the others."""
    results = []
    for n, account in enumerate(accounts):
        def scaled(fraction: float, message: str, n: int = n) -> None:
            overall = (n + max(fraction, 0.0)) / len(accounts) if fraction >= 0 else -1.0
            progress(overall, message)

        made = connector(account)
        try:
            report = sync_account(store, made, progress=scaled, cancel=cancel, now=now)
            results.append(AccountSyncResult(account, report, None))
        except FulfillError as error:
            results.append(AccountSyncResult(account, None, error))
        finally:
            made.close()
        if cancel and cancel.cancelled:
            break
    return results


def deliver_write_backs(store: Store, *, now: datetime | None = None) -> DeliveryReport:
    """Send due tracking write-backs, one connector per account."""
    accounts = {a.id: a for a in store.accounts.all()}
    made: dict[int, Connector] = {}

    def for_account(account_id: int) -> Connector:
        if account_id not in made:
            made[account_id] = connector(accounts[account_id])
        return made[account_id]

    try:
        return deliver_due(store, for_account, now=now)
    finally:
        for item in made.values():
            item.close()
