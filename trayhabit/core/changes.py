"""What a use case changed, said precisely enough that a view redraws exactly that.

Every write in :mod:`trayhabit.core.service` returns a :class:`Change`. Besides what the command line
prints (the habit, the event, the outcome), it names the habits it touched and what of them changed:
their definitions (name, schedule, state: what a list or a menu shows), their events (what their
scores are computed from), and which settings. A view that shows one habit's score redraws when the
change touches that habit's events, or changes a setting every score depends on; it ignores the rest.

A change whose scope is not known (another process wrote the store, a whole store was imported)
says ``everything``; views then redraw it all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from trayhabit.core.model import Event, Habit, Outcome
from trayhabit.core.settings import SPECS

#: Settings every score depends on: a change of one re-scores every habit. They are the settings
#: shared between computers, and for the same reason: every score must agree on them.
SCORE_SETTINGS = frozenset(key for key, spec in SPECS.items() if spec.shared)


class ChangeKind(StrEnum):
    """What a use case did, as the command line reports it."""

    ADDED = "added"
    UPDATED = "updated"
    CHECKED_OFF = "checked_off"
    SKIPPED = "skipped"
    UNDONE = "undone"
    GRADUATED = "graduated"
    RELAPSED = "relapsed"
    REMOVED = "removed"
    ARCHIVED = "archived"
    RESTORED = "restored"
    REORDERED = "reordered"
    NOTED = "noted"
    REMINDER_RECORDED = "reminder_recorded"
    SETTINGS = "settings"
    IMPORTED = "imported"
    SYNCED = "synced"
    RELOADED = "reloaded"
    # Not a write: the app's worker finished walking the histories of ``habit_ids``, whose reports
    # waited for it (a new schedule on a long habit, a first sync), and their scores are in.
    SCORED = "scored"


# The kinds that change a habit's definition (what lists and menus show) and those that record an event.
# Not RELAPSED: its habits are in ``relapsed``, which sets ``definitions`` when there are any, so that
# a check for relapses that found none is an empty change.
_DEFINITION_KINDS = frozenset(
    {
        ChangeKind.ADDED,
        ChangeKind.UPDATED,
        ChangeKind.GRADUATED,
        ChangeKind.REMOVED,
        ChangeKind.ARCHIVED,
        ChangeKind.RESTORED,
        ChangeKind.REORDERED,
    }
)
_EVENT_KINDS = frozenset(
    {
        ChangeKind.CHECKED_OFF,
        ChangeKind.SKIPPED,
        ChangeKind.UNDONE,
        ChangeKind.NOTED,
        ChangeKind.REMINDER_RECORDED,
        ChangeKind.SCORED,
    }
)


@dataclass(frozen=True)
class Change:
    """What one use case changed.

    ``habit``, ``event``, ``outcome``, ``over_skip_cap``, ``undone`` and ``counts`` are what the
    command line reports. ``habit_ids``, ``definitions``, ``events``, ``settings``, ``relapsed`` and
    ``everything`` say what to redraw; for a change of one habit they follow from ``kind`` and
    ``habit`` unless given.
    """

    kind: ChangeKind
    habit: Habit | None = None
    event: Event | None = None
    outcome: Outcome | None = None
    # For a skip beyond the allowance, which counts as missed.
    over_skip_cap: bool = False
    # For an undo: the event it took back.
    undone: Event | None = None
    # For an import or a sync: how many habits, events and settings it brought.
    counts: dict[str, int] | None = None
    # The habits whose definition, state or events changed.
    habit_ids: frozenset[str] = frozenset()
    # Whether a habit was added, edited, removed or changed state (lists and menus redraw).
    definitions: bool = False
    # Whether events were recorded, or the habits' scores computed anew (the scores of ``habit_ids``
    # change).
    events: bool = False
    # The keys of the settings that changed.
    settings: frozenset[str] = frozenset()
    # Graduated habits that got their reminder back in the same write, each said to the user once.
    relapsed: tuple[Habit, ...] = field(default=())
    # The scope is unknown (another process wrote the store): every view redraws everything.
    everything: bool = False

    def __post_init__(self) -> None:
        if self.habit is not None and not self.habit_ids:
            object.__setattr__(self, "habit_ids", frozenset({self.habit.id}))
        if self.kind in _DEFINITION_KINDS:
            object.__setattr__(self, "definitions", True)
        if self.kind in _EVENT_KINDS:
            object.__setattr__(self, "events", True)
        if self.relapsed:
            object.__setattr__(self, "definitions", True)
            object.__setattr__(
                self, "habit_ids", self.habit_ids | frozenset(habit.id for habit in self.relapsed)
            )

    @classmethod
    def of_everything(cls, kind: ChangeKind = ChangeKind.RELOADED) -> Change:
        """A change whose scope is unknown: every habit, its events and every setting."""
        return cls(kind, definitions=True, events=True, everything=True)

    @property
    def rescores_all(self) -> bool:
        """Whether every habit's score must be computed again (a score setting, or everything)."""
        return self.everything or bool(self.settings & SCORE_SETTINGS)

    def touches(self, habit_id: str) -> bool:
        """Whether this change may alter what is shown of the habit *habit_id*."""
        return self.everything or habit_id in self.habit_ids or self.rescores_all

    def with_relapses(self, relapsed: Iterable[Habit]) -> Change:
        """This change, with the relapses its write made due."""
        habits = tuple(relapsed)
        return self if not habits else replace(self, relapsed=self.relapsed + habits)

    def merged(self, other: Change) -> Change:
        """One change that redraws what either did (the first one's report fields are kept)."""
        return replace(
            self,
            habit_ids=self.habit_ids | other.habit_ids,
            definitions=self.definitions or other.definitions,
            events=self.events or other.events,
            settings=self.settings | other.settings,
            relapsed=self.relapsed + other.relapsed,
            everything=self.everything or other.everything,
        )

    @property
    def is_empty(self) -> bool:
        """Whether nothing changed at all (a sync that found nothing new, say)."""
        return not (self.habit_ids or self.definitions or self.events or self.settings or self.everything)
