"""Every failure the fuzz suite found, as a fixed example run on every ``make test``.

Each case names the entry point, the file and the one change made to it, and runs the same invariant
as the fuzz test. A case whose fix belongs in a module being reworked elsewhere (the store, the sync
merge, the validation) is a strict xfail naming where the fix goes: it turns into a failure the day
the fix lands, and is then made a plain case.
"""

from __future__ import annotations

import json
import re
import shutil
from typing import Any

import pytest

from tests.fuzz.folders import NOW, OLD_MONTH, base_store, base_sync, exports, ids, scratch
from tests.fuzz.mutations import Mutated
from tests.fuzz.test_import import ICAL, check_import
from tests.fuzz.test_store_open import check_open
from tests.fuzz.test_sync_merge import _device_folder, check_merge
from trayhabit.core.store import Store, StoreError


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

VALIDATE_UNHASHABLE = (
    "trayhabit/core/validate.py tests `state not in _STATES` / `kind in _KINDS` on a value of any "
    "type: a list or object there raises TypeError instead of DocumentError (fix in validate.py)"
)


@pytest.mark.parametrize(
    ("name", "path", "value"),
    [
        pytest.param(
            "trayhabit.json",
            ("habits", 0, "state"),
            [],
            marks=pytest.mark.xfail(raises=TypeError, strict=True, reason=VALIDATE_UNHASHABLE),
            id="habit-state-is-a-list",
        ),
        pytest.param(
            "journal.json",
            ("events", 0, "kind"),
            {"a": 1},
            marks=pytest.mark.xfail(raises=TypeError, strict=True, reason=VALIDATE_UNHASHABLE),
            id="journal-event-kind-is-an-object",
        ),
        pytest.param(
            f"events/{OLD_MONTH}.json",
            ("events", 0, "kind"),
            [],
            marks=pytest.mark.xfail(raises=TypeError, strict=True, reason=VALIDATE_UNHASHABLE),
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


@pytest.mark.xfail(
    raises=StoreError,
    strict=True,
    reason="trayhabit/core/store.py: StoreTransaction.add_event accepts an event whose device is null, "
    "which the loader then refuses: the month file counts as damaged, its backup generations hold "
    "the same bytes, and the whole month 'could not be restored' (fix in store.py: check new events "
    "as the loader does)",
)
def test_store_reads_back_an_event_it_accepted() -> None:
    with scratch() as tmp:
        folder = tmp / "data"
        shutil.copytree(base_store(), folder)
        store = Store(folder, now=lambda: NOW)
        store.open()
        with store.reading() as view:
            event = view.events()[0]
        with store.writing() as tx:
            tx.add_event({**event, "id": "event-with-null-device", "device": None})
        reopened = Store(folder, now=lambda: NOW)
        reopened.open()
        assert "event-with-null-device" in ids(reopened)[1]


def test_import_of_a_json_export_nested_deep_named_csv() -> None:
    # Read as CSV (by its name), its one huge header field raised csv.Error from the header check.
    data = b'{"a":' * 100_000 + exports()["export.json"] + b"}" * 100_000
    check_import("empty", "export.csv", Mutated(data, "wrapped 100000 deep, named .csv"))


DATE_OVERFLOW = (
    "trayhabit/core/validate.py accepts a habit whose start is 9999-12-31; every report then raises "
    "OverflowError in trayhabit/core/days.py, so `trayhabit list` fails for good (fix: a range for "
    "dates in validate.py, or schedule.py stops at the end of the calendar)"
)


@pytest.mark.xfail(raises=OverflowError, strict=True, reason=DATE_OVERFLOW)
def test_sync_merge_of_a_habit_starting_in_year_9999() -> None:
    name = "habits.json"
    data = (_device_folder(base_sync()) / name).read_bytes()
    # Every habit, edited after the exchange, so that this version wins the merge.
    document = json.loads(data)
    for habit in document["habits"]:
        habit.update(start="9999-12-31", updated_at="2026-11-27T07:30:00+00:00")
    check_merge(name, Mutated(json.dumps(document).encode(), "every habit starts 9999-12-31"))


@pytest.mark.xfail(raises=OverflowError, strict=True, reason=DATE_OVERFLOW)
def test_store_open_of_a_habit_starting_in_year_9999() -> None:
    check_open("trayhabit.json", _set(_store_file("trayhabit.json"), ("habits", 0, "start"), "9999-12-31"))


@pytest.mark.xfail(raises=OverflowError, strict=True, reason=DATE_OVERFLOW)
def test_import_of_a_habit_starting_in_year_9999() -> None:
    check_import("empty", "export.json", _set(exports()["export.json"], ("habits", 0, "start"), "9999-12-31"))


@pytest.mark.xfail(
    raises=AssertionError,
    strict=True,
    reason="trayhabit/core/store.py reads a month or journal file whose 'events' table is missing "
    "(here renamed by a long run of bytes spliced into its key) as an empty month, not as damaged: "
    "every check-off in it is lost without a repair, though its backup generation holds them "
    "(fix in store.py: the events table is required)",
)
@pytest.mark.parametrize("name", [f"events/{OLD_MONTH}.json", "journal.json"])
def test_store_open_of_an_events_file_without_its_table(name: str) -> None:
    data = _store_file(name).replace(b'"events"', b'"e' + b"a" * 1001 + b'vents"', 1)
    check_open(name, Mutated(data, "the events table renamed"))
