"""Reminders as native notifications on Linux, against a real notification server on a private bus.

The server (tests/helpers/notification_server.py) records each ``Notify`` call and plays the user by
emitting ``ActionInvoked``; the app is the real one, wired as at start-up, on a fake clock.
"""

from __future__ import annotations

import shutil
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.qt.conftest import STOCKHOLM, WEDNESDAY
from trayhabit.app.application import TrayHabitApp
from trayhabit.app.notifications.native import NativeNotifier
from trayhabit.app.notifications.plyer_backend import PlyerNotifier
from trayhabit.core.model import Outcome

TODAY = WEDNESDAY.date()


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(TODAY, time(hour, minute, second), STOCKHOLM)


@pytest.fixture
def app(model, notification_server, tmp_path: Path, qtbot):
    model.set_setting("welcomed", "true")
    trayhabit = TrayHabitApp(model, cache_dir=tmp_path / "cache")
    yield trayhabit
    trayhabit.stop()
    for widget in QApplication.topLevelWidgets():
        widget.close()


def native(app: TrayHabitApp) -> NativeNotifier:
    backend = app.notifier.backend("native")
    assert isinstance(backend, NativeNotifier)
    return backend


def remind(app, clock, qtbot, server, when: datetime) -> dict:
    """Move the clock to *when*, let the driver show what is due, and wait until it is on screen;
    returns the server's record of the notification."""
    shown_before = len(server.notifications())
    clock.set(when)
    app.driver.process_due()
    # The native backend is built for the first notification, so it is there only now; its
    # delivered signal is queued to this thread and so cannot have come before the wait begins.
    qtbot.waitSignal(native(app).delivered).wait()
    shown = server.wait_for("notify", after=shown_before)
    assert shown is not None
    return shown


def add_daily(model, name: str, hour: int, why: str = "") -> str:
    habit = model.add_habit(name, "FREQ=DAILY", time(hour), why=why, start=TODAY - timedelta(days=3))
    assert habit is not None
    return habit.id


def test_a_reminder_is_a_native_notification_with_done_and_snooze(
    app, model, clock, qtbot, notification_server
):
    add_daily(model, "Follow up sent quotes", 9, why="Deals close on follow-up")
    app.start()
    assert app.notifier.active_name == "native"
    assert app.notifier.backend("native") is None  # built for the first notification, not at start
    remind(app, clock, qtbot, notification_server, at(9, 0, 1))
    (shown,) = notification_server.notifications()
    assert shown["app_name"] == "TrayHabit"
    assert shown["summary"] == "Follow up sent quotes"
    assert shown["body"] == "Deals close on follow-up"
    assert shown["actions"] == ["default", "", "done", "Done", "snooze", "Snooze 10 min"]
    # The app's own icon, as a PNG file the server can load.
    assert shown["app_icon"].startswith("file://") and shown["app_icon"].endswith(".png")
    assert Path(shown["app_icon"].removeprefix("file://")).read_bytes()[:4] == b"\x89PNG"


def test_done_on_the_notification_records_a_reminded_check_off(app, model, clock, qtbot, notification_server):
    habit_id = add_daily(model, "Stretch", 9)
    app.start()
    remind(app, clock, qtbot, notification_server, at(9, 0, 1))
    clock.set(at(9, 3))
    notification_server.invoke(notification_server.notifications()[0]["id"], "done")
    qtbot.waitUntil(lambda: model.report(habit_id).current.outcome is not None)
    assert model.report(habit_id).current.outcome is Outcome.REMINDED


def test_snooze_on_the_notification_brings_it_back_after_the_snooze_length(
    app, model, clock, qtbot, notification_server
):
    habit_id = add_daily(model, "Stretch", 9)
    model.set_setting("snooze_minutes", "10")
    app.start()
    remind(app, clock, qtbot, notification_server, at(9, 0, 1))
    with qtbot.waitSignal(app.notifier.action_invoked):
        notification_server.invoke(notification_server.notifications()[0]["id"], "snooze")
    assert model.report(habit_id).current.outcome is None
    clock.set(at(9, 9))
    app.driver.process_due()
    assert len(notification_server.notifications()) == 1
    remind(app, clock, qtbot, notification_server, at(9, 10, 2))
    assert [n["summary"] for n in notification_server.notifications()] == ["Stretch", "Stretch"]


def test_clicking_the_notification_opens_the_check_off_window_on_the_habit(
    app, model, clock, qtbot, notification_server
):
    from trayhabit.app.windows.checkoff import CheckOffWindow

    add_daily(model, "Stretch", 10)
    habit_id = add_daily(model, "Follow up sent quotes", 9)
    app.start()
    remind(app, clock, qtbot, notification_server, at(9, 0, 1))
    with qtbot.waitSignal(app.notifier.clicked):
        notification_server.invoke(notification_server.notifications()[0]["id"], "default")
    (window,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, CheckOffWindow) and w.isVisible()]
    assert window.selected_habit_id() == habit_id


