"""Reminders held while nobody is there to see them, end to end (issue 17, DESIGN section 2).

The real app runs on a desktop of this module's own: Xvfb (whose MIT-SCREEN-SAVER idle time grows
from its start while no input comes), a private session bus with the project's test notification
server and a fake screen saver, and a private bus standing in for the system bus with a fake logind.
A reminder that comes due while the person is away, the screen is locked or Do Not Disturb is on is
held (recorded as a ``held`` event, not notified) and shown within 5 s of the person's return.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.desktop import Desktop, missing_tools, start_desktop
from tests.helpers.notification_server import NotificationServer
from tests.helpers.presence_services import PresenceServices
from trayhabit.app.presence.x11 import X11Source

ZONE = "Europe/Stockholm"
# The promise: a held reminder shows within 5 s of the person's return.
BACK_WITHIN = 5.0
# The away threshold in test_away_*, and the idle time the reminder comes due after.
AWAY_MINUTES = 1
IDLE_AT_DUE = AWAY_MINUTES * 60 + 6


@pytest.fixture(scope="module")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    """A desktop of this module's own (overrides the session's): its X idle time is this module's to
    know, and a second bus plays the system bus, where the fake logind lives."""
    missing = missing_tools()
    if missing:
        pytest.fail(f"the end-to-end tests need {', '.join(missing)} (see scripts/check-system)")
    runtime = tmp_path_factory.mktemp("presence-runtime")
    running = start_desktop(runtime)
    try:
        socket = runtime / "system_bus"
        with (runtime / "system-dbus-daemon.log").open("wb") as log:
            running.processes.append(
                subprocess.Popen(
                    [
                        "dbus-daemon",
                        "--session",  # the session policy: the fake logind may own its name
                        "--nofork",
                        "--nopidfile",
                        f"--address=unix:path={socket}",
                    ],
                    env=running.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        deadline = time.monotonic() + 10
        while not socket.exists():
            assert time.monotonic() < deadline, "the private system bus did not come up"
            time.sleep(0.05)
        running.env["DBUS_SYSTEM_BUS_ADDRESS"] = f"unix:path={socket}"
        yield running
    finally:
        running.stop()


def due_in(seconds: float) -> tuple[str, float]:
    """A reminder time (HH:MM:SS, in ZONE) at least *seconds* from now, and the monotonic moment it is."""
    now = datetime.now(ZoneInfo(ZONE))
    at = (now + timedelta(seconds=seconds)).replace(microsecond=0) + timedelta(seconds=1)
    return at.strftime("%H:%M:%S"), time.monotonic() + (at - now).total_seconds()


def held_events(app, name: str) -> list[dict]:
    """The ``held`` events the store has for the habit *name*."""
    export = json.loads(app.cli("export").stdout)
    (habit,) = [h for h in export["habits"] if h["name"] == name]
    return [e for e in export["events"] if e["habit_id"] == habit["id"] and e["kind"] == "held"]


def start_with_reminder(app, name: str, seconds: float, away_minutes: int = 0) -> float:
    """Start *app* with one daily habit *name* due *seconds* from now; the monotonic due moment."""
    # Only the absence under test holds: the module's X server has had no input for a while.
    app.cli("config", "away_minutes", str(away_minutes))
    app.cli("config", "welcomed", "true")
    at, due = due_in(seconds)
    app.cli("add", name, "--every", "day", "--at", at)
    app.start()
    app.wait_for_log("tray icon shown")
    return due


def assert_held_then_shown(
    app, server: NotificationServer, name: str, *, reason: str, due: float, come_back: Callable[[], object]
) -> None:
    """The reminder *name* is held for *reason* when due, then *come_back* brings it within 5 s."""
    app.wait_for_log(rf"reminder held \({reason}\): {name}$", timeout=due - time.monotonic() + 30)
    assert not [line for line in app.drain() if f"notified: {name}" in line]
    assert not [n for n in server.notifications() if n["summary"] == name]
    (event,) = held_events(app, name)
    assert event["reason"] == reason

    come_back()
    app.wait_for_log(rf"notified: {name}$", timeout=BACK_WITHIN)
    # The app's first notification also starts its notification backend (a loop thread, a bus
    # connection), which on a busy machine may take longer than the app's own decision.
    shown = server.wait_for("notify")
    assert shown is not None and shown["summary"] == name


def test_a_reminder_due_while_the_screen_is_locked_shows_when_it_unlocks(
    desktop, make_app, notification_server
):
    screensaver = PresenceServices("screensaver", desktop.env)
    try:
        screensaver.do("active true")
        app = make_app(ZONE)
        due = start_with_reminder(app, "Stretch", 8)
        assert_held_then_shown(
            app,
            notification_server,
            "Stretch",
            reason="locked",
            due=due,
            come_back=lambda: screensaver.do("active false"),
        )
    finally:
        screensaver.stop()


def test_a_reminder_due_during_do_not_disturb_shows_when_it_ends(make_app, notification_server):
    notification_server.inhibit(True)
    app = make_app(ZONE)
    due = start_with_reminder(app, "Water the plants", 8)
    assert_held_then_shown(
        app,
        notification_server,
        "Water the plants",
        reason="do_not_disturb",
        due=due,
        come_back=lambda: notification_server.inhibit(False),
    )


def test_a_reminder_due_after_a_minute_without_input_shows_at_a_mouse_move(
    desktop, make_app, notification_server
):
    # The reminder comes due once the X server has seen no input for a little over a minute: the
    # module's Xvfb has seen none since it started (the tests above send none), so this waits only
    # for the rest of that minute.
    x_server = X11Source(desktop.env["DISPLAY"])
    try:
        idle = x_server.idle_seconds()
    finally:
        x_server.close()
    assert idle is not None, "the X server tells no idle time (MIT-SCREEN-SAVER)"
    app = make_app(ZONE)
    due = start_with_reminder(app, "Stretch", max(8.0, IDLE_AT_DUE - idle), away_minutes=AWAY_MINUTES)
    assert_held_then_shown(
        app,
        notification_server,
        "Stretch",
        reason="away",
        due=due,
        come_back=lambda: desktop.run("xdotool", "mousemove", "123", "77"),
    )


def libfaketime() -> Path:
    """libfaketime (Debian's ``libfaketime`` package), which moves a process's wall clock; its
    build for programs with threads (the app's notification loop runs on one)."""
    for found in sorted(Path("/usr/lib").glob("*/faketime/libfaketimeMT.so.1")):
        return found
    pytest.fail("the end-to-end tests need libfaketime (see scripts/check-system)")


def test_a_reminder_that_came_due_during_sleep_shows_at_waking(desktop, make_app, notification_server):
    # Asleep, a computer's monotonic clock (the app's timers) stands still while its wall clock goes
    # on. libfaketime plays that: the wall clock of the app jumps forward while its monotonic clock
    # (DONT_FAKE_MONOTONIC) keeps real time, so its timer still waits minutes for the reminder when
    # logind says the system woke; only the wake signal can bring the reminder on time.
    offset = desktop.runtime_dir / "faketime-offset"
    offset.write_text("+0\n")
    # dbus-fast connects to the session bus: the fake logind is given the system bus as its own.
    system_bus = desktop.env["DBUS_SYSTEM_BUS_ADDRESS"]
    logind = PresenceServices("login1", {**desktop.env, "DBUS_SESSION_BUS_ADDRESS": system_bus})
    try:
        app = make_app(ZONE)
        app.env.update(
            LD_PRELOAD=str(libfaketime()),
            FAKETIME_TIMESTAMP_FILE=str(offset),
            FAKETIME_NO_CACHE="1",
            DONT_FAKE_MONOTONIC="1",
            # Its "monotonic fix" (on by default with glibc) sends every timed wait on a monotonic
            # condition through its own clock: Python's GIL waits that way, and two busy threads (the
            # wake's pass and the notification thread starting) then crawl, often past the deadline.
            FAKETIME_FORCE_MONOTONIC_FIX="0",
        )
        start_with_reminder(app, "Water the plants", 5 * 60)
        app.wait_for_log(r"presence: sources .*logind")
        # Started, and waiting: a planning pass of the start-up would see the jumped clock itself.
        app.wait_for_log(r"TrayHabit .* started on")

        logind.do("sleep true")
        offset.write_text("+600\n")  # ten minutes asleep: the reminder, five minutes on, passed
        woke = time.monotonic()
        logind.do("sleep false")
        app.wait_for_log(r"the system woke from sleep", timeout=BACK_WITHIN)
        app.wait_for_log(r"notified: Water the plants$", timeout=BACK_WITHIN - (time.monotonic() - woke))
        shown = notification_server.wait_for("notify")  # the backend's start may take longer
        assert shown is not None and shown["summary"] == "Water the plants", "\n".join(app.drain())
    finally:
        logind.stop()
