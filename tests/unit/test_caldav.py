"""Two-way CalDAV sync (issue 19) against a real Radicale server on 127.0.0.1, with logins on.

Connect, habits up as recurring tasks, completions down in the four ways clients write them (each
counted once, classed by its time), server-side edits, and faults that leave the store unchanged.
The server keeps running for the module; each test has a task list of its own.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import keyring
import pytest

from tests.helpers.caldav_server import (
    PASSWORD,
    USER,
    CalDAVServer,
    misbehaving_server,
    start_radicale,
    start_xandikos,
)
from tests.helpers.clock import FakeClock
from tests.helpers.memory_keyring import MemoryKeyring, memory_keyring_in_use
from trayhabit.core.caldav.account import KEYRING_SERVICE, Account, CalDAVError
from trayhabit.core.caldav.connection import open_list
from trayhabit.core.caldav.remote import CalDAVTaskList, RemoteItem
from trayhabit.core.model import Habit, Outcome
from trayhabit.core.service import HabitService
from trayhabit.core.store import Store

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Wednesday 25 November 2026, 07:00 in Stockholm: before the 09:00 reminder of the daily habit.
MORNING = datetime(2026, 11, 25, 7, 0, tzinfo=STOCKHOLM)


@pytest.fixture(scope="module", params=["radicale", "xandikos"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CalDAVServer]:
    """Each server implementation in turn, so no behaviour leans on one server's quirks."""
    start = start_radicale if request.param == "radicale" else start_xandikos
    running = start(tmp_path_factory.mktemp(request.param))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CalDAVServer]:
    """Radicale alone: logins (Xandikos leaves them to a front server)."""
    running = start_radicale(tmp_path_factory.mktemp("radicale-logins"))
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    yield from memory_keyring_in_use()


class Phone:
    """What a test does on the server, as a phone or desktop client would."""

    def __init__(self, server: CalDAVServer, list_name: str) -> None:
        self.account = Account(server.url, USER, list_name)
        self._list: CalDAVTaskList | None = None

    @property
    def list(self) -> CalDAVTaskList:
        if self._list is None:
            self._list = open_list(self.account, PASSWORD, timeout=10)
        return self._list

    def close(self) -> None:
        if self._list is not None:
            self._list.close()

    def calendars(self) -> list[tuple[str, icalendar.Calendar, str]]:
        return [(item.href, icalendar.Calendar.from_ical(item.data), item.etag) for item in self.list.items()]

    def series(self, habit: Habit) -> tuple[str, icalendar.Calendar, str]:
        for href, calendar, etag in self.calendars():
            if any(str(todo.get("UID")) == f"{habit.id}@trayhabit" for todo in calendar.walk("VTODO")):
                return href, calendar, etag
        raise AssertionError("no task for the habit")

    def rewrite(self, habit: Habit, edit: object) -> None:
        href, calendar, etag = self.series(habit)
        edit(calendar)  # type: ignore[operator]
        self.list.update(href, calendar.to_ical(), etag)

    def add(self, text: str) -> None:
        self.list.create(text.encode())


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MORNING)


@pytest.fixture
def service(tmp_path: Path, clock: FakeClock) -> HabitService:
    store = Store(tmp_path / "data", clock=clock)
    store.open()
    return HabitService(store, clock)


@pytest.fixture
def list_name(request: pytest.FixtureRequest) -> str:
    return f"Habits {request.node.name}"[:60]


@pytest.fixture
def phone(server: CalDAVServer, list_name: str) -> Iterator[Phone]:
    client = Phone(server, list_name)
    yield client
    client.close()


@pytest.fixture
def stretch(service: HabitService) -> Habit:
    habit = service.add_habit(
        "Stretch", "FREQ=DAILY", time(9), why="A stiff back loses calls", start=MORNING.date()
    ).habit
    assert habit is not None
    return habit


@pytest.fixture
def connected(service: HabitService, server: CalDAVServer, list_name: str, stretch: Habit) -> HabitService:
    service.caldav_connect(server.url, USER, PASSWORD, list_name)
    result = service.caldav_sync()
    assert (result.sent, result.errors) == (1, ())
    return service


def snapshot(service: HabitService) -> dict[str, bytes]:
    data = service.store.data_dir
    return {
        str(path.relative_to(data)): path.read_bytes()
        for path in sorted(data.rglob("*"))
        if path.is_file() and path.name != ".lock" and "logs" not in path.parts and "cache" not in path.parts
    }


