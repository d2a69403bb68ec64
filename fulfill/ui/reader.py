"""Store reads off the UI thread.

One worker thread owns its own SQLite connection (a connection stays in the thread that
opened it). Jobs are plain functions `fn(db) -> result`; results come back on the UI thread
through a queued signal. A newer job of the same kind makes older, unfinished ones moot, so a
fast typist never sees results of a search they already changed.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from fulfill.storage.database import connect, store_errors

log = logging.getLogger(__name__)

Job = Callable[[Any], Any]
Done = Callable[[Any], None]
Failed = Callable[[Exception], None]


class _Bridge(QObject):
    finished = Signal(object)


class StoreReader:
    def __init__(self, store_path: Path) -> None:
        self._path = store_path
        self._jobs: queue.Queue = queue.Queue()
        self._latest: dict[str, int] = {}
        self._lock = threading.Lock()
        self._bridge = _Bridge()
        self._bridge.finished.connect(self._deliver)
        self._thread = threading.Thread(target=self._run, name="store-reader", daemon=True)
        self._thread.start()

    def submit(self, kind: str, job: Job, on_done: Done, on_error: Failed | None = None) -> None:
        """Run `job(db)` in the reader thread; call `on_done(result)` on the UI thread."""
        with self._lock:
            token = self._latest.get(kind, 0) + 1
            self._latest[kind] = token
        self._jobs.put((kind, token, job, on_done, on_error))

    def _is_latest(self, kind: str, token: int) -> bool:
        with self._lock:
            return self._latest.get(kind) == token

    def _run(self) -> None:
        db = connect(self._path)
        try:
            while (item := self._jobs.get()) is not None:
                kind, token, job, on_done, on_error = item
                if not self._is_latest(kind, token):
                    continue  # superseded before it started
                try:
                    with store_errors(self._path):
                        outcome: Any = ("ok", job(db))
                except Exception as error:  # reported to the UI, never lost in the thread
                    log.exception("Store read failed")
                    outcome = ("error", error)
                self._bridge.finished.emit((kind, token, on_done, on_error, outcome))
        finally:
            db.close()

    def _deliver(self, message: tuple) -> None:
        kind, token, on_done, on_error, (state, value) = message
        if not self._is_latest(kind, token):
            return
        if state == "ok":
            on_done(value)
        elif on_error is not None:
            on_error(value)

    def close(self, timeout: float = 5.0) -> None:
        """Finish the running job, drop queued ones, close the connection."""
        with self._lock:
            self._latest.clear()  # every queued job is now superseded
        self._jobs.put(None)
        self._thread.join(timeout)
