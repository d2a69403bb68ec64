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
