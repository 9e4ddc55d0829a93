"""Reminders as the desktop's own notifications, with Done and Snooze buttons where offered.

desktop-notifier speaks to each platform's notification centre: D-Bus ``org.freedesktop.Notifications``
on Linux (through dbus-fast), toasts on Windows (WinRT), ``UNUserNotificationCenter`` on macOS. It
needs a running asyncio loop, so every call runs on a private :class:`~.aio.EventLoopThread`, one
after another; results and the user's clicks come back to the Qt thread as queued signals.

The library is imported on that thread when the backend starts, which the chain asks for only when
the first notification is due (or the settings window asks about notifications), so its import time
(about 0.1 s) never delays start-up and its memory is not spent while no reminder comes due.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from trayhabit.app.notifications import (
    ACTION_DONE,
    ACTION_SNOOZE,
    Notifier,
    done_label,
    reminder_text,
    snooze_label,
    summary_text,
)
from trayhabit.app.notifications.aio import EventLoopThread
from trayhabit.app.notifications.platforms import (
    notifier_app_name,
    register_app_user_model_id,
    unavailable_reason,
)
from trayhabit.core.reminders import Reminder

log = logging.getLogger(__name__)

# The action a click on the notification's body reports.
ACTION_CLICK = ""
# How long quitting waits for the notification centre's connection to close.
STOP_SECONDS = 2.0


class NativeUnavailableError(RuntimeError):
    """The platform has no notification centre that desktop-notifier can reach."""


def open_desktop_notifier(
    icon: Path | None,
    platform: str = sys.platform,
    *,
    backend_class: type | None = None,
    registry: Any = None,
) -> Any:
    """desktop-notifier's ``DesktopNotifier`` for this platform; runs on the loop's thread.

    Raises :class:`NativeUnavailableError` where desktop-notifier would only pretend (its dummy
    backend: macOS outside an app bundle, Windows before 10). *backend_class* (what desktop-notifier
    picked) and *registry* (``winreg``) are for tests.
    """
    from desktop_notifier import DesktopNotifier, Icon
    from desktop_notifier.backends.dummy import DummyNotificationCenter
    from desktop_notifier.main import get_backend_class

    if issubclass(backend_class or get_backend_class(), DummyNotificationCenter):
        raise NativeUnavailableError(unavailable_reason(platform))
    notifier = DesktopNotifier(
        app_name=notifier_app_name(platform), app_icon=Icon(path=icon) if icon is not None else None
    )
    if platform == "win32":
        if registry is None:
            import winreg as registry
        register_app_user_model_id(registry, icon)
    return notifier


class NativeNotifier(Notifier):
    """Shows reminders through the platform's notification centre.

    Signals:
        clicked(str): a notification's body was clicked; its habit id, or "" for a summary.
        action_invoked(str, str): Done or Snooze was pressed on a habit's notification.
        failed(str, object): the notification centre cannot be reached, or refused a notification.
        delivered(str): the notification centre took a habit's notification ("" for a summary);
            from then on the user's clicks on it are heard.
    """

    name = "native"
    delivered = Signal(str)

    # Emitted from the loop's thread (or, on macOS, the main thread's run loop); queued to this one.
    _interacted = Signal(str, str, str)  # notification id, habit id, action ("" for a click)
    _finished = Signal(str, object, str)  # what was asked ("open", "send"...), what to retry, error

    def __init__(
        self,
        *,
        snooze_minutes: Callable[[], int],
        icon: Path | None = None,
        opener: Callable[[Path | None], Any] = open_desktop_notifier,
        loop: EventLoopThread | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._snooze_minutes = snooze_minutes
        self._icon = icon
        self._opener = opener
        self._loop = loop or EventLoopThread("notifications")
        # Only ever touched on the loop's thread.
        self._notifier: Any = None
        self._serial = asyncio.Lock()
        # Only ever touched on this (the Qt) thread: the notification on screen for each habit.
        self._shown: dict[str, str] = {}
        self._failed = False
        self._interacted.connect(self._on_interacted, Qt.ConnectionType.QueuedConnection)
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    # -- Notifier ---------------------------------------------------------------------------------------

    def start(self) -> None:
        """Reach the notification centre now, so a failure is known before the first reminder."""
        self._run("open", None, self._open())

    def stop(self) -> None:
        if self._loop.running:
            try:
                self._loop.submit(self._close()).result(timeout=STOP_SECONDS)
            except Exception as error:  # noqa: BLE001 (quitting: say it, and go on quitting)
                log.warning("notifications: could not close the connection: %s", _describe(error))
        self._loop.stop()

    def notify(self, reminder: Reminder) -> None:
        title, body = reminder_text(reminder)
        buttons = ((ACTION_DONE, done_label()), (ACTION_SNOOZE, snooze_label(self._snooze_minutes())))
        self._send(reminder.habit_id, title, body, buttons, reminder)

    def notify_summary(self, reminders: Sequence[Reminder]) -> None:
        title, body = summary_text(reminders)
        self._send("", title, body, (), list(reminders))

    def withdraw(self, habit_id: str) -> None:
        identifier = self._shown.pop(habit_id, None)
        if identifier is not None and not self._failed:
            self._run("withdraw", None, self._clear(identifier))

    # -- the Qt side --------------------------------------------------------------------------------

    def _send(
        self,
        habit_id: str,
        title: str,
        body: str,
        buttons: Sequence[tuple[str, str]],
        what: object,
    ) -> None:
        if self._failed:
            self.failed.emit("", what)  # the chain passes it on to the backend in use
            return
        # The id is chosen here, so that a withdrawal right after finds it; the loop runs the two
        # in the order they were asked.
        identifier = str(uuid.uuid4())
        if habit_id:
            self.withdraw(habit_id)  # one still on screen for this habit makes way for the new one
            self._shown[habit_id] = identifier
        self._run(
            "send", what, self._show(identifier, habit_id, title, body, tuple(buttons)), (habit_id, title)
        )

    def _run(self, step: str, what: object, coroutine: Any, shown: tuple[str, str] = ("", "")) -> None:
        """Run *coroutine* on the loop; its outcome comes back to :meth:`_on_finished` on this thread,
        with *what* to show instead on failure, or the habit id and title *shown* on success."""
        future = self._loop.submit(coroutine)

        def done(future: Any) -> None:
            if future.cancelled():
                return
            error = future.exception()
            self._finished.emit(
                step, shown if error is None else what, "" if error is None else _describe(error)
            )

        future.add_done_callback(done)

    def _on_finished(self, step: str, what: object, error: str) -> None:
        if not error:
            if step == "send" and isinstance(what, tuple):
                habit_id, title = what
                log.info("notification delivered: %s", title)
                self.delivered.emit(habit_id)
            return
        if step == "withdraw":
            log.warning("could not withdraw a notification: %s", error)
            return
        if not self._failed:
            self._failed = True
            self._shown.clear()
        self.failed.emit(error, what)

    def _on_interacted(self, identifier: str, habit_id: str, action: str) -> None:
        if self._shown.get(habit_id) == identifier:
            del self._shown[habit_id]  # the notification centre closes it itself
        if action == ACTION_CLICK:
            self.clicked.emit(habit_id)
        else:
            self.action_invoked.emit(habit_id, action)

    # -- the loop's side ---------------------------------------------------------------------------

    async def _open(self) -> None:
        async with self._serial:
            await self._ensure_open()

    async def _ensure_open(self) -> Any:
        if self._notifier is None:
            notifier = self._opener(self._icon)
            try:
                # Reaching the server (and, on Linux, its capabilities) fails here if there is none.
                await notifier.get_capabilities()
            except BaseException:
                await _disconnect(notifier)
                raise
            self._notifier = notifier
        return self._notifier

    async def _show(
        self, identifier: str, habit_id: str, title: str, body: str, buttons: tuple[tuple[str, str], ...]
    ) -> None:
        from desktop_notifier import Button, Capability, Notification

        async with self._serial:
            notifier = await self._ensure_open()
            capabilities = await notifier.get_capabilities()
            dispatched: list[bool] = []

            def interacted(action: str) -> Callable[[], None]:
                return lambda: self._interacted.emit(identifier, habit_id, action)

            notification = Notification(
                title=title,
                message=body,
                buttons=tuple(
                    Button(title=label, on_pressed=interacted(action), identifier=action)
                    for action, label in buttons
                )
                if Capability.BUTTONS in capabilities
                else (),
                on_clicked=interacted(ACTION_CLICK),
                on_dispatched=lambda: dispatched.append(True),
                identifier=identifier,
            )
            # desktop-notifier logs a failure instead of raising it: the dispatch callback tells.
            await notifier.send_notification(notification)
            if not dispatched:
                raise NativeUnavailableError("the notification centre did not accept the notification")

    async def _close(self) -> None:
        async with self._serial:
            notifier, self._notifier = self._notifier, None
            await _disconnect(notifier)

    async def _clear(self, identifier: str) -> None:
        async with self._serial:
            notifier = await self._ensure_open()
            # One already clicked or closed is gone; clearing it again would fail.
            if identifier in await notifier.get_current_notifications():
                await notifier.clear(identifier)


async def _disconnect(notifier: Any) -> None:
    """Close desktop-notifier's D-Bus connection, if it opened one."""
    # desktop-notifier has no close(); its D-Bus backend keeps the connection as ``bus``.
    bus = getattr(getattr(notifier, "_backend", None), "bus", None)
    if bus is not None and bus.connected:
        bus.disconnect()
        await bus.wait_for_disconnect()


def _describe(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
