"""Errors the user can act on. Each says what happened and what to do next."""

from __future__ import annotations


class FulfillError(Exception):
    """Base for every error fulfill raises on purpose."""

    def __init__(self, message: str, advice: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.advice = advice

    def __str__(self) -> str:
        return f"{self.message} {self.advice}".strip()


class StoreError(FulfillError):
    """The order store cannot be opened or written. Nothing stored before is lost."""


class StoreLocked(StoreError):
    pass


class StoreCorrupt(StoreError):
    pass


class StoreNotOurs(StoreError):
    pass


class StoreReadOnly(StoreError):
    pass


class StoreTooNew(StoreError):
    pass


class StoreDiskFull(StoreError):
    pass


class StoreMissing(StoreError):
    pass


class ChannelError(FulfillError):
    """A sales platform could not be reached or refused a request."""


class ChannelAuthError(ChannelError):
    """The platform refused the account's credentials."""


class ChannelUnavailable(ChannelError):
    """Network fault, timeout or server error that outlasted the retries: try again later."""


class ChannelRejected(ChannelError):
    """The platform understood the request and said no (4xx other than auth and throttling)."""


class PayloadError(ChannelError):
    """The platform answered with data fulfill cannot read."""


class SecretsUnavailable(FulfillError):
    """No operating-system keychain to keep channel credentials in."""
