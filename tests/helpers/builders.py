"""Small builders for habits and events, so tests state only what matters to them."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time

from trayhabit.core.model import Event, EventKind, Habit, Schedule

_ids = itertools.count(1)


def habit(
    rule: str = "FREQ=DAILY", at: time = time(9), start: date = date(2026, 1, 5), **fields: object
) -> Habit:
    """A learning habit with the given schedule."""
    return Habit(
        id=fields.pop("id", "habit-1"),
        name=str(fields.pop("name", "Stretch")),
        schedule=Schedule(rule, at, start),
        **fields,
    )  # type: ignore[arg-type]


def event(
    kind: EventKind,
    at: datetime,
    occurrence: date | None = None,
    *,
    recorded_at: datetime | None = None,
    target: str | None = None,
    habit_id: str = "habit-1",
    id: str | None = None,
) -> Event:
    """An event; recorded when it happened unless *recorded_at* says otherwise."""
    return Event(
        id=id or f"event-{next(_ids)}",
        habit_id=habit_id,
        kind=kind,
        at=at,
        recorded_at=(recorded_at or at).astimezone(UTC),
        occurrence=occurrence
        if occurrence is not None
        else (at.date() if kind is not EventKind.UNDO else None),
        target=target,
    )
