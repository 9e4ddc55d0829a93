"""The settings window's section on holding reminders while the person is not there (issue 17)."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QLineEdit, QSpinBox

from tests.helpers.fake_presence import FakePresence
from tests.helpers.notifier import RecordingNotifier
from tests.helpers.windows import child, shown_settings_window
from trayhabit.app import application
from trayhabit.app.application import TrayHabitApp
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.settings import SettingsWindow
from trayhabit.autostart import Autostart
from trayhabit.core.presence import Absence


@pytest.fixture
def window(qtbot, model: HabitsModel, tmp_path: Path) -> SettingsWindow:
    autostart = Autostart(["trayhabit"], platform="linux", config_home=tmp_path / "config")
    return shown_settings_window(qtbot, model, autostart)


def test_the_section_shows_the_defaults(window: SettingsWindow):
    assert child(window, QCheckBox, "hold_while_away").isChecked()
    assert child(window, QSpinBox, "away_minutes").value() == 5
    assert child(window, QCheckBox, "hold_during_do_not_disturb").isChecked()
    assert child(window, QCheckBox, "hold_while_fullscreen").isChecked()
    assert "always" in child(window, QLabel, "hold_while_locked").text()
    # The settings have their own controls, not a raw text field under Advanced.
    assert window.findChild(QLineEdit, "away_minutes") is None
    assert window.findChild(QLineEdit, "hold_while_fullscreen") is None


def test_each_control_writes_its_setting(qtbot, window: SettingsWindow, model: HabitsModel):
    minutes = child(window, QSpinBox, "away_minutes")
    minutes.setFocus()
    minutes.selectAll()
    qtbot.keyClicks(minutes, "12")
    qtbot.keyClick(minutes, Qt.Key.Key_Return)
    assert model.settings().away_minutes == 12
    child(window, QCheckBox, "hold_while_away").setChecked(False)
    assert model.settings().away_minutes == 0
    assert not minutes.isEnabled()
    child(window, QCheckBox, "hold_while_away").setChecked(True)
    assert model.settings().away_minutes == 12
    child(window, QCheckBox, "hold_during_do_not_disturb").setChecked(False)
    assert not model.settings().hold_during_do_not_disturb
    child(window, QCheckBox, "hold_while_fullscreen").setChecked(False)
    assert not model.settings().hold_while_fullscreen


def test_a_change_made_elsewhere_shows(window: SettingsWindow, model: HabitsModel):
    model.set_setting("away_minutes", "0")  # from the command line, say
    model.set_setting("hold_while_fullscreen", "false")
    assert not child(window, QCheckBox, "hold_while_away").isChecked()
    assert not child(window, QCheckBox, "hold_while_fullscreen").isChecked()
    model.set_setting("away_minutes", "20")
    assert child(window, QCheckBox, "hold_while_away").isChecked()
    assert child(window, QSpinBox, "away_minutes").value() == 20


def test_it_says_what_this_desktop_can_and_cannot_tell(window: SettingsWindow):
    assert window.presence.sources_text().startswith("It cannot tell: time without input, the screen lock")
    window.presence.set_capabilities(frozenset({Absence.AWAY, Absence.LOCKED}))
    text = window.presence.sources_text()
    assert "This desktop tells TrayHabit: time without input, the screen lock." in text
    assert "It cannot tell: Do Not Disturb, full-screen windows" in text
    assert child(window, QLabel, "presence_sources").accessibleDescription() == text


def test_every_control_has_a_name_and_takes_the_keyboard(window: SettingsWindow):
    for kind, name in (
        (QCheckBox, "hold_while_away"),
        (QSpinBox, "away_minutes"),
        (QCheckBox, "hold_during_do_not_disturb"),
        (QCheckBox, "hold_while_fullscreen"),
    ):
        control = child(window, kind, name)
        assert control.accessibleName() or control.text(), name
        assert control.focusPolicy() & Qt.FocusPolicy.TabFocus, name
    # Each check box has a mnemonic of its own.
    keys = [
        child(window, QCheckBox, name).text().split("&")[1][0].lower()
        for name in ("hold_while_away", "hold_during_do_not_disturb", "hold_while_fullscreen")
    ]
    assert len(set(keys)) == 3


def test_the_app_wires_the_desktops_presence_to_the_driver_and_the_settings(
    qtbot, model: HabitsModel, clock, monkeypatch: pytest.MonkeyPatch
):
    presence = FakePresence(frozenset({Absence.LOCKED}))
    monkeypatch.setattr(application, "_presence_monitor", lambda _parent: presence)
    notifier = RecordingNotifier()
    app = TrayHabitApp(model, notifier)
    try:
        model.add_habit("Stretch", "FREQ=DAILY", time(9), start=date(2026, 11, 20))
        app.driver.start()
        presence.set(locked=True)
        clock.set(datetime.combine(clock.now().date(), time(9, 0, 1), clock.now().tzinfo))
        app.driver.process_due()
        assert notifier.notified_names() == []
        presence.set(locked=False)
        assert notifier.notified_names() == ["Stretch"]
        app.show_settings()
        text = app._settings.presence.sources_text()
        assert "This desktop tells TrayHabit: the screen lock." in text
    finally:
        for widget in QApplication.topLevelWidgets():
            widget.close()
