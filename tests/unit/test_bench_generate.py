"""The benchmark's store generator (bench/generate_store.py) writes the history it promises.

Only the shape of the data is checked here, never a duration: the benchmark itself is separate.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bench.generate_store import ZONE, generate, make_empty, reminder_times
from tests.helpers.clock import FakeClock
from trayhabit.core.model import Event, EventKind
from trayhabit.core.service import HabitService
from trayhabit.core.store import Store

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=ZoneInfo(ZONE))

# The events one settled occurrence may have: missed, skipped, checked off after the reminder (or
# back-filled late), checked off before it.
SHAPES = {
    (EventKind.FIRED,),
    (EventKind.SKIP,),
    (EventKind.DONE, EventKind.FIRED),
    (EventKind.BEATEN, EventKind.DONE),
}


def test_two_habits_with_thirty_days_each(tmp_path: Path) -> None:
    first_ahead = generate(tmp_path, habits=2, days=30, now=NOW)

    clock = FakeClock(NOW)
    store = Store(tmp_path, clock=clock)
    assert store.open() == []
    service = HabitService(store, clock)
    habits = service.habits()
    assert len(habits) == 2
    with store.reading() as view:
        events = [Event.from_doc(doc) for doc in view.events()]
    by_occurrence: dict[tuple[str, object], list[EventKind]] = defaultdict(list)
    for event in events:
        by_occurrence[event.habit_id, event.occurrence].append(event.kind)
    # Every day from the start until yesterday is settled (today's reminder, at 15:00, is ahead).
    days = [NOW.date() - timedelta(days=n) for n in range(1, 31)]
    assert set(by_occurrence) == {(habit.id, day) for habit in habits for day in days}
    assert all(tuple(sorted(kinds)) in SHAPES for kinds in by_occurrence.values())
    assert 60 <= len(events) <= 120
    for report in service.reports():
        assert report.current is None or report.current.outcome is None
        assert report.next_reminder is not None and report.next_reminder - NOW >= timedelta(hours=3)
    assert first_ahead is not None and first_ahead - NOW >= timedelta(hours=3)


@pytest.mark.parametrize("hour", [2, 9, 22])
def test_nothing_is_due_for_hours_whatever_the_time_of_generation(tmp_path: Path, hour: int) -> None:
    now = NOW.replace(hour=hour, minute=30)
    generate(tmp_path, habits=3, days=5, now=now)

    clock = FakeClock(now)
    store = Store(tmp_path, clock=clock)
    store.open()
    for report in HabitService(store, clock).reports():
        assert not report.reminder_waiting
        assert report.next_reminder is not None and report.next_reminder - now >= timedelta(hours=3)


def test_reminders_are_hours_away_from_now() -> None:
    times = reminder_times(datetime(2026, 6, 1, 22, 17, tzinfo=ZoneInfo(ZONE)), 50)
    assert len(set(times)) == 25
    assert min(times).isoformat() == "01:20:00" and max(times).isoformat() == "03:20:00"


def test_the_empty_store_has_no_habits_and_no_welcome(tmp_path: Path) -> None:
    make_empty(tmp_path)
    clock = FakeClock(NOW)
    service = HabitService(Store(tmp_path, clock=clock), clock)
    service.store.open()
    assert service.habits() == []
    assert service.settings()["welcomed"] is True
