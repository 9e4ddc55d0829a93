"""Occurrences and their check-off windows, from an RFC 5545 RRULE evaluated by dateutil.

A habit's rule yields wall-clock reminder times (its dates at its time of day); each becomes an
instant through :func:`trayhabit.core.days.localize`, so DST days neither skip nor double a
reminder: a 02:30 reminder on the spring-forward day in Europe/Stockholm fires at 03:30, when the
clocks have jumped past the missing hour, and on the autumn day it fires once, at the first 02:30.

Occurrence k's window opens when occurrence k-1's closes (the first opens when the habit starts) and
closes at the end of the local day that holds its reminder. Windows therefore tile time with no gap
and no overlap, and a habit has at most one reminder per local day (rules that repeat within a day,
such as FREQ=HOURLY, are refused when a habit is created).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from dateutil.rrule import rrule, rrulestr

from trayhabit.core.days import ONE_DAY, day_end, day_start, local_day, localize, wall_day
from trayhabit.core.errors import UserError
from trayhabit.core.i18n import _
from trayhabit.core.model import Occurrence, Schedule


class ScheduleError(UserError, ValueError):
    """A schedule that cannot be used; the message says what is wrong in the user's terms."""


#: The last year a habit may start in; far enough that no real habit meets it.
LATEST_START_YEAR = 8999

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEKDAY_NAMES = {
    **{code.lower(): code for code in WEEKDAY_CODES},
    **{
        name: code
        for name, code in zip(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), WEEKDAY_CODES, strict=True)
    },
    **{
        name: code
        for name, code in zip(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
            WEEKDAY_CODES,
            strict=True,
        )
    },
}
_TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
_ALLOWED_FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
# RFC 5545's other frequencies: known, but more often than TrayHabit reminds.
_SUB_DAILY_FREQS = ("HOURLY", "MINUTELY", "SECONDLY")
_GAP_GRACE = timedelta(hours=1)


def _weekday_code(word: str) -> str:
    code = _WEEKDAY_NAMES.get(word.strip().lower())
    if code is None:
        raise ScheduleError(
            _("“{word}” is not a day of the week; use mon, tue, wed, thu, fri, sat or sun.").format(word=word)
        )
    return code


def rule_from_every(every: str, on: str | None, start: date) -> str:
    """The RRULE for ``--every`` with optional ``--on`` days.

    *every* is day, weekday, week, month or year, or N of them: ``3-days``, ``2-weeks``,
    ``3-months``, ``2-years``. ``--on`` takes weekdays (``mon,wed``) with day or week; with month it
    takes days of the month (``1,15``, ``-1`` for the last) or ordinal weekdays (``1mon``, ``-1fri``);
    with year a month and day (``03-15``). Without ``--on`` a habit repeats on the start date's
    weekday, day of the month or date.
    """
    kind, interval = _repeat_and_interval(every)
    days = [part.strip() for part in on.split(",") if part.strip()] if on else []
    # INTERVAL right after FREQ, as normalize_rule keeps it and people read it.
    every_n = f";INTERVAL={interval}" if interval > 1 else ""
    if kind == "day" and interval > 1:
        if days:
            raise ScheduleError(_("--on cannot be combined with --every N-days."))
        return f"FREQ=DAILY{every_n}"
    if kind in ("day", "week"):
        if days:
            return f"FREQ=WEEKLY{every_n};BYDAY=" + ",".join(_weekday_code(day) for day in days)
        if kind == "day":
            return "FREQ=DAILY"
        return f"FREQ=WEEKLY{every_n};BYDAY={WEEKDAY_CODES[start.weekday()]}"
    if kind == "weekday":
        if days:
            raise ScheduleError(_("--on cannot be combined with --every weekday; use --every week --on ..."))
        return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    if kind == "month":
        return "FREQ=MONTHLY" + every_n + _monthly_days(days, start)
    return "FREQ=YEARLY" + every_n + _yearly_date(days, start)


