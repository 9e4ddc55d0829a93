"""A short note on a check-off ("called Acme"): given with it or added later, exported, checked."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.clock import FakeClock
from tests.helpers.sync_engine import Machine, SyncEngine
from trayhabit.core.changes import ChangeKind
from trayhabit.core.limits import MAX_NOTE
from trayhabit.core.model import EventKind
from trayhabit.core.service import HabitService, ServiceError
from trayhabit.core.store import Store
from trayhabit.core.transfer import export_csv, export_json, parse_import
from trayhabit.core.validate import DocumentError, check_event

STOCKHOLM = ZoneInfo("Europe/Stockholm")
T0 = datetime(2026, 11, 27, 6, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def setup(tmp_path: Path) -> tuple[HabitService, FakeClock, str]:
    clock = FakeClock(T0)
    store = Store(tmp_path / "data", clock=clock)
    store.open()
    service = HabitService(store, clock)
    habit = service.add_habit("Call customers", "FREQ=DAILY", time(9), start=T0.date()).habit
    assert habit is not None
    return service, clock, habit.id


def test_a_note_given_with_the_check_off_is_kept(setup) -> None:
    service, _clock, habit_id = setup
    change = service.check_off(habit_id, note="  called   Acme ")
    assert change.event is not None and change.event.note == "called Acme"
    assert service.notes(habit_id, T0.date()) == {T0.date(): "called Acme"}


def test_a_note_added_later_goes_on_the_latest_check_off_and_replaces_the_earlier_one(setup) -> None:
    service, clock, habit_id = setup
    service.check_off(habit_id, note="called Acme")
    clock.advance(days=1)
    service.check_off(habit_id)
    change = service.add_note(habit_id, "called Bolt")
    assert change.kind is ChangeKind.NOTED and change.events and change.habit_ids == {habit_id}
    assert change.event is not None and change.event.kind is EventKind.NOTE
    tomorrow = T0.date() + timedelta(days=1)
    assert service.notes(habit_id, T0.date()) == {T0.date(): "called Acme", tomorrow: "called Bolt"}
    clock.advance(minutes=1)
    service.add_note(habit_id, "called Bolt and Acme")
    assert service.notes(habit_id, tomorrow) == {tomorrow: "called Bolt and Acme"}
    clock.advance(minutes=1)
    service.add_note(habit_id, "")  # an empty note takes it away
    assert service.notes(habit_id, T0.date()) == {T0.date(): "called Acme"}


def test_a_note_goes_with_its_check_off_when_that_is_taken_back(setup) -> None:
    service, _clock, habit_id = setup
    service.check_off(habit_id, note="called Acme")
    score = service.report(service.find(habit_id)).score
    service.undo(habit_id)
    assert service.notes(habit_id, T0.date()) == {}
    with pytest.raises(ServiceError, match="no check-off"):
        service.add_note(habit_id, "called Acme")
    assert score > 0


def test_a_note_is_refused_past_its_limit(setup) -> None:
    service, _clock, habit_id = setup
    with pytest.raises(ServiceError, match=str(MAX_NOTE)):
        service.check_off(habit_id, note="x" * (MAX_NOTE + 1))
    assert service.notes(habit_id, T0.date()) == {}


def test_notes_are_checked_when_read() -> None:
    doc = {
        "id": "e1",
        "habit_id": "h1",
        "kind": "done",
        "at": "2026-11-27T07:00:00+01:00",
        "recorded_at": "2026-11-27T06:00:00+00:00",
        "occurrence": "2026-11-27",
        "target": None,
        "device": "d",
    }
    check_event({**doc, "note": "called Acme"})
    for bad in (3, "x" * (MAX_NOTE + 1)):
        with pytest.raises(DocumentError, match="note"):
            check_event({**doc, "note": bad})
    with pytest.raises(DocumentError):
        check_event({**doc, "kind": "note", "note": "about nothing"})


def test_notes_are_exported_and_imported_in_json_and_csv(setup) -> None:
    service, clock, habit_id = setup
    service.check_off(habit_id, note="called Acme")
    clock.advance(minutes=5)
    service.add_note(habit_id, "=called Acme, sent offer")  # a formula start stays text in CSV
    with service.store.reading() as view:
        data = export_json(view, clock.now())
        text = export_csv(view, clock.now(), STOCKHOLM)
    assert text.splitlines()[0].split(",").count("note") == 1
    for content, filename in ((data, "export.json"), (text.encode(), "export.csv")):
        _habits, events, _settings = parse_import(content, filename)
        assert sorted(event.note for event in events) == ["=called Acme, sent offer", "called Acme"]


def test_a_note_added_on_one_computer_reaches_the_other(tmp_path: Path) -> None:
    engine = SyncEngine()
    laptop, desktop = Machine(tmp_path, "laptop", T0), Machine(tmp_path, "desktop", T0)
    habit = laptop.service.add_habit("Call customers", "FREQ=DAILY", time(9), start=T0.date()).habit
    assert habit is not None
    laptop.service.check_off(habit.id)

    engine.exchange(laptop, desktop)
    desktop.clock.advance(minutes=1)
    desktop.service.add_note(habit.id, "called Acme")
    engine.exchange(laptop, desktop)
    assert laptop.service.notes(habit.id, T0.date()) == {T0.date(): "called Acme"}
    assert laptop.state() == desktop.state()
