"""Calendar files (iCalendar, RFC 5545): recurring reminders in, habits out.

Reading: every recurring VTODO or VEVENT of a file becomes a planned habit: SUMMARY is the name,
DESCRIPTION the why, the RRULE the schedule, and the first alarm (VALARM) the reminder time, that is
DTSTART plus the alarm's trigger (an item without an alarm reminds at its start). Times are turned
into wall-clock times of the user's time zone, as every TrayHabit reminder is; Windows zone names
(Outlook's ``W. Europe Standard Time``) and the file's own VTIMEZONE blocks are understood through
the ``icalendar`` library. What TrayHabit cannot keep (excluded or extra dates, single occurrences
moved in the calendar, further alarms) is said in the plan's notes, and items that cannot become a
habit at all are listed with the reason. Nothing is written here: the plan is a preview, and
:meth:`trayhabit.core.service.HabitService.import_calendar` creates what the user confirms.

Writing (habits out, :func:`export_ics`) is in :mod:`trayhabit.core.ical_export`; it is importable
from here too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import islice
from typing import Any, cast

import icalendar
from dateutil.rrule import rrule, rrulestr
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from trayhabit.core.days import localize
from trayhabit.core.errors import UserError
from trayhabit.core.i18n import _, ngettext
from trayhabit.core.ical_export import COMPONENTS, START_PROPERTY, export_ics, habit_walls
from trayhabit.core.model import MAX_NAME_LENGTH, Schedule
from trayhabit.core.schedule import WEEKDAY_CODES, ScheduleError, make_schedule, normalize_rule

# How many occurrences must agree between the calendar's rule and the habit's before an item is
# trusted to have come across unchanged.
_CHECKED_OCCURRENCES = 60
# A series that began long ago is walked to its next occurrence; a limit keeps a minutely rule
# (refused anyway) or a very old daily one from costing more than a moment.
_MAX_WALK = 200_000
_TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")


_BOM_AND_BLANKS = b"\xef\xbb\xbf \t\r\n"


class CalendarFileError(UserError):
    """A calendar file that cannot be imported at all; nothing was changed."""


@dataclass(frozen=True)
class PlannedHabit:
    """A habit an import will create, and what of its calendar item TrayHabit leaves behind."""

    name: str
    why: str
    schedule: Schedule
    component: str  # VTODO or VEVENT
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SkippedItem:
    """A calendar item that will not become a habit, and why, in the user's words."""

    name: str
    reason: str


@dataclass(frozen=True)
class CalendarPlan:
    """What importing a calendar file would do: the habits to create and the items left out."""

    filename: str
    habits: tuple[PlannedHabit, ...]
    skipped: tuple[SkippedItem, ...]

    def refusal(self) -> str | None:
        """Why nothing can be imported, as one line; None when there is at least one habit to create."""
        if self.habits:
            return None
        if not self.skipped:
            return _("{file} has no tasks or events to import.").format(file=self.filename)
        if len(self.skipped) == 1:
            item = self.skipped[0]
            return _("{file}: “{name}” cannot become a habit: {reason}").format(
                file=self.filename, name=item.name, reason=item.reason
            )
        return ngettext(
            "{file}: its {n} item cannot become a habit; the first, “{name}”: {reason}",
            "{file}: none of its {n} items can become a habit; the first, “{name}”: {reason}",
            len(self.skipped),
        ).format(
            file=self.filename, n=len(self.skipped), name=self.skipped[0].name, reason=self.skipped[0].reason
        )


class _SkipItemError(Exception):
    """An item that cannot become a habit; the message is the reason shown in the preview."""


@dataclass
class _Series:
    """One recurring item and the single occurrences the calendar changed (RECURRENCE-ID)."""

    master: icalendar.Component | None = None
    overrides: list[icalendar.Component] = field(default_factory=list)


# -- reading ----------------------------------------------------------------------------------------


