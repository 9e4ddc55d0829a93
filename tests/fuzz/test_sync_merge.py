"""Fuzz: merging another computer's damaged device folder never breaks this computer's store.

A sync folder shared by two computers (each with its own habits and check-offs, after one exchange)
has one file of the laptop's device folder mutated in the desktop's copy; the desktop then syncs.
The promise: no exception but the project's own errors; the desktop keeps every habit and event it
had; and whatever was merged is usable by ``trayhabit list``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st

from tests.fuzz.folders import NOW, assert_usable, base_sync, ids, scratch
from tests.fuzz.known import known_failure
from tests.fuzz.mutations import Mutated, mutated_json
from tests.fuzz.profiles import FUZZ
from tests.helpers.clock import FakeClock
from trayhabit.core.errors import UserError
from trayhabit.core.service import HabitService
from trayhabit.core.store import Store
from trayhabit.core.sync import SyncFolder


def _device_folder(root: Path) -> Path:
    """The laptop's device folder in the desktop's copy of the sync folder."""
    store = Store(root / "laptop" / "data", clock=FakeClock(NOW))
    store.open()
    with store.reading() as view:
        laptop = view.device_id
    return root / "desktop" / "Sync" / "devices" / laptop


#: The files of a device folder (see trayhabit.core.sync), all present in the base folder.
DEVICE_FILES = ["device.json", "events/2026-10.json", "events/2026-11.json", "habits.json", "journal.json"]


def check_merge(name: str, mutation: Mutated) -> None:
    """The invariant for one mutated device file (also used by the regression examples)."""
    with scratch() as tmp:
        shutil.copytree(base_sync(), tmp, dirs_exist_ok=True)
        (_device_folder(tmp) / name).write_bytes(mutation.data)
        clock = FakeClock(NOW)
        store = Store(tmp / "desktop" / "data", clock=clock)
        store.open()
        habits_before, events_before = ids(store)
        try:
            SyncFolder(store, tmp / "desktop" / "Sync", now=clock.now).sync()
        except UserError as error:
            assert str(error).strip()
        habits_after, events_after = ids(store)
        assert habits_before <= habits_after, "habits lost"
        assert events_before <= events_after, "events lost"
        assert_usable(HabitService(store, clock))


def damaged_device_files() -> st.SearchStrategy[tuple[str, Mutated]]:
    return st.sampled_from(DEVICE_FILES).flatmap(
        lambda name: mutated_json((_device_folder(base_sync()) / name).read_bytes()).map(lambda m: (name, m))
    )


@FUZZ
@given(damaged_device_files())
def test_sync_merges_a_damaged_device_folder(damaged: tuple[str, Mutated]) -> None:
    assume(not known_failure(damaged[1].data))
    check_merge(*damaged)
