"""Walking whole histories off the UI thread, holding the store's lock a month at a time.

A new schedule on a ten-year habit, a new score setting or a first sync of another computer's years
means walking histories from their start: seconds on the benchmark's store. The app runs that on its
worker (see :meth:`~trayhabit.core.service.HabitService.walked_reports`), and the UI thread must not
wait for the store meanwhile, so :func:`walk_in_steps` reads each month in a short hold of the lock
of its own, rather than all of them in one.

Between two holds another write may land (a check-off in the window, another computer's history by
the folder watcher). Events are only ever added, so the walk has seen at least everything stored
when it began; at its end, still under the lock, it checks that it saw exactly what is stored now:
every month whose revision moved since the start is counted again for the walked habits, and their
fingerprints (schedule, state and every setting a score depends on) must be unchanged. Otherwise the walk is made again (a few times, then
once more in a single hold, which is always right), so that no checkpoint is ever kept of a history
the store no longer has.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import replace
from datetime import datetime, tzinfo

from trayhabit.core.checkpoint import fingerprint
from trayhabit.core.i18n import _
from trayhabit.core.model import Event, Habit
from trayhabit.core.progress import CancelCheck, Progress, report, stop_if_cancelled
from trayhabit.core.report import HabitReport
from trayhabit.core.score_cache import CheckpointCache, Walk, as_events
from trayhabit.core.service_support import habits_in
from trayhabit.core.settings import Settings
from trayhabit.core.store import Store, StoreView

# Walks made again because writes kept landing meanwhile, before the last one in a single hold.
ATTEMPTS = 3

_Months = Iterator[tuple[str, dict[str, list[Event]]]]


# A history walked at once, on the caller's thread: in memory already and no more than this many months.
SHORT_MONTHS = 3


def reports_at_hand(
    store: Store, cache: CheckpointCache, habit_ids: Collection[str], now: datetime, zone: tzinfo
) -> tuple[list[HabitReport], frozenset[str]]:
    """The reports of *habit_ids* that come quickly, in the person's order: resumed from their
    checkpoints, or walked at once when their history is short and in memory (a habit added last
    week); and the ids of those whose history is long to walk, for :func:`walk_in_steps`."""
    with store.reading() as view:
        settings = Settings(view.settings())
        habits = _habits(view, habit_ids)
        resumed, walks = cache.resume(view, habits, now, zone, settings)
        short = [walk for walk in walks if _is_short(view, walk.habit.id)]
        reports = cache.walk(view, short, resumed, now=now, zone=zone, settings=settings)
    cache.save()
    return reports, frozenset(walk.habit.id for walk in walks if walk not in short)


def _is_short(view: StoreView, habit_id: str) -> bool:
    months = view.walk_months([habit_id])
    return len(months) <= SHORT_MONTHS and not any(view.is_cold(month) for month in months)


def walk_in_steps(
    store: Store,
    cache: CheckpointCache,
    habit_ids: Collection[str],
    now: datetime,
    zone: tzinfo,
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> list[HabitReport]:
    """The reports of the habits *habit_ids* (those that still exist), in the person's order, their
    histories walked from the start where no checkpoint serves, a month per hold of the store's lock.

    *progress* hears of each month read; *cancelled* is asked before each (a cancelled walk keeps
    nothing: see :mod:`trayhabit.core.progress`).
    """
    for _attempt in range(ATTEMPTS):
        with store.reading() as view:
            settings = Settings(view.settings())
            habits = _habits(view, habit_ids)
            resumed, walks = cache.resume(view, habits, now, zone, settings)
            if not walks:
                return [found for found in resumed if found is not None]
            revisions = view.month_revisions()
        seen: dict[tuple[str, str], int] = {}
        months = _MonthSteps(store, seen, progress=progress, cancelled=cancelled)
        folded = cache.fold(walks, months, now, zone, settings)
        with store.reading() as view:
            fresh = _still_walks(view, walks, settings=settings, zone=zone, revisions=revisions, seen=seen)
            if fresh is not None:
                reports = cache.finish(view, fresh, folded, resumed, now=now, zone=zone, settings=settings)
                cache.save()
                return reports
    # Writes kept landing between the holds: once more, in a single hold of the lock.
    with store.reading() as view:
        settings = Settings(view.settings())
        reports = cache.evaluate_all(view, _habits(view, habit_ids), now, zone, settings)
    cache.save()
    return reports


def _habits(view: StoreView, habit_ids: Collection[str]) -> list[Habit]:
    return [habit for habit in habits_in(view, include_archived=True) if habit.id in habit_ids]


class _MonthSteps:
    """The months of the walked habits' events, each read in a hold of the store's lock of its own
    (for :meth:`CheckpointCache.fold`, which may ask twice); notes how many events of each habit
    each month had, for :func:`_still_walks`."""

    def __init__(
        self,
        store: Store,
        seen: dict[tuple[str, str], int],
        *,
        progress: Progress | None,
        cancelled: CancelCheck | None,
    ) -> None:
        self._store = store
        self._seen = seen
        self._progress = progress
        self._cancelled = cancelled

    def __call__(self, habit_ids: list[str]) -> _Months:
        with self._store.reading() as view:
            months = view.walk_months(habit_ids)
        for number, month in enumerate(months):
            stop_if_cancelled(self._cancelled)
            report(
                self._progress, number, len(months), _("Scoring the history of {month}").format(month=month)
            )
            with self._store.reading() as view:
                found = view.habits_month(habit_ids, month)
            for habit_id, docs in found.items():
                self._seen[month, habit_id] = len(docs)
            if any(found.values()):
                yield month, as_events(found)
        report(self._progress, len(months), len(months), _("Scoring the history"))


def _still_walks(
    view: StoreView,
    walks: list[Walk],
    *,
    settings: Settings,
    zone: tzinfo,
    revisions: dict[str, str],
    seen: dict[tuple[str, str], int],
) -> list[Walk] | None:
    """*walks* with their habits as *view* has them (a new name or why keeps a walk good), if the
    walks saw exactly what *view* holds: the same fingerprints, and in every month
    whose revision moved since *revisions* (new months included), as many events of each walked
    habit as the walk read there; None if not. (A fingerprint covers every setting a score depends on.)"""
    habits = {habit.id: habit for habit in _habits(view, [walk.habit.id for walk in walks])}
    fresh: list[Walk] = []
    for walk in walks:
        habit = habits.get(walk.habit.id)
        if habit is None or fingerprint(habit, settings, zone) != walk.key:
            return None
        fresh.append(replace(walk, habit=habit))
    habit_ids = list(habits)
    for month, revision in view.month_revisions().items():
        if revisions.get(month) == revision:
            continue
        found = view.habits_month(habit_ids, month)
        if any(len(docs) != seen.get((month, habit_id), 0) for habit_id, docs in found.items()):
            return None
    return fresh
