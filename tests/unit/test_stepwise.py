"""Whole histories walked on a worker thread: the store stays free for the UI between months, and a
write landing during the walk is never lost from the score."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.clock import FakeClock
from trayhabit.core.model import Habit
from trayhabit.core.report import HabitReport
from trayhabit.core.service import HabitService
from trayhabit.core.store import Store

STOCKHOLM = ZoneInfo("Europe/Stockholm")
T0 = datetime(2026, 11, 27, 6, 0, tzinfo=STOCKHOLM)
DAYS = 200  # about seven months: most of them cold when the store is opened again


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), STOCKHOLM)


def open_service(folder: Path, now: datetime = T0) -> tuple[HabitService, FakeClock]:
    clock = FakeClock(now)
    store = Store(folder, clock=clock)
    store.open()
    return HabitService(store, clock), clock


@pytest.fixture(scope="module")
def long_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A daily habit checked off before its reminder on most of 200 days, and one added this week."""
    folder = tmp_path_factory.mktemp("long") / "data"
    service, clock = open_service(folder)
    start = T0.date() - timedelta(days=DAYS)
    habit = service.add_habit("Stretch", "FREQ=DAILY", time(9), start=start).habit
    assert habit is not None
    for offset in range(DAYS, 0, -1):
        if offset % 5:  # every fifth day missed
            clock.set(at(T0.date() - timedelta(days=offset), 8))
            service.check_off(habit.id)
    clock.set(T0)
    service.add_habit("Read", "FREQ=DAILY", time(21), start=T0.date() - timedelta(days=3))
    return folder


def copy_of(long_store: Path, tmp_path: Path) -> tuple[HabitService, FakeClock]:
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(long_store, folder)
    return open_service(folder)


def named(service: HabitService, name: str) -> Habit:
    return next(habit for habit in service.habits(include_archived=True) if habit.name == name)


def whole(service: HabitService, habit: Habit) -> HabitReport:
    """The habit's report walked from the start in one go: what a stepwise walk must agree with."""
    return service.report(habit, complete=True)


def in_other_thread(work: Callable[[], object]) -> None:
    """Run *work* on another thread and wait for it; fail if it cannot get through (a held lock)."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except Exception as error:  # noqa: BLE001 (handed to the test below, which raises it)
            failure.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the other thread waited for the store's lock"
    if failure:
        raise failure[0]


def test_a_new_schedule_on_a_long_history_is_left_for_the_worker_a_new_habit_is_not(long_store, tmp_path):
    service, _clock = copy_of(long_store, tmp_path)
    stretch, read = named(service, "Stretch"), named(service, "Read")
    # Until the old months were read once, nobody knows they hold nothing of the new habit.
    assert service.reports_at_hand({read.id}) == ([], {read.id})
    service.walked_reports({read.id})
    service.update_habit(stretch.id, rule="FREQ=WEEKLY;BYDAY=MO,WE,FR")
    reports, long = service.reports_at_hand({stretch.id, read.id})
    assert long == {stretch.id}
    assert [report.habit.id for report in reports] == [read.id]


def test_a_walk_in_steps_scores_as_a_walk_in_one_go(long_store, tmp_path):
    service, _clock = copy_of(long_store, tmp_path)
    stretch = named(service, "Stretch")
    changed = service.update_habit(stretch.id, rule="FREQ=WEEKLY;BYDAY=MO,WE,FR").habit
    assert changed is not None
    months: list[str] = []
    (walked,) = service.walked_reports({stretch.id}, progress=lambda _done, _total, what: months.append(what))
    assert len(months) > 5  # a step a month
    expected = whole(service, changed)
    assert walked.score == expected.score
    assert walked.counts == expected.counts
    # The checkpoint it left serves the next look, which needs no walk.
    assert service.reports_at_hand({stretch.id})[1] == frozenset()


def test_the_ui_thread_writes_between_two_months_of_a_walk(long_store, tmp_path):
    service, _clock = copy_of(long_store, tmp_path)
    stretch, read = named(service, "Stretch"), named(service, "Read")
    service.update_habit(stretch.id, rule="FREQ=WEEKLY;BYDAY=MO,WE,FR")
    done: list[bool] = []

    def between_months(done_steps: int, _total: int, _what: str) -> None:
        if done_steps == 2 and not done:
            in_other_thread(lambda: service.check_off(read.id))
            done.append(True)

    service.walked_reports({stretch.id}, progress=between_months)
    assert done
    assert service.report(read).current is not None and service.report(read).current.outcome is not None


def test_a_check_off_landing_during_the_walk_counts_in_its_score(long_store, tmp_path):
    service, _clock = copy_of(long_store, tmp_path)
    stretch = named(service, "Stretch")
    changed = service.update_habit(stretch.id, rule="FREQ=DAILY", at=time(7)).habit
    assert changed is not None
    landed: list[bool] = []

    def between_months(done_steps: int, total: int, _what: str) -> None:
        # Once every month is read: a back-filled check-off of a missed day.
        if done_steps == total and not landed:
            missed_day = T0.date() - timedelta(days=40)  # before the checkpoint it leads to
            in_other_thread(lambda: service.check_off(stretch.id, at=at(missed_day, 8)))
            landed.append(True)

    (walked,) = service.walked_reports({stretch.id}, progress=between_months)
    assert landed
    expected = whole(service, named(service, "Stretch"))
    assert walked.counts == expected.counts
    assert walked.score == expected.score
    # And the checkpoint it kept is of the history as it is now: the next look agrees too.
    (again,) = service.reports(only={stretch.id})
    assert again.counts == expected.counts
