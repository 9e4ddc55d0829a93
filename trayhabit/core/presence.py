"""Whether the person is there to see a reminder: the holding policy, without Qt or a clock.

A reminder that comes due while the person is away from the keyboard, the screen is locked, Do Not
Disturb is on or a window is full screen reminds nobody: it is *held* (DESIGN section 2), recorded
as such, and shown when the person is back. The platform sources in :mod:`trayhabit.app.presence`
say what the desktop knows (a :class:`PresenceReading`, None where it cannot tell); this module
decides, from that reading and the settings, whether to hold and why (:func:`hold_reason`). What a
desktop cannot tell never holds a reminder: better a reminder on an empty desk than none at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from trayhabit.core.settings import Settings


class Absence(StrEnum):
    """Why a reminder is held: the person is away, the screen locked, Do Not Disturb on, or a
    window full screen (presenting). The value is what a ``held`` event records as its reason."""

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


@dataclass(frozen=True)
class HoldRules:
    """The settings that say when to hold a reminder (a locked screen always holds one)."""

    # Minutes without keyboard or mouse input after which the person counts as away; 0: never.
    away_minutes: int = 5
    during_do_not_disturb: bool = True
    while_fullscreen: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> HoldRules:
        """The rules in force."""
        return cls(
            away_minutes=settings.away_minutes,
            during_do_not_disturb=settings.hold_during_do_not_disturb,
            while_fullscreen=settings.hold_while_fullscreen,
        )

    def asks(self) -> frozenset[Absence]:
        """The absences these rules hold reminders for."""
        wanted = {Absence.LOCKED}
        if self.away_minutes > 0:
            wanted.add(Absence.AWAY)
        if self.during_do_not_disturb:
            wanted.add(Absence.DO_NOT_DISTURB)
        if self.while_fullscreen:
            wanted.add(Absence.FULLSCREEN)
        return frozenset(wanted)


def hold_reason(reading: PresenceReading, rules: HoldRules) -> Absence | None:
    """Why a reminder due now should be held, or None to show it.

    When several reasons hold at once, the one named is the strongest: a locked screen, then no
    input, then Do Not Disturb, then a full-screen window.
    """
    if reading.locked:
        return Absence.LOCKED
    idle = reading.idle_seconds
    if rules.away_minutes > 0 and idle is not None and idle >= rules.away_minutes * 60:
        return Absence.AWAY
    if rules.during_do_not_disturb and reading.do_not_disturb:
        return Absence.DO_NOT_DISTURB
    if rules.while_fullscreen and reading.fullscreen:
        return Absence.FULLSCREEN
    return None
