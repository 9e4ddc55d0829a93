"""Start the app as ``trayhabit.app.launch`` would, offscreen, and print which heavy modules it loaded.

``start_imports.py DATA_DIR`` (with the repository on ``PYTHONPATH``) builds the running app (store,
model, tray, driver, notifier chain), starts its reminders, runs the event loop once and prints, as
JSON, the names from WATCHED found in ``sys.modules``; see tests/unit/test_start_imports.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Loaded only when needed, each for megabytes of memory held from then on (see the README's Performance).
WATCHED = (
    "PySide6.QtSvg",
    # Windows serves the single-instance pipe with QtNetwork; elsewhere a Unix socket needs none.
    *(() if sys.platform == "win32" else ("PySide6.QtNetwork",)),
    "asyncio",
    "ssl",
    "hashlib",
    "_hashlib",
    "secrets",
    "filelock",
    "dateutil.tz",
    "desktop_notifier",
    "dbus_fast",
    "plyer",
    "trayhabit.app.notifications.native",
    # Import and export, calendars and sync: loaded when first used (most people never sync).
    "trayhabit.core.transfer",
    "trayhabit.core.ical",
    "trayhabit.core.sync",
    "csv",
    # CalDAV (issue 19): the client, the credential store and their HTTP and XML stacks, only once
    # a server is connected and synced.
    "trayhabit.core.caldav",
    "caldav",
    "keyring",
    "niquests",
    "requests",
    "urllib3",
    "lxml",
    # Ids come from os.urandom (trayhabit.core.ids); uuid would bring the platform module.
    "uuid",
    "platform",
    # The standard library's json writes every file (trayhabit.core.jsontext).
    "orjson",
    # Not the check-off window: offscreen there is no tray, so the app shows that window instead.
    "trayhabit.app.windows.habits",
    "trayhabit.app.windows.settings",
)


def main(data_dir: Path) -> None:
    """Build and start the app on *data_dir*; print the watched modules it loaded."""
    from PySide6.QtWidgets import QApplication

    from trayhabit.app.application import TrayHabitApp
    from trayhabit.app.habits_model import HabitsModel
    from trayhabit.app.single_instance import InstanceServer
    from trayhabit.core.clock import SystemClock
    from trayhabit.core.service import HabitService
    from trayhabit.core.store import Store

    app = QApplication(sys.argv[:1])
    clock = SystemClock()
    store = Store(data_dir, clock=clock)
    store.open()
    server = InstanceServer(data_dir)
    model = HabitsModel(HabitService(store, clock))
    model.set_setting("welcomed", "true")
    trayhabit = TrayHabitApp(model, cache_dir=data_dir / "cache")
    trayhabit.show_icon()
    trayhabit.start_reminders()
    app.processEvents()
    print(json.dumps(sorted(name for name in WATCHED if name in sys.modules)))
    trayhabit.stop()
    server.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