_REPEAT_WORDS = {
    "day": "day",
    "daily": "day",
    "days": "day",
    "weekday": "weekday",
    "weekdays": "weekday",
    "week": "week",
    "weekly": "week",
    "weeks": "week",
    "month": "month",
    "monthly": "month",
    "months": "month",
    "year": "year",
    "yearly": "year",
    "years": "year",
}


def _repeat_and_interval(every: str) -> tuple[str, int]:
    """ "3-months" -> ("month", 3), "week" -> ("week", 1); refuses what is not a repeat."""
    text = every.strip().lower()
    number, dash, word = text.partition("-")
    if not dash:
        number, word = "1", text
    kind = _REPEAT_WORDS.get(word)
    if kind is None or (kind == "weekday" and dash) or not number.isdigit():
        raise ScheduleError(
            _(
                "“{every}” is not a repeat; use day, weekday, week, month or year, or a number of them "
                "(e.g. 3-days, 2-weeks)."
            ).format(every=every)
        )
    if int(number) < 1:
        raise ScheduleError(_("The interval in “{every}” must be at least 1.").format(every=every))
    return kind, int(number)


def _monthly_days(days: list[str], start: date) -> str:
    """The BY... parts of a monthly rule: the start date's day, or the days given."""
    if not days:
        if start.day <= 28:
            return f";BYMONTHDAY={start.day}"
        # The 29th-31st do not exist in every month: take that day, or the month's last when shorter.
        return f";BYMONTHDAY={start.day},-1;BYSETPOS=1"
    month_days: list[str] = []
    weekdays: list[str] = []
    for day in days:
        sign = "-" if day.startswith("-") else ""
        body = day.lstrip("+-")
        digits = "".join(ch for ch in body if ch.isdigit())
        rest = body[len(digits) :]
        if digits and not rest and 1 <= int(digits) <= 31:
            month_days.append(f"{sign}{int(digits)}")
        elif digits and rest and 1 <= int(digits) <= 5:
            weekdays.append(f"{sign}{int(digits)}{_weekday_code(rest)}")
        else:
            raise ScheduleError(
                _("“{day}” is not a day of the month; use 1-31, -1 for the last day, or 1mon, -1fri.").format(
                    day=day
                )
            )
    if month_days and weekdays:
        raise ScheduleError(
            _("--on with --every month takes either days of the month or weekdays, not both.")
        )
    if month_days:
        return ";BYMONTHDAY=" + ",".join(month_days)
    return ";BYDAY=" + ",".join(weekdays)


def _yearly_date(days: list[str], start: date) -> str:
    """The BY... parts of a yearly rule: the start date's month and day, or the one given (``03-15``)."""
    if not days:
        return f";BYMONTH={start.month};BYMONTHDAY={start.day}"
    month, dash, day = days[0].partition("-")
    # Any leap year has every date, so a date that exists in it is a date some year has.
    valid = len(days) == 1 and dash and month.isdigit() and day.isdigit()
    try:
        when = date(2000, int(month), int(day)) if valid else None
    except ValueError:
        when = None
    if when is None:
        raise ScheduleError(
            _("“{on}” is not a date in the year; use month-day, e.g. 03-15 for 15 March.").format(
                on=",".join(days)
            )
        )
    return f";BYMONTH={when.month};BYMONTHDAY={when.day}"


