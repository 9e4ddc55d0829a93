"""Local days, the day boundary and DST-safe wall-clock arithmetic.

A *local day* runs from the day boundary (default 04:00) to the next day's boundary, so a check-off at
01:30 after a late evening still belongs to the evening's day. All arithmetic happens on naive
wall-clock values; a wall-clock value becomes an instant only through :func:`localize`, which follows
RFC 5545: a time that does not exist (the hour skipped in spring) is moved forward by the length of the
gap, and a time that exists twice (the hour repeated in autumn) means the first of the two.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from trayhabit.core.clock import Clock
from trayhabit.core.errors import UserError
from trayhabit.core.i18n import _

ONE_DAY = timedelta(days=1)


class TimeOfDayError(UserError, ValueError):
    """A time of day that cannot be read; the message says how to write it."""


def parse_time_of_day(text: str) -> time:
    """Parse ``HH:MM`` or ``HH:MM:SS`` (24-hour clock); raise TimeOfDayError with a clear message."""
    parts = text.strip().split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() and len(p) <= 2 for p in parts):
        raise TimeOfDayError(
            _("“{text}” is not a time of day; write it as HH:MM, e.g. 09:30.").format(text=text)
        )
    hour, minute = int(parts[0]), int(parts[1])
    second = int(parts[2]) if len(parts) == 3 else 0
    if not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 60):
        raise TimeOfDayError(
            _("“{text}” is not a time of day; hours run 00-23 and minutes 00-59.").format(text=text)
        )
    return time(hour, minute, second)


def format_time_of_day(value: time) -> str:
    """``HH:MM``, or ``HH:MM:SS`` when there are seconds."""
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def localize(wall: datetime, zone: tzinfo) -> datetime:
    """The instant that the naive wall-clock time *wall* denotes in *zone* (RFC 5545 rules)."""
    # fold=0 makes a repeated time the first one, and a skipped time use the offset from before the
    # gap; the round trip through UTC turns the latter into the real wall time after the gap.
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC).astimezone(zone)


def today(clock: Clock, boundary: time) -> date:
    """The local day it is now by *clock*, with days starting at *boundary*: the one answer to
    "which day is it" for the command line, the windows and the tray."""
    return local_day(clock.now(), clock.tz, boundary)


def local_day(instant: datetime, zone: tzinfo, boundary: time) -> date:
    """The local day that holds *instant*, with days starting at *boundary*."""
    return wall_day(instant.astimezone(zone).replace(tzinfo=None), boundary)


def wall_day(wall: datetime, boundary: time) -> date:
    """The local day of the naive wall-clock time *wall*, with days starting at *boundary*."""
    return (wall - timedelta(hours=boundary.hour, minutes=boundary.minute, seconds=boundary.second)).date()


def day_start(day: date, zone: tzinfo, boundary: time) -> datetime:
    """The instant local *day* begins."""
    return localize(datetime.combine(day, boundary), zone)


def day_end(day: date, zone: tzinfo, boundary: time) -> datetime:
    """The instant local *day* ends (where the next one begins)."""
    return day_start(day + ONE_DAY, zone, boundary)
