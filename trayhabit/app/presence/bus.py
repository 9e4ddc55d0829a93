"""A D-Bus connection for the presence sources, through QtDBus: calls answered on the Qt loop.

QtDBus ships in PySide6-Essentials and its library is already in the process wherever Qt's xcb or
Wayland plugin runs, so the sources need no asyncio loop, no thread and no import at start-up of
their own. A call is sent asynchronously and its reply comes back as a callback on the Qt thread; a
D-Bus signal reaches a small relay object whose slot takes the whole message, so Python never has
to spell a D-Bus signature. The only blocking calls are the bus daemon's own (connecting, listing the
names), which the daemon answers at once.

Each connection has a name of its own and connects to the address in the environment at the moment
it is made (``DBUS_SESSION_BUS_ADDRESS``, ``DBUS_SYSTEM_BUS_ADDRESS``): QtDBus's shared
``sessionBus()`` would keep the first address for the life of the process.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import SLOT, QObject, Slot
from PySide6.QtDBus import (
    QDBus,
    QDBusConnection,
    QDBusMessage,
    QDBusObjectPath,
    QDBusPendingCallWatcher,
    QDBusServiceWatcher,
    QDBusVariant,
)

from trayhabit.app.presence.source import SourceUnavailableError

log = logging.getLogger(__name__)

#: How long an asynchronous call may take before it counts as failed.
CALL_TIMEOUT_MS = 5000
PROPERTIES = "org.freedesktop.DBus.Properties"
SYSTEM_BUS_SOCKET = "/run/dbus/system_bus_socket"
_serial = itertools.count(1)

Reply = Callable[[list[Any]], None]
Failure = Callable[[str], None]


class Endpoint(NamedTuple):
    """An interface of an object of a service on a bus."""

    service: str
    path: str
    interface: str


def plain(value: Any) -> Any:
    """A QtDBus value as plain Python: variants unwrapped, object paths as strings."""
    if isinstance(value, QDBusVariant):
        return plain(value.variant())
    if isinstance(value, QDBusObjectPath):
        return value.path()
    return value


def session_address(environ: Mapping[str, str] = os.environ) -> str | None:
    """Where the session bus listens: ``DBUS_SESSION_BUS_ADDRESS``, else ``$XDG_RUNTIME_DIR/bus``."""
    address = environ.get("DBUS_SESSION_BUS_ADDRESS")
    if address:
        return address
    runtime = environ.get("XDG_RUNTIME_DIR")
    if runtime and (Path(runtime) / "bus").exists():
        return f"unix:path={Path(runtime) / 'bus'}"
    return None


def system_address(environ: Mapping[str, str] = os.environ) -> str | None:
    """Where the system bus listens: ``DBUS_SYSTEM_BUS_ADDRESS``, else the standard socket."""
    address = environ.get("DBUS_SYSTEM_BUS_ADDRESS")
    if address:
        return address
    return f"unix:path={SYSTEM_BUS_SOCKET}" if Path(SYSTEM_BUS_SOCKET).exists() else None


class _Relay(QObject):
    """Receives one D-Bus signal (QtDBus connects to a slot by its signature) and hands on its
    arguments, while its bus is open."""

    def __init__(self, handler: Reply, bus: Bus) -> None:
        super().__init__(bus)
        self._handler = handler
        self._bus = bus

    @Slot(QDBusMessage)
    def deliver(self, message: QDBusMessage) -> None:
        if self._bus.is_open:
            self._handler([plain(argument) for argument in message.arguments()])


class Bus(QObject):
    """A private connection to one bus (session or system), for the presence sources."""

    def __init__(self, address: str | None, what: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if not address:
            raise SourceUnavailableError(f"D-Bus: no {what} bus here")
        self.what = what
        self._name = f"trayhabit-presence-{what}-{next(_serial)}"
        self._connection = QDBusConnection.connectToBus(address, self._name)
        if not self._connection.isConnected():
            error = self._connection.lastError().message()
            QDBusConnection.disconnectFromBus(self._name)
            raise SourceUnavailableError(f"D-Bus: cannot connect to the {what} bus at {address} ({error})")
        self._pending: set[QDBusPendingCallWatcher] = set()
        self._open = True

    @classmethod
    def session(cls, parent: QObject | None = None) -> Bus:
        """The session bus, where the desktop's services are."""
        return cls(session_address(), "session", parent)

    @classmethod
    def system(cls, parent: QObject | None = None) -> Bus:
        """The system bus, where logind is."""
        return cls(system_address(), "system", parent)

    def names(self, activatable: bool = False) -> set[str]:
        """The names on the bus now, or (*activatable*) those it would start on demand; asks the
        bus daemon itself, which answers at once."""
        reply = self._connection.call(
            QDBusMessage.createMethodCall(
                "org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus",
                "ListActivatableNames" if activatable else "ListNames",
            ),
            QDBus.CallMode.Block,
            CALL_TIMEOUT_MS,
        )
        if reply.type() != QDBusMessage.MessageType.ReplyMessage:
            return set()
        return set(reply.arguments()[0])

    def follow(self, service: str, on_start: Callable[[], None], on_stop: Callable[[], None]) -> None:
        """Call *on_start* whenever *service* appears on the bus, *on_stop* whenever it goes."""
        watcher = QDBusServiceWatcher(
            service,
            self._connection,
            QDBusServiceWatcher.WatchModeFlag.WatchForRegistration
            | QDBusServiceWatcher.WatchModeFlag.WatchForUnregistration,
            self,
        )

        def started(name: str) -> None:
            if self._open:
                on_start()

        def stopped(name: str) -> None:
            if self._open:
                on_stop()

        watcher.serviceRegistered.connect(started)
        watcher.serviceUnregistered.connect(stopped)

    def call(
        self, where: Endpoint, method: str, arguments: list[Any], on_reply: Reply, on_error: Failure
    ) -> None:
        """Call *method* at *where*; *on_reply* gets the reply's arguments, or *on_error* the error,
        later, on this thread."""
        if not self._open:
            return
        message = QDBusMessage.createMethodCall(*where, method)
        if arguments:
            message.setArguments(arguments)
        watcher = QDBusPendingCallWatcher(self._connection.asyncCall(message, CALL_TIMEOUT_MS), self)
        self._pending.add(watcher)

        def finished(watcher: QDBusPendingCallWatcher) -> None:
            self._pending.discard(watcher)
            watcher.deleteLater()
            if not self._open:
                return
            reply = watcher.reply()
            if reply.type() == QDBusMessage.MessageType.ErrorMessage:
                on_error(f"{reply.errorName()}: {reply.errorMessage()}")
            else:
                on_reply([plain(argument) for argument in reply.arguments()])

        watcher.finished.connect(finished)

    def call_now(self, where: Endpoint, method: str, timeout_ms: int) -> list[Any] | None:
        """Call *method* at *where* and wait up to *timeout_ms* for its reply; None on an error or
        timeout."""
        if not self._open:
            return None
        reply = self._connection.call(
            QDBusMessage.createMethodCall(*where, method), QDBus.CallMode.Block, timeout_ms
        )
        if reply.type() == QDBusMessage.MessageType.ErrorMessage:
            log.debug("presence: %s.%s: %s", where.interface, method, reply.errorMessage())
            return None
        return [plain(argument) for argument in reply.arguments()]

    def get_property(self, where: Endpoint, name: str, on_reply: Reply, on_error: Failure) -> None:
        """Read the property *name* of *where*; *on_reply* gets ``[value]``."""
        self.call(
            Endpoint(where.service, where.path, PROPERTIES),
            "Get",
            [where.interface, name],
            on_reply,
            on_error,
        )

    def subscribe(self, where: Endpoint, signal: str, handler: Reply) -> bool:
        """Call *handler* with the arguments of each *signal* sent from *where*."""
        relay = _Relay(handler, self)
        # PySide6 takes the slot's signature as SLOT() spells it, a str, though its stub says bytes.
        slot: Any = SLOT("deliver(QDBusMessage)")
        if self._connection.connect(where.service, where.path, where.interface, signal, relay, slot):
            return True
        log.info("presence: cannot listen to %s.%s on the %s bus", where.interface, signal, self.what)
        relay.deleteLater()
        return False

    @property
    def is_open(self) -> bool:
        """Whether the bus still hands on replies and signals (until :meth:`close`)."""
        return self._open

    def close(self) -> None:
        """Stop handing on replies and signals, and close the connection (QtDBus closes it when the
        relays and watchers, which hold it, go with this object)."""
        if self._open:
            self._open = False
            QDBusConnection.disconnectFromBus(self._name)
