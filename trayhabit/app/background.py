"""The worker that owns the app's long work, so that the UI thread never waits for it.

A sync's first pull of another computer's years, a large import or export, a calendar file: each runs
as a :class:`Task` on the worker's one thread, one at a time, in the order asked. The work itself is a
core use case, which knows nothing of threads: it is handed the task's :meth:`Task.report` and
:meth:`Task.is_cancelled` as its ``progress`` and ``cancelled`` callables (see
:mod:`trayhabit.core.progress`). What comes of it is delivered back on the UI thread by a queued
signal: the result, a refusal (:class:`~trayhabit.core.errors.UserError`, in the user's words), a
cancel, or a bug. A bug is logged and shown as the crash hook shows any other
(:mod:`trayhabit.app.crash`: ``sys.excepthook`` is called on the worker's thread), then ends its task
like a failure, so that the window waiting for it gives its buttons back.

The store is safe to use from the worker's thread (its own lock); the work takes the lock in short
steps (see :mod:`trayhabit.core.sync`), so the UI thread's reads wait at most one step.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from trayhabit.core.errors import UserError
from trayhabit.core.progress import CancelledError

log = logging.getLogger(__name__)

# The name the worker's thread goes by in logs and crash reports.
THREAD_NAME = "trayhabit-worker"


class Outcome(Enum):
    """How a task ended."""

    DONE = "done"
    REFUSED = "refused"  # a UserError: its message is the task's ``error``
    CANCELLED = "cancelled"  # stopped before it wrote anything
    CRASHED = "crashed"  # a bug: logged and shown by the crash hook


class Task(QObject):
    """One piece of long work: what it is, how far it got, and a way to ask it to stop.

    Made and used on the UI thread, except :meth:`report` and :meth:`is_cancelled`, which the work
    calls on the worker's thread.

    Signals:
        progressed(int done, int total, str what): the work got further (delivered on the UI thread;
            a burst of reports arrives as the latest one).
        finished(): the work ended; :attr:`outcome` says how, :attr:`result` or :attr:`error` what.
    """

    progressed = Signal(int, int, str)
    finished = Signal()

    def __init__(self, label: str, *, cancellable: bool) -> None:
        super().__init__()
        # What the work is, in the user's words ("Importing habits.json"), until it reports more.
        self.label = label
        # Whether stopping it is safe (the window then offers Cancel).
        self.cancellable = cancellable
        self.done = 0
        self.total = 0
        self.what = label
        self.outcome: Outcome | None = None
        self.result: object = None
        self.error = ""
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._pending: tuple[int, int, str] | None = None
        self._worker: BackgroundWorker | None = None

    @property
    def running(self) -> bool:
        """Whether the work has not ended yet."""
        return self.outcome is None

    def cancel(self) -> None:
        """Ask the work to stop where that is safe; it ends as :attr:`Outcome.CANCELLED` if it does."""
        if self.cancellable:
            self._cancel.set()

    def is_cancelled(self) -> bool:
        """Whether :meth:`cancel` was called (the work's ``cancelled`` callable; any thread)."""
        return self._cancel.is_set()

    def report(self, done: int, total: int, what: str) -> None:
        """The work's ``progress`` callable (any thread): pass *done* of *total*, doing *what*, to the
        UI thread; reports that come faster than it takes them are merged into the latest."""
        with self._lock:
            first = self._pending is None
            self._pending = (done, total, what)
        if first and self._worker is not None:
            self._worker._delivered.emit(self, None, None)

    def _take_report(self) -> tuple[int, int, str] | None:
        with self._lock:
            pending, self._pending = self._pending, None
        return pending

    def describe(self) -> str:
        """What is being done, with how far it got when that is known ("Importing … (3 of 10)")."""
        if self.total:
            return (
                self.tr("%1 (%2 of %3)")
                .replace("%1", self.what)
                .replace("%2", str(self.done))
                .replace("%3", str(self.total))
            )
        return self.what


class BackgroundWorker(QObject):
    """Runs long work on one thread of its own, one task at a time, and delivers the outcome here.

    Signals:
        started(Task): a task was queued (the tray says what is being done while any runs).
        progressed(Task): a task got further.
        finished(Task): a task ended (after its own ``finished`` and its callbacks).
    """

    started = Signal(object)
    progressed = Signal(object)
    finished = Signal(object)
    # From the worker's thread: (task, outcome or None for progress, result or message).
    _delivered = Signal(object, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one worker: long work never races long work
        self._tasks: list[Task] = []
        self._callbacks: dict[Task, Callable[[Task], None]] = {}
        self._delivered.connect(self._on_self_delivered)

    @property
    def tasks(self) -> list[Task]:
        """The tasks queued or running, oldest first."""
        return list(self._tasks)

    @property
    def busy(self) -> bool:
        """Whether any task is queued or running."""
        return bool(self._tasks)

    def submit(
        self,
        label: str,
        work: Callable[[Task], Any],
        *,
        cancellable: bool = False,
        on_end: Callable[[Task], None] | None = None,
    ) -> Task:
        """Run *work(task)* on the worker's thread; *on_end(task)* is called here when it ended."""
        # No parent: the task lives as long as someone holds it (this worker until it ends, a window
        # while it shows its progress), so a window never holds a deleted one.
        task = Task(label, cancellable=cancellable)
        task._worker = self
        self._tasks.append(task)
        if on_end is not None:
            self._callbacks[task] = on_end
        self._pool.start(lambda: self._run(task, work))
        self.started.emit(task)
        return task

    def wait(self, msecs: int = -1) -> bool:
        """Wait for every queued task's work to end; whether it did within *msecs*."""
        return self._pool.waitForDone(msecs)

    def stop(self) -> None:
        """The app is quitting: drop the tasks not started, ask the running one to stop where that is
        safe, and wait for it (a write under way is finished, never cut off)."""
        self._pool.clear()
        for task in self._tasks:
            task.cancel()
        self._pool.waitForDone()

    def _run(self, task: Task, work: Callable[[Task], Any]) -> None:
        """On the worker's thread: run the work and send what came of it to the UI thread."""
        threading.current_thread().name = THREAD_NAME
        try:
            if task.is_cancelled():
                raise CancelledError
            with _old_objects_frozen():
                result = work(task)
        except UserError as error:
            self._delivered.emit(task, Outcome.REFUSED, str(error))
        except CancelledError:
            self._delivered.emit(task, Outcome.CANCELLED, None)
        except Exception:
            # A bug: logged and shown by the crash hook, sys.excepthook once the app installed it
            # (logged here when none is), and the task ends so that whoever waits for it goes on.
            if sys.excepthook is sys.__excepthook__:
                log.exception("background work %r failed", task.label)
            else:
                sys.excepthook(*sys.exc_info())
            self._delivered.emit(task, Outcome.CRASHED, None)
        else:
            self._delivered.emit(task, Outcome.DONE, result)

    @Slot(object, object, object)
    def _on_self_delivered(self, task: Task, outcome: Outcome | None, payload: object) -> None:
        if outcome is None or task.outcome is None:
            pending = task._take_report()
            if pending is not None:
                task.done, task.total, task.what = pending
                task.progressed.emit(*pending)
                self.progressed.emit(task)
        if outcome is None:
            return
        task.outcome = outcome
        if outcome is Outcome.DONE:
            task.result = payload
        elif outcome is Outcome.REFUSED:
            task.error = str(payload)
        if task in self._tasks:
            self._tasks.remove(task)
        callback = self._callbacks.pop(task, None)
        try:
            if callback is not None:
                callback(task)
            task.finished.emit()
        finally:
            self.finished.emit(task)


class _OldObjectsFrozen:
    """Keeps the objects that exist when long work starts out of the garbage collector's passes
    while it runs (re-entrant: the last one out unfreezes).

    Long work allocates at a great rate (a walk of ten years of months, a first sync), and every so
    often that starts a full collection, which walks every object of the process while holding the
    interpreter's lock: with the app's store in memory, 100 ms and more in which the UI thread cannot
    run a line of Python (measured by the benchmark's stall probes: 110-170 ms worst with, 49 ms
    without). Frozen (``gc.freeze``), the objects that were there before are not walked, so a
    collection during the work costs only what the work keeps; they are unfrozen after it.
    """

    def __init__(self) -> None:
        self._depth = 0
        self._lock = threading.Lock()

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            self._depth += 1
            if self._depth == 1:
                gc.freeze()
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0:
                    gc.unfreeze()


_old_objects_frozen = _OldObjectsFrozen()
