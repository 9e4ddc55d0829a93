"""The app's CalDAV sync (issue 19) against a real Radicale on 127.0.0.1: when it syncs, the sync just
before a reminder (a habit ticked off on the phone stays quiet here; a slow server does not hold the
reminder past a short deadline), back-off while the server is away, and the settings window's
"Phone and calendar (CalDAV)" section (test, connect, a wrong password, disconnect).

The fake clock is the app's; the driver's timers are real Qt timers, so a test fires one by emitting
its ``timeout`` rather than waiting for it, and waits for the worker with ``qtbot.waitUntil``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import icalendar
import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QProgressBar, QPushButton

from tests.helpers.caldav_server import PASSWORD, USER, CalDAVServer, misbehaving_server, start_radicale
from tests.helpers.clock import FakeClock
from tests.helpers.memory_keyring import MemoryKeyring, memory_keyring_in_use
from tests.helpers.notifier import RecordingNotifier
from tests.helpers.windows import child, shown_settings_window
from tests.qt.conftest import STOCKHOLM, WEDNESDAY
from trayhabit.app.caldav_driver import DEBOUNCE_MS, MAX_BACKOFF_MS, POLL_MS, CalDAVDriver
from trayhabit.app.driver import ReminderDriver
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.settings import SettingsWindow
from trayhabit.autostart import Autostart
from trayhabit.core.caldav.account import KEYRING_SERVICE, Account
from trayhabit.core.caldav.connection import open_list
from trayhabit.core.model import Habit, Outcome

WAIT_MS = 20_000  # for the worker and the server, polled: a loaded machine may be slow


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CalDAVServer]:
    running = start_radicale(tmp_path_factory.mktemp("radicale-app"))
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    yield from memory_keyring_in_use()


@dataclass(frozen=True)
class Remote:
    """The server and the test's own task list on it."""

    server: CalDAVServer
    list_name: str


@pytest.fixture
def remote(radicale: CalDAVServer, request: pytest.FixtureRequest) -> Remote:
    return Remote(radicale, f"App {request.node.name}"[:60])


def stored_passwords() -> dict[tuple[str, str], str]:
    """What the credential store (the test's memory keyring) holds."""
    backend = keyring.get_keyring()
    assert isinstance(backend, MemoryKeyring)
    return backend.passwords


@pytest.fixture
def make_driver(model: HabitsModel, qtbot) -> Iterator[Callable[[], CalDAVDriver]]:
    """Make the app's CalDAV driver (after the test has connected an account, as at start-up)."""
    made: list[CalDAVDriver] = []

    def make() -> CalDAVDriver:
        made.append(CalDAVDriver(model))
        return made[-1]

    yield make
    for caldav in made:
        caldav.stop()
    model.worker.wait(WAIT_MS)


@pytest.fixture
def driver(make_driver: Callable[[], CalDAVDriver]) -> CalDAVDriver:
    return make_driver()


def connect(model: HabitsModel, server: CalDAVServer, list_name: str) -> None:
    """Connect as `trayhabit caldav connect` would, before the app starts."""
    model.service.caldav_connect(server.url, USER, PASSWORD, list_name)
    model.reload()


def series(server: CalDAVServer, list_name: str, habit: Habit) -> tuple[str, icalendar.Calendar, str] | None:
    """The habit's task on the server, as a phone reads it: (href, calendar, etag), or None."""
    remote = open_list(Account(server.url, USER, list_name), PASSWORD, timeout=10)
    try:
        for item in remote.items():
            calendar = icalendar.Calendar.from_ical(item.data)
            if any(str(todo.get("UID")) == f"{habit.id}@trayhabit" for todo in calendar.walk("VTODO")):
                return item.href, calendar, item.etag
        return None
    finally:
        remote.close()


