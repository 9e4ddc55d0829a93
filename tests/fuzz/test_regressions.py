"""Every failure the fuzz suite found, as a fixed example run on every ``make test``.

Each case names the entry point, the file and the one change made to it, and runs the same invariant
as the fuzz test. A case found while its fix was still to be written elsewhere is kept as a strict
xfail naming where the fix goes (see :mod:`tests.fuzz.known`), and made a plain case when it lands.
"""

from __future__ import annotations

import json
import re
import shutil
from typing import Any

import pytest

from tests.fuzz.folders import NOW, OLD_MONTH, base_store, base_sync, exports, scratch
from tests.fuzz.mutations import Mutated
from tests.fuzz.test_import import ICAL, check_import
from tests.fuzz.test_store_open import check_open
from tests.fuzz.test_sync_merge import _device_folder, check_merge
from tests.helpers.clock import FakeClock
from trayhabit.core.store import Store


def _set(data: bytes, path: tuple[Any, ...], value: Any) -> Mutated:
    """*data*'s JSON with the value at *path* replaced (an int step picks the n-th key of an object)."""
    document = json.loads(data)
    parent = document
    for step in path[:-1]:
        parent = (
            parent[list(parent)[step]] if isinstance(parent, dict) and isinstance(step, int) else parent[step]
        )
    last = path[-1]
    if isinstance(parent, dict) and isinstance(last, int):
        last = list(parent)[last]
    parent[last] = value
    return Mutated(json.dumps(document, indent=1).encode(), f"{path} set to {value!r}")


def _store_file(name: str) -> bytes:
    return (base_store() / name).read_bytes()


# --- Store open --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "path", "value"),
    [
        pytest.param(
            "trayhabit.json",
            ("habits", 0, "state"),
            [],
            id="habit-state-is-a-list",
        ),
        pytest.param(
            "journal.json",
            ("events", 0, "kind"),
            {"a": 1},
            id="journal-event-kind-is-an-object",
        ),
        pytest.param(
            f"events/{OLD_MONTH}.json",
            ("events", 0, "kind"),
            [],
            id="month-event-kind-is-a-list",
        ),
        pytest.param("trayhabit.json", ("habits", 0, "rrule"), 3, id="habit-rrule-is-a-number"),
        pytest.param("trayhabit.json", ("habits", 1, "at"), "25:00", id="habit-at-hour-25"),
        pytest.param("journal.json", ("events", 0, "recorded_at"), "2026-11-27T06:30:00+05:30", id="non-utc"),
    ],
)
def test_store_open_regression(name: str, path: tuple[Any, ...], value: Any) -> None:
    check_open(name, _set(_store_file(name), path, value))


# --- Import ------------------------------------------------------------------------------------------
# Found by the fuzz suite on its first run; each gave a traceback from `trayhabit import` until the
# import ran the same validation as the store (trayhabit/core/transfer.py, _habit_from/_event_from).


@pytest.mark.parametrize("target", ["empty", "same"])
@pytest.mark.parametrize(
    ("path", "value"),
    [
        pytest.param(("events", 0, "recorded_at"), "2026-10-20T06:00:00+05:30", id="recorded-at-not-utc"),
        pytest.param(("events", 0, "target"), "", id="target-not-an-event-id"),
        pytest.param(("events", 0, "id"), "", id="event-id-empty"),
        pytest.param(("events", 0, "habit_id"), [1, "a"], id="habit-id-a-list"),
        pytest.param(("habits", 0, "state"), [], id="habit-state-a-list"),
        pytest.param(("habits", 0, "rrule"), 3.5, id="rrule-a-number"),
    ],
)
def test_import_regression(target: str, path: tuple[Any, ...], value: Any) -> None:
    check_import(target, "export.json", _set(exports()["export.json"], path, value))


def test_import_of_an_event_without_device() -> None:
    # Imported as written, the null device made the store write a month it could not read back:
    # every event of that month was gone ("could not be restored; check the disk").
    check_import("empty", "export.json", _set(exports()["export.json"], ("events", 0, "device"), None))


def test_import_of_a_csv_field_past_the_csv_limit() -> None:
    # csv.Error ("field larger than field limit") escaped as a traceback.
    data = exports()["export.csv"].replace(b"Stretch", "ä".encode() * 200_000, 1)
    check_import("empty", "export.csv", Mutated(data, "a name of 200,000 characters"))


@pytest.mark.parametrize("year", [b"9999"])
def test_import_of_a_calendar_dated_at_the_ends_of_time(year: bytes) -> None:
    # OverflowError from date arithmetic (trayhabit/core/ical.py) escaped as a traceback.
    data = (ICAL / "apple.ics").read_bytes()
    data = re.sub(rb"(DTSTART[^:\n]*:)\d{4}", rb"\g<1>" + year, data)
    check_import("empty", "apple.ics", Mutated(data, f"every DTSTART in year {year.decode()}"))


def test_store_refuses_an_event_it_could_not_read_back() -> None:
    # A null device used to be stored, and the month holding it then counted as damaged for good.
    with scratch() as tmp:
        folder = tmp / "data"
        shutil.copytree(base_store(), folder)
        store = Store(folder, clock=FakeClock(NOW))
        store.open()
        with store.reading() as view:
            event = view.events()[0]
        with pytest.raises(ValueError), store.writing() as tx:
            tx.add_event({**event, "id": "event-with-null-device", "device": None})
        assert Store(folder, clock=FakeClock(NOW)).open() == []


def test_import_of_a_json_export_nested_deep_named_csv() -> None:
    # Read as CSV (by its name), its one huge header field raised csv.Error from the header check.
    data = b'{"a":' * 100_000 + exports()["export.json"] + b"}" * 100_000
    check_import("empty", "export.csv", Mutated(data, "wrapped 100000 deep, named .csv"))


# A habit starting in 9999 once made every report overflow (trayhabit/core/days.py) for good.


def test_sync_merge_of_a_habit_starting_in_year_9999() -> None:
    name = "habits.json"
    data = (_device_folder(base_sync()) / name).read_bytes()
    # Every habit, edited after the exchange, so that this version wins the merge.
    document = json.loads(data)
    for habit in document["habits"]:
        habit.update(start="9999-12-31", updated_at="2026-11-27T07:30:00+00:00")
    check_merge(name, Mutated(json.dumps(document).encode(), "every habit starts 9999-12-31"))


def test_store_open_of_a_habit_starting_in_year_9999() -> None:
    check_open("trayhabit.json", _set(_store_file("trayhabit.json"), ("habits", 0, "start"), "9999-12-31"))


def test_import_of_a_habit_starting_in_year_9999() -> None:
    check_import("empty", "export.json", _set(exports()["export.json"], ("habits", 0, "start"), "9999-12-31"))


@pytest.mark.parametrize("name", [f"events/{OLD_MONTH}.json", "journal.json"])
def test_store_open_of_an_events_file_without_its_table(name: str) -> None:
    data = _store_file(name).replace(b'"events"', b'"e' + b"a" * 1001 + b'vents"', 1)
    check_open(name, Mutated(data, "the events table renamed"))
