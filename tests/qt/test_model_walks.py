"""A long history's new schedule is scored on the worker: the app shows the habit as it is meanwhile,
reminds on nothing stale, and takes the score in when the walk ends."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import QTimer

from tests.helpers.clock import FakeClock
from tests.helpers.scoring import wait_scored
from trayhabit.app.habits_model import HabitsModel
from trayhabit.core.changes import Change, ChangeKind
from trayhabit.core.model import Event, EventKind
from trayhabit.core.service import HabitService
from trayhabit.core.store import Store

DAYS = 300
NEW_RULE = "FREQ=WEEKLY;BYDAY=MO,WE,FR"


def long_model(folder: Path, clock: FakeClock) -> tuple[HabitsModel, str]:
    """A daily habit with 300 days of check-offs, each recorded when it was made, opened again as
    the app opens it the next day (its old months on disk, not in memory)."""
    store = Store(folder, clock=clock)
    store.open()
    service = HabitService(store, clock)
    today = clock.now().date()
    habit = service.add_habit("Stretch", "FREQ=DAILY", time(9), start=today - timedelta(days=DAYS)).habit
    assert habit is not None
    with store.writing() as tx:
        for offset in range(DAYS, 0, -1):
            at = datetime.combine(today - timedelta(days=offset), time(8), clock.tz)
            tx.add_event(
                Event(f"e{offset}", habit.id, EventKind.DONE, at, at.astimezone(UTC), at.date()).to_doc()
            )
    reopened = Store(folder, clock=clock)
    reopened.open()
    model = HabitsModel(HabitService(reopened, clock))
    model.reports()
    wait_scored(model)
    return model, habit.id


def test_a_new_schedule_on_a_long_history_is_scored_on_the_worker(tmp_path, clock, qapp, qtbot):
    model, habit_id = long_model(tmp_path / "data", clock)
    changes: list[Change] = []
    model.changed.connect(lambda change, _by: changes.append(change))
    turns = 0

    def turn() -> None:
        nonlocal turns
        turns += 1

    ticker = QTimer()
    ticker.setInterval(0)
    ticker.timeout.connect(turn)
    ticker.start()
    model.update_habit(habit_id, rule=NEW_RULE)
    # At once: the habit as it is now, its score waiting for the walk, no reminder planned on it.
    assert model.is_scoring(habit_id)
    assert model.report(habit_id).habit.schedule.rrule == NEW_RULE
    assert habit_id not in [report.habit.id for report in model.reports(include_stale=False)]
    qtbot.waitUntil(lambda: not model.is_scoring(), timeout=60_000)
    ticker.stop()
    assert turns > 0  # the event loop turned while the history was walked
    assert changes[-1].kind is ChangeKind.SCORED and changes[-1].habit_ids == {habit_id}
    walked = model.report(habit_id)
    whole = model.service.report(model.service.find(habit_id), complete=True)
    assert walked.score == whole.score
    assert walked.counts == whole.counts
    assert habit_id in [report.habit.id for report in model.reports(include_stale=False)]


def test_a_check_off_during_the_walk_is_in_the_score_that_lands(tmp_path, clock, qapp, qtbot):
    model, habit_id = long_model(tmp_path / "data", clock)
    model.update_habit(habit_id, rule="FREQ=DAILY", at=time(7))
    assert model.is_scoring(habit_id)
    # Checked off in the window while its history is walked (today's occurrence, at 06:00).
    model.check_off(habit_id)
    heard: list[tuple[ChangeKind, bool]] = []
    model.changed.connect(lambda change, _by: heard.append((change.kind, model.is_scoring(habit_id))))
    wait_scored(model)
    # The views hear when its score, the check-off included, is in.
    assert heard[-1] == (ChangeKind.SCORED, False)
    report = model.report(habit_id)
    assert report.current is not None and report.current.outcome is not None
    whole = model.service.report(model.service.find(habit_id), complete=True)
    assert report.counts == whole.counts
