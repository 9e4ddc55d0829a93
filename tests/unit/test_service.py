"""The use-case layer itself: what each use case changes, says it changed, and writes, in one go.

The command line and the windows are tested through these; here each use case is called directly on
a store in a temporary folder with a fake clock, and its :class:`Change` is held to what happened:
the habits it names, whether definitions, events or settings changed, and the relapses it applied in
its own write.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.clock import FakeClock
from tests.helpers.sync_engine import Machine, SyncEngine
from trayhabit.core.changes import ChangeKind
from trayhabit.core.errors import UserError
from trayhabit.core.model import Habit, State
from trayhabit.core.service import HabitService, ServiceError
from trayhabit.core.store import Store, StoreTransaction

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# A Friday morning, before the 09:00 reminders.
T0 = datetime(2026, 11, 27, 6, 0, tzinfo=STOCKHOLM)


def make_service(folder: Path, now: datetime = T0) -> tuple[HabitService, FakeClock]:
    clock = FakeClock(now)
    store = Store(folder, clock=clock)
    store.open()
    return HabitService(store, clock), clock


@pytest.fixture
def service(tmp_path: Path) -> HabitService:
    return make_service(tmp_path / "data")[0]


class Writes:
    """Counts the store's write transactions, so a test can say a use case wrote once."""

    def __init__(self, service: HabitService) -> None:
        self.count = 0
        writing = service.store.writing

        def counted() -> AbstractContextManager[StoreTransaction]:
            self.count += 1
            return writing()

        service.store.writing = counted  # type: ignore[method-assign]  # a counting wrapper


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), STOCKHOLM)


def graduated_stretch(service: HabitService, clock: FakeClock) -> Habit:
    """A daily 09:00 habit done before its reminder for 70 days, its reminder retired on T0's morning."""
    start = T0.date() - timedelta(days=70)
    added = service.add_habit("Stretch", "FREQ=DAILY", time(9), start=start).habit
    assert added is not None
    for offset in range(70, 0, -1):
        clock.set(at(T0.date() - timedelta(days=offset), 8))
        service.check_off(added.id)
    clock.set(T0)
    graduated = service.graduate(added.id).habit  # suggested, not forced: the record is strong
    assert graduated is not None and graduated.state is State.GRADUATED
    return graduated


def state_of(service: HabitService, habit_id: str) -> State:
    return service.find(habit_id).state


# --- What each change names -----------------------------------------------------------------------


def test_adding_and_checking_off_name_their_habit_and_what_of_it_changed(service: HabitService) -> None:
    added = service.add_habit("Stretch", "FREQ=DAILY", time(9))
    assert added.habit is not None
    assert (added.habit_ids, added.definitions, added.events) == (frozenset({added.habit.id}), True, False)

    done = service.check_off(added.habit.id)
    # The check-off re-scores its habit only: events, not the definition lists and menus show.
    assert (done.habit_ids, done.definitions, done.events) == (frozenset({added.habit.id}), False, True)
    assert done.relapsed == ()


def test_a_setting_names_its_key_and_only_a_score_setting_rescores_every_habit(
    service: HabitService,
) -> None:
    snooze = service.set_setting("snooze_minutes", "15")
    assert snooze.settings == frozenset({"snooze_minutes"}) and not snooze.rescores_all
    assert service.settings().snooze_minutes == 15

    credit = service.set_setting("credit_reminded", "0.5")
    assert credit.settings == frozenset({"credit_reminded"}) and credit.rescores_all


# --- Relapses, in the write that made them due ------------------------------------------------------


def test_a_check_off_on_time_keeps_the_reminder_retired(service: HabitService) -> None:
    clock = service.clock
    assert isinstance(clock, FakeClock)
    habit = graduated_stretch(service, clock)
    clock.set(at(T0.date(), 8))
    change = service.check_off(habit.id)
    assert change.relapsed == ()
    assert state_of(service, habit.id) is State.GRADUATED


