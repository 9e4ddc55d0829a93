"""The real folders the fuzz tests start from, each built once through the public API and copied.

Hypothesis runs many examples in one test function, and pytest's ``tmp_path`` is made once per
function, so every example copies the folder it mutates into a directory of its own from
:func:`scratch`.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.helpers.clock import FakeClock
from tests.helpers.sync_engine import Machine
from trayhabit.core.model import Event, Habit
from trayhabit.core.service import HabitService
from trayhabit.core.store import Store

STOCKHOLM = ZoneInfo("Europe/Stockholm")
#: When every base folder was last written, and when every example runs.
NOW = datetime(2026, 11, 27, 8, 0, tzinfo=STOCKHOLM)
#: The month whose events left the journal for a month file.
OLD_MONTH = "2026-10"


def _root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="trayhabit-fuzz-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return root


@contextmanager
def scratch() -> Iterator[Path]:
    """A directory of its own for one example, removed after it."""
    with tempfile.TemporaryDirectory(prefix="trayhabit-fuzz-") as folder:
        yield Path(folder)


def fill(service: HabitService, clock: FakeClock, names: tuple[str, str, str]) -> None:
    """Three habits, check-offs and a skip in October (a month file) and November (the journal), settings."""
    first, second, third = names
    start = NOW.date() - timedelta(days=60)
    stretch = service.add_habit(first, "FREQ=DAILY", time(9), start=start).habit
    read = service.add_habit(second, "FREQ=WEEKLY;BYDAY=MO,WE,FR", time(20, 30), start=start).habit
    service.add_habit(third, "FREQ=MONTHLY;BYMONTHDAY=1", time(7), start=start)
    assert stretch is not None and read is not None
    service.update_habit(read.id, why="för att det är roligt")
    for day in (datetime(2026, 10, 20, 8, tzinfo=STOCKHOLM), datetime(2026, 10, 21, 8, tzinfo=STOCKHOLM)):
        clock.set(day)
        service.check_off(stretch.id)
    clock.set(datetime(2026, 10, 23, 19, tzinfo=STOCKHOLM))
    service.check_off(read.id)
    for day in (25, 26, 27):
        clock.set(datetime(2026, 11, day, 7, 30, tzinfo=STOCKHOLM))
        service.check_off(stretch.id)
    clock.set(NOW)
    service.skip(read.id)
    service.set_setting("backup_count", "5")


@functools.cache
def base_store() -> Path:
    """A data folder with habits, settings, a journal, a month file and their backup generations."""
    folder = _root() / "data"
    clock = FakeClock(NOW - timedelta(days=60))
    store = Store(folder, clock=clock)
    store.open()
    fill(HabitService(store, clock), clock, ("Stretch", "Läsa", "Gym"))
    for name in ("trayhabit.json", "journal.json", f"events/{OLD_MONTH}.json"):
        assert (folder / name).is_file(), name
    return folder


def store_files() -> list[str]:
    """The files of the base store a test may mutate, relative to its folder."""
    return ["trayhabit.json", "journal.json", f"events/{OLD_MONTH}.json"]


def contents(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every habit and event the store's view returns."""
    with store.reading() as view:
        return view.habits(), view.events()


def ids(store: Store) -> tuple[set[str], set[str]]:
    habits, events = contents(store)
    return {doc["id"] for doc in habits}, {doc["id"] for doc in events}


def assert_usable(service: HabitService) -> None:
    """Every habit and event reads as a model, and what ``trayhabit list`` computes works."""
    habits, events = contents(service.store)
    for doc in habits:
        Habit.from_doc(doc)
    for doc in events:
        Event.from_doc(doc)
    service.apply_relapses()
    service.reports(include_archived=True)


@functools.cache
def base_sync() -> Path:
    """Two computers sharing a sync folder, each with its own habits, after one exchange.

    Returns the root that holds ``laptop/`` and ``desktop/``; the desktop's copy of the sync folder
    holds the laptop's device folder, the files a fuzz test mutates before the desktop syncs.
    """
    root = _root() / "sync"
    laptop = Machine(root, "laptop", NOW - timedelta(days=60))
    desktop = Machine(root, "desktop", NOW - timedelta(days=60))
    fill(laptop.service, laptop.clock, ("Stretch", "Läsa", "Gym"))
    fill(desktop.service, desktop.clock, ("Walk", "Write", "Call mum"))
    laptop.sync()
    desktop.sync()
    shutil.copytree(laptop.sync_dir / "devices", desktop.sync_dir / "devices", dirs_exist_ok=True)
    # TrayHabit 0.1 published its journal too; a device folder it wrote is still read.
    shutil.copy2(
        laptop.data_dir / "journal.json", desktop.sync_dir / "devices" / laptop.device_id / "journal.json"
    )
    desktop.sync()
    return root


@functools.cache
def empty_store() -> Path:
    """A data folder as the first command makes it: no habits yet."""
    folder = _root() / "empty"
    clock = FakeClock(NOW)
    Store(folder, clock=clock).open()
    return folder


@functools.cache
def exports() -> dict[str, bytes]:
    """The base store's JSON and CSV exports, as ``trayhabit export`` writes them."""
    from trayhabit.core.transfer import export_csv, export_json

    store = Store(base_store(), clock=FakeClock(NOW))
    store.open()
    with store.reading() as view:
        return {
            "export.json": export_json(view, NOW),
            "export.csv": export_csv(view, NOW, STOCKHOLM).encode("utf-8"),
        }


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a data folder and its bytes, but the lock, the logs and the caches."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and path.name != ".lock"
        and path.relative_to(folder).parts[0] not in ("logs", "cache")
    }
