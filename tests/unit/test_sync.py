"""Sync through a shared folder: convergence, merge laws, conflict copies, half-synced files, moves."""

from __future__ import annotations

import os
import platform
import random
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.clock import FakeClock
from tests.helpers.sync_engine import Machine, SyncEngine
from trayhabit.core import jsontext
from trayhabit.core import sync as sync_module
from trayhabit.core.reminders import plan_reminders
from trayhabit.core.service import HabitService, ServiceError
from trayhabit.core.settings import SettingError
from trayhabit.core.store import Store
from trayhabit.core.sync import SyncFolderError

STOCKHOLM = ZoneInfo("Europe/Stockholm")
T0 = datetime(2026, 11, 27, 6, 0, tzinfo=STOCKHOLM)
engine = SyncEngine()


@pytest.fixture
def machines(tmp_path: Path) -> tuple[Machine, Machine]:
    return Machine(tmp_path, "laptop", T0), Machine(tmp_path, "desktop", T0)


def names(machine: Machine) -> list[str]:
    return sorted(habit.name for habit in machine.service.habits())


# --- Convergence ----------------------------------------------------------------------------------------


def test_two_machines_converge_on_habits_history_and_scores(machines: tuple[Machine, Machine]) -> None:
    laptop, desktop = machines
    stretch = laptop.service.add_habit("Stretch", "FREQ=DAILY", time(9), start=T0.date()).habit
    desktop.service.add_habit("Follow up sent quotes", "FREQ=WEEKLY;BYDAY=FR", time(14))
    assert stretch is not None
    laptop.service.check_off(stretch.id)
    engine.exchange(laptop, desktop)
    assert names(laptop) == names(desktop) == ["Follow up sent quotes", "Stretch"]
    assert laptop.state() == desktop.state()
    # The desktop sees the laptop's check-off as done, pre-emptively.
    report = next(r for r in desktop.service.reports() if r.habit.id == stretch.id)
    assert report.current is not None and report.current.outcome is not None
    assert report.current.outcome.value == "preemptive"


def test_files_arriving_late_and_out_of_order_converge(machines: tuple[Machine, Machine]) -> None:
    laptop, desktop = machines
    habit = laptop.service.add_habit(
        "Stretch", "FREQ=DAILY", time(9), start=T0.date() - timedelta(days=40)
    ).habit
    assert habit is not None
    for day in range(1, 40):
        laptop.clock.set(datetime.combine(T0.date() - timedelta(days=40 - day), time(8), STOCKHOLM))
        laptop.service.check_off(habit.id)
    laptop.clock.set(T0)
    laptop.sync()
    files = engine.files(laptop, of=laptop)
    random.Random(7).shuffle(files)
    # A few at a time, each followed by a sync on the desktop, in a shuffled order.
    for start in range(0, len(files), 2):
        engine.deliver(laptop, desktop, files[start : start + 2])
        desktop.sync()
    engine.exchange(laptop, desktop)
    assert laptop.state() == desktop.state()
    assert len(desktop.state()[1]) == 39


def test_an_edit_and_a_deletion_win_by_time_whoever_syncs_first(machines: tuple[Machine, Machine]) -> None:
    laptop, desktop = machines
    habit = laptop.service.add_habit("Stretch", "FREQ=DAILY", time(9)).habit
    assert habit is not None
    engine.exchange(laptop, desktop)
    laptop.clock.advance(minutes=1)
    laptop.service.update_habit(habit.id, why="for my back")
    desktop.clock.advance(minutes=2)
    desktop.service.update_habit(habit.id, name="Stretch at lunch")  # later: its version wins whole
    engine.exchange(desktop, laptop)
    assert names(laptop) == names(desktop) == ["Stretch at lunch"]
    assert laptop.state() == desktop.state()
    laptop.clock.advance(minutes=5)
    laptop.service.remove(habit.id)
    engine.exchange(laptop, desktop)
    assert names(laptop) == names(desktop) == []
    # Deleted is a change like any other, kept in the merge: a later sync does not bring it back.
    engine.exchange(desktop, laptop)
    assert names(desktop) == []


