"""A notifier that shows nothing and records every call, for tests of what gets notified."""

from __future__ import annotations

from collections.abc import Sequence

from trayhabit.app.notifications import Notifier
from trayhabit.core.reminders import Reminder


class RecordingNotifier(Notifier):
    """Records ``("notify", Reminder)``, ``("summary", [Reminder])`` and ``("withdraw", habit_id)``.

    :meth:`click` and :meth:`act` play the user, emitting ``clicked`` and ``action_invoked``.

    Signals:
        clicked(str), action_invoked(str, str): as :class:`Notifier`, emitted by the helpers.
    """

    name = "recording"

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, object]] = []

    def notify(self, reminder: Reminder) -> None:
        self.calls.append(("notify", reminder))

    def notify_summary(self, reminders: Sequence[Reminder]) -> None:
        self.calls.append(("summary", list(reminders)))

    def withdraw(self, habit_id: str) -> None:
        self.calls.append(("withdraw", habit_id))

    # -- for tests ------------------------------------------------------------------------------------

    def click(self, habit_id: str = "") -> None:
        """The user clicks the notification of *habit_id* ("" for a summary)."""
        self.clicked.emit(habit_id)

    def act(self, habit_id: str, action: str) -> None:
        """The user picks an action (``done`` or ``snooze``) on a habit's notification."""
        self.action_invoked.emit(habit_id, action)

    def kinds(self) -> list[str]:
        """The kind of each call, in order: ``notify``, ``summary`` or ``withdraw``."""
        return [kind for kind, _value in self.calls]

    def notified_names(self) -> list[str]:
        """The habit names shown one by one, in order."""
        return [value.name for kind, value in self.calls if kind == "notify" and isinstance(value, Reminder)]

    def clear(self) -> None:
        """Forget the calls so far."""
        self.calls.clear()
