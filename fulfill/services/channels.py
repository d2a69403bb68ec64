"""Channel accounts as the seller manages them: add, edit, connect, test, remove, sync, write back.

Secrets go to the OS keychain; the store keeps only the account's name and settings. A
sandbox account ({"sandbox": true}) talks to a local stand-in of the platform started on
demand inside this process, so a newcomer can watch a real sync without any credentials.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from fulfill.channels import credentials
from fulfill.channels.base import Connector, CredentialField
from fulfill.channels.registry import KINDS
from fulfill.domain import ChannelAccount, Platform
from fulfill.errors import FulfillError
from fulfill.services.outbox import DeliveryReport, SentTracking, deliver_due
from fulfill.services.progress import CancelToken, Cancelled, Progress, no_progress
from fulfill.services.sync import SyncReport, sync_account
from fulfill.storage import Store
from fulfill.storage.sync_state import SyncRepository
from fulfill.translation import N_, _

log = logging.getLogger(__name__)

# Shown with _(GENERIC_ADVICE): marked here, translated where it is shown.
GENERIC_ADVICE = N_("Try again; if it keeps happening, send the sync log to support.")

_sandboxes: dict[Platform, object] = {}
_sandbox_lock = threading.Lock()


def supported_platforms() -> list[Platform]:
    return list(KINDS)


@lru_cache(maxsize=None)
def connector_class(platform: Platform) -> type | None:
    """The platform's connector class, or None when this build cannot connect to it yet."""
    if platform not in KINDS:
        return None
    try:
        return KINDS[platform].connector_class()
    except (ImportError, AttributeError):
        return None


@lru_cache(maxsize=None)
def sandbox_available(platform: Platform) -> bool:
    if connector_class(platform) is None:
        return False
    try:
        KINDS[platform].sandbox_class()
    except (ImportError, AttributeError):
        return False
    return True


def credential_fields(platform: Platform) -> tuple[CredentialField, ...]:
    """What the seller types to connect an account of this platform (empty when unsupported)."""
    made = connector_class(platform)
    return tuple(made.credential_fields) if made else ()


def is_sandbox(account: ChannelAccount) -> bool:
    return account.settings.get("sandbox") == "true"


def running_sandbox(platform: Platform):
    """The sandbox for a platform, started on first use and kept for the app's lifetime."""
    with _sandbox_lock:
        if platform not in _sandboxes:
            sandbox = KINDS[platform].sandbox_class()()
            sandbox.start()
            _sandboxes[platform] = sandbox
        return _sandboxes[platform]


@dataclass(frozen=True)
class SandboxConfirmation:
    """A tracking number a sandbox account's stand-in shows on its order after a write-back."""

    account: str
    order_number: str
    tracking_number: str


def sandbox_confirmations(store: Store, sent: list[SentTracking]) -> list[SandboxConfirmation]:
    """Of the tracking numbers just sent to sandbox accounts, those the stand-in now shows,
    read from the stand-in itself: what a seller would check on the platform's order page."""
    accounts = {a.id: a for a in store.accounts.all()}
    recorded: dict[Platform, set[tuple[str, str]]] = {}  # read once per stand-in
    shown = []
    for item in sent:
        account = accounts.get(item.account_id)
        if account is None or not is_sandbox(account):
            continue
        if account.platform not in recorded:
            recorded[account.platform] = set(
                running_sandbox(account.platform).recorded_tracking())
        if (item.platform_order_id, item.tracking_number) in recorded[account.platform]:
            order = store.orders.get(item.order_id)
            number = order.order_number if order else item.platform_order_id
            shown.append(SandboxConfirmation(account.name, number, item.tracking_number))
    return shown


def stop_sandboxes() -> None:
    with _sandbox_lock:
        for sandbox in _sandboxes.values():
            sandbox.stop()
        _sandboxes.clear()


def add_account(store: Store, platform: Platform, name: str, settings: dict[str, str],
                secrets: dict[str, str]) -> ChannelAccount:
    """Save an account: settings in the store, secrets in the keychain."""
    if platform not in KINDS:
        raise _cannot_connect(platform, "")
    if not name.strip():
        raise _needs_a_name()
    with store.errors():
        account = store.accounts.add(ChannelAccount(platform, name.strip(), dict(settings)))
    if secrets:
        credentials.save_secrets(account.id, secrets)
    return account


def _cannot_connect(platform: Platform, advice: str) -> FulfillError:
    return FulfillError(_("fulfill cannot connect to {platform} yet.").format(
        platform=platform.label), advice)


def _needs_a_name() -> FulfillError:
    return FulfillError(_("The account needs a name."),
                        _("Type a name you will recognise, e.g. the shop's."))


