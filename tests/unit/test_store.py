"""The store: round trips, transactions, other processes, schemas, migration, recovery, backups, kills."""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.clock import FakeClock
from trayhabit.core import jsontext
from trayhabit.core.atomic import is_temp_name, temp_name_for, write_atomic
from trayhabit.core.backups import GENERATIONS
from trayhabit.core.repairs import Repair, RepairKind
from trayhabit.core.store import (
    JOURNAL_LIMIT,
    MIGRATIONS,
    AtomicJSONStorage,
    MigrationContext,
    NewerSchemaError,
    Store,
    StoreError,
    StoreLockedError,
    parse_sharing,
)
from trayhabit.core.syncfiles import parse_events_file

REPO = Path(__file__).resolve().parents[2]
FIXTURE_V1 = REPO / "tests" / "fixtures" / "store_v1" / "trayhabit.json"
WORKER = REPO / "tests" / "helpers" / "store_worker.py"
T0 = datetime(2026, 11, 27, 6, 53, 23, 123456, tzinfo=UTC)


# --- Helpers ---------------------------------------------------------------------------------------------


def event(event_id: str, habit_id: str, recorded_at: str, kind: str = "done") -> dict[str, Any]:
    return {
        "id": event_id,
        "habit_id": habit_id,
        "kind": kind,
        "at": recorded_at,
        "recorded_at": recorded_at,
        "occurrence": recorded_at[:10],
        "target": None,
        "device": "test",
    }


def habit(habit_id: str, name: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": habit_id,
        "name": name,
        "rrule": "FREQ=DAILY",
        "at": "07:00:00",
        "start": "2026-11-01",
        **fields,
    }


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under *folder* (but the lock file, which the lock library may create) and its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".lock"
    }


def signatures(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every data file's inode, mtime and size: unchanged only if the file was not rewritten."""
    result = {}
    for path in sorted(folder.rglob("*.json")):
        stat = path.stat()
        result[str(path.relative_to(folder))] = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    return result


def read_json(path: Path) -> Any:
    return jsontext.loads(path.read_bytes())


def write_json(path: Path, data: Any) -> None:
    path.write_bytes(jsontext.dumps(data))


def contents(store: Store) -> tuple[Any, ...]:
    with store.reading() as view:
        return view.device_id, view.habits(), view.events(), view.settings()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def store(data_dir: Path, clock: FakeClock) -> Store:
    opened = Store(data_dir, clock=clock)
    assert opened.open() == []
    return opened


@pytest.fixture
def monthly(data_dir: Path, clock: FakeClock) -> Store:
    """A store whose every commit folds its events into the months' files (no journal)."""
    opened = Store(data_dir, clock=clock, journal_limit=0)
    assert opened.open() == []
    return opened


def fill(store: Store) -> None:
    """Two habits, events in October and November, a setting."""
    with store.writing() as tx:
        tx.put_habit(habit("h1", "Stretch"))
        tx.put_habit(habit("h2", "Read", why="calm"))
        tx.add_event(event("e1", "h1", "2026-10-30T07:00:00.000001+00:00"))
        tx.add_event(event("e2", "h2", "2026-10-31T23:59:59.999999+00:00"))
        tx.add_event(event("e3", "h1", "2026-11-01T00:00:00+00:00"))
        tx.set_settings({"snooze_minutes": 10})


# --- Atomic writes --------------------------------------------------------------------------------------


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "trayhabit.json"
    target.write_bytes(b"old")

    def failing_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="Input/output"):
        write_atomic(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert list(tmp_path.iterdir()) == [target]


def test_temp_names_are_recognised() -> None:
    temp = temp_name_for(Path("data/events/2026-11.json"))
    assert temp.parent == Path("data/events")
    assert temp.name.startswith(".2026-11.json.")
    assert is_temp_name(temp.name)
    assert not is_temp_name("notes.tmp")
    assert not is_temp_name("2026-11.json")


# --- Round trip and transactions ------------------------------------------------------------------------


def test_a_new_folder_gets_the_schema_3_layout(store: Store, data_dir: Path) -> None:
    assert sorted(path.name for path in data_dir.iterdir()) == [".lock", "backups", "trayhabit.json"]
    # The first generation of the main file: a damaged file is never restored as nothing at all.
    (generation,) = (data_dir / "backups" / "generations" / "trayhabit").iterdir()
    assert generation.read_bytes() == (data_dir / "trayhabit.json").read_bytes()
    main = read_json(data_dir / "trayhabit.json")
    meta = main["meta"]["1"]
    assert meta["schema_version"] == 3
    assert len(meta["device_id"]) == 32
    assert meta["created_at"] == T0.isoformat()
    assert "events" not in main
    with store.reading() as view:
        assert view.device_id == meta["device_id"]
        assert view.habits() == []
        assert view.events() == []
        assert view.settings() == {}


def test_round_trip(store: Store, data_dir: Path) -> None:
    fill(store)
    with store.writing() as tx:
        tx.put_habit(habit("h1", "Stretch more"))  # replaces, keeps its place
        tx.set_settings({"day_boundary": "03:00"})
    before = contents(store)
    assert [doc["name"] for doc in before[1]] == ["Stretch more", "Read"]
    assert before[3] == {"snooze_minutes": 10, "day_boundary": "03:00"}

    reopened = Store(data_dir)
    assert reopened.open() == []
    assert contents(reopened) == before
    # This month's events wait in the journal; October's went to October's file.
    journal = read_json(data_dir / "journal.json")
    assert journal["meta"]["1"] == {"schema_version": 3, "journal": True}
    assert [doc["id"] for doc in journal["events"].values()] == ["e3"]
    assert [path.name for path in (data_dir / "events").iterdir()] == ["2026-10.json"]
    october = read_json(data_dir / "events" / "2026-10.json")
    assert october["meta"]["1"] == {"schema_version": 3, "partition": "2026-10"}
    assert sorted(doc["id"] for doc in october["events"].values()) == ["e1", "e2"]


def test_the_commit_that_would_overflow_the_journal_folds_it_into_the_months(
    data_dir: Path, clock: FakeClock
) -> None:
    store = Store(data_dir, clock=clock, journal_limit=2)
    store.open()
    fill(store)
    with store.writing() as tx:
        tx.add_event(event("e4", "h2", "2026-11-02T08:00:00+00:00"))
    assert len(read_json(data_dir / "journal.json")["events"]) == 2
    before = contents(store)
    with store.writing() as tx:
        tx.add_event(event("e5", "h1", "2026-11-03T08:00:00+00:00"))
    assert contents(store)[2] == [*before[2], event("e5", "h1", "2026-11-03T08:00:00+00:00")]

    assert read_json(data_dir / "journal.json") == {"meta": {"1": {"schema_version": 3, "journal": True}}}
    assert sorted(path.name for path in (data_dir / "events").iterdir()) == ["2026-10.json", "2026-11.json"]
    november = read_json(data_dir / "events" / "2026-11.json")
    assert sorted(doc["id"] for doc in november["events"].values()) == ["e3", "e4", "e5"]
    reopened = Store(data_dir)
    assert reopened.open() == []
    assert contents(reopened) == contents(store)


def test_the_first_commit_of_a_month_folds_last_months_journal(
    store: Store, data_dir: Path, clock: FakeClock
) -> None:
    fill(store)
    clock.advance(days=5)  # December
    with store.writing() as tx:
        tx.add_event(event("e4", "h2", "2026-12-02T08:00:00+00:00"))
    assert "events" not in read_json(data_dir / "journal.json")
    for month, ids in (("2026-11", ["e3"]), ("2026-12", ["e4"])):
        stored = read_json(data_dir / "events" / f"{month}.json")["events"].values()
        assert [doc["id"] for doc in stored] == ids
    assert [doc["id"] for doc in contents(store)[2]] == ["e1", "e2", "e3", "e4"]


def test_a_fold_cut_short_leaves_each_event_once(data_dir: Path, clock: FakeClock) -> None:
    store = Store(data_dir, clock=clock, journal_limit=1)
    store.open()
    fill(store)
    stale_journal = (data_dir / "journal.json").read_bytes()
    with store.writing() as tx:
        tx.add_event(event("e4", "h2", "2026-11-02T08:00:00+00:00"))
    # As if a kill had struck between the months' files and the emptied journal.
    write_atomic(data_dir / "journal.json", stale_journal)
    expected = ["e1", "e2", "e3", "e4"]
    for reader in (store, Store(data_dir, clock=clock, journal_limit=1)):
        assert reader.open() == []
        with reader.reading() as view:
            assert [doc["id"] for doc in view.events()] == expected
            assert view.event_ids() == set(expected)
            assert [doc["id"] for doc in view.events("h1")] == ["e1", "e3"]
    # The next fold empties the journal again and writes nothing twice.
    with store.writing() as tx:
        tx.add_event(event("e5", "h1", "2026-11-03T08:00:00+00:00"))
    november = read_json(data_dir / "events" / "2026-11.json")["events"].values()
    assert sorted(doc["id"] for doc in november) == ["e3", "e4", "e5"]
    reopened = Store(data_dir)
    assert reopened.open() == []
    assert contents(reopened) == contents(store)
    assert [doc["id"] for doc in contents(store)[2]] == [*expected, "e5"]


def test_put_habit_replaces_the_whole_document(store: Store) -> None:
    with store.writing() as tx:
        tx.put_habit(habit("h1", "Stretch", why="old", extra={"nested": [1, 2]}))
    with store.writing() as tx:
        tx.put_habit(habit("h1", "Stretch"))
        assert tx.habit("h1") == habit("h1", "Stretch")
    with store.reading() as view:
        assert view.habits() == [habit("h1", "Stretch")]
        assert view.habit("nope") is None


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param({"rrule": 5}, id="rule-a-number"),
        pytest.param({"at": "25:00"}, id="impossible-time"),
        pytest.param({"why": 5}, id="why-a-number"),
        pytest.param({"state": "sleeping"}, id="unknown-state"),
        pytest.param({"extra": [[[[[[[[[[1]]]]]]]]]]}, id="nested-too-deep"),
    ],
)
def test_a_habit_that_would_not_load_again_is_refused_before_anything_is_written(
    store: Store, data_dir: Path, bad: dict[str, Any]
) -> None:
    before = snapshot(data_dir)
    with pytest.raises(ValueError), store.writing() as tx:
        tx.put_habit(habit("h1", "Stretch", **bad))
    assert snapshot(data_dir) == before