def test_an_undo_that_leaves_two_misses_in_a_row_gives_the_reminder_back_in_the_same_write(
    service: HabitService,
) -> None:
    clock = service.clock
    assert isinstance(clock, FakeClock)
    habit = graduated_stretch(service, clock)
    clock.set(at(T0.date(), 8))
    service.check_off(habit.id)  # Friday, before the reminder
    # Saturday passes unchecked; on Sunday the record since retirement is: done, missed.
    clock.set(at(T0.date() + timedelta(days=2), 12))
    assert service.apply_relapses().relapsed == ()

    writes = Writes(service)
    change = service.undo(habit.id)  # Friday's check-off taken back: missed, missed

    assert writes.count == 1
    assert [relapsed.id for relapsed in change.relapsed] == [habit.id]
    assert change.definitions and habit.id in change.habit_ids
    assert "missed twice in a row" in change.relapsed[0].state_reason
    # Written with the undo: nothing is left for a later check to do, and the store says so.
    assert state_of(service, habit.id) is State.LEARNING
    assert service.apply_relapses().is_empty


def test_a_stricter_relapse_score_gives_the_reminder_back_in_the_same_write(service: HabitService) -> None:
    clock = service.clock
    assert isinstance(clock, FakeClock)
    habit = graduated_stretch(service, clock)
    # Friday after retirement: the reminder shown, the habit done half an hour later (reminded).
    clock.set(at(T0.date(), 9))
    service.record_reminder(habit.id, T0.date(), fired=True)
    clock.set(at(T0.date(), 9, 30))
    service.check_off(habit.id)
    assert state_of(service, habit.id) is State.GRADUATED

    writes = Writes(service)
    change = service.set_setting("relapse_score", "0.95")

    assert writes.count == 1
    assert [relapsed.id for relapsed in change.relapsed] == [habit.id]
    assert change.settings == frozenset({"relapse_score"})
    assert state_of(service, habit.id) is State.LEARNING


def test_relapses_due_by_time_alone_are_applied_once_by_apply_relapses(service: HabitService) -> None:
    clock = service.clock
    assert isinstance(clock, FakeClock)
    habit = graduated_stretch(service, clock)
    # Friday and Saturday pass unchecked: two misses in a row, with no write to notice them.
    clock.set(at(T0.date() + timedelta(days=2), 12))
    assert state_of(service, habit.id) is State.GRADUATED

    change = service.apply_relapses()
    assert change.kind is ChangeKind.RELAPSED
    assert [relapsed.name for relapsed in change.relapsed] == ["Stretch"]
    assert state_of(service, habit.id) is State.LEARNING
    assert service.apply_relapses().is_empty  # told once


def test_an_imported_score_setting_applies_its_relapse_in_the_import(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path / "here")
    habit = graduated_stretch(service, clock)
    clock.set(at(T0.date(), 9))
    service.record_reminder(habit.id, T0.date(), fired=True)
    clock.set(at(T0.date(), 9, 30))
    service.check_off(habit.id)
    # Another store, where the relapse score was made stricter, exported with its settings.
    other, _clock = make_service(tmp_path / "there", at(T0.date(), 10))
    other.set_setting("relapse_score", "0.95")
    exported = other.export("json").data

    result = service.import_file(exported, "strict.json")

    assert result.change.settings == frozenset({"relapse_score"})
    assert [relapsed.id for relapsed in result.change.relapsed] == [habit.id]
    assert state_of(service, habit.id) is State.LEARNING


def test_a_sync_that_brings_a_stricter_relapse_score_applies_the_relapse_in_its_merge(tmp_path: Path) -> None:
    laptop, desktop = Machine(tmp_path, "laptop", T0), Machine(tmp_path, "desktop", T0)
    habit = graduated_stretch(laptop.service, laptop.clock)
    engine = SyncEngine()
    laptop.sync()
    engine.deliver_all(laptop, desktop)
    desktop.sync()
    # On the laptop, Friday's reminder shown and the habit done after it; not yet synced.
    laptop.clock.set(at(T0.date(), 9))
    laptop.service.record_reminder(habit.id, T0.date(), fired=True)
    laptop.clock.set(at(T0.date(), 9, 30))
    laptop.service.check_off(habit.id)
    # The desktop, which has nothing settled since the retirement, makes the relapse score stricter.
    desktop.clock.set(at(T0.date(), 10))
    assert desktop.service.set_setting("relapse_score", "0.95").relapsed == ()
    desktop.sync()
    engine.deliver_all(desktop, laptop)
    laptop.clock.set(at(T0.date(), 10, 5))

    report = laptop.sync()

    assert report.change.settings == frozenset({"relapse_score"})
    assert [relapsed.id for relapsed in report.change.relapsed] == [habit.id]
    assert laptop.service.find(habit.id).state is State.LEARNING


# --- Undo takes back only the latest mark ----------------------------------------------------------


