"""The channel account service without Qt: editing accounts, syncing several, cancelling."""

from __future__ import annotations

import pytest

from fulfill.channels import credentials
from fulfill.domain import Platform
from fulfill.errors import FulfillError
from fulfill.services.channel_sync import sync_all
from fulfill.services.channels import (
    add_account, add_sandbox_account, stop_sandboxes, sync_accounts, update_account,
)
from fulfill.services.progress import CancelToken
from fulfill.storage.sync_state import SyncRepository


@pytest.fixture
def sandboxes():
    """Sandbox accounts start a local stand-in of the platform; stop it afterwards."""
    yield
    stop_sandboxes()


def woo_shop(store, name="Seoul Glow", secrets=None):
    return add_account(store, Platform.WOOCOMMERCE, name,
                       {"site_url": "http://127.0.0.1:9"}, secrets or {})


def stored_name(store, account_id) -> str:
    return store.db.execute("SELECT name FROM channel_accounts WHERE id = ?",
                            [account_id]).fetchone()[0]


def test_display_name_says_the_platform_once(store):
    assert woo_shop(store).display_name == "WooCommerce · Seoul Glow"
    assert woo_shop(store, "WooCommerce (sandbox)").display_name == "WooCommerce (sandbox)"
    assert woo_shop(store, "woocommerce EU").display_name == "woocommerce EU"


# --- update_account --------------------------------------------------------------------------
def test_update_renames_and_merges_settings(store):
    shop = woo_shop(store)
    updated = update_account(store, shop, "  Seoul Glow EU ", {"site_url": "https://eu.example"},
                             {})
    assert updated.name == "Seoul Glow EU" and updated.id == shop.id
    assert updated.settings == {"site_url": "https://eu.example"}
    assert stored_name(store, shop.id) == "Seoul Glow EU"
    (saved,) = [a for a in store.accounts.all() if a.id == shop.id]
    assert saved.settings == updated.settings


def test_update_refuses_a_duplicate_or_empty_name(store):
    first = woo_shop(store, "Seoul Glow")
    second = woo_shop(store, "Busan Beauty")
    with pytest.raises(FulfillError) as clash:
        update_account(store, second, "Seoul Glow", {}, {})
    assert "already called “Seoul Glow”" in clash.value.message
    assert clash.value.advice == "Choose a different name."
    with pytest.raises(FulfillError) as empty:
        update_account(store, second, "   ", {}, {})
    assert empty.value.advice
    assert stored_name(store, second.id) == "Busan Beauty"
    # Its own name, or another platform's account of the same name, is no clash.
    assert update_account(store, first, "Seoul Glow", {}, {}).name == "Seoul Glow"
    etsy = add_account(store, Platform.ETSY, "Busan Beauty", {}, {})
    assert etsy.name == "Busan Beauty"


def test_update_merges_typed_secrets_into_the_keychain(store, memory_keyring):
    shop = woo_shop(store, secrets={"consumer_key": "ck_1", "consumer_secret": "cs_1"})
    update_account(store, shop, shop.name, {}, {"consumer_secret": "cs_2"})
    assert credentials.load_secrets(shop.id) == {"consumer_key": "ck_1", "consumer_secret": "cs_2"}
    update_account(store, shop, shop.name, {}, {})  # nothing typed: nothing replaced
    assert credentials.load_secrets(shop.id)["consumer_secret"] == "cs_2"
    settings = store.db.execute("SELECT settings FROM channel_accounts").fetchone()[0]
    assert "cs_" not in settings and "ck_" not in settings
    assert len(memory_keyring.entries) == 1


# --- sync_accounts ---------------------------------------------------------------------------
def test_missing_credential_fails_its_account_only(store, sandboxes):
    broken = woo_shop(store)  # no key or secret in the keychain
    sandbox = add_sandbox_account(store, Platform.WOOCOMMERCE)

    failed, synced = sync_accounts(store, [broken, sandbox])

    assert failed.account == broken and failed.report is None and not failed.cancelled
    assert "credential is missing (consumer_key)" in failed.error.message
    assert "Edit" in failed.error.advice
    assert synced.error is None and synced.report.created > 0
    assert synced.report.created == store.db.execute("SELECT count(*) FROM orders").fetchone()[0]
    (entry,) = SyncRepository(store.db).log(broken.id)  # a run that could not start is logged
    assert entry.outcome == "failed" and "consumer_key" in entry.message


def test_cancel_during_the_second_account_keeps_the_first(store, sandboxes):
    first = add_sandbox_account(store, Platform.WOOCOMMERCE)
    second = add_account(store, Platform.WOOCOMMERCE, "Second sandbox", {"sandbox": "true"}, {})
    cancel = CancelToken()

    def progress(fraction: float, message: str) -> None:
        if message.startswith("WooCommerce · Second sandbox"):
            cancel.cancel()  # the second account has started: stop at its first page

    results = sync_accounts(store, [first, second], progress=progress, cancel=cancel)

    assert [r.account.name for r in results] == [first.name, second.name]
    assert results[0].error is None and results[0].report.created > 0
    assert not results[0].cancelled
    assert results[1].cancelled and results[1].report is None and results[1].error is None
    assert SyncRepository(store.db).log(second.id)[0].outcome == "cancelled"


def test_cancel_between_accounts_starts_no_other(store, sandboxes):
    first = add_sandbox_account(store, Platform.WOOCOMMERCE)
    second = woo_shop(store)
    cancel = CancelToken()

    def progress(fraction: float, message: str) -> None:
        if fraction == 0.5:  # the first of two accounts is done
            cancel.cancel()

    results = sync_accounts(store, [first, second], progress=progress, cancel=cancel)

    assert len(results) == 1 and results[0].report.created > 0
    assert SyncRepository(store.db).log(second.id) == []


# --- sync_all --------------------------------------------------------------------------------
def test_sync_all_reports_failures_and_sends_write_backs(store, sandboxes):
    woo_shop(store, "Old shop")
    add_sandbox_account(store, Platform.WOOCOMMERCE)
    messages = []

    outcome = sync_all(store, None, lambda fraction, message: messages.append(message))

    assert [r.account.name for r in outcome.failures] == ["Old shop"]
    assert outcome.failures[0].error.advice
    assert outcome.created > 0 and not outcome.cancelled
    assert outcome.delivery is not None and outcome.delivery_error is None
    assert messages[-1] == "Sending tracking numbers to the platforms…"
    assert "1 account failed" in outcome.summary_line()


def test_sync_all_cancelled_keeps_results_and_sends_nothing(store, sandboxes):
    # Accounts sync in the store's order: by platform, then name.
    first = add_account(store, Platform.WOOCOMMERCE, "A sandbox", {"sandbox": "true"}, {})
    second = add_account(store, Platform.WOOCOMMERCE, "B sandbox", {"sandbox": "true"}, {})
    cancel = CancelToken()

    def progress(fraction: float, message: str) -> None:
        if message.startswith("WooCommerce · B sandbox"):
            cancel.cancel()

    outcome = sync_all(store, None, progress, cancel)

    assert outcome.cancelled and outcome.cancelled_account == second
    assert [r.account for r in outcome.results] == [first]
    assert outcome.created > 0 and outcome.delivery is None
    assert outcome.summary_line().startswith("Sync cancelled at")


def test_sync_all_of_one_account(store, sandboxes):
    woo_shop(store, "Old shop")
    sandbox = add_sandbox_account(store, Platform.WOOCOMMERCE)
    outcome = sync_all(store, sandbox.id)
    assert [r.account for r in outcome.results] == [sandbox] and outcome.failures == []
