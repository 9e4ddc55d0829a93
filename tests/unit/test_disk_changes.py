"""What another process changed in the store's files, as the app learns it when the folder changes:
exactly the habits and settings it touched, and nothing at all after the app's own writes."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.clock import FakeClock
from trayhabit.core.changes import ChangeKind
from trayhabit.core.service import HabitService
from trayhabit.core.store import Store

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# A Friday morning, before the 09:00 reminders.
T0 = datetime(2026, 11, 27, 6, 0, tzinfo=STOCKHOLM)


def open_service(folder: Path, clock: FakeClock) -> HabitService:
    store = Store(folder, clock=clock)
    store.open()
    return HabitService(store, clock)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[HabitService, HabitService]:
    """The app's service and the command line's, two stores on one data folder."""
    clock = FakeClock(T0)
    app = open_service(tmp_path / "data", clock)
    cli = open_service(tmp_path / "data", clock)
    return app, cli


def test_the_apps_own_writes_are_not_news(pair: tuple[HabitService, HabitService]) -> None:
    app, _cli = pair
    habit = app.add_habit("Stretch", "FREQ=DAILY", time(9)).habit
    assert habit is not None
    app.check_off(habit.id)
    app.set_setting("snooze_minutes", "15")
    assert app.changes_on_disk().is_empty


def test_a_check_off_from_the_command_line_names_its_habit_and_its_events(
    pair: tuple[HabitService, HabitService],
) -> None:
    app, cli = pair
    stretch = app.add_habit("Stretch", "FREQ=DAILY", time(9)).habit
    water = app.add_habit("Drink water", "FREQ=DAILY", time(10)).habit
    assert stretch is not None and water is not None
    assert app.changes_on_disk().is_empty

    cli.check_off("Drink water")

    change = app.changes_on_disk()
    assert change.kind is ChangeKind.RELOADED
    assert change.habit_ids == {water.id}
    assert change.events and not change.definitions and not change.settings
    assert app.changes_on_disk().is_empty  # taken once


def test_a_habit_added_and_a_setting_changed_elsewhere_are_named(
    pair: tuple[HabitService, HabitService],
) -> None:
    app, cli = pair
    app.add_habit("Stretch", "FREQ=DAILY", time(9))
    app.changes_on_disk()

    walk = cli.add_habit("Walk", "FREQ=DAILY", time(18)).habit
    cli.set_setting("graduation_score", "0.8")

    change = app.changes_on_disk()
    assert walk is not None and change.habit_ids == {walk.id}
    assert change.definitions and not change.events
    assert "graduation_score" in change.settings
    assert change.rescores_all  # a score setting: every score is computed again


def test_an_undo_elsewhere_is_a_change_of_that_habits_events(
    pair: tuple[HabitService, HabitService],
) -> None:
    app, cli = pair
    stretch = app.add_habit("Stretch", "FREQ=DAILY", time(9)).habit
    assert stretch is not None
    app.check_off(stretch.id)
    app.changes_on_disk()

    cli.undo("Stretch")

    change = app.changes_on_disk()
    assert change.habit_ids == {stretch.id} and change.events
