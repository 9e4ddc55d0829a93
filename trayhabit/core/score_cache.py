"""Reports resumed from checkpoints, with the checkpoints kept in the data folder between runs.

:class:`CheckpointCache` is how the service evaluates a habit: from its checkpoint when
:func:`~trayhabit.core.checkpoint.still_valid` accepts it (reading only the events recorded since
its cutoff), else from the start, leaving a new checkpoint behind. A walk from the start folds the
history month by month (:mod:`trayhabit.core.fold`), the habits that need one together
(:meth:`CheckpointCache.evaluate_all`), so that years of events are never in memory at once. The checkpoints are derived
data in ``<data folder>/cache/scores.json``: losing or damaging the file costs one full evaluation
per habit, never a wrong score, so it is read leniently and written best-effort.

Each checkpoint's charts (years of a weekly score, months of outcomes) are in ``charts.json`` beside
it, read only when a chart is shown or a checkpoint moves up: a check-off reads a few kilobytes, and
the tray does not hold the charts all day. Each entry there names the checkpoint it belongs to, and
a habit keeps its previous checkpoint's entry too, so a crash between the two writes, or another
process saving in between, still finds each checkpoint's own. A checkpoint whose charts cannot be
found is evaluated from the start at its next look, which makes them again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from trayhabit.core import jsontext
from trayhabit.core.atomic import write_atomic
from trayhabit.core.checkpoint import (
    VERSION,
    Charts,
    Checkpoint,
    anchored,
    cutoff_key,
    due_to_advance,
    fingerprint,
    still_valid,
)
from trayhabit.core.model import Event, Habit
from trayhabit.core.report import HabitReport, checkpoint_of, evaluate
from trayhabit.core.settings import Settings
from trayhabit.core.store import StoreView
from trayhabit.core.store.layout import CACHE_DIR

if TYPE_CHECKING:
    from trayhabit.core.fold import Folded

# How far the kept anchor may fall behind the open occurrence before it is moved up.
ANCHOR_STEP = timedelta(days=7)
CACHE_FILE = "scores.json"
CHARTS_FILE = "charts.json"
_FORMAT = "trayhabit-checkpoints"
_CHARTS_FORMAT = "trayhabit-checkpoint-charts"

_P = ParamSpec("_P")
_T = TypeVar("_T")


def _locked(
    method: Callable[Concatenate[CheckpointCache, _P], _T],
) -> Callable[Concatenate[CheckpointCache, _P], _T]:
    """Run *method* holding the cache's lock: the app's worker thread evaluates (the relapses after a
    sync or an import, in its transaction) while the UI thread evaluates and saves. Taken inside
    the store's lock or alone, never the other way round, so the two cannot deadlock."""

    def run(cache: CheckpointCache, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        with cache._lock:
            return method(cache, *args, **kwargs)

    run.__name__, run.__doc__ = method.__name__, method.__doc__
    return run


@dataclass(frozen=True)
class Walk:
    """A habit whose report needs its history walked from the start (no valid checkpoint to resume
    from), at *place* among the reports asked for, with its fingerprint *key*; *rebuild* when it has
    a checkpoint whose charts were lost."""

    place: int
    habit: Habit
    key: str
    rebuild: bool


class CheckpointCache:
    """Each habit's checkpoint, in memory and in the data folder's cache file."""

    def __init__(self, data_dir: Path) -> None:
        self._path = data_dir / CACHE_DIR / CACHE_FILE
        self._charts_path = data_dir / CACHE_DIR / CHARTS_FILE
        # Habits whose checkpoint's charts were not found: evaluated from the start at the next look.
        self._charts_lost: set[str] = set()
        self._checkpoints: dict[str, Checkpoint] | None = None
        # The cache file's checkpoints not decoded yet: a check-off needs one habit's, not fifty.
        self._docs: dict[str, Any] = {}
        # habit id -> (fingerprint, wall-clock time of a recent occurrence): where look-ups of the
        # schedule start, so that they cost the same whether the habit is a week or ten years old.
        self._anchors: dict[str, tuple[str, datetime]] = {}
        self._dirty = False
        self._lock = threading.RLock()

    @_locked
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
        return self.evaluate_all(view, [habit], now, zone, settings, complete=complete)[0]

    def evaluate_all(
        self,
        view: StoreView,
        habits: Sequence[Habit],
        now: datetime,
        zone: tzinfo,
        settings: Settings,
        *,
        complete: bool = False,
    ) -> list[HabitReport]:
        """Each habit's report, as :meth:`evaluate` gives it; the histories walked from the start
        are walked together, each month read once for all of them (a new score setting)."""
        with self._lock:
            resumed, walks = self.resume(view, habits, now, zone, settings, complete=complete)
            if complete:
                # The whole history asked for: each habit's events as they are, no checkpoint.
                return self.finish(view, walks, {}, resumed, now=now, zone=zone, settings=settings)
            return self.walk(view, walks, resumed, now=now, zone=zone, settings=settings)

    @_locked
    def walk(
        self,
        view: StoreView,
        walks: Sequence[Walk],
        resumed: list[HabitReport | None],
        *,
        now: datetime,
        zone: tzinfo,
        settings: Settings,
    ) -> list[HabitReport]:
        """The reports of :meth:`resume` with *walks* walked here, in one hold of *view* (the
        histories read together, a month at a time), and the others that :meth:`resume` left
        unscored dropped."""
        folded = (
            self.fold(walks, lambda ids: _events_by_month(view, ids), now, zone, settings) if walks else {}
        )
        return self.finish(view, walks, folded, resumed, now=now, zone=zone, settings=settings)

    @_locked
    def resume(
        self,
        view: StoreView,
        habits: Sequence[Habit],
        now: datetime,
        zone: tzinfo,
        settings: Settings,
        *,
        complete: bool = False,
    ) -> tuple[list[HabitReport | None], list[Walk]]:
        """Each habit's report resumed from its checkpoint (quick: a few weeks of events), None in its
        place for those whose history must be walked from the start, and those walks (all of them
        when *complete* is asked for)."""
        reports: list[HabitReport | None] = []
        walks: list[Walk] = []
        for habit in habits:
            key = fingerprint(habit, settings, zone)
            # Its charts are gone: a walk from the start makes them again.
            rebuild = habit.id in self._charts_lost
            report = (
                None
                if complete or rebuild
                else self._resumed(view, habit, key, now=now, zone=zone, settings=settings)
            )
            if report is None:
                walks.append(Walk(len(reports), habit, key, rebuild))
            reports.append(report)
        return reports, walks

    @staticmethod
    def fold(
        walks: Sequence[Walk],
        months: Callable[[list[str]], Iterator[tuple[str, dict[str, list[Event]]]]],
        now: datetime,
        zone: tzinfo,
        settings: Settings,
    ) -> dict[str, Folded]:
        """The histories of *walks* folded from the start, month by month as *months* gives them
        (see :func:`~trayhabit.core.fold.fold_histories`): needs neither the cache's lock nor the
        store's, so that a worker may read each month in a short hold of the store's lock."""
        # Loaded when first needed: most starts resume every habit from its checkpoint.
        from trayhabit.core.fold import fold_histories

        return fold_histories(
            [walk.habit for walk in walks],
            months,
            now=now,
            zone=zone,
            settings=settings,
            fingerprints={walk.habit.id: walk.key for walk in walks},
        )

    @_locked
    def finish(
        self,
        view: StoreView,
        walks: Sequence[Walk],
        folded: dict[str, Folded],
        resumed: list[HabitReport | None],
        *,
        now: datetime,
        zone: tzinfo,
        settings: Settings,
    ) -> list[HabitReport]:
        """The reports of :meth:`resume` with each walk's report in its place, from its history
        *folded* (or, for a walk missing there, its events read now); keeps the checkpoints made."""
        reports = list(resumed)
        for walk in walks:
            habit, key = walk.habit, walk.key
            self._charts_lost.discard(habit.id)
            result = folded.get(habit.id)
            if isinstance(result, Checkpoint):
                history, before, recent = _events_around(view, habit.id, result.cutoff)
                checkpoint = anchored(result, history, before, recent)
                self._loaded()[habit.id] = checkpoint
                self._dirty = True
                report = evaluate(habit, recent, now, zone, settings, resume=checkpoint)
            else:
                # The whole history asked for, or one too short for a checkpoint: its events only.
                if result is None:
                    result = [event for _month, events in _event_months(view, habit.id) for event in events]
                report = evaluate(habit, result, now, zone, settings)
                self._remember(view, report, key, rebuild=walk.rebuild)
            self._remember_anchor(report, key)
            reports[walk.place] = report
        return [report for report in reports if report is not None]

    def _resumed(
        self, view: StoreView, habit: Habit, key: str, *, now: datetime, zone: tzinfo, settings: Settings
    ) -> HabitReport | None:
        """The habit's report resumed from its checkpoint; None when it has no valid one."""
        checkpoint = self._checkpoint(habit.id)
        if checkpoint is None or checkpoint.fingerprint != key:
            return None
        history, before, recent = _events_around(view, habit.id, checkpoint.cutoff)
        if not still_valid(checkpoint, history, before, recent):
            return None
        report = evaluate(habit, recent, now, zone, settings, resume=checkpoint)
        # Move the checkpoint up once the walk after it has grown long.
        if due_to_advance(len(report.settled), report.recent):
            self._remember(view, report, key)
        self._remember_anchor(report, key)
        return report

    @_locked
    def anchors(self, habit: Habit, settings: Settings, zone: tzinfo) -> tuple[datetime, ...]:
        """Wall-clock times of known occurrences of the habit's schedule (its checkpoint's and a
        recent one), for look-ups that would otherwise walk the schedule from its start."""
        key = fingerprint(habit, settings, zone)
        checkpoint = self._checkpoint(habit.id)
        found = [checkpoint.wall] if checkpoint is not None and checkpoint.fingerprint == key else []
        recent = self._anchors.get(habit.id)
        if recent is not None and recent[0] == key:
            found.append(recent[1])
        return tuple(found)

    @_locked
    def save(self) -> None:
        """Write the checkpoints made since the last save; a folder that refuses only costs speed."""
        if not self._dirty or self._checkpoints is None:
            return
        self._checkpoints = self._all()
        try:
            self._path.parent.mkdir(exist_ok=True)
            if any(point.charts.at_hand for point in self._checkpoints.values()):
                self._write_charts(self._checkpoints)
            document = {
                "format": _FORMAT,
                "version": VERSION,
                "habits": {habit_id: point.to_doc() for habit_id, point in self._checkpoints.items()},
                "anchors": {
                    habit_id: [key, wall.isoformat()] for habit_id, (key, wall) in self._anchors.items()
                },
            }
            write_atomic(self._path, jsontext.dumps(document))
        except OSError:
            return  # a read-only or full folder: the next run evaluates from the start again
        self._dirty = False
        # Written: the charts are read again when one is shown, rather than held all day.
        self._checkpoints = {
            habit_id: replace(point, charts=self._charts_reader(habit_id, point))
            for habit_id, point in self._checkpoints.items()
        }

    def _write_charts(self, checkpoints: dict[str, Checkpoint]) -> None:
        """Write every checkpoint's charts to the charts file.

        Each habit keeps the charts of its checkpoint before too: a report made from that one may
        still be shown. Charts not at hand are taken over from the file as it is, read once.
        """
        written = self._charts_file()
        habits: dict[str, list[Any]] = {}
        for habit_id, point in checkpoints.items():
            kept = written.get(habit_id)
            earlier = [entry for entry in kept if isinstance(entry, dict)] if isinstance(kept, list) else []
            own = [entry for entry in earlier if point.charts_in(entry) is not None]
            if point.charts.at_hand:
                entry = point.charts_doc()
            elif own:
                entry = own[0]
            else:
                self._charts_lost.add(habit_id)
                entry = replace(point, charts=Charts()).charts_doc()
            before = [other for other in earlier if other not in own][:1]
            habits[habit_id] = [entry, *before]
        write_atomic(
            self._charts_path,
            jsontext.dumps({"format": _CHARTS_FORMAT, "version": VERSION, "habits": habits}),
        )

    def _charts_reader(self, habit_id: str, checkpoint: Checkpoint) -> Charts:
        """The checkpoint's charts, to be read from the charts file when asked for."""

        def load() -> tuple[str, str]:
            entries = self._charts_file().get(habit_id)
            for entry in entries if isinstance(entries, list) else ():
                found = checkpoint.charts_in(entry)
                if found is not None:
                    return found
            self._charts_lost.add(habit_id)
            return "", ""

        return Charts(load=load)

    def _charts_file(self) -> dict[str, Any]:
        """The charts file's entries by habit id (each a list, the current checkpoint's first); none
        when the file is missing or damaged."""
        try:
            document = jsontext.loads(self._charts_path.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(document, dict) or document.get("format") != _CHARTS_FORMAT:
            return {}
        habits = document.get("habits")
        return habits if isinstance(habits, dict) else {}

    def _remember(self, view: StoreView, report: HabitReport, key: str, *, rebuild: bool = False) -> None:
        """Keep the checkpoint *report* leads to, if it is new (or, with *rebuild*, even if only its
        charts are: those of the one kept were lost)."""
        habit_id = report.habit.id
        checkpoint = checkpoint_of(report, key, lambda instant: _events_around(view, habit_id, instant))
        if checkpoint is None or (self._checkpoint(habit_id) == checkpoint and not rebuild):
            return
        self._loaded()[habit_id] = checkpoint
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
        """The checkpoints decoded so far (the cache file is read at the first call)."""
        if self._checkpoints is None:
            self._checkpoints = {}
            self._docs, self._anchors = self._read()
        return self._checkpoints

    def _checkpoint(self, habit_id: str) -> Checkpoint | None:
        """The habit's checkpoint, decoded now if it was not; None when it has none (or an
        unreadable one, which is made again)."""
        checkpoints = self._loaded()
        doc = self._docs.pop(habit_id, None)
        if doc is not None:
            try:
                point = Checkpoint.from_doc(doc)
            except (KeyError, TypeError, ValueError):
                return checkpoints.get(habit_id)
            checkpoints[habit_id] = replace(point, charts=self._charts_reader(habit_id, point))
        return checkpoints.get(habit_id)

    def _all(self) -> dict[str, Checkpoint]:
        """Every checkpoint, decoded."""
        for habit_id in list(self._docs):
            self._checkpoint(habit_id)
        return self._loaded()

    def _read(self) -> tuple[dict[str, Any], dict[str, tuple[str, datetime]]]:
        """The checkpoints in the cache file (as stored) and the anchors; no checkpoint when the
        charts file is gone (they are made again, charts and all)."""
        try:
            document: Any = jsontext.loads(self._path.read_bytes())
        except (OSError, ValueError):
            return {}, {}
        if (
            not isinstance(document, dict)
            or document.get("format") != _FORMAT
            or document.get("version") != VERSION
        ):
            return {}, {}
        habits = document.get("habits")
        if not isinstance(habits, dict) or not self._charts_path.exists():
            habits = {}
        docs = {str(habit_id): doc for habit_id, doc in habits.items()}
        anchors: dict[str, tuple[str, datetime]] = {}
        found = document.get("anchors")
        for habit_id, pair in found.items() if isinstance(found, dict) else ():
            try:
                key, wall = pair
                anchors[str(habit_id)] = (str(key), datetime.fromisoformat(wall))
            except (TypeError, ValueError):
                continue
        return docs, anchors


def _events_around(view: StoreView, habit_id: str, cutoff: datetime) -> tuple[str, int, list[Event]]:
    """What a checkpoint with this *cutoff* depends on, as :func:`still_valid` takes it."""
    key = cutoff_key(cutoff)
    before, docs = view.events_since(habit_id, key)
    return history_digest(view, key[:7]), before, [Event.from_doc(doc) for doc in docs]


def _event_months(view: StoreView, habit_id: str) -> Iterator[tuple[str, list[Event]]]:
    """The habit's events month by month, oldest first (see :meth:`StoreView.habit_months`)."""
    for month, docs in view.habit_months(habit_id):
        yield month, [Event.from_doc(doc) for doc in docs]


def _events_by_month(view: StoreView, habit_ids: list[str]) -> Iterator[tuple[str, dict[str, list[Event]]]]:
    """The habits' events month by month, oldest first (see :meth:`StoreView.habits_months`)."""
    for month, by_habit in view.habits_months(habit_ids):
        yield month, as_events(by_habit)


def as_events(by_habit: dict[str, list[dict[str, Any]]]) -> dict[str, list[Event]]:
    """One month's stored events of each habit (see :meth:`StoreView.habits_month`), as events."""
    return {habit_id: [Event.from_doc(doc) for doc in docs] for habit_id, docs in by_habit.items()}


def history_digest(view: StoreView, before_month: str) -> str:
    """A digest of the revisions of the months before *before_month* ("YYYY-MM"): see
    :meth:`StoreView.history_digest`."""
    return view.history_digest(before_month)
