"""Fuzz: the store opens whatever happened to one of its files, and loses nothing a backup holds.

One file of a real data folder (the main file, the journal, a month of events) is mutated; opening
the store then either repairs it (a list of :class:`Repair`, each with a message) or refuses with
the project's own error. Whatever it opened is usable by ``trayhabit list``, and when the file's
newest backup generation is intact, every habit and event from before the damage is still there.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st

from tests.fuzz.folders import NOW, assert_usable, base_store, ids, scratch, store_files
from tests.fuzz.known import known_failure
from tests.fuzz.mutations import Mutated, mutated_json
from tests.fuzz.profiles import FUZZ
from tests.helpers.clock import FakeClock
from trayhabit.core.errors import UserError
from trayhabit.core.repairs import Repair
from trayhabit.core.service import HabitService
from trayhabit.core.store import Store


def _stem(relative: str) -> str:
    return relative.removesuffix(".json").replace("/", "-")


def _newest_generation(folder: Path, relative: str) -> bytes | None:
    generations = sorted((folder / "backups" / "generations" / _stem(relative)).glob("*.json"))
    return generations[-1].read_bytes() if generations else None


def _edited_out(original: bytes, mutated: bytes) -> set[str]:
    """The ids (any quoted word) the original file holds and the mutated one no longer does."""
    words = set(re.findall(rb'"([0-9a-f-]{32,36})"', original))
    return {word.decode() for word in words if word not in mutated}


def damaged_files() -> st.SearchStrategy[tuple[str, Mutated]]:
    return st.sampled_from(store_files()).flatmap(
        lambda name: mutated_json((base_store() / name).read_bytes()).map(lambda m: (name, m))
    )


def check_open(name: str, mutation: Mutated) -> None:
    """The invariant for one mutated store file (also used by the regression examples)."""
    with scratch() as tmp:
        folder = tmp / "data"
        shutil.copytree(base_store(), folder)
        clock = FakeClock(NOW)
        before = Store(folder, clock=clock)
        assert before.open() == []
        habits_before, events_before = ids(before)
        original = (folder / name).read_bytes()
        intact = _newest_generation(folder, name) == original
        (folder / name).write_bytes(mutation.data)

        store = Store(folder, clock=clock)
        try:
            repairs = store.open()
        except UserError as error:
            assert str(error).strip()
            return
        assert isinstance(repairs, list)
        for repair in repairs:
            assert isinstance(repair, Repair)
            assert isinstance(repair.message(), str) and repair.message().strip()
        service = HabitService(store, clock)
        assert_usable(service)
        if intact:
            # A mutation the store accepts as a sound file is an edit, and may take records out (a
            # document removed): those are excused. A file it repaired must lose nothing.
            repaired = any(repair.file == name for repair in repairs)
            gone = set() if repaired else _edited_out(original, mutation.data)
            habits_after, events_after = ids(store)
            assert habits_before - gone <= habits_after, "habits lost"
            assert events_before - gone <= events_after, "events lost"


@FUZZ
@given(damaged_files())
def test_store_opens_any_damaged_file(damaged: tuple[str, Mutated]) -> None:
    assume(not known_failure(damaged[1].data))
    check_open(*damaged)
