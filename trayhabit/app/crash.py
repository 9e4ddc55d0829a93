"""The app's crash hook: an unexpected exception is logged and shown in one dialog; the app runs on.

A bug can surface anywhere: in a slot (PySide6 hands an exception that escapes a slot to
``sys.excepthook``), in a worker thread (``threading.excepthook``), or on the asyncio thread of the
notification stack (its loop's exception handler passes it to ``sys.excepthook``; see
:mod:`trayhabit.app.notifications.aio`). Each goes the same way: its traceback into the data
folder's log (:mod:`trayhabit.core.applog`) on the thread it happened on, then a queued signal to the
UI thread, which shows :class:`~trayhabit.app.windows.crash_dialog.CrashDialog`, or counts one more
error into the dialog already shown, so that a bug that fires on every tick does not bury the desktop
in windows.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from trayhabit import __version__
from trayhabit.core import applog

if TYPE_CHECKING:
    from trayhabit.app.windows.crash_dialog import CrashDialog

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]
ThreadHook = Callable[[threading.ExceptHookArgs], object]


class CrashHook(QObject):
    """Receives every exception nobody caught, once :meth:`install` has made it the process's hook.

    Signals:
        reported(str details): an unexpected error was logged; *details* is what "Copy details"
            copies (version, where, traceback). Emitted on the thread the error happened on and
            delivered queued to the UI thread, where the dialog is shown.
    """

    reported = Signal(str)

    def __init__(self, log: applog.DataFolderLog, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._log = log
        self._dialog: CrashDialog | None = None
        self._previous: tuple[ExceptHook, ThreadHook] | None = None
        self.reported.connect(self._on_self_reported)

    @property
    def log_file(self) -> applog.DataFolderLog:
        """The log the tracebacks go to."""
        return self._log

    @property
    def dialog(self) -> CrashDialog | None:
        """The dialog, once an error has been shown."""
        return self._dialog

    def install(self) -> None:
        """Become ``sys.excepthook`` and ``threading.excepthook``; :meth:`uninstall` undoes it."""
        if self._previous is None:
            self._previous = (sys.excepthook, threading.excepthook)
            sys.excepthook = self.excepthook
            threading.excepthook = self.thread_excepthook

    def uninstall(self) -> None:
        """Give the hooks back to what was there before :meth:`install`."""
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def excepthook(
        self, exc_type: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        """``sys.excepthook``: a slot's exception, or one passed on from another thread."""
        if not issubclass(exc_type, Exception):
            # Ctrl+C in the terminal that started the app, and the like: not a bug; as before.
            sys.__excepthook__(exc_type, error, trace)
            return
        thread = threading.current_thread()
        where = "the UI thread" if thread is threading.main_thread() else f"the thread {thread.name!r}"
        self.report(where, (exc_type, error, trace))

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        """``threading.excepthook``: an exception that ended a thread."""
        if args.exc_value is None or not issubclass(args.exc_type, Exception):
            # SystemExit ends a thread quietly; threading's own hook knows what to do with it.
            threading.__excepthook__(args)
            return
        name = args.thread.name if args.thread is not None else "?"
        self.report(f"the thread {name!r}", (args.exc_type, args.exc_value, args.exc_traceback))

    def report(self, where: str, exc_info: applog.ExcInfo) -> None:
        """Log the error *exc_info* that happened in *where*, then have the UI thread show it.

        Safe to call from any thread: the log is thread-safe and the signal is queued across threads.
        """
        applog.log_crash(self._log, where, exc_info)
        details = f"TrayHabit {__version__}, in {where}:\n" + "".join(traceback.format_exception(*exc_info))
        self.reported.emit(details)

    @Slot(str)
    def _on_self_reported(self, details: str) -> None:
        if self._dialog is None:
            # Imported on the first error only: most runs never need it.
            from trayhabit.app.windows.crash_dialog import CrashDialog

            self._dialog = CrashDialog(self._log.path.parent)
        self._dialog.add(details)