def read_calendar(
    data: bytes, filename: str, *, zone: tzinfo, now: datetime, existing_names: Iterable[str] = ()
) -> CalendarPlan:
    """Plan the import of an iCalendar file; raise CalendarFileError when the file cannot be read.

    *zone* is the user's time zone (reminder times become wall-clock times in it), *now* decides
    where a series that began in the past starts as a habit (at its next reminder, so that a new
    habit never begins with missed occurrences), and *existing_names* are the names of the
    user's habits in use: an item by one of those names is skipped rather than duplicated.
    """
    calendar = _parse(data, filename)
    described = {str(timezone.get("TZID", "")) for timezone in calendar.walk("VTIMEZONE")}
    taken = {name.casefold() for name in existing_names}
    planned: list[PlannedHabit] = []
    skipped: list[SkippedItem] = []
    for series in _series(calendar):
        item = series.master if series.master is not None else series.overrides[0]
        name = _name(item)
        if series.master is None:
            skipped.append(
                SkippedItem(name, _("it changes one occurrence of a series that is not in the file."))
            )
            continue
        try:
            habit = _plan(series.master, series.overrides, name, zone=zone, now=now, described=described)
        except _SkipItemError as reason:
            skipped.append(SkippedItem(name, str(reason)))
            continue
        except OverflowError:
            # A date near year 1 or 9999 (a damaged or hostile file): the arithmetic of every step
            # from the time zones to the first reminder may step past the calendar, so it is caught once.
            skipped.append(SkippedItem(name, _("its dates lie outside the years TrayHabit can use.")))
            continue
        if habit.name.casefold() in taken:
            in_file = any(other.name.casefold() == habit.name.casefold() for other in planned)
            skipped.append(
                SkippedItem(
                    name,
                    _("the file has another item by this name.")
                    if in_file
                    else _("you already have a habit by this name."),
                )
            )
            continue
        taken.add(habit.name.casefold())
        planned.append(habit)
    return CalendarPlan(filename, tuple(planned), tuple(skipped))


