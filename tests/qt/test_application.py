"""The app as wired at start-up: first run, a click on a reminder, the tray's requests."""

from __future__ import annotations

from datetime import date, time

import pytest
from PySide6.QtWidgets import QApplication

from tests.helpers.notifier import RecordingNotifier
from trayhabit.app.application import TrayHabitApp
from trayhabit.app.windows.welcome import WelcomeDialog


@pytest.fixture
def app(model, qtbot):
    trayhabit = TrayHabitApp(model, RecordingNotifier())
    yield trayhabit
    for widget in QApplication.topLevelWidgets():
        widget.close()


def visible(kind: type) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_the_first_start_greets_with_the_welcome_once(app, model):
    app.start()
    assert len(visible(WelcomeDialog)) == 1
    assert model.settings()["welcomed"] is True
    for dialog in visible(WelcomeDialog):
        dialog.close()
    app.start()
    assert visible(WelcomeDialog) == []


def test_a_store_with_habits_gets_no_welcome(app, model):
    model.add_habit("Stretch", "FREQ=DAILY", time(9), start=date(2026, 11, 20))
    app.start()
    assert visible(WelcomeDialog) == []


def test_clicking_a_reminder_opens_the_check_off_window_on_that_habit(app, model):
    from trayhabit.app.windows.checkoff import CheckOffWindow

    model.add_habit("Stretch", "FREQ=DAILY", time(9), start=date(2026, 11, 20))
    habit = model.add_habit("Water the plants", "FREQ=DAILY", time(10), start=date(2026, 11, 20))
    assert habit is not None
    app.notifier.click(habit.id)
    windows = visible(CheckOffWindow)
    assert len(windows) == 1
    assert windows[0].selected_habit_id() == habit.id


def test_the_tray_asks_and_the_windows_open(app):
    from trayhabit.app.windows.settings import SettingsWindow

    app.tray.settings_requested.emit()
    assert len(visible(SettingsWindow)) == 1


def test_done_from_the_tray_checks_the_habit_off(app, model):
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9), start=date(2026, 11, 20))
    assert habit is not None
    app.tray.done_requested.emit(habit.id)
    assert model.report(habit.id).current.outcome is not None


def _pre_empted_for(model, days: int):
    """A daily 09:00 habit done at 08:00 on each of the last *days* days."""
    from datetime import UTC, datetime, timedelta

    from trayhabit.core.model import Event, EventKind

    today = model.now().date()
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9), start=today - timedelta(days=days))
    assert habit is not None
    with model.service.store.writing() as tx:
        for offset in range(days, 0, -1):
            day = today - timedelta(days=offset)
            done = datetime.combine(day, time(8), model.now().tzinfo)
            event = Event(f"e{offset}", habit.id, EventKind.DONE, done, done.astimezone(UTC), day)
            tx.add_event(event.to_doc())
    return habit


def test_when_graduation_is_suggested_the_app_asks_and_the_user_decides(app, model, qtbot):
    from PySide6.QtWidgets import QMessageBox

    habit = _pre_empted_for(model, 70)
    model.reload()
    boxes = [
        w for w in QApplication.topLevelWidgets() if w.objectName() == "suggestion:graduate" and w.isVisible()
    ]
    assert len(boxes) == 1
    box = boxes[0]
    assert isinstance(box, QMessageBox)
    assert "Stretch" in box.text()
    retire = next(b for b in box.buttons() if box.buttonRole(b) is QMessageBox.ButtonRole.AcceptRole)
    retire.click()
    assert model.report(habit.id).habit.state.value == "graduated"
    # Asked once: another change does not ask again.
    model.reload()
    assert not [
        w for w in QApplication.topLevelWidgets() if w.objectName() == "suggestion:graduate" and w.isVisible()
    ]


def test_saying_not_yet_keeps_the_reminder(app, model):
    from PySide6.QtWidgets import QMessageBox

    habit = _pre_empted_for(model, 70)
    model.reload()
    box = next(
        w for w in QApplication.topLevelWidgets() if w.objectName() == "suggestion:graduate" and w.isVisible()
    )
    assert isinstance(box, QMessageBox)
    next(b for b in box.buttons() if box.buttonRole(b) is QMessageBox.ButtonRole.RejectRole).click()
    assert model.report(habit.id).habit.state.value == "learning"


def test_choosing_swedish_switches_the_tray_menu_at_once(app, model):
    from PySide6.QtCore import QLocale

    from trayhabit.app.i18n import remove_translators
    from trayhabit.core import i18n as core_i18n

    locale = QLocale()
    try:
        model.set_setting("language", "sv")
        app.tray.rebuild_menu()
        texts = [action.text() for action in app.tray.menu.actions()]
        assert "&Inställningar…" in texts
    finally:
        # Leave the rest of the suite as it found it: English catalogues, the same default locale.
        remove_translators(QApplication.instance())
        QLocale.setDefault(locale)
        core_i18n.set_language("system")


def test_a_new_language_is_spoken_at_once_by_the_open_windows(app, model, qtbot, monkeypatch):
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QMessageBox

    from trayhabit.app.i18n import remove_translators
    from trayhabit.app.windows.checkoff import CheckOffWindow
    from trayhabit.app.windows.settings import SettingsWindow
    from trayhabit.core import i18n as core_i18n

    locale_before = QLocale()
    model.add_habit("Stretch", "FREQ=DAILY", time(9), start=date(2026, 11, 20))
    app.show_check_off()
    app.show_settings()
    habits = app.show_habits()
    habits.new_habit("Half-typed")  # unsaved: this window keeps its words until it is closed
    assert visible(CheckOffWindow)[0].windowTitle() == "Check off — TrayHabit"
    try:
        assert model.set_setting("language", "sv")
        # No restart: the windows that were open are open again, in Swedish.
        assert [w.windowTitle() for w in visible(CheckOffWindow)] == ["Bocka av — TrayHabit"]
        assert [w.windowTitle() for w in visible(SettingsWindow)] == ["Inställningar — TrayHabit"]
        assert habits.isVisible() and habits.has_unsaved_changes()
        habits.hide()
        assert app.show_habits() is not habits  # built anew once the edits are let go
        assert app.show_habits().windowTitle() == "Vanor — TrayHabit"
    finally:
        remove_translators(QApplication.instance())
        core_i18n.set_language("system")
        QLocale.setDefault(locale_before)
        # The half-typed habit is let go as the windows close.
        monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Discard)
        for widget in QApplication.topLevelWidgets():
            widget.close()
