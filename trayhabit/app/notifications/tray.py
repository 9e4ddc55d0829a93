"""Reminders as tray balloons: the fallback wherever there is a Qt tray icon.

``QSystemTrayIcon.showMessage`` shows a title, a line and an icon, with no buttons, so this backend
never emits ``action_invoked``: the user acts from the check-off window, which a click opens, or
from the tray menu's "Due now" section.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from trayhabit.app.icons import app_icon
from trayhabit.app.notifications import Notifier, reminder_text, summary_text
from trayhabit.core.reminders import Reminder

# How long a balloon stays, as a hint: Windows and most Linux servers follow their own settings.
MESSAGE_MSECS = 15_000


class TrayNotifier(Notifier):
    """Shows reminders with the tray icon's own messages.

    Signals:
        clicked(str): the user clicked the last message; its habit id, or "" for a summary.
        action_invoked(str, str): never emitted; tray messages have no buttons.
        failed(str, object): there is no tray icon to show messages from.
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

    def start(self) -> None:
        """Fail at once where there is no tray to show messages from, so that the next backend takes over."""
        if not self._can_show():
            self.failed.emit(self._no_tray(), None)

    def notify(self, reminder: Reminder) -> None:
        """Show one reminder: the habit's name, and its why or a plain prompt."""
        if self._show(*reminder_text(reminder), reminder):
            self._last_habit_id = reminder.habit_id

    def notify_summary(self, reminders: Sequence[Reminder]) -> None:
        """Show the reminders that came due while the computer slept, as one message."""
        if self._show(*summary_text(reminders), list(reminders)):
            self._last_habit_id = ""

    def withdraw(self, habit_id: str) -> None:
        """Forget the habit's message: Qt cannot take a balloon back, but a late click opens no habit."""
        if habit_id == self._last_habit_id:
            self._last_habit_id = ""

    def _can_show(self) -> bool:
        # A balloon needs a visible icon in a tray that can show messages.
        return self._tray.isVisible() and QSystemTrayIcon.supportsMessages()

    def _no_tray(self) -> str:
        return self.tr("there is no tray icon to show messages from")

    def _show(self, title: str, body: str, what: object) -> bool:
        if not self._can_show():
            self.failed.emit(self._no_tray(), what)
            return False
        if self._icon is None:
            self._icon = app_icon()
        self._tray.showMessage(title, body, self._icon, MESSAGE_MSECS)
        return True

    def _on_tray_message_clicked(self) -> None:
        self.clicked.emit(self._last_habit_id)