def tick_off_as_tasks_org(server: CalDAVServer, list_name: str, habit: Habit, at: datetime) -> None:
    """What Tasks.org writes when the day's occurrence is ticked off at *at*: the series' DUE and
    DTSTART moved to the next occurrence, a new LAST-MODIFIED, nothing else."""
    found = series(server, list_name, habit)
    assert found is not None
    href, calendar, etag = found
    todo = calendar.walk("VTODO")[0]
    for name in ("DUE", "DTSTART", "LAST-MODIFIED"):
        todo.pop(name, None)
    todo.add("DTSTART", datetime(2026, 11, 26, 9, 0, tzinfo=STOCKHOLM))
    todo.add("DUE", datetime(2026, 11, 26, 9, 0, tzinfo=STOCKHOLM))
    todo.add("LAST-MODIFIED", at)
    remote = open_list(Account(server.url, USER, list_name), PASSWORD, timeout=10)
    try:
        remote.update(href, calendar.to_ical(), etag)
    finally:
        remote.close()


def wait_for_sync(qtbot, driver: CalDAVDriver) -> None:
    qtbot.waitUntil(lambda: not driver.running, timeout=WAIT_MS)


def add_stretch(model: HabitsModel) -> Habit:
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9), start=date(2026, 11, 20))
    assert habit is not None
    return habit


# -- when it syncs ------------------------------------------------------------------------------------


def test_with_no_account_nothing_syncs_and_no_timer_runs(model: HabitsModel, driver: CalDAVDriver) -> None:
    driver.start()
    add_stretch(model)
    assert not driver.running
    assert driver.next_poll_ms is None
    assert not driver._debounce.isActive() and not driver._deadline.isActive()
    assert driver.refresh() is False  # a due reminder does not wait for a server there is not


def test_at_start_after_a_change_and_every_few_minutes_on_the_worker(
    qtbot, model: HabitsModel, make_driver: Callable[[], CalDAVDriver], remote: Remote
) -> None:
    radicale, list_name = remote.server, remote.list_name
    connect(model, radicale, list_name)
    habit = add_stretch(model)
    driver = make_driver()
    driver.start()
    assert driver.running  # on the worker: start-up goes on meanwhile
    wait_for_sync(qtbot, driver)
    assert series(radicale, list_name, habit) is not None
    assert driver.next_poll_ms == POLL_MS
    assert driver.status().last_sync

    # A change here: one sync once the edits settle, not one per edit.
    model.update_habit(habit.id, why="A stiff back loses calls")
    model.update_habit(habit.id, name="Stretch well")
    assert driver._debounce.isActive() and driver._debounce.interval() == DEBOUNCE_MS
    assert not driver.running
    driver._debounce.timeout.emit()
    wait_for_sync(qtbot, driver)
    found = series(radicale, list_name, habit)
    assert found is not None
    todo = found[1].walk("VTODO")[0]
    assert (str(todo["SUMMARY"]), str(todo["DESCRIPTION"])) == ("Stretch well", "A stiff back loses calls")
    # What the sync itself brought in does not start another one.
    assert not driver._debounce.isActive()
    assert driver.next_poll_ms == POLL_MS


def test_a_habit_ticked_off_on_the_phone_before_the_reminder_keeps_the_desk_quiet(
    qtbot,
    model: HabitsModel,
    clock: FakeClock,
    make_driver: Callable[[], CalDAVDriver],
    remote: Remote,
) -> None:
    radicale, list_name = remote.server, remote.list_name
    connect(model, radicale, list_name)
    habit = add_stretch(model)
    other = model.add_habit("Plan the day", "FREQ=DAILY", time(9), start=date(2026, 11, 20))
    assert other is not None
    driver = make_driver()
    notifier = RecordingNotifier()
    reminders = ReminderDriver(model, notifier, refresh=driver.refresh)
    driver.answered.connect(reminders.process_soon)
    driver.start()
    reminders.start()
    wait_for_sync(qtbot, driver)

    tick_off_as_tasks_org(radicale, list_name, habit, WEDNESDAY.replace(hour=8, minute=30))
    clock.set(WEDNESDAY.replace(hour=9, minute=1))
    plan = reminders.process_due()
    # The due reminders wait for the sync that just started; nothing is shown meanwhile.
    assert plan.due == [] and notifier.notified_names() == []
    assert driver.running and driver._deadline.isActive()
    qtbot.waitUntil(lambda: notifier.notified_names() == ["Plan the day"], timeout=WAIT_MS)
    report = model.report(habit.id)
    assert report is not None and report.current is not None
    assert report.current.outcome is Outcome.PREEMPTIVE
    assert not driver._deadline.isActive()


