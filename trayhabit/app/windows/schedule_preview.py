"""What the schedule form says about a schedule: the next reminders in words, and the past a start date makes.

:class:`SchedulePreview` writes the preview under the form ("Reminds every day at 09:00. The next
reminders: …") and the note on a start date in the past; :func:`plain_reminder_time` puts a
reminder's instant in words for the habit's progress too.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QLabel

from trayhabit.app.datetime_text import clock_text, long_day_text
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.backfill import MAX_OFFERED
from trayhabit.core.days import format_time_of_day
from trayhabit.core.describe import schedule_in_words
from trayhabit.core.i18n import ngettext
from trayhabit.core.model import Schedule
from trayhabit.core.schedule import Timeline, closed_before

if TYPE_CHECKING:
    # Type checkers see the widget this part is mixed into; at run time it is a plain mixin.
    from PySide6.QtWidgets import QWidget as _Mixin
else:
    _Mixin = object


PREVIEW_COUNT = 5


def plain_reminder_time(when: datetime, today: date) -> str:
    """A reminder instant (already in local time) in words: "today at 09:00", "Monday 30 November at 09:00"."""
    clock = clock_text(when)
    day = when.date()
    if day == today:
        return QCoreApplication.translate("ScheduleForm", "today at {time}").format(time=clock)
    if day.toordinal() == today.toordinal() + 1:
        return QCoreApplication.translate("ScheduleForm", "tomorrow at {time}").format(time=clock)
    words = long_day_text(QLocale(), day, today)
    return QCoreApplication.translate("ScheduleForm", "{day} at {time}").format(day=words, time=clock)


class SchedulePreview(_Mixin):
    """The schedule form's preview of the next reminders and its note on a start date in the past.

    A mixin of :class:`~trayhabit.app.windows.schedule_form.ScheduleForm`, whose state it shares.
    """

    _model: HabitsModel
    _start: date
    _saved_start: date
    _past_note: QLabel

    def _show_past_note(self, schedule: Schedule | None) -> None:
        """Say how many occurrences the start date puts in the past, if any (none for an invalid rule)."""
        count = 0
        if schedule is not None and self._start < self._saved_start:
            boundary = self._model.settings().day_boundary
            count = closed_before(
                schedule, self._model.zone, boundary, self._model.now(), until=self._saved_start
            )
        if not count:
            self._past_note.setText("")
            self._past_note.hide()
            return
        text = ngettext(
            "This start date puts {n} occurrence in the past. It counts as missed unless you check it "
            "off afterwards with “Earlier…” in the check-off window.",
            "This start date puts {n} occurrences in the past. They count as missed unless you check them "
            "off afterwards with “Earlier…” in the check-off window.",
            count,
        ).format(n=count)
        if count > MAX_OFFERED:
            text += " " + ngettext(
                "“Earlier…” offers the most recent {n}.",
                "“Earlier…” offers the most recent {n}.",
                MAX_OFFERED,
            ).format(n=MAX_OFFERED)
        self._past_note.setText(text)
        self._past_note.show()

    def _describe(self, schedule: Schedule) -> str:
        zone = self._model.zone
        settings = self._model.settings()
        now = self._model.now()
        today = self._model.today()
        upcoming = Timeline(schedule, zone, settings.day_boundary).upcoming(now, PREVIEW_COUNT)
        summary = schedule_in_words(schedule)
        if summary is None:
            # The rule has no plain wording: the dates below say what it does, the rule stays in its field.
            first = self.tr("Reminds at {time} on the days of a custom rule.").format(
                time=format_time_of_day(schedule.at)
            )
        else:
            first = self.tr("Reminds {schedule}.").format(schedule=summary)
        lines = [first]
        if not upcoming:
            lines.append(self.tr("No reminders ahead: the rule ends before today."))
            return "\n".join(lines)
        lines.append(self.tr("The next reminders:"))
        for occurrence in upcoming:
            when = occurrence.reminder.astimezone(zone)
            lines.append("• " + plain_reminder_time(when, today))
        return "\n".join(lines)
