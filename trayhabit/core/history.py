"""How each occurrence of a habit was settled, from its events.

Events are facts (done, skip, undo, fired, held); this module turns them into one :class:`Settled`
per occurrence whose window has opened, following DESIGN section 2: a check-off is ``preemptive``
before the reminder (and before any reminder fired), or after it while the reminder was held and not
yet shown (nobody was reminded); ``reminded`` after it while the window is open, ``late`` when it was
recorded after the window closed; a window that closes with nothing recorded is ``missed``; a skip
beyond the allowance counts as missed.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from trayhabit.core.checkpoint import Checkpoint
from trayhabit.core.model import Event, EventKind, Occurrence, Outcome, Settled
from trayhabit.core.schedule import Timeline

_MARKS = (EventKind.DONE, EventKind.SKIP)


def undone_ids(events: Iterable[Event]) -> set[str]:
    """Ids of the events that an undo took back."""
    return {event.target for event in events if event.kind is EventKind.UNDO and event.target}


def active_marks(events: Iterable[Event]) -> list[Event]:
    """The done and skip events still in force (not undone), oldest recorded first."""
    events = list(events)
    undone = undone_ids(events)
    marks = [event for event in events if event.kind in _MARKS and event.id not in undone]
    return sorted(marks, key=lambda event: (event.recorded_at, event.id))


def latest_mark(events: Iterable[Event]) -> Event | None:
    """The check-off or skip that an undo would take back: the latest one still in force."""
    marks = active_marks(events)
    return marks[-1] if marks else None


def latest_settled_mark(settled: Iterable[Settled]) -> Settled | None:
    """The settled occurrence whose check-off or skip an undo would take back, by the rule of
    :func:`latest_mark` (the one recorded last), for a caller that holds a report, not events."""
    marked = [
        (entry.event.recorded_at.astimezone(UTC), entry.event.id, entry) for entry in settled if entry.event
    ]
    # In UTC, since two local times that share a zone compare by wall clock, wrong across DST.
    return max(marked, key=lambda mark: mark[:2])[2] if marked else None


def notes_by_occurrence(events: Iterable[Event]) -> dict[date, str]:
    """The note on each occurrence's check-off still in force, by occurrence key.

    A check-off carries the note given with it; a note event added later about it (``target``)
    replaces that, the one recorded last winning, so merged stores agree. A note on a check-off
    that was taken back goes with it; an empty note removes one.
    """
    events = list(events)
    later: dict[str, Event] = {}
    for event in sorted(events, key=lambda event: (event.recorded_at, event.id)):
        if event.kind is EventKind.NOTE and event.target:
            later[event.target] = event
    notes: dict[date, str] = {}
    for mark in active_marks(events):  # oldest first: the mark recorded last holds its occurrence
        if mark.occurrence is None:
            continue
        noted = later.get(mark.id)
        note = noted.note if noted is not None else mark.note if mark.kind is EventKind.DONE else ""
        if note:
            notes[mark.occurrence] = note
        else:
            notes.pop(mark.occurrence, None)
    return notes


def latest_check_off(events: Iterable[Event], occurrence: date | None = None) -> Event | None:
    """The check-off a note is about: the latest still in force (of *occurrence*, if given)."""
    marks = [
        mark
        for mark in active_marks(events)
        if mark.kind is EventKind.DONE and (occurrence is None or mark.occurrence == occurrence)
    ]
    return marks[-1] if marks else None


@dataclass(frozen=True)
class History:
    """The settled occurrences in order, and the occurrence whose window is open now."""

    settled: list[Settled]
    # The open occurrence: settled already if checked off or skipped, else with outcome None.
    current: Settled | None


def build_history(
    timeline: Timeline,
    events: Iterable[Event],
    now: datetime,
    recent: int,
    max_skips: int,
    *,
    resume: Checkpoint | None = None,
) -> History:
    """Settle every occurrence whose window has opened by *now*.

    *recent* is ``m``, the span over which at most *max_skips* skips are honoured. With *resume*,
    only the occurrences after the checkpoint are settled (and returned); *events* then need only
    be those recorded from its cutoff on.
    """
    events = list(events)
    occurrences: list[Occurrence] = []
    source = timeline if resume is None else timeline.after(resume.wall)
    for occurrence in source:
        if occurrence.opens > now:
            break
        occurrences.append(occurrence)
    marks = marks_by_occurrence(occurrences, active_marks(events))
    fired: dict[date, datetime] = {}
    held: dict[date, datetime] = {}
    beaten: set[date] = set()
    for event in events:
        if event.kind is EventKind.FIRED and event.occurrence is not None:
            note_fired(fired, event)
        elif event.kind is EventKind.HELD and event.occurrence is not None:
            note_fired(held, event)
        elif event.kind is EventKind.BEATEN and event.occurrence is not None:
            beaten.add(event.occurrence)
    last_outcomes: deque[Outcome] = deque(resume.recent if resume else (), maxlen=max(recent - 1, 0))
    return settle_in_order(
        occurrences,
        marks,
        fired=fired,
        beaten=beaten,
        held=held,
        now=now,
        last_outcomes=last_outcomes,
        max_skips=max_skips,
    )


def note_fired(fired: dict[date, datetime], event: Event) -> None:
    """Note the reminder *event* (a keyed FIRED or HELD event) in *fired* (or the held ones): an
    occurrence's first one counts."""
    assert event.occurrence is not None
    fired[event.occurrence] = min(event.at, fired.get(event.occurrence, event.at))