def test_undo_of_an_occurrence_whose_mark_is_not_the_latest_is_refused(service: HabitService) -> None:
    clock = service.clock
    assert isinstance(clock, FakeClock)
    habit = service.add_habit("Stretch", "FREQ=DAILY", time(9), start=T0.date() - timedelta(days=3)).habit
    assert habit is not None
    clock.set(at(T0.date(), 8))
    service.check_off(habit.id)  # today
    yesterday = T0.date() - timedelta(days=1)
    clock.advance(minutes=1)
    service.check_off(habit.id, at(yesterday, 20))  # a back-fill, recorded after today's

    with pytest.raises(ServiceError, match="comes first"):
        service.undo(habit.id, occurrence=T0.date())
    assert service.report(habit).current is not None
    assert service.report(habit).current.outcome is not None  # today's check-off still stands

    change = service.undo(habit.id, occurrence=yesterday)
    assert change.undone is not None and change.undone.occurrence == yesterday


# --- Import and export through the service -----------------------------------------------------------


def test_an_export_imported_elsewhere_gives_the_same_habits_and_scores(tmp_path: Path) -> None:
    here, clock = make_service(tmp_path / "here")
    habit = here.add_habit("Stretch", "FREQ=DAILY", time(9), start=T0.date() - timedelta(days=3)).habit
    assert habit is not None
    clock.set(at(T0.date(), 8))
    here.check_off(habit.id)
    target = tmp_path / "export.json"

    exported = here.export("json", path=target)

    assert (exported.path, exported.habits, exported.events) == (target, 1, 1)
    assert target.read_bytes() == exported.data
    there, _clock = make_service(tmp_path / "there", at(T0.date(), 8))
    result = there.import_file(target.read_bytes(), target.name)
    assert (result.habits_added, result.events_added) == (1, 1)
    assert result.change.habit_ids == frozenset({habit.id})
    assert result.change.definitions and result.change.events
    assert there.report(there.find(habit.id)).score == here.report(habit).score

    again = there.import_file(target.read_bytes(), target.name)
    assert again.change.is_empty and (again.habits_added, again.habits_updated, again.events_added) == (
        0,
        0,
        0,
    )


def _months_of_check_offs(folder: Path, days: int) -> tuple[HabitService, FakeClock, str]:
    """A store with two habits checked off daily for *days* days up to T0 (three months or so),
    opened again so that its older months are on disk only, as after a restart."""
    service, clock = make_service(folder, at(T0.date() - timedelta(days=days), 7))
    habits = [
        service.add_habit(name, "FREQ=DAILY", time(9), start=T0.date() - timedelta(days=days)).habit
        for name in ("Stretch", "Read")
    ]
    for offset in range(days, 0, -1):
        clock.set(at(T0.date() - timedelta(days=offset), 8))
        for habit in habits:
            assert habit is not None
            service.check_off(habit.id)
    assert habits[0] is not None
    again, clock = make_service(folder, at(T0.date(), 8))
    return again, clock, habits[0].id


def test_an_export_reads_month_by_month_and_a_check_off_from_another_thread_goes_in_between(
    tmp_path: Path,
) -> None:
    import threading

    from trayhabit.core import jsontext
    from trayhabit.core.store import StoreLockedError

    here, clock, habit_id = _months_of_check_offs(tmp_path / "here", 70)
    with here.store.reading() as view:
        before = {event["id"] for event in view.events()}
    # The app's UI thread, as another holder of the folder's lock that does not wait for it: if the
    # export held the lock for its whole read, this check-off would be refused at once.
    ui = HabitService(Store(tmp_path / "here", clock=clock, lock_timeout=0), clock)
    ui.store.open()
    checked_off_at: list[tuple[int, int]] = []
    failures: list[BaseException] = []

    def check_off_from_another_thread(done: int, total: int, _what: str) -> None:
        if checked_off_at or not 0 < done < total - 2:
            return  # once, with a month read and at least one more to read

        def check_off() -> None:
            try:
                ui.check_off(habit_id)
            except StoreLockedError as error:
                failures.append(error)

        thread = threading.Thread(target=check_off)
        thread.start()
        thread.join()
        checked_off_at.append((done, total))

    exported = here.export("json", progress=check_off_from_another_thread)

    assert failures == [] and len(checked_off_at) == 1
    # Everything stored before the export began is in the file; the check-off is stored too.
    exported_ids = {event["id"] for event in jsontext.loads(exported.data)["events"]}
    assert before <= exported_ids and exported.events == len(exported_ids)
    with here.store.reading() as view:
        assert len(view.events(habit_id)) == 71