def _parse(data: bytes, filename: str) -> icalendar.Calendar:
    if not data.lstrip(_BOM_AND_BLANKS).upper().startswith(b"BEGIN:VCALENDAR"):
        raise CalendarFileError(
            _("{file} is not an iCalendar file (it does not start with BEGIN:VCALENDAR).").format(
                file=filename
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CalendarFileError(_("{file} is not a UTF-8 text file.").format(file=filename)) from None
    try:
        components = icalendar.Calendar.from_ical(text, multiple=True)
    except ValueError as error:
        raise CalendarFileError(
            _("{file} is not a valid iCalendar file: {error}").format(file=filename, error=_first_line(error))
        ) from None
    calendars = [c for c in components if isinstance(c, icalendar.Calendar)]
    if not calendars:
        raise CalendarFileError(
            _("{file} is not an iCalendar file (it has no VCALENDAR).").format(file=filename)
        )
    if len(calendars) == 1:
        return calendars[0]
    # Some programs write one VCALENDAR per item into one file: read them as one calendar.
    merged = icalendar.Calendar()
    for calendar in calendars:
        for component in calendar.subcomponents:
            merged.add_component(component)
    return merged


def _series(calendar: icalendar.Calendar) -> Iterator[_Series]:
    """The file's VTODOs and VEVENTs, an item's changed occurrences gathered under it, in file order."""
    by_uid: dict[str, _Series] = {}
    order: list[_Series] = []
    for component in calendar.walk():
        if component.name not in COMPONENTS:
            continue
        uid = str(component.get("UID", "")) or f"no-uid-{len(order)}"
        key = f"{component.name}:{uid}"
        series = by_uid.get(key)
        if series is None:
            series = by_uid[key] = _Series()
            order.append(series)
        if "RECURRENCE-ID" in component:
            series.overrides.append(component)
        elif series.master is None:
            series.master = component
        else:  # the same UID twice: a separate item as far as the user can tell
            extra = _Series(master=component)
            order.append(extra)
    yield from order


def _name(item: icalendar.Component) -> str:
    name = " ".join(str(item.get("SUMMARY", "")).split())
    return name or _("(untitled)")


def _plan(
    item: icalendar.Component,
    overrides: list[icalendar.Component],
    name: str,
    *,
    zone: tzinfo,
    now: datetime,
    described: set[str],
) -> PlannedHabit:
    recurrence, notes = _recurrence(item, name)

    anchor_prop = item.get("DTSTART") if "DTSTART" in item else item.get("DUE")
    if anchor_prop is None:
        raise _SkipItemError(_("it has no start (DTSTART)."))
    anchor: date | datetime = anchor_prop.dt
    own_zone = _item_zone(anchor_prop, anchor, described)
    anchor_wall = (
        anchor.replace(tzinfo=None) if isinstance(anchor, datetime) else datetime.combine(anchor, time())
    )

    reminder_wall, alarm_notes = _reminder(item, anchor, own_zone, zone)
    notes.extend(alarm_notes)
    offset = reminder_wall - anchor_wall
    if own_zone is not None and _differs(own_zone, zone, anchor_wall):
        notes.append(
            _("Its times are in the time zone {zone}; the reminder is at {time} in yours.").format(
                zone=_zone_label(anchor_prop, own_zone), time=reminder_wall.strftime("%H:%M")
            )
        )

    calendar_rule, habit_rule = _rules(recurrence, own_zone, anchor_wall, offset)
    at = reminder_wall.time().replace(microsecond=0)
    try:
        habit_rule, at = normalize_rule(habit_rule, at)
        calendar_compiled = _compile_calendar(calendar_rule, anchor_wall)
    except ScheduleError as error:
        raise _SkipItemError(str(error)) from None
    except (ValueError, TypeError) as error:
        raise _SkipItemError(_("dateutil cannot evaluate its rule: {error}").format(error=error)) from None

    start, habit_rule = _start(habit_rule, reminder_wall.replace(microsecond=0), zone, now)
    try:
        schedule = make_schedule(habit_rule, at, start)
    except ScheduleError as error:
        raise _SkipItemError(str(error)) from None
    _check_same_days(schedule, calendar_compiled, offset)
    schedule = _own_start(item, schedule)

    notes.extend(_dropped(item, overrides, own=own_zone, offset=offset, start=start))
    why = str(item.get("DESCRIPTION", "")).strip()
    return PlannedHabit(name, why, schedule, str(item.name), tuple(notes))


def _recurrence(item: icalendar.Component, name: str) -> tuple[Any, list[str]]:
    """The item's repeat rule, once the item is known to be readable, named and recurring."""
    notes: list[str] = []
    if item.errors:
        prop, error = item.errors[0]
        if prop is None:
            # The parser names the line it could not split: show that, not its internals.
            found = re.search(r"'(.*)'", _first_line(error))
            raise _SkipItemError(
                _("its line “{line}” cannot be read (a broken or badly folded line).").format(
                    line=found.group(1) if found else _first_line(error)
                )
            )
        raise _SkipItemError(
            _("its {property} cannot be read: {error}").format(property=prop, error=_first_line(error))
        )
    if str(item.get("STATUS", "")).upper() == "CANCELLED":
        raise _SkipItemError(_("it is cancelled."))
    if not " ".join(str(item.get("SUMMARY", "")).split()):
        raise _SkipItemError(_("it has no title (SUMMARY)."))
    if len(name) > MAX_NAME_LENGTH:
        raise _SkipItemError(_("its title is longer than {n} characters.").format(n=MAX_NAME_LENGTH))
    rules = item.get("RRULE")
    if rules is None:
        if "RDATE" in item:
            raise _SkipItemError(
                _("it repeats only on listed dates (RDATE), not by a rule TrayHabit can follow.")
            )
        raise _SkipItemError(_("it does not repeat (it has no RRULE); only recurring items become habits."))
    recurrences = rules if isinstance(rules, list) else [rules]
    if len(recurrences) > 1:
        notes.append(_("Only the first of its {n} repeat rules is kept.").format(n=len(recurrences)))
    return recurrences[0], notes


def _item_zone(prop: Any, value: date | datetime, described: set[str]) -> tzinfo | None:
    """The time zone of a DTSTART (None for a date or a floating time); an unknown TZID is skipped.

    A TZID is known when it names an IANA zone (directly, as a Windows name, or at the end of a
    globally unique id) or when this file describes it in a VTIMEZONE. icalendar remembers the
    VTIMEZONEs of every file it has read in the process, so a zone only an earlier file described
    would otherwise pass here.
    """
    tzid = prop.params.get("TZID")
    if not isinstance(value, datetime):
        return None
    borrowed = tzid and getattr(value.tzinfo, "key", None) is None and str(tzid) not in described
    if value.tzinfo is None or borrowed:
        if tzid:
            raise _SkipItemError(
                _("its time zone “{zone}” is unknown, and the file does not describe it (VTIMEZONE).").format(
                    zone=tzid
                )
            )
        return None
    return value.tzinfo


def _zone_label(prop: Any, zone: tzinfo) -> str:
    tzid = str(prop.params.get("TZID") or "")
    iana = WINDOWS_TO_OLSON.get(tzid.strip("/"))
    if iana:
        return f"{tzid} ({iana})"
    return tzid or str(getattr(zone, "key", None) or zone.tzname(None) or "UTC")


def _differs(own: tzinfo, user: tzinfo, around: datetime) -> bool:
    """Whether two zones' clocks differ at any time in the year from *around*."""
    for weeks in range(0, 53, 4):
        wall = around + timedelta(weeks=weeks)
        if localize(wall, own).utcoffset() != localize(wall, user).utcoffset():
            return True
    return False


def _wall(value: date | datetime, zone: tzinfo | None) -> datetime:
    """A DATE, DATE-TIME or floating time as a naive wall-clock time in *zone* (as it is when None)."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time())
    if value.tzinfo is None or zone is None:
        return value.replace(tzinfo=None)
    return value.astimezone(zone).replace(tzinfo=None)


def _reminder(
    item: icalendar.Component, anchor: date | datetime, own: tzinfo | None, user: tzinfo
) -> tuple[datetime, list[str]]:
    """The first reminder's wall-clock time in the user's zone, and notes on the alarms left out."""
    notes: list[str] = []
    try:
        triggers = [
            entry.trigger
            for entry in cast("icalendar.Event | icalendar.Todo", item).alarms.times
            if str(entry.alarm.get("ACTION", "DISPLAY")).upper() != "NONE" and entry.trigger is not None
        ]
    except (icalendar.IncompleteAlarmInformation, ValueError, TypeError) as error:
        raise _SkipItemError(
            _("its alarm cannot be placed in time: {error}").format(error=_first_line(error))
        ) from None
    if not triggers:
        if not isinstance(anchor, datetime):
            raise _SkipItemError(_("it lasts all day and has no alarm, so it has no time to remind at."))
        notes.append(_("It has no alarm: the reminder is at its start time."))
        trigger: date | datetime = anchor
    else:
        trigger = min(triggers, key=lambda value: _wall(value, own or user))
        if len(triggers) > 1:
            notes.append(
                ngettext(
                    "Only its first alarm is kept; TrayHabit reminds once ({n} other alarm left out).",
                    "Only its first alarm is kept; TrayHabit reminds once ({n} other alarms left out).",
                    len(triggers) - 1,
                ).format(n=len(triggers) - 1)
            )
    if isinstance(trigger, datetime) and trigger.tzinfo is not None:
        return trigger.astimezone(user).replace(tzinfo=None), notes
    # A floating time (or one in the item's own zone, given naive by the library for dates).
    return _wall(trigger, None), notes


def _rules(recurrence: Any, own: tzinfo | None, anchor_wall: datetime, offset: timedelta) -> tuple[str, str]:
    """The item's RRULE as the calendar evaluates it (in its own wall-clock time) and as the habit's.

    Both are naive: UNTIL is moved into the item's wall-clock time, and for the habit further by
    the reminder's *offset* from the item's start, so the same occurrences stay in.
    """
    parts: dict[str, str] = {}
    for chunk in recurrence.to_ical().decode().split(";"):
        key, _sep, value = chunk.partition("=")
        parts[key.upper()] = value
    for part in _TIME_PARTS:
        value = parts.pop(part, None)
        if value is not None and value != str(getattr(anchor_wall, part[2:].lower())):
            raise _SkipItemError(
                _("its rule repeats at times of day ({part}), and TrayHabit reminds once a day.").format(
                    part=part
                )
            )
    if parts.get("WKST") == "MO":
        del parts["WKST"]  # the default, in RFC 5545 and in dateutil
    calendar_parts = dict(parts)
    habit_parts = _shifted(parts, (anchor_wall + offset).date() - anchor_wall.date())
    until = recurrence.get("UNTIL")
    if until:
        value = until[0]
        if isinstance(value, datetime):
            until_wall = _wall(value, own)
        else:
            until_wall = datetime.combine(value, time(23, 59, 59))
        calendar_parts["UNTIL"] = until_wall.strftime("%Y%m%dT%H%M%S")
        habit_parts["UNTIL"] = (until_wall + offset).strftime("%Y%m%dT%H%M%S")
    return _join(calendar_parts), _join(habit_parts)


def _shifted(parts: dict[str, str], days: timedelta) -> dict[str, str]:
    """The rule's parts for reminders *days* away from the item's own days (an alarm the evening before).

    Weekdays move with the reminder; a day of the month moves only back by one (the 1st's eve is
    the previous month's last day). Other cases stay as they are, and the check that follows refuses
    the item if its reminders would then fall on other days than the calendar's.
    """
    if not days:
        return dict(parts)
    shifted = dict(parts)
    if "BYDAY" in parts and all(code in WEEKDAY_CODES for code in parts["BYDAY"].split(",")):
        shifted["BYDAY"] = ",".join(
            WEEKDAY_CODES[(WEEKDAY_CODES.index(code) + days.days) % 7] for code in parts["BYDAY"].split(",")
        )
    if "BYMONTHDAY" in parts and days.days == -1:
        month_days = [int(day) for day in parts["BYMONTHDAY"].split(",")]
        if all(day > 0 for day in month_days):
            shifted["BYMONTHDAY"] = ",".join(str(day - 1) if day > 1 else "-1" for day in month_days)
    return shifted


def _join(parts: dict[str, str]) -> str:
    freq = parts.get("FREQ", "")
    rest = [f"{key}={value}" for key, value in parts.items() if key != "FREQ"]
    return ";".join([f"FREQ={freq}", *rest]) if freq else ";".join(rest)


def _compile_calendar(rule: str, dtstart: datetime) -> rrule:
    compiled = rrulestr(rule, dtstart=dtstart)
    if not isinstance(compiled, rrule):
        raise ValueError(rule)
    return compiled


def _start(rule: str, first_wall: datetime, zone: tzinfo, now: datetime) -> tuple[date, str]:
    """Start the habit at the series' next reminder still ahead of *now* (its first, if in the future).

    A series that began long ago thus starts with its next reminder, not with years of missed
    ones; COUNT is lowered by the occurrences already past, so the series still ends where it did.
    """
    compiled = _compile_calendar(rule, first_wall)
    passed = 0
    last: datetime | None = None
    ahead: datetime | None = None
    for wall in islice(compiled, _MAX_WALK):
        if localize(wall, zone) > now:
            ahead = wall
            break
        passed += 1
        last = wall
    if ahead is None:
        if last is None:
            raise _SkipItemError(_("its rule gives no date at all."))
        if passed < _MAX_WALK:
            raise _SkipItemError(_("its series ended on {date}.").format(date=last.date().isoformat()))
        raise _SkipItemError(_("its series began too long ago to follow."))
    if passed == 0:
        return first_wall.date(), rule
    count = re.search(r"(^|;)COUNT=(\d+)", rule)
    if count is not None:
        remaining = int(count.group(2)) - passed
        rule = rule.replace(f"COUNT={count.group(2)}", f"COUNT={remaining}", 1)
    return ahead.date(), rule


def _own_start(item: Any, schedule: Schedule) -> Schedule:
    """A TrayHabit export's habit keeps its own start day, which may come before its first reminder.

    Only when nothing else changes: the start is earlier and the first reminder stays the same.
    """
    prop = item.get(START_PROPERTY)
    value = getattr(prop, "dt", None)
    if not isinstance(value, date) or isinstance(value, datetime) or value >= schedule.start:
        return schedule
    earlier = Schedule(schedule.rrule, schedule.at, value)
    if next(habit_walls(earlier), None) != next(habit_walls(schedule), None):
        return schedule
    return earlier


def _check_same_days(schedule: Schedule, calendar_rule: rrule, offset: timedelta) -> None:
    """Refuse an item whose habit would not remind on the calendar's days (after the offset)."""
    first = datetime.combine(schedule.start, schedule.at)
    walls = list(islice(habit_walls(schedule), _CHECKED_OCCURRENCES))
    expected = [
        wall + offset for wall in islice(calendar_rule.xafter(first - offset, inc=True), _CHECKED_OCCURRENCES)
    ]
    if walls != expected:
        raise _SkipItemError(_("TrayHabit cannot repeat it on the same days as the calendar does."))


def _dropped(
    item: icalendar.Component,
    overrides: list[icalendar.Component],
    *,
    own: tzinfo | None,
    offset: timedelta,
    start: date,
) -> list[str]:
    """Notes on what of the series TrayHabit does not keep, counting only dates from the habit's start."""

    def ahead(values: Iterable[date | datetime]) -> int:
        return sum(1 for value in values if (_wall(value, own) + offset).date() >= start)

    notes: list[str] = []
    excluded = ahead(_dates(item, "EXDATE"))
    if excluded:
        notes.append(
            ngettext(
                "{n} date the calendar leaves out (EXDATE) is not left out here: skip it when it comes.",
                "{n} dates the calendar leaves out (EXDATE) are not left out here: skip them when they come.",
                excluded,
            ).format(n=excluded)
        )
    extra = ahead(_dates(item, "RDATE"))
    if extra:
        notes.append(
            ngettext(
                "{n} extra date (RDATE) is not imported.", "{n} extra dates (RDATE) are not imported.", extra
            ).format(n=extra)
        )
    changed = ahead(_recurrence_id(override) for override in overrides)
    if changed:
        notes.append(
            ngettext(
                "{n} occurrence changed in the calendar is not imported; the habit follows the series' rule.",
                "{n} occurrences changed in the calendar are not imported; the habit follows the series' rule.",
                changed,
            ).format(n=changed)
        )
    return notes


def _recurrence_id(override: Any) -> date | datetime:
    value: date | datetime = override["RECURRENCE-ID"].dt
    return value


def _dates(item: Any, name: str) -> Iterator[date | datetime]:
    values = item.get(name)
    if values is None:
        return
    for prop in values if isinstance(values, list) else [values]:
        for entry in getattr(prop, "dts", []):
            value = entry.dt
            if isinstance(value, tuple):  # an RDATE period: its start
                value = value[0]
            if isinstance(value, date):
                yield value


def _first_line(error: object) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


__all__ = ["CalendarFileError", "CalendarPlan", "PlannedHabit", "SkippedItem", "export_ics", "read_calendar"]
