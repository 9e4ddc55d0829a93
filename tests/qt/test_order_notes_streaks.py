"""What people who used Loop Habit Tracker look for: their own order, a note on a check-off, streaks.

Each in English and in Swedish: the habits window's list moved by keyboard and by dragging, the
check-off window's "Note…", the calendar's tooltip with the note, the Progress tab's streak.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QListWidget, QMessageBox

from tests.qt.conftest import STOCKHOLM
from tests.qt.test_swedish_ui import NAMES, english_in, swedish, widget_texts  # noqa: F401 (a fixture)
from trayhabit.app.tray import TrayIcon
from trayhabit.app.windows.charts import OutcomeCalendar
from trayhabit.app.windows.checkoff import CheckOffWindow
from trayhabit.app.windows.habits import HabitsWindow

START = date(2026, 11, 20)


@pytest.fixture
def discard(monkeypatch) -> None:
    """Closing the habits window with unsaved edits asks first; a real dialog would hang the test."""
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Discard)


def add(model, *names: str) -> list[str]:
    ids = []
    for name in names:
        habit = model.add_habit(name, "FREQ=DAILY", time(9), start=START)
        assert habit is not None
        ids.append(habit.id)
    return ids


def listed(window: HabitsWindow) -> list[str]:
    habits = window.findChild(QListWidget, "habit_list")
    return [habits.item(row).text() for row in range(habits.count())]


def habits_window(qtbot, model) -> HabitsWindow:
    window = HabitsWindow(model)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


# -- the order ----------------------------------------------------------------------------------------


def test_alt_up_and_down_move_the_selected_habit_and_every_list_follows(qtbot, model, discard):
    stretch, quotes, call = add(model, "Stretch", "Follow up quotes", "Call a customer")
    window = habits_window(qtbot, model)
    window.show_habit(call)
    habits = window.findChild(QListWidget, "habit_list")
    habits.setFocus()
    qtbot.keyClick(habits, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(habits, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert listed(window) == ["Call a customer", "Stretch", "Follow up quotes"]
    assert window.current_habit_id() == call  # the moved habit stays selected, for the next move
    assert habits.currentItem().text() == "Call a customer"
    qtbot.keyClick(habits, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert listed(window) == ["Stretch", "Call a customer", "Follow up quotes"]
    # Kept in the store: another process (the command line) reads the same order.
    assert [habit.id for habit in model.service.habits()] == [stretch, call, quotes]
    # The check-off window and the tray menu follow it.
    checkoff = CheckOffWindow(model)
    qtbot.addWidget(checkoff)
    assert checkoff.habit_ids() == [stretch, call, quotes]
    tray = TrayIcon(model)
    try:
        tray.rebuild_menu()
        today = [action.data() for action in tray.menu.actions() if action.objectName().startswith("today:")]
        assert today == [stretch, call, quotes]
    finally:
        tray.hide()


def test_dragging_a_habit_keeps_the_new_order(qtbot, model, discard):
    add(model, "Stretch", "Follow up quotes", "Call a customer")
    window = habits_window(qtbot, model)
    habits = window.findChild(QListWidget, "habit_list")
    # What a drop leaves behind (Qt moves the item itself), then the list says it was dropped.
    habits.model().moveRow(habits.rootIndex(), 0, habits.rootIndex(), 3)
    habits.dropped.emit()
    assert listed(window) == ["Follow up quotes", "Call a customer", "Stretch"]
    assert [habit.name for habit in model.service.habits()] == listed(window)


def test_the_list_offers_the_moves_in_its_context_menu_with_their_keys(qtbot, model, discard):
    add(model, "Stretch")
    window = habits_window(qtbot, model)
    habits = window.findChild(QListWidget, "habit_list")
    assert habits.contextMenuPolicy() is Qt.ContextMenuPolicy.ActionsContextMenu
    actions = {action.objectName(): action for action in habits.actions()}
    assert actions["move_up"].text() == "Move &up" and actions["move_up"].shortcut().toString() == "Alt+Up"
    assert actions["move_down"].shortcut().toString() == "Alt+Down"
    assert "Alt+Up" in habits.accessibleDescription()


def test_the_moves_are_in_swedish(qtbot, model, swedish, discard):  # noqa: F811 (the fixture)
    add(model, "Stretcha")
    window = habits_window(qtbot, model)
    habits = window.findChild(QListWidget, "habit_list")
    texts = [action.text() for action in habits.actions()] + [habits.accessibleDescription()]
    assert "Flytta &upp" in texts and "Flytta &ned" in texts
    assert english_in(texts, NAMES) == []


# -- notes ----------------------------------------------------------------------------------------------


def checked_off(qtbot, model, clock) -> tuple[CheckOffWindow, str]:
    (habit_id,) = add(model, "Call a customer")
    clock.set(datetime(2026, 11, 25, 8, 30, tzinfo=STOCKHOLM))
    model.reload()
    model.check_off(habit_id)
    window = CheckOffWindow(model)
    window.setLocale(QLocale("en_GB"))
    qtbot.addWidget(window)
    window.show_and_focus(habit_id)
    qtbot.waitExposed(window)
    return window, habit_id


def test_a_note_is_put_on_the_latest_check_off_and_shown_in_the_calendar(qtbot, model, clock, discard):
    window, habit_id = checked_off(qtbot, model, clock)
    assert window.note_button.isEnabled()
    assert "Alt+N" in window.note_button.toolTip()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    # A mnemonic animates the button's press first, so the click comes a moment later.
    qtbot.waitUntil(lambda: window.note_dialog() is not None)
    dialog = window.note_dialog()
    assert dialog is not None
    edit = dialog.findChild(QLineEdit)
    assert edit.accessibleName() == "Note" and edit.text() == ""
    dialog.setTextValue("called Acme")
    dialog.accept()
    assert window.note_dialog() is None
    assert "Noted" in window.status_label.text()
    today = date(2026, 11, 25)
    assert model.notes(habit_id, today) == {today: "called Acme"}
    # Opened again, it shows the note to change.
    again = window.open_note()
    assert again is not None and again.textValue() == "called Acme"
    again.reject()

    habits = habits_window(qtbot, model)
    habits.show_habit(habit_id)
    calendar = habits.findChild(OutcomeCalendar)
    tip = calendar.tooltip_at(calendar.cell_center(today))
    assert tip.endswith("before the reminder\nNote: called Acme")


def test_without_a_check_off_there_is_nothing_to_note(qtbot, model, clock):
    (habit_id,) = add(model, "Stretch")
    window = CheckOffWindow(model)
    qtbot.addWidget(window)
    window.show_and_focus(habit_id)
    assert not window.note_button.isEnabled()
    assert window.open_note() is None


def test_the_note_dialog_is_in_swedish(qtbot, model, clock, swedish):  # noqa: F811 (the fixture)
    window, _habit_id = checked_off(qtbot, model, clock)
    assert window.note_button.text() == "A&nteckning…"
    dialog = window.open_note()
    assert dialog is not None
    texts = [*widget_texts(dialog), window.note_button.toolTip()]
    assert english_in(texts, {"Call a customer"}) == []
    dialog.setTextValue("ringde Acme")
    dialog.accept()
    assert english_in([window.status_label.text()], {"Call a customer"}) == []


# -- streaks --------------------------------------------------------------------------------------------


def streaky(model, clock) -> str:
    """Before the reminder on the 20th to the 22nd, after it on the 23rd, before it on the 24th."""
    (habit_id,) = add(model, "Stretch")
    for day in range(5):
        hour = 10 if day == 3 else 8
        clock.set(datetime.combine(START + timedelta(days=day), time(hour), STOCKHOLM))
        model.check_off(habit_id)
    clock.set(datetime(2026, 11, 25, 6, 0, tzinfo=STOCKHOLM))
    model.reload()
    return habit_id


def test_the_progress_tab_shows_the_current_and_best_streak(qtbot, model, clock, discard):
    habit_id = streaky(model, clock)
    window = habits_window(qtbot, model)
    window.show_habit(habit_id)
    streak = window.findChild(QLabel, "streak")
    assert streak.text() == "Streak: 1 in a row before the reminder (best 3)."
    assert streak.accessibleName() == "Streak"


def test_the_streak_is_in_swedish(qtbot, model, clock, swedish, discard):  # noqa: F811 (the fixture)
    habit_id = streaky(model, clock)
    window = habits_window(qtbot, model)
    window.show_habit(habit_id)
    streak = window.findChild(QLabel, "streak")
    assert streak.text() == "Svit: 1 i rad före påminnelsen (som bäst 3)."
    assert english_in([streak.text(), streak.accessibleName()], set()) == []