def test_an_export_in_month_steps_gives_the_bytes_of_one_read_of_the_whole_store(tmp_path: Path) -> None:
    from trayhabit import __version__
    from trayhabit.core import jsontext
    from trayhabit.core.transfer import FORMAT_NAME, FORMAT_VERSION, export_csv

    here, clock, _habit_id = _months_of_check_offs(tmp_path / "here", 70)
    steps: list[tuple[int, int]] = []

    exported = here.export("json", progress=lambda done, total, _what: steps.append((done, total)))

    with here.store.reading() as view:
        document = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "app_version": __version__,
            "exported_at": clock.now().isoformat(),
            "habits": view.habits(),
            "events": view.events(),
            "settings": view.settings(),
        }
        whole_csv = export_csv(view, clock.now(), clock.tz).encode()
        months = view.event_months()
    assert exported.data == jsontext.dumps(document, indent=2) + b"\n"
    assert exported.events == len(document["events"]) == 140
    assert len(months) >= 3 and steps[1:] == [(number, len(months) + 1) for number in range(len(months))]
    assert here.export("csv").data == whole_csv
    assert b"preemptive" in whole_csv  # the check-offs' outcomes, which need each habit's whole history


def test_a_long_history_is_imported_in_short_steps_that_add_up_and_can_be_cancelled_before_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trayhabit.core import service_transfer
    from trayhabit.core.progress import CancelledError

    here, clock = make_service(tmp_path / "here")
    habits = [
        here.add_habit(name, "FREQ=DAILY", time(9), start=T0.date() - timedelta(days=30)).habit
        for name in ("Stretch", "Read")
    ]
    for offset in range(30, 0, -1):
        clock.set(at(T0.date() - timedelta(days=offset), 8))
        for habit in habits:
            assert habit is not None
            here.check_off(habit.id)
    data = here.export("json").data
    monkeypatch.setattr(service_transfer, "IMPORT_STEP", 7)
    there, _clock = make_service(tmp_path / "there", at(T0.date(), 8))
    writes = Writes(there)

    with pytest.raises(CancelledError):
        there.import_file(data, "here.json", cancelled=lambda: True)
    assert writes.count == 0 and there.habits() == []

    steps: list[tuple[int, int]] = []
    result = there.import_file(
        data, "here.json", progress=lambda done, total, _what: steps.append((done, total))
    )
    assert writes.count == 9  # 60 events, 7 a step
    assert (result.habits_added, result.events_added) == (2, 60)
    assert result.change.counts == {"habits": 2, "events": 60, "settings": result.change.counts["settings"]}
    assert result.change.habit_ids == frozenset(habit.id for habit in habits if habit is not None)
    assert steps[-1] == (8, 9)


def test_a_calendar_import_names_the_habits_it_created(tmp_path: Path) -> None:
    service, _clock = make_service(tmp_path / "data", datetime(2026, 11, 30, 8, 0, tzinfo=STOCKHOLM))
    calendar = Path(__file__).parent.parent / "fixtures" / "ical" / "outlook-tasks.ics"
    plan = service.plan_calendar_import(calendar.read_bytes(), calendar.name)

    result = service.import_calendar(plan)

    assert [habit.name for habit in result.created] == [planned.name for planned in plan.habits]
    assert result.change.habit_ids == frozenset(habit.id for habit in result.created)
    assert result.change.definitions and not result.change.events
    assert {habit.id for habit in service.habits()} == result.change.habit_ids


def test_a_bad_file_imports_nothing(service: HabitService) -> None:
    with pytest.raises(UserError):
        service.import_file(b'{"format": "trayhabit-export", "format_version": 1, "habits": 3}', "bad.json")
    assert service.habits() == []


# --- One last-writer-wins rule for import and sync --------------------------------------------------


def _renamed_at_the_same_moment(first: HabitService, second: HabitService, habit_id: str) -> None:
    for service, name in ((first, "Stretch (first)"), (second, "Stretch (second)")):
        clock = service.clock
        assert isinstance(clock, FakeClock)
        clock.set(at(T0.date(), 7))
        service.update_habit(habit_id, name=name)


def _device(service: HabitService) -> str:
    with service.store.reading() as view:
        return view.device_id


