"""Streaks: the runs of check-offs before the reminder, current and best, from the settled history."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.clock import FakeClock
from trayhabit.core.model import Outcome
from trayhabit.core.score import Streak, streak_of
from trayhabit.core.service import HabitService
from trayhabit.core.store import Store

P, R, L, M, S = Outcome.PREEMPTIVE, Outcome.REMINDED, Outcome.LATE, Outcome.MISSED, Outcome.SKIPPED
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize(
    ("outcomes", "current", "best"),
    [
        ([], 0, 0),
        ([P, P, P], 3, 3),
        ([P, P, S, P], 3, 3),  # a skip within the allowance neither adds nor breaks
        ([P, P, R, P], 1, 2),  # a check-off after the reminder breaks the run
        ([P, P, P, L, P, P], 2, 3),  # so does a late one
        ([P, M, P, P, P, P], 4, 4),  # and a miss
        ([P, P, P, M], 0, 3),
    ],
)
def test_a_run_counts_check_offs_before_the_reminder(outcomes, current, best):
    assert streak_of(outcomes) == Streak(current, best)


def test_a_run_resumes_from_where_it_stood():
    assert streak_of([P, P], Streak(5, 7)) == Streak(7, 7)
    assert streak_of([P, P, P], Streak(5, 7)) == Streak(8, 8)


def test_the_report_has_the_streaks_and_they_survive_the_checkpoint(tmp_path: Path):
    start = date(2025, 3, 1)
    clock = FakeClock(datetime.combine(start, time(6), STOCKHOLM))
    store = Store(tmp_path / "data", clock=clock)
    store.open()
    service = HabitService(store, clock)
    habit = service.add_habit("Stretch", "FREQ=DAILY", time(9), start=start).habit
    assert habit is not None
    # 60 days before the reminder, a day after it, then 30 more before it: 60 is the best run.
    for offset in range(91):
        clock.set(
            datetime.combine(start + timedelta(days=offset), time(10 if offset == 60 else 8), STOCKHOLM)
        )
        service.check_off(habit.id)
    clock.set(datetime.combine(start + timedelta(days=91), time(6), STOCKHOLM))
    first = service.report(habit)
    resumed = service.report(habit)
    assert not resumed.complete  # the first 60 days are folded into the checkpoint
    assert first.streak == resumed.streak == Streak(current=30, best=60)
    # A new process reads the checkpoint from the data folder, and the streak with it.
    again = HabitService(Store(tmp_path / "data", clock=clock), clock)
    again.store.open()
    later = again.report(habit)
    assert not later.complete and later.streak == Streak(30, 60)
