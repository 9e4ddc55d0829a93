"""Held reminders in the core: the holding policy, the ``held`` event, and the honest class.

A reminder that comes due while the person is not there is held (DESIGN section 2): a check-off
while it is held counts as before the reminder; once it is shown, a check-off counts as after it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.builders import event, habit
from tests.helpers.clock import FakeClock
from trayhabit.commands import habit_json
from trayhabit.core.describe import held_label
from trayhabit.core.model import Event, EventKind, Outcome
from trayhabit.core.presence import Absence, HoldRules, PresenceReading, hold_reason
from trayhabit.core.report import evaluate
from trayhabit.core.service import HabitService
from trayhabit.core.settings import SettingError, Settings, parse_setting
from trayhabit.core.store import Store
from trayhabit.core.validate import DocumentError, check_event

ZONE = ZoneInfo("Europe/Stockholm")
MONDAY = date(2026, 11, 2)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), ZONE)


# -- the policy ---------------------------------------------------------------------------------------


def test_by_default_five_minutes_without_input_holds_and_less_does_not():
    rules = HoldRules.from_settings(Settings())
    assert hold_reason(PresenceReading(idle_seconds=5 * 60), rules) is Absence.AWAY
    assert hold_reason(PresenceReading(idle_seconds=5 * 60 - 1), rules) is None


def test_away_minutes_zero_never_holds_for_lack_of_input():
    rules = HoldRules.from_settings(Settings({"away_minutes": 0}))
    assert hold_reason(PresenceReading(idle_seconds=10 * 3600), rules) is None
    assert Absence.AWAY not in rules.asks()


def test_a_locked_screen_always_holds_and_is_named_first():
    rules = HoldRules(away_minutes=0, during_do_not_disturb=False, while_fullscreen=False)
    everything = PresenceReading(idle_seconds=3600, locked=True, do_not_disturb=True, fullscreen=True)
    assert hold_reason(everything, rules) is Absence.LOCKED
    assert hold_reason(everything, HoldRules()) is Absence.LOCKED
    assert rules.asks() == {Absence.LOCKED}


def test_do_not_disturb_and_full_screen_hold_unless_turned_off():
    dnd = PresenceReading(do_not_disturb=True)
    fullscreen = PresenceReading(fullscreen=True)
    assert hold_reason(dnd, HoldRules()) is Absence.DO_NOT_DISTURB
    assert hold_reason(fullscreen, HoldRules()) is Absence.FULLSCREEN
    off = HoldRules.from_settings(
        Settings({"hold_during_do_not_disturb": False, "hold_while_fullscreen": False})
    )
    assert hold_reason(dnd, off) is None
    assert hold_reason(fullscreen, off) is None


def test_what_the_desktop_cannot_tell_never_holds():
    assert hold_reason(PresenceReading(), HoldRules()) is None


def test_the_settings_are_in_the_contract_with_their_defaults_and_ranges():
    settings = Settings()
    assert (settings.away_minutes, settings.hold_while_fullscreen, settings.hold_during_do_not_disturb) == (
        5,
        True,
        True,
    )
    assert parse_setting("away_minutes", "0") == ("away_minutes", 0)
    assert parse_setting("hold_while_fullscreen", "off") == ("hold_while_fullscreen", False)
    with pytest.raises(SettingError):
        parse_setting("away_minutes", "-1")


# -- classing -----------------------------------------------------------------------------------------


def daily(events: list[Event], now: datetime):
    return evaluate(habit("FREQ=DAILY", time(9), MONDAY - timedelta(days=1)), events, now, ZONE, Settings())


def held(when: datetime) -> Event:
    return event(EventKind.HELD, when, MONDAY)


def test_a_check_off_while_the_reminder_is_held_counts_as_before_the_reminder():
    done = event(EventKind.DONE, at(MONDAY, 9, 20), MONDAY)
    report = daily([held(at(MONDAY, 9)), done], at(MONDAY, 10))
    assert report.current is not None
    assert report.current.outcome is Outcome.PREEMPTIVE
    assert report.current.reminder_held and not report.current.reminder_fired


def test_held_then_shown_then_checked_off_counts_as_after_the_reminder():
    shown = event(EventKind.FIRED, at(MONDAY, 9, 30), MONDAY)
    done = event(EventKind.DONE, at(MONDAY, 9, 35), MONDAY)
    report = daily([held(at(MONDAY, 9)), shown, done], at(MONDAY, 10))
    assert report.current is not None and report.current.outcome is Outcome.REMINDED


def test_without_a_hold_a_check_off_after_the_reminder_time_is_still_after_the_reminder():
    report = daily([event(EventKind.DONE, at(MONDAY, 9, 20), MONDAY)], at(MONDAY, 10))
    assert report.current is not None and report.current.outcome is Outcome.REMINDED


def test_a_check_off_before_the_hold_was_recorded_is_not_made_pre_emptive_by_it():
    # Another computer's check-off at 09:05 (the reminder time had passed), merged after this one
    # held the reminder at 09:10: that hold reminded nobody of anything, nor kept anybody from it.
    done = event(EventKind.DONE, at(MONDAY, 9, 5), MONDAY)
    report = daily([done, held(at(MONDAY, 9, 10))], at(MONDAY, 10))
    assert report.current is not None and report.current.outcome is Outcome.REMINDED


def test_held_reminders_are_counted_over_the_recent_occurrences():
    tuesday = MONDAY + timedelta(days=1)
    events = [
        held(at(MONDAY, 9)),
        event(EventKind.DONE, at(MONDAY, 9, 20), MONDAY),
        event(EventKind.DONE, at(tuesday, 8), tuesday),
    ]
    report = daily(events, at(tuesday + timedelta(days=1), 8))
    assert report.counts[Outcome.PREEMPTIVE] == 2
    assert report.held == 1


# -- the event ----------------------------------------------------------------------------------------


def test_a_held_event_carries_its_reason_through_the_store_document():
    original = Event(
        id="e1",
        habit_id="h1",
        kind=EventKind.HELD,
        at=at(MONDAY, 9),
        recorded_at=at(MONDAY, 9).astimezone(UTC),
        occurrence=MONDAY,
        reason=Absence.LOCKED.value,
    )
    doc = original.to_doc()
    assert doc["kind"] == "held" and doc["reason"] == "locked"
    check_event(doc)
    assert Event.from_doc(doc).reason == "locked"
    # Other events' documents stay as they were.
    assert "reason" not in event(EventKind.FIRED, at(MONDAY, 9)).to_doc()


def test_a_reason_that_is_no_text_is_refused():
    doc = event(EventKind.HELD, at(MONDAY, 9)).to_doc()
    doc["reason"] = ["away"]
    with pytest.raises(DocumentError):
        check_event(doc)


def test_the_service_records_the_hold_and_a_later_check_off_counts_in_full(tmp_path: Path):
    clock = FakeClock(at(MONDAY, 8))
    store = Store(tmp_path / "data", clock=clock)
    store.open()
    service = HabitService(store, clock)
    added = service.add_habit("Stretch", "FREQ=DAILY", time(9), start=MONDAY).habit
    assert added is not None
    clock.set(at(MONDAY, 9, 1))
    service.record_reminder(added.id, MONDAY, fired=False, held=Absence.AWAY)
    clock.set(at(MONDAY, 9, 40))
    change = service.check_off(added.id)
    assert change.outcome is Outcome.PREEMPTIVE
    with store.reading() as view:
        kinds = [(doc["kind"], doc.get("reason")) for doc in view.events(added.id)]
    assert ("held", "away") in kinds
    clock.set(at(MONDAY + timedelta(days=1), 8))
    assert service.report(added).held == 1


def test_show_gives_the_held_count_in_json_and_in_words(tmp_path: Path):
    clock = FakeClock(at(MONDAY, 8))
    store = Store(tmp_path / "data", clock=clock)
    store.open()
    service = HabitService(store, clock)
    added = service.add_habit("Stretch", "FREQ=DAILY", time(9), start=MONDAY).habit
    assert added is not None
    clock.set(at(MONDAY, 9, 1))
    service.record_reminder(added.id, MONDAY, fired=False, held=Absence.DO_NOT_DISTURB)
    clock.set(at(MONDAY + timedelta(days=1), 8))  # Monday's window closed with nothing done
    report = service.report(added)
    shown = habit_json(report)
    assert shown["held"] == 1
    assert sum(shown["counts"].values()) == 1  # the counts still add up to the occurrences settled
    assert held_label(report.held) == "1 reminder held until you were back"
