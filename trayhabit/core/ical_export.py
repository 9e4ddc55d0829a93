"""Calendar files (iCalendar, RFC 5545), writing: habits out (see :mod:`trayhabit.core.ical` for
reading).

Every tracked habit becomes a VEVENT (or, on request, a VTODO) with its RRULE, an alarm at its
reminder time (none once the reminder is retired) and its why, in the user's time zone with a
VTIMEZONE that states the zone's yearly rule (see :mod:`trayhabit.core.vtimezone`). Events are what
Outlook imports (it reads no VTODO at all); they are short and leave the person free, since a
reminder is not a meeting. The names both directions share (the components, TrayHabit's own start
property, the habit's reminders as a calendar sees them) are here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, time, timedelta, tzinfo

import icalendar

from trayhabit import __version__
from trayhabit.core.model import Habit, Schedule, State
from trayhabit.core.schedule import Timeline
from trayhabit.core.vtimezone import vtimezone

PRODID = "-//TrayHabit//TrayHabit {version}//EN"
UID_DOMAIN = "trayhabit"
# A habit's start day when it comes before its first reminder (DTSTART must be a reminder); other
# programs ignore it, TrayHabit reads it back so that a round trip keeps the habit as it was.
START_PROPERTY = "X-TRAYHABIT-START"
COMPONENTS = ("VTODO", "VEVENT")
# An exported event's length: a reminder takes a moment, but a calendar shows a zero-length event
# as a hairline that is easy to miss.
EVENT_LENGTH = timedelta(minutes=15)
# Microsoft's busy status (Outlook and Exchange read it besides TRANSP): a habit leaves the person
# free, so colleagues can still book a meeting over "Plan tomorrow".
BUSY_STATUS_PROPERTY = "X-MICROSOFT-CDO-BUSYSTATUS"


def habit_walls(schedule: Schedule) -> Iterator[datetime]:
    """The habit's reminders as wall-clock times, in a zone without DST: exactly the rule's own times."""
    for occurrence in Timeline(schedule, UTC, time(0)):
        yield occurrence.reminder.replace(tzinfo=None)


def export_ics(habits: Iterable[Habit], *, zone: tzinfo, now: datetime, component: str = "VEVENT") -> bytes:
    """Every tracked habit (learning or with its reminder retired) as an iCalendar file.

    Each becomes a *component*, a VEVENT (what Outlook, Google and Apple Calendar import) or a
    VTODO (tasks, for Thunderbird and task apps), starting at its first reminder, with its RRULE,
    its why as DESCRIPTION and, while the reminder is on, an alarm at that moment. An event lasts
    a few minutes and is free time (TRANSP and Microsoft's busy status). The UID derives from the
    habit's id, so a calendar that imports a later export updates the item instead of adding it
    again. Times carry the user's time zone when it has an IANA name, with a VTIMEZONE holding the
    zone's current yearly rule, and are floating local times otherwise, which is what a TrayHabit
    reminder time is.
    """
    if component not in COMPONENTS:
        raise ValueError(component)
    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID.format(version=__version__))
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("X-WR-CALNAME", "TrayHabit")
    stamp = now.astimezone(UTC).replace(microsecond=0)
    tzid = getattr(zone, "key", None)
    named_zone = zone if tzid else None
    items: list[icalendar.Component] = []
    first_year = now.astimezone(zone).year
    for habit in habits:
        if habit.deleted_at is not None or habit.state is State.ARCHIVED:
            continue
        first = _first_reminder(habit.schedule)
        first_year = min(first_year, first.year)
        items.append(_export_item(habit, component, first, named_zone, stamp))
    if named_zone is not None and tzid:
        calendar.add_component(vtimezone(named_zone, str(tzid), now=now, first_year=first_year))
    for item in items:
        calendar.add_component(item)
    return bytes(calendar.to_ical())


def _export_item(
    habit: Habit, component: str, first: datetime, zone: tzinfo | None, stamp: datetime
) -> icalendar.Component:
    item = icalendar.Todo() if component == "VTODO" else icalendar.Event()
    item.add("UID", f"{habit.id}@{UID_DOMAIN}")
    item.add("DTSTAMP", stamp)
    item.add("SUMMARY", habit.name)
    if habit.why:
        item.add("DESCRIPTION", habit.why)
    start = first.replace(tzinfo=zone) if zone is not None else first
    item.add("DTSTART", start)
    if component == "VEVENT":
        # DTEND in the same zone as DTSTART (not DURATION): the form every importer reads alike.
        item.add("DTEND", start + EVENT_LENGTH)
    if first.date() != habit.schedule.start:
        item.add(START_PROPERTY, habit.schedule.start)
    item.add("RRULE", icalendar.vRecur.from_ical(habit.schedule.rrule))
    if component == "VTODO":
        item.add("STATUS", "NEEDS-ACTION")
    else:
        item.add("TRANSP", "TRANSPARENT")  # a reminder, not a meeting: it does not make you busy
        item.add(BUSY_STATUS_PROPERTY, "FREE")
    if habit.state is State.LEARNING:
        alarm = icalendar.Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", habit.name)
        alarm.add("TRIGGER", timedelta(0))
        item.add_component(alarm)
    return item


def _first_reminder(schedule: Schedule) -> datetime:
    """The habit's first reminder, wall-clock: DTSTART must be an occurrence for calendar programs."""
    return next(habit_walls(schedule), datetime.combine(schedule.start, schedule.at))
