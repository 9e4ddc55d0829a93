"""A desktop with no tray at all (stock GNOME): the check-off window opens, and says once how to get one."""

from __future__ import annotations

from datetime import date, time

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QSystemTrayIcon

from tests.helpers.notifier import RecordingNotifier
from trayhabit.app.application import TrayHabitApp
from trayhabit.app.windows.checkoff import CheckOffWindow


@pytest.fixture
def no_tray(monkeypatch, qapp):
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    yield
    for widget in QApplication.topLevelWidgets():
        widget.close()


def shown_check_off() -> CheckOffWindow:
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, CheckOffWindow) and w.isVisible()]
    assert len(windows) == 1
    return windows[0]


def notice(window: CheckOffWindow) -> QLabel:
    label = window.findChild(QLabel, "tray_notice")
    assert label is not None
    return label


def test_without_a_tray_the_check_off_window_opens_and_says_how_to_get_one_once(no_tray, model):
    model.add_habit("Stretch", "FREQ=DAILY", time(9), start=date(2026, 11, 20))
    first = TrayHabitApp(model, RecordingNotifier())
    first.show_icon()

    window = shown_check_off()
    assert not first.tray.tray.isVisible()
    assert window.habit_ids() != []
    said = notice(window)
    assert said.isVisible()
    assert "no system tray" in said.text()
    assert "AppIndicator and KStatusNotifierItem Support" in said.text()
    assert "reminders still come" in said.text()
    assert model.settings().no_tray_explained is True

    # The next start on the same data folder opens the window again, without saying it again.
    window.close()
    window.deleteLater()
    second = TrayHabitApp(model, RecordingNotifier())
    second.show_icon()
    assert notice(shown_check_off()).isHidden()
