"""A desktop with no tray at all (stock GNOME): the check-off window opens, and says once how to get one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QSystemTrayIcon

from tests.helpers.notifier import RecordingNotifier
from trayhabit.app.application import TrayHabitApp
from trayhabit.app.late_tray import GRACE_POLLS, LAST_POLL, LateTray
from trayhabit.app.windows.checkoff import CheckOffWindow


class Desktop:
    """Whether the desktop offers a tray now: none until a panel brings one."""

    def __init__(self) -> None:
        self.has_tray = False


@pytest.fixture
def no_tray(monkeypatch, qapp) -> Iterator[Desktop]:
    desktop = Desktop()
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: desktop.has_tray))
    yield desktop
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


def asked(app: TrayHabitApp, times: int) -> LateTray:
    """The app's wait for a late tray, after asking *times* times (its timer's ticks, a second each)."""
    late = app.findChild(LateTray)
    assert late is not None
    for _ in range(times):
        if late.waiting:
            late.poll()
    return late


def test_without_a_tray_the_check_off_window_opens_and_says_how_to_get_one_once(no_tray, model):
    model.add_habit("Stretch", "FREQ=DAILY", time(9), start=date(2026, 11, 20))
    first = TrayHabitApp(model, RecordingNotifier())
    first.show_icon()

    window = shown_check_off()
    assert not first.tray.tray.isVisible()
    assert window.habit_ids() != []
    # A panel may start after the app at login: nothing is said for the first ten seconds.
    asked(first, GRACE_POLLS - 1)
    assert notice(window).isHidden()
    assert model.settings().no_tray_explained is False
    asked(first, 1)
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
    asked(second, GRACE_POLLS)
    assert notice(shown_check_off()).isHidden()


# Qt's own X11 tray, made on the offscreen platform these tests run on, says it cannot watch for one.
@pytest.mark.qt_log_ignore("systemTrayWindowChanged")
def test_a_tray_that_comes_after_the_app_gets_the_icon_and_no_explanation(no_tray, model):
    model.add_habit("Stretch", "FREQ=DAILY", time(9), start=date(2026, 11, 20))
    app = TrayHabitApp(model, RecordingNotifier())
    app.show_icon()
    window = shown_check_off()

    asked(app, 3)
    no_tray.has_tray = True  # the panel is up, four seconds after the app
    late = asked(app, 1)
    assert app.tray.tray.isVisible()
    assert not late.waiting
    asked(app, GRACE_POLLS)
    assert notice(window).isHidden()
    assert model.settings().no_tray_explained is False


# Qt's own X11 tray, made on the offscreen platform these tests run on, says it cannot watch for one.
@pytest.mark.qt_log_ignore("systemTrayWindowChanged")
def test_a_tray_that_comes_after_the_explanation_takes_it_back(no_tray, model):
    app = TrayHabitApp(model, RecordingNotifier())
    app.show_icon()
    window = shown_check_off()
    asked(app, GRACE_POLLS)
    assert notice(window).isVisible()

    no_tray.has_tray = True  # the GNOME extension finished loading, say
    asked(app, 1)
    assert app.tray.tray.isVisible()
    assert notice(window).isHidden()


def test_the_app_stops_asking_for_a_tray_after_two_minutes(no_tray, model):
    app = TrayHabitApp(model, RecordingNotifier())
    app.show_icon()
    late = asked(app, LAST_POLL - 1)
    assert late.waiting
    asked(app, 1)
    assert not late.waiting
    assert not app.tray.tray.isVisible()
