"""Long work on the worker: the event loop keeps running, and the outcome reaches whoever asked."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer

from bench.generate_store import generate
from tests.helpers.clock import FakeClock
from tests.qt.conftest import WEDNESDAY
from trayhabit.app.background import Outcome, Task
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.sync_driver import SyncDriver
from trayhabit.core.errors import UserError
from trayhabit.core.service import HabitService
from trayhabit.core.store import Store


class Window:
    """An initiator that keeps the refusals it is shown."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def show_error(self, message: str) -> None:
        self.errors.append(message)


def _other_computer(tmp_path: Path, sync_dir: Path) -> None:
    """Another computer's months of 30 daily habits, published into *sync_dir*."""
    generate(tmp_path / "other", habits=30, days=120, now=WEDNESDAY)
    clock = FakeClock(WEDNESDAY)
    store = Store(tmp_path / "other", clock=clock)
    store.open()
    service = HabitService(store, clock)
    service.set_setting("sync_folder", str(sync_dir))
    service.sync()


def test_a_long_history_arrives_by_sync_while_the_event_loop_keeps_reading_the_store(
    tmp_path: Path, model: HabitsModel, qtbot
) -> None:
    sync_dir = tmp_path / "Sync"
    sync_dir.mkdir()
    _other_computer(tmp_path, sync_dir)
    model.set_setting("sync_folder", str(sync_dir))
    assert model.reports() == []  # as the app's views have them: none yet
    driver = SyncDriver(model)
    statuses: list[str] = []
    driver.status_changed.connect(statuses.append)
    ticks = 0

    def tick() -> None:
        # What a window does while it is drawn: read the store (its lock taken in short steps).
        nonlocal ticks
        with model.service.store.reading() as view:
            assert view.device_id
        ticks += 1

    ticks_at_result: list[int] = []
    driver.synced.connect(lambda _report: ticks_at_result.append(ticks))
    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(tick)
    timer.start()
    with qtbot.waitSignal(driver.synced, timeout=60_000):
        driver.sync_now()
    # The event loop ran, and read the store, while the sync ran on the worker.
    assert ticks_at_result[0] > 0
    assert any(status.startswith("Syncing… (") and "files)" in status for status in statuses)
    assert driver.status == "In sync with one other computer."
    # Their months of history are scored on the worker too, the event loop still reading meanwhile.
    assert model.is_scoring()
    ticks_at_sync = ticks
    qtbot.waitUntil(lambda: not model.is_scoring(), timeout=60_000)
    timer.stop()
    assert ticks > ticks_at_sync
    assert len(model.reports()) == 30


def test_a_sync_asked_for_while_one_runs_runs_once_after_it(
    tmp_path: Path, model: HabitsModel, qtbot
) -> None:
    sync_dir = tmp_path / "Sync"
    sync_dir.mkdir()
    model.set_setting("sync_folder", str(sync_dir))
    driver = SyncDriver(model)
    ended: list[object] = []
    driver.synced.connect(ended.append)
    driver.sync_now()
    driver.sync_now()
    driver.sync_now()
    qtbot.waitUntil(lambda: len(ended) == 2 and not driver.running)
    assert len(ended) == 2  # three asked for: the one running and one more, not a queue


def test_a_refusal_on_the_worker_goes_to_the_window_that_asked(model: HabitsModel, qtbot) -> None:
    window = Window()
    errors: list[str] = []
    model.error_raised.connect(errors.append)

    def refused(_task: Task) -> None:
        raise UserError("The file is not a TrayHabit export.")

    with qtbot.waitSignal(model.worker.finished):
        model.run_long("Importing", refused, by=window)
    assert window.errors == ["The file is not a TrayHabit export."]
    assert errors == []


def test_a_bug_on_the_worker_is_reported_and_ends_its_task(model: HabitsModel, qtbot) -> None:
    ended: list[Outcome | None] = []

    def buggy(_task: Task) -> None:
        raise RuntimeError("a bug")

    with qtbot.capture_exceptions() as caught, qtbot.waitSignal(model.worker.finished):
        model.run_long("Exporting", buggy, on_end=lambda task: ended.append(task.outcome))
    assert [str(error) for _type, error, _tb in caught] == ["a bug"]
    assert ended == [Outcome.CRASHED]
    assert not model.worker.busy
