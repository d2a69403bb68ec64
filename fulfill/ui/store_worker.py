"""Writes off the UI thread: one worker thread, one Store, one job at a time.

DESIGN.md: a SQLite connection is used only by the thread that opened it, and writes go
through one database worker. `StoreWorker` is that worker. Jobs are plain functions
`job(store, progress, cancel) -> result` (the same shape the services take), so they stay
Qt-free; progress, results and errors come back on the UI thread through a queued signal.

`run_in_thread()` is for work that needs no store at all (a connection test that waits on the
network): a plain thread per call, the answer delivered on the UI thread the same way.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal

from fulfill.errors import FulfillError
from fulfill.services.progress import CancelToken, Cancelled, Progress
from fulfill.storage import Store
from fulfill.translation import _

log = logging.getLogger(__name__)

T = TypeVar("T")
Job = Callable[[Store, Progress, CancelToken], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
OnProgress = Callable[[float, str], None]


class _Bridge(QObject):
    """Lives in the UI thread; a signal emitted from another thread is queued to it."""

    message = Signal(object)


def _alive(owner: QObject | None) -> bool:
    return owner is None or shiboken6.isValid(owner)


@dataclass
class _Task:
    job: Job
    on_done: Done | None
    on_error: Failed | None
    on_progress: OnProgress | None
    owner: QObject | None
    token: CancelToken = field(default_factory=CancelToken)


class StoreWorker:
    """One background thread with its own Store; write jobs run one at a time, in order."""

    def __init__(self, store_path: Path | str, *,
                 open_store: Callable[[Path], Store] = Store.open) -> None:
        self.path = Path(store_path)
        self._open_store = open_store
        self._jobs: queue.Queue[_Task | None] = queue.Queue()
        self._lock = threading.Lock()
        self._running: _Task | None = None
        self._pending = 0  # submitted and not yet delivered
        self._closed = False
        # Parentless and owned by this object; the thread holds `self`, so the bridge outlives
        # every emit. It must be made in the UI thread so queued signals land there.
        self._bridge = _Bridge()
        self._bridge.message.connect(self._deliver)
        self._thread = threading.Thread(target=self._run, name="store-worker", daemon=True)
        self._thread.start()

    # --- UI thread ---------------------------------------------------------------------
    def submit(self, job: Job, on_done: Done | None = None, on_error: Failed | None = None,
               on_progress: OnProgress | None = None, *,
               owner: QObject | None = None) -> CancelToken:
        """Queue `job(store, progress, cancel)`. Callbacks run on the UI thread; none runs once
        `owner` (a widget the callbacks belong to) is deleted or the worker is closed.
        Returns the job's CancelToken: cancelling it before the job starts skips the job."""
        if self._closed:
            raise RuntimeError("StoreWorker is closed")
        task = _Task(job, on_done, on_error, on_progress, owner)
        with self._lock:
            self._pending += 1
        self._jobs.put(task)
        return task.token

    @property
    def busy(self) -> bool:
        """True while a job runs or waits, or its result is not yet delivered."""
        with self._lock:
            return self._pending > 0

    def cancel(self) -> None:
        """Ask the running job to stop (it stops at its next check; saved work stays)."""
        with self._lock:
            if self._running is not None:
                self._running.token.cancel()

    def close(self, timeout: float = 30.0) -> None:
        """Cancel the running job, drop waiting ones, wait for the thread; it closes the store."""
        if self._closed:
            return
        self._closed = True
        while True:  # waiting jobs will never run: cancel and forget them
            try:
                task = self._jobs.get_nowait()
            except queue.Empty:
                break
            if task is not None:
                task.token.cancel()
        self.cancel()
        self._jobs.put(None)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("The store worker did not stop within %.0f s", timeout)

    def _deliver(self, message: tuple) -> None:
        kind, task, value = message
        if kind != "progress":
            with self._lock:
                self._pending -= 1
        if self._closed or not _alive(task.owner):
            return
        if kind == "progress":
            if task.on_progress is not None:
                task.on_progress(*value)
        elif kind == "done":
            if task.on_done is not None:
                task.on_done(value)
        elif task.on_error is not None:
            task.on_error(value)
        elif not isinstance(value, Cancelled):
            log.error("A background job failed and nobody was told: %r", value)

    # --- worker thread -----------------------------------------------------------------
    def _emit(self, kind: str, task: _Task, value: Any) -> None:
        if not self._closed:
            self._bridge.message.emit((kind, task, value))

    def _run(self) -> None:
        store: Store | None = None
        open_error: BaseException | None = None
        try:
            store = self._open_store(self.path)
        except Exception as error:  # every job will report it; the thread keeps serving
            log.exception("The store worker could not open %s", self.path)
            open_error = error
        try:
            while (task := self._jobs.get()) is not None:
                self._run_one(store, open_error, task)
        finally:
            if store is not None:
                store.close()

    def _run_one(self, store: Store | None, open_error: BaseException | None, task: _Task) -> None:
        if task.token.cancelled:
            self._emit("error", task, Cancelled())
            return
        if store is None:
            self._emit("error", task, open_error)
            return
        with self._lock:
            self._running = task

        def progress(fraction: float, message: str) -> None:
            self._emit("progress", task, (fraction, message))

        try:
            result = task.job(store, progress, task.token)
        except Exception as error:  # reported to the UI, never lost in the thread
            if isinstance(error, FulfillError):  # expected, and explained to the user
                log.info("Background job refused: %s", error)
            elif not isinstance(error, Cancelled):
                log.exception("Background job failed")
            outcome = ("error", error)
        else:
            outcome = ("done", result)
        finally:
            with self._lock:
                self._running = None
        self._emit(outcome[0], task, outcome[1])


# --- plain threads for work that needs no store ------------------------------------------
_thread_bridge: _Bridge | None = None


def _thread_deliver(message: tuple) -> None:
    owner, callback, value = message
    if _alive(owner):
        callback(value)


def run_in_thread(fn: Callable[[], T], on_done: Callable[[T], None],
                  on_error: Callable[[Exception], None], *, owner: QObject | None = None,
                  name: str = "background") -> threading.Thread:
    """Run `fn()` in a new daemon thread; its result or exception comes back on the UI thread.
    Call from the UI thread. Callbacks are skipped once `owner` is deleted."""
    global _thread_bridge
    if _thread_bridge is None or not shiboken6.isValid(_thread_bridge):
        # One bridge for the app's lifetime, parented to the application so it is never
        # deleted while a thread could still emit through it.
        _thread_bridge = _Bridge(QCoreApplication.instance())
        _thread_bridge.message.connect(_thread_deliver)
    bridge = _thread_bridge

    def body() -> None:
        try:
            message = (owner, on_done, fn())
        except Exception as error:
            log.info("Background task %s failed: %s", name, error)
            message = (owner, on_error, error)
        if shiboken6.isValid(bridge):
            bridge.message.emit(message)

    thread = threading.Thread(target=body, name=name, daemon=True)
    thread.start()
    return thread


def with_own_store(store_path: Path | str, fn: Callable[[Store], T]) -> T:
    """fn(store) on a Store opened in the calling thread: for run_in_thread work that reads
    a store the app already checked (a connection serves only the thread that opened it)."""
    with Store.open(Path(store_path), create=False, check_integrity=False) as store:
        return fn(store)


def error_text(error: BaseException, separator: str = " ") -> str:
    """What went wrong and what to do, for a status line (" ") or a message box ("\n\n")."""
    if isinstance(error, FulfillError):
        return f"{error.message}{separator}{error.advice}".strip()
    return _("Something went wrong: {error}").format(error=error)