def test_duplicate_event_is_a_no_op_and_events_are_filtered_and_sorted(store: Store, data_dir: Path) -> None:
    with store.writing() as tx:
        assert tx.add_event(event("b", "h1", "2026-11-02T08:00:00+00:00"))
        assert tx.add_event(event("a", "h1", "2026-11-02T08:00:00+00:00"))  # same time: id decides
        assert tx.add_event(event("c", "h2", "2026-11-01T08:00:00+00:00"))
        assert tx.add_event(event("d", "h1", "2026-10-15T08:00:00+00:00"))
        assert not tx.add_event(event("a", "h1", "2026-12-24T08:00:00+00:00"))  # pending already
        assert [doc["id"] for doc in tx.events("h1")] == ["d", "a", "b"]
    files = signatures(data_dir)
    with store.writing() as tx:
        assert not tx.add_event(event("b", "h9", "2027-01-01T00:00:00+00:00"))
    assert signatures(data_dir) == files  # nothing was written
    with store.reading() as view:
        assert [doc["id"] for doc in view.events("h1")] == ["d", "a", "b"]
        assert [doc["id"] for doc in view.events("h2")] == ["c"]
        assert view.events("unknown") == []
        assert [doc["id"] for doc in view.events()] == ["d", "c", "a", "b"]
        assert view.event_ids() == {"a", "b", "c", "d"}
        assert view.events("h1")[1] == event("a", "h1", "2026-11-02T08:00:00+00:00")


def test_views_hand_out_copies(store: Store) -> None:
    fill(store)
    with store.reading() as view:
        view.habits()[0]["name"] = "changed"
        view.events("h1")[0]["kind"] = "changed"
        view.settings()["snooze_minutes"] = 99
    with store.reading() as view:
        assert view.habits()[0]["name"] == "Stretch"
        assert view.events("h1")[0]["kind"] == "done"
        assert view.settings() == {"snooze_minutes": 10}


def test_a_view_cannot_be_used_after_its_block(store: Store) -> None:
    with store.reading() as view:
        pass
    with pytest.raises(RuntimeError):
        view.habits()
    with store.writing() as tx:
        pass
    with pytest.raises(RuntimeError):
        tx.put_habit(habit("h1", "late"))


def test_bad_documents_are_refused(store: Store) -> None:
    with store.writing() as tx:
        with pytest.raises(ValueError, match="UTC"):
            tx.add_event(event("x", "h1", "2026-11-02T08:00:00+01:00"))
        with pytest.raises(ValueError, match="UTC"):
            tx.add_event(event("x", "h1", "yesterday"))
        with pytest.raises(ValueError, match="habit_id"):
            tx.add_event({"id": "x", "recorded_at": "2026-11-02T08:00:00+00:00"})
        with pytest.raises(ValueError, match="id"):
            tx.put_habit({"name": "no id"})
        with pytest.raises(TypeError):
            tx.put_habit({"id": "h1", "when": object()})


def test_a_transaction_sees_its_own_changes(store: Store) -> None:
    fill(store)
    with store.writing() as tx:
        tx.put_habit(habit("h3", "Walk"))
        tx.put_habit(habit("h1", "Stretch longer"))
        tx.add_event(event("e4", "h1", "2026-10-01T00:00:00+00:00"))
        tx.set_settings({"snooze_minutes": 5})
        assert [doc["name"] for doc in tx.habits()] == ["Stretch longer", "Read", "Walk"]
        assert [doc["id"] for doc in tx.events("h1")] == ["e4", "e1", "e3"]
        assert tx.settings() == {"snooze_minutes": 5}
        assert "e4" in tx.event_ids()
        with store.reading() as view:  # nested: no deadlock, and sees only what is committed
            assert [doc["name"] for doc in view.habits()] == ["Stretch", "Read"]
        with store.writing() as inner:  # a nested transaction commits on its own
            inner.set_settings({"language": "sv"})
    with store.reading() as view:
        assert view.settings() == {"snooze_minutes": 5, "language": "sv"}
        assert [doc["name"] for doc in view.habits()] == ["Stretch longer", "Read", "Walk"]


