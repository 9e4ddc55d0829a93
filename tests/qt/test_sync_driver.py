"""Two running apps sharing a sync folder: changes are noticed, reminders fire on one machine only."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from tests.helpers.notifier import RecordingNotifier
from tests.helpers.sync_engine import Machine, SyncEngine
from tests.qt.conftest import WEDNESDAY
from trayhabit.app.driver import ReminderDriver
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.sync_driver import SyncDriver

engine = SyncEngine()


class RunningApp:
    """What the tray app wires for one machine: its model, sync driver and reminder driver."""

    def __init__(self, machine: Machine) -> None:
        self.machine = machine
        self.model = HabitsModel(machine.service)
        self.notifier = RecordingNotifier()
        self.sync = SyncDriver(self.model)
        self.driver = ReminderDriver(self.model, self.notifier, refresh=self.sync.refresh)
        self.sync.synced.connect(self.driver.process_soon)
        self.sync.start()
        self.driver.start()

    def sync_and_wait(self, qtbot) -> None:
        """Sync on the worker and wait for it to end (as the folder watcher or the retry would)."""
        with qtbot.waitSignal(self.sync.synced, timeout=10_000):
            self.sync.sync_now()

    def at(self, hour: int, minute: int = 0) -> None:
        self.machine.clock.set(WEDNESDAY.replace(hour=hour, minute=minute))


@pytest.fixture
def apps(tmp_path: Path, qapp, qtbot) -> tuple[RunningApp, RunningApp]:
    laptop, desktop = (
        RunningApp(Machine(tmp_path, "laptop", WEDNESDAY)),
        RunningApp(Machine(tmp_path, "desktop", WEDNESDAY)),
    )
    # The first syncs, at start, on the worker.
    qtbot.waitUntil(lambda: not laptop.sync.running and not desktop.sync.running)
    return laptop, desktop


def test_a_check_off_on_the_laptop_reaches_the_desktop_and_its_reminder_stays_quiet(
    apps: tuple[RunningApp, RunningApp], qtbot
) -> None:
    laptop, desktop = apps
    habit = laptop.model.add_habit("Follow up sent quotes", "FREQ=DAILY", time(9), start=date(2026, 11, 20))
    assert habit is not None
    laptop.sync_and_wait(qtbot)
    engine.deliver_all(laptop.machine, desktop.machine)
    # The desktop notices the delivered files by itself (the operating system reports them).
    qtbot.waitUntil(lambda: [r.habit.name for r in desktop.model.reports()] == ["Follow up sent quotes"])
    assert desktop.sync.status == "In sync with one other computer."

    laptop.at(8, 30)
    laptop.model.check_off(habit.id)  # before the reminder, on the laptop
    qtbot.waitUntil(lambda: laptop.machine.own_files() and _published_check_off(laptop.machine))
    engine.deliver_all(laptop.machine, desktop.machine)
    desktop.at(9, 1)
    desktop.driver.process_due()
    assert desktop.notifier.notified_names() == []
    report = desktop.model.report(habit.id)
    assert report is not None and report.current is not None and report.current.outcome is not None


def test_with_remind_here_off_the_desktop_shows_nothing_but_lists_it_as_due(
    apps: tuple[RunningApp, RunningApp], qtbot
) -> None:
    laptop, desktop = apps
    desktop.model.set_setting("remind_here", "false")
    habit = desktop.model.add_habit("Stretch", "FREQ=DAILY", time(9), start=date(2026, 11, 20))
    assert habit is not None
    states: list[list[str]] = []
    desktop.driver.state_changed.connect(
        lambda waiting, _paused, _next: states.append([r.name for r in waiting])
    )
    desktop.at(9, 1)
    desktop.driver.process_due()
    assert desktop.notifier.notified_names() == []
    assert states[-1] == ["Stretch"]
    report = desktop.model.report(habit.id)
    assert report is not None and report.current is not None and not report.current.reminder_fired
    # The laptop, which reminds, takes the habit in and shows it.
    desktop.sync_and_wait(qtbot)
    engine.deliver_all(desktop.machine, laptop.machine)
    laptop.sync_and_wait(qtbot)
    laptop.at(9, 1)
    laptop.driver.process_due()
    assert laptop.notifier.notified_names() == ["Stretch"]


def test_a_reminder_due_while_a_sync_runs_waits_for_it_and_stays_quiet_when_done_elsewhere(
    apps: tuple[RunningApp, RunningApp], qtbot
) -> None:
    laptop, desktop = apps
    habit = laptop.model.add_habit("Follow up sent quotes", "FREQ=DAILY", time(9), start=date(2026, 11, 20))
    assert habit is not None
    laptop.sync_and_wait(qtbot)
    engine.deliver_all(laptop.machine, desktop.machine)
    desktop.sync_and_wait(qtbot)
    laptop.at(8, 30)
    laptop.model.check_off(habit.id)
    laptop.sync_and_wait(qtbot)
    engine.deliver_all(laptop.machine, desktop.machine)
    desktop.at(9, 1)
    # The desktop's sync of the check-off runs on the worker when the reminder comes due.
    desktop.sync.sync_now()
    plan = desktop.driver.process_due()
    assert plan.due == [] and desktop.notifier.notified_names() == []
    with qtbot.waitSignal(desktop.driver.state_changed, timeout=10_000):
        pass  # the sync ends and wakes the driver
    assert not desktop.sync.running
    assert desktop.notifier.notified_names() == []
    report = desktop.model.report(habit.id)
    assert report is not None and report.current is not None and report.current.outcome is not None


def test_a_missing_folder_is_reported_and_tried_again(apps: tuple[RunningApp, RunningApp], qtbot) -> None:
    laptop, _desktop = apps
    away = laptop.machine.sync_dir.rename(laptop.machine.sync_dir.with_name("away"))
    laptop.sync_and_wait(qtbot)
    assert laptop.sync.status.startswith("The sync folder is not there")
    assert laptop.sync._retry.isActive()
    away.rename(laptop.machine.sync_dir)
    with qtbot.waitSignal(laptop.sync.synced):
        laptop.sync._retry.timeout.emit()  # the retry comes round: no sleeping for it
    assert laptop.sync.status == "No other computer has synced into this folder yet."
    assert not laptop.sync._retry.isActive()


def _published_check_off(machine: Machine) -> bool:
    month = machine.sync_dir / "devices" / machine.device_id / "events" / "2026-11.json"
    return month.exists() and b'"kind":"done"' in month.read_bytes()
