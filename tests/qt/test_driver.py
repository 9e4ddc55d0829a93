"""The reminder driver with a fake clock: on time, suppressed, summarised, snoozed, paused, quiet."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from tests.helpers.notifier import RecordingNotifier
from tests.qt.conftest import STOCKHOLM, WEDNESDAY
from trayhabit.app.driver import MAX_WAIT, ReminderDriver
from trayhabit.core.model import Outcome

TODAY = WEDNESDAY.date()


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(TODAY, time(hour, minute, second), STOCKHOLM)


@pytest.fixture
def notifier(qapp) -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def driver(model, notifier) -> ReminderDriver:
    return ReminderDriver(model, notifier)


def add_daily(model, name: str, hour: int, minute: int = 0) -> str:
    habit = model.add_habit(name, "FREQ=DAILY", time(hour, minute), start=date(2026, 11, 20))
    assert habit is not None
    return habit.id


def notified(notifier: RecordingNotifier) -> list[str]:
    return [call[1].name for call in notifier.calls if call[0] == "notify"]


def test_a_reminder_fires_at_its_time_and_not_before(model, clock, driver, notifier):
    habit_id = add_daily(model, "Stretch", 9)
    driver.start()
    assert notified(notifier) == []
    clock.set(at(8, 59, 59))
    driver.process_due()
    assert notified(notifier) == []
    clock.set(at(9, 0, 1))
    driver.process_due()
    assert notified(notifier) == ["Stretch"]
    report = model.report(habit_id)
    assert report.current.reminder_fired
    # Shown once: a later wake-up does not show it again.
    clock.set(at(9, 5))
    driver.process_due()
    assert notified(notifier) == ["Stretch"]


def test_the_timer_never_waits_more_than_15_minutes(model, clock, driver):
    add_daily(model, "Stretch", 18)
    driver.start()
    assert driver.next_wake is not None
    assert driver.next_wake - clock.now() <= MAX_WAIT + timedelta(seconds=1)
    plan = driver.process_due()
    assert plan.next_wake == at(18)


def test_a_habit_checked_off_before_its_reminder_is_not_reminded_and_the_beating_is_recorded(
    model, clock, driver, notifier
):
    habit_id = add_daily(model, "Stretch", 9)
    model.check_off(habit_id)
    clock.set(at(9, 0, 1))
    driver.process_due()
    assert notified(notifier) == []
    assert model.report(habit_id).current.reminder_beaten
    assert model.report(habit_id).current.outcome is Outcome.PREEMPTIVE


def test_reminders_missed_while_asleep_come_as_one_summary(model, clock, driver, notifier):
    for name, hour in (("Stretch", 9), ("Water the plants", 10), ("Plan tomorrow", 11)):
        add_daily(model, name, hour)
    driver.start()
    clock.set(at(11, 40))  # the laptop slept from 08:00 until now
    driver.process_due()
    summaries = [call[1] for call in notifier.calls if call[0] == "summary"]
    assert notified(notifier) == []
    assert [[r.name for r in summary] for summary in summaries] == [
        ["Stretch", "Water the plants", "Plan tomorrow"]
    ]


def test_snooze_brings_the_reminder_back_after_the_snooze_length(model, clock, driver, notifier):
    habit_id = add_daily(model, "Stretch", 9)
    model.set_setting("snooze_minutes", "10")
    clock.set(at(9, 0, 1))
    driver.process_due()
    driver.snooze(habit_id)
    assert ("withdraw", habit_id) in notifier.calls
    clock.set(at(9, 9))
    driver.process_due()
    assert notified(notifier) == ["Stretch"]
    clock.set(at(9, 10, 2))
    driver.process_due()
    assert notified(notifier) == ["Stretch", "Stretch"]


def test_done_from_the_notification_records_a_reminded_check_off(model, clock, driver, notifier):
    habit_id = add_daily(model, "Stretch", 9)
    clock.set(at(9, 0, 1))
    driver.process_due()
    clock.set(at(9, 2))
    notifier.act(habit_id, "done")
    assert model.report(habit_id).current.outcome is Outcome.REMINDED
    assert ("withdraw", habit_id) in notifier.calls


def test_pause_holds_reminders_back_until_it_ends(model, clock, driver, notifier):
    add_daily(model, "Stretch", 9)
    driver.pause(at(9, 30))
    clock.set(at(9, 0, 1))
    plan = driver.process_due()
    assert notified(notifier) == []
    assert plan.next_wake == at(9, 30)
    clock.set(at(9, 30, 1))
    driver.process_due()
    assert notified(notifier) == ["Stretch"]


def test_quiet_hours_hold_reminders_back(model, clock, driver, notifier):
    add_daily(model, "Stretch", 9)
    model.set_setting("quiet_hours", "08:30-09:15")
    clock.set(at(9, 0, 1))
    driver.process_due()
    assert notified(notifier) == []
    clock.set(at(9, 15, 1))
    driver.process_due()
    assert notified(notifier) == ["Stretch"]


def test_the_tray_is_told_what_waits(model, clock, driver, qtbot):
    add_daily(model, "Stretch", 9)
    clock.set(at(9, 0, 1))
    with qtbot.waitSignal(driver.state_changed) as signal:
        driver.process_due()
    waiting, paused_until, next_reminder = signal.args
    assert [r.name for r in waiting] == ["Stretch"]
    assert paused_until is None
    assert next_reminder == datetime.combine(TODAY + timedelta(days=1), time(9), STOCKHOLM)


def test_a_check_off_elsewhere_withdraws_the_shown_notification(model, clock, driver, notifier, qtbot):
    habit_id = add_daily(model, "Stretch", 9)
    clock.set(at(9, 0, 1))
    driver.process_due()
    model.service.check_off(habit_id)  # as the command line would, behind the model's back
    model.reload()
    qtbot.waitUntil(lambda: ("withdraw", habit_id) in notifier.calls)


def test_a_graduated_habit_that_slips_gets_its_reminder_back_when_the_driver_wakes(
    model, clock, driver, notifier
):
    """No write notices two misses in a row of a habit with no reminder: the driver, waking at the
    close of its window, gives the reminder back and says why."""
    start = TODAY - timedelta(days=70)
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9), start=start)
    assert habit is not None
    for offset in range(70, 0, -1):
        clock.set(datetime.combine(TODAY - timedelta(days=offset), time(8), STOCKHOLM))
        assert model.check_off(habit.id) is not None
    clock.set(at(8))
    assert model.graduate(habit.id) is not None
    notices: list[str] = []
    model.notice.connect(notices.append)
    plan = driver.wake()
    assert plan.next_wake is not None  # it wakes when today's window closes, though nothing reminds
    # Today and tomorrow pass unchecked.
    clock.set(plan.next_wake + timedelta(days=1, hours=1))
    driver.wake()
    report = model.report(habit.id)
    assert report is not None and report.habit.state.value == "learning"
    assert notices and notices[0].startswith("“Stretch” has its reminder back.")
