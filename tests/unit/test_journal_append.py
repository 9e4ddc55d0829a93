"""A check-off adds its event to the journal as this process last wrote it (see
trayhabit.core.store.journal_tail): what is on disk is exactly what a whole rewrite would have
written, and a journal changed in between by another TrayHabit is never written over."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.clock import FakeClock
from trayhabit.core import jsontext
from trayhabit.core.store import Store

T0 = datetime(2026, 11, 27, 6, 53, 23, 123456, tzinfo=UTC)


def event(event_id: str, day: int, note: str = "") -> dict[str, Any]:
    recorded_at = f"2026-11-{day:02d}T08:00:00+00:00"
    doc = {
        "id": event_id,
        "habit_id": "h1",
        "kind": "done",
        "at": recorded_at,
        "recorded_at": recorded_at,
        "occurrence": recorded_at[:10],
        "target": None,
        "device": "test",
    }
    if note:
        doc["note"] = note
    return doc


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def opened(data_dir: Path, clock: FakeClock) -> Store:
    store = Store(data_dir, clock=clock)
    assert store.open() == []
    return store


def add(store: Store, *docs: dict[str, Any]) -> None:
    with store.writing() as tx:
        for doc in docs:
            tx.add_event(doc)


def ids_in(store: Store) -> list[str]:
    with store.reading() as view:
        return [doc["id"] for doc in view.events("h1")]


def test_check_offs_one_by_one_leave_the_journal_a_whole_rewrite_would_write(
    data_dir: Path, clock: FakeClock
) -> None:
    store = opened(data_dir, clock)
    # Text that JSON escapes, and non-ASCII, written as the whole-file encoder writes them.
    docs = [event("e1", 1), event("e2", 2, "ring “Acme” \\ back"), event("e3", 3), event("e4", 4, "åter")]
    for doc in docs:
        add(store, doc)
    raw = (data_dir / "journal.json").read_bytes()
    journal = json.loads(raw)
    assert raw == jsontext.dumps(journal)
    assert list(journal["events"]) == ["1", "2", "3", "4"]
    assert list(journal["events"].values()) == docs
    # The newest generation among the backups is the file as acknowledged, the last event included.
    generations = sorted((data_dir / "backups" / "generations" / "journal").iterdir())
    assert generations[-1].read_bytes() == raw
    assert ids_in(opened(data_dir, clock)) == ["e1", "e2", "e3", "e4"]


def test_an_event_the_journal_holds_already_is_not_added_twice(data_dir: Path, clock: FakeClock) -> None:
    store = opened(data_dir, clock)
    add(store, event("e1", 1))
    add(store, event("e2", 2))
    before = (data_dir / "journal.json").read_bytes()
    add(store, event("e2", 2), event("e3", 3), event("e3", 3))
    journal = json.loads((data_dir / "journal.json").read_bytes())
    assert [doc["id"] for doc in journal["events"].values()] == ["e1", "e2", "e3"]
    assert (data_dir / "journal.json").read_bytes().startswith(before[:-2])
    assert ids_in(opened(data_dir, clock)) == ["e1", "e2", "e3"]


def test_a_journal_another_trayhabit_wrote_in_between_keeps_its_events(
    data_dir: Path, clock: FakeClock
) -> None:
    store = opened(data_dir, clock)
    add(store, event("e1", 1))
    add(store, event("e2", 2))
    other = opened(data_dir, clock)  # the command line, say, while the app runs
    add(other, event("from-the-command-line", 3))
    add(store, event("e4", 4))
    add(store, event("e5", 5))
    expected = ["e1", "e2", "from-the-command-line", "e4", "e5"]
    assert ids_in(store) == expected
    assert ids_in(opened(data_dir, clock)) == expected
    journal = json.loads((data_dir / "journal.json").read_bytes())
    assert [doc["id"] for doc in journal["events"].values()] == expected
