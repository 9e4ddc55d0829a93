"""The check-off window's marks: check off, toggle, skip and undo the selected habit's occurrence.

:class:`CheckOffMarks` runs them through the model and says on the window's status line what each
did to the score; :func:`latest_mark` and :func:`latest_check_off` say which occurrence an undo or
a note is about.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from trayhabit.app.datetime_text import day_text
from trayhabit.app.habits_model import HabitsModel
from trayhabit.core.history import latest_settled_mark
from trayhabit.core.model import EventKind, Outcome, Settled
from trayhabit.core.report import HabitReport

if TYPE_CHECKING:
    # Type checkers see the widget this part is mixed into; at run time it is a plain mixin.
    from PySide6.QtWidgets import QWidget as _Mixin
else:
    _Mixin = object


def latest_mark(report: HabitReport) -> Settled | None:
    """The occurrence whose check-off or skip an undo would take back: the one recorded last."""
    return latest_settled_mark(report.settled)


def latest_check_off(report: HabitReport) -> Settled | None:
    """The occurrence whose check-off a note goes on: the check-off recorded last."""
    return latest_settled_mark(
        entry for entry in report.settled if entry.event is not None and entry.event.kind is EventKind.DONE
    )


class CheckOffMarks(_Mixin):
    """Checking off, skipping and taking back a mark, from a row, a button or a key.

    A mixin of :class:`~trayhabit.app.windows.checkoff.CheckOffWindow`, whose state it shares.
    """

    _model: HabitsModel
    _selected: str | None

    def undo_selected(self) -> None:
        """Take back the selected habit's latest check-off or skip (Ctrl+Z)."""
        if self._selected is None:
            return
        report = self._model.report(self._selected)
        if report is None or latest_mark(report) is None:
            self._say(self.tr("Nothing to undo for the selected habit."))
            return
        self._undo(report)

    def skip_selected(self) -> None:
        """Skip the selected habit's open occurrence."""
        habit_id = self._selected
        report = self._model.report(habit_id) if habit_id else None
        if habit_id is None or report is None:
            return
        change = self._model.skip(habit_id, by=self)
        if change is None:
            return
        if change.over_skip_cap:
            allowed = self._model.settings().max_skips
            message = (
                self.tr("“{name}” skipped, but it counts as missed: only 1 skip counts among recent times.")
                if allowed == 1
                else self.tr(
                    "“{name}” skipped, but it counts as missed: only {n} skips count among recent times."
                )
            )
            self._say(message.format(name=report.habit.name, n=allowed))
        else:
            self._say(self.tr("“{name}” skipped; its score stays as it was.").format(name=report.habit.name))

    def _toggle(self, habit_id: str) -> None:
        report = self._model.report(habit_id)
        current = report.current if report else None
        if report is None or current is None:
            return
        if current.outcome is None:
            self._check_off(habit_id)
            return
        latest = latest_mark(report)
        if (
            latest is None
            or latest.event is None
            or current.event is None
            or latest.event.id != current.event.id
        ):
            # Undo takes back the mark recorded last; that is not this one, so say what to do instead.
            self._say(
                self.tr("A later check-off of “{name}” comes first: Undo takes that one back.").format(
                    name=report.habit.name
                ),
                error=True,
            )
            return
        self._undo(report)

    def _check_off(self, habit_id: str) -> None:
        report = self._model.report(habit_id)
        current = report.current if report else None
        if report is None or current is None:
            return
        if current.outcome is not None:
            template = (
                self.tr("“{name}” is already skipped for {when}; Undo takes the skip back.")
                if current.outcome is Outcome.SKIPPED or current.skip_over_cap
                else self.tr("“{name}” is already checked off for {when}.")
            )
            self._say(template.format(name=report.habit.name, when=self._when(current.occurrence.reminder)))
            return
        change = self._model.check_off(habit_id, by=self)
        if change is None:
            return
        if change.outcome is Outcome.PREEMPTIVE:
            text = self.tr("“{name}” checked off before the reminder: it counts in full.")
        elif change.outcome is Outcome.REMINDED:
            text = self.tr("“{name}” checked off after the reminder.")
        else:
            text = self.tr("“{name}” checked off.")
        self._say(text.format(name=report.habit.name))

    def _undo(self, report: HabitReport) -> None:
        habit_id = report.habit.id
        change = self._model.undo(habit_id, by=self)
        if change is None:
            return
        undone = change.undone
        if undone is not None and undone.occurrence is not None:
            today = self._model.today()
            self._say(
                self.tr("Took back “{name}” for {day}.").format(
                    name=report.habit.name, day=day_text(self.locale(), undone.occurrence, today)
                )
            )
        else:
            self._say(self.tr("Took back the latest mark of “{name}”.").format(name=report.habit.name))

    # What this part calls on the rest of the window, for type checkers. Kept last in the class:
    # pyside6-lupdate loses the class's translation context after a def inside an if.
    if TYPE_CHECKING:

        def show_error(self, message: str) -> None: ...
        def _say(self, text: str, *, error: bool = False) -> None: ...
        def _when(self, instant: datetime) -> str: ...