def test_shared_settings_follow_the_last_change_and_the_others_stay_home(
    machines: tuple[Machine, Machine],
) -> None:
    laptop, desktop = machines
    laptop.service.set_setting("credit_reminded", "0.3")
    laptop.service.set_setting("language", "sv")
    desktop.clock.advance(seconds=1)
    desktop.service.set_setting("day_boundary", "03:00")
    engine.exchange(laptop, desktop)
    for machine in machines:
        settings_ = machine.service.settings()
        assert settings_["credit_reminded"] == 0.3
        assert settings_["day_boundary"] == time(3)
    assert laptop.service.settings()["language"] == "sv"
    assert desktop.service.settings()["language"] == "system"
    desktop.clock.advance(minutes=1)
    desktop.service.set_setting("credit_reminded", "0.5")
    engine.exchange(laptop, desktop)
    assert (
        laptop.service.settings()["credit_reminded"] == desktop.service.settings()["credit_reminded"] == 0.5
    )


# --- Merge laws -----------------------------------------------------------------------------------------

operation = st.tuples(
    st.sampled_from(["add", "check", "edit", "remove", "setting"]),
    st.integers(0, 3),  # which habit (by name)
    st.integers(0, 240),  # minutes after T0
)


def _apply(machine: Machine, operations: list[tuple[str, int, int]]) -> None:
    for kind, which, minutes in sorted(operations, key=lambda op: op[2]):
        machine.clock.set(T0 + timedelta(minutes=minutes))
        name = f"Habit {which}"
        try:
            if kind == "add":
                machine.service.add_habit(name, "FREQ=DAILY", time(5), start=T0.date())
            elif kind == "setting":
                machine.service.set_setting("credit_late", str(round(0.1 + which / 10, 2)))
            else:
                habit = next((h for h in machine.service.habits() if h.name == name), None)
                if habit is None:
                    continue
                if kind == "check":
                    machine.service.check_off(habit.id)
                elif kind == "edit":
                    machine.service.update_habit(habit.id, why=f"edited at {minutes}")
                else:
                    machine.service.remove(habit.id)
        except ServiceError:
            continue  # already checked off, a name in use: as a user would meet it


def _fresh(tmp_path: Path, name: str, operations: list[tuple[str, int, int]]) -> Machine:
    machine = Machine(tmp_path, name, T0)
    _apply(machine, operations)
    machine.sync()
    return machine


def _take_in(target: Machine, *sources: Machine) -> Machine:
    for source in sources:
        engine.deliver(source, target, engine.files(source))
        target.sync()
    return target


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    a=st.lists(operation, max_size=6),
    b=st.lists(operation, max_size=6),
    c=st.lists(operation, max_size=6),
)
def test_merging_is_commutative_associative_and_idempotent(tmp_path_factory, a, b, c) -> None:
    root = tmp_path_factory.mktemp("laws")
    replica_a, replica_b, replica_c = _fresh(root, "a", a), _fresh(root, "b", b), _fresh(root, "c", c)

    def observer(name: str) -> Machine:
        return Machine(root, name, T0)  # a computer that joins with nothing of its own

    # Commutative: a then b, b then a.
    assert (
        _take_in(observer("ab"), replica_a, replica_b).state()
        == _take_in(observer("ba"), replica_b, replica_a).state()
    )
    # Associative: (a + b) + c against a + (b + c), the inner merges made by copies of a and b.
    a_with_b = _take_in(replica_a.clone("a-with-b"), replica_b)
    b_with_c = _take_in(replica_b.clone("b-with-c"), replica_c)
    left = _take_in(observer("left"), a_with_b, replica_c)
    right = _take_in(observer("right"), replica_a, b_with_c)
    assert left.state() == right.state()
    # Idempotent: taking the same files in again changes nothing.
    before = left.state()
    _take_in(left, a_with_b, replica_c, replica_a)
    assert not left.sync().changed
    assert left.state() == before