def test_import_and_sync_keep_the_same_one_of_two_edits_made_at_the_same_moment(tmp_path: Path) -> None:
    # By import: two stores with one habit, renamed at the same instant, exchange exports.
    first, _clock = make_service(tmp_path / "first")
    habit = first.add_habit("Stretch", "FREQ=DAILY", time(9)).habit
    assert habit is not None
    second, _clock = make_service(tmp_path / "second")
    second.import_file(first.export("json").data, "first.json")
    _renamed_at_the_same_moment(first, second, habit.id)
    first_file, second_file = first.export("json").data, second.export("json").data
    first.import_file(second_file, "second.json")
    second.import_file(first_file, "first.json")
    imported = {first.find(habit.id).name, second.find(habit.id).name}
    # Both keep the version of the device that comes last: the order sync uses.
    winner = max((first, "Stretch (first)"), (second, "Stretch (second)"), key=lambda pair: _device(pair[0]))
    assert imported == {winner[1]}

    # By sync: the same habit, the same two edits at the same instant, through a sync folder.
    laptop, desktop = Machine(tmp_path, "laptop", T0), Machine(tmp_path, "desktop", T0)
    desktop.service.import_file(first.export("json").data, "first.json")
    laptop.service.import_file(first.export("json").data, "first.json")
    _renamed_at_the_same_moment(laptop.service, desktop.service, habit.id)
    engine = SyncEngine()
    for machine in (laptop, desktop):
        machine.sync()
    engine.deliver_all(laptop, desktop)
    engine.deliver_all(desktop, laptop)
    reports = {machine.name: machine.sync() for machine in (laptop, desktop)}
    synced = {laptop.service.find(habit.id).name, desktop.service.find(habit.id).name}
    winner = max(
        (laptop, "Stretch (first)"), (desktop, "Stretch (second)"), key=lambda pair: pair[0].device_id
    )
    assert synced == {winner[1]}
    # The loser's sync says which habit it took in, and that its definition changed.
    loser = desktop if winner[0] is laptop else laptop
    assert reports[loser.name].change.habit_ids == frozenset({habit.id})
    assert reports[loser.name].change.definitions


def test_a_later_edit_wins_over_an_earlier_one_whichever_way_it_arrives(tmp_path: Path) -> None:
    first, first_clock = make_service(tmp_path / "first")
    habit = first.add_habit("Stretch", "FREQ=DAILY", time(9)).habit
    assert habit is not None
    second, second_clock = make_service(tmp_path / "second")
    second.import_file(first.export("json").data, "first.json")
    first_clock.set(at(T0.date(), 7))
    first.update_habit(habit.id, name="Stretch earlier")
    second_clock.set(at(T0.date(), 7, 1))
    second.update_habit(habit.id, name="Stretch later")

    second.import_file(first.export("json").data, "first.json")
    first.import_file(second.export("json").data, "second.json")

    assert first.find(habit.id).name == second.find(habit.id).name == "Stretch later"


# --- Start at login ------------------------------------------------------------------------------


class _LoginEntry:
    def __init__(self, refuse: str = "") -> None:
        self.enabled: bool | None = None
        self._refuse = refuse

    def set_enabled(self, enabled: bool) -> None:
        if self._refuse:
            raise UserError(self._refuse)
        self.enabled = enabled


def test_start_at_login_writes_the_entry_and_the_setting_or_neither(service: HabitService) -> None:
    entry = _LoginEntry()
    change = service.set_start_at_login(True, entry)
    assert entry.enabled is True and service.settings().start_at_login
    assert change.settings == frozenset({"start_at_login"})

    with pytest.raises(UserError, match="read-only"):
        service.set_start_at_login(False, _LoginEntry(refuse="The folder is read-only."))
    assert service.settings().start_at_login  # not claimed off while the entry is still there


# --- Which day it is ---------------------------------------------------------------------------------


def test_today_turns_at_the_day_boundary_not_at_midnight(tmp_path: Path) -> None:
    service, clock = make_service(tmp_path / "data", at(date(2026, 11, 28), 3, 59))
    assert service.today() == date(2026, 11, 27)  # a late evening still belongs to Friday
    clock.set(at(date(2026, 11, 28), 4, 0))
    assert service.today() == date(2026, 11, 28)
    assert service.day_start(date(2026, 11, 29)) == at(date(2026, 11, 29), 4)

    service.set_setting("day_boundary", "02:00")
    clock.set(at(date(2026, 11, 28), 3, 0))
    assert service.today() == date(2026, 11, 28)
