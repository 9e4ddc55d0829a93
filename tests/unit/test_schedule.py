"""Occurrences and windows: DST days, the day boundary, the rule shapes, and their invariants."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import islice, pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trayhabit.core.model import Schedule
from trayhabit.core.schedule import (
    ScheduleError,
    Timeline,
    closed_before,
    make_schedule,
    normalize_rule,
    occurrences_per_day,
    rule_from_every,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NEW_YORK = ZoneInfo("America/New_York")
FOUR = time(4)


def timeline(rule: str, at: time, start: date, zone=STOCKHOLM, boundary: time = FOUR) -> Timeline:
    return Timeline(Schedule(rule, at, start), zone, boundary)


def reminders_between(line: Timeline, first: date, last: date) -> list[datetime]:
    return [o.reminder.astimezone(line.zone) for o in islice(line, 400) if first <= o.key <= last]


# -- DST ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "spring_day"),
    [(STOCKHOLM, date(2026, 3, 29)), (NEW_YORK, date(2026, 3, 8))],
)
def test_spring_forward_neither_skips_nor_doubles_a_reminder(zone, spring_day):
    line = timeline("FREQ=DAILY", time(9), spring_day - timedelta(days=3), zone)
    reminders = reminders_between(line, spring_day - timedelta(days=1), spring_day + timedelta(days=1))
    assert [r.date() for r in reminders] == [
        spring_day - timedelta(days=1),
        spring_day,
        spring_day + timedelta(days=1),
    ]
    assert all(r.timetz().replace(tzinfo=None) == time(9) for r in reminders)
    # 09:00 wall clock each day, though the day of the change is an hour shorter.
    assert reminders[1].astimezone(UTC) - reminders[0].astimezone(UTC) == timedelta(hours=23)


@pytest.mark.parametrize(
    ("zone", "spring_day", "after_gap"),
    [(STOCKHOLM, date(2026, 3, 29), time(3, 30)), (NEW_YORK, date(2026, 3, 8), time(3, 30))],
)
def test_a_0230_reminder_on_the_spring_forward_day_fires_once_after_the_gap(zone, spring_day, after_gap):
    """02:30 does not exist that day; the reminder comes at 03:30, when the clocks have jumped (RFC 5545)."""
    line = timeline("FREQ=DAILY", time(2, 30), spring_day - timedelta(days=2), zone, boundary=time(5))
    reminders = reminders_between(line, spring_day - timedelta(days=1), spring_day + timedelta(days=1))
    assert len(reminders) == 3
    assert reminders[1].date() == spring_day
    assert reminders[1].time() == after_gap
    assert reminders[0].time() == reminders[2].time() == time(2, 30)


@pytest.mark.parametrize(
    ("zone", "fall_day"),
    [(STOCKHOLM, date(2026, 10, 25)), (NEW_YORK, date(2026, 11, 1))],
)
def test_a_reminder_in_the_repeated_hour_of_fall_back_fires_once_at_the_first(zone, fall_day):
    line = timeline(
        "FREQ=DAILY", time(1, 30) if zone is NEW_YORK else time(2, 30), fall_day - timedelta(days=2), zone
    )
    reminders = reminders_between(line, fall_day, fall_day)
    assert len(reminders) == 1
    before_change = reminders[0].utcoffset()
    assert before_change is not None
    # The first of the two equal wall times still has summer time's offset.
    summer = datetime.combine(fall_day - timedelta(days=1), time(12), zone).utcoffset()
    assert before_change == summer


def test_the_local_day_holding_the_fall_back_hour_is_25_hours_long():
    # Clocks go back at 03:00 on Sunday 25 October; with days starting at 04:00, the local day
    # from Saturday 04:00 to Sunday 04:00 holds the repeated hour.
    line = timeline("FREQ=DAILY", time(9), date(2026, 10, 20))
    saturday = next(o for o in line if o.key == date(2026, 10, 24))
    sunday = next(o for o in line if o.key == date(2026, 10, 25))
    assert saturday.closes - saturday.opens == timedelta(hours=25)
    assert sunday.closes - sunday.opens == timedelta(hours=24)


# -- windows and the day boundary -----------------------------------------------------------------------


def test_a_daily_window_is_its_local_day_from_boundary_to_boundary():
    line = timeline("FREQ=DAILY", time(9), date(2026, 11, 23))
    occ = line.containing(datetime(2026, 11, 25, 23, 30, tzinfo=STOCKHOLM))
    assert occ is not None
    assert occ.key == date(2026, 11, 25)
    assert occ.opens == datetime(2026, 11, 25, 4, tzinfo=STOCKHOLM)
    assert occ.closes == datetime(2026, 11, 26, 4, tzinfo=STOCKHOLM)


def test_after_midnight_but_before_the_boundary_still_belongs_to_the_evening_before():
    line = timeline("FREQ=DAILY", time(21), date(2026, 11, 23))
    occ = line.containing(datetime(2026, 11, 26, 1, 30, tzinfo=STOCKHOLM))
    assert occ is not None and occ.key == date(2026, 11, 25)
    # With the boundary at midnight, 01:30 is the next day.
    midnight = timeline("FREQ=DAILY", time(21), date(2026, 11, 23), boundary=time(0))
    occ = midnight.containing(datetime(2026, 11, 26, 1, 30, tzinfo=STOCKHOLM))
    assert occ is not None and occ.key == date(2026, 11, 26)


def test_a_weekly_monday_habit_can_be_pre_empted_from_tuesday_to_monday_morning():
    line = timeline("FREQ=WEEKLY;BYDAY=MO", time(9), date(2026, 11, 2))
    occ = line.containing(datetime(2026, 11, 11, 12, tzinfo=STOCKHOLM))  # a Wednesday
    assert occ is not None
    assert occ.key == date(2026, 11, 16)
    assert occ.opens == datetime(2026, 11, 10, 4, tzinfo=STOCKHOLM)  # Tuesday at the boundary
    assert occ.closes == datetime(2026, 11, 17, 4, tzinfo=STOCKHOLM)


def test_the_first_window_opens_when_the_habit_starts():
    line = timeline("FREQ=WEEKLY;BYDAY=MO", time(9), date(2026, 11, 25))  # a Wednesday
    first = next(iter(line))
    assert first.key == date(2026, 11, 30)
    assert first.opens == datetime(2026, 11, 25, 4, tzinfo=STOCKHOLM)
    assert line.containing(datetime(2026, 11, 24, 12, tzinfo=STOCKHOLM)) is None


def test_by_key_finds_an_occurrence_and_refuses_a_date_off_the_schedule():
    line = timeline("FREQ=WEEKLY;BYDAY=MO", time(9), date(2026, 11, 2))
    assert line.by_key(date(2026, 11, 16)) == line.containing(datetime(2026, 11, 12, tzinfo=STOCKHOLM))
    assert line.by_key(date(2026, 11, 17)) is None


def test_upcoming_lists_the_next_reminders():
    line = timeline("FREQ=DAILY;INTERVAL=3", time(7, 30), date(2026, 11, 1))
    upcoming = line.upcoming(datetime(2026, 11, 4, 8, tzinfo=STOCKHOLM), 3)
    assert [o.key for o in upcoming] == [date(2026, 11, 7), date(2026, 11, 10), date(2026, 11, 13)]


# -- rule shapes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("every", "on", "rule"),
    [
        ("day", None, "FREQ=DAILY"),
        ("weekday", None, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("week", None, "FREQ=WEEKLY;BYDAY=FR"),  # the start date's weekday
        ("week", "mon,wed", "FREQ=WEEKLY;BYDAY=MO,WE"),
        ("day", "sat,sun", "FREQ=WEEKLY;BYDAY=SA,SU"),
        ("3-days", None, "FREQ=DAILY;INTERVAL=3"),
        ("month", None, "FREQ=MONTHLY;BYMONTHDAY=27"),
        ("month", "1,-1", "FREQ=MONTHLY;BYMONTHDAY=1,-1"),
        ("month", "-1fri", "FREQ=MONTHLY;BYDAY=-1FR"),
        # Every N weeks, months and years, as Outlook offers them.
        ("2-weeks", None, "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
        ("2-weeks", "tue,thu", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH"),
        ("1-weeks", "mon", "FREQ=WEEKLY;BYDAY=MO"),
        ("3-months", None, "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=27"),
        ("3-months", "2tue", "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU"),
        ("6-months", "-1", "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=-1"),
        ("year", None, "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=27"),
        ("year", "03-15", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15"),
        ("2-years", "2-29", "FREQ=YEARLY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=29"),
    ],
)
def test_every_and_on_make_the_expected_rules(every, on, rule):
    assert rule_from_every(every, on, date(2026, 11, 27)) == rule


@pytest.mark.parametrize(
    ("every", "on"),
    [
        ("fortnight", None),
        ("week", "funday"),
        ("weekday", "mon"),
        ("0-days", None),
        ("month", "40"),
        ("0-weeks", None),
        ("2-weekdays", None),
        ("year", "02-30"),
        ("year", "15"),
        ("year", "03-15,06-15"),
        ("3-days", "mon"),
    ],
)
def test_bad_repeats_are_refused_with_a_clear_message(every, on):
    with pytest.raises(ScheduleError):
        rule_from_every(every, on, date(2026, 11, 27))


def test_a_monthly_habit_every_3_months_on_the_31st_keeps_its_months_and_their_last_days():
    rule = rule_from_every("3-months", None, date(2026, 1, 31))
    line = timeline(rule, time(9), date(2026, 1, 31))
    assert [o.key for o in islice(line, 3)] == [date(2026, 1, 31), date(2026, 4, 30), date(2026, 7, 31)]


def test_a_start_in_the_past_counts_the_occurrences_whose_window_has_closed():
    now = datetime(2026, 11, 25, 8, 0, tzinfo=STOCKHOLM)  # a Wednesday morning
    daily = Schedule("FREQ=DAILY", time(9), date(2026, 11, 20))
    # The 20th to the 24th have closed; the 25th is still open, so it is not missed (yet).
    assert closed_before(daily, STOCKHOLM, FOUR, now) == 5
    assert closed_before(daily, STOCKHOLM, FOUR, now, until=date(2026, 11, 22)) == 2
    weekly = Schedule("FREQ=WEEKLY;BYDAY=MO", time(9), date(2026, 11, 1))
    # A window closes at the end of its reminder's day: 2, 9, 16 and 23 November (a Monday).
    assert closed_before(weekly, STOCKHOLM, FOUR, now) == 4
    today = Schedule("FREQ=DAILY", time(7), date(2026, 11, 25))
    assert closed_before(today, STOCKHOLM, FOUR, now) == 0  # today's reminder passed, its day has not


def test_a_monthly_habit_on_the_31st_falls_on_the_last_day_of_shorter_months():
    rule = rule_from_every("month", None, date(2026, 1, 31))
    line = timeline(rule, time(9), date(2026, 1, 31))
    assert [o.key for o in islice(line, 4)] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]


def test_every_n_days_and_a_custom_rule():
    line = timeline("FREQ=DAILY;INTERVAL=2", time(9), date(2026, 11, 1))
    assert [o.key.day for o in islice(line, 3)] == [1, 3, 5]
    rule, at = normalize_rule("RRULE:FREQ=MONTHLY;BYDAY=2TU;BYHOUR=8;BYMINUTE=45", None)
    assert (rule, at) == ("FREQ=MONTHLY;BYDAY=2TU", time(8, 45))
    line = timeline(rule, at, date(2026, 11, 1))
    assert [o.reminder for o in islice(line, 2)] == [
        datetime(2026, 11, 10, 8, 45, tzinfo=STOCKHOLM),
        datetime(2026, 12, 8, 8, 45, tzinfo=STOCKHOLM),
    ]


def test_a_rule_with_count_ends():
    line = timeline("FREQ=WEEKLY;BYDAY=MO;COUNT=3", time(9), date(2026, 11, 2))
    assert len(list(line)) == 3
    assert line.containing(datetime(2027, 1, 1, tzinfo=STOCKHOLM)) is None


@pytest.mark.parametrize(
    ("rule", "at"),
    [
        ("FREQ=HOURLY", time(9)),
        ("FREQ=DAILY;BYHOUR=9,17;BYMINUTE=0", None),
        ("FREQ=DAILY", None),
        ("FREQ=DAILY;BYHOUR=9", None),
        ("FREQ=DAILY;BYHOUR=25;BYMINUTE=0", None),
        ("FREQ=DAILY;BYHOUR=9;BYMINUTE=0", time(10)),
        ("FREQ=FORTNIGHTLY", time(9)),
        ("BYDAY=MO", time(9)),
        ("FREQ=WEEKLY;BYDAY=XX", time(9)),
        # dateutil would loop for ever on these: refused before it sees them.
        ("FREQ=DAILY;INTERVAL=0", time(9)),
        ("FREQ=WEEKLY;INTERVAL=-2", time(9)),
        ("not a rule", time(9)),
        ("DTSTART:20260101T090000\nRRULE:FREQ=DAILY", time(9)),
    ],
)
def test_bad_rules_are_refused(rule, at):
    with pytest.raises(ScheduleError):
        normalize_rule(rule, at)


def test_a_rule_that_never_occurs_from_the_start_is_refused():
    with pytest.raises(ScheduleError, match="no occurrence"):
        make_schedule("FREQ=DAILY;UNTIL=20200101", time(9), date(2026, 1, 1))


@pytest.mark.parametrize(
    ("rule", "per_day"),
    [
        ("FREQ=DAILY", 1),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", 5 / 7),
        ("FREQ=WEEKLY;BYDAY=MO", 1 / 7),
        ("FREQ=DAILY;INTERVAL=3", 1 / 3),
    ],
)
def test_occurrences_per_day(rule, per_day):
    assert occurrences_per_day(rule) == pytest.approx(per_day, rel=1e-9)


# -- invariants -------------------------------------------------------------------------------------------

RULES = st.sampled_from(
    [
        "FREQ=DAILY",
        "FREQ=WEEKLY;BYDAY=MO",
        "FREQ=WEEKLY;BYDAY=MO,TH,SU",
        "FREQ=DAILY;INTERVAL=4",
        "FREQ=MONTHLY;BYMONTHDAY=-1",
    ]
)
ZONES = st.sampled_from([STOCKHOLM, NEW_YORK, ZoneInfo("Australia/Lord_Howe"), ZoneInfo("UTC")])


@settings(max_examples=60, deadline=None)
@given(
    rule=RULES,
    zone=ZONES,
    at=st.times(),
    boundary=st.sampled_from([time(0), time(3), time(4), time(6, 30)]),
    start=st.dates(date(2024, 1, 1), date(2028, 12, 31)),
)
def test_occurrences_strictly_increase_and_windows_tile_time(rule, zone, at, boundary, start):
    at = at.replace(microsecond=0)
    line = timeline(rule, at, start, zone, boundary)
    occurrences = list(islice(line, 60))
    for previous, following in pairwise(occurrences):
        assert previous.reminder < following.reminder
        assert previous.key < following.key
        assert previous.closes == following.opens  # no gap, no overlap
    for occ in occurrences:
        assert occ.opens < occ.closes
        assert occ.opens <= occ.reminder < occ.closes
        # Any instant in the window finds this occurrence again.
        middle = occ.opens + (occ.closes - occ.opens) / 2
        assert line.containing(middle) == occ
        assert line.containing(occ.opens) == occ
