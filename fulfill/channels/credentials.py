"""Channel credentials in the operating system's keychain (keyring): never in the store,
a settings file or a log."""

from __future__ import annotations

import json

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from fulfill.errors import SecretsUnavailable

SERVICE = "fulfill"


def _entry(account_id: int) -> str:
    return f"channel-account-{account_id}"


def _unavailable(error: Exception) -> SecretsUnavailable:
    return SecretsUnavailable(
        f"The system keychain cannot be used ({error}).",
        "On Windows and macOS it is built in; on Linux install and unlock a Secret Service "
        "keyring (GNOME Keyring or KWallet), then try again.")


def save_secrets(account_id: int, secrets: dict[str, str]) -> None:
    try:
        keyring.set_password(SERVICE, _entry(account_id), json.dumps(secrets))
    except KeyringError as error:
        raise _unavailable(error) from error


def load_secrets(account_id: int) -> dict[str, str]:
    try:
        stored = keyring.get_password(SERVICE, _entry(account_id))
    except KeyringError as error:
        raise _unavailable(error) from error
    return json.loads(stored) if stored else {}


def delete_secrets(account_id: int) -> None:
    try:
        keyring.delete_password(SERVICE, _entry(account_id))
    except PasswordDeleteError:
        pass  # nothing stored: nothing to delete
    except KeyringError as error:
        raise _unavailable(error) from error
