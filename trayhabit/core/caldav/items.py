"""The tasks TrayHabit writes to a CalDAV list, and what it reads back from them.

A habit's task is written by the one iCalendar writer, :func:`trayhabit.core.ical_export.export_ics`
(as a VTODO: UID from the habit's id, RRULE, VALARM while the reminder is on, the why as
DESCRIPTION), with two changes for task apps: the series starts at the occurrence at hand (the
*anchor*) rather than at the habit's first reminder, since task apps show a recurring task as due at
its start and move it on one occurrence a completion; and it carries a DUE equal to its start,
since Tasks.org and Apple Reminders repeat from the due date.

When a task is already on the server, TrayHabit replaces only what it owns in it
(:data:`OWNED`, the alarms and its time zone) and leaves everything else as it found it: other
properties, other components, completed occurrences (RECURRENCE-ID) the phone wrote.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

import icalendar

from trayhabit.core.ical_export import START_PROPERTY, UID_DOMAIN, export_ics
from trayhabit.core.model import Habit, Schedule

#: The properties of a habit's task that TrayHabit writes (and so replaces on each write).
OWNED = ("SUMMARY", "DESCRIPTION", "DTSTART", "DUE", "RRULE", "DURATION", START_PROPERTY, "STATUS")


def uid_of(habit_id: str) -> str:
    """The UID of the habit's task, as the export writes it."""
    return f"{habit_id}@{UID_DOMAIN}"


def habit_id_of(uid: str) -> str | None:
    """The id of the habit whose task has *uid*, or None when TrayHabit did not write it."""
    suffix = f"@{UID_DOMAIN}"
    return uid[: -len(suffix)] if uid.endswith(suffix) and len(uid) > len(suffix) else None


def fingerprint(habit: Habit) -> str:
    """What of a habit its task shows: a changed fingerprint means the task must be written again."""
    parts = (habit.name, habit.why, habit.schedule.rrule, habit.schedule.at.isoformat(), habit.state.value)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def habit_task(habit: Habit, anchor: date, *, zone: tzinfo, now: datetime) -> bytes:
    """The habit's task as an iCalendar object, its series starting at the occurrence of *anchor*."""
    # The rule must still give the same occurrences from the anchor on: a COUNT would count anew from
    # there, so such a rule keeps the habit's own start.
    if "COUNT=" not in habit.schedule.rrule.upper() and anchor > habit.schedule.start:
        habit = habit.with_changes(schedule=Schedule(habit.schedule.rrule, habit.schedule.at, anchor))
    calendar = icalendar.Calendar.from_ical(export_ics([habit], zone=zone, now=now, component="VTODO"))
    for todo in calendar.walk("VTODO"):
        start = todo.decoded("DTSTART")
        todo.pop(START_PROPERTY, None)  # the habit's start stays TrayHabit's own; task apps ignore it
        todo.add("DUE", start)
    return bytes(calendar.to_ical())


def merged_task(server: bytes, ours: bytes) -> bytes:
    """*ours* written into the server's copy *server*: what TrayHabit owns replaced, the rest kept."""
    theirs = icalendar.Calendar.from_ical(server)
    mine = icalendar.Calendar.from_ical(ours)
    new = next(iter(mine.walk("VTODO")))
    uid = str(new.get("UID"))
    master = next(
        (
            c
            for c in theirs.subcomponents
            if c.name == "VTODO" and str(c.get("UID")) == uid and "RECURRENCE-ID" not in c
        ),
        None,
    )
    if master is None:
        return ours
    for name in (*OWNED, "DTSTAMP", "COMPLETED", "PERCENT-COMPLETE"):
        master.pop(name, None)
    for name in (*OWNED, "DTSTAMP"):
        if name in new:
            master.add(name, new[name])
    master.subcomponents = [c for c in master.subcomponents if c.name != "VALARM"]
    master.subcomponents.extend(c for c in new.subcomponents if c.name == "VALARM")
    zones = {str(c.get("TZID")) for c in theirs.subcomponents if c.name == "VTIMEZONE"}
    for zone in mine.subcomponents:
        if zone.name == "VTIMEZONE" and str(zone.get("TZID")) not in zones:
            theirs.subcomponents.insert(0, zone)
    return bytes(theirs.to_ical())


@dataclass(frozen=True)
class SeriesView:
    """A habit's series as the server has it: its name, why, rule, time of day and start."""

    name: str
    why: str
    rrule: str
    at: time
    anchor: datetime  # DUE, else DTSTART, as a wall-clock time in the user's zone
    changed_at: datetime | None  # LAST-MODIFIED, else DTSTAMP (UTC)


def read_series(todo: Any, zone: tzinfo) -> SeriesView | None:
    """The series *todo* (a VTODO with a RRULE) as TrayHabit reads it; None if it has no start or rule."""
    rule = todo.get("RRULE")
    start = wall_time(todo, "DUE", zone) or wall_time(todo, "DTSTART", zone)
    if rule is None or start is None:
        return None
    if isinstance(rule, list):
        rule = rule[0]
    return SeriesView(
        name=str(todo.get("SUMMARY", "")),
        why=str(todo.get("DESCRIPTION", "")),
        rrule=rule.to_ical().decode(),
        at=start.time(),
        anchor=start,
        changed_at=utc_time(todo, "LAST-MODIFIED") or utc_time(todo, "DTSTAMP"),
    )


def wall_time(component: Any, name: str, zone: tzinfo) -> datetime | None:
    """A date-time property as a wall-clock time in *zone* (floating times are taken as they are)."""
    if name not in component:
        return None
    value = component.decoded(name)
    if isinstance(value, datetime):
        return value.astimezone(zone).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        return datetime.combine(value, time(0))
    return None


def utc_time(component: Any, name: str) -> datetime | None:
    """A date-time property as an aware time (a floating one taken as UTC), or None."""
    if name not in component:
        return None
    value = component.decoded(name)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def todos(data: bytes) -> list[Any]:
    """The VTODO components of an iCalendar object (none when it cannot be read)."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError:
        return []
    return [c for c in calendar.subcomponents if c.name == "VTODO"]