def normalize_rule(text: str, at: time | None) -> tuple[str, time]:
    """Check a user's RRULE and split it into a date rule and a time of day.

    The time comes from *at* or, when that is None, from the rule's own BYHOUR and BYMINUTE. Rules
    that would remind more than once a day are refused, as are rules dateutil cannot evaluate.
    """
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:") :]
    if "DTSTART" in body.upper() or "\n" in body:
        raise ScheduleError(_("Give only the RRULE line; set the first day with --start instead of DTSTART."))
    parts: dict[str, str] = {}
    for chunk in body.split(";"):
        name, sep, value = chunk.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ScheduleError(
                _("“{rule}” is not a valid RRULE (expected NAME=VALUE parts).").format(rule=text)
            )
        parts[name.strip().upper()] = value.strip().upper()
    freq = parts.get("FREQ")
    if freq is None:
        raise ScheduleError(_("“{rule}” is not a valid RRULE: FREQ is missing.").format(rule=text))
    if freq not in (*_ALLOWED_FREQS, *_SUB_DAILY_FREQS):
        raise ScheduleError(
            _("FREQ={freq} is not a frequency TrayHabit knows: use DAILY, WEEKLY, MONTHLY or YEARLY.").format(
                freq=freq
            )
        )
    if freq not in _ALLOWED_FREQS:
        raise ScheduleError(
            _(
                "TrayHabit reminds at most once a day; FREQ={freq} is not supported (use DAILY, WEEKLY, MONTHLY or YEARLY)."
            ).format(freq=freq)
        )
    interval = parts.get("INTERVAL", "1")
    if not interval.isdigit() or int(interval) < 1:
        # dateutil loops for ever on INTERVAL=0, so it must never reach _compile.
        raise ScheduleError(
            _("“{rule}” is not a valid RRULE: INTERVAL must be a whole number of at least 1.").format(
                rule=text
            )
        )
    for part in _TIME_PARTS:
        if "," in parts.get(part, ""):
            raise ScheduleError(
                _("TrayHabit reminds at most once a day; {part} must have a single value.").format(part=part)
            )
    rule_time = _time_from_parts(parts, text)
    if at is None:
        if rule_time is None:
            raise ScheduleError(
                _("Give the reminder time with --at HH:MM, or BYHOUR and BYMINUTE in the RRULE.")
            )
        at = rule_time
    elif rule_time is not None and rule_time != at:
        raise ScheduleError(_("The RRULE's BYHOUR/BYMINUTE disagree with --at; give the time in one place."))
    for part in _TIME_PARTS:
        parts.pop(part, None)
    if parts.get("UNTIL", "").endswith("Z"):
        # Reminders are wall-clock times, so an UNTIL in UTC is read as the same wall-clock moment.
        parts["UNTIL"] = parts["UNTIL"][:-1]
    ordered = ["FREQ=" + parts.pop("FREQ")] + [f"{name}={value}" for name, value in parts.items()]
    rule = ";".join(ordered)
    try:
        _compile(rule, datetime(2000, 1, 1, at.hour, at.minute, at.second))
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise ScheduleError(
            _("“{rule}” is not a valid RRULE: {error}").format(rule=text, error=error)
        ) from None
    return rule, at


def _time_from_parts(parts: dict[str, str], text: str) -> time | None:
    if "BYHOUR" not in parts or "BYMINUTE" not in parts:
        if "BYHOUR" in parts or "BYMINUTE" in parts:
            raise ScheduleError(_("The RRULE must give both BYHOUR and BYMINUTE, or neither."))
        return None
    try:
        return time(int(parts["BYHOUR"]), int(parts["BYMINUTE"]), int(parts.get("BYSECOND", "0")))
    except ValueError:
        raise ScheduleError(_("“{rule}” has an impossible BYHOUR/BYMINUTE.").format(rule=text)) from None


@lru_cache(maxsize=512)
def _compile(rule: str, dtstart: datetime) -> rrule:
    # cache=True: the windows of a habit are asked for again and again (score, next reminder, menu).
    compiled = rrulestr(rule, dtstart=dtstart, cache=True)
    if not isinstance(compiled, rrule):
        raise ValueError("expected a single RRULE")
    return compiled


