"""What the store repaired, as values the command line and the app each put in their own words.

The store finds a file damaged or missing while it opens or reloads (before the user's language may
even be known), so it records a :class:`Repair` and leaves the wording to the moment it is shown:
one line on the command line, a window of its own in the app (what happened, what was restored from
when, where the damaged copy is, and a button that opens that folder).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from trayhabit.core.i18n import _


class RepairKind(StrEnum):
    """What was done about one file."""

    #: Damaged: moved aside, and its newest good backup restored.
    RESTORED = "restored"
    #: Damaged with no good backup: what could be read was kept, the rest set aside.
    SALVAGED = "salvaged"
    #: Missing: its newest good backup restored.
    MISSING_RESTORED = "missing-restored"
    #: The main file missing with no backup, while check-offs were there: a new one started.
    MISSING_STARTED = "missing-started"


@dataclass(frozen=True)
class Repair:
    """One file the store repaired; :meth:`message` says it in the user's language."""

    kind: RepairKind
    #: The file, relative to the data folder ("trayhabit.json", "events/2026-11.json").
    file: str
    #: The data folder.
    folder: Path
    #: Why the file counted as damaged, as the end of a sentence ("it is not valid JSON").
    reason: str = ""
    #: Where the damaged file was moved (never deleted).
    aside: Path | None = None
    #: When the restored backup was taken (aware).
    restored_from: datetime | None = None
    #: What was set aside, one description each ("habit 3 (“Gym”): its schedule is not a rule").
    set_aside: tuple[str, ...] = field(default_factory=tuple)
    #: The damaged copy held this many habits the restored file lacks (0 when it could not be read).
    habits_lost: int = 0
    #: Salvaged: how many documents (habits, settings, events) of the damaged file were kept.
    kept: int = 0

    @property
    def shown_folder(self) -> Path:
        """The folder to open for the user: where the damaged copy lies, else the data folder."""
        return self.aside.parent if self.aside is not None else self.folder

    def message(self) -> str:
        """The repair in one paragraph in the user's language, times in local time."""
        when = _local(self.restored_from) if self.restored_from is not None else ""
        aside = str(self.aside) if self.aside is not None else ""
        if self.kind is RepairKind.MISSING_RESTORED:
            return _("{file} was missing; TrayHabit restored it as it was saved at {time}.").format(
                file=self.file, time=when
            )
        if self.kind is RepairKind.MISSING_STARTED:
            return _(
                "{file} was missing and had no backup; TrayHabit started a new one and kept your check-offs."
            ).format(file=self.file)
        if self.kind is RepairKind.RESTORED:
            text = _(
                "{file} was damaged ({reason}). TrayHabit restored it as it was saved at {time}; "
                "the damaged copy is {aside}."
            ).format(file=self.file, reason=self.reason, time=when, aside=aside)
            if self.habits_lost:
                text += " " + _(
                    "Habits that the restored file lacks seem to be in the damaged copy (count: {n}); it is "
                    "kept so that nothing is lost."
                ).format(n=self.habits_lost)
            return text
        if not self.kept:
            return _(
                "{file} was damaged ({reason}) and had no good backup. Nothing in it could be read; "
                "it was moved to {aside}, and TrayHabit goes on without it."
            ).format(file=self.file, reason=self.reason, aside=aside)
        return _(
            "{file} was damaged ({reason}) and had no good backup. TrayHabit kept everything it could "
            "read and set aside the rest ({count}): {items}. The damaged copy is {aside}."
        ).format(
            file=self.file,
            reason=self.reason,
            count=len(self.set_aside),
            items="; ".join(self.set_aside[:_LISTED]) + ("; …" if len(self.set_aside) > _LISTED else ""),
            aside=aside,
        )


# A message lists this many set-aside items at most; the log has all of them.
_LISTED = 5


def _local(moment: datetime) -> str:
    """An instant as a local date and time, the way every TrayHabit message writes it."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
