"""A clock that stands still until a test moves it: no test sleeps to wait for time to pass."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, tzinfo


class FakeClock:
    """A :class:`trayhabit.core.clock.Clock` whose time a test sets and advances."""

    def __init__(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = now
        self._tz: tzinfo = now.tzinfo

    @property
    def tz(self) -> tzinfo:
        return self._tz

    def now(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        self._now = now.astimezone(self._tz)

    def advance(self, **delta: float) -> datetime:
        self._now = (self._now + timedelta(**delta)).astimezone(self._tz)
        return self._now

    def wall_ns(self) -> int:
        # The real clock: the file system stamps files with it, whatever time the test has set.
        return time.time_ns()

    def monotonic(self) -> float:
        # The real clock: the waits it measures (a lock held by another process) really pass.
        return time.monotonic()
