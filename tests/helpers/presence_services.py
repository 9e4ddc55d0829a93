"""Fake desktop services that tell of presence, on a private bus, and their handle for the tests.

Run as a script with ``screensaver`` it owns ``org.freedesktop.ScreenSaver`` (``GetActive``,
``GetSessionIdleTime``, ``ActiveChanged``); with ``login1`` it plays logind on a bus standing in for the system bus: the
manager (``GetSession``, ``PrepareForSleep``) and one session (``Id``, ``LockedHint``, also at
``session/auto``). Commands on stdin play the desktop: ``active true``, ``idle 1500`` (ms),
``sleep false``, ``locked true``; with ``portal``, the settings portal with GNOME's
``show-banners`` (``Read``, ``SettingChanged``; ``banners false`` is Do Not Disturb on). Each is answered with a JSON line on stdout once done.
"""

# No ``from __future__ import annotations``: dbus-fast reads the D-Bus signatures from the
# annotations at run time (strings that are not Python names: F821); the methods carry the
# protocol's names (N802).
# ruff: noqa: F821, N802

import asyncio
import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

SESSION_ID = "1"
SESSION_PATH = "/org/freedesktop/login1/session/_31"


def _report(**event: Any) -> None:
    print(json.dumps(event), flush=True)


async def _serve(kind: str) -> None:
    from dbus_fast import DBusError, RequestNameReply, Variant
    from dbus_fast.aio import MessageBus
    from dbus_fast.service import PropertyAccess, ServiceInterface, dbus_property, method, signal

    class ScreenSaver(ServiceInterface):
        def __init__(self) -> None:
            super().__init__("org.freedesktop.ScreenSaver")
            self.active = False
            self.idle_ms = 0

        @method()
        def GetActive(self) -> "b":
            return self.active

        @method()
        def GetSessionIdleTime(self) -> "u":
            return self.idle_ms

        @signal()
        def ActiveChanged(self, active: bool) -> "b":
            return active

    class Manager(ServiceInterface):
        def __init__(self) -> None:
            super().__init__("org.freedesktop.login1.Manager")

        @method()
        def GetSession(self, session_id: "s") -> "o":
            return SESSION_PATH

        @signal()
        def PrepareForSleep(self, start: bool) -> "b":
            return start

    class Session(ServiceInterface):
        def __init__(self) -> None:
            super().__init__("org.freedesktop.login1.Session")
            self.locked = False

        @dbus_property(access=PropertyAccess.READ)
        def Id(self) -> "s":
            return SESSION_ID

        @dbus_property(access=PropertyAccess.READ)
        def LockedHint(self) -> "b":
            return self.locked

    class Settings(ServiceInterface):
        def __init__(self) -> None:
            super().__init__("org.freedesktop.portal.Settings")
            self.banners = True

        @method()
        def Read(self, namespace: "s", key: "s") -> "v":
            if (namespace, key) != ("org.gnome.desktop.notifications", "show-banners"):
                raise DBusError("org.freedesktop.portal.Error.NotFound", "Requested setting not found")
            # The portal's (deprecated, but everywhere) Read wraps the value in a second variant.
            return Variant("v", Variant("b", self.banners))

        @signal()
        def SettingChanged(self, namespace: str, key: str, value: Variant) -> "ssv":
            return [namespace, key, value]

    bus = await MessageBus().connect()
    # dbus-fast exports an object at one path only: the session's "auto" path gets a twin.
    screensaver, manager, session, auto = ScreenSaver(), Manager(), Session(), Session()
    settings = Settings()
    if kind == "portal":
        name = "org.freedesktop.portal.Desktop"
        bus.export("/org/freedesktop/portal/desktop", settings)
    elif kind == "screensaver":
        name = "org.freedesktop.ScreenSaver"
        bus.export("/org/freedesktop/ScreenSaver", screensaver)
    else:
        name = "org.freedesktop.login1"
        bus.export("/org/freedesktop/login1", manager)
        bus.export(SESSION_PATH, session)
        bus.export("/org/freedesktop/login1/session/auto", auto)
    if await bus.request_name(name) != RequestNameReply.PRIMARY_OWNER:
        _report(event="error", message=f"{name} is already owned on this bus")
        return
    _report(event="ready")

    loop = asyncio.get_running_loop()
    commands: asyncio.Queue[str] = asyncio.Queue()
    loop.add_reader(sys.stdin.fileno(), lambda: commands.put_nowait(sys.stdin.readline()))
    while line := await commands.get():
        verb, value = line.split()
        flag = value == "true"
        if verb == "active":
            screensaver.active = flag
            screensaver.ActiveChanged(flag)
        elif verb == "idle":
            screensaver.idle_ms = int(value)
        elif verb == "sleep":
            manager.PrepareForSleep(flag)
        elif verb == "banners":
            settings.banners = flag
            settings.SettingChanged("org.gnome.desktop.notifications", "show-banners", Variant("b", flag))
        elif verb == "locked":
            session.locked = auto.locked = flag
            session.emit_properties_changed({"LockedHint": flag})
        _report(event="done", command=line.strip())
    bus.disconnect()


class PresenceServices:
    """The fake services (``screensaver``, ``login1`` or ``portal``) as a child process on the bus of *env*."""

    def __init__(self, kind: str, env: dict[str, str]) -> None:
        self._process = subprocess.Popen(
            [sys.executable, str(Path(__file__)), kind],
            env={**env, "PYTHONPATH": os.pathsep.join(sys.path)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._replies: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if self._next().get("event") != "ready":
            self.stop()
            raise RuntimeError(f"the fake {kind} service did not start")

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._replies.put(json.loads(line))

    def _next(self) -> dict[str, Any]:
        try:
            return self._replies.get(timeout=20)
        except queue.Empty:
            return {}

    def do(self, command: str) -> None:
        """Play the desktop: *command* is ``active true``, ``idle 1500``, ``sleep false``..."""
        assert self._process.stdin is not None
        self._process.stdin.write(command + "\n")
        self._process.stdin.flush()
        if self._next() != {"event": "done", "command": command}:
            raise RuntimeError(f"the fake service did not do {command!r}")

    def stop(self) -> None:
        from tests.helpers.desktop import terminate  # here: the script itself needs only dbus-fast

        terminate(self._process, timeout=5)
        self._reader.join(timeout=5)
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()


if __name__ == "__main__":
    asyncio.run(_serve(sys.argv[1]))