# --- What sync engines do anyway --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "copy_name"),
    [
        ("2026-11.json", "2026-11 (conflicted copy 2026-11-27).json"),  # Dropbox
        ("2026-11.json", "2026-11 (Laptop's conflicted copy 2026-11-27).json"),  # Dropbox, older
        ("habits.json", "habits.sync-conflict-20261127-101500-7ZQ3XKA.json"),  # Syncthing
        ("habits.json", "habits-DESKTOP-4F2K9.json"),  # OneDrive
    ],
)
def test_conflict_copies_are_merged_and_archived(
    machines: tuple[Machine, Machine], original: str, copy_name: str
) -> None:
    laptop, desktop = machines
    habit = laptop.service.add_habit("Stretch", "FREQ=DAILY", time(9), start=T0.date()).habit
    assert habit is not None
    laptop.sync()
    stale = {path.name: path.read_bytes() for path in engine.files(laptop, of=laptop)}
    laptop.service.check_off(habit.id)
    laptop.service.update_habit(habit.id, why="for my back")
    laptop.sync()
    # The desktop has the old version under the real name and the new one as a conflict copy.
    for path in engine.files(laptop, of=laptop):
        copy = engine.deliver_as(laptop, desktop, path, path.name)
        if path.name in stale:
            copy.write_bytes(stale[path.name])
        if path.name == original:
            conflict = engine.deliver_as(laptop, desktop, path, copy_name)
    report = desktop.sync()
    assert report.archived == [str(conflict.relative_to(desktop.sync_dir))]
    assert not conflict.exists()
    archived = desktop.sync_dir / "archive" / conflict.relative_to(desktop.sync_dir / "devices")
    assert archived.exists()
    # What only the conflict copy held was taken in.
    desktop_habit = desktop.service.habits()[0]
    if original == "2026-11.json":
        assert desktop.service.report(desktop_habit).current.outcome is not None
    else:
        assert desktop_habit.why == "for my back"


