"""Reminders through plyer: the last resort, fire and forget.

plyer reaches a notification on many platforms but reports nothing back: no click, no buttons
(on Linux it sends no actions at all, through dbus-python or ``notify-send``). The user acts from
the tray menu's "Due now" section or the check-off window. plyer's calls block (``notify-send`` is a
subprocess), so they run on a worker thread.
"""

from __future__ import annotations

import concurrent.futures
import logging
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal

from trayhabit.app.notifications import Notifier, reminder_text, summary_text
from trayhabit.core.reminders import Reminder

log = logging.getLogger(__name__)

# Seconds a plyer notification stays, where the platform honours it.
TIMEOUT_SECONDS = 15


def plyer_notify(title: str, message: str, icon: Path | None) -> None:
    """Show one notification with plyer; raises when plyer has no way on this platform."""
    from plyer import notification

    with warnings.catch_warnings(record=True) as caught:
        # plyer warns (instead of failing) when dbus-python is missing and it falls back to
        # notify-send: that goes to the log, not out as a Python warning.
        warnings.simplefilter("always")
        try:
            notification.notify(
                title=title,
                message=message,
                app_name="TrayHabit",
                app_icon=str(icon) if icon is not None else "",
                timeout=TIMEOUT_SECONDS,
            )
        except AttributeError as error:
            # With no way on this platform, plyer leaves None in place of its implementation.
            hints = "; ".join(str(warning.message).splitlines()[0] for warning in caught)
            raise RuntimeError(f"plyer has no way to show notifications here ({hints})") from error
    for warning in caught:
        log.info("plyer: %s", str(warning.message).splitlines()[0])


class PlyerNotifier(Notifier):
    """Shows reminders with plyer, on a worker thread.

    Signals:
        clicked(str), action_invoked(str, str): never emitted; plyer reports nothing back.
        failed(str, object): plyer has no way to show a notification here.
    """

    name = "plyer"

    _finished = Signal(object, str)  # what failed to show, why

    def __init__(
        self,
        icon: Path | None = None,
        show: Callable[[str, str, Path | None], None] = plyer_notify,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._icon = icon
        self._show = show
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="plyer")
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    def stop(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def notify(self, reminder: Reminder) -> None:
        self._submit(*reminder_text(reminder), reminder)

    def notify_summary(self, reminders: Sequence[Reminder]) -> None:
        self._submit(*summary_text(reminders), list(reminders))

    def _submit(self, title: str, body: str, what: object) -> None:
        future = self._pool.submit(self._show, title, body, self._icon)

        def done(future: concurrent.futures.Future[None]) -> None:
            if not future.cancelled() and (error := future.exception()) is not None:
                self._finished.emit(what, f"{type(error).__name__}: {error}")

        future.add_done_callback(done)

    def _on_finished(self, what: object, error: str) -> None:
        self.failed.emit(error, what)
