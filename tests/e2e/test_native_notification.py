"""A reminder drawn by a real notification daemon (dunst), and its click reaching the app.

Where test_tray_app.py checks the protocol against the project's own server, this one shows what a
user sees on a Linux desktop, and saves the README's screenshot of a reminder.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

ZONE = "Europe/Stockholm"

DUNSTRC = """\
[global]
    origin = top-right
    offset = 12x44
    width = 400
    font = DejaVu Sans 10
    frame_width = 1
    frame_color = "#8a94a6"
    corner_radius = 6
    padding = 10
    horizontal_padding = 12
    format = "<b>%s</b>\\n%b"
    icon_position = left
    min_icon_size = 48
    max_icon_size = 48
    show_indicators = no
    mouse_left_click = do_action, close_current

[urgency_normal]
    background = "#fbfbfd"
    foreground = "#1f2430"
    timeout = 0
"""


@pytest.fixture
def dunst(desktop, tmp_path: Path) -> Iterator[None]:
    if shutil.which("dunst") is None:
        pytest.fail("this test needs dunst, a notification daemon (see scripts/check-system)")
    config = tmp_path / "dunstrc"
    config.write_text(DUNSTRC)
    with (tmp_path / "dunst.log").open("wb") as log:
        process = subprocess.Popen(["dunst", "-config", str(config)], env=desktop.env, stdout=log, stderr=log)
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_real_notification_daemon_draws_the_reminder_and_its_click_opens_the_habit(
    make_app, dunst, screenshots_dir: Path
):
    app = make_app(ZONE)
    desktop = app.desktop
    soon = (datetime.now(ZoneInfo(ZONE)) + timedelta(seconds=8)).strftime("%H:%M:%S")
    app.cli(
        "add", "Follow up sent quotes", "--every", "day", "--at", soon, "--why", "Deals close on follow-up"
    )
    app.cli("config", "welcomed", "true")
    app.start()
    app.wait_for_log("tray icon shown")
    app.wait_for_log(r"notified: Follow up sent quotes$")

    popup = desktop.wait_for_window("--onlyvisible", "--class", "Dunst")
    x, y, width, height = desktop.geometry(popup)
    assert width >= 300 and height >= 40
    desktop.screenshot(screenshots_dir / "notification.png", crop=(1280 - 480, 0, 480, y + height + 16))

    # A click on the notification (dunst runs its default action) opens the check-off window on it.
    desktop.run("xdotool", "mousemove", str(x + width // 2), str(y + height // 2), "click", "1")
    app.wait_for_log(r"check-off window shown on Follow up sent quotes")
    desktop.wait_for_window("--onlyvisible", "--name", "Check off")
