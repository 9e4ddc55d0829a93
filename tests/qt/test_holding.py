"""Held reminders: the driver with a fake presence source and a fake clock (issue 17).

A reminder that comes due while the person is away, the screen locked, Do Not Disturb on or a
window full screen is held: not shown, recorded, nothing on the tray; shown as soon as the source
says the person is back, several as one summary; a check-off meanwhile counts before the reminder.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from tests.helpers.fake_presence import FakePresence
from tests.helpers.notifier import RecordingNotifier
from tests.qt.conftest import STOCKHOLM, WEDNESDAY
from trayhabit.app.driver import ReminderDriver
from trayhabit.app.windows.habit_progress import HabitProgress
from trayhabit.core.model import EventKind, Outcome
from trayhabit.core.presence import Absence

TODAY = WEDNESDAY.date()


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(TODAY, time(hour, minute, second), STOCKHOLM)


@pytest.fixture
def notifier(qapp) -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def presence(qapp) -> FakePresence:
    return FakePresence()


@pytest.fixture
def driver(model, notifier, presence) -> ReminderDriver:
    return ReminderDriver(model, notifier, presence=presence)


def add_daily(model, name: str, hour: int, minute: int = 0) -> str:
    habit = model.add_habit(name, "FREQ=DAILY", time(hour, minute), start=date(2026, 11, 20))
    assert habit is not None
    return habit.id


def held_reasons(model, habit_id: str) -> list[str]:
    with model.service.store.reading() as view:
        return [doc.get("reason", "") for doc in view.events(habit_id) if doc["kind"] == EventKind.HELD.value]


def due_while(model, clock, driver, presence, **reading) -> str:
    """A 09:00 reminder comes due while the presence source says *reading*; returns the habit id."""
    habit_id = add_daily(model, "Stretch", 9)
    driver.start()
    presence.set(**reading)
    clock.set(at(9, 0, 1))
    driver.process_due()
    return habit_id


@pytest.mark.parametrize(
    ("away", "back", "reason"),
    [
        ({"idle_seconds": 6 * 60.0}, {"idle_seconds": 0.0}, Absence.AWAY),
        ({"locked": True}, {"locked": False}, Absence.LOCKED),
        ({"do_not_disturb": True}, {"do_not_disturb": False}, Absence.DO_NOT_DISTURB),
        ({"fullscreen": True}, {"fullscreen": False}, Absence.FULLSCREEN),
    ],
    ids=["away", "locked", "do-not-disturb", "full-screen"],
)
def test_a_reminder_due_while_the_person_is_not_there_waits_and_shows_on_their_return(
    model, clock, driver, notifier, presence, *, away, back, reason
):
    states: list[list] = []
    driver.state_changed.connect(lambda waiting, _paused, _next: states.append(waiting))
    habit_id = due_while(model, clock, driver, presence, **away)
    assert notifier.notified_names() == []
    assert held_reasons(model, habit_id) == [reason.value]
    assert driver.held == {(habit_id, TODAY): reason}
    assert presence.watching
    # Nothing on the tray while it is held: no reminder waiting; the check-off window, too, says a
    # check-off now comes before the reminder.
    assert states[-1] == []
    assert not model.report(habit_id).reminder_waiting
    # A later pass while still away holds on, and records nothing more.
    clock.set(at(9, 10))
    driver.process_due()
    assert notifier.notified_names() == []
    assert held_reasons(model, habit_id) == [reason.value]

    clock.set(at(9, 20))
    presence.set(**back)  # the source tells of the return: the driver shows it at once
    assert notifier.notified_names() == ["Stretch"]
    assert model.report(habit_id).current.reminder_fired
    assert [r.name for r in states[-1]] == ["Stretch"]
    assert not presence.watching
    assert driver.held == {}


def test_while_still_away_a_change_from_the_source_shows_nothing(model, clock, driver, notifier, presence):
    due_while(model, clock, driver, presence, locked=True, idle_seconds=900.0)
    presence.set(locked=False)  # unlocked, but no input for 15 minutes: still away
    assert notifier.notified_names() == []
    presence.set(idle_seconds=1.0)
    assert notifier.notified_names() == ["Stretch"]


def test_with_its_setting_off_do_not_disturb_or_full_screen_holds_nothing(
    model, clock, driver, notifier, presence
):
    model.set_setting("hold_during_do_not_disturb", "false")
    model.set_setting("hold_while_fullscreen", "false")
    due_while(model, clock, driver, presence, do_not_disturb=True, fullscreen=True)
    assert notifier.notified_names() == ["Stretch"]
    assert presence.watch_calls == []


def test_away_minutes_sets_when_the_person_counts_as_away(model, clock, driver, notifier, presence):
    model.set_setting("away_minutes", "10")
    due_while(model, clock, driver, presence, idle_seconds=9 * 60.0)
    assert notifier.notified_names() == ["Stretch"]


def test_several_held_reminders_come_back_as_one_summary(model, clock, driver, notifier, presence):
    for name, hour in (("Stretch", 9), ("Water the plants", 10), ("Plan tomorrow", 11)):
        add_daily(model, name, hour)
    driver.start()
    presence.set(idle_seconds=3600.0)
    for hour in (9, 10, 11):
        clock.set(at(hour, 0, 1))
        driver.process_due()
    assert notifier.calls == []
    assert len(driver.held) == 3
    clock.set(at(11, 5))
    presence.set(idle_seconds=0.0)
    assert notifier.kinds() == ["summary"]
    assert [r.name for r in notifier.calls[0][1]] == ["Stretch", "Water the plants", "Plan tomorrow"]


def test_a_check_off_while_the_reminder_is_held_counts_before_the_reminder(
    model, clock, driver, notifier, presence
):
    habit_id = due_while(model, clock, driver, presence, locked=True)
    clock.set(at(9, 30))
    # Done from memory (from the phone, or the command line) while the screen was locked.
    assert model.check_off(habit_id) is not None
    driver.process_due()
    assert model.report(habit_id).current.outcome is Outcome.PREEMPTIVE
    assert not presence.watching  # nothing held any more: nothing watched
    presence.set(locked=False)
    assert notifier.notified_names() == []


def test_a_check_off_after_the_held_reminder_was_shown_counts_after_it(model, clock, driver, presence):
    habit_id = due_while(model, clock, driver, presence, locked=True)
    clock.set(at(9, 30))
    presence.set(locked=False)
    clock.set(at(9, 31))
    assert model.check_off(habit_id) is not None
    assert model.report(habit_id).current.outcome is Outcome.REMINDED


def test_a_restarted_app_does_not_record_the_hold_twice(model, clock, notifier, presence):
    habit_id = due_while(
        model, clock, ReminderDriver(model, notifier, presence=presence), presence, locked=True
    )
    again = ReminderDriver(model, RecordingNotifier(), presence=presence)
    clock.set(at(9, 5))
    again.process_due()
    assert held_reasons(model, habit_id) == ["locked"]
    assert again.held == {(habit_id, TODAY): Absence.LOCKED}


def test_nothing_asks_or_watches_the_source_while_nothing_is_due(model, clock, driver, presence):
    add_daily(model, "Stretch", 9)
    driver.start()
    clock.set(at(8, 30))
    driver.process_due()
    presence.set(locked=True)
    presence.set(locked=False)
    assert presence.readings == 0
    assert presence.watch_calls == []


def test_waking_from_sleep_plans_again_at_once(model, clock, driver, notifier, presence):
    add_daily(model, "Stretch", 9)
    driver.start()
    assert driver.next_wake is not None
    # The laptop slept from 08:00 to 09:20: the timer, on a monotonic clock, has not fired.
    clock.set(at(9, 20))
    presence.wake()
    assert notifier.notified_names() == ["Stretch"]
    # And the timer is set anew from now.
    assert driver.next_wake is not None and driver.next_wake > clock.now()


def test_waking_to_a_locked_screen_holds_until_the_unlock(model, clock, driver, notifier, presence):
    add_daily(model, "Stretch", 9)
    driver.start()
    clock.set(at(9, 20))
    presence.set(locked=True)  # not watched yet: no change is told of
    presence.wake()
    assert notifier.notified_names() == []
    clock.set(at(9, 21))
    presence.set(locked=False)
    assert notifier.notified_names() == ["Stretch"]


def test_pause_still_holds_reminders_back_as_before(model, clock, driver, notifier, presence):
    add_daily(model, "Stretch", 9)
    driver.pause(at(9, 30))
    clock.set(at(9, 0, 1))
    driver.process_due()
    assert notifier.calls == []
    assert presence.readings == 0  # paused: nothing due, nothing asked
    clock.set(at(9, 30) + timedelta(seconds=1))
    driver.process_due()
    assert notifier.notified_names() == ["Stretch"]


def test_without_a_presence_source_nothing_is_held(model, clock, notifier):
    add_daily(model, "Stretch", 9)
    driver = ReminderDriver(model, notifier)
    driver.start()
    clock.set(at(9, 0, 1))
    driver.process_due()
    assert notifier.notified_names() == ["Stretch"]


def test_the_progress_tab_counts_the_held_reminders(model, clock, driver, presence):
    habit_id = due_while(model, clock, driver, presence, locked=True)
    clock.set(at(9, 30))
    model.check_off(habit_id)
    clock.set(at(9) + timedelta(days=1, hours=-2))  # the next morning: the occurrence is settled
    panel = HabitProgress(model)
    panel.show_report(model.service.report(model.report(habit_id).habit))
    text = panel.text()
    assert "1 before the reminder" in text
    assert "1 reminder held until you were back" in text


def test_the_sources_get_ready_only_when_a_reminder_comes_due_within_the_longest_wait(qapp, clock, model):
    # A reminder hours away: nothing of the desktop is asked for yet (the tray holds no more than it needs).
    presence = FakePresence()
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9), start=clock.now().date())
    assert habit is not None
    clock.set(clock.now().replace(hour=6, minute=0))
    driver = ReminderDriver(model, RecordingNotifier(), presence=presence)
    driver.process_due()
    assert presence.prepared == 0
    # Ten minutes before it: the sources are made ready, to have the desktop's answers at 09:00.
    clock.set(clock.now().replace(hour=8, minute=50))
    driver.process_due()
    assert presence.prepared >= 1
