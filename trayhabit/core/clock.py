"""Where the time comes from: the ``Clock`` protocol and the system clock.

Everything else in TrayHabit takes ``now`` from a Clock (or as an argument), so tests can move a fake
clock instead of sleeping, and DST or a jump in the system clock is a value, not a global. This is
the only module of the core that reads the time (a test walks the others' code to make sure).
"""

from __future__ import annotations

import os
import time
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class Clock(Protocol):
    """A source of the current time in the user's time zone."""

    @property
    def tz(self) -> tzinfo:
        """The user's time zone; habits' reminder times are wall-clock times in it."""
        ...

    def now(self) -> datetime:
        """The current time, timezone-aware, in :attr:`tz`."""
        ...

    def wall_ns(self) -> int:
        """The system clock in nanoseconds since the epoch, as the file system stamps files with it:
        only to compare with files' modification times, never as the user's time."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back, for deadlines of waits that really pass (a lock
        held by another process)."""
        ...


def wall_ns() -> int:
    """The system clock in nanoseconds since the epoch (see :meth:`Clock.wall_ns`)."""
    return time.time_ns()


def monotonic() -> float:
    """The system's monotonic clock in seconds (see :meth:`Clock.monotonic`)."""
    return time.monotonic()


def system_zone() -> tzinfo:
    """The user's time zone with its DST rules.

    An IANA zone is preferred (``TZ``, then the ``/etc/localtime`` link) because it resolves ambiguous
    and missing wall-clock times exactly; the operating system's rules via dateutil are the fallback
    (Windows, or a system without a zone name).
    """
    # dateutil.tz is imported only when needed: on most systems a zone name is found, and the module
    # (with ctypes, for Windows' registry) would otherwise cost 2 MiB for the app's whole life.
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass  # a POSIX TZ string such as "CET-1CEST": dateutil below understands it
        from dateutil import tz as dateutil_tz

        parsed = dateutil_tz.gettz(name)
        if parsed is not None:
            return parsed
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            try:
                return ZoneInfo(target.split("zoneinfo/", 1)[1])
            except (ZoneInfoNotFoundError, ValueError):
                pass  # an unusual link; the operating system's own rules below still apply
    from dateutil import tz as dateutil_tz

    return dateutil_tz.tzlocal()


class SystemClock:
    """The real clock, in the user's time zone (read once at start-up)."""

    def __init__(self, zone: tzinfo | None = None) -> None:
        self._tz = zone if zone is not None else system_zone()

    @property
    def tz(self) -> tzinfo:
        """The user's time zone."""
        return self._tz

    def now(self) -> datetime:
        """The current time in the user's time zone."""
        return datetime.now(self._tz)

    def wall_ns(self) -> int:
        """The system clock in nanoseconds since the epoch, to compare with files' time stamps."""
        return wall_ns()

    def monotonic(self) -> float:
        """The system's monotonic clock in seconds."""
        return monotonic()
