"""Issue 19, end to end: the real app on the private desktop, connected to a real Radicale that the
test starts. A habit created in TrayHabit appears on the server as a task; the test, playing
Tasks.org on a phone, ticks the day's occurrence off there (the series' DUE moved on, nothing else)
before the reminder; the app's sync just before the reminder turns it into a check-off before the
reminder, and the reminder for that occurrence stays silent (the notification server records
nothing for it), while another habit's reminder at the same moment shows that the moment came.

The password reaches the app's process through keyring's file backend (keyrings.alt), its file in
the test's folder, as ``trayhabit caldav connect --password-stdin`` kept it. That backend is a test
dependency, never in the frozen bundle (which has only the system's credential stores, and this
headless desktop runs none), so this test runs the app from Python under ``make test-frozen`` too;
the bundle's smoke test checks that it carries the CalDAV client and its credential-store backend.
"""

from __future__ import annotations

import json
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from tests.helpers.caldav_server import PASSWORD, USER, CalDAVServer, start_radicale
from trayhabit.core.caldav.account import Account
from trayhabit.core.caldav.connection import open_list
from trayhabit.core.caldav.remote import ConflictError

ZONE = "Europe/Stockholm"
LIST = "Habits"
DEADLINE = 30.0


def tasks(server: CalDAVServer) -> dict[str, tuple[str, icalendar.Calendar, str]]:
    """The tasks on the list by name, as a phone reads them: (href, calendar, etag)."""
    remote = open_list(Account(server.url, USER, LIST), PASSWORD, timeout=10)
    try:
        found = {}
        for item in remote.items():
            calendar = icalendar.Calendar.from_ical(item.data)
            for todo in calendar.walk("VTODO"):
                if "RRULE" in todo:
                    found[str(todo["SUMMARY"])] = (item.href, calendar, item.etag)
        return found
    finally:
        remote.close()


def wait_for_tasks(server: CalDAVServer, names: set[str]) -> dict[str, tuple[str, icalendar.Calendar, str]]:
    """Poll the server until tasks of all *names* are there (the app's sync is on its own time)."""
    deadline = time.monotonic() + DEADLINE
    while True:
        found = tasks(server)
        if names <= found.keys():
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not on the server within {DEADLINE} s: {sorted(names - found.keys())}")
        time.sleep(0.2)  # polling the server, not waiting a fixed time


def tick_off_as_tasks_org(server: CalDAVServer, name: str) -> None:
    """Tasks.org's completion of a recurring task: its DUE and DTSTART move to the next occurrence
    and LAST-MODIFIED says when; nothing else is written. Read again if the app wrote meanwhile."""
    for _attempt in range(3):
        href, calendar, etag = tasks(server)[name]
        todo = calendar.walk("VTODO")[0]
        due = todo.decoded("DUE")
        for prop in ("DUE", "DTSTART", "LAST-MODIFIED"):
            todo.pop(prop, None)
        todo.add("DTSTART", due + timedelta(days=1))
        todo.add("DUE", due + timedelta(days=1))
        todo.add("LAST-MODIFIED", datetime.now(UTC).replace(microsecond=0))
        remote = open_list(Account(server.url, USER, LIST), PASSWORD, timeout=10)
        try:
            remote.update(href, calendar.to_ical(), etag)
            return
        except ConflictError:
            continue
        finally:
            remote.close()
    raise AssertionError("the task kept changing on the server")


def test_a_habit_ticked_off_on_the_phone_before_the_reminder_stays_silent_here(
    make_app, notification_server, tmp_path: Path
) -> None:
    server = start_radicale(tmp_path / "radicale")
    try:
        app = make_app(ZONE, python=True)
        app.env.update(
            {
                "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
                "XDG_DATA_HOME": str(tmp_path / "xdg"),
            }
        )
        subprocess.run(
            [
                *app.command,
                "caldav",
                "connect",
                server.url,
                "--user",
                USER,
                "--list",
                LIST,
                "--password-stdin",
            ],
            env=app.env,
            input=PASSWORD + "\n",
            capture_output=True,
            text=True,
            check=True,
        )
        app.cli("config", "welcomed", "true")
        app.start()
        app.wait_for_log("tray icon shown")
        app.wait_for_log(r"caldav: synced: 0 written")  # the sync at start

        # Created in TrayHabit (on the same store, which the running app takes in): the reminder
        # time leaves the seconds before it to the sync, the phone and the check-off below.
        soon = (datetime.now(ZoneInfo(ZONE)) + timedelta(seconds=40)).strftime("%H:%M:%S")
        app.cli("add", "Follow up sent quotes", "--every", "day", "--at", soon)
        app.cli("add", "Stretch", "--every", "day", "--at", soon)
        wait_for_tasks(server, {"Follow up sent quotes", "Stretch"})

        # On the phone, before the reminder.
        tick_off_as_tasks_org(server, "Follow up sent quotes")

        app.wait_for_log("caldav: syncing before a reminder", timeout=90)
        app.wait_for_log("notified: Stretch$", timeout=60)
        app.wait_for_log("reminder beaten: Follow up sent quotes")
        assert not [line for line in app.drain() if "notified: Follow up sent quotes" in line]
        assert notification_server.wait_for("notify") is not None
        assert [shown["summary"] for shown in notification_server.notifications()] == ["Stretch"]

        shown = json.loads(app.cli("show", "Follow up sent quotes", "--json").stdout)
        assert shown["current"]["status"] == "preemptive"
    finally:
        server.stop()