def outcome(service: HabitService, habit: Habit, day: datetime) -> Outcome | None:
    report = service.report(habit, complete=True)
    for settled in report.settled:
        if settled.occurrence.key == day.date():
            return settled.outcome
    return report.current.outcome if report.current and report.current.occurrence.key == day.date() else None


def check_offs(service: HabitService, habit: Habit) -> list[str]:
    with service.store.reading() as view:
        return sorted(doc["occurrence"] for doc in view.events(habit.id) if doc["kind"] == "done")


# -- connect ----------------------------------------------------------------------------------------


def test_connect_makes_the_list_and_keeps_the_password_in_the_keyring_only(
    service: HabitService, server: CalDAVServer, list_name: str, memory_keyring: MemoryKeyring
) -> None:
    result = service.caldav_connect(server.url, USER, PASSWORD, list_name)
    assert result.created and result.list_name == list_name
    assert memory_keyring.passwords == {(KEYRING_SERVICE, f"{USER}@{server.url}"): PASSWORD}
    stored = b"".join(snapshot(service).values())
    assert PASSWORD.encode() not in stored
    status = service.caldav_status()
    assert (status.url, status.user, status.list_name, status.last_sync) == (server.url, USER, list_name, "")
    # Connecting again finds the list it made.
    assert not service.caldav_connect(server.url, USER, PASSWORD, list_name).created


def test_a_wrong_password_is_said_plainly_and_nothing_is_kept(
    service: HabitService, radicale: CalDAVServer, memory_keyring: MemoryKeyring
) -> None:
    with pytest.raises(CalDAVError, match="did not accept the user name or password"):
        service.caldav_connect(radicale.url, USER, "wrong")
    assert memory_keyring.passwords == {}
    assert not service.caldav_status().connected


def test_plain_http_to_another_computer_is_refused_before_anything_is_sent(service: HabitService) -> None:
    with pytest.raises(CalDAVError, match=r"unencrypted to caldav\.example\.com"):
        service.caldav_connect("http://caldav.example.com/dav/", USER, PASSWORD)


def test_a_web_server_that_is_no_caldav_server_is_said_so(service: HabitService) -> None:
    with misbehaving_server("html") as url, pytest.raises(CalDAVError, match="is not a CalDAV server"):
        service.caldav_connect(url, USER, PASSWORD)


def test_a_certificate_this_computer_does_not_trust_is_refused(service: HabitService, tmp_path: Path) -> None:
    pytest.importorskip("cryptography")
    from tests.helpers.caldav_server import self_signed_https_server

    with (
        self_signed_https_server(tmp_path / "tls") as url,
        pytest.raises(CalDAVError, match="is not trusted"),
    ):
        service.caldav_connect(url, USER, PASSWORD)
    assert not service.caldav_status().connected


def test_a_server_that_is_not_there_cannot_be_reached(service: HabitService) -> None:
    from tests.helpers.caldav_server import free_port

    with pytest.raises(CalDAVError, match="cannot be reached"):
        service.caldav_connect(f"http://127.0.0.1:{free_port()}/", USER, PASSWORD)


# -- up ---------------------------------------------------------------------------------------------


def test_a_habit_goes_up_as_a_recurring_task_with_its_alarm_and_an_edit_updates_it(
    connected: HabitService, phone: Phone, stretch: Habit
) -> None:
    _href, calendar, _etag = phone.series(stretch)
    (todo,) = calendar.walk("VTODO")
    assert str(todo["SUMMARY"]) == "Stretch" and str(todo["DESCRIPTION"]) == "A stiff back loses calls"
    assert todo["RRULE"].to_ical() == b"FREQ=DAILY"
    assert todo.decoded("DUE") == datetime(2026, 11, 25, 9, 0, tzinfo=STOCKHOLM)
    assert [alarm["ACTION"] for alarm in todo.walk("VALARM")] == ["DISPLAY"]
    # Nothing changed: nothing is sent again.
    assert connected.caldav_sync().sent == 0
    connected.update_habit(stretch.id, name="Stretch and breathe", at=time(8, 30))
    assert connected.caldav_sync().sent == 1
    (todo,) = phone.series(stretch)[1].walk("VTODO")
    assert str(todo["SUMMARY"]) == "Stretch and breathe"
    assert todo.decoded("DUE") == datetime(2026, 11, 25, 8, 30, tzinfo=STOCKHOLM)