def test_a_half_synced_file_is_skipped_then_read_when_it_is_whole(machines: tuple[Machine, Machine]) -> None:
    laptop, desktop = machines
    habit = laptop.service.add_habit("Stretch", "FREQ=DAILY", time(9), start=T0.date()).habit
    assert habit is not None
    engine.exchange(laptop, desktop)
    laptop.service.check_off(habit.id)
    laptop.sync()
    month = next(path for path in engine.files(laptop, of=laptop) if path.name == "2026-11.json")
    engine.deliver_truncated(laptop, desktop, month, keep=len(month.read_bytes()) // 2)
    # The sync engine is writing it at this moment.
    arriving = desktop.sync_dir / month.relative_to(laptop.sync_dir)
    _set_mtime(arriving, desktop.clock.now() - timedelta(seconds=1))
    before = desktop.state()
    report = desktop.sync()
    assert report.skipped == [
        f"devices/{laptop.device_id}/events/2026-11.json is still being synced; it will be read again."
    ]
    assert desktop.state() == before  # nothing lost, nothing taken in
    assert names(desktop) == ["Stretch"]
    engine.deliver(laptop, desktop, [month])
    assert not desktop.sync().skipped
    assert desktop.state() == laptop.state()


# --- Damaged and hostile files ------------------------------------------------------------------------------


def _set_mtime(path: Path, when: datetime) -> None:
    ns = int(when.timestamp()) * 1_000_000_000
    os.utime(path, ns=(ns, ns))


def _device_file(target: Machine, source: Machine, name: str) -> Path:
    """*source*'s file *name* in *target*'s copy of the sync folder."""
    return target.sync_dir / "devices" / source.device_id / name


def _call_it(target: Machine, source: Machine, computer: str) -> None:
    """Give *source* the computer name *computer* in *target*'s copy of its device.json."""
    path = _device_file(target, source, "device.json")
    path.write_bytes(jsontext.dumps({**jsontext.loads(path.read_bytes()), "name": computer}))


def test_a_habit_that_fails_its_check_is_left_out_reported_once_and_the_others_arrive(
    machines: tuple[Machine, Machine],
) -> None:
    laptop, desktop = machines
    for name in ("Read", "Stretch", "Walk"):
        laptop.service.add_habit(name, "FREQ=DAILY", time(9))
    laptop.service.set_setting("credit_reminded", "0.3")
    laptop.service.set_setting("day_boundary", "03:00")
    laptop.sync()
    engine.deliver_all(laptop, desktop)
    _call_it(desktop, laptop, "laptop-anna")
    path = _device_file(desktop, laptop, "habits.json")
    published = jsontext.loads(path.read_bytes())
    position = next(n for n, doc in enumerate(published["habits"], start=1) if doc["name"] == "Stretch")
    published["habits"][position - 1]["rrule"] = 5
    published["settings"]["credit_reminded"]["value"] = "lots"
    path.write_bytes(jsontext.dumps(published))
    report = desktop.sync()
    assert names(desktop) == ["Read", "Walk"]
    assert desktop.service.settings()["day_boundary"] == time(3)
    assert desktop.service.settings()["credit_reminded"] != 0.3
    assert report.skipped == [
        f"habit {position} of laptop-anna: its schedule is not a rule",
        "the settings of laptop-anna: setting credit_reminded has a value it cannot take",
    ]
    # Reported once: the file is unchanged, so the next sync says nothing more about it.
    assert desktop.sync().skipped == []
    assert names(desktop) == ["Read", "Walk"]


def test_an_event_that_fails_its_check_is_left_out_and_the_others_arrive(
    machines: tuple[Machine, Machine],
) -> None:
    laptop, desktop = machines
    habit = laptop.service.add_habit(
        "Stretch", "FREQ=DAILY", time(9), start=T0.date() - timedelta(days=5)
    ).habit
    assert habit is not None
    for days_ago in range(5, 0, -1):
        laptop.clock.set(datetime.combine(T0.date() - timedelta(days=days_ago), time(8), STOCKHOLM))
        laptop.service.check_off(habit.id)
    laptop.clock.set(T0)
    laptop.sync()
    engine.deliver_all(laptop, desktop)
    _call_it(desktop, laptop, "laptop-anna")
    event_ids = sorted(doc["id"] for doc in laptop.state()[1])
    assert len(event_ids) == 5
    bad = event_ids[2]
    expected = []
    folder = desktop.sync_dir / "devices" / laptop.device_id
    for path in engine.files(desktop, of=laptop):
        if path.name in ("habits.json", "device.json"):
            continue
        data = jsontext.loads(path.read_bytes())
        for number, doc in data.get("events", {}).items():
            if doc["id"] == bad:  # in every file that holds a copy of it
                doc["kind"] = "exploded"
                expected.append(
                    f"event {number} in {path.relative_to(folder).as_posix()} of laptop-anna: its kind is not one "
                    "TrayHabit knows"
                )
        path.write_bytes(jsontext.dumps(data))
    assert expected
    report = desktop.sync()
    assert sorted(report.skipped) == sorted(expected)
    assert [doc["id"] for doc in desktop.state()[1]] == [i for i in event_ids if i != bad]
    assert desktop.sync().skipped == []


def test_a_file_that_is_not_json_is_unreadable_reported_once_and_read_again_when_it_changes(
    machines: tuple[Machine, Machine],
) -> None:
    laptop, desktop = machines
    laptop.service.add_habit("Stretch", "FREQ=DAILY", time(9))
    laptop.sync()
    engine.deliver_all(laptop, desktop)
    habits = _device_file(desktop, laptop, "habits.json")
    whole = habits.read_bytes()
    habits.write_bytes(b"garbage\n")
    _set_mtime(habits, desktop.clock.now() - timedelta(hours=1))  # arrived a while ago, and stays so
    report = desktop.sync()
    assert report.skipped == [
        f"devices/{laptop.device_id}/habits.json cannot be read: it is not JSON; it will be read again when it "
        "changes."
    ]
    assert names(desktop) == []
    assert desktop.sync().skipped == []  # said once while the file stays as it is
    habits.write_bytes(whole)
    assert desktop.sync().skipped == []
    assert names(desktop) == ["Stretch"]


def test_only_a_file_that_changes_while_it_is_read_is_still_being_synced(
    machines: tuple[Machine, Machine], monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop, desktop = machines
    laptop.sync()
    engine.deliver_all(laptop, desktop)
    habits = _device_file(desktop, laptop, "habits.json")
    habits.write_bytes(habits.read_bytes()[:20])
    _set_mtime(habits, desktop.clock.now() - timedelta(hours=1))
    read_file = sync_module.read_file

    def read_while_the_engine_writes(path: Path) -> bytes:
        data = read_file(path)
        with path.open("ab") as handle:
            handle.write(b"more of it")
        return data

    monkeypatch.setattr(sync_module, "read_file", read_while_the_engine_writes)
    still = f"devices/{laptop.device_id}/habits.json is still being synced; it will be read again."
    assert desktop.sync().skipped == [still]
    monkeypatch.undo()
    _set_mtime(habits, desktop.clock.now() - timedelta(minutes=10))  # it settled, still cut short
    assert desktop.sync().skipped == [
        f"devices/{laptop.device_id}/habits.json cannot be read: it is not JSON; it will be read again when it "
        "changes."
    ]


def test_json_nested_very_deeply_in_the_sync_folder_leaves_every_command_working(tmp_path: Path) -> None:
    data, folder = tmp_path / "data", tmp_path / "Sync"
    folder.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LANG", "LC_"))}
    env.update(LANGUAGE="en", LC_ALL="C.UTF-8", PYTHONPATH=str(Path(__file__).parents[2]))

    def trayhabit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "trayhabit", "--data-dir", str(data), *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    assert trayhabit("config", "sync_folder", str(folder)).returncode == 0
    hostile = folder / "devices" / "0123456789abcdef0123456789abcdef" / "habits.json"
    hostile.parent.mkdir(parents=True)
    hostile.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    _set_mtime(hostile, datetime.now(UTC) - timedelta(hours=1))
    result = trayhabit("list")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    assert [line for line in result.stderr.splitlines() if "habits.json" in line] == [
        "sync: devices/0123456789abcdef0123456789abcdef/habits.json cannot be read: it is nested more than 64 "
        "levels deep; it will be read again when it changes."
    ]
    added = trayhabit("add", "Stretch", "--rrule", "FREQ=DAILY", "--at", "09:00")
    assert added.returncode == 0, added.stderr
    assert "habits.json" not in added.stderr
    listed = trayhabit("list")
    assert listed.returncode == 0 and "Stretch" in listed.stdout


def test_a_clock_years_ahead_does_not_win_over_later_changes(
    machines: tuple[Machine, Machine], caplog: pytest.LogCaptureFixture
) -> None:
    laptop, desktop = machines
    habit = laptop.service.add_habit("Stretch", "FREQ=DAILY", time(9)).habit
    assert habit is not None
    engine.exchange(laptop, desktop)
    laptop.clock.advance(days=3 * 365)  # the laptop's clock goes wrong
    laptop.service.update_habit(habit.id, name="Stretch daily")
    laptop.service.set_setting("credit_reminded", "0.3")
    engine.exchange(laptop, desktop)
    assert names(desktop) == ["Stretch daily"]
    ahead = [r.getMessage() for r in caplog.records if "ahead of this computer's clock" in r.getMessage()]
    assert len(ahead) == 1 and platform.node() in ahead[0]
    # The desktop, its clock right, changes both after it took in the laptop's changes: its changes win.
    desktop.clock.advance(minutes=1)
    desktop.service.update_habit(habit.id, why="for my back")
    desktop.service.set_setting("credit_reminded", "0.5")
    engine.exchange(desktop, laptop)
    assert laptop.state() == desktop.state()
    assert [(h.name, h.why) for h in laptop.service.habits()] == [("Stretch daily", "for my back")]
    assert laptop.service.settings()["credit_reminded"] == 0.5
    desktop.clock.advance(minutes=1)
    desktop.service.remove(habit.id)
    engine.exchange(desktop, laptop)
    assert names(laptop) == names(desktop) == []
    assert laptop.state() == desktop.state()
    ahead = [r for r in caplog.records if "ahead of this computer's clock" in r.getMessage()]
    assert len(ahead) == 1  # logged once, when it arrived


def test_a_pre_emptive_check_off_on_one_machine_suppresses_the_reminder_on_the_other(
    machines: tuple[Machine, Machine],
) -> None:
    laptop, desktop = machines
    habit = laptop.service.add_habit("Follow up sent quotes", "FREQ=DAILY", time(9), start=T0.date()).habit
    assert habit is not None
    engine.exchange(laptop, desktop)
    laptop.clock.set(T0.replace(hour=8))
    desktop.clock.set(T0.replace(hour=8))
    laptop.service.check_off(habit.id)  # before the 09:00 reminder
    engine.exchange(laptop, desktop)
    desktop.clock.set(T0.replace(hour=9, minute=1))
    plan = plan_reminders(desktop.service.reports(), desktop.clock.now(), STOCKHOLM)
    assert [r.name for r in plan.due] == []
    assert [r.name for r in plan.beaten] == ["Follow up sent quotes"]


# --- The folder itself ----------------------------------------------------------------------------------


def test_each_machine_writes_only_its_own_folder(machines: tuple[Machine, Machine]) -> None:
    laptop, desktop = machines
    laptop.service.add_habit("Stretch", "FREQ=DAILY", time(9))
    engine.exchange(laptop, desktop)
    before = {path: path.read_bytes() for path in engine.files(desktop, of=laptop)}
    desktop.service.add_habit("Read", "FREQ=DAILY", time(21))
    desktop.sync()
    assert {path: path.read_bytes() for path in engine.files(desktop, of=laptop)} == before
    device = jsontext.loads((desktop.sync_dir / "devices" / desktop.device_id / "device.json").read_bytes())
    assert device["device_id"] == desktop.device_id


def test_a_missing_folder_leaves_the_store_alone_and_it_catches_up_when_back(
    machines: tuple[Machine, Machine],
) -> None:
    laptop, desktop = machines
    laptop.sync()
    unmounted = laptop.sync_dir.rename(laptop.sync_dir.with_name("Sync-away"))
    habit = laptop.service.add_habit("Stretch", "FREQ=DAILY", time(9), start=T0.date()).habit
    assert habit is not None
    laptop.service.check_off(habit.id)
    report = laptop.sync()
    assert not report.available
    assert not laptop.sync_dir.exists()  # not created at a mount point that is away
    unmounted.rename(laptop.sync_dir)
    assert laptop.sync().files_published > 0
    engine.exchange(laptop, desktop)
    assert laptop.state() == desktop.state()
    assert names(desktop) == ["Stretch"]


def test_moving_a_store_with_history_into_a_sync_folder_and_out_keeps_everything(tmp_path: Path) -> None:
    laptop = Machine(tmp_path, "laptop", T0)
    laptop.service.set_setting("sync_folder", "")
    habit = laptop.service.add_habit(
        "Stretch", "FREQ=DAILY", time(9), start=T0.date() - timedelta(days=400)
    ).habit
    assert habit is not None
    for day in range(0, 400, 3):
        laptop.clock.set(datetime.combine(T0.date() - timedelta(days=400 - day), time(8), STOCKHOLM))
        laptop.service.check_off(habit.id)
    laptop.clock.set(T0)
    assert laptop.service.sync() is None  # sync off
    laptop.service.set_setting("sync_folder", str(laptop.sync_dir))
    laptop.sync()
    desktop = Machine(tmp_path, "desktop", T0)
    engine.exchange(laptop, desktop)
    assert laptop.state() == desktop.state()
    assert len(desktop.state()[1]) == len(range(0, 400, 3))
    desktop.service.set_setting("sync_folder", "")
    assert desktop.state() == laptop.state()


def test_a_sync_folder_inside_the_data_folder_is_refused(tmp_path: Path) -> None:
    clock = FakeClock(T0)
    store = Store(tmp_path / "data", clock=clock)
    store.open()
    service = HabitService(store, clock)
    (tmp_path / "data" / "sync").mkdir()
    with pytest.raises(SyncFolderError, match="folder of its own"):
        service.set_setting("sync_folder", str(tmp_path / "data" / "sync"))
    with pytest.raises(SettingError, match="not an existing folder"):
        service.set_setting("sync_folder", str(tmp_path / "nowhere"))
    with pytest.raises(SettingError, match="full path"):
        service.set_setting("sync_folder", "relative/folder")
    assert service.settings()["sync_folder"] == ""


def test_a_data_folder_copied_to_another_computer_gets_its_own_device_id(
    machines: tuple[Machine, Machine], tmp_path: Path
) -> None:
    laptop, _desktop = machines
    laptop.service.add_habit("Stretch", "FREQ=DAILY", time(9))
    laptop.sync()
    # The laptop's data folder copied to a new computer, which syncs with a copy of the laptop's folder.
    copy = laptop.clone("new-computer")
    device_file = copy.sync_dir / "devices" / laptop.device_id / "device.json"
    claimed = jsontext.loads(device_file.read_bytes())
    device_file.write_bytes(jsontext.dumps({**claimed, "name": "the-old-laptop"}))
    report = copy.sync()
    assert report.renewed_from == laptop.device_id
    assert copy.device_id != laptop.device_id
    copy.service.add_habit("Read", "FREQ=DAILY", time(21))
    copy.sync()
    assert (copy.sync_dir / "devices" / copy.device_id / "habits.json").exists()
    engine.deliver_all(copy, laptop)
    laptop.sync()
    assert names(laptop) == ["Read", "Stretch"]
    assert laptop.state() == copy.state()


def test_months_already_in_the_sync_folder_are_not_written_again_when_the_bookkeeping_is_lost(
    machines: tuple[Machine, Machine],
) -> None:
    laptop, _desktop = machines
    habit = laptop.service.add_habit("Stretch", "FREQ=DAILY", time(9), start=T0.date()).habit
    assert habit is not None
    laptop.service.check_off(habit.id)
    laptop.sync()
    month = laptop.sync_dir / "devices" / laptop.device_id / "events" / "2026-11.json"
    stamp = month.stat().st_mtime_ns
    (laptop.data_dir / "cache" / "sync.json").unlink()  # or written by TrayHabit 0.1
    assert laptop.sync().files_published == 0
    assert month.stat().st_mtime_ns == stamp  # the other computers need not read it again
    laptop.clock.advance(minutes=5)
    laptop.service.undo(habit.id)  # a new event of the month: its revision moves
    assert laptop.sync().files_published == 1
    assert b'"kind":"undo"' in month.read_bytes()


# --- Long histories: in steps, with progress ------------------------------------------------------------


def _three_months_of_check_offs(laptop: Machine) -> str:
    habit = laptop.service.add_habit(
        "Stretch", "FREQ=DAILY", time(9), start=T0.date() - timedelta(days=80)
    ).habit
    assert habit is not None
    for day in range(80):
        laptop.clock.set(datetime.combine(T0.date() - timedelta(days=80 - day), time(8), STOCKHOLM))
        laptop.service.check_off(habit.id)
    laptop.clock.set(T0)
    laptop.sync()
    return habit.id


def test_a_long_history_is_merged_a_step_at_a_time_and_says_how_far_it_got(
    machines: tuple[Machine, Machine], monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop, desktop = machines
    _three_months_of_check_offs(laptop)
    engine.deliver_all(laptop, desktop)
    monkeypatch.setattr(sync_module, "STEP_EVENTS", 1)  # a step per file
    writes: list[int] = []
    store = desktop.service.store
    real_writing = store.writing

    def counting_writing():  # type: ignore[no-untyped-def]
        writes.append(1)
        return real_writing()

    monkeypatch.setattr(store, "writing", counting_writing)
    steps: list[tuple[int, int]] = []
    report = desktop.service.sync(progress=lambda done, total, _what: steps.append((done, total)))
    assert report is not None and report.events_added == 80
    # habits.json and three or four month files: one transaction each, not one for all.
    assert len(writes) >= 4
    assert steps[0][0] == 0 and steps[-1][0] == steps[-1][1] >= 4
    monkeypatch.undo()
    assert laptop.state() == desktop.state()


def test_when_a_later_step_fails_the_steps_written_are_not_read_again(
    machines: tuple[Machine, Machine], monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop, desktop = machines
    _three_months_of_check_offs(laptop)
    engine.deliver_all(laptop, desktop)
    monkeypatch.setattr(sync_module, "STEP_EVENTS", 1)
    store = desktop.service.store
    real_writing = store.writing
    written = 0

    def failing_third_writing():  # type: ignore[no-untyped-def]
        nonlocal written
        written += 1
        if written == 3:
            raise OSError(28, "No space left on device")
        return real_writing()

    monkeypatch.setattr(store, "writing", failing_third_writing)
    with pytest.raises(SyncFolderError):
        desktop.service.sync()
    monkeypatch.undo()
    monkeypatch.setattr(sync_module, "STEP_EVENTS", 1)
    read: list[str] = []
    real_read = sync_module.read_file
    monkeypatch.setattr(sync_module, "read_file", lambda path: read.append(path.name) or real_read(path))
    desktop.sync()
    # habits.json, written in the first step before the failure, is not read again; the months, whose
    # steps were not all written, are.
    months = sorted(path.name for path in engine.files(laptop, of=laptop) if path.parent.name == "events")
    assert sorted(read) == months
    assert laptop.state() == desktop.state()


def test_a_sync_cancelled_between_steps_keeps_them_and_the_next_takes_in_the_rest(
    machines: tuple[Machine, Machine], monkeypatch: pytest.MonkeyPatch
) -> None:
    from trayhabit.core.progress import CancelledError

    laptop, desktop = machines
    _three_months_of_check_offs(laptop)
    engine.deliver_all(laptop, desktop)
    monkeypatch.setattr(sync_module, "STEP_EVENTS", 1)
    asked = 0

    def cancelled_at_the_third_file() -> bool:
        nonlocal asked
        asked += 1
        return asked == 3

    with pytest.raises(CancelledError):
        desktop.service.sync(cancelled=cancelled_at_the_third_file)
    with desktop.service.store.reading() as view:
        partly = len(view.events())
    assert 0 < partly < 80
    assert desktop.sync().events_added == 80 - partly
    assert laptop.state() == desktop.state()
