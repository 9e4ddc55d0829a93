"""What the reminder driver needs of the desktop's presence sources, to hold reminders nobody would see.

:class:`Presence` is the shape of :class:`trayhabit.app.presence.monitor.PresenceMonitor`
(the platform sources: idle time, screen lock, Do Not Disturb, full-screen windows, wake from
sleep). The driver depends on this shape only, so that it runs, and is tested, with a fake; and so
that the application can run without holding on a desktop, or a build, that has no monitor.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import SignalInstance

from trayhabit.core.presence import Absence, PresenceReading


class Presence(Protocol):
    """The desktop's presence sources as one object.

    Signals:
        changed(): while watching, a source saw the state change (input came, the screen was
            unlocked, Do Not Disturb went off, the full-screen window went away).
        woke(): the system resumed from sleep.
    """

    @property
    def changed(self) -> SignalInstance:
        """Emitted while watching when what the desktop says of the person changed."""
        ...

    @property
    def woke(self) -> SignalInstance:
        """Emitted when the system resumed from sleep."""
        ...

    def reading(self) -> PresenceReading:
        """What the desktop says now; quick, and never blocks the UI thread on I/O."""
        ...

    def watch(self, on: bool) -> None:
        """Start or stop watching for the person's return; nothing polls while not watching."""
        ...

    def capabilities(self) -> frozenset[Absence]:
        """What this desktop can tell."""
        ...

    def prepare(self) -> None:
        """Make ready every source (a reminder comes due soon): they ask the desktop now, so that
        their answers are there when it does."""
        ...

    def close(self) -> None:
        """Stop watching and let every source go (the app is quitting)."""
        ...
