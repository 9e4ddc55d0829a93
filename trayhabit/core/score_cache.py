"""Reports resumed from checkpoints, with the checkpoints kept in the data folder between runs.

:class:`CheckpointCache` is how the service evaluates a habit: from its checkpoint when
:func:`~trayhabit.core.checkpoint.still_valid` accepts it (reading only the events recorded since
its cutoff), else from the start, leaving a new checkpoint behind. The checkpoints are derived
data in ``<data folder>/cache/scores.json``: losing or damaging the file costs one full evaluation
per habit, never a wrong score, so it is read leniently and written best-effort.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import orjson

from trayhabit.core.atomic import write_atomic
from trayhabit.core.checkpoint import (
    VERSION,
    Checkpoint,
    cutoff_key,
    due_to_advance,
    fingerprint,
    still_valid,
)
from trayhabit.core.model import Event, Habit
from trayhabit.core.report import HabitReport, checkpoint_of, evaluate
from trayhabit.core.settings import Settings
from trayhabit.core.store import StoreView

# How far the kept anchor may fall behind the open occurrence before it is moved up.
ANCHOR_STEP = timedelta(days=7)
CACHE_DIR = "cache"
CACHE_FILE = "scores.json"
_FORMAT = "trayhabit-checkpoints"


class CheckpointCache:
    """Each habit's checkpoint, in memory and in the data folder's cache file."""

    def __init__(self, data_dir: Path) -> None:
        self._path = data_dir / CACHE_DIR / CACHE_FILE
        self._checkpoints: dict[str, Checkpoint] | None = None
        # habit id -> (fingerprint, wall-clock time of a recent occurrence): where look-ups of the
        # schedule start, so that they cost the same whether the habit is a week or ten years old.
        self._anchors: dict[str, tuple[str, datetime]] = {}
        self._dirty = False

    def evaluate(
        self,
        view: StoreView,
        habit: Habit,
        now: datetime,
        zone: tzinfo,
        settings: Settings,
        *,
        complete: bool = False,
    ) -> HabitReport:
        """The habit's report as of *now*: resumed from its checkpoint unless *complete* is asked for."""
        key = fingerprint(habit, settings, zone)
        checkpoint = self._loaded().get(habit.id)
        if not complete and checkpoint is not None and checkpoint.fingerprint == key:
            history, before, recent = _events_around(view, habit.id, checkpoint.cutoff)
            if still_valid(checkpoint, history, before, recent):
                report = evaluate(habit, recent, now, zone, settings, resume=checkpoint)
                # Move the checkpoint up once the walk after it has grown long.
                if due_to_advance(len(report.settled), report.recent):
                    self._remember(view, report, key)
                self._remember_anchor(report, key)
                return report
        events = [Event.from_doc(doc) for doc in view.events(habit.id)]
        report = evaluate(habit, events, now, zone, settings)
        self._remember(view, report, key)
        self._remember_anchor(report, key)
        return report

    def anchors(self, habit: Habit, settings: Settings, zone: tzinfo) -> tuple[datetime, ...]:
        """Wall-clock times of known occurrences of the habit's schedule (its checkpoint's and a
        recent one), for look-ups that would otherwise walk the schedule from its start."""
        key = fingerprint(habit, settings, zone)
        checkpoint = self._loaded().get(habit.id)
        found = [checkpoint.wall] if checkpoint is not None and checkpoint.fingerprint == key else []
        recent = self._anchors.get(habit.id)
        if recent is not None and recent[0] == key:
            found.append(recent[1])
        return tuple(found)

    def save(self) -> None:
        """Write the checkpoints made since the last save; a folder that refuses only costs speed."""
        if not self._dirty or self._checkpoints is None:
            return
        document = {
            "format": _FORMAT,
            "version": VERSION,
            "habits": {habit_id: point.to_doc() for habit_id, point in self._checkpoints.items()},
            "anchors": {habit_id: [key, wall.isoformat()] for habit_id, (key, wall) in self._anchors.items()},
        }
        try:
            self._path.parent.mkdir(exist_ok=True)
            write_atomic(self._path, orjson.dumps(document))
        except OSError:
            return  # a read-only or full folder: the next run evaluates from the start again
        self._dirty = False

    def _remember(self, view: StoreView, report: HabitReport, key: str) -> None:
        habit_id = report.habit.id
        checkpoint = checkpoint_of(report, key, lambda instant: _events_around(view, habit_id, instant))
        checkpoints = self._loaded()
        if checkpoint is None or checkpoints.get(habit_id) == checkpoint:
            return
        checkpoints[habit_id] = checkpoint
        self._dirty = True

    def _remember_anchor(self, report: HabitReport, key: str) -> None:
        """Keep the open occurrence as the habit's anchor once the one kept is a week behind (a
        cache write a week per habit at most)."""
        if report.current is None:
            return
        wall = datetime.combine(report.current.occurrence.key, report.habit.schedule.at)
        kept = self._anchors.get(report.habit.id)
        if kept is None or kept[0] != key or not timedelta(0) <= wall - kept[1] < ANCHOR_STEP:
            self._anchors[report.habit.id] = (key, wall)
            self._dirty = True

    def _loaded(self) -> dict[str, Checkpoint]:
        if self._checkpoints is None:
            self._checkpoints, self._anchors = _read(self._path)
        return self._checkpoints


def _events_around(view: StoreView, habit_id: str, cutoff: datetime) -> tuple[str, int, list[Event]]:
    """What a checkpoint with this *cutoff* depends on, as :func:`still_valid` takes it."""
    key = cutoff_key(cutoff)
    before, docs = view.events_since(habit_id, key)
    return view.history_digest(key[:7]), before, [Event.from_doc(doc) for doc in docs]


def _read(path: Path) -> tuple[dict[str, Checkpoint], dict[str, tuple[str, datetime]]]:
    """The checkpoints and anchors in the cache file; those unreadable are left out (they are made
    again)."""
    try:
        document: Any = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}, {}
    if (
        not isinstance(document, dict)
        or document.get("format") != _FORMAT
        or document.get("version") != VERSION
    ):
        return {}, {}
    habits = document.get("habits")
    checkpoints: dict[str, Checkpoint] = {}
    for habit_id, doc in habits.items() if isinstance(habits, dict) else ():
        try:
            checkpoints[str(habit_id)] = Checkpoint.from_doc(doc)
        except (KeyError, TypeError, ValueError):
            continue
    anchors: dict[str, tuple[str, datetime]] = {}
    found = document.get("anchors")
    for habit_id, pair in found.items() if isinstance(found, dict) else ():
        try:
            key, wall = pair
            anchors[str(habit_id)] = (str(key), datetime.fromisoformat(wall))
        except (TypeError, ValueError):
            continue
    return checkpoints, anchors
