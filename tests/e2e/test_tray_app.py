"""The real app under a real X server and tray host, driven as a user would (DESIGN section 4).

The app runs as a subprocess on its own data folder; the test adds habits with the command line,
reads the app's log, clicks the tray icon with xdotool, and saves the screenshots the README shows.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from trayhabit.core.model import Event, EventKind, Habit, Schedule

ZONE = "Europe/Stockholm"


def write_history(path: Path, now: datetime) -> None:
    """An export with two months of a weekday habit, mostly done before its 16:30 reminder."""
    zone = ZoneInfo(ZONE)
    start = (now - timedelta(days=63)).date()
    habit = Habit(
        id="7d4e1d2c-5f7b-4a8e-9d3c-2b1a0f9e8d7c",
        name="Follow up after a customer meeting",
        why="Send the summary while it is fresh",
        schedule=Schedule("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", time(16, 30), start),
        created_at=datetime.combine(start, time(8), zone),
        updated_at=datetime.combine(start, time(8), zone),
    )
    events = []
    for offset in range(62):
        day = start + timedelta(days=offset)
        if day.weekday() >= 5 or offset % 17 == 5:
            continue  # weekends are not scheduled; now and then one is missed
        hour = 17 if offset < 20 and offset % 3 == 0 else 15  # early on, often after the reminder
        moment = datetime.combine(day, time(hour, 10), zone)
        events.append(
            Event(
                id=f"e2e-{offset:03d}",
                habit_id=habit.id,
                kind=EventKind.DONE,
                at=moment,
                recorded_at=moment.astimezone(UTC),
                occurrence=day,
            ).to_doc()
        )
    document = {
        "format": "trayhabit-export",
        "format_version": 1,
        "habits": [habit.to_doc()],
        "events": events,
        "settings": {"welcomed": True},
    }
    path.write_text(json.dumps(document))


def test_the_tray_app_reminds_suppresses_and_shows_its_menu(
    make_app, notification_server, tmp_path: Path, screenshots_dir: Path
):
    app = make_app(ZONE)
    desktop = app.desktop
    now = datetime.now(ZoneInfo(ZONE))
    write_history(tmp_path / "history.json", now)
    app.cli("import", str(tmp_path / "history.json"))
    soon = (now + timedelta(seconds=12)).strftime("%H:%M:%S")
    app.cli("add", "Stretch", "--every", "day", "--at", soon, "--why", "Loosen the back after sitting")
    app.cli("add", "Water the plants", "--every", "day", "--at", soon)
    app.cli(
        "add", "Follow up sent quotes", "--every", "day", "--at", soon, "--why", "Deals close on follow-up"
    )

    app.start()
    app.wait_for_log("tray icon shown")
    trayer = desktop.wait_for_window("--class", "trayer")
    # The icon is embedded in the tray host: the host gives it room.
    _, _, width, _ = desktop.geometry(trayer)
    assert width > 1

    # Checked off from a terminal while the app runs, before its reminder: no notification.
    app.cli("done", "Follow up sent quotes")
    app.wait_for_log(r"notified: Stretch$")
    app.wait_for_log(r"notified: Water the plants$")
    app.wait_for_log(r"reminder beaten: Follow up sent quotes")
    assert not [line for line in app.drain() if "notified: Follow up sent quotes" in line]

    # The reminders are the desktop's own notifications, with Done and Snooze.
    app.wait_for_log(r"notification delivered: Stretch$")
    app.wait_for_log(r"notification delivered: Water the plants$")
    notification_server.wait_for("notify", after=1)  # the server's own report may trail the app's
    shown = {n["summary"]: n for n in notification_server.notifications()}
    # The imported habit's 16:30 reminder is shown too when the test runs after it on a weekday.
    assert sorted(set(shown) - {"Follow up after a customer meeting"}) == ["Stretch", "Water the plants"]
    assert shown["Stretch"]["app_name"] == "TrayHabit"
    assert shown["Stretch"]["body"] == "Loosen the back after sitting"
    assert shown["Stretch"]["actions"] == ["default", "", "done", "Done", "snooze", "Snooze 10 min"]

    # Done on a notification checks the habit off, as done after its reminder.
    notification_server.invoke(shown["Water the plants"]["id"], "done")
    app.wait_for_log(r"checked off: Water the plants")
    report = json.loads(app.cli("show", "Water the plants", "--json").stdout)
    assert report["current"]["status"] == "reminded"

    # Clicking a notification opens the check-off window on that habit.
    notification_server.invoke(shown["Stretch"]["id"], "default")
    app.wait_for_log(r"check-off window shown on Stretch")
    check_off = desktop.wait_for_window("--onlyvisible", "--name", "Check off")
    desktop.run("xdotool", "windowfocus", "--sync", check_off)
    desktop.run("xdotool", "key", "Escape")
    desktop.wait_until_gone("--onlyvisible", "--name", "Check off")

    # A right click on the icon opens the menu with today's habits.
    x, y, width, height = desktop.geometry(trayer)
    top_right = (1280 - 560, 0, 560, 380)
    assert app.process is not None
    desktop.run("xdotool", "mousemove", str(x + width // 2), str(y + height // 2), "click", "3")
    menu_line = app.wait_for_log(r"menu shown")
    assert "Stretch" in menu_line and "Follow up sent quotes" in menu_line
    desktop.wait_for_app_window(app.process.pid, min_width=150)
    desktop.screenshot(screenshots_dir / "tray-menu.png", crop=top_right)
    desktop.run("xdotool", "key", "Escape")

    # A second launch hands over to the running app, which opens the window asked for.
    for window, title, shot in (
        ("check-off", "Check off", "check-off-window.png"),
        ("habits", "Habits", "habits-window.png"),
        ("settings", "Settings", "settings-window.png"),
    ):
        # On the terminal, one line says what happened (a window may open behind it).
        assert app.cli("--show", window).stdout.startswith("Opened the ")
        found = desktop.wait_for_window("--onlyvisible", "--name", title)
        if window == "habits":
            # The statistics: a click on the Progress tab (where the screenshot shows it).
            desktop.run("xdotool", "mousemove", "--window", found, "336", "50", "click", "1")
            app.wait_for_log(r"habits window: progress of Follow up after a customer meeting")
        desktop.screenshot(screenshots_dir / shot, found)
    assert app.process.poll() is None
