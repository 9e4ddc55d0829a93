"""Reminders as tray balloons: the fallback that works wherever there is a Qt tray icon.

``QSystemTrayIcon.showMessage`` shows a title, a line and an icon, with no buttons, so this backend
never emits ``action_invoked``: the user acts from the check-off window, which a click opens.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from trayhabit.app.icons import app_icon
from trayhabit.app.notifications import Notifier
from trayhabit.core.reminders import Reminder

#: How long a balloon stays, as a hint: Windows and most Linux servers follow their own settings.
MESSAGE_MSECS = 15_000
#: How many names a summary lists before "and N more" (Windows cuts a balloon at 255 characters).
SUMMARY_NAMES = 6


class TrayNotifier(Notifier):
    """Shows reminders with the tray icon's own messages.

    Signals:
        clicked(str): the user clicked the last message; its habit id, or "" for a summary.
        action_invoked(str, str): never emitted; tray messages have no buttons.
    """

    name = "qt"

    def __init__(self, tray: QSystemTrayIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tray = tray
        self._icon: QIcon | None = None
        # Qt reports a click without saying which message; a new message replaces the old one, so
        # the click belongs to the last one shown.
        self._last_habit_id = ""
        tray.messageClicked.connect(self._on_tray_message_clicked)

    def notify(self, reminder: Reminder) -> None:
        """Show one reminder: the habit's name, and its why or a plain prompt."""
        self._last_habit_id = reminder.habit_id
        body = reminder.why.strip() or self.tr("Time for this habit — tick it off in TrayHabit.")
        self._show(reminder.name, body)

    def notify_summary(self, reminders: Sequence[Reminder]) -> None:
        """Show the reminders that came due while the computer slept, as one message."""
        self._last_habit_id = ""
        count = len(reminders)
        if count == 1:
            title = self.tr("1 reminder while you were away")
        else:
            title = self.tr("{count} reminders while you were away").format(count=count)
        lines = [reminder.name for reminder in reminders[:SUMMARY_NAMES]]
        if count > SUMMARY_NAMES:
            lines.append(self.tr("and {count} more").format(count=count - SUMMARY_NAMES))
        self._show(title, "\n".join(lines))

    def withdraw(self, habit_id: str) -> None:
        """Forget the habit's message: Qt cannot take a balloon back, but a late click opens no habit."""
        if habit_id == self._last_habit_id:
            self._last_habit_id = ""

    def _show(self, title: str, body: str) -> None:
        if self._icon is None:
            self._icon = app_icon()
        self._tray.showMessage(title, body, self._icon, MESSAGE_MSECS)

    def _on_tray_message_clicked(self) -> None:
        self.clicked.emit(self._last_habit_id)
