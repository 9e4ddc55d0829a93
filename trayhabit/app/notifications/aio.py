"""A private asyncio event loop on a thread of its own, for libraries that speak asyncio.

desktop-notifier (and dbus-fast under it) needs a running asyncio loop, while the app runs Qt's.
Rather than replace Qt's loop (qasync) the app keeps one asyncio loop on a daemon thread and hands
it coroutines; results come back as ``concurrent.futures.Future`` objects, and whatever must reach
the widgets goes through queued Qt signals. An idle loop sleeps in the kernel until a socket speaks,
so it costs nothing between reminders.

An exception that nobody awaits (a callback that raised, a future whose error was never read) ends
up in the loop's exception handler; this one passes it to ``sys.excepthook``, which in the app is the
crash hook (:mod:`trayhabit.app.crash`): logged with its traceback and shown, like a slot's.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import sys
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class EventLoopThread:
    """An asyncio loop running on a daemon thread, started on first use."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        """Whether the loop's thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Run *coroutine* on the loop; its result or exception arrives in the returned future."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._ensure_loop())

    def stop(self, timeout: float = 2.0) -> None:
        """Cancel what still runs, stop the loop and wait (a little) for its thread to end."""
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        if thread.is_alive():
            log.warning("the %s thread did not stop within %.1f s", self._name, timeout)

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                ready = threading.Event()
                thread = threading.Thread(target=self._run, args=(loop, ready), name=self._name, daemon=True)
                thread.start()
                ready.wait()
                self._loop, self._thread = loop, thread
            return self._loop

    @staticmethod
    def _run(loop: asyncio.AbstractEventLoop, ready: threading.Event) -> None:
        asyncio.set_event_loop(loop)
        loop.set_exception_handler(report_loop_error)
        loop.call_soon(ready.set)
        try:
            loop.run_forever()
        finally:
            # Cancel what is left (a pending D-Bus call) and let it unwind before the loop closes.
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()


def report_loop_error(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The loop's exception handler: an exception goes to ``sys.excepthook`` (the app's crash hook);
    anything else (an unclosed transport, a slow callback) is logged as asyncio logs it."""
    error = context.get("exception")
    if isinstance(error, Exception):
        log.error("in the asyncio loop: %s", context.get("message", "an exception"))
        sys.excepthook(type(error), error, error.__traceback__)
    else:
        loop.default_exception_handler(context)
