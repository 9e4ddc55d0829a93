"""Presence from the freedesktop desktops' D-Bus services: lock, idle time, Do Not Disturb, sleep.

Session bus: the screen saver (``org.freedesktop.ScreenSaver`` on KDE and others,
``org.gnome.ScreenSaver`` on GNOME: ``GetActive`` and ``ActiveChanged``); the idle time on Wayland,
where the X server cannot tell it (``org.gnome.Mutter.IdleMonitor.GetIdletime`` on GNOME,
``org.freedesktop.ScreenSaver.GetSessionIdleTime`` on KDE); Do Not Disturb as the notification
server's ``Inhibited`` property (KDE, and servers that follow the 1.3 notification spec), or GNOME's
``show-banners`` setting read through the settings portal. (The system bus's logind, the session's
``LockedHint`` and waking, is in :mod:`trayhabit.app.presence.logind`.)

The lock, Do Not Disturb and sleep are signalled: each source asks once when it starts (or when its
service appears on the bus) and then keeps its answer from the signals. A service that does not
answer (not there, or without the method or property) makes its source say it cannot tell; one that
leaves the bus leaves its state unknown. No source starts a service that is not running: asking the
notification server would start one the bus can activate, and take the name from the one a user or
a test is about to start.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from trayhabit.app.presence.bus import PROPERTIES, Bus, Endpoint
from trayhabit.app.presence.flag import FlagSource
from trayhabit.app.presence.source import IdleTracker, PresenceSource, SourceUnavailableError
from trayhabit.core.presence import Absence, PresenceReading

log = logging.getLogger(__name__)

#: A cached idle time this fresh is extrapolated (the watch's poll keeps it so); an older one is asked.
FRESH_SECONDS = 2.5
#: How long reading the idle time may wait for the desktop's answer when it was not asked lately.
IDLE_CALL_MS = 25


class ScreenSaverSource(FlagSource):
    """The screen lock from a screen saver service (``GetActive``, ``ActiveChanged``)."""

    def __init__(self, bus: Bus, service: str, path: str, running: bool = True) -> None:
        self._where = Endpoint(service, path, service)
        super().__init__(bus, service, running)
        self.name = service
        bus.subscribe(self._where, "ActiveChanged", self._on_bus_active_changed)

    def _ask(self) -> None:
        self._bus.call(self._where, "GetActive", [], lambda reply: self._set(reply[0]), self._unavailable)

    def _on_bus_active_changed(self, arguments: list[Any]) -> None:
        self._set(arguments[0])


class NotificationInhibitedSource(FlagSource):
    """Do Not Disturb as the notification server's ``Inhibited`` property."""

    absence = Absence.DO_NOT_DISTURB
    name = "org.freedesktop.Notifications"
    _where = Endpoint(name, "/org/freedesktop/Notifications", name)

    def __init__(self, bus: Bus, running: bool = True) -> None:
        super().__init__(bus, self._where.service, running)
        bus.subscribe(
            self._where._replace(interface=PROPERTIES), "PropertiesChanged", self._on_bus_properties_changed
        )

    def _ask(self) -> None:
        self._bus.get_property(self._where, "Inhibited", lambda reply: self._set(reply[0]), self._unavailable)

    def _on_bus_properties_changed(self, arguments: list[Any]) -> None:
        # The changed values come as a map QtDBus leaves packed; asking again is simpler and as quick.
        if arguments and arguments[0] == self.name:
            self._ask()


class PortalBannersSource(FlagSource):
    """Do Not Disturb as GNOME's ``show-banners`` setting being off, read through the settings portal."""

    absence = Absence.DO_NOT_DISTURB
    name = "the settings portal (show-banners)"
    service = "org.freedesktop.portal.Desktop"
    _where = Endpoint(service, "/org/freedesktop/portal/desktop", "org.freedesktop.portal.Settings")
    _namespace = "org.gnome.desktop.notifications"
    _key = "show-banners"

    def __init__(self, bus: Bus, running: bool = True) -> None:
        super().__init__(bus, self.service, running)
        bus.subscribe(self._where, "SettingChanged", self._on_bus_setting_changed)

    def _ask(self) -> None:
        self._bus.call(
            self._where,
            "Read",
            [self._namespace, self._key],
            lambda reply: self._set(not reply[0]),
            self._unavailable,
        )

    def _on_bus_setting_changed(self, arguments: list[Any]) -> None:
        namespace, key, value = arguments[:3]
        if (namespace, key) == (self._namespace, self._key):
            self._set(not value)


