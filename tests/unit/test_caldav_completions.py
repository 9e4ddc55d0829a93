"""Reading completed occurrences from a habit's tasks (no server: the components as clients write
them), and the edge cases the server tests leave out."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import icalendar

from tests.helpers.builders import habit as make_habit
from trayhabit.core.caldav.completions import completions, related_to
from trayhabit.core.caldav.items import habit_task, read_series, todos, uid_of
from trayhabit.core.schedule import Timeline

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=STOCKHOLM)
HABIT = make_habit("FREQ=DAILY", time(9), date(2026, 11, 20), id="h1", name="Stretch")
TIMELINE = Timeline(HABIT.schedule, STOCKHOLM, time(4))


def series_at(day: int, hour: int = 9, *, last_modified: datetime | None = None) -> icalendar.Todo:
    (todo,) = todos(habit_task(HABIT, date(2026, 11, 25), zone=STOCKHOLM, now=NOW))
    for name in ("DUE", "DTSTART"):
        todo.pop(name)
        todo.add(name, datetime(2026, 11, day, hour, 0, tzinfo=STOCKHOLM))
    if last_modified is not None:
        todo.add("LAST-MODIFIED", last_modified)
    return todo


def found(
    *, own: list[icalendar.Todo], related: list[icalendar.Todo] = (), last: int | None = 25
) -> list[tuple[date, str]]:
    series = next((read_series(t, STOCKHOLM) for t in own if "RRULE" in t and "RECURRENCE-ID" not in t), None)
    anchor = datetime(2026, 11, last, 9, 0) if last else None
    result = completions(
        HABIT, TIMELINE, own=own, related=list(related), series=series, last_anchor=anchor, now=NOW
    )
    return [(c.occurrence, c.pattern) for c in result]


def test_a_series_moved_to_a_time_that_is_no_occurrence_is_an_edit_not_completions() -> None:
    assert found(own=[series_at(26, hour=10)]) == []


def test_a_series_moved_back_or_not_at_all_completes_nothing() -> None:
    assert found(own=[series_at(25)]) == []
    assert found(own=[series_at(24)]) == []


def test_without_a_remembered_start_a_move_cannot_be_read() -> None:
    assert found(own=[series_at(27)], last=None) == []


def test_a_move_of_three_with_one_exception_counts_three_once_each() -> None:
    exception = icalendar.Todo()
    exception.add("UID", uid_of("h1"))
    exception.add("RECURRENCE-ID", datetime(2026, 11, 26, 9, 0, tzinfo=STOCKHOLM))
    exception.add("STATUS", "COMPLETED")
    exception.add("COMPLETED", datetime(2026, 11, 26, 7, 0, tzinfo=UTC))
    moved = series_at(28, last_modified=datetime(2026, 11, 27, 8, 0, tzinfo=UTC))
    assert found(own=[moved, exception]) == [
        (date(2026, 11, 25), "moved"),
        (date(2026, 11, 26), "exception"),
        (date(2026, 11, 27), "moved"),
    ]


def test_a_related_task_is_found_by_its_link_or_its_name_but_not_when_it_repeats_or_is_open() -> None:
    done = icalendar.Todo()
    done.add("UID", "other")
    done.add("SUMMARY", "Something else")
    done.add("STATUS", "COMPLETED")
    assert not related_to(done, uid_of("h1"), "Stretch")
    done.add("RELATED-TO", uid_of("h1"))
    assert related_to(done, uid_of("h1"), "Stretch")
    named = icalendar.Todo()
    named.add("UID", "other-2")
    named.add("SUMMARY", " stretch ")
    named.add("PERCENT-COMPLETE", 100)
    assert related_to(named, uid_of("h1"), "Stretch")
    named.add("RRULE", icalendar.vRecur.from_ical("FREQ=DAILY"))
    assert not related_to(named, uid_of("h1"), "Stretch")
    open_task = icalendar.Todo()
    open_task.add("UID", "other-3")
    open_task.add("SUMMARY", "Stretch")
    assert not related_to(open_task, uid_of("h1"), "Stretch")
