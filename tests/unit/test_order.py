"""The habits in the order the person chooses: kept in the store, followed by every list, synced."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.clock import FakeClock
from tests.helpers.sync_engine import Machine, SyncEngine
from trayhabit.core.changes import ChangeKind
from trayhabit.core.model import Habit
from trayhabit.core.service import HabitService, ServiceError
from trayhabit.core.store import Store
from trayhabit.core.transfer import export_csv, export_json, parse_import
from trayhabit.core.validate import DocumentError, check_habit

STOCKHOLM = ZoneInfo("Europe/Stockholm")
T0 = datetime(2026, 11, 27, 6, 0, tzinfo=STOCKHOLM)
engine = SyncEngine()


def make_service(folder: Path) -> tuple[HabitService, FakeClock]:
    clock = FakeClock(T0)
    store = Store(folder, clock=clock)
    store.open()
    return HabitService(store, clock), clock


def add(service: HabitService, *names: str) -> list[Habit]:
    added = []
    for name in names:
        habit = service.add_habit(name, "FREQ=DAILY", time(9)).habit
        assert habit is not None
        added.append(habit)
    return added


def names(service: HabitService, *, include_archived: bool = True) -> list[str]:
    return [habit.name for habit in service.habits(include_archived=include_archived)]


def test_an_old_store_keeps_the_order_the_habits_were_added(tmp_path: Path) -> None:
    service, _clock = make_service(tmp_path)
    add(service, "Stretch", "Follow up quotes", "Call a customer")
    assert names(service) == ["Stretch", "Follow up quotes", "Call a customer"]
    assert all(habit.position is None for habit in service.habits())


def test_reorder_is_kept_and_every_list_follows_it(tmp_path: Path) -> None:
    service, _clock = make_service(tmp_path)
    stretch, quotes, call = add(service, "Stretch", "Follow up quotes", "Call a customer")
    change = service.reorder([call.id, stretch.id, quotes.id])
    assert change.kind is ChangeKind.REORDERED and change.definitions
    assert change.habit_ids == {call.id, stretch.id, quotes.id}
    assert names(service) == ["Call a customer", "Stretch", "Follow up quotes"]
    assert [report.habit.name for report in service.reports()] == names(service)
    # Read back from the file by another process (the command line): the order is in the store.
    again, _ = make_service(tmp_path)
    assert names(again) == ["Call a customer", "Stretch", "Follow up quotes"]
    # A habit added since comes last.
    add(service, "Water the plants")
    assert names(service)[-1] == "Water the plants"


def test_only_the_habits_that_moved_are_written(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path)
    a, b, c = add(service, "A", "B", "C")
    service.reorder([a.id, b.id, c.id])
    before = service.find(a.id)
    clock.advance(minutes=1)
    change = service.reorder([a.id, c.id, b.id])
    assert change.habit_ids == {b.id, c.id}
    assert service.find(a.id) == before  # not moved, not stamped: another computer's edit of it stands
    assert service.find(b.id).position_at == clock.now()  # its place is stamped, not its document


def test_hidden_habits_keep_their_places(tmp_path: Path) -> None:
    service, _clock = make_service(tmp_path)
    a, hidden, b, c = add(service, "A", "Hidden", "B", "C")
    service.archive(hidden.id)
    service.reorder([c.id, a.id, b.id])  # the list without archived habits
    assert names(service) == ["C", "Hidden", "A", "B"]
    assert names(service, include_archived=False) == ["C", "A", "B"]


def test_reorder_refuses_unknown_and_repeated_habits_and_changes_nothing(tmp_path: Path) -> None:
    service, _clock = make_service(tmp_path)
    _a, b = add(service, "A", "B")
    with pytest.raises(ServiceError, match="no habit"):
        service.reorder([b.id, "nonexistent"])
    with pytest.raises(ServiceError):
        service.reorder([b.id, b.id])
    assert names(service) == ["A", "B"]


def test_position_is_checked_when_read() -> None:
    doc = {"id": "x", "name": "A", "rrule": "FREQ=DAILY", "at": "09:00:00", "start": "2026-11-27"}
    assert check_habit({**doc, "position": 2.5})["position"] == 2.5
    for bad in ("first", True, [1]):
        with pytest.raises(DocumentError, match="position"):
            check_habit({**doc, "position": bad})


def test_the_order_is_exported_and_imported_in_json_and_csv(tmp_path: Path) -> None:
    service, _clock = make_service(tmp_path / "one")
    a, b = add(service, "A", "B")
    service.reorder([b.id, a.id])
    with service.store.reading() as view:
        data = export_json(view, T0)
        text = export_csv(view, T0, STOCKHOLM)
    for content, filename in ((data, "export.json"), (text.encode(), "export.csv")):
        habits, _events, _settings = parse_import(content, filename)
        assert [habit.name for habit in sorted(habits, key=lambda h: h.position or 0)] == ["B", "A"]
        assert {habit.name: habit.position for habit in habits} == {"B": 0.0, "A": 1.0}


def test_two_computers_that_reorder_differently_converge_on_one_order(tmp_path: Path) -> None:
    laptop, desktop = Machine(tmp_path, "laptop", T0), Machine(tmp_path, "desktop", T0)
    added = []
    for name in "ABC":
        laptop.clock.advance(seconds=1)
        added += add(laptop.service, name)
    a, b, c = added

    engine.exchange(laptop, desktop)
    # Never reordered: in the order they were added on either computer.
    assert names(desktop.service) == names(laptop.service) == ["A", "B", "C"]
    laptop.clock.advance(minutes=1)
    laptop.service.reorder([c.id, a.id, b.id])
    desktop.clock.advance(minutes=2)
    desktop.service.reorder([b.id, a.id, c.id])  # later: its order wins
    engine.exchange(laptop, desktop)
    assert names(laptop.service) == names(desktop.service) == ["B", "A", "C"]
    assert laptop.state() == desktop.state()


def test_a_new_order_on_one_computer_keeps_a_rename_made_on_the_other(tmp_path: Path) -> None:
    """The place in the list is merged on its own: a reorder made later does not undo a rename."""
    laptop, desktop = Machine(tmp_path, "laptop", T0), Machine(tmp_path, "desktop", T0)
    a, b = add(laptop.service, "A", "B")
    engine = SyncEngine()

    engine.exchange(laptop, desktop)
    laptop.clock.advance(minutes=1)
    laptop.service.update_habit(a.id, name="A renamed")
    desktop.clock.advance(minutes=2)
    desktop.service.reorder([b.id, a.id])  # later than the rename, before they synced
    engine.exchange(laptop, desktop)
    assert names(laptop.service) == names(desktop.service) == ["B", "A renamed"]
    assert laptop.state() == desktop.state()

    # And an import of an older export keeps both the newer name and the newer order.
    with laptop.service.store.reading() as view:
        data = export_json(view, T0)
    desktop.clock.advance(minutes=1)
    desktop.service.update_habit(b.id, name="B renamed")
    desktop.service.import_file(data, "laptop.json")
    assert names(desktop.service) == ["B renamed", "A renamed"]