def test_a_slow_server_does_not_hold_the_reminder_and_a_server_away_is_tried_less_often(
    qtbot,
    model: HabitsModel,
    clock: FakeClock,
    make_driver: Callable[[], CalDAVDriver],
    memory_keyring: MemoryKeyring,
) -> None:
    model.set_setting("caldav_timeout", "2")
    add_stretch(model)
    with misbehaving_server("hang") as url:
        # Connected earlier, when the server still answered.
        memory_keyring.set_password(KEYRING_SERVICE, f"{USER}@{url}", PASSWORD)
        with model.service.store.writing() as tx:
            tx.set_settings({"caldav_url": url, "caldav_user": USER, "caldav_list": "TrayHabit"})
        model.reload()
        driver = make_driver()
        notifier = RecordingNotifier()
        reminders = ReminderDriver(model, notifier, refresh=driver.refresh)
        driver.answered.connect(reminders.process_soon)
        clock.set(WEDNESDAY.replace(hour=9, minute=1))
        reminders.process_due()
        assert notifier.notified_names() == [] and driver._deadline.isActive()
        driver._deadline.timeout.emit()  # the deadline passes (fired here: no waiting for it)
        qtbot.waitUntil(lambda: notifier.notified_names() == ["Stretch"], timeout=WAIT_MS)
        wait_for_sync(qtbot, driver)
    # The server is away: the next try waits twice as long, and doubles up to half an hour.
    assert driver.failures == 1 and driver.next_poll_ms == 2 * POLL_MS
    assert "did not answer in time" in driver.status().last_error
    # Meanwhile a reminder does not wait for it at all.
    clock.advance(minutes=2)
    assert driver.refresh() is False
    assert not driver._deadline.isActive() and not driver.running
    for _ in range(3):
        driver.sync_now()
        wait_for_sync(qtbot, driver)
    assert driver.failures == 4 and driver.next_poll_ms == MAX_BACKOFF_MS


# -- the settings section -------------------------------------------------------------------------------


@pytest.fixture
def window(qtbot, model: HabitsModel, driver: CalDAVDriver, tmp_path: Path) -> SettingsWindow:
    autostart = Autostart(["trayhabit"], platform="linux", config_home=tmp_path / "config")
    return shown_settings_window(qtbot, model, autostart, caldav=driver)


def fill_in(qtbot, window: SettingsWindow, url: str, user: str, password: str) -> None:
    for name, text in (("caldav_url", url), ("caldav_user", user), ("caldav_password", password)):
        edit = child(window, QLineEdit, name)
        edit.clear()
        qtbot.keyClicks(edit, text)


def click(qtbot, window: SettingsWindow, name: str) -> None:
    button = child(window, QPushButton, name)
    assert button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def stored_files(model: HabitsModel) -> bytes:
    data = model.data_dir
    return b"".join(path.read_bytes() for path in sorted(data.rglob("*")) if path.is_file())


