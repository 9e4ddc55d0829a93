"""Showing reminders: one small interface, with a backend per platform capability.

The driver decides *when* a reminder is due (in :mod:`trayhabit.core.reminders`); a
:class:`Notifier` decides *how* it reaches the user. Tests use a recording fake.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from trayhabit.core.reminders import Reminder

ACTION_DONE = "done"
ACTION_SNOOZE = "snooze"


class Notifier(QObject):
    """Shows reminders and reports what the user did with them.

    Signals:
        clicked(str): the user clicked a notification; the habit's id, or "" for a summary.
        action_invoked(str, str): the user chose an action (``done`` or ``snooze``) for a habit id.
    """

    clicked = Signal(str)
    action_invoked = Signal(str, str)

    #: A short name for logs and the settings window.
    name = "abstract"

    def notify(self, reminder: Reminder) -> None:
        """Show one reminder."""
        raise NotImplementedError

    def notify_summary(self, reminders: Sequence[Reminder]) -> None:
        """Show several reminders that came due while the computer slept, as one notification."""
        raise NotImplementedError

    def withdraw(self, habit_id: str) -> None:
        """Take back a habit's notification if the platform allows (it was checked off meanwhile)."""
