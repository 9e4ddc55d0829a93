"""A presence source of one yes-or-no state (the screen locked, Do Not Disturb) that a D-Bus service
signals: asked once when the source starts or its service appears, then kept from the signals."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QTimer

from trayhabit.app.presence.bus import Bus
from trayhabit.app.presence.source import PresenceSource
from trayhabit.core.presence import Absence, PresenceReading

log = logging.getLogger(__name__)


class FlagSource(PresenceSource):
    """A source of one yes-or-no state (locked, Do Not Disturb) that a service signals.

    Subclasses subscribe to the signal and implement :meth:`_ask`, which reads the state now.
    """

    #: What the flag tells.
    absence = Absence.LOCKED

    def __init__(self, bus: Bus, service: str, running: bool) -> None:
        super().__init__()
        self._bus = bus
        self._flag: bool | None = None
        # None until the service first answers: only then is it known to tell.
        self._available: bool | None = None
        bus.follow(service, self._ask, self._on_service_gone)
        if running:
            # After the subclass has subscribed: a change between the answer and the subscription
            # would be lost.
            QTimer.singleShot(0, self, self._ask)

    def capabilities(self) -> frozenset[Absence]:
        return frozenset({self.absence}) if self._available else frozenset()

    def read(self) -> PresenceReading:
        if self.absence is Absence.LOCKED:
            return PresenceReading(locked=self._flag)
        return PresenceReading(do_not_disturb=self._flag)

    def close(self) -> None:
        self._bus.close()

    def _ask(self) -> None:
        raise NotImplementedError

    def _set(self, value: Any) -> None:
        self._available = True
        flag = bool(value)
        before, self._flag = self._flag, flag
        if before is not None and before != flag:
            log.info("presence: %s says %s is %s", self.name, self.absence, "on" if flag else "off")
            self.changed.emit()

    def _unavailable(self, error: str) -> None:
        log.info("presence: %s cannot tell (%s)", self.name, error)
        self._available = False
        self._flag = None

    def _on_service_gone(self) -> None:
        was_on, self._flag = self._flag, None
        if was_on:
            self.changed.emit()  # nothing holds a reminder any more on its word
