"""logind on the system bus: the session's ``LockedHint`` (the screen locked), and
``PrepareForSleep(false)``, the system waking up.

The one source the app starts with (see :func:`trayhabit.app.presence.monitor.make_monitor`): a
reminder that came due during sleep must show within seconds of waking, so the wake is listened for
all day, while the others are made when a reminder first comes due.
"""

from __future__ import annotations

from typing import Any

from trayhabit.app.presence.bus import PROPERTIES, Bus, Endpoint
from trayhabit.app.presence.flag import FlagSource, log
from trayhabit.app.presence.source import PresenceSource, SourceUnavailableError


class LogindSource(FlagSource):
    """logind on the system bus: the session's ``LockedHint``, and ``PrepareForSleep(false)`` (woke)."""

    name = "logind"
    service = "org.freedesktop.login1"
    _manager = Endpoint(service, "/org/freedesktop/login1", "org.freedesktop.login1.Manager")
    _session = "org.freedesktop.login1.Session"

    def __init__(self, bus: Bus, running: bool = True) -> None:
        self._session_at: Endpoint | None = None
        super().__init__(bus, self._manager.service, running)
        bus.subscribe(self._manager, "PrepareForSleep", self._on_bus_sleep)

    def _ask(self) -> None:
        if self._session_at is not None:
            self._bus.get_property(
                self._session_at, "LockedHint", lambda reply: self._set(reply[0]), self._unavailable
            )
            return
        # logind signals on the session's own path, which "auto" (the caller's session) is not: ask
        # the session's id, then its path. (GetSessionByPID would need an unsigned argument, which
        # QtDBus cannot be given from Python.)
        self._bus.get_property(
            Endpoint(self._manager.service, "/org/freedesktop/login1/session/auto", self._session),
            "Id",
            self._on_session_id,
            self._unavailable,
        )

    def _on_bus_sleep(self, arguments: list[Any]) -> None:
        if arguments and not arguments[0]:
            self.woke.emit()

    def _on_session_id(self, reply: list[Any]) -> None:
        self._bus.call(self._manager, "GetSession", [str(reply[0])], self._on_session_path, self._unavailable)

    def _on_session_path(self, reply: list[Any]) -> None:
        self._session_at = Endpoint(self._manager.service, str(reply[0]), self._session)
        self._bus.subscribe(
            self._session_at._replace(interface=PROPERTIES),
            "PropertiesChanged",
            self._on_bus_properties_changed,
        )
        self._ask()

    def _on_bus_properties_changed(self, arguments: list[Any]) -> None:
        if arguments and arguments[0] == self._session:
            self._ask()


def logind_sources() -> list[PresenceSource]:
    """logind on the system bus, where it is."""
    try:
        system = Bus.system()
    except SourceUnavailableError as error:
        log.info("presence: %s", error)
        return []
    # logind is always running where it is there at all; activating it is harmless.
    if LogindSource.service in system.names() | system.names(activatable=True):
        return [LogindSource(system)]
    system.close()
    return []
