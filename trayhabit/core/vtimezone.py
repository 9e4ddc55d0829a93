"""A time zone as one yearly rule: the VTIMEZONE every calendar program reads the same way.

Outlook (Microsoft's [MS-OXCICAL]) keeps one rule per zone, taken from the ``RRULE`` of one
STANDARD and one DAYLIGHT part; a part without an ``RRULE`` makes it import the zone with no
daylight saving at all, and the rule's ``BYDAY`` must name one weekday occurrence (``-1SU``, the
last Sunday). Readers that honour the file's own zone (Mozilla's ical.js, behind web calendars)
take the rule as written. So the zone is described by its *current* yearly rule, found in the zone
database by watching its clock for a few years from now, never as the list of every change since
1970 (``RDATE``) that icalendar writes by default. A zone without daylight saving gets a single
STANDARD part whose rule still names a weekday, as Outlook refuses one without.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import icalendar

from trayhabit.core.schedule import WEEKDAY_CODES

# Years of the zone's clock watched to find its rule: enough to tell "the last Sunday" from "the
# fourth Sunday" (they differ in some years), few enough to describe the rule in force now.
_YEARS_WATCHED = 3
# Changes of a zone's clock are months apart; a day's steps find every one, bisection the second.
_STEP = timedelta(days=1)


@dataclass(frozen=True)
class Change:
    """A change of a zone's clock: the instant (UTC) and the offsets before and after."""

    instant: datetime
    before: timedelta
    after: timedelta


@dataclass(frozen=True)
class Onset:
    """A yearly change as Outlook keeps it: the *nth* (1..4, or -1 for the last) *weekday* of *month*,
    at wall-clock time *at* on the clock before the change (as RFC 5545 has it)."""

    month: int
    weekday: int  # 0 = Monday, as datetime.weekday()
    nth: int
    at: time
    before: timedelta
    after: timedelta
    name: str

    def day(self, year: int) -> date:
        """The onset's day in *year*."""
        if self.nth > 0:
            first = date(year, self.month, 1)
            return first + timedelta(days=(self.weekday - first.weekday()) % 7 + 7 * (self.nth - 1))
        last = date(year, self.month, calendar.monthrange(year, self.month)[1])
        return last - timedelta(days=(last.weekday() - self.weekday) % 7)

    def byday(self) -> str:
        """The onset as an RRULE BYDAY value: one weekday occurrence, e.g. -1SU."""
        return f"{self.nth}{WEEKDAY_CODES[self.weekday]}"


def clock_changes(zone: tzinfo, start: datetime, end: datetime) -> list[Change]:
    """Every change of *zone*'s offset from UTC between two aware instants, in order."""
    changes: list[Change] = []
    here = start.astimezone(UTC)
    offset = _offset(zone, here)
    while here < end:
        step = min(_STEP, end - here)
        there = here + step
        later = _offset(zone, there)
        if later != offset:
            changes.append(Change(_bisect(zone, here, there, offset), offset, later))
            offset = later
        here = there
    return changes


def _offset(zone: tzinfo, instant: datetime) -> timedelta:
    value = instant.astimezone(zone).utcoffset()
    return value if value is not None else timedelta(0)


def _bisect(zone: tzinfo, low: datetime, high: datetime, before: timedelta) -> datetime:
    """The first second in (low, high] at which the offset is no longer *before*."""
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle <= low:
            break
        if _offset(zone, middle) == before:
            low = middle
        else:
            high = middle
    return high


def _candidates(day: date) -> set[int]:
    """The ways to name *day* as a weekday occurrence of its month: its number (1..4) and/or -1."""
    found: set[int] = set()
    number = (day.day - 1) // 7 + 1
    if number <= 4:
        found.add(number)
    if day.day + 7 > calendar.monthrange(day.year, day.month)[1]:
        found.add(-1)
    return found


def _onset(zone: tzinfo, changes: list[Change]) -> Onset:
    """The yearly rule that the changes (one direction, a few years) follow.

    The first change sets month, weekday and time; every later one that agrees narrows down which
    occurrence it is. Where the changes follow no weekday rule (a few zones tie them to other
    calendars), the first one's is used: the best one rule can do.
    """
    first = changes[0]
    wall = (first.instant + first.before).replace(tzinfo=None)
    choices = _candidates(wall.date())
    for change in changes[1:]:
        other = (change.instant + change.before).replace(tzinfo=None)
        if (other.month, other.weekday(), other.time()) != (wall.month, wall.weekday(), wall.time()):
            continue
        narrowed = choices & _candidates(other.date())
        if narrowed:
            choices = narrowed
    # The last week is how almost every zone states its rule; a fifth occurrence can only be "last".
    nth = -1 if -1 in choices else min(choices)
    name = first.instant.astimezone(zone).tzname() or _offset_name(first.after)
    return Onset(wall.month, wall.weekday(), nth, wall.time(), first.before, first.after, name)


def _offset_name(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def yearly_onsets(zone: tzinfo, now: datetime) -> tuple[Onset | None, Onset | None, timedelta, str]:
    """The zone's current rule: (daylight onset, standard onset) or, without daylight saving,
    (None, None) with its offset and name. The offset that is larger is daylight time, as Outlook
    and Windows have it (whatever the zone database calls it)."""
    year = now.astimezone(zone).year
    start = datetime(year, 1, 1, tzinfo=UTC)
    changes = clock_changes(zone, start, datetime(year + _YEARS_WATCHED, 1, 1, tzinfo=UTC))
    forward = [change for change in changes if change.after > change.before]
    backward = [change for change in changes if change.after < change.before]
    if forward and backward:
        return _onset(zone, forward), _onset(zone, backward), timedelta(0), ""
    # No daylight saving (or a single change of the standard offset): the offset the zone keeps.
    settled = changes[-1].instant if changes else now
    offset = _offset(zone, settled)
    return None, None, offset, settled.astimezone(zone).tzname() or _offset_name(offset)


def vtimezone(zone: tzinfo, tzid: str, *, now: datetime, first_year: int) -> icalendar.Timezone:
    """A VTIMEZONE named *tzid* for *zone*'s current rule, in force from before *first_year*.

    The parts start the year before the export's first date, so every reader finds the rule in
    force for every time in the file.
    """
    component = icalendar.Timezone()
    component.add("TZID", tzid)
    since = first_year - 1
    daylight, standard, offset, name = yearly_onsets(zone, now)
    if daylight is None or standard is None:
        # Outlook needs a rule naming a weekday even when the clock never changes: the first Sunday of
        # January, from one offset to the same.
        steady = Onset(1, 6, 1, time(0), offset, offset, name)
        component.add_component(_describe(icalendar.TimezoneStandard(), steady, since))
        return component
    component.add_component(_describe(icalendar.TimezoneStandard(), standard, since))
    component.add_component(_describe(icalendar.TimezoneDaylight(), daylight, since))
    return component


def _describe(part: icalendar.Component, onset: Onset, year: int) -> icalendar.Component:
    part.add("DTSTART", datetime.combine(onset.day(year), onset.at))
    part.add("RRULE", icalendar.vRecur({"FREQ": "YEARLY", "BYMONTH": onset.month, "BYDAY": onset.byday()}))
    part.add("TZOFFSETFROM", onset.before)
    part.add("TZOFFSETTO", onset.after)
    part.add("TZNAME", onset.name)
    return part
