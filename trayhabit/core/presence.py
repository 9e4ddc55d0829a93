"""Whether the person is there to see a reminder: what the desktop says of them.

A stub of the core's presence module with only the two types the platform sources in
:mod:`trayhabit.app.presence` produce; the holding policy that reads them is built on another
branch, whose version of this module replaces this one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Absence(StrEnum):
    """Why a reminder is held: the person is away, the screen locked, Do Not Disturb on, or a
    window full screen (presenting)."""

    AWAY = "away"
    LOCKED = "locked"
    DO_NOT_DISTURB = "do_not_disturb"
    FULLSCREEN = "fullscreen"


@dataclass(frozen=True)
class PresenceReading:
    """What the desktop says of the person now; None where no source of this desktop can tell."""

    idle_seconds: float | None = None
    locked: bool | None = None
    do_not_disturb: bool | None = None
    fullscreen: bool | None = None
