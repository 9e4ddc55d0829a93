"""Showing reminders: one small interface, with a backend per platform capability.

The driver decides *when* a reminder is due (in :mod:`trayhabit.core.reminders`); a
:class:`Notifier` decides *how* it reaches the user. The backends (the desktop's own notifications,
the tray icon's messages, plyer) are tried in order by :class:`~.chain.NotifierChain`; tests use a
recording fake. The texts every backend shows are written here, once.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QObject, Signal

from trayhabit.core.reminders import Reminder

ACTION_DONE = "done"
ACTION_SNOOZE = "snooze"

# How many names a summary lists before "and N more" (Windows cuts a balloon at 255 characters).
SUMMARY_NAMES = 6


class Notifier(QObject):
    """Shows reminders and reports what the user did with them.

    Signals:
        clicked(str): the user clicked a notification; the habit's id, or "" for a summary.
        action_invoked(str, str): the user chose an action (``done`` or ``snooze``) for a habit id.
        failed(str, object): this backend cannot show notifications; why, and what it could not
            show (a Reminder, a list of them for a summary, or None when it failed before any).
    """

    clicked = Signal(str)
    action_invoked = Signal(str, str)
    failed = Signal(str, object)

    # A short name for logs and the settings window.
    name = "abstract"

    def start(self) -> None:
        """Get ready to show notifications (may find out, and report, that it cannot)."""

    def stop(self) -> None:
        """Release what :meth:`start` took (threads, connections); the app is quitting."""

    def notify(self, reminder: Reminder) -> None:
        """Show one reminder."""
        raise NotImplementedError

    def notify_summary(self, reminders: Sequence[Reminder]) -> None:
        """Show several reminders that came due while the computer slept, as one notification."""
        raise NotImplementedError

    def withdraw(self, habit_id: str) -> None:
        """Take back a habit's notification if the platform allows (it was checked off meanwhile)."""


def reminder_text(reminder: Reminder) -> tuple[str, str]:
    """The title and body of a reminder: the habit's name, and its why or a plain prompt."""
    body = reminder.why.strip() or QCoreApplication.translate(
        "Notifier", "Time for this habit — tick it off in TrayHabit."
    )
    return reminder.name, body


def summary_text(reminders: Sequence[Reminder]) -> tuple[str, str]:
    """The title and body of the one notification for reminders missed while the computer slept."""
    count = len(reminders)
    if count == 1:
        title = QCoreApplication.translate("Notifier", "1 reminder while you were away")
    else:
        title = QCoreApplication.translate("Notifier", "{count} reminders while you were away").format(
            count=count
        )
    lines = [reminder.name for reminder in reminders[:SUMMARY_NAMES]]
    if count > SUMMARY_NAMES:
        lines.append(
            QCoreApplication.translate("Notifier", "and {count} more").format(count=count - SUMMARY_NAMES)
        )
    return title, "\n".join(lines)


def done_label() -> str:
    """The Done button of a notification (no mnemonic: notification buttons have none)."""
    return QCoreApplication.translate("Notifier", "Done")


def snooze_label(minutes: int) -> str:
    """The Snooze button of a notification, with the snooze length."""
    return QCoreApplication.translate("Notifier", "Snooze {minutes} min").format(minutes=minutes)
