"""The real app on a desktop with no tray at all, read through AT-SPI as a screen reader reads it.

The desktop of this module has no tray host (stock GNOME without the AppIndicator extension) and
runs the AT-SPI accessibility bus (at-spi2-core) on its private session bus; the app runs with
Qt's bridge on (``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``). Debian's pyatspi, under Debian's own
Python, reads the app's windows (tests/helpers/atspi_dump.py): every control must have a name,
and each check-off row must say its habit, its status and its checked state as the store has them.
The titles the window manager shows (``_NET_WM_NAME``) must name TrayHabit once.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.desktop import (
    ATSPI_BUS_LAUNCHER,
    Desktop,
    DesktopError,
    missing_tools,
    start_accessibility_bus,
    start_desktop,
)

ZONE = "Europe/Stockholm"
HELPER = Path(__file__).resolve().parents[1] / "helpers" / "atspi_dump.py"
# Debian's Python, for which python3-pyatspi is built (the project's venv cannot import it).
SYSTEM_PYTHON = "/usr/bin/python3"

#: The roles of what a person operates; each needs a name Orca can say.
CONTROL_ROLES = {
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "combo box",
    "spin button",
    "text",
    "entry",
    "password text",
    "list",
    "list box",
    "table",
    "tree",
    "tree table",
    "page tab",
    "page tab list",
    "slider",
}
#: Controls made of controls: what is inside (a combo box's list) is said as the control.
COMPOSITE_ROLES = {"combo box", "spin button"}
#: A row's status as the check-off window says it, for each status the store reports.
STATUS_WORDS = {
    "preemptive": "Done before the reminder",
    "reminded": "Done after the reminder",
    "late": "Done late",
    "skipped": "Skipped",
    "missed": "Missed",
}


@pytest.fixture(scope="module")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    """This module's desktop (overrides the session's): Xvfb and a session bus, no tray host, and the
    accessibility bus a screen reader's session has."""
    missing = missing_tools()
    if not Path(ATSPI_BUS_LAUNCHER).exists():
        missing.append("at-spi2-core")
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, check=False)
    if probe.returncode != 0:
        missing.append("python3-pyatspi")
    if missing:
        # Not a skip: the end-to-end tests are part of the suite (make test checks these first).
        pytest.fail(f"the end-to-end tests need {', '.join(missing)} (see scripts/check-system)")
    running = start_desktop(tmp_path_factory.mktemp("a11y-runtime"), tray=False)
    try:
        start_accessibility_bus(running)
    except BaseException:
        running.stop()
        raise
    # What a screen reader's session sets for Qt apps; NO_AT_BRIDGE is GTK's, and left out here.
    running.env.pop("NO_AT_BRIDGE", None)
    running.env["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] = "1"
    yield running
    running.stop()


def read_app(desktop: Desktop, pid: int, timeout: float = 20) -> dict:
    """The app's accessibility tree (see atspi_dump.py), once it is on the accessibility bus."""
    deadline = time.monotonic() + timeout
    while True:
        dumped = desktop.run(SYSTEM_PYTHON, str(HELPER), str(pid), check=False, timeout=60)
        assert dumped.returncode == 0, dumped.stderr
        tree = json.loads(dumped.stdout)
        if tree is not None or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert tree is not None, f"process {pid} is not on the accessibility bus:\n{dumped.stderr}"
    return tree


def nodes(tree: dict) -> Iterator[dict]:
    yield tree
    for child in tree["children"]:
        yield from nodes(child)


def window(tree: dict, title: str) -> dict:
    """The app's top-level window whose name is *title*."""
    found = [child for child in tree["children"] if child["name"] == title and "showing" in child["states"]]
    assert found, f"no window {title!r}: {[child['name'] for child in tree['children']]}"
    return found[0]


def unnamed_controls(window: dict) -> list[str]:
    """The controls of *window*, shown or not (the schedule's fields for another repeat, say), that
    have no name to say. The parts of a control (a combo box's list) are said as the control."""
    found = []
    for node in window["children"]:
        if node["role"] in CONTROL_ROLES and not node["name"].strip():
            found.append(f"{node['role']} ({node['description'][:40]!r})")
        if node["role"] not in COMPOSITE_ROLES:
            found += unnamed_controls(node)
    return found


def shown_title(desktop: Desktop, window_id: str) -> str:
    """The title the window manager shows: the window's _NET_WM_NAME and WM_NAME, as Qt set them
    (the same, or this fails)."""
    titles = set()
    for atom in ("_NET_WM_NAME", "WM_NAME"):
        line = subprocess.run(
            ["xprop", "-id", window_id, atom],
            env={**desktop.env, "LC_ALL": "C.UTF-8"},  # xprop prints the title in the locale's charset
            capture_output=True,
            text=True,
            check=True,
            timeout=20,
        ).stdout
        match = re.search(r'= "(.*)"$', line.strip())
        assert match, line
        titles.add(match.group(1))
    assert len(titles) == 1, titles
    return titles.pop()


def wait_for_title(desktop: Desktop, app, title: str) -> str:
    """The id of the app's visible window whose title starts as *title* does (up to the dash)."""
    assert app.process is not None
    start = "^" + re.escape(title.split(" — ", maxsplit=1)[0])
    try:
        return desktop.wait_for_window("--onlyvisible", "--name", start, owner=app.process)
    except DesktopError:
        raise AssertionError(f"no window {title!r}; log:\n" + "\n".join(app.drain())) from None


def test_with_no_tray_the_check_off_window_opens_and_says_once_how_to_get_one(make_app, notification_server):
    app = make_app(ZONE)
    app.cli("config", "welcomed", "true")
    app.start()
    app.wait_for_log("no system tray available; showing the check-off window")
    found = wait_for_title(app.desktop, app, "Check off — TrayHabit")
    assert shown_title(app.desktop, found) == "Check off — TrayHabit"
    # The app waits ten seconds for a panel that starts after it before calling the tray missing.
    app.wait_for_log("said how to get a tray")
    assert app.process is not None
    window_read = window(read_app(app.desktop, app.process.pid), "Check off — TrayHabit")
    said = [node["name"] for node in nodes(window_read) if "no system tray" in node["name"]]
    assert len(said) == 1
    assert "AppIndicator and KStatusNotifierItem Support" in said[0]
    assert "reminders still come" in said[0]

    # Started again on the same data folder: the window again, the explanation not again.
    app.stop()
    app.lines.clear()
    app.start()
    wait_for_title(app.desktop, app, "Check off — TrayHabit")
    app.wait_for_log("still no system tray")
    assert app.process is not None
    window_read = window(read_app(app.desktop, app.process.pid), "Check off — TrayHabit")
    assert not [node for node in nodes(window_read) if "no system tray" in node["name"]]


def test_a_screen_reader_can_name_every_control_and_read_each_habit(make_app, notification_server):
    app = make_app(ZONE)
    app.cli("config", "welcomed", "true")
    # Late in the day, and started days ago: open whenever the test runs, and (but just before
    # midnight) nothing comes due while it runs.
    start = (datetime.now(ZoneInfo(ZONE)) - timedelta(days=3)).date().isoformat()
    for name, at in (("Stretch", "23:59"), ("Water the plants", "23:58"), ("Plan tomorrow", "23:57")):
        app.cli("add", name, "--every", "day", "--at", at, "--start", start, "--why", "Because")
    app.cli("done", "Water the plants")
    app.start()
    wait_for_title(app.desktop, app, "Check off — TrayHabit")
    # The other two windows, opened as a keyboard shortcut would: a second launch hands over.
    for name, title in (("habits", "Habits — TrayHabit"), ("settings", "Settings — TrayHabit")):
        app.cli("--show", name)
        found = wait_for_title(app.desktop, app, title)
        assert shown_title(app.desktop, found) == title
    assert app.process is not None
    tree = read_app(app.desktop, app.process.pid)

    for title in ("Check off — TrayHabit", "Habits — TrayHabit", "Settings — TrayHabit"):
        assert unnamed_controls(window(tree, title)) == [], title

    # Each row of the check-off window: the habit's name, its status and its checked state.
    store = {habit["name"]: habit for habit in json.loads(app.cli("list", "--json").stdout)}
    rows = {
        node["name"]: node
        for node in nodes(window(tree, "Check off — TrayHabit"))
        if node["role"] == "check box" and node["name"] in store
    }
    assert set(rows) == set(store) == {"Stretch", "Water the plants", "Plan tomorrow"}
    for name, row in rows.items():
        current = store[name]["current"]
        said = row["description"].split(";")[0]
        if current["status"] == "open":
            # Run just before midnight, the reminder may have come (or wait while nobody is there).
            ahead = datetime.fromisoformat(current["reminder"]) > datetime.now(UTC)
            assert said in (
                ("Before the reminder",) if ahead else ("Before the reminder", "Reminder waiting")
            )
            assert "checked" not in row["states"] and "indeterminate" not in row["states"], name
        else:
            assert said == STATUS_WORDS[current["status"]], name
            assert ("indeterminate" if current["status"] == "skipped" else "checked") in row["states"], name
    assert "checked" in rows["Water the plants"]["states"]