def test_what_trayhabit_does_not_own_in_a_task_stays_as_the_phone_left_it(
    connected: HabitService, phone: Phone, stretch: Habit
) -> None:
    phone.rewrite(stretch, lambda calendar: calendar.walk("VTODO")[0].add("CATEGORIES", "Sales"))
    connected.update_habit(stretch.id, why="Calls go better")
    assert connected.caldav_sync().sent == 1
    (todo,) = phone.series(stretch)[1].walk("VTODO")
    assert str(todo["DESCRIPTION"]) == "Calls go better"
    assert todo["CATEGORIES"].to_ical() == b"Sales"


def test_an_archived_habit_s_task_is_removed_and_a_graduated_one_keeps_its_task_without_the_alarm(
    connected: HabitService, phone: Phone, stretch: Habit
) -> None:
    other = connected.add_habit("Plan tomorrow", "FREQ=WEEKLY;BYDAY=FR", time(16)).habit
    assert other is not None
    assert connected.caldav_sync().sent == 1
    connected.graduate(stretch.id, force=True)
    connected.archive(other.id)
    result = connected.caldav_sync()
    assert (result.sent, result.removed) == (1, 1)
    (todo,) = phone.series(stretch)[1].walk("VTODO")
    assert todo.walk("VALARM") == []
    with pytest.raises(AssertionError, match="no task"):
        phone.series(other)


# -- down: the four ways a client writes a completed occurrence -------------------------------------


def _thunderbird_exception(calendar: icalendar.Calendar) -> None:
    """Thunderbird: the occurrence becomes an exception of the series (RECURRENCE-ID), completed."""
    series = calendar.walk("VTODO")[0]
    done = icalendar.Todo()
    done.add("UID", series["UID"])
    done.add("RECURRENCE-ID", datetime(2026, 11, 25, 9, 0, tzinfo=STOCKHOLM))
    done.add("DTSTAMP", datetime(2026, 11, 25, 7, 40, tzinfo=STOCKHOLM))
    done.add("LAST-MODIFIED", datetime(2026, 11, 25, 7, 40, tzinfo=STOCKHOLM))
    done.add("SUMMARY", series["SUMMARY"])
    done.add("DTSTART", datetime(2026, 11, 25, 9, 0, tzinfo=STOCKHOLM))
    done.add("DUE", datetime(2026, 11, 25, 9, 0, tzinfo=STOCKHOLM))
    done.add("STATUS", "COMPLETED")
    done.add("PERCENT-COMPLETE", 100)
    done.add("COMPLETED", datetime(2026, 11, 25, 7, 40, tzinfo=STOCKHOLM))
    done.add("X-MOZ-GENERATION", 2)
    calendar.add_component(done)


def _em_client_copy(calendar: icalendar.Calendar) -> None:
    """Thunderbird and eM Client: a completed copy with the series' UID and no rule beside it."""
    series = calendar.walk("VTODO")[0]
    done = icalendar.Todo()
    for name in ("UID", "SUMMARY", "DESCRIPTION"):
        done.add(name, series[name])
    done.add("DTSTAMP", datetime(2026, 11, 25, 9, 20, tzinfo=STOCKHOLM))
    done.add("DTSTART", datetime(2026, 11, 25, 9, 0, tzinfo=STOCKHOLM))
    done.add("DUE", datetime(2026, 11, 25, 9, 0, tzinfo=STOCKHOLM))
    done.add("STATUS", "COMPLETED")
    done.add("COMPLETED", datetime(2026, 11, 25, 9, 20, tzinfo=STOCKHOLM))
    done.add("PERCENT-COMPLETE", 100)
    done.add("X-MOZ-GENERATION", 3)
    calendar.add_component(done)


def _tasks_org_move(calendar: icalendar.Calendar) -> None:
    """Tasks.org: the series' own DUE and DTSTART move to the next occurrence; nothing else."""
    series = calendar.walk("VTODO")[0]
    for name in ("DUE", "DTSTART", "LAST-MODIFIED"):
        series.pop(name, None)
    series.add("DTSTART", datetime(2026, 11, 26, 9, 0, tzinfo=STOCKHOLM))
    series.add("DUE", datetime(2026, 11, 26, 9, 0, tzinfo=STOCKHOLM))
    series.add("LAST-MODIFIED", datetime(2026, 11, 25, 7, 55, tzinfo=STOCKHOLM))
    series.add("X-APPLE-SORT-ORDER", 1)  # something else a client adds, to be left alone


