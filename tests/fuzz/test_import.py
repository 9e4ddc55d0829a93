"""Fuzz: ``trayhabit import`` of a damaged export or calendar succeeds or refuses cleanly.

Real files (the JSON and CSV exports of a store, the calendar fixtures) are mutated and imported
through the command line into an empty store and into the store they came from. The promise: exit
status 0, or 1 with at most three lines on stderr that name the file and a store unchanged byte for
byte; never a traceback, never the internal-error status.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st

from tests.fuzz.folders import NOW, assert_usable, base_store, empty_store, exports, scratch, snapshot
from tests.fuzz.known import known_failure
from tests.fuzz.mutations import Mutated, mutated_csv, mutated_ical, mutated_json
from tests.fuzz.profiles import FUZZ
from tests.helpers.clock import FakeClock
from trayhabit.cli import main
from trayhabit.core.service import HabitService
from trayhabit.core.store import Store

ICAL = Path(__file__).resolve().parents[1] / "fixtures" / "ical"
CALENDARS = sorted(path.name for path in ICAL.glob("*.ics"))
TARGETS = {"empty": empty_store, "same": base_store}


def check_import(target: str, name: str, mutation: Mutated) -> None:
    """The invariant for one mutated file imported into one store (also used by the regressions)."""
    with scratch() as tmp:
        folder = tmp / "data"
        shutil.copytree(TARGETS[target](), folder)
        path = tmp / name
        path.write_bytes(mutation.data)
        before = snapshot(folder)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--data-dir", str(folder), "import", str(path), "--yes"], clock=FakeClock(NOW))
        lines = err.getvalue().splitlines()
        assert code in (0, 1), (code, err.getvalue())
        if code == 1:
            assert 1 <= len(lines) <= 3, lines
            assert name in err.getvalue(), f"the refusal does not name {name}: {lines}"
            assert snapshot(folder) == before, "a refused import changed the store"
        else:
            assert not lines, lines
            store = Store(folder, clock=FakeClock(NOW))
            assert store.open() == []
            assert_usable(HabitService(store, FakeClock(NOW)))


def _export(name: str) -> st.SearchStrategy[tuple[str, Mutated]]:
    data = exports()[name]
    strategy = mutated_json(data) if name.endswith(".json") else mutated_csv(data)
    return strategy.map(lambda m: (name, m))


def _calendar(name: str) -> st.SearchStrategy[tuple[str, Mutated]]:
    return mutated_ical((ICAL / name).read_bytes()).map(lambda m: (name, m))


@FUZZ
@given(st.sampled_from(sorted(TARGETS)), st.sampled_from(["export.json", "export.csv"]).flatmap(_export))
def test_import_of_a_damaged_export(target: str, damaged: tuple[str, Mutated]) -> None:
    assume(not known_failure(damaged[1].data))
    check_import(target, *damaged)


@FUZZ
@given(st.sampled_from(sorted(TARGETS)), st.sampled_from(CALENDARS).flatmap(_calendar))
def test_import_of_a_damaged_calendar(target: str, damaged: tuple[str, Mutated]) -> None:
    assume(not known_failure(damaged[1].data))
    check_import(target, *damaged)