def test_rollback_on_exception_writes_nothing(store: Store, data_dir: Path) -> None:
    fill(store)
    before_files = snapshot(data_dir)
    before_view = contents(store)
    with pytest.raises(KeyError), store.writing() as tx:
        tx.put_habit(habit("h1", "changed"))
        tx.put_habit(habit("h4", "new"))
        tx.add_event(event("e9", "h1", "2026-11-05T00:00:00+00:00"))
        tx.add_event(event("e10", "h1", "2026-12-05T00:00:00+00:00"))
        tx.set_settings({"snooze_minutes": 1})
        raise KeyError("the use case changed its mind")
    assert snapshot(data_dir) == before_files
    assert contents(store) == before_view
    fresh = Store(data_dir)
    assert fresh.open() == []
    assert contents(fresh) == before_view


def test_a_failed_commit_leaves_memory_as_the_disk(
    store: Store, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store)
    real_flush = AtomicJSONStorage._flush

    def flush_but_not_the_main_file(self: AtomicJSONStorage) -> None:
        if self.path.name == "trayhabit.json":
            raise OSError(errno.ENOSPC, "No space left on device", str(self.path))
        real_flush(self)

    monkeypatch.setattr(AtomicJSONStorage, "_flush", flush_but_not_the_main_file)
    with pytest.raises(StoreError, match="No space left on device"), store.writing() as tx:
        tx.put_habit(habit("h1", "changed"))
        tx.add_event(event("e9", "h1", "2026-11-05T00:00:00+00:00"))
    monkeypatch.undo()
    # The event file was written before the main file failed: it is there, the habit change is not.
    with store.reading() as view:
        assert view.habit("h1") == habit("h1", "Stretch")
        assert "e9" in view.event_ids()
    fresh = Store(data_dir)
    assert fresh.open() == []
    assert contents(fresh) == contents(store)
    assert not [path for path in data_dir.rglob("*.tmp")]


def test_a_transaction_without_changes_writes_nothing(store: Store, data_dir: Path) -> None:
    fill(store)
    files = signatures(data_dir)
    with store.writing() as tx:
        tx.habits()
        tx.put_habit(habit("h1", "Stretch"))  # the same document again
        tx.set_settings({"snooze_minutes": 10})  # the same value again
    assert signatures(data_dir) == files


@pytest.mark.parametrize(
    ("journal_limit", "written"), [(JOURNAL_LIMIT, "journal.json"), (0, "events/2026-11.json")]
)
def test_add_event_writes_only_the_journal_or_its_month(
    data_dir: Path, clock: FakeClock, journal_limit: int, written: str
) -> None:
    store = Store(data_dir, clock=clock, journal_limit=journal_limit)
    store.open()
    fill(store)
    with store.writing() as tx:
        tx.add_event(event("e4", "h1", "2026-09-01T00:00:00+00:00"))
    before = signatures(data_dir)
    with store.writing() as tx:
        tx.add_event(event("e5", "h1", "2026-11-27T06:53:23.123456+00:00"))
    after = signatures(data_dir)
    changed = {name for name in after if before.get(name) != after[name]}
    # That one file, and its first backup (the earlier backups were made on other days' writes).
    assert {name for name in changed if not name.startswith("backups")} == {written}


# --- Several processes ------------------------------------------------------------------------------


def test_changes_by_another_store_are_seen(store: Store, data_dir: Path) -> None:
    fill(store)
    with store.reading() as view:
        assert len(view.events()) == 3  # loaded now, so what follows must be a reload
    other = Store(data_dir, journal_limit=0)  # it writes the months' files, the first one the journal
    assert other.open() == []
    with other.writing() as tx:
        tx.put_habit(habit("h2", "Read aloud"))
        tx.add_event(event("e4", "h2", "2026-11-03T00:00:00+00:00"))
        tx.add_event(event("e5", "h2", "2026-12-03T00:00:00+00:00"))
        tx.set_settings({"language": "sv"})
    with store.reading() as view:
        assert view.habit("h2") == habit("h2", "Read aloud")
        assert [doc["id"] for doc in view.events("h2")] == ["e2", "e4", "e5"]
        assert view.settings() == {"snooze_minutes": 10, "language": "sv"}
    # A partition removed by another process (a restore of an old folder, say) goes away too.
    (data_dir / "events" / "2026-12.json").unlink()
    with store.reading() as view:
        assert [doc["id"] for doc in view.events("h2")] == ["e2", "e4"]
    # And a write by the first store keeps what the other wrote.
    with store.writing() as tx:
        tx.put_habit(habit("h1", "Stretch twice"))
    with other.reading() as view:
        assert [doc["name"] for doc in view.habits()] == ["Stretch twice", "Read aloud"]


def test_the_lock_times_out_with_a_clear_error(store: Store, data_dir: Path) -> None:
    other = Store(data_dir, lock_timeout=0.05)
    with store.reading(), pytest.raises(StoreLockedError, match="Another TrayHabit process"):
        other.open()
    assert other.open() == []


def test_reading_before_open_is_a_programming_error(data_dir: Path) -> None:
    with pytest.raises(RuntimeError, match="open"), Store(data_dir).reading():
        pass


def subprocess_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def test_two_processes_writing_at_once_lose_nothing(data_dir: Path) -> None:
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "add", str(data_dir), prefix, "200"],
            env=subprocess_env(),
            stderr=subprocess.PIPE,
        )
        for prefix in ("A", "B")
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors.decode()
    store = Store(data_dir)
    assert store.open() == []
    with store.reading() as view:
        ids = view.event_ids()
    assert ids == {f"{prefix}-{number}" for prefix in "AB" for number in range(200)}


# --- Schemas --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["trayhabit.json", "journal.json", "events/2026-11.json"])
def test_a_newer_schema_is_refused_and_nothing_is_touched(store: Store, data_dir: Path, where: str) -> None:
    fill(store)
    monthly = Store(data_dir, journal_limit=0)
    monthly.open()
    with monthly.writing() as tx:
        tx.add_event(event("e4", "h2", "2026-11-03T00:00:00+00:00"))  # a month's file too
    path = data_dir / where
    newer = read_json(path)
    newer["meta"]["1"]["schema_version"] = 4
    newer["something_new"] = {"1": {"x": 1}}
    if where == "trayhabit.json":
        del newer["habits"]  # a newer layout: refused as newer, not taken for damage
    write_json(path, newer)
    (data_dir / ".trayhabit.json.999.0123abcd.tmp").write_bytes(b"left over")
    before = snapshot(data_dir)

    with pytest.raises(NewerSchemaError) as raised:
        Store(data_dir).open()
    message = str(raised.value)
    assert str(path) in message
    assert "newer TrayHabit (schema 4; this version reads up to 3)" in message
    assert "left untouched" in message
    assert snapshot(data_dir) == before

    # The running store refuses it as well, on its next reload.
    with pytest.raises(NewerSchemaError), store.reading():
        pass
    with pytest.raises(NewerSchemaError), store.writing() as tx:
        tx.put_habit(habit("h9", "x"))
    assert snapshot(data_dir) == before


# --- Migration ------------------------------------------------------------------------------------------


def v1_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "v1"
    folder.mkdir()
    shutil.copyfile(FIXTURE_V1, folder / "trayhabit.json")
    return folder