@lru_cache(maxsize=512)
def occurrences_per_day(rule: str) -> float:
    """``f`` of the score: how many occurrences the rule schedules per day, in the long run.

    Counted over a span that is a whole number of the rule's natural periods (400 weeks, or 400
    years for monthly and yearly rules), so weekday patterns come out exact (weekdays: 5/7).
    """
    base = datetime(2001, 1, 1)  # a Monday, and the start of a 400-year Gregorian cycle
    parts = dict(chunk.split("=", 1) for chunk in rule.split(";"))
    interval = max(1, int(parts.get("INTERVAL", "1")))
    if parts["FREQ"] in ("DAILY", "WEEKLY"):
        span = timedelta(days=2800 * interval)
    else:  # MONTHLY or YEARLY; normalize_rule refuses anything more frequent than daily
        span = timedelta(days=146097 * interval)
    compiled = _compile(rule, base).replace(count=None, until=None)
    # The open interval (base - 1 s, base + span) counts base itself and excludes base + span.
    count = len(compiled.between(base - timedelta(seconds=1), base + span, inc=False))
    return count / span.days


class Timeline:
    """The occurrences of one schedule in a time zone, with a day boundary.

    Every method is deterministic in its arguments; nothing here reads the clock.
    """

    def __init__(
        self,
        schedule: Schedule,
        zone: tzinfo,
        boundary: time,
        anchor: datetime | Sequence[datetime] | None = None,
    ) -> None:
        """*anchor*, the wall-clock time of a known occurrence (a checkpoint's, a recent one), or
        several, lets look-ups after one start there instead of walking from the habit's start."""
        self.schedule = schedule
        self.zone = zone
        self.boundary = boundary
        self._rule = _compile(schedule.rrule, datetime.combine(schedule.start, schedule.at))
        self._habit_start = day_start(schedule.start, zone, boundary).astimezone(UTC)
        anchors = [anchor] if isinstance(anchor, datetime) else list(anchor or ())
        self._anchors = sorted(anchors) if self._can_restart() else []

    def _can_restart(self) -> bool:
        # Restarted at one of its occurrences, a rule keeps its interval's phase and the parts taken
        # from its start; only COUNT would then count from the wrong place.
        return "COUNT=" not in self.schedule.rrule.upper()

    def _restarted(self, wall: datetime) -> rrule:
        return self._rule.replace(dtstart=wall) if self._can_restart() else self._rule

    def _close_of(self, wall: datetime, reminder: datetime) -> datetime:
        """When the window of the reminder at *wall* (the instant *reminder*) closes."""
        # The day is the wall time's: a reminder moved forward out of a DST gap stays in its day.
        close = day_end(wall_day(wall, self.boundary), self.zone, self.boundary).astimezone(UTC)
        # Only a reminder moved out of a gap that ends at the day boundary can reach its day's end;
        # it keeps an hour for a check-off after it rather than closing as it fires.
        return close if reminder < close else reminder + _GAP_GRACE

    def _instant(self, wall: datetime) -> datetime:
        # In UTC: Python compares and subtracts two datetimes that share a tzinfo by their wall
        # clocks, which is wrong across a DST change; UTC values always compare as instants.
        return localize(wall, self.zone).astimezone(UTC)

    def _first_open(self, first_wall: datetime) -> datetime:
        # A reminder before the day boundary on the start date belongs to the previous local day.
        reminder_day_start = day_start(wall_day(first_wall, self.boundary), self.zone, self.boundary)
        return min(self._habit_start, reminder_day_start.astimezone(UTC))

    def __iter__(self) -> Iterator[Occurrence]:
        """Every occurrence, from the first, in order (endless unless the rule has COUNT or UNTIL)."""
        opens: datetime | None = None
        for wall in self._rule:
            reminder = self._instant(wall)
            if opens is None:
                opens = self._first_open(wall)
            closes = self._close_of(wall, reminder)
            yield Occurrence(key=wall.date(), reminder=reminder, opens=opens, closes=closes)
            opens = closes

    def _after_wall(self, previous_wall: datetime | None, rule: rrule | None = None) -> Iterator[Occurrence]:
        """Occurrences after the one reminded at *previous_wall* (from the first when None)."""
        if previous_wall is None:
            yield from self
            return
        opens = self._close_of(previous_wall, self._instant(previous_wall))
        for wall in (rule or self._rule).xafter(previous_wall, inc=False):
            reminder = self._instant(wall)
            closes = self._close_of(wall, reminder)
            yield Occurrence(key=wall.date(), reminder=reminder, opens=opens, closes=closes)
            opens = closes

    def after(self, wall: datetime) -> Iterator[Occurrence]:
        """The occurrences after the one the schedule reminds at wall-clock *wall* (naive), in order.

        For resuming from a checkpoint: when the rule has no COUNT, it is restarted at *wall* (an
        occurrence, so the interval's phase and the parts taken from the start stay the same), which
        spares dateutil walking every occurrence from the habit's start again.
        """
        return self._after_wall(wall, self._restarted(wall))

    def iter_from(self, instant: datetime) -> Iterator[Occurrence]:
        """Occurrences in order, from the one whose window holds *instant* (or the first after it)."""
        day = local_day(instant, self.zone, self.boundary)
        # Reminders from a day before the instant's local day on: a margin for localize moving a
        # reminder across the day boundary, so no window that holds the instant is passed over.
        threshold = datetime.combine(day - ONE_DAY, self.boundary)
        rule = self._rule
        # The latest known occurrence before the threshold, if any.
        index = bisect_left(self._anchors, threshold)
        if index:
            rule = self._restarted(self._anchors[index - 1])
        for occurrence in self._after_wall(rule.before(threshold, inc=False), rule):
            if occurrence.closes > instant:
                yield occurrence

    def containing(self, instant: datetime) -> Occurrence | None:
        """The occurrence whose window holds *instant*, or None (before the start, after the end)."""
        for occurrence in self.iter_from(instant):
            return occurrence if occurrence.holds(instant) else None
        return None

    def by_key(self, key: date) -> Occurrence | None:
        """The occurrence whose reminder falls on wall-clock date *key*, or None."""
        wall = datetime.combine(key, self.schedule.at)
        if self._rule.after(wall, inc=True) != wall:
            return None
        return next(self._after_wall(self._rule.before(wall, inc=False)), None)

    def upcoming(self, instant: datetime, count: int) -> list[Occurrence]:
        """The next *count* occurrences whose reminder is after *instant*."""
        result: list[Occurrence] = []
        for occurrence in self.iter_from(instant):
            if occurrence.reminder > instant:
                result.append(occurrence)
                if len(result) == count:
                    break
        return result


