"""A presence source that a test sets by hand, in place of the desktop's (see trayhabit.app.holding)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from trayhabit.core.presence import Absence, PresenceReading


class FakePresence(QObject):
    """Says what :attr:`now` says; records each :meth:`reading` and :meth:`watch` call.

    :meth:`set` changes the reading and, while watched, emits ``changed`` as a real source would;
    :meth:`wake` plays the system resuming from sleep.

    Signals:
        changed(): the reading changed while watched.
        woke(): the system resumed from sleep.
    """

    changed = Signal()
    woke = Signal()

    def __init__(self, capabilities: frozenset[Absence] = frozenset(Absence)) -> None:
        super().__init__()
        self.now = PresenceReading(idle_seconds=0.0, locked=False, do_not_disturb=False, fullscreen=False)
        self.readings = 0
        self.watch_calls: list[bool] = []
        self.prepared = 0  # how often the driver asked the sources to get ready
        self.watching = False
        self._capabilities = capabilities

    def reading(self) -> PresenceReading:
        self.readings += 1
        return self.now

    def watch(self, on: bool) -> None:
        self.watch_calls.append(on)
        self.watching = on

    def prepare(self) -> None:
        self.prepared += 1

    def capabilities(self) -> frozenset[Absence]:
        return self._capabilities

    # -- for tests ------------------------------------------------------------------------------------

    def set(self, **fields: Any) -> None:
        """Change the reading (e.g. ``locked=False``); a watching source tells of it."""
        self.now = replace(self.now, **fields)
        if self.watching:
            self.changed.emit()

    def wake(self) -> None:
        """The system resumed from sleep."""
        self.woke.emit()