def test_a_notification_checked_off_elsewhere_is_withdrawn(app, model, clock, qtbot, notification_server):
    habit_id = add_daily(model, "Stretch", 9)
    app.start()
    remind(app, clock, qtbot, notification_server, at(9, 0, 1))
    shown = notification_server.notifications()[0]
    model.check_off(habit_id)  # from the tray menu, the check-off window or the command line
    app.driver.process_due()
    assert notification_server.wait_for("close") == {"event": "close", "id": shown["id"]}


def test_reminders_missed_while_asleep_come_as_one_summary(app, model, clock, qtbot, notification_server):
    for name, hour in (("Stretch", 9), ("Water the plants", 10), ("Plan tomorrow", 11)):
        add_daily(model, name, hour)
    app.start()
    remind(app, clock, qtbot, notification_server, at(11, 40))  # the laptop slept from 08:00 until now
    (summary,) = notification_server.notifications()
    assert summary["summary"] == "3 reminders while you were away"
    assert summary["body"].splitlines() == ["Stretch", "Water the plants", "Plan tomorrow"]
    assert summary["actions"] == ["default", ""]


def test_a_server_without_buttons_gets_no_done_and_snooze(qtbot, session_bus, monkeypatch):
    from tests.helpers.notification_server import NotificationServer
    from tests.qt.test_notification_backends import reminder

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session_bus.env["DBUS_SESSION_BUS_ADDRESS"])
    server = NotificationServer(session_bus.env, capabilities="body")
    notifier = NativeNotifier(snooze_minutes=lambda: 10)
    try:
        with qtbot.waitSignal(notifier.delivered):
            notifier.notify(reminder("Stretch", why="Loosen the back"))
        server.wait_for("notify")  # the server's own report may trail the app's
        (shown,) = server.notifications()
        # Only the click on the body (desktop-notifier asks for it whatever the server says).
        assert (shown["summary"], shown["body"], shown["actions"]) == (
            "Stretch",
            "Loosen the back",
            ["default", ""],
        )
    finally:
        notifier.stop()
        server.stop()


def test_with_no_notification_server_the_native_backend_says_why(qtbot, session_bus, monkeypatch):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session_bus.env["DBUS_SESSION_BUS_ADDRESS"])
    notifier = NativeNotifier(snooze_minutes=lambda: 10)
    try:
        with qtbot.waitSignal(notifier.failed, timeout=15_000) as failed:
            notifier.start()
        assert "org.freedesktop.Notifications" in failed.args[0]
        assert failed.args[1] is None
    finally:
        notifier.stop()


def test_plyer_reaches_the_same_server_without_buttons(notification_server, qtbot):
    if shutil.which("notify-send") is None:
        pytest.fail("plyer's Linux path needs notify-send (libnotify-bin; see scripts/check-system)")
    from tests.qt.test_notification_backends import reminder

    notifier = PlyerNotifier()
    try:
        with qtbot.assertNotEmitted(notifier.failed, wait=0):
            notifier.notify(reminder("Stretch", why="Loosen the back"))
            shown = notification_server.wait_for("notify")
    finally:
        notifier.stop()
    assert shown is not None
    assert (shown["summary"], shown["body"], shown["actions"]) == ("Stretch", "Loosen the back", [])


def test_the_settings_window_says_how_reminders_are_shown_and_what_did_not_work(
    model, qtbot, session_bus, monkeypatch, tmp_path: Path
):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session_bus.env["DBUS_SESSION_BUS_ADDRESS"])
    model.set_setting("welcomed", "true")
    trayhabit = TrayHabitApp(model, cache_dir=tmp_path / "cache")
    try:
        trayhabit.start()  # no notification server on the bus, and offscreen has no tray
        # The window asks the backends to get ready; their failures arrive while it shows.
        trayhabit.show_settings()
        qtbot.waitUntil(lambda: trayhabit.notifier.active_name == "plyer", timeout=15_000)
        status = trayhabit._settings.notification_status().splitlines()
        assert status[0] == "Reminders are shown with plyer."
        assert status[1].startswith("Not used: the desktop's own notifications (")
        assert "org.freedesktop.Notifications" in status[1]
        assert (
            status[2] == "Not used: the tray icon's messages (there is no tray icon to show messages from)."
        )
    finally:
        trayhabit.stop()
        for widget in QApplication.topLevelWidgets():
            widget.close()
