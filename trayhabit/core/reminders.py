"""Which reminders are due, which were beaten, and when to look again: the scheduler's decisions.

The Qt driver asks :func:`plan_reminders` at each wake-up and carries out the answer (shows the
notifications, records what happened, sets one timer). All rules live here, without Qt or a clock:
a reminder never fires for an occurrence already checked off (it is recorded as beaten instead);
pause and quiet hours hold reminders back until they end; reminders that piled up while the
computer slept come as one summary, not a flood.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from trayhabit.core.days import ONE_DAY, localize, parse_time_of_day
from trayhabit.core.model import Outcome, State
from trayhabit.core.report import HabitReport

#: A reminder this much past its time when shown was held back (sleep, pause): it goes in a summary.
STALE_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class Reminder:
    """One occurrence's reminder, as a notification shows it."""

    habit_id: str
    name: str
    why: str
    occurrence: date
    reminder: datetime


@dataclass(frozen=True)
class QuietHours:
    """A daily span of wall-clock time with no reminders; it may run past midnight."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> QuietHours | None:
        """``HH:MM-HH:MM`` as the setting stores it; None when empty or zero-length."""
        if not text.strip():
            return None
        start_text, _, end_text = text.partition("-")
        quiet = cls(parse_time_of_day(start_text), parse_time_of_day(end_text))
        return None if quiet.start == quiet.end else quiet

    def holds(self, instant: datetime, zone: tzinfo) -> bool:
        """Whether *instant* falls in the quiet hours."""
        wall = instant.astimezone(zone).time()
        if self.start < self.end:
            return self.start <= wall < self.end
        return wall >= self.start or wall < self.end

    def ends_after(self, instant: datetime, zone: tzinfo) -> datetime:
        """The first end of the quiet hours after *instant*."""
        local = instant.astimezone(zone)
        end = localize(datetime.combine(local.date(), self.end), zone)
        return end if end > instant else localize(datetime.combine(local.date() + ONE_DAY, self.end), zone)


@dataclass(frozen=True)
class ReminderPlan:
    """What the driver should do now, and when to ask again."""

    due: list[Reminder] = field(default_factory=list)  # show now
    summary: bool = False  # show ``due`` as one summary notification
    beaten: list[Reminder] = field(default_factory=list)  # record as beaten, show nothing
    waiting: list[Reminder] = field(default_factory=list)  # shown (or snoozed) and not yet done
    held: list[Reminder] = field(default_factory=list)  # due, but held back by pause or quiet hours
    next_wake: datetime | None = None


def reminder_of(report: HabitReport) -> Reminder | None:
    """The reminder of a habit's open occurrence, if it has one."""
    if report.current is None:
        return None
    occurrence = report.current.occurrence
    habit = report.habit
    return Reminder(habit.id, habit.name, habit.why, occurrence.key, occurrence.reminder)


def plan_reminders(
    reports: Iterable[HabitReport],
    now: datetime,
    zone: tzinfo,
    *,
    snoozed: Mapping[tuple[str, date], datetime] | None = None,
    paused_until: datetime | None = None,
    quiet_hours: QuietHours | None = None,
) -> ReminderPlan:
    """Decide, at *now*, which reminders to show, which were beaten, and when to wake next.

    *snoozed* maps (habit id, occurrence) to when a snoozed reminder should come back.
    """
    snoozed = snoozed or {}
    plan = ReminderPlan()
    wakes: list[datetime] = []
    stale = False
    for report in reports:
        if report.habit.state is State.GRADUATED and report.current is not None:
            # No reminder, but the close of its window may settle a miss that brings it back
            # (a relapse): the driver looks then.
            wakes.append(report.current.occurrence.closes)
        if report.habit.state is not State.LEARNING or not report.habit.is_active:
            continue
        if report.next_reminder is not None:
            wakes.append(report.next_reminder)
        reminder = reminder_of(report)
        if reminder is None or report.current is None:
            continue
        current = report.current
        if current.outcome is not None:
            if (
                current.outcome is Outcome.PREEMPTIVE
                and reminder.reminder <= now
                and not current.reminder_beaten
                and not current.reminder_fired
            ):
                plan.beaten.append(reminder)
            continue
        if reminder.reminder > now:
            continue
        # Until the window closes the reminder is waiting; after that it is missed, not waiting.
        wakes.append(current.occurrence.closes)
        comes_back = snoozed.get((reminder.habit_id, reminder.occurrence))
        if comes_back is not None and comes_back > now:
            plan.waiting.append(reminder)
            wakes.append(comes_back)
        elif current.reminder_fired and comes_back is None:
            plan.waiting.append(reminder)
        else:
            plan.due.append(reminder)
            stale = stale or now - (comes_back or reminder.reminder) > STALE_AFTER
    held_until = _held_until(now, zone, paused_until, quiet_hours)
    if held_until is not None and plan.due:
        plan.held.extend(plan.due)
        plan.due.clear()
        wakes.append(held_until)
    future = [wake for wake in wakes if wake > now]
    return ReminderPlan(
        due=plan.due,
        summary=len(plan.due) > 1 and stale,
        beaten=plan.beaten,
        waiting=plan.waiting,
        held=plan.held,
        next_wake=min(future, default=None),
    )


def _held_until(
    now: datetime, zone: tzinfo, paused_until: datetime | None, quiet_hours: QuietHours | None
) -> datetime | None:
    """When reminders may be shown again, if they are held back now."""
    if paused_until is not None and paused_until > now:
        if quiet_hours is not None and quiet_hours.holds(paused_until, zone):
            return quiet_hours.ends_after(paused_until, zone)
        return paused_until
    if quiet_hours is not None and quiet_hours.holds(now, zone):
        return quiet_hours.ends_after(now, zone)
    return None