def closed_before(
    schedule: Schedule, zone: tzinfo, boundary: time, now: datetime, until: date | None = None
) -> int:
    """How many occurrences a start date puts in the past: those whose window had closed by *now*.

    With nothing recorded for them they count as missed, so a start date in the past is said out loud
    (command line and habit form) before it is saved. *until*, when given, counts only occurrences
    reminded before that day (moving an existing habit's start earlier adds only those).
    """
    count = 0
    for occurrence in Timeline(schedule, zone, boundary):
        if occurrence.closes > now or (until is not None and occurrence.key >= until):
            break
        count += 1
    return count


def half_life(rule: str, base: float) -> float:
    """``h = base * sqrt(f)``: the score's half-life, in occurrences (DESIGN section 3)."""
    return base * math.sqrt(occurrences_per_day(rule))


def make_schedule(rule: str, at: time, start: date) -> Schedule:
    """A schedule, checked to have at least one occurrence on or after *start*."""
    if start.year > LATEST_START_YEAR:
        # Windows and the day after a reminder are computed a little past it: near 9999-12-31
        # that overflows Python's dates, in every later command.
        raise ScheduleError(
            _("A habit must start before the year {year}; {start} is too far ahead.").format(
                year=LATEST_START_YEAR + 1, start=start.isoformat()
            )
        )
    schedule = Schedule(rrule=rule, at=at, start=start)
    if _compile(rule, datetime.combine(start, at)).after(datetime.combine(start, time(0)), inc=True) is None:
        raise ScheduleError(
            _("The rule “{rule}” has no occurrence on or after {start}.").format(
                rule=rule, start=start.isoformat()
            )
        )
    return schedule