def settle_in_order(
    occurrences: Iterable[Occurrence],
    marks: dict[date, Event],
    *,
    fired: dict[date, datetime],
    beaten: set[date],
    held: Mapping[date, datetime] | None = None,
    now: datetime,
    last_outcomes: deque[Outcome],
    max_skips: int,
) -> History:
    """Settle *occurrences* (in order) from their marks, first reminders shown, first reminders held
    and beaten reminders, each by its key. *last_outcomes* holds the outcomes before them that the skip allowance looks back on
    and is brought up to date: a history settled in parts (see :mod:`trayhabit.core.fold`) goes on
    from where the part before left it."""
    settled: list[Settled] = []
    current: Settled | None = None
    for occurrence in occurrences:
        mark = marks.get(occurrence.key)
        entry = settle_occurrence(
            occurrence, mark, fired.get(occurrence.key), now, held.get(occurrence.key) if held else None
        )
        if entry.outcome is Outcome.SKIPPED and sum(o is Outcome.SKIPPED for o in last_outcomes) >= max_skips:
            entry = replace(entry, outcome=Outcome.MISSED, skip_over_cap=True)
        if occurrence.key in beaten:
            entry = replace(entry, reminder_beaten=True)
        if occurrence.holds(now):
            current = entry
        if entry.outcome is not None:
            settled.append(entry)
            if last_outcomes.maxlen:
                last_outcomes.append(entry.outcome)
    return History(settled=settled, current=current)


def settle_occurrence(
    occurrence: Occurrence,
    mark: Event | None,
    fired_at: datetime | None,
    now: datetime,
    held_at: datetime | None = None,
) -> Settled:
    """How *occurrence* stands at *now*, given its check-off or skip *mark*, when its reminder was
    first shown (*fired_at*) and when it was first held (*held_at*, see EventKind.HELD)."""
    reminder_fired = fired_at is not None and fired_at <= now
    reminder_held = held_at is not None and held_at <= now
    if mark is None:
        outcome = Outcome.MISSED if occurrence.closes <= now else None
        return Settled(occurrence, outcome, None, reminder_fired, reminder_held)
    if mark.kind is EventKind.SKIP:
        return Settled(occurrence, Outcome.SKIPPED, mark, reminder_fired, reminder_held)
    not_shown = fired_at is None or fired_at > mark.at
    # Held at the reminder's time and not shown before the check-off: nobody was reminded (DESIGN
    # section 2). A held reminder "fires" when it is shown, which the FIRED event then records.
    held_then = held_at is not None and held_at <= mark.at
    if mark.recorded_at >= occurrence.closes:
        outcome = Outcome.LATE
    elif (mark.at < occurrence.reminder or held_then) and not_shown:
        outcome = Outcome.PREEMPTIVE
    else:
        outcome = Outcome.REMINDED
    return Settled(occurrence, outcome, mark, reminder_fired, reminder_held)


def marks_by_occurrence(
    occurrences: list[Occurrence], marks: list[Event], keys: Container[date] | None = None
) -> dict[date, Event]:
    """The mark in force for each of *occurrences*; the one recorded last wins, so merged stores agree.

    *marks* are in the order they were recorded. *keys* are those of every occurrence of the
    schedule so far when *occurrences* are only some of them (a history settled in parts): a mark
    that names one of those belongs to it, else to the window its time falls in.
    """
    own = {occurrence.key for occurrence in occurrences}
    known = own if keys is None else keys
    opens = [occurrence.opens for occurrence in occurrences]
    by_key: dict[date, Event] = {}
    for mark in marks:
        key = mark.occurrence
        if key is not None and key not in own and key in known:
            continue  # an occurrence of another part
        if key is None or key not in own:
            # Recorded under an earlier schedule: it belongs to the window its time falls in now.
            index = bisect_right(opens, mark.at) - 1
            if index < 0 or not occurrences[index].holds(mark.at):
                continue
            key = occurrences[index].key
        by_key[key] = mark
    return by_key
