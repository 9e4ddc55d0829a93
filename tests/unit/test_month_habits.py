"""Walking one habit's history on a long store reads only the months that hold its events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.clock import FakeClock
from trayhabit.core.store import Store
from trayhabit.core.store import folder as store_folder
from trayhabit.core.store.layout import CACHE_DIR
from trayhabit.core.store.month_habits import FILE_NAME

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def event(event_id: str, habit_id: str, recorded_at: datetime) -> dict[str, Any]:
    stamp = recorded_at.isoformat()
    return {
        "id": event_id,
        "habit_id": habit_id,
        "kind": "done",
        "at": stamp,
        "recorded_at": stamp,
        "occurrence": stamp[:10],
        "target": None,
        "device": "test",
    }


@pytest.fixture
def long_store(tmp_path: Path) -> Path:
    """Two years of an old habit's history, a month a file, and a habit with events this month only."""
    folder = tmp_path / "data"
    store = Store(folder, clock=FakeClock(NOW), journal_limit=0)
    store.open()
    for number in range(24):  # 2024-11 to 2026-10
        year, month = divmod(2024 * 12 + 10 + number, 12)
        with store.writing() as tx:
            tx.add_event(event(f"old{number:02d}", "old", datetime(year, month + 1, 15, tzinfo=UTC)))
    with store.writing() as tx:
        tx.add_event(event("new1", "new", NOW))
    # As a store written before the notes existed: nothing known of what the months hold.
    (folder / CACHE_DIR / FILE_NAME).unlink(missing_ok=True)
    return folder


@pytest.fixture
def month_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The months whose files the store reads from now on."""
    reads: list[str] = []
    real: Callable[..., Any] = store_folder.load_partition

    def counting(month: str, path: Path) -> Any:
        reads.append(month)
        return real(month, path)

    monkeypatch.setattr(store_folder, "load_partition", counting)
    return reads


def walk(store: Store, habit_id: str) -> list[str]:
    """The habit's events, by id, month by month from its first."""
    with store.reading() as view:
        return [doc["id"] for _month, docs in view.habit_months(habit_id) for doc in docs]


def test_a_new_habit_s_history_skips_the_old_months_once_they_were_read(long_store, month_reads):
    store = Store(long_store, clock=FakeClock(NOW))
    store.open()
    assert walk(store, "new") == ["new1"]
    first = list(month_reads)
    assert len(first) > 12  # the first walk reads the old months, not knowing what they hold
    month_reads.clear()
    assert walk(store, "new") == ["new1"]
    assert month_reads == []
    # The old habit's walk still finds all its history.
    assert len(walk(store, "old")) == 24


def test_what_the_months_hold_is_remembered_by_the_next_start(long_store, month_reads):
    store = Store(long_store, clock=FakeClock(NOW))
    store.open()
    walk(store, "new")
    assert (long_store / CACHE_DIR / FILE_NAME).is_file()
    month_reads.clear()
    again = Store(long_store, clock=FakeClock(NOW))
    again.open()
    assert walk(again, "new") == ["new1"]
    assert month_reads == []


def test_an_old_month_changed_since_is_read_again(long_store, month_reads):
    store = Store(long_store, clock=FakeClock(NOW))
    store.open()
    walk(store, "new")
    # Another computer's history for the new habit lands in an old month (an import, a restore).
    other = Store(long_store, clock=FakeClock(NOW), journal_limit=0)
    other.open()
    with other.writing() as tx:
        tx.add_event(event("late", "new", datetime(2025, 3, 15, tzinfo=UTC)))
    month_reads.clear()
    assert walk(store, "new") == ["late", "new1"]
    assert "2025-03" in month_reads


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{",
        b'{"format": "trayhabit-month-habits", "version": 1, "habits": 3}',
        b'{"format": "trayhabit-month-habits", "version": 1, "habits": ["new"], '
        b'"months": {"2025-03": [1, 2, [7]]}}',
    ],
)
def test_a_damaged_notes_file_costs_a_slow_walk_never_a_wrong_one(long_store, month_reads, damage):
    store = Store(long_store, clock=FakeClock(NOW))
    store.open()
    walk(store, "old")
    notes = long_store / CACHE_DIR / FILE_NAME
    notes.write_bytes(damage)
    again = Store(long_store, clock=FakeClock(NOW))
    again.open()
    assert len(walk(again, "old")) == 24
    assert walk(again, "new") == ["new1"]
