"""How occurrences are settled from events: the check-off classes of DESIGN section 2."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tests.helpers.builders import event, habit
from trayhabit.core.history import active_marks, latest_mark
from trayhabit.core.model import EventKind, Outcome
from trayhabit.core.report import evaluate
from trayhabit.core.settings import Settings

ZONE = ZoneInfo("Europe/Stockholm")
MONDAY = date(2026, 11, 2)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), ZONE)


def weekly_report(events, now):
    return evaluate(
        habit("FREQ=WEEKLY;BYDAY=MO", time(9), MONDAY - timedelta(days=6)), events, now, ZONE, Settings()
    )


def test_a_check_off_days_before_a_weekly_reminder_is_pre_emptive():
    thursday = MONDAY - timedelta(days=4)
    report = weekly_report([event(EventKind.DONE, at(thursday, 16), MONDAY)], at(thursday, 17))
    assert report.current is not None
    assert report.current.outcome is Outcome.PREEMPTIVE
    # Already done: the next reminder that will fire is the following week's.
    assert report.next_reminder == at(MONDAY + timedelta(days=7), 9)


def test_after_the_reminder_time_it_is_reminded():
    report = weekly_report([event(EventKind.DONE, at(MONDAY, 9, 5))], at(MONDAY, 10))
    assert report.current is not None and report.current.outcome is Outcome.REMINDED


def test_after_a_reminder_fired_even_before_its_time_it_is_reminded():
    fired = event(EventKind.FIRED, at(MONDAY, 8, 50))
    done = event(EventKind.DONE, at(MONDAY, 8, 55))
    report = weekly_report([fired, done], at(MONDAY, 10))
    assert report.current is not None and report.current.outcome is Outcome.REMINDED


def test_a_back_fill_recorded_after_the_window_closed_is_late():
    done = event(EventKind.DONE, at(MONDAY, 12), recorded_at=at(MONDAY + timedelta(days=1), 8))
    report = weekly_report([done], at(MONDAY + timedelta(days=1), 9))
    assert [entry.outcome for entry in report.settled] == [Outcome.LATE]


def test_a_back_fill_recorded_while_the_window_is_open_is_classed_by_its_time():
    done = event(EventKind.DONE, at(MONDAY - timedelta(days=2), 12), recorded_at=at(MONDAY, 11))
    report = weekly_report([done], at(MONDAY, 12))
    assert report.current is not None and report.current.outcome is Outcome.PREEMPTIVE


def test_a_closed_window_with_nothing_recorded_is_missed_and_an_open_one_counts_for_nothing():
    report = weekly_report([], at(MONDAY + timedelta(days=6), 12))
    assert [entry.outcome for entry in report.settled] == [Outcome.MISSED]
    assert report.current is not None and report.current.outcome is None
    assert report.reminder_waiting is False
    assert weekly_report([], at(MONDAY + timedelta(days=7), 9, 30)).reminder_waiting


def test_undo_takes_back_the_latest_mark_and_the_occurrence_is_open_again():
    done = event(EventKind.DONE, at(MONDAY, 8))
    undo = event(EventKind.UNDO, at(MONDAY, 8, 1), target=done.id)
    assert latest_mark([done]) == done
    assert active_marks([done, undo]) == []
    report = weekly_report([done, undo], at(MONDAY, 8, 2))
    assert report.current is not None and report.current.outcome is None
    assert report.next_reminder == at(MONDAY, 9)


def test_when_two_machines_both_checked_off_the_later_record_decides():
    first = event(EventKind.DONE, at(MONDAY, 8), recorded_at=at(MONDAY, 8))
    second = event(EventKind.DONE, at(MONDAY, 9, 30), recorded_at=at(MONDAY, 9, 30))
    for order in ([first, second], [second, first]):
        report = weekly_report(order, at(MONDAY, 10))
        assert report.current is not None and report.current.outcome is Outcome.REMINDED


def test_a_graduated_or_archived_habit_has_no_next_reminder():
    from trayhabit.core.model import State

    for state in (State.GRADUATED, State.ARCHIVED):
        report = evaluate(habit(state=state), [], at(MONDAY, 8), ZONE, Settings())
        assert report.next_reminder is None