def _apple_moves_on(calendar: icalendar.Calendar) -> None:
    """Apple Reminders (and Nextcloud): the series moves on; the completion is a task of its own."""
    series = calendar.walk("VTODO")[0]
    for name in ("DUE", "DTSTART", "LAST-MODIFIED"):
        series.pop(name, None)
    series.add("DTSTART", datetime(2026, 11, 26, 9, 0, tzinfo=STOCKHOLM))
    series.add("DUE", datetime(2026, 11, 26, 9, 0, tzinfo=STOCKHOLM))
    series.add("LAST-MODIFIED", datetime(2026, 11, 25, 8, 5, tzinfo=STOCKHOLM))


APPLE_COMPLETED = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Apple Inc.//iOS 18.1//EN
CALSCALE:GREGORIAN
BEGIN:VTODO
UID:6A2C3B1E-9F4D-4E59-8C7A-1D2B3C4D5E6F
DTSTAMP:20261125T070500Z
CREATED:20261125T070500Z
LAST-MODIFIED:20261125T070500Z
SUMMARY:Stretch
DUE;TZID=Europe/Stockholm:20261125T090000
STATUS:COMPLETED
COMPLETED:20261125T070500Z
PERCENT-COMPLETE:100
X-APPLE-SORT-ORDER:744201234
END:VTODO
END:VCALENDAR
"""


@pytest.mark.parametrize(
    ("write", "expected"),
    [
        pytest.param(_thunderbird_exception, Outcome.PREEMPTIVE, id="exception-thunderbird"),
        pytest.param(_tasks_org_move, Outcome.PREEMPTIVE, id="moved-tasks-org"),
    ],
)
def test_a_completion_on_the_phone_is_one_check_off_classed_by_its_time(
    connected: HabitService,
    phone: Phone,
    stretch: Habit,
    clock: FakeClock,
    *,
    write: object,
    expected: Outcome,
) -> None:
    phone.rewrite(stretch, write)
    clock.advance(minutes=30 if expected is Outcome.PREEMPTIVE else 150)
    before = snapshot(connected)
    result = connected.caldav_sync()
    assert result.checked_off == 1 and result.errors == ()
    assert stretch.id in result.change.habit_ids
    assert check_offs(connected, stretch) == ["2026-11-25"]
    assert outcome(connected, stretch, MORNING) is expected
    assert snapshot(connected) != before
    # Read again, the completion adds nothing.
    assert connected.caldav_sync().checked_off == 0
    assert check_offs(connected, stretch) == ["2026-11-25"]


class LenientServer:
    """The task list as a server that keeps two components with one UID and no RECURRENCE-ID
    (EteSync does; Radicale refuses them): the test's edit shows in what the sync reads, and the
    sync's writes go to the real server."""

    def __init__(self, phone: Phone, habit: Habit, edit: object) -> None:
        self.phone = phone
        self.real = phone.list
        self.habit = habit
        self.edit = edit

    @property
    def name(self) -> str:
        return self.real.name

    def items(self) -> list[RemoteItem]:
        items = []
        for item in self.real.items():
            if f"{self.habit.id}@trayhabit".encode() in item.data:
                calendar = icalendar.Calendar.from_ical(item.data)
                self.edit(calendar)  # type: ignore[operator]
                items.append(RemoteItem(item.href, item.etag, calendar.to_ical()))
            else:
                items.append(item)
        return items

    def create(self, data: bytes) -> tuple[str, str]:
        return self.real.create(data)

    def update(self, href: str, data: bytes, etag: str) -> str:
        return self.real.update(href, data, etag)

    def delete(self, href: str, etag: str) -> None:
        self.real.delete(href, etag)

    def close(self) -> None:
        pass  # the phone's connection, closed with the phone


def test_em_client_s_completed_copy_beside_the_series_counts_once_as_reminded(
    connected: HabitService, phone: Phone, stretch: Habit, clock: FakeClock
) -> None:
    lenient = LenientServer(phone, stretch, _em_client_copy)
    clock.advance(minutes=150)
    assert connected.caldav_sync(lenient).checked_off == 1
    assert check_offs(connected, stretch) == ["2026-11-25"]
    assert outcome(connected, stretch, MORNING) is Outcome.REMINDED
    assert connected.caldav_sync(lenient).checked_off == 0


