"""The notification backends in order of preference, with fallback when one fails.

The ``notification_backend`` setting picks the first backend tried (``auto`` means the desktop's
own notifications); the others follow in the default order native, Qt tray, plyer. A backend that
fails is logged once with its reason and left for the next, which also shows what the failed one
could not. Backends are built only when first needed: for the first notification, or when the
settings window asks how notifications are shown (:meth:`NotifierChain.prepare`). So the native
machinery (desktop-notifier, dbus-fast, asyncio and a thread) is not loaded at start-up, nor ever
while no reminder comes due, and never with a choice of the Qt tray. When every backend has failed,
reminders still wait in the tray menu's "Due now" section and the check-off window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QObject, Signal

from trayhabit.app.notifications import Notifier
from trayhabit.core.reminders import Reminder

log = logging.getLogger(__name__)

# The order tried when the setting is ``auto``; a chosen backend moves to the front.
DEFAULT_ORDER = ("native", "qt", "plyer")


def backend_order(choice: str) -> tuple[str, ...]:
    """The backends to try, in order, for the ``notification_backend`` setting *choice*."""
    if choice not in DEFAULT_ORDER:
        return DEFAULT_ORDER
    return (choice, *(name for name in DEFAULT_ORDER if name != choice))


class NotifierChain(Notifier):
    """Shows notifications through the first backend that works.

    Signals:
        clicked(str), action_invoked(str, str): forwarded from every backend built so far (a
            notification shown before a fallback can still be clicked).
        failed(str, object): every backend has failed; why the last one did.
        backend_changed(str): the name of the backend now in use ("" when none works).
    """

    backend_changed = Signal(str)

    name = "chain"

    def __init__(
        self,
        factories: Mapping[str, Callable[[], Notifier]],
        choice: str = "auto",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._factories = dict(factories)
        self._built: dict[str, Notifier] = {}
        self._failures: dict[str, str] = {}
        self._order = [name for name in backend_order(choice) if name in self._factories]
        # Whether a backend has been asked for (a notification, or prepare()): from then on a change
        # of the setting builds the chosen one at once, so the settings window shows its state.
        self._in_use = False

    # -- the state, for the settings window and tests -----------------------------------------------

    @property
    def active_name(self) -> str:
        """The backend in use now, or "" when every one has failed."""
        for name in self._order:
            if name not in self._failures:
                return name
        return ""

    @property
    def failures(self) -> dict[str, str]:
        """Why each failed backend failed, by name."""
        return dict(self._failures)

    def backend(self, name: str) -> Notifier | None:
        """The backend *name* if it has been built."""
        return self._built.get(name)

    # -- Notifier ---------------------------------------------------------------------------------------

    def start(self) -> None:
        """Nothing yet: the preferred backend is built for the first notification (or :meth:`prepare`).

        Building a backend costs memory for the app's whole life (the native one loads a D-Bus
        library and runs a thread), so an app with no reminder due pays nothing for it. A backend
        that turns out not to work hands that first reminder on to the next one.
        """

    def prepare(self) -> None:
        """Build and start the preferred backend now, so that :attr:`active_name` and :attr:`failures`
        tell how notifications are shown (a failure found later comes as :attr:`backend_changed`)."""
        self._current()

    def stop(self) -> None:
        for notifier in self._built.values():
            notifier.stop()

    def notify(self, reminder: Reminder) -> None:
        notifier = self._current()
        if notifier is not None:
            notifier.notify(reminder)

    def notify_summary(self, reminders: Sequence[Reminder]) -> None:
        notifier = self._current()
        if notifier is not None:
            notifier.notify_summary(reminders)

    def withdraw(self, habit_id: str) -> None:
        # A notification shown before a fallback may still be on screen.
        for notifier in self._built.values():
            notifier.withdraw(habit_id)

    def set_choice(self, choice: str) -> None:
        """Follow a change of the setting: try *choice* first from now on (failures are retried)."""
        before = self.active_name
        self._order = [name for name in backend_order(choice) if name in self._factories]
        # A failed backend gets a fresh start: the desktop may have gained a notification server.
        for name in self._failures:
            notifier = self._built.pop(name, None)
            if notifier is not None:
                notifier.stop()
                notifier.deleteLater()
        self._failures.clear()
        if self._in_use:
            self._current()
        if self.active_name != before:
            self.backend_changed.emit(self.active_name)

    # -- helpers ------------------------------------------------------------------------------------

    def _current(self) -> Notifier | None:
        self._in_use = True
        while name := self.active_name:
            notifier = self._built.get(name) or self._build(name)
            if name not in self._failures:  # a backend may fail as soon as it starts
                return notifier
        return None

    def _build(self, name: str) -> Notifier:
        notifier = self._factories[name]()
        notifier.setParent(self)
        self._built[name] = notifier
        notifier.clicked.connect(self.clicked)
        notifier.action_invoked.connect(self.action_invoked)
        notifier.failed.connect(lambda reason, what: self._on_backend_failed(name, reason, what))
        log.info("notifications: using %s", name)
        notifier.start()
        return notifier

    def _on_backend_failed(self, name: str, reason: str, what: object) -> None:
        if name not in self._failures:
            self._failures[name] = reason
            following = self.active_name
            if following:
                log.warning("notifications: %s failed (%s); falling back to %s", name, reason, following)
            else:
                log.error("notifications: %s failed (%s); no backend is left to show reminders", name, reason)
                self.failed.emit(reason, what)
            self.backend_changed.emit(following)
            self._current()  # start the next one now, so that its own failure shows early too
        # Whatever the failed backend could not show goes through the one now in use.
        if isinstance(what, Reminder):
            self.notify(what)
        elif isinstance(what, list) and what:
            self.notify_summary(what)