def test_filling_in_the_form_and_connecting_keeps_the_password_in_the_keyring_only(
    qtbot, window: SettingsWindow, model: HabitsModel, driver: CalDAVDriver, remote: Remote
) -> None:
    radicale, list_name = remote.server, remote.list_name
    open_list(Account(radicale.url, USER, list_name), PASSWORD, timeout=10, create=True).close()
    section = window.caldav
    assert section.status_text() == "Not connected."
    assert not child(window, QPushButton, "caldav_connect").isEnabled()  # nothing filled in yet
    fill_in(qtbot, window, radicale.url, USER, PASSWORD)
    assert child(window, QLineEdit, "caldav_password").echoMode() is QLineEdit.EchoMode.Password

    click(qtbot, window, "caldav_test")
    # On the worker, with a busy line; the buttons wait for it.
    assert section.busy and child(window, QProgressBar, "caldav_busy").isVisibleTo(window)
    assert not child(window, QPushButton, "caldav_connect").isEnabled()
    qtbot.waitUntil(lambda: not section.busy, timeout=WAIT_MS)
    assert section.error_text() == ""
    assert section.message_text() == "The connection works. Choose the list for your habits."
    names = section.list_names()
    assert list_name in names and "A new list “TrayHabit”" in names
    combo = child(window, QComboBox, "caldav_list")
    combo.setCurrentIndex(combo.findData(list_name))

    click(qtbot, window, "caldav_connect")
    qtbot.waitUntil(lambda: not section.busy, timeout=WAIT_MS)
    settings = model.settings()
    assert (settings.caldav_url, settings.caldav_user, settings.caldav_list) == (
        radicale.url,
        USER,
        list_name,
    )
    assert stored_passwords() == {(KEYRING_SERVICE, f"{USER}@{radicale.url}"): PASSWORD}
    assert PASSWORD.encode() not in stored_files(model)
    assert child(window, QLineEdit, "caldav_password").text() == ""
    # Connecting starts the first sync; the status line follows it.
    wait_for_sync(qtbot, driver)
    qtbot.waitUntil(lambda: "Last sync: today 08:00." in section.status_text(), timeout=WAIT_MS)
    assert f"Connected to 127.0.0.1 as {USER}, list “{list_name}”." in section.status_text()
    assert not child(window, QPushButton, "caldav_connect").isEnabled()
    assert child(window, QPushButton, "caldav_disconnect").isEnabled()


def test_a_wrong_password_is_said_in_one_sentence_and_nothing_is_kept(
    qtbot, window: SettingsWindow, model: HabitsModel, radicale: CalDAVServer, memory_keyring: MemoryKeyring
) -> None:
    section = window.caldav
    fill_in(qtbot, window, radicale.url, USER, "wrong")
    for button in ("caldav_test", "caldav_connect"):
        click(qtbot, window, button)
        qtbot.waitUntil(lambda: not section.busy, timeout=WAIT_MS)
        assert section.error_text() == (
            "127.0.0.1 did not accept the user name or password (an app password may be needed)."
        )
    assert model.settings().caldav_url == ""
    assert memory_keyring.passwords == {}
    assert section.status_text() == "Not connected."


def test_disconnect_forgets_the_account_and_its_password(
    qtbot, window: SettingsWindow, model: HabitsModel, driver: CalDAVDriver, remote: Remote
) -> None:
    radicale, list_name = remote.server, remote.list_name
    connect(model, radicale, list_name)  # the driver syncs with the account just connected
    assert driver.running
    wait_for_sync(qtbot, driver)
    section = window.caldav
    assert child(window, QLineEdit, "caldav_url").isReadOnly()
    click(qtbot, window, "caldav_disconnect")
    qtbot.waitUntil(lambda: not section.busy, timeout=WAIT_MS)
    assert model.settings().caldav_url == "" and stored_passwords() == {}
    assert section.message_text() == "Disconnected. The tasks stay on the server."
    assert section.status_text() == "Not connected."
    assert driver.next_poll_ms is None  # no more syncs by themselves
    assert not child(window, QLineEdit, "caldav_url").isReadOnly()


def test_every_control_has_a_name_and_takes_the_keyboard(window: SettingsWindow) -> None:
    for kind, name in (
        (QLineEdit, "caldav_url"),
        (QLineEdit, "caldav_user"),
        (QLineEdit, "caldav_password"),
        (QComboBox, "caldav_list"),
        (QPushButton, "caldav_test"),
        (QPushButton, "caldav_connect"),
        (QPushButton, "caldav_disconnect"),
    ):
        control = child(window, kind, name)
        assert control.accessibleName() or control.text(), name
        assert control.focusPolicy() & Qt.FocusPolicy.TabFocus, name
