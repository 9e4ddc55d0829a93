"""The domain's values: habits, schedules, events, occurrences and their outcomes.

All are frozen dataclasses. Each stored value has ``to_doc``/``from_doc`` for the JSON store; the keys
written there are part of the file format (exports and other machines read them), so change them only
with a schema migration.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any


class State(StrEnum):
    """Where a habit stands: its reminder on, retired, or the habit put away."""

    LEARNING = "learning"
    GRADUATED = "graduated"
    ARCHIVED = "archived"


class Outcome(StrEnum):
    """How an occurrence was settled (DESIGN section 2)."""

    PREEMPTIVE = "preemptive"
    REMINDED = "reminded"
    LATE = "late"
    MISSED = "missed"
    SKIPPED = "skipped"


class EventKind(StrEnum):
    """What an event records. Events are never changed or deleted; an undo is an event of its own."""

    DONE = "done"  # the user checked the occurrence off
    SKIP = "skip"  # the user said the occurrence does not apply
    UNDO = "undo"  # takes back the done or skip named by ``target``
    FIRED = "fired"  # the reminder was shown (a later check-off is then "reminded")
    BEATEN = "beaten"  # the reminder was due but suppressed, since the occurrence was already done
    # The reminder came due while the person was not there to see it (away, the screen locked, Do Not
    # Disturb, a full-screen window; ``reason`` says which) and waits for them: a check-off before it
    # is shown still counts as before the reminder.
    HELD = "held"
    NOTE = "note"  # a note on the check-off named by ``target``, added after it (the latest one counts)


#: The longest name a new or renamed habit may have (names read from a file are held to
#: trayhabit.core.limits.MAX_NAME).
MAX_NAME_LENGTH = 120

#: The fields of a habit's document (see Habit.to_doc), in the order written.
HABIT_FIELDS = (
    "id",
    "name",
    "why",
    "rrule",
    "at",
    "start",
    "state",
    "state_reason",
    "state_changed_at",
    "created_at",
    "updated_at",
    "deleted_at",
    "updated_by",
    "graduated_score",  # written only while set
    "position",  # written only while set: the person's order of the habits (see Habit.position)
    "position_at",  # written only while set: when the position was last set (see Habit.position_at)
)
#: The fields of an event's document (see Event.to_doc), in the order written.
EVENT_FIELDS = ("id", "habit_id", "kind", "at", "recorded_at", "occurrence", "target", "device")
#: A field an event's document has only when set: the note on a check-off (see Event.note).
EVENT_NOTE = "note"
#: A field an event's document has only when set: why a reminder was held (see Event.reason).
EVENT_REASON = "reason"


@dataclass(frozen=True)
class Schedule:
    """When a habit recurs: an RRULE over dates, one reminder time, and a first day.

    ``rrule`` is the canonical RFC 5545 rule without DTSTART and without time parts (BYHOUR and
    friends are folded into ``at`` when a habit is created), e.g. ``FREQ=WEEKLY;BYDAY=MO``.
    """

    rrule: str
    at: time
    start: date


@dataclass(frozen=True)
class Habit:
    """A behaviour the user wants to make automatic, and its reminder."""

    id: str
    name: str
    schedule: Schedule
    why: str = ""
    state: State = State.LEARNING
    # Why the state last changed, in the user's language (e.g. the relapse reason), and when.
    state_reason: str = ""
    state_changed_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None
    # The device (store) that made the last change: breaks ties between stores merged by updated_at.
    updated_by: str = ""
    # The score when the reminder was retired (graduated habits only): a relapse by score needs the
    # score to fall below it, so a reminder retired early on request is not handed back at once.
    graduated_score: float | None = None
    # Where the person put the habit in their lists (lower first); None until they reorder, and then
    # the habit comes after those that have one, in the order it was added. It travels by sync in the
    # habit's document but is merged on its own, by *position_at* (see trayhabit.core.lww): a new
    # order made on one computer must not undo a rename made on another before they synced.
    position: float | None = None
    position_at: datetime | None = None

    @property
    def is_active(self) -> bool:
        """Whether the habit is tracked (learning or graduated) and not deleted."""
        return self.deleted_at is None and self.state is not State.ARCHIVED

    def with_changes(self, **changes: Any) -> Habit:
        """A copy with *changes* applied."""
        return replace(self, **changes)

    def to_doc(self) -> dict[str, Any]:
        """The habit as a JSON document for the store."""
        return {
            "id": self.id,
            "name": self.name,
            "why": self.why,
            "rrule": self.schedule.rrule,
            "at": self.schedule.at.isoformat(),
            "start": self.schedule.start.isoformat(),
            "state": self.state.value,
            "state_reason": self.state_reason,
            "state_changed_at": _iso(self.state_changed_at),
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
            "deleted_at": _iso(self.deleted_at),
            "updated_by": self.updated_by,
            # Only when set: a document without it reads as before (older versions, other computers).
            **({"graduated_score": self.graduated_score} if self.graduated_score is not None else {}),
            **({"position": self.position} if self.position is not None else {}),
            **({"position_at": _iso(self.position_at)} if self.position_at is not None else {}),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Habit:
        """Read a habit written by :meth:`to_doc`."""
        return cls(
            id=doc["id"],
            name=doc["name"],
            why=doc.get("why", ""),
            schedule=Schedule(
                rrule=doc["rrule"], at=time.fromisoformat(doc["at"]), start=date.fromisoformat(doc["start"])
            ),
            state=State(doc.get("state", State.LEARNING.value)),
            state_reason=doc.get("state_reason", ""),
            state_changed_at=_parse_iso(doc.get("state_changed_at")),
            created_at=_parse_iso(doc.get("created_at")),
            updated_at=_parse_iso(doc.get("updated_at")),
            deleted_at=_parse_iso(doc.get("deleted_at")),
            updated_by=doc.get("updated_by", ""),
            graduated_score=_parse_score(doc.get("graduated_score")),
            position=_parse_score(doc.get("position")),
            position_at=_parse_iso(doc.get("position_at")),
        )


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened to a habit, with a unique id so that stores can be merged.

    ``at`` is when it happened (for a back-filled check-off, the time the user gives); ``recorded_at``
    is when TrayHabit learnt of it. ``occurrence`` is the local date of the reminder the event belongs
    to (done, skip, fired, beaten, note); ``target`` is the event an undo takes back, or the check-off
    a note is about. ``note`` is the person's short note on a check-off ("called Acme"): given with
    the check-off, or added later as a note event of its own (events never change). ``reason`` says
    why a held reminder was held (a :class:`trayhabit.core.presence.Absence` value).
    """

    id: str
    habit_id: str
    kind: EventKind
    at: datetime
    recorded_at: datetime
    occurrence: date | None = None
    target: str | None = None
    device: str = ""
    note: str = ""
    reason: str = ""

    def to_doc(self) -> dict[str, Any]:
        """The event as a JSON document for the store (``note`` only when set, or for a note event;
        ``reason`` only when set)."""
        doc: dict[str, Any] = {
            "id": self.id,
            "habit_id": self.habit_id,
            "kind": self.kind.value,
            "at": self.at.isoformat(),
            "recorded_at": self.recorded_at.isoformat(),
            "occurrence": self.occurrence.isoformat() if self.occurrence else None,
            "target": self.target,
            "device": self.device,
        }
        if self.note or self.kind is EventKind.NOTE:
            doc[EVENT_NOTE] = self.note
        if self.reason:
            doc[EVENT_REASON] = self.reason
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Event:
        """Read an event written by :meth:`to_doc`."""
        occurrence = doc.get("occurrence")
        return cls(
            id=doc["id"],
            habit_id=doc["habit_id"],
            kind=EventKind(doc["kind"]),
            at=datetime.fromisoformat(doc["at"]),
            recorded_at=datetime.fromisoformat(doc["recorded_at"]),
            occurrence=date.fromisoformat(occurrence) if occurrence else None,
            target=doc.get("target"),
            device=doc.get("device", ""),
            note=doc.get(EVENT_NOTE) or "",
            reason=doc.get(EVENT_REASON) or "",
        )


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One expected instance of a habit: its reminder time and its check-off window.

    The window is ``[opens, closes)``. ``key``, the date the schedule gives the reminder (its
    wall-clock date), identifies the occurrence in events: a habit has at most one reminder a day.
    The instants are in UTC, so that they compare correctly across DST changes; show them with
    ``astimezone(zone)``.
    """

    key: date
    reminder: datetime
    opens: datetime
    closes: datetime

    def holds(self, instant: datetime) -> bool:
        """Whether *instant* lies inside this occurrence's window."""
        return self.opens <= instant < self.closes


@dataclass(frozen=True, slots=True)
class Settled:
    """An occurrence with its outcome (None while it is open and unchecked) and the deciding event."""

    occurrence: Occurrence
    outcome: Outcome | None
    event: Event | None = None
    reminder_fired: bool = False
    # The reminder came due while the person was not there and was held (see EventKind.HELD).
    reminder_held: bool = False
    # The reminder came due after the occurrence was checked off, and that was recorded.
    reminder_beaten: bool = False
    # A skip beyond the allowance counts as missed; this says so, for the explanation.
    skip_over_cap: bool = False


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _parse_score(value: Any) -> float | None:
    # A bool is an int to Python, but no number; validate.check_habit refuses anything else.
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
