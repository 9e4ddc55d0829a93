"""The real app on Wayland, natively, with a StatusNotifierItem tray: a headless sway and its swaybar.

Most Linux desktops show tray apps through StatusNotifierItem (KDE Plasma, GNOME with the
AppIndicator extension, Cinnamon, XFCE's and LXQt's panels, waybar, swaybar), where the XEmbed
tests beside this one use trayer. The app runs with ``QT_QPA_PLATFORM=wayland`` and no X server at
all; the test plays the tray host over D-Bus as swaybar does (its left click is ``Activate``, its
menu comes over DBusMenu) and reads the windows from sway. ``make test-frozen`` runs this against
the frozen bundle too, which must carry Qt's Wayland platform plugin.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import AppProcess, app_command
from tests.helpers.notification_server import NotificationServer
from tests.helpers.status_notifier import StatusNotifierHost
from tests.helpers.sway import SwayDesktop, missing_tools, start_sway_desktop

ZONE = "Europe/Stockholm"
CHECK_OFF_TITLE = "Check off — TrayHabit"  # the app's name once, as every window's


@pytest.fixture(scope="module")
def sway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SwayDesktop]:
    missing = missing_tools()
    if missing:
        pytest.fail(f"the StatusNotifierItem tests need {', '.join(missing)} (see scripts/check-system)")
    desktop = start_sway_desktop(tmp_path_factory.mktemp("sway-runtime"))
    yield desktop
    desktop.stop()


@pytest.fixture
def host(sway: SwayDesktop) -> StatusNotifierHost:
    return StatusNotifierHost(sway.env["DBUS_SESSION_BUS_ADDRESS"])


@pytest.fixture
def wayland_app(sway: SwayDesktop, tmp_path: Path) -> Iterator[Callable[..., AppProcess]]:
    """The app on sway's Wayland display, with two daily habits: their reminder times are given."""
    started: list[AppProcess] = []

    def make(*reminders: tuple[str, timedelta]) -> AppProcess:
        app = AppProcess(sway, tmp_path / "data", ZONE, app_command())
        started.append(app)
        app.cli("config", "welcomed", "true")
        app.cli("config", "away_minutes", "0")
        now = datetime.now(ZoneInfo(ZONE))
        for name, after in reminders:
            app.cli("add", name, "--every", "day", "--at", (now + after).strftime("%H:%M:%S"))
        app.start()
        app.wait_for_log("TrayHabit .* started on")
        return app

    yield make
    for app in started:
        app.stop()


def status_soon(app: AppProcess, name: str, wanted: str, timeout: float = 10) -> bool:
    """Whether the store says *wanted* of the habit's current occurrence within *timeout* s."""
    deadline = time.monotonic() + timeout
    while True:
        status = json.loads(app.cli("show", name, "--json").stdout)["current"]["status"]
        if status == wanted or time.monotonic() > deadline:
            return status == wanted
        time.sleep(0.1)


def later_today(minutes: int) -> timedelta:
    """*minutes* from now, or less, so that the reminder is still today (the menu lists today's)."""
    now = datetime.now(ZoneInfo(ZONE))
    end_of_day = now.replace(hour=23, minute=59, second=0, microsecond=0)
    return max(min(timedelta(minutes=minutes), end_of_day - now), timedelta(seconds=90))


def test_the_item_shows_in_the_bar_names_the_next_reminder_and_opens_the_check_off_window(
    sway: SwayDesktop, host: StatusNotifierHost, wayland_app, screenshots_dir: Path
):
    app = wayland_app(("Stretch", later_today(50)), ("Water the plants", later_today(40)))
    item = host.wait_for_item()
    assert host.property(item, "Title") == "TrayHabit"
    assert host.property(item, "Status") == "Active"
    assert len(host.property(item, "IconPixmap")) > 0  # the host has an icon to draw
    at = (datetime.now(ZoneInfo(ZONE)) + later_today(40)).strftime("%H:%M")
    tooltip = host.tooltip(item)
    assert f"Next reminder: {at}" in tooltip and "Water the plants" in tooltip, tooltip

    # The left click opens the check-off window, titled with the app's name once.
    host.activate(item)
    app.wait_for_log("check-off window shown")
    window = sway.wait_for_window_titled(CHECK_OFF_TITLE)
    assert window["app_id"] == "trayhabit"
    assert app.process is not None and window["pid"] == app.process.pid
    # Native Wayland: sway says which protocol each window speaks, and there is no X server here.
    assert window["shell"] == "xdg_shell"
    shot = sway.screenshot(screenshots_dir / "sway-check-off-window.png")
    assert shot.stat().st_size > 0

    sway.run("swaymsg", f'[pid={app.process.pid} title="{CHECK_OFF_TITLE}"] kill')
    sway.wait_until_untitled(CHECK_OFF_TITLE)
    assert app.process.poll() is None, "closing the window quits only the window, not the tray app"


def test_the_menu_lists_todays_habits_and_checks_one_off(
    sway: SwayDesktop, host: StatusNotifierHost, wayland_app
):
    app = wayland_app(("Stretch", later_today(50)), ("Water the plants", later_today(40)))
    item = host.wait_for_item()

    menu = host.menu(item)
    habits = [entry for entry in menu.children if entry.checkable]
    assert [entry.label for entry in habits] == ["Water the plants", "Stretch"]  # by reminder time
    assert not any(entry.checked for entry in habits)
    assert menu.find("Check off…").enabled

    # Ticking a habit in the host's menu checks it off, before its reminder.
    host.click(item, menu.find("Water the plants"))
    assert status_soon(app, "Water the plants", "preemptive")
    menu = host.menu(item)
    assert menu.find("Water the plants").checked and not menu.find("Stretch").checked

    # *Check off…* in the menu opens the window.
    host.click(item, menu.find("Check off…"))
    sway.wait_for_window_titled(CHECK_OFF_TITLE)


def test_a_reminder_comes_as_the_desktops_notification(
    sway: SwayDesktop, host: StatusNotifierHost, wayland_app
):
    server = NotificationServer(sway.env)
    try:
        app = wayland_app(("Stretch", timedelta(seconds=8)))
        host.wait_for_item()
        app.wait_for_log(r"notified: Stretch$", timeout=40)
        shown = server.wait_for("notify")
        assert shown is not None and shown["summary"] == "Stretch"
        assert shown["app_name"] == "TrayHabit"
        assert shown["actions"] == ["default", "", "done", "Done", "snooze", "Snooze 10 min"]
    finally:
        server.stop()


def test_a_bar_that_starts_after_the_app_still_gets_its_icon(tmp_path_factory, tmp_path: Path):
    # At login a panel and the autostart programs start side by side: the app may come first.
    desktop = start_sway_desktop(tmp_path_factory.mktemp("late-bar-runtime"), bar=False)
    app = AppProcess(desktop, tmp_path / "data", ZONE, app_command())
    try:
        app.cli("config", "welcomed", "true")
        app.start()
        app.wait_for_log("no system tray available; showing the check-off window")
        desktop.wait_for_window_titled(CHECK_OFF_TITLE)

        desktop.add_bar()
        host = StatusNotifierHost(desktop.env["DBUS_SESSION_BUS_ADDRESS"])
        item = host.wait_for_item(timeout=10)
        assert host.property(item, "Title") == "TrayHabit"
        app.wait_for_log("tray icon shown")
        host.activate(item)  # and it works as any icon does
        app.wait_for_log("check-off window shown")
    finally:
        app.stop()
        desktop.stop()
