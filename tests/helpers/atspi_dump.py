"""Prints, as JSON, what a screen reader reads of one application through AT-SPI.

    /usr/bin/python3 tests/helpers/atspi_dump.py PID

Run by Debian's own Python: its python3-pyatspi (with PyGObject) is built for /usr/bin/python3, not
for the project's virtual environment, so this script imports nothing of the project's. It runs on
the desktop the test started (DISPLAY and DBUS_SESSION_BUS_ADDRESS in its environment, where libatspi
finds the accessibility bus) and prints the application whose process is PID: each node's role,
name, description, states (``checked``, ``focusable``, ``showing``...) and children, as Orca reads
them. With no such application on the bus it prints ``null``.
"""

from __future__ import annotations

import json
import sys

import pyatspi
from gi.repository import GLib
from pyatspi.state import STATE_VALUE_TO_NAME

# Deeper than any window of the app: a guard against a cycle in a broken tree.
MAX_DEPTH = 60


def node(accessible, depth: int = 0) -> dict:
    """*accessible* and what is below it."""
    # Atspi's own enum values; pyatspi's table gives their names as Orca's users know them.
    states = sorted(
        STATE_VALUE_TO_NAME.get(int(state), str(state)) for state in accessible.getState().getStates()
    )
    children = []
    if depth < MAX_DEPTH:
        for index in range(accessible.childCount):
            child = accessible.getChildAtIndex(index)
            if child is not None:
                children.append(node(child, depth + 1))
    return {
        "role": accessible.getRoleName(),
        "name": accessible.name or "",
        "description": accessible.description or "",
        "states": states,
        "children": children,
    }


def application(pid: int):
    """The application of process *pid* on the accessibility bus, or None."""
    for app in pyatspi.Registry.getDesktop(0):
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except GLib.GError:
            continue  # an application that has just gone from the bus
    return None


def main() -> int:
    app = application(int(sys.argv[1]))
    json.dump(node(app) if app is not None else None, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
