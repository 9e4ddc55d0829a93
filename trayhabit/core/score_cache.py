"""Reports resumed from checkpoints, with the checkpoints kept in the data folder between runs.

:class:`CheckpointCache` is how the service evaluates a habit: from its checkpoint when
:func:`~trayhabit.core.checkpoint.still_valid` accepts it (reading only the events recorded since
its cutoff), else from the start, leaving a new checkpoint behind. The checkpoints are derived
data in ``<data folder>/cache/scores.json``: losing or damaging the file costs one full evaluation
per habit, never a wrong score, so it is read leniently and written best-effort.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
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

CACHE_DIR = "cache"
CACHE_FILE = "scores.json"
_FORMAT = "trayhabit-checkpoints"


class CheckpointCache:
    """Each habit's checkpoint, in memory and in the data folder's cache file."""

    def __init__(self, data_dir: Path) -> None:
        self._path = data_dir / CACHE_DIR / CACHE_FILE
        self._checkpoints: dict[str, Checkpoint] | None = None
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
                return report
        events = [Event.from_doc(doc) for doc in view.events(habit.id)]
        report = evaluate(habit, events, now, zone, settings)
        self._remember(view, report, key)
        return report

    def anchor(self, habit: Habit, settings: Settings, zone: tzinfo) -> datetime | None:
        """The wall-clock time of a known occurrence of the habit's schedule, for look-ups that
        would otherwise walk the schedule from its start; None when there is none."""
        checkpoint = self._loaded().get(habit.id)
        if checkpoint is None or checkpoint.fingerprint != fingerprint(habit, settings, zone):
            return None
        return checkpoint.wall

    def save(self) -> None:
        """Write the checkpoints made since the last save; a folder that refuses only costs speed."""
        if not self._dirty or self._checkpoints is None:
            return
        document = {
            "format": _FORMAT,
            "version": VERSION,
            "habits": {habit_id: point.to_doc() for habit_id, point in self._checkpoints.items()},
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

    def _loaded(self) -> dict[str, Checkpoint]:
        if self._checkpoints is None:
            self._checkpoints = _read(self._path)
        return self._checkpoints


def _events_around(view: StoreView, habit_id: str, cutoff: datetime) -> tuple[str, int, list[Event]]:
    """What a checkpoint with this *cutoff* depends on, as :func:`still_valid` takes it."""
    key = cutoff_key(cutoff)
    before, docs = view.events_since(habit_id, key)
    return view.history_digest(key[:7]), before, [Event.from_doc(doc) for doc in docs]


def _read(path: Path) -> dict[str, Checkpoint]:
    """The checkpoints in the cache file; those unreadable are left out (they are made again)."""
    try:
        document: Any = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    if (
        not isinstance(document, dict)
        or document.get("format") != _FORMAT
        or document.get("version") != VERSION
    ):
        return {}
    habits = document.get("habits")
    checkpoints: dict[str, Checkpoint] = {}
    for habit_id, doc in habits.items() if isinstance(habits, dict) else ():
        try:
            checkpoints[str(habit_id)] = Checkpoint.from_doc(doc)
        except (KeyError, TypeError, ValueError):
            continue
    return checkpoints