def test_apple_reminders_new_completed_task_and_the_series_moved_on_count_once(
    connected: HabitService, phone: Phone, stretch: Habit, clock: FakeClock
) -> None:
    phone.add(APPLE_COMPLETED)
    phone.rewrite(stretch, _apple_moves_on)
    clock.advance(minutes=20)
    result = connected.caldav_sync()
    assert result.checked_off == 1
    assert check_offs(connected, stretch) == ["2026-11-25"]
    assert connected.caldav_sync().checked_off == 0


def test_tasks_org_ticking_twice_moves_two_occurrences_and_counts_both(
    connected: HabitService, phone: Phone, stretch: Habit, clock: FakeClock
) -> None:
    def two_steps(calendar: icalendar.Calendar) -> None:
        series = calendar.walk("VTODO")[0]
        for name in ("DUE", "DTSTART"):
            series.pop(name)
            series.add(name, datetime(2026, 11, 27, 9, 0, tzinfo=STOCKHOLM))

    clock.set(datetime(2026, 11, 26, 8, 0, tzinfo=STOCKHOLM))
    phone.rewrite(stretch, two_steps)
    assert connected.caldav_sync().checked_off == 2
    assert check_offs(connected, stretch) == ["2026-11-25", "2026-11-26"]


def test_a_completion_already_checked_off_here_adds_nothing(
    connected: HabitService, phone: Phone, stretch: Habit, clock: FakeClock
) -> None:
    connected.check_off(stretch.id)
    phone.rewrite(stretch, _thunderbird_exception)
    clock.advance(minutes=45)
    assert connected.caldav_sync().checked_off == 0
    assert check_offs(connected, stretch) == ["2026-11-25"]


def test_a_completion_read_on_two_computers_that_share_a_sync_folder_counts_once(
    tmp_path: Path, server: CalDAVServer, list_name: str, phone: Phone
) -> None:
    from tests.helpers.sync_engine import Machine, SyncEngine

    laptop, desktop = Machine(tmp_path, "laptop", MORNING), Machine(tmp_path, "desktop", MORNING)
    habit = laptop.service.add_habit("Stretch", "FREQ=DAILY", time(9), start=MORNING.date()).habit
    assert habit is not None
    SyncEngine().exchange(laptop, desktop)
    for machine in (laptop, desktop):
        machine.service.caldav_connect(server.url, USER, PASSWORD, list_name)
        assert machine.service.caldav_sync().errors == ()
    phone.rewrite(habit, _thunderbird_exception)
    for machine in (laptop, desktop):
        machine.clock.advance(minutes=45)
        assert machine.service.caldav_sync().checked_off == 1
    SyncEngine().exchange(laptop, desktop)
    assert laptop.state() == desktop.state()
    assert check_offs(laptop.service, habit) == check_offs(desktop.service, habit) == ["2026-11-25"]
    assert outcome(desktop.service, habit, MORNING) is Outcome.PREEMPTIVE


def test_losing_the_sync_s_memory_costs_one_comparison_never_a_second_task_or_check_off(
    connected: HabitService, phone: Phone, stretch: Habit, clock: FakeClock
) -> None:
    phone.rewrite(stretch, _thunderbird_exception)
    clock.advance(minutes=45)
    assert connected.caldav_sync().checked_off == 1
    (connected.store.data_dir / "cache" / "caldav.json").unlink()
    result = connected.caldav_sync()
    assert (result.checked_off, result.errors) == (0, ())
    tasks = [
        c for _href, calendar, _etag in phone.calendars() for c in calendar.walk("VTODO") if "RRULE" in c
    ]
    assert len(tasks) == 1
    assert check_offs(connected, stretch) == ["2026-11-25"]


# -- edits on the server ----------------------------------------------------------------------------