def add_sandbox_account(store: Store, platform: Platform) -> ChannelAccount:
    return add_account(store, platform, f"{platform.label} (sandbox)", {"sandbox": "true"}, {})


def update_account(store: Store, account: ChannelAccount, name: str, settings: dict[str, str],
                   secrets: dict[str, str]) -> ChannelAccount:
    """Rename an account, change its settings, replace the secrets that were typed again."""
    name = name.strip()
    if not name:
        raise _needs_a_name()
    with store.errors():
        clash = store.db.execute(
            "SELECT 1 FROM channel_accounts WHERE platform = ? AND name = ? AND id != ?",
            [account.platform.value, name, account.id]).fetchone()
    if clash:
        raise FulfillError(_("Another {platform} account is already called “{name}”.").format(
                               platform=account.platform.label, name=name),
                           _("Choose a different name."))
    merged = {**account.settings, **settings}
    with store.errors(), store.db.atomic():
        store.db.execute("UPDATE channel_accounts SET name = ?, settings = ? WHERE id = ?",
                         [name, json.dumps(merged), account.id])
    if secrets:
        credentials.save_secrets(account.id, {**credentials.load_secrets(account.id), **secrets})
    return ChannelAccount(account.platform, name, merged, account.id)


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
    if is_sandbox(account):
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


def as_fulfill_error(error: BaseException, account: ChannelAccount | None = None) -> FulfillError:
    """Any failure as a message with advice: what happened and what to do next."""
    if isinstance(error, FulfillError):
        if error.advice:
            return error
        return FulfillError(error.message, _(GENERIC_ADVICE))
    if isinstance(error, ImportError) and account is not None:
        return _cannot_connect(account.platform, _(
            "Its orders stay in the store; remove the account or wait for an update."))
    if isinstance(error, KeyError):
        return FulfillError(_("A setting or credential is missing ({name}).").format(
                                name=error.args[0]),
                            _("Select it, press Edit… and fill in every field, then Test "
                              "connection."))
    return FulfillError(_("Something unexpected went wrong ({error}).").format(
                            error=f"{type(error).__name__}: {error}"), _(GENERIC_ADVICE))


@dataclass
class AccountSyncResult:
    account: ChannelAccount
    report: SyncReport | None
    error: FulfillError | None  # always with advice
    cancelled: bool = False  # the user cancelled while this account was syncing


def active_accounts(store: Store) -> list[ChannelAccount]:
    return [a for a in store.accounts.all()
            if a.platform in KINDS and a.settings.get("removed") != "true"
            and a.settings.get("demo") != "true"]


def sync_accounts(store: Store, accounts: list[ChannelAccount], *, progress: Progress = no_progress,
                  cancel: CancelToken | None = None, now: datetime | None = None
                  ) -> list[AccountSyncResult]:
    """Sync each account in turn; one account failing does not stop the others.

    Any failure (a missing credential, a platform out of reach, a bug) becomes that account's
    error, with advice. A cancel stops before the next account; cancelled in the middle of one,
    that account's result says so and the results before it are kept."""
    results = []
    for n, account in enumerate(accounts):
        if cancel and cancel.cancelled:
            break

        def scaled(fraction: float, message: str, n: int = n) -> None:
            overall = (n + max(fraction, 0.0)) / len(accounts) if fraction >= 0 else -1.0
            progress(overall, message)

        made = None
        try:
            made = connector(account)
            report = sync_account(store, made, progress=scaled, cancel=cancel, now=now)
            results.append(AccountSyncResult(account, report, None))
        except Cancelled:
            results.append(AccountSyncResult(account, None, None, cancelled=True))
            break
        except Exception as error:
            results.append(AccountSyncResult(account, None, as_fulfill_error(error, account)))
            if made is None:  # the connector could not be made: the sync never started
                _log_failed_start(store, account, error, results[-1].error)
            elif not isinstance(error, FulfillError):
                log.exception("Sync of %s failed", account.display_name)
        finally:
            if made is not None:
                made.close()
    return results


def _log_failed_start(store: Store, account: ChannelAccount, error: BaseException,
                      problem: FulfillError) -> None:
    """A run that failed before it could start still belongs in the sync log."""
    if isinstance(error, (KeyError, ImportError)):
        log.warning("Sync of %s could not start: %r", account.display_name, error)
    else:
        log.error("Sync of %s failed before it started", account.display_name, exc_info=error)
    try:
        with store.errors():
            repo = SyncRepository(store.db)
            repo.finish_log(repo.start_log(account.id), fetched=0, created=0, changed=0, problems=0,
                            outcome="failed", message=str(problem))
    except FulfillError:
        log.exception("Could not write the sync log")


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
