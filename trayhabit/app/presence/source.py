"""The interface every presence source implements, and how their partial readings merge.

A source knows one or a few things (the idle time, the lock, Do Not Disturb, a full-screen window)
and leaves the rest None. It keeps what it knows up to date from the platform's signals where the
platform sends them; what can only be asked (the idle time, mostly) it asks in :meth:`poll`, which
the monitor calls about once a second, and only while it watches.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from trayhabit.core.presence import Absence, PresenceReading


class SourceUnavailableError(RuntimeError):
    """This source cannot work on this desktop (a library, a service or a display is missing)."""


class PresenceSource(QObject):
    """One platform source of presence.

    Signals:
        changed(): the source saw the state change (input came, the screen unlocked, Do Not
            Disturb went off, the full-screen window went away), from a platform signal or a poll.
        woke(): the system resumed from sleep.
    """

    changed = Signal()
    woke = Signal()

    #: What the log calls this source.
    name = "source"
    #: Whether :meth:`poll` has anything to do (the monitor runs its timer only for such sources).
    polls = False

    def capabilities(self) -> frozenset[Absence]:
        """What this source can tell on this desktop, as far as it knows now."""
        return frozenset()

    def read(self) -> PresenceReading:
        """What the source knows now; quick: a cached answer, a round trip to the local X server or
        a system call, at worst (the idle time over D-Bus, not asked lately) a call bounded to a
        few tens of milliseconds."""
        return PresenceReading()

    def watch(self, on: bool) -> None:
        """The monitor starts (or stops) watching: a polling source takes its baseline here."""

    def poll(self) -> None:
        """Ask again what the platform cannot signal; emits :attr:`changed` when it changed."""

    def close(self) -> None:
        """Let go of what the source holds (connections, registrations)."""


def merge(readings: list[PresenceReading]) -> PresenceReading:
    """One reading from several sources' partial ones, in order of preference: the idle time of the
    first source that tells it; locked, Do Not Disturb and full screen true when any source says so,
    false when some say false and none true, None when none can tell."""

    def any_true(values: list[bool | None]) -> bool | None:
        known = [value for value in values if value is not None]
        return any(known) if known else None

    idle = next((reading.idle_seconds for reading in readings if reading.idle_seconds is not None), None)
    return PresenceReading(
        idle_seconds=idle,
        locked=any_true([reading.locked for reading in readings]),
        do_not_disturb=any_true([reading.do_not_disturb for reading in readings]),
        fullscreen=any_true([reading.fullscreen for reading in readings]),
    )


class IdleTracker:
    """Tells from successive idle times whether input came in between: the moment of the last input
    (now less the idle time) moved on."""

    #: How far the last input's moment may drift between two readings before it counts as new input
    #: (the idle time is told in whole milliseconds, and the readings are not taken at one instant).
    TOLERANCE = 0.1

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_input: float | None = None

    def input_came(self, idle_seconds: float | None, at: float | None = None) -> bool:
        """Whether input came since the idle time before this one (*idle_seconds*, told at *at*,
        which defaults to now)."""
        if idle_seconds is None:
            return False
        last_input = (self._clock() if at is None else at) - idle_seconds
        before, self._last_input = self._last_input, last_input
        return before is not None and last_input > before + self.TOLERANCE

    def reset(self) -> None:
        """Forget the last input (watching starts afresh)."""
        self._last_input = None
