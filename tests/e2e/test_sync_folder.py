"""Two real apps, each on its own data folder and its own copy of a sync folder (as Syncthing or
Dropbox give each computer), with the test as the sync engine: a habit added on one appears on the
other, and a check-off on one before the reminder keeps the other's reminder quiet."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ZONE = "Europe/Stockholm"


def deliver(source: Path, target: Path) -> None:
    """What a sync engine does: the files of one computer's copy reach the other's."""
    shutil.copytree(source / "devices", target / "devices", dirs_exist_ok=True)


def test_a_check_off_on_one_computer_keeps_the_other_quiet(
    make_app, notification_server, tmp_path: Path
) -> None:
    # The test's notification server owns the bus name: a reminder shown with none would have D-Bus
    # start the desktop's own server (dunst), which would then hold the name for the next test.
    laptop, desktop = make_app(ZONE), make_app(ZONE)
    folders = {}
    for app, name in ((laptop, "laptop"), (desktop, "desktop")):
        folders[name] = tmp_path / f"{name}-Sync"
        folders[name].mkdir()
        app.cli("config", "sync_folder", str(folders[name]))
        app.cli("config", "welcomed", "true")
    laptop.start()
    desktop.start()
    laptop.wait_for_log("tray icon shown")
    desktop.wait_for_log("tray icon shown")
    # The reminder time is chosen once both apps run, and the habits are added to the running
    # laptop app: the seconds before the reminder are for the sync and the check-off below, not
    # for two apps starting on a loaded machine (which used to eat the margin, and the desktop
    # then reminded of the habit checked off on the laptop before the check-off reached it).
    soon = (datetime.now(ZoneInfo(ZONE)) + timedelta(seconds=25)).strftime("%H:%M:%S")
    laptop.cli("add", "Follow up sent quotes", "--every", "day", "--at", soon)
    # A second habit at the same time: its reminder shows that the moment came, on both computers.
    laptop.cli("add", "Stretch", "--every", "day", "--at", soon)
    # The desktop's app notices the laptop's files by itself and takes the habit in.
    deliver(folders["laptop"], folders["desktop"])
    desktop.wait_for_log(r"synced with .*: \d+ events, 2 habits")

    # Checked off on the laptop, before the reminder; the news reaches the desktop.
    laptop.cli("done", "Follow up sent quotes")
    deliver(folders["laptop"], folders["desktop"])
    desktop.wait_for_log(r"synced with .*: 1 events")

    for app in (laptop, desktop):
        app.wait_for_log("notified: Stretch$", timeout=60)
        app.wait_for_log("notification delivered: Stretch$")
        app.wait_for_log("reminder beaten: Follow up sent quotes")
        assert not [line for line in app.drain() if "notified: Follow up sent quotes" in line]
    # The server reports each notification on a pipe of its own, read by a thread of the test: that
    # report may trail the app's "delivered" line, so wait for the server's second one.
    assert notification_server.wait_for("notify", after=1) is not None
    assert [shown["summary"] for shown in notification_server.notifications()] == ["Stretch", "Stretch"]