def test_migrating_the_v1_fixture(tmp_path: Path, clock: FakeClock) -> None:
    folder = v1_folder(tmp_path)
    original = read_json(FIXTURE_V1)
    store = Store(folder, clock=clock)
    assert store.open() == []

    main = read_json(folder / "trayhabit.json")
    assert set(main) == {"meta", "habits", "settings"}
    meta = main["meta"]["1"]
    assert meta["schema_version"] == 3
    assert meta["created_at"] == original["meta"]["1"]["created_at"]
    assert len(meta["device_id"]) == 32
    assert main["habits"] == original["habits"]
    assert main["settings"] == original["settings"]

    # Every event, unchanged, in the file of the month of its UTC recorded_at.
    stored: dict[str, dict[str, Any]] = {}
    for path in (folder / "events").iterdir():
        partition = read_json(path)
        month = path.stem
        assert partition["meta"]["1"] == {"schema_version": 3, "partition": month}
        for doc in partition["events"].values():
            assert doc["recorded_at"][:7] == month
            assert doc["id"] not in stored
            stored[doc["id"]] = doc
    assert sorted(path.name for path in (folder / "events").iterdir()) == ["2026-10.json", "2026-11.json"]
    assert stored == {doc["id"]: doc for doc in original["events"].values()}
    # The event recorded at 23:40 UTC on 31 October stays in October, whatever the local date was.
    october = read_json(folder / "events" / "2026-10.json")["events"].values()
    assert "f06c7b2d-1a93-4e5f-8b64-9d2c0e7a3f67" in {doc["id"] for doc in october}

    with store.reading() as view:
        assert [doc["id"] for doc in view.habits()] == [doc["id"] for doc in original["habits"].values()]
        assert len(view.events()) == 11
        assert {doc["kind"] for doc in view.events()} >= {"done", "skip", "undo"}
        assert view.settings() == original["settings"]["1"]
        assert view.device_id == meta["device_id"]

    # The pre-migration file is kept, byte for byte, outside the rotation.
    kept = list((folder / "backups").glob("trayhabit.schema1.*.json"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == FIXTURE_V1.read_bytes()

    # Opening again changes nothing.
    before = snapshot(folder)
    assert Store(folder, clock=clock).open() == []
    assert store.open() == []
    assert snapshot(folder) == before


def test_an_interrupted_migration_completes_on_the_next_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = v1_folder(tmp_path)
    real_step = MIGRATIONS[1]

    def cut_after_the_first_month(context: MigrationContext, data: dict[str, Any]) -> dict[str, Any]:
        october = [doc for doc in data["events"].values() if doc["recorded_at"].startswith("2026-10")]
        context.write_events("2026-10", october)
        raise OSError(errno.EIO, "simulated power cut", "trayhabit.json")

    monkeypatch.setitem(MIGRATIONS, 1, cut_after_the_first_month)
    with pytest.raises(StoreError, match="simulated power cut"):
        Store(folder).open()
    assert (folder / "trayhabit.json").read_bytes() == FIXTURE_V1.read_bytes()
    assert (folder / "events" / "2026-10.json").exists()

    monkeypatch.setitem(MIGRATIONS, 1, real_step)
    store = Store(folder)
    assert store.open() == []
    with store.reading() as view:
        ids = [doc["id"] for doc in view.events()]
    assert sorted(ids) == sorted(doc["id"] for doc in read_json(FIXTURE_V1)["events"].values())
    october = read_json(folder / "events" / "2026-10.json")["events"]
    assert len(october) == len({doc["id"] for doc in october.values()}) == 7


# --- Damage and recovery --------------------------------------------------------------------------------

GARBAGE = [
    pytest.param(b"", "it is empty", id="empty"),
    pytest.param(b'{"meta": {"1": {"schema_ver', "it is cut short", id="truncated"),
    pytest.param(b"\x00\x00\x00\x00", "it is not valid JSON", id="zeros"),
    pytest.param(b"[]", "its structure is not TrayHabit's", id="not-an-object"),
    pytest.param(
        b'{"meta": {"1": {"schema_version": 2}}, "habits": []}',
        "its structure is not TrayHabit's",
        id="wrong-structure",
    ),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, "it is nested more than 64 levels deep", id="nested"),
]


def two_generations(store: Store, clock: FakeClock) -> None:
    """Write h1, a day later h2 (with events e1 and e2)."""
    with store.writing() as tx:
        tx.put_habit(habit("h1", "Stretch"))
        tx.add_event(event("e1", "h1", "2026-11-01T00:00:00+00:00"))
    clock.advance(hours=25)
    with store.writing() as tx:
        tx.put_habit(habit("h2", "Read"))
        tx.add_event(event("e2", "h2", "2026-11-02T00:00:00+00:00"))


def habit_ids(store: Store) -> list[str]:
    with store.reading() as view:
        return [doc["id"] for doc in view.habits()]


def event_ids(store: Store) -> list[str]:
    with store.reading() as view:
        return [doc["id"] for doc in view.events()]


@pytest.mark.parametrize(("garbage", "reason"), GARBAGE)
def test_a_damaged_main_file_comes_back_as_it_was_last_saved(
    store: Store, data_dir: Path, clock: FakeClock, garbage: bytes, reason: str
) -> None:
    two_generations(store, clock)
    saved_at = clock.now()
    (data_dir / "trayhabit.json").write_bytes(garbage)
    clock.advance(minutes=5)

    reopened = Store(data_dir, clock=clock)
    (repair,) = reopened.open()
    (aside,) = data_dir.glob("trayhabit.json.corrupt-*")
    assert aside.read_bytes() == garbage
    assert aside.name == "trayhabit.json.corrupt-20261128T075823123456Z"
    assert repair == Repair(
        RepairKind.RESTORED, "trayhabit.json", data_dir, reason=reason, aside=aside, restored_from=saved_at
    )
    local = saved_at.astimezone().strftime("%Y-%m-%d %H:%M")
    assert repair.message() == (
        f"trayhabit.json was damaged ({reason}). TrayHabit restored it as it was saved at {local}; "
        f"the damaged copy is {aside}."
    )
    # Nothing lost, not even the last change: the newest generation is the file as last written.
    assert habit_ids(reopened) == ["h1", "h2"]
    assert event_ids(reopened) == ["e1", "e2"]
    assert Store(data_dir).open() == []


def test_on_the_first_day_garbage_brings_back_the_habits_not_an_empty_store(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = Store(data_dir)
    store.open()
    with store.writing() as tx:  # one change: no daily backup holds it
        tx.put_habit(habit("h1", "Stretch"))
        tx.set_settings({"welcomed": True, "snooze_minutes": 15})
    (data_dir / "trayhabit.json").write_bytes(b"garbage\n")
    reopened = Store(data_dir)
    (repair,) = reopened.open()
    assert repair.kind is RepairKind.RESTORED
    assert habit_ids(reopened) == ["h1"]
    with reopened.reading() as view:
        assert view.settings() == {"welcomed": True, "snooze_minutes": 15}


def test_a_restore_says_when_the_damaged_copy_held_habits_the_backup_lacks(
    store: Store, data_dir: Path, clock: FakeClock
) -> None:
    two_generations(store, clock)
    # Written by some other program without TrayHabit's lock: valid JSON, one habit broken, one new.
    main = read_json(data_dir / "trayhabit.json")
    main["habits"]["2"]["rrule"] = 5
    main["habits"]["3"] = habit("h3", "Walk")
    (data_dir / "trayhabit.json").write_text(json.dumps(main))
    reopened = Store(data_dir, clock=clock)
    (repair,) = reopened.open()
    assert repair.reason == "habit 2: its schedule is not a rule"
    assert repair.habits_lost == 1  # h3: the damaged copy, kept aside, still has it
    assert "seem to be in the damaged copy (count: 1)" in repair.message()
    assert habit_ids(reopened) == ["h1", "h2"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param(
            lambda doc: doc.update(rrule=5), "habit 1: its schedule is not a rule", id="rule-a-number"
        ),
        pytest.param(
            lambda doc: doc.update(at="25:00"),
            "habit 1: its reminder time is not a time of day (HH:MM)",
            id="bad-time",
        ),
        pytest.param(
            lambda doc: doc.update(start=None), "habit 1: its start is not a date (YYYY-MM-DD)", id="no-start"
        ),
        pytest.param(lambda doc: doc.update(name=["a"]), "habit 1: its name is not text", id="name-a-list"),
        pytest.param(
            lambda doc: doc.update(updated_at="yesterday"),
            "habit 1: its updated_at is not a date and time with a UTC offset",
            id="bad-stamp",
        ),
    ],
)
def test_a_wrongly_typed_habit_makes_the_file_count_as_damaged(
    store: Store, data_dir: Path, clock: FakeClock, change: Any, reason: str
) -> None:
    with store.writing() as tx:
        tx.put_habit(habit("h1", "Stretch"))
    main = read_json(data_dir / "trayhabit.json")
    change(main["habits"]["1"])
    (data_dir / "trayhabit.json").write_text(json.dumps(main))
    reopened = Store(data_dir, clock=clock)
    (repair,) = reopened.open()
    assert (repair.kind, repair.reason) == (RepairKind.RESTORED, reason)
    assert habit_ids(reopened) == ["h1"]


def test_without_any_backup_every_habit_that_reads_is_kept_and_the_rest_set_aside(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = Store(data_dir)
    store.open()
    with store.writing() as tx:
        tx.put_habit(habit("h1", "Stretch"))
        tx.put_habit(habit("h2", "Read"))
        tx.put_habit(habit("h3", "Walk"))
        tx.set_settings({"snooze_minutes": 15})
    device_id = contents(store)[0]
    shutil.rmtree(data_dir / "backups")
    main = read_json(data_dir / "trayhabit.json")
    main["habits"]["2"]["rrule"] = 5
    raw = json.dumps(main).encode()
    (data_dir / "trayhabit.json").write_bytes(raw[: raw.index(b'"3":')])  # cut short inside h3 too
    reopened = Store(data_dir)
    (repair,) = reopened.open()
    assert repair.kind is RepairKind.SALVAGED
    assert repair.set_aside == (
        "the part of the file that could not be read",
        "habit 2: its schedule is not a rule",
    )
    assert "set aside the rest (2): the part of the file that could not be read; habit 2:" in repair.message()
    assert habit_ids(reopened) == ["h1"]
    with reopened.reading() as view:
        assert view.device_id == device_id
    (aside,) = data_dir.glob("trayhabit.json.corrupt-*")
    assert aside.read_bytes() == raw[: raw.index(b'"3":')]


def test_without_any_backup_an_unreadable_main_file_still_lets_the_store_open(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = Store(data_dir, backup_count=0)
    store.open()
    with store.writing() as tx:
        tx.put_habit(habit("h1", "Stretch"))
        tx.add_event(event("e1", "h1", "2026-11-01T00:00:00+00:00"))
    (data_dir / "trayhabit.json").write_bytes(b"\x00" * 10)
    reopened = Store(data_dir)
    (repair,) = reopened.open()
    assert repair.kind is RepairKind.SALVAGED
    assert "Nothing in it could be read" in repair.message()
    assert habit_ids(reopened) == []
    assert event_ids(reopened) == ["e1"]  # the history is in other files: kept
    assert list(data_dir.glob("trayhabit.json.corrupt-*"))


def test_a_damaged_backup_is_passed_over(store: Store, data_dir: Path, clock: FakeClock) -> None:
    two_generations(store, clock)
    clock.advance(hours=25)
    with store.writing() as tx:
        tx.put_habit(habit("h3", "Walk"))
    generations = sorted((data_dir / "backups" / "generations" / "trayhabit").glob("*.json"))
    generations[-1].write_bytes(b"{")
    (data_dir / "trayhabit.json").write_bytes(b"{")
    reopened = Store(data_dir, clock=clock)
    (repair,) = reopened.open()
    assert repair.kind is RepairKind.RESTORED
    assert habit_ids(reopened) == ["h1", "h2"]  # one change ago: the generation before the damaged one


EVENTS_FILES = [
    pytest.param((JOURNAL_LIMIT, "journal.json"), id="journal"),
    pytest.param((0, "events/2026-11.json"), id="month"),
]


@pytest.mark.parametrize(("garbage", "reason"), GARBAGE)
@pytest.mark.parametrize("layout", EVENTS_FILES)
def test_a_damaged_events_file_loses_no_acknowledged_check_off(
    data_dir: Path, clock: FakeClock, garbage: bytes, reason: str, layout: tuple[int, str]
) -> None:
    journal_limit, name = layout
    store = Store(data_dir, clock=clock, journal_limit=journal_limit)
    store.open()
    two_generations(store, clock)
    path = data_dir / name
    path.write_bytes(garbage)
    (repair,) = Store(data_dir, clock=clock).open()
    (aside,) = path.parent.glob(f"{path.name}.corrupt-*")
    assert aside.read_bytes() == garbage
    assert (repair.kind, repair.file, repair.reason, repair.aside) == (
        RepairKind.RESTORED,
        name,
        reason,
        aside,
    )
    assert event_ids(store) == ["e1", "e2"]


def test_a_damaged_journal_without_a_backup_keeps_every_event_that_reads(
    store: Store, data_dir: Path
) -> None:
    with store.writing() as tx:
        tx.put_habit(habit("h1", "Stretch"))
        tx.add_event(event("e1", "h1", "2026-11-01T00:00:00+00:00"))
        tx.add_event(event("e2", "h1", "2026-11-02T00:00:00+00:00"))
        tx.add_event(event("e3", "h1", "2026-11-03T00:00:00+00:00"))
    shutil.rmtree(data_dir / "backups")
    journal = read_json(data_dir / "journal.json")
    journal["events"]["2"]["kind"] = "maybe"
    (data_dir / "journal.json").write_text(json.dumps(journal))
    (repair,) = store.open()
    assert repair.kind is RepairKind.SALVAGED
    assert repair.set_aside == ("event 2: its kind is not one TrayHabit knows",)
    assert event_ids(store) == ["e1", "e3"]
    assert Store(data_dir).open() == []


def test_damage_found_while_running_is_repaired_and_reported(
    store: Store, data_dir: Path, clock: FakeClock
) -> None:
    two_generations(store, clock)
    (data_dir / "trayhabit.json").write_bytes(b"oops")
    assert habit_ids(store) == ["h1", "h2"]
    (repair,) = store.take_notices()
    assert repair.file == "trayhabit.json"
    assert store.take_notices() == []


def test_a_missing_main_file_is_restored_from_its_backup(
    store: Store, data_dir: Path, clock: FakeClock
) -> None:
    two_generations(store, clock)
    device_id = contents(store)[0]
    (data_dir / "trayhabit.json").unlink()
    (repair,) = Store(data_dir).open()
    assert (repair.kind, repair.restored_from) == (RepairKind.MISSING_RESTORED, clock.now())
    assert repair.message().startswith("trayhabit.json was missing; TrayHabit restored it as it was saved at")
    with store.reading() as view:
        assert view.device_id == device_id
    assert habit_ids(store) == ["h1", "h2"]


def test_leftover_temp_files_are_removed_at_open(monthly: Store, data_dir: Path, clock: FakeClock) -> None:
    two_generations(monthly, clock)
    leftovers = [
        data_dir / ".trayhabit.json.4242.0badc0de.tmp",
        data_dir / "events" / ".2026-11.json.4242.12345678.tmp",
        data_dir / "backups" / ".trayhabit.20261127T065323123456Z.json.4242.abcdef01.tmp",
        data_dir / "backups" / "generations" / "trayhabit" / ".20261127T065323123456Z.json.4242.abcdef02.tmp",
    ]
    for path in leftovers:
        path.write_bytes(b'{"half": ')
    keep = data_dir / "notes.tmp"  # not ours
    keep.write_bytes(b"mine")
    assert Store(data_dir).open() == []
    assert [path for path in leftovers if path.exists()] == []
    assert keep.exists()


# --- Backups --------------------------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names an fsynced file through /proc (Linux)")
def test_a_check_off_is_fsynced_once_and_its_generation_left_to_the_system(
    store: Store, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.writing() as tx:
        tx.put_habit(habit("h1", "Stretch"))
        tx.add_event(event("e0", "h1", "2026-11-26T06:00:00+00:00"))  # the journal and its folders exist
    with store.writing() as tx:
        tx.add_event(event("e00", "h1", "2026-11-26T07:00:00+00:00"))  # and its daily copy is taken
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(str(Path(f"/proc/self/fd/{fd}").readlink()))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with store.writing() as tx:
        tx.add_event(event("e1", "h1", "2026-11-27T06:00:00+00:00"))
    # The journal's temporary file and the data folder: durable before the check-off is acknowledged.
    assert [Path(name).name.startswith(".journal.json.") or Path(name) == data_dir for name in synced] == [
        True,
        True,
    ]
    newest = sorted((data_dir / "backups" / "generations" / "journal").iterdir())[-1]
    assert newest.read_bytes() == (data_dir / "journal.json").read_bytes()


@pytest.mark.parametrize(
    ("journal_limit", "events_stem"), [(JOURNAL_LIMIT, "journal"), (0, "events-2026-11")]
)
def test_backups_rotate(data_dir: Path, clock: FakeClock, journal_limit: int, events_stem: str) -> None:
    store = Store(
        data_dir, backup_count=3, backup_interval=timedelta(0), journal_limit=journal_limit, clock=clock
    )
    store.open()
    for number in range(8):
        clock.advance(seconds=1)
        with store.writing() as tx:
            tx.put_habit(habit(f"h{number}", "x"))
            tx.add_event(event(f"e{number}", "h1", f"2026-11-{number + 1:02}T00:00:00+00:00"))
    backups = data_dir / "backups"
    daily = sorted(backups.glob("trayhabit.*.json"))
    assert len(daily) == 3
    assert len(list(backups.glob(f"{events_stem}.*.json"))) == 3
    # The newest daily backup holds the file as it was just before the last write (at T0 + 8 s).
    assert daily[-1].name == "trayhabit.20261127T065331123456Z.json"
    assert [doc["id"] for doc in read_json(daily[-1])["habits"].values()] == [f"h{n}" for n in range(7)]
    # The generations: the last three versions, the newest one the file as it is now.
    generations = sorted((backups / "generations" / "trayhabit").glob("*.json"))
    assert len(generations) == GENERATIONS == 3
    assert generations[-1].read_bytes() == (data_dir / "trayhabit.json").read_bytes()
    assert [len(read_json(path)["habits"]) for path in generations] == [6, 7, 8]
    event_generations = sorted((backups / "generations" / events_stem).glob("*.json"))
    assert [len(read_json(path)["events"]) for path in event_generations] == [6, 7, 8]


def test_backups_wait_for_the_interval(data_dir: Path, clock: FakeClock) -> None:
    store = Store(data_dir, backup_interval=timedelta(hours=24), clock=clock)
    store.open()

    def daily() -> int:
        return len(list((data_dir / "backups").glob("trayhabit.*.json")))

    for number in range(10):
        clock.advance(hours=1)
        with store.writing() as tx:
            tx.put_habit(habit(f"h{number}", "x"))
    assert daily() == 1
    clock.advance(hours=24)
    with store.writing() as tx:
        tx.put_habit(habit("h99", "x"))
    assert daily() == 2


# --- Kills ----------------------------------------------------------------------------------------------


class Zygote:
    """The worker helper in zygote mode: forks a writer per trial, which the test then kills."""

    def __init__(self, stderr_path: Path) -> None:
        self._stderr = stderr_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), "zygote"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=subprocess_env(),
        )
        self.stderr_path = stderr_path

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((line + "\n").encode())
        self.process.stdin.flush()

    def read_line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline().decode()
        if not line:
            raise AssertionError("worker stopped: " + self.stderr_path.read_text())
        return line.strip()

    def close(self) -> None:
        self.send("quit")
        self.process.communicate(timeout=30)  # also closes the pipes
        self._stderr.close()


@pytest.fixture
def zygote(tmp_path: Path) -> Iterator[Zygote]:
    started = Zygote(tmp_path / "worker-stderr.txt")
    yield started
    started.close()


def kill_trial(zygote: Zygote, command: str, delay: float, *, wait_for: str) -> list[str]:
    """Start a writer, SIGKILL it *delay* seconds after it printed *wait_for*; returns the ids it acknowledged.

    *wait_for* is "pid" (the kill may land while it opens the store), "ready" (opened) or "ack" (after
    its first acknowledged write, so that the trial surely has something to lose).
    """
    zygote.send(command)
    acked: list[str] = []
    pid = None
    seen: set[str] = set()
    # The writer's lines and the zygote's "pid" line can come in either order.
    while pid is None or wait_for not in seen:
        line = zygote.read_line()
        word = line.split()[0]
        seen.add(word)
        if word == "pid":
            pid = int(line.split()[1])
        elif word == "ack":
            acked.append(line.split()[1])
        elif word == "failed":
            raise AssertionError("the writer failed: " + zygote.stderr_path.read_text())
    deadline = time.perf_counter() + delay
    while time.perf_counter() < deadline:
        pass  # a busy wait of a few milliseconds: the point is where in a write the kill lands
    os.kill(pid, signal.SIGKILL)
    zygote.send(f"reap {pid}")
    while (line := zygote.read_line()) != f"reaped {pid}":
        if line.startswith("ack "):
            acked.append(line.split()[1])
        elif line == "failed":
            raise AssertionError("the writer failed: " + zygote.stderr_path.read_text())
    return acked


needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="the kill tests fork writers (POSIX)")


@pytest.mark.slow
@needs_fork
def test_acknowledged_writes_survive_sigkill(tmp_path: Path, zygote: Zygote) -> None:
    rng = random.Random(20261127)
    data_dir = tmp_path / "data"
    acked_events: set[str] = set()
    acked_habits: set[str] = set()
    next_number = 0
    damaged_journals = 0
    modes = ["events"] * 110 + ["habits"] * 50 + ["mixed"] * 40
    rng.shuffle(modes)
    for trial, mode in enumerate(modes):
        interval = rng.choice(["0", "86400"])  # "0": a backup and a rotation on every write
        delay = rng.uniform(0, 0.05)
        command = f"run {mode} {data_dir} {next_number} {interval}"
        wait_for = rng.choices(["pid", "ready", "ack"], weights=[15, 45, 40])[0]
        acked = kill_trial(zygote, command, delay, wait_for=wait_for)
        acked_events.update(item for item in acked if item.startswith("e"))
        acked_habits.update(item for item in acked if item.startswith("h"))
        next_number += 500  # ids of different trials never collide

        # One trial in three, the disk then damages the journal, where the newest check-offs are.
        journal = data_dir / "journal.json"
        damaged = rng.random() < 1 / 3 and journal.exists()
        if damaged:
            journal.write_bytes(rng.choice([b"", journal.read_bytes()[: rng.randrange(1, 40)], b"\x00" * 64]))
            damaged_journals += 1
        store = Store(data_dir)
        notices = store.open()
        if damaged:
            assert [(repair.file, repair.kind) for repair in notices] == [
                ("journal.json", RepairKind.RESTORED)
            ], f"trial {trial}: {notices}"
        else:
            assert notices == [], f"trial {trial}: {notices}"
        with store.reading() as view:
            assert acked_events <= view.event_ids(), f"trial {trial}: acknowledged events lost"
            habit_ids = {doc["id"] for doc in view.habits()}
            assert acked_habits <= habit_ids, f"trial {trial}: acknowledged habits lost"
        assert not list(data_dir.rglob("*.tmp")), f"trial {trial}: temp files left after open"
    # Not vacuous: the trials that waited for a first acknowledgement had something to lose.
    assert acked_events
    assert acked_habits
    assert damaged_journals > 30


@pytest.mark.slow
@needs_fork
def test_a_migration_killed_anywhere_completes_later(tmp_path: Path, zygote: Zygote) -> None:
    rng = random.Random(1)
    expected = {doc["id"] for doc in read_json(FIXTURE_V1)["events"].values()}
    for trial in range(25):
        folder = tmp_path / f"v1-{trial}"
        folder.mkdir()
        shutil.copyfile(FIXTURE_V1, folder / "trayhabit.json")
        kill_trial(zygote, f"run open {folder} 0 0", rng.uniform(0, 0.02), wait_for="pid")
        store = Store(folder)
        assert store.open() == [], f"trial {trial}"
        with store.reading() as view:
            assert {doc["id"] for doc in view.events()} == expected
            assert len(view.habits()) == 2
        assert read_json(folder / "trayhabit.json")["meta"]["1"]["schema_version"] == 3


# --- Old months, read when asked for -----------------------------------------------------------------


def old_and_new(store: Store) -> None:
    """A habit with events two years ago, last year and this month (T0 is 2026-11-27)."""
    with store.writing() as tx:
        tx.put_habit(habit("h1", "Stretch"))
        for event_id, recorded in (
            ("old", "2024-11-03T07:00:00+00:00"),
            ("last-year", "2025-11-03T07:00:00+00:00"),
            ("new", "2026-11-20T07:00:00+00:00"),
        ):
            tx.add_event(event(event_id, "h1", recorded))


def test_opening_reads_only_recent_months_and_old_ones_when_asked_for(
    data_dir: Path, clock: FakeClock
) -> None:
    first = Store(data_dir, clock=clock, journal_limit=0)
    first.open()
    old_and_new(first)
    # Damage an old month: a store that read it at open would say so then.
    (data_dir / "events" / "2024-11.json").write_bytes(b"{broken")
    store = Store(data_dir, clock=clock)
    assert store.open() == []
    with store.reading() as view:
        count, recent = view.events_since("h1", "2026-11-01T00:00:00+00:00")
        assert (count, [doc["id"] for doc in recent]) == (0, ["new"])
    assert store.take_notices() == []
    with store.reading() as view:
        ids = [doc["id"] for doc in view.events("h1")]  # the whole history: the old months are read now
    assert ids == ["old", "last-year", "new"]  # restored from the month's newest generation
    (repair,) = store.take_notices()
    assert (repair.file, repair.kind) == ("events/2024-11.json", RepairKind.RESTORED)


def test_an_event_id_is_known_even_in_a_month_not_read_yet(data_dir: Path, clock: FakeClock) -> None:
    first = Store(data_dir, clock=clock)
    first.open()
    old_and_new(first)
    store = Store(data_dir, clock=clock)
    store.open()
    with store.writing() as tx:
        # The same event again, as an import of an old export brings it: nothing is added.
        assert tx.add_event(event("old", "h1", "2024-11-03T07:00:00+00:00")) is False
        assert tx.add_event(event("older", "h1", "2024-11-04T07:00:00+00:00")) is True
    with store.reading() as view:
        assert [doc["id"] for doc in view.events("h1")] == ["old", "older", "last-year", "new"]


def test_a_months_revision_changes_when_an_event_is_added_to_it_and_only_then(
    data_dir: Path, clock: FakeClock
) -> None:
    store = Store(data_dir, clock=clock)
    store.open()
    old_and_new(store)

    def revisions() -> dict[str, str]:
        with store.reading() as view:
            return view.month_revisions()

    before = revisions()
    assert sorted(before) == ["2024-11", "2025-11", "2026-11"]
    with store.writing() as tx:
        tx.add_event(event("today", "h1", "2026-11-27T06:00:00+00:00"))  # into the journal
    after_today = revisions()
    assert after_today["2026-11"] != before["2026-11"]
    assert {month: after_today[month] for month in ("2024-11", "2025-11")} == {
        month: before[month] for month in ("2024-11", "2025-11")
    }
    with store.writing() as tx:
        tx.add_event(event("imported", "h1", "2025-11-05T07:00:00+00:00"))  # an old month's file
    after_import = revisions()
    assert after_import["2025-11"] != before["2025-11"]
    assert after_import["2024-11"] == before["2024-11"]
    assert after_import["2026-11"] == after_today["2026-11"]
    with store.writing() as tx:
        tx.add_event(event("imported", "h1", "2025-11-05T07:00:00+00:00"))  # known already: no change
    assert revisions() == after_import


def test_month_revisions_outlive_the_process_and_read_no_month(data_dir: Path, clock: FakeClock) -> None:
    first = Store(data_dir, clock=clock)
    first.open()
    old_and_new(first)
    with first.reading() as view:
        kept = view.month_revisions()
    store = Store(data_dir, clock=clock)
    assert store.open() == []
    with store.reading() as view:
        assert view.month_revisions() == kept  # a checkpoint kept on disk stays valid
    # An old month damaged since: telling its revision does not read it (nothing to repair yet).
    (data_dir / "events" / "2024-11.json").write_bytes(b"{broken")
    with store.reading() as view:
        assert view.month_revisions()["2024-11"] != kept["2024-11"]
    assert store.take_notices() == []


def test_a_months_file_bytes_hold_its_events_wherever_the_store_keeps_them(
    data_dir: Path, clock: FakeClock
) -> None:
    folded = Store(data_dir, clock=clock, journal_limit=0)
    folded.open()
    old_and_new(folded)  # every event in its month's file
    store = Store(data_dir, clock=clock)
    store.open()
    with store.writing() as tx:  # this month: one event in its month's file, these in the journal
        tx.add_event(event("today", "h1", "2026-11-27T06:00:00+00:00"))
        tx.add_event(event("now", "h2", "2026-11-27T06:30:00+00:00"))
    assert read_json(data_dir / "journal.json")["events"]
    with store.reading() as view:
        november = parse_events_file(view.month_file_bytes("2026-11"), "2026-11", "this computer", "x")
        old = parse_events_file(view.month_file_bytes("2024-11"), "2024-11", "this computer", "x")
    assert november.skipped == [] and old.skipped == []
    assert sorted(doc["id"] for doc in november.events) == ["new", "now", "today"]
    assert [doc["id"] for doc in old.events] == ["old"]


# --- Schema 2 folders, and the listing of events/ -------------------------------------------------------


def test_a_schema_2_folder_gets_a_journal_and_keeps_its_months(tmp_path: Path, clock: FakeClock) -> None:
    folder = tmp_path / "v2"
    (folder / "events").mkdir(parents=True)
    meta = {"schema_version": 2, "device_id": "d" * 32, "created_at": "2026-10-01T00:00:00+00:00"}
    write_json(folder / "trayhabit.json", {"meta": {"1": meta}, "habits": {"1": habit("h1", "Stretch")}})
    october = {
        "meta": {"1": {"schema_version": 2, "partition": "2026-10"}},
        "events": {"1": event("e1", "h1", "2026-10-30T07:00:00+00:00")},
    }
    write_json(folder / "events" / "2026-10.json", october)
    original_main = (folder / "trayhabit.json").read_bytes()

    store = Store(folder, clock=clock)
    assert store.open() == []
    assert read_json(folder / "trayhabit.json")["meta"]["1"] == {**meta, "schema_version": 3}
    assert read_json(folder / "events" / "2026-10.json") == october  # months' files are not rewritten
    (kept,) = (folder / "backups").glob("trayhabit.schema2.*.json")
    assert kept.read_bytes() == original_main
    with store.writing() as tx:
        tx.add_event(event("e2", "h1", "2026-11-27T06:00:00+00:00"))
    assert [doc["id"] for doc in read_json(folder / "journal.json")["events"].values()] == ["e2"]
    reopened = Store(folder, clock=clock)
    assert reopened.open() == []
    assert [doc["id"] for doc in contents(reopened)[2]] == ["e1", "e2"]


def age(folder: Path) -> None:
    """Date *folder* an hour back, as a folder not changed lately is: its listing can be reused."""
    past = time.time_ns() - 3600 * 10**9
    os.utime(folder, ns=(past, past))


def count_listings(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A counter of the times *store* lists its events folder."""
    listings = [0]
    scan = store._loader.scan

    def counted() -> Any:
        listings[0] += 1
        return scan()

    monkeypatch.setattr(store._loader, "scan", counted)
    return listings


def test_an_old_month_written_by_another_process_is_seen_at_the_next_read(
    data_dir: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(data_dir, clock=clock)
    store.open()
    old_and_new(store)
    age(data_dir / "events")
    listings = count_listings(store, monkeypatch)
    with store.reading() as view:
        pass  # listed again: the folder's time changed
    with store.reading() as view:
        revisions = view.month_revisions()
        assert [doc["id"] for doc in view.events("h1")] == ["old", "last-year", "new"]
    assert listings == [1]  # the second read reused the listing
    other = Store(data_dir, clock=clock)
    other.open()
    with other.writing() as tx:
        tx.add_event(event("imported", "h1", "2024-11-05T07:00:00+00:00"))
    with store.reading() as view:
        assert listings == [2]
        assert view.month_revisions()["2024-11"] != revisions["2024-11"]
        assert [doc["id"] for doc in view.events("h1")] == ["old", "imported", "last-year", "new"]


def test_a_loaded_month_edited_in_place_is_seen_at_the_next_read(
    monthly: Store, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(monthly)
    age(data_dir / "events")
    with monthly.reading() as view:
        assert len(view.events()) == 3
    listings = count_listings(monthly, monkeypatch)
    path = data_dir / "events" / "2026-11.json"
    edited = read_json(path)
    edited["events"]["2"] = event("e4", "h2", "2026-11-02T00:00:00+00:00")
    with path.open("r+b") as handle:  # in place, as some editors save: the folder's listing is unchanged
        handle.write(jsontext.dumps(edited))
    with monthly.reading() as view:
        assert [doc["id"] for doc in view.events()] == ["e1", "e2", "e3", "e4"]
    assert listings == [0]


def test_event_files_read_as_plain_json_with_repeated_values_shared():
    docs = {
        str(number): event(f"e{number}", f"h{number % 2}", f"2026-11-{number:02d}T08:00:00+00:00")
        for number in range(1, 7)
    }
    raw = jsontext.dumps({"meta": {"1": {"schema_version": 3}}, "events": docs})
    parsed = parse_sharing(raw)
    assert parsed == jsontext.loads(raw)
    habits = [doc["habit_id"] for doc in parsed["events"].values()]
    assert habits[0] is habits[2] is habits[4]  # one string per habit, not one per event


@pytest.mark.parametrize("raw", [b'{"events": NaN}', b'{"events": {"1": Infinity}}', b"\xff{}", b"{"])
def test_an_event_file_that_is_not_json_is_refused(raw):
    with pytest.raises(ValueError):
        jsontext.loads(raw)
    with pytest.raises(ValueError):
        parse_sharing(raw)


def test_old_months_read_for_a_whole_history_are_let_go_and_read_again_when_asked(monthly, data_dir):
    # Two years of a habit's history, one event a month, each in its month's file.
    for number in range(24):
        month = datetime(2024 + number // 12, number % 12 + 1, 15, 8, tzinfo=UTC)
        with monthly.writing() as tx:
            tx.add_event(event(f"e{number:02d}", "h1", month.isoformat()))
    reopened = Store(data_dir, clock=FakeClock(datetime(2025, 12, 20, tzinfo=UTC)))
    reopened.open()
    with reopened.reading() as view:
        everything = view.events("h1")
    assert len(everything) == 24
    # White-box: once the block ends, only the months of the hot span are still in memory...
    assert sorted(reopened._state.partition_signatures) == ["2025-11", "2025-12"]
    # ...and the next whole read finds every event again.
    with reopened.reading() as view:
        assert view.events("h1") == everything


def test_a_history_walked_month_by_month_holds_one_old_month_at_a_time_and_sees_a_transaction(
    monthly, data_dir
):
    # Three habits' events over a year, each month in its month's file; the journal holds the last.
    for number in range(12):
        with monthly.writing() as tx:
            for habit_id in ("h2", "h1", "h3"):
                recorded = datetime(2025, number + 1, 15 - len(habit_id) + int(habit_id[1]), 8, tzinfo=UTC)
                tx.add_event(event(f"{habit_id}-{number:02d}", habit_id, recorded.isoformat()))
    reopened = Store(data_dir, clock=FakeClock(datetime(2025, 12, 20, tzinfo=UTC)))
    reopened.open()
    with reopened.reading() as view:
        everything = view.events()
        months = view.event_months()
    assert months == [f"2025-{number:02d}" for number in range(1, 13)]

    walked = []
    for month in months:
        with reopened.reading() as view:
            walked.extend(view.month_events(month))
            # White-box: an old month is let go again at once; only those of the hot span stay.
            assert set(reopened._state.partition_signatures) <= {"2025-11", "2025-12"}

    assert walked == everything  # the same events in the same order, (recorded_at, id)
    with reopened.writing() as tx:
        tx.add_event(event("late", "h1", datetime(2024, 12, 31, 23, tzinfo=UTC).isoformat()))
        assert tx.event_months()[0] == "2024-12"
        assert [doc["id"] for doc in tx.month_events("2024-12")] == ["late"]
        assert len(tx.month_events("2025-03")) == 3
