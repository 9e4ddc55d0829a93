"""What the app does with a use case's change: it scores again exactly the habits touched, and a
refusal goes back to the window that asked, not to whichever window is in front."""

from __future__ import annotations

from datetime import date, time

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPushButton

from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.watcher import StoreWatcher
from trayhabit.app.windows.checkoff import CheckOffWindow
from trayhabit.app.windows.habits import HabitsWindow
from trayhabit.core.changes import Change
from trayhabit.core.service import HabitService
from trayhabit.core.store import Store

START = date(2026, 11, 20)
NAMES = ["Stretch", "Drink water", "Read", "Plan the day", "Call a customer"]


@pytest.fixture
def habit_ids(model: HabitsModel) -> list[str]:
    ids = []
    for hour, name in enumerate(NAMES, start=9):
        habit = model.add_habit(name, "FREQ=DAILY", time(hour), start=START)
        assert habit is not None
        ids.append(habit.id)
    return ids


@pytest.fixture
def changes(model: HabitsModel) -> list[Change]:
    seen: list[Change] = []
    model.changed.connect(lambda change, _by: seen.append(change))
    return seen


def test_a_check_off_in_the_window_scores_only_its_own_habit_once(
    qtbot, model: HabitsModel, habit_ids: list[str], changes: list[Change]
) -> None:
    window = CheckOffWindow(model)
    window.setLocale(QLocale("en_GB"))
    qtbot.addWidget(window)
    window.show_and_focus(None)
    qtbot.waitExposed(window)
    other_row_text = window.row(habit_ids[1]).score_label.text()
    scored = model.scored

    qtbot.mouseClick(window.row(habit_ids[0]).check_box, Qt.MouseButton.LeftButton)

    assert window.row(habit_ids[0]).status_label.text() == "✓ Done before the reminder"
    assert model.scored - scored == 1
    assert [change.habit_ids for change in changes] == [frozenset({habit_ids[0]})]
    # The other rows were not redrawn with anything new, and are still right.
    assert window.row(habit_ids[1]).score_label.text() == other_row_text


def test_an_undo_from_the_tray_scores_only_its_own_habit(
    model: HabitsModel, habit_ids: list[str], changes: list[Change]
) -> None:
    model.reports()
    model.check_off(habit_ids[2])
    scored = model.scored
    model.undo(habit_ids[2])
    model.reports()
    assert model.scored - scored == 1
    report = model.report(habit_ids[2])
    assert report is not None and report.current is not None and report.current.outcome is None


def test_a_score_setting_scores_every_habit_again(model: HabitsModel, habit_ids: list[str]) -> None:
    model.reports()
    scored = model.scored
    assert model.set_setting("graduation_score", "0.8")
    model.reports()
    assert model.scored - scored == len(habit_ids)


def test_a_setting_no_score_depends_on_scores_nothing(model: HabitsModel, habit_ids: list[str]) -> None:
    model.reports()
    scored = model.scored
    assert model.set_setting("snooze_minutes", "15")
    model.reports()
    assert model.scored == scored
    assert model.settings().snooze_minutes == 15


def test_a_new_habit_is_scored_and_the_others_are_not(model: HabitsModel, habit_ids: list[str]) -> None:
    model.reports()
    scored = model.scored
    habit = model.add_habit("Walk", "FREQ=DAILY", time(18), start=START)
    assert habit is not None
    assert [report.habit.name for report in model.reports()] == [*NAMES, "Walk"]
    assert model.scored - scored == 1


def test_a_deleted_habit_leaves_the_reports_without_scoring_the_rest(
    model: HabitsModel, habit_ids: list[str]
) -> None:
    model.reports()
    scored = model.scored
    assert model.remove(habit_ids[0]) is not None
    assert [report.habit.name for report in model.reports()] == NAMES[1:]
    assert model.scored == scored


def test_a_refusal_goes_to_the_window_that_asked(
    qtbot, model: HabitsModel, habit_ids: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The edit is still unsaved when the window closes at the end: let it go without asking.
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Discard)
    errors: list[str] = []
    model.error_raised.connect(errors.append)
    habits = HabitsWindow(model)
    qtbot.addWidget(habits)
    habits.show_habit(habit_ids[1])
    qtbot.waitExposed(habits)
    name = habits.findChild(QLineEdit, "name")
    name.selectAll()
    qtbot.keyClicks(name, "Stretch")
    qtbot.mouseClick(habits.findChild(QPushButton, "save"), Qt.MouseButton.LeftButton)
    assert habits.message() == "There is already a habit called “Stretch”."
    assert errors == []  # no box from the app as well


def test_a_refusal_of_the_trays_call_is_for_the_app_to_show(
    qtbot, model: HabitsModel, habit_ids: list[str]
) -> None:
    errors: list[str] = []
    model.error_raised.connect(errors.append)
    habits = HabitsWindow(model)
    qtbot.addWidget(habits)
    habits.show_habit(habit_ids[0])
    model.check_off(habit_ids[0])
    assert model.check_off(habit_ids[0]) is None  # as the tray asks: no window of its own
    assert errors and "already checked off" in errors[0]
    assert habits.message() == ""  # the habits window did not start it, and says nothing


def test_the_apps_own_write_seen_by_the_folder_watcher_reloads_nothing(
    qtbot, model: HabitsModel, habit_ids: list[str], changes: list[Change], clock
) -> None:
    watcher = StoreWatcher(model.data_dir)
    watcher.changed.connect(model.refresh_from_disk)
    model.reports()
    with qtbot.waitSignal(watcher.changed, timeout=5000):
        model.check_off(habit_ids[0])
    scored = model.scored
    assert len(changes) == 1  # the check-off's own, and no echo from the files it wrote
    model.reports()
    assert model.scored == scored

    # The command line checks another habit off: that habit, and only it, is scored again.
    other = Store(model.data_dir, clock=clock)
    other.open()
    with qtbot.waitSignal(model.changed, timeout=5000):
        HabitService(other, clock).check_off(habit_ids[3])
    assert changes[-1].habit_ids == {habit_ids[3]}
    model.reports()
    assert model.scored - scored == 1
    report = model.report(habit_ids[3])
    assert report is not None and report.current is not None and report.current.outcome is not None
