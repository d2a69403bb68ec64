"""Progress reporting that keeps services free of Qt: a plain callback and a cancel flag."""

from __future__ import annotations

import threading
from collections.abc import Callable

Progress = Callable[[float, str], None]


def no_progress(fraction: float, message: str) -> None:
    """The default progress callback: report nothing."""


class Cancelled(Exception):
    """The user asked a long job to stop; what it finished before stays saved."""


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()