class DBusIdleSource(PresenceSource):
    """The idle time from a desktop service (in milliseconds), for Wayland sessions.

    It is a call to another process, so it is not made on each reading: while the monitor watches,
    :meth:`poll` asks asynchronously about once a second and a reading extrapolates the last answer;
    otherwise (a reminder has just come due) a reading asks at once and waits at most
    ``IDLE_CALL_MS`` for the answer.
    """

    polls = True

    def __init__(self, bus: Bus, where: Endpoint, method: str) -> None:
        super().__init__()
        self.name = f"{where.interface}.{method}"
        self._bus = bus
        self._where = where
        self._method = method
        self._available: bool | None = None  # None until the service first answers
        self._known: tuple[float, float] | None = None  # idle seconds, and when they were told
        self._idle = IdleTracker()
        bus.call(where, method, [], self._on_reply, self._unavailable)

    def capabilities(self) -> frozenset[Absence]:
        return frozenset({Absence.AWAY}) if self._available else frozenset()

    def read(self) -> PresenceReading:
        if self._available is False:
            return PresenceReading()
        now = time.monotonic()
        if self._known is None or now - self._known[1] > FRESH_SECONDS:
            reply = self._bus.call_now(self._where, self._method, IDLE_CALL_MS)
            if reply is None:
                return PresenceReading()
            self._known = (int(reply[0]) / 1000, time.monotonic())
        idle, told = self._known
        return PresenceReading(idle_seconds=idle + (time.monotonic() - told))

    def watch(self, on: bool) -> None:
        self._idle.reset()
        if on:
            self.poll()

    def poll(self) -> None:
        if self._available is not False:
            self._bus.call(self._where, self._method, [], self._on_reply, self._unavailable)

    def close(self) -> None:
        self._bus.close()

    def _on_reply(self, reply: list[Any]) -> None:
        self._available = True
        idle = int(reply[0]) / 1000
        self._known = (idle, time.monotonic())
        if self._idle.input_came(idle):
            self.changed.emit()

    def _unavailable(self, error: str) -> None:
        log.info("presence: %s cannot tell the idle time (%s)", self.name, error)
        self._available = False


SCREEN_SAVERS = (
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
)
IDLE_SERVICES = (
    (
        Endpoint(
            "org.gnome.Mutter.IdleMonitor",
            "/org/gnome/Mutter/IdleMonitor/Core",
            "org.gnome.Mutter.IdleMonitor",
        ),
        "GetIdletime",
    ),
    (
        Endpoint(
            "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"
        ),
        "GetSessionIdleTime",
    ),
)


def session_sources(idle: bool = True) -> list[PresenceSource]:
    """The session bus's sources: the screen savers, the notification server's Do Not Disturb, the
    settings portal's banners; with *idle*, the desktop's idle time."""
    sources: list[PresenceSource] = []
    try:
        session = Bus.session()
    except SourceUnavailableError as error:
        log.info("presence: %s", error)
        return sources
    running = session.names()
    if idle:
        sources += [
            DBusIdleSource(session, where, method)
            for where, method in IDLE_SERVICES
            if where.service in running
        ][:1]
    # The others also when their service is not running yet: it may start later (a
    # notification server often does), and following it costs a match rule on the bus.
    sources += [
        ScreenSaverSource(session, service, path, service in running) for service, path in SCREEN_SAVERS
    ]
    sources.append(NotificationInhibitedSource(session, NotificationInhibitedSource.name in running))
    sources.append(PortalBannersSource(session, PortalBannersSource.service in running))
    return sources