def test_a_name_and_rule_edited_on_the_phone_change_the_habit_when_they_are_the_last_write(
    connected: HabitService, phone: Phone, stretch: Habit, clock: FakeClock
) -> None:
    clock.advance(minutes=10)

    def edit(calendar: icalendar.Calendar) -> None:
        series = calendar.walk("VTODO")[0]
        for name in ("SUMMARY", "RRULE", "LAST-MODIFIED"):
            series.pop(name, None)
        series.add("SUMMARY", "Stretch at the desk")
        series.add("RRULE", icalendar.vRecur.from_ical("FREQ=WEEKLY;BYDAY=MO,WE,FR"))
        series.add("LAST-MODIFIED", clock.now())

    phone.rewrite(stretch, edit)
    clock.advance(minutes=5)
    result = connected.caldav_sync()
    assert result.edited == 1
    habit = connected.find(stretch.id)
    assert (habit.name, habit.schedule.rrule) == ("Stretch at the desk", "FREQ=WEEKLY;BYDAY=MO,WE,FR")


def test_a_time_and_description_edited_on_the_phone_change_the_habit_and_complete_nothing(
    connected: HabitService, phone: Phone, stretch: Habit, clock: FakeClock
) -> None:
    clock.advance(minutes=10)

    def edit(calendar: icalendar.Calendar) -> None:
        series = calendar.walk("VTODO")[0]
        for name in ("DTSTART", "DUE", "DESCRIPTION"):
            series.pop(name)
        # Tomorrow at 08:15: another time, so no Tasks.org move, whatever the date.
        series.add("DTSTART", datetime(2026, 11, 26, 8, 15, tzinfo=STOCKHOLM))
        series.add("DUE", datetime(2026, 11, 26, 8, 15, tzinfo=STOCKHOLM))
        series.add("DESCRIPTION", "Before the first call")
        series.add("LAST-MODIFIED", clock.now())

    phone.rewrite(stretch, edit)
    clock.advance(minutes=5)
    result = connected.caldav_sync()
    assert (result.edited, result.checked_off) == (1, 0)
    habit = connected.find(stretch.id)
    assert (habit.schedule.at, habit.why) == (time(8, 15), "Before the first call")


def test_an_older_edit_on_the_phone_loses_to_a_later_one_here(
    connected: HabitService, phone: Phone, stretch: Habit, clock: FakeClock
) -> None:
    def edit(calendar: icalendar.Calendar) -> None:
        series = calendar.walk("VTODO")[0]
        series.pop("SUMMARY")
        series.add("SUMMARY", "Phone's name")
        series.add("LAST-MODIFIED", clock.now() + timedelta(minutes=1))

    phone.rewrite(stretch, edit)
    clock.advance(minutes=10)
    connected.update_habit(stretch.id, name="Desk's name")
    result = connected.caldav_sync()
    assert result.edited == 0 and result.sent == 1
    assert connected.find(stretch.id).name == "Desk's name"
    assert str(phone.series(stretch)[1].walk("VTODO")[0]["SUMMARY"]) == "Desk's name"


# -- deletion both ways -----------------------------------------------------------------------------


def test_a_task_deleted_on_the_server_stops_the_tracking_of_its_habit_here_and_keeps_its_history(
    connected: HabitService, phone: Phone, stretch: Habit, clock: FakeClock
) -> None:
    connected.check_off(stretch.id)  # before the reminder: history that must outlive the deletion
    assert connected.caldav_sync().sent == 1
    href, _calendar, etag = phone.series(stretch)
    clock.advance(hours=1)
    phone.list.delete(href, etag)  # the person deletes the task in Tasks.org or Thunderbird
    clock.advance(minutes=5)
    result = connected.caldav_sync()
    assert (result.archived, result.sent, result.errors) == (1, 0, ())
    habit = connected.find(stretch.id)
    assert not habit.is_active
    assert "deleted on the CalDAV server" in habit.state_reason
    assert check_offs(connected, stretch) == ["2026-11-25"]
    # Not tracked: its task is not written again, now or at the next sync.
    assert connected.caldav_sync().sent == 0
    with pytest.raises(AssertionError, match="no task"):
        phone.series(stretch)


def test_a_habit_edited_here_after_its_task_was_deleted_there_writes_the_task_again(
    connected: HabitService, phone: Phone, stretch: Habit, clock: FakeClock
) -> None:
    href, _calendar, etag = phone.series(stretch)
    clock.advance(minutes=30)
    phone.list.delete(href, etag)
    clock.advance(minutes=5)
    connected.update_habit(stretch.id, why="The later change: the habit stays")
    result = connected.caldav_sync()
    assert (result.archived, result.sent) == (0, 1)
    assert connected.find(stretch.id).is_active
    (todo,) = phone.series(stretch)[1].walk("VTODO")
    assert str(todo["DESCRIPTION"]) == "The later change: the habit stays"


