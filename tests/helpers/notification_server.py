"""A notification server of our own on a private session bus, and its handle for the tests.

Run as a script, it owns ``org.freedesktop.Notifications`` on the bus in ``DBUS_SESSION_BUS_ADDRESS``
and implements the freedesktop notification protocol: ``Notify``, ``GetCapabilities``,
``GetServerInformation``, ``CloseNotification`` and the signals ``ActionInvoked(us)`` and
``NotificationClosed(uu)``, declared so that clients (dbus-fast under desktop-notifier) subscribe to
them, and the ``Inhibited`` property of the 1.3 spec (Do Not Disturb). It reports each call as a JSON
line on stdout and plays the user on command from stdin: ``action ID KEY`` emits ``ActionInvoked``
(and closes the notification, as real servers do); ``inhibit true`` (or ``false``) turns Do Not
Disturb on (or off) and says so with ``PropertiesChanged``.

python-dbusmock's template declares no signals, so clients never hear a click (see TESTING.md).
"""

# No ``from __future__ import annotations``: dbus-fast reads the D-Bus signatures from the
# annotations at run time, as the strings written below (which are not Python names, hence F821
# and F722); the methods carry the protocol's names and arguments (N802, PLR0917).
# ruff: noqa: F821, F722, N802, PLR0917

import asyncio
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
CLOSED_DISMISSED = 2
CLOSED_BY_CALL = 3


def _plain(value: Any) -> Any:
    """A D-Bus value (Variants inside) as JSON-friendly Python."""
    from dbus_fast import Variant

    if isinstance(value, Variant):
        return _plain(value.value)
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, bytes):
        return value.hex()
    return value


def _report(**event: Any) -> None:
    print(json.dumps(event), flush=True)


async def _serve(capabilities: list[str]) -> None:
    from dbus_fast import RequestNameReply
    from dbus_fast.aio import MessageBus
    from dbus_fast.service import PropertyAccess, ServiceInterface, dbus_property, method, signal

    class Server(ServiceInterface):
        def __init__(self) -> None:
            super().__init__(NAME)
            self.next_id = 0
            self.open: set[int] = set()
            self.inhibited = False

        @dbus_property(access=PropertyAccess.READ)
        def Inhibited(self) -> "b":
            return self.inhibited

        @method()
        def Notify(
            self,
            app_name: "s",
            replaces_id: "u",
            app_icon: "s",
            summary: "s",
            body: "s",
            actions: "as",
            hints: "a{sv}",
            expire_timeout: "i",
        ) -> "u":
            if replaces_id and replaces_id in self.open:
                notification_id = replaces_id
            else:
                self.next_id += 1
                notification_id = self.next_id
            self.open.add(notification_id)
            _report(
                event="notify",
                id=notification_id,
                app_name=app_name,
                app_icon=app_icon,
                summary=summary,
                body=body,
                actions=list(actions),
                hints=_plain(hints),
                expire_timeout=expire_timeout,
            )
            return notification_id

        @method()
        def GetCapabilities(self) -> "as":
            return capabilities

        @method()
        def GetServerInformation(self) -> "ssss":
            return ["trayhabit-test-server", "TrayHabit", "1.0", "1.2"]

        @method()
        def CloseNotification(self, notification_id: "u") -> None:
            _report(event="close", id=notification_id)
            self.close(notification_id, CLOSED_BY_CALL)

        @signal()
        def ActionInvoked(self, notification_id: int, key: str) -> "us":
            return [notification_id, key]

        @signal()
        def NotificationClosed(self, notification_id: int, reason: int) -> "uu":
            return [notification_id, reason]

        def close(self, notification_id: int, reason: int) -> None:
            if notification_id in self.open:
                self.open.discard(notification_id)
                self.NotificationClosed(notification_id, reason)

    bus = await MessageBus().connect()
    server = Server()
    bus.export(PATH, server)
    if await bus.request_name(NAME) != RequestNameReply.PRIMARY_OWNER:
        _report(event="error", message=f"{NAME} is already owned on this bus")
        return
    _report(event="ready")

    loop = asyncio.get_running_loop()
    commands: asyncio.Queue[str] = asyncio.Queue()
    loop.add_reader(sys.stdin.fileno(), lambda: commands.put_nowait(sys.stdin.readline()))
    while line := await commands.get():
        words = line.split()
        if words[:1] == ["action"]:
            notification_id, key = int(words[1]), words[2]
            server.ActionInvoked(notification_id, key)
            server.close(notification_id, CLOSED_DISMISSED)
            _report(event="invoked", id=notification_id, key=key)
        elif words[:1] == ["inhibit"]:
            server.inhibited = words[1] == "true"
            server.emit_properties_changed({"Inhibited": server.inhibited})
            _report(event="inhibited", value=server.inhibited)
    bus.disconnect()


class NotificationServer:
    """The server running as a child process on the bus of *env*, read and driven by a test."""

    def __init__(self, env: dict[str, str], capabilities: str = "body actions") -> None:
        self._process = subprocess.Popen(
            [sys.executable, str(Path(__file__)), *capabilities.split()],
            env={**env, "PYTHONPATH": os.pathsep.join(sys.path)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.events: list[dict[str, Any]] = []
        self._queue: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        ready = self.wait_for("ready", timeout=20)
        if ready is None:
            self.stop()
            raise RuntimeError("the test notification server did not start")

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._queue.put(json.loads(line))

    def _drain(self) -> None:
        while True:
            try:
                self.events.append(self._queue.get_nowait())
            except queue.Empty:
                return

    def notifications(self) -> list[dict[str, Any]]:
        """Every ``Notify`` call so far, oldest first."""
        self._drain()
        return [event for event in self.events if event["event"] == "notify"]

    def closed(self) -> list[int]:
        """The ids the client closed (``CloseNotification``), oldest first."""
        self._drain()
        return [event["id"] for event in self.events if event["event"] == "close"]

    def wait_for(self, kind: str, timeout: float = 15, after: int = 0) -> dict[str, Any] | None:
        """The first event of *kind* (``notify``, ``close``...) past the first *after* of that kind."""
        deadline = time.monotonic() + timeout
        while True:
            self._drain()
            found = [event for event in self.events if event["event"] == kind][after:]
            if found:
                return found[0]
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                self.events.append(self._queue.get(timeout=left))
            except queue.Empty:
                return None

    def invoke(self, notification_id: int, key: str) -> None:
        """The user clicks (``default``) or presses a button (``done``, ``snooze``) on a notification."""
        assert self._process.stdin is not None
        self._drain()
        before = sum(1 for event in self.events if event["event"] == "invoked")
        self._process.stdin.write(f"action {notification_id} {key}\n")
        self._process.stdin.flush()
        if self.wait_for("invoked", after=before) is None:
            raise RuntimeError("the test notification server did not emit ActionInvoked")

    def inhibit(self, on: bool) -> None:
        """The user turns Do Not Disturb on (or off): ``Inhibited`` changes, with ``PropertiesChanged``."""
        assert self._process.stdin is not None
        self._drain()
        before = sum(1 for event in self.events if event["event"] == "inhibited")
        self._process.stdin.write(f"inhibit {'true' if on else 'false'}\n")
        self._process.stdin.flush()
        if self.wait_for("inhibited", after=before) is None:
            raise RuntimeError("the test notification server did not change Inhibited")

    def stop(self) -> None:
        from tests.helpers.desktop import terminate  # here: the server script itself needs only dbus-fast

        terminate(self._process, timeout=5)
        self._reader.join(timeout=5)  # the pipe ends with the process
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()


if __name__ == "__main__":
    asyncio.run(_serve(sys.argv[1:]))
