"""Which occurrences of a habit were completed on the server, however the client wrote it.

Clients complete one occurrence of a recurring task in four ways, and each is read here:

(a) **An exception** (RFC 5545): a VTODO with the series' UID and a ``RECURRENCE-ID``, completed
    (Thunderbird, calendar tools). The occurrence is the one at the RECURRENCE-ID.
(b) **A completed copy**: a VTODO with the series' UID, no rule and no RECURRENCE-ID, beside the
    series (Thunderbird, eM Client). The occurrence is the one at its DUE (else DTSTART), else the
    one whose window holds its completion time.
(c) **A new completed task** with another UID, related to the series (``RELATED-TO``) or bearing
    its name, while the series moves on to the next occurrence (Apple Reminders, Nextcloud). Its
    occurrence is found as in (b).
(d) **The series moved on** and nothing else (Tasks.org): its DUE (else DTSTART) is now a later
    occurrence than when TrayHabit last saw it. Tasks.org moves a series by one occurrence a
    completion, so a move from occurrence *i* to occurrence *j* means the occurrences *i* to *j-1*
    were completed, at the series' LAST-MODIFIED (the only time the client leaves). A move that (c)
    already explains (Apple and Nextcloud move the series too) counts nothing more: of the *j-i*
    steps, those matched by completions found in (a)-(c) for occurrences in that range are not
    counted again, and the rest are the earliest occurrences of the range without one.

The result names each occurrence once, with the time of its completion; whether it is new to the
store is for the engine to decide (:mod:`trayhabit.core.caldav.engine`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any

from trayhabit.core.caldav.items import SeriesView, utc_time, wall_time
from trayhabit.core.model import Habit
from trayhabit.core.schedule import Timeline

# A series moved further than this many occurrences at once is taken as an edit, not completions.
MAX_STEPS = 400


@dataclass(frozen=True)
class Completion:
    """An occurrence completed on the server, when (an aware time), and how it was written."""

    occurrence: date
    at: datetime
    pattern: str  # "exception", "copy", "new-task", "moved", "series"


def is_completed(todo: Any) -> bool:
    """Whether a VTODO says it is done (its status, a completion time, or 100 percent)."""
    if str(todo.get("STATUS", "")).upper() == "COMPLETED" or "COMPLETED" in todo:
        return True
    try:
        return int(todo.get("PERCENT-COMPLETE", 0)) >= 100
    except (TypeError, ValueError):
        return False


def completions(
    habit: Habit,
    timeline: Timeline,
    *,
    own: Iterable[Any],
    related: Iterable[Any],
    series: SeriesView | None,
    last_anchor: datetime | None,
    now: datetime,
) -> list[Completion]:
    """The occurrences of *habit* completed on the server, each once (the earliest completion).

    *own* are the VTODOs with the habit's UID (the series, its exceptions, copies); *related* the
    completed VTODOs of other UIDs that point at it; *series* the series as read now, and
    *last_anchor* its start as last seen (None: never seen, so a move cannot be read).
    """
    zone = timeline.zone
    found: dict[date, Completion] = {}

    def add(key: date | None, at: datetime, pattern: str) -> None:
        if key is None:
            return
        at = min(at, now)
        if key not in found or at < found[key].at:
            found[key] = Completion(key, at, pattern)

    for todo in own:
        if not is_completed(todo):
            continue
        at = _completed_at(todo, now)
        if "RECURRENCE-ID" in todo:
            recurrence = wall_time(todo, "RECURRENCE-ID", zone)
            add(_key(timeline, recurrence, at), at, "exception")
        elif "RRULE" in todo:
            # The whole series marked done: the occurrence it stood at is the one completed.
            add(_key(timeline, series.anchor if series else None, at), at, "series")
        else:
            add(
                _key(timeline, wall_time(todo, "DUE", zone) or wall_time(todo, "DTSTART", zone), at),
                at,
                "copy",
            )
    for todo in related:
        at = _completed_at(todo, now)
        add(
            _key(timeline, wall_time(todo, "DUE", zone) or wall_time(todo, "DTSTART", zone), at),
            at,
            "new-task",
        )
    if series is not None and last_anchor is not None and series.anchor > last_anchor:
        moved_at = min(series.changed_at or now, now)
        for key in _moved_over(habit, timeline, last_anchor, series.anchor, set(found)):
            add(key, moved_at, "moved")
    return sorted(found.values(), key=lambda completion: completion.occurrence)


def _moved_over(
    habit: Habit, timeline: Timeline, before: datetime, after: datetime, explained: set[date]
) -> list[date]:
    """The occurrences a Tasks.org style move from *before* to *after* completed (see the module)."""
    if after.time() != habit.schedule.at or timeline.by_key(after.date()) is None:
        return []  # the series was moved to no occurrence of the habit: an edit, not completions
    first = timeline.by_key(before.date())
    if first is None:
        return []
    keys = [first.key]
    for occurrence in islice(timeline.after(datetime.combine(first.key, habit.schedule.at)), MAX_STEPS):
        if occurrence.key >= after.date():
            break
        keys.append(occurrence.key)
    else:
        return []  # further than MAX_STEPS occurrences at once: an edit, not completions
    steps = len(keys) - len(explained.intersection(keys))
    return [key for key in keys if key not in explained][: max(0, steps)]


def _key(timeline: Timeline, wall: datetime | None, at: datetime) -> date | None:
    """The occurrence at wall-clock *wall*, else the one whose window holds *at*."""
    if wall is not None:
        occurrence = timeline.by_key(wall.date())
        if occurrence is not None:
            return occurrence.key
    holding = timeline.containing(at)
    return holding.key if holding is not None else None


def _completed_at(todo: Any, now: datetime) -> datetime:
    """When the task was completed: COMPLETED, else LAST-MODIFIED, else DTSTAMP, else *now*."""
    return utc_time(todo, "COMPLETED") or utc_time(todo, "LAST-MODIFIED") or utc_time(todo, "DTSTAMP") or now


def related_to(todo: Any, uid: str, name: str) -> bool:
    """Whether *todo* (another UID's) is a completion of the habit with *uid* and *name*: it points
    at the series (RELATED-TO), or, without a rule of its own, bears the same name."""
    if "RRULE" in todo or not is_completed(todo):
        return False
    relations = todo.get("RELATED-TO")
    values = relations if isinstance(relations, list) else [relations] if relations is not None else []
    if any(str(value) == uid for value in values):
        return True
    return str(todo.get("SUMMARY", "")).strip().casefold() == name.strip().casefold()