# -- faults -----------------------------------------------------------------------------------------


def test_a_server_that_stopped_changes_nothing_and_status_says_why(
    tmp_path: Path, service: HabitService, stretch: Habit
) -> None:
    own = start_radicale(tmp_path / "own-radicale")
    try:
        service.caldav_connect(own.url, USER, PASSWORD)
        service.caldav_sync()
    finally:
        own.stop()
    before = snapshot(service)
    with pytest.raises(CalDAVError, match="cannot be reached"):
        service.caldav_sync()
    assert snapshot(service) == before
    status = service.caldav_status()
    assert "cannot be reached" in status.last_error and status.last_sync


@pytest.mark.parametrize(
    ("mode", "message"), [("500", r"answered with an error \(500\)"), ("hang", "did not answer in time")]
)
def test_an_error_answer_or_no_answer_changes_nothing(
    service: HabitService, stretch: Habit, memory_keyring: MemoryKeyring, mode: str, message: str
) -> None:
    service.set_setting("caldav_timeout", "1")
    with misbehaving_server(mode) as url:
        # Connected earlier, when the server still worked.
        with service.store.writing() as tx:
            tx.set_settings({"caldav_url": url, "caldav_user": USER, "caldav_list": "TrayHabit"})
        keyring.set_password(KEYRING_SERVICE, f"{USER}@{url}", PASSWORD)
        before = snapshot(service)
        with pytest.raises(CalDAVError, match=message):
            service.caldav_sync()
    assert snapshot(service) == before
    assert service.caldav_status().last_error


class ChangedMeanwhile(LenientServer):
    """The task list, where the phone changes the habit's task just after the sync has read it."""

    def items(self) -> list[RemoteItem]:
        items = self.real.items()
        self.phone.rewrite(self.habit, self.edit)
        return items


def test_a_task_changed_on_the_server_after_it_was_read_is_not_overwritten(
    connected: HabitService, phone: Phone, stretch: Habit, clock: FakeClock
) -> None:
    def rename(calendar: icalendar.Calendar) -> None:
        series = calendar.walk("VTODO")[0]
        series.pop("SUMMARY")
        series.add("SUMMARY", "Renamed on the phone")
        series.add("LAST-MODIFIED", clock.now() - timedelta(minutes=30))

    connected.update_habit(stretch.id, why="Calls go better")
    clock.advance(minutes=1)
    result = connected.caldav_sync(ChangedMeanwhile(phone, stretch, rename))
    assert result.sent == 0
    assert result.errors == (
        "A task changed on the server while TrayHabit wrote it; the next sync takes it in.",
    )
    assert str(phone.series(stretch)[1].walk("VTODO")[0]["SUMMARY"]) == "Renamed on the phone"
    assert "changed on the server" in connected.caldav_status().last_error
    # The next sync reads the phone's version; the later edit here wins, and is written.
    result = connected.caldav_sync()
    assert (result.sent, result.errors) == (1, ())
    (todo,) = phone.series(stretch)[1].walk("VTODO")
    assert (str(todo["SUMMARY"]), str(todo["DESCRIPTION"])) == ("Stretch", "Calls go better")
    assert connected.caldav_status().last_error == ""


def test_a_list_deleted_on_the_server_is_said_and_changes_nothing(
    connected: HabitService, phone: Phone, server: CalDAVServer
) -> None:
    phone.list._calendar.delete()
    before = snapshot(connected)
    with pytest.raises(CalDAVError, match="no list"):
        connected.caldav_sync()
    assert snapshot(connected) == before


def test_disconnect_forgets_the_password_and_the_account(
    connected: HabitService, memory_keyring: MemoryKeyring
) -> None:
    connected.caldav_disconnect()
    assert memory_keyring.passwords == {}
    assert not connected.caldav_status().connected
    with pytest.raises(CalDAVError, match="No CalDAV server"):
        connected.caldav_sync()


# -- start-up -----------------------------------------------------------------------------------------


def test_starting_the_command_line_or_the_app_loads_no_caldav_nor_keyring() -> None:
    import subprocess

    code = (
        "import sys, trayhabit.cli, trayhabit.app.launch, trayhabit.core.service;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('caldav', 'keyring', 'niquests', 'requests', 'lxml', 'urllib3')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
