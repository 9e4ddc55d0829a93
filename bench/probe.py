"""One in-process measurement on a store, run in a fresh process so that no cache is warm.

``python -m bench.probe <what> <store folder>`` prints one JSON object: ``{"ms": [...]}``, and for
some probes more lists of figures under names of their own. The runner
starts it with a copy of the store for anything that writes, and with ``QT_QPA_PLATFORM=offscreen``.

- ``open``: ``Store(folder).open()``.
- ``scores``: ``HabitService.reports()``, every habit's score and history, on an opened store.
- ``checkoff``: ``HabitService.check_off`` on CHECKOFFS habits in turn; it returns after the durable
  (fsynced) write, so its wall time is the latency until durable. A habit already checked off today
  is undone first, untimed.
  The runner gives the empty store 50 habits without history (:func:`empty_with_habits`) before
  it starts this probe, so both stores' check-offs start in an equally cold process.
- ``rescored``: how many habits the app scores again for one check-off made in its check-off
  window (the model's count of reports computed), after every report is cached as in the running
  app; printed in the same list, a count rather than milliseconds. The budget is its own habit.
- ``schedule-change``: a new schedule for the longest habit (``HabitService.update_habit``, then
  ``HabitService.report`` of it, as the app scores it again after the change), on a store opened and
  fully scored first, as the running app has it: its wall time, and the peak memory it took. The
  peak is the process's RSS high-water mark over the change (reset just before it on Linux, else
  the whole process's, which can only be higher), against the RSS before it ("idle"): printed as
  ``peak_ratio``, with ``idle_mib`` and ``peak_mib``. On a store without habits it prints nothing.
- ``sync-stall``: the store's whole history arriving by sync on a new, empty computer's app (its
  worker, as it syncs): the worst gap between two turns of the event loop, and the time until the
  habits are scored (``total_ms``).
- ``schedule-stall``: the longest habit given a new schedule in the app (its whole history walked
  again, on the worker): the worst gap between two turns of the event loop until its new score is
  in, and that time (``total_ms``). On a store without habits it prints nothing.
- ``calendar-stall``: a 40-habit calendar (weekly meetings recurring for a year) read, imported and
  its habits scored in the app, as the habits window does it: the worst gap, and the time.
- ``window-checkoff``, ``window-habits``: building, showing and laying out the check-off window or the
  habits window. The model's reports are computed first, as the running app has them cached when the
  user opens a window; the window's module is imported first too.

Imports are outside every timed span.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import sys
import time
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bench.generate_store import ZONE, reminder_times
from trayhabit.core.clock import SystemClock
from trayhabit.core.service import HabitService, ServiceError
from trayhabit.core.store import Store

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QWidget

    from trayhabit.app.habits_model import HabitsModel
    from trayhabit.core.model import Habit

CHECKOFFS = 40


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def _service(folder: Path) -> HabitService:
    clock = SystemClock(ZoneInfo(ZONE))
    store = Store(folder, clock=clock)
    store.open()
    return HabitService(store, clock)


def measure_open(folder: Path) -> list[float]:
    """Opening the store."""
    start = time.perf_counter()
    Store(folder).open()
    return [_ms(start)]


def measure_scores(folder: Path) -> list[float]:
    """Every habit's report."""
    service = _service(folder)
    start = time.perf_counter()
    service.reports()
    return [_ms(start)]


def measure_checkoffs(service: HabitService, count: int = CHECKOFFS) -> list[float]:
    """Check-offs on *count* habits in turn, each until durable."""
    habits = service.habits(include_archived=False)
    times = []
    for index in range(count):
        habit_id = habits[index % len(habits)].id
        for _attempt in range(3):
            try:
                start = time.perf_counter()
                service.check_off(habit_id)
            except ServiceError:
                # Checked off already (this run, or by the generator). Between midnight and the day
                # boundary the latest mark may be another day's: undo until the open one is free.
                service.undo(habit_id)
                continue
            times.append(_ms(start))
            break
        else:
            raise RuntimeError(f"could not check habit {habit_id} off after three undos")
    return times


def empty_with_habits(folder: Path, count: int = 50) -> HabitService:
    """An empty store given *count* daily habits that start yesterday, reminders as in the large one."""
    service = _service(folder)
    now = datetime.now(ZoneInfo(ZONE))
    for index, at in enumerate(reminder_times(now, count)):
        service.add_habit(f"Habit {index + 1}", "FREQ=DAILY", at, start=now.date() - timedelta(days=1))
    return service


# The schedule the longest habit is given: every occurrence of its history is settled anew.
NEW_RULE = "FREQ=WEEKLY;BYDAY=MO,WE,FR"


def measure_schedule_change(folder: Path) -> dict[str, list[float]]:
    """A new schedule for the longest habit, then its report: duration and peak memory."""
    service = _service(folder)
    service.reports()  # the app's reports, as after start-up
    habits = service.habits(include_archived=False)
    if not habits:
        return {"ms": []}
    longest = min(habits, key=lambda habit: habit.schedule.start)
    gc.collect()
    idle = _rss()
    exact = _reset_peak()
    start = time.perf_counter()
    changed = service.update_habit(longest.id, rule=NEW_RULE).habit
    assert changed is not None
    service.report(changed)
    elapsed = _ms(start)
    peak = _peak_rss(exact)
    return {
        "ms": [elapsed],
        "peak_ratio": [peak / idle],
        "idle_mib": [idle / 2**20],
        "peak_mib": [peak / 2**20],
    }


def _rss() -> int:
    """The process's resident set size now (bytes); its high-water mark where /proc is missing."""
    try:
        pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return _maxrss()


def _reset_peak() -> bool:
    """Reset the RSS high-water mark (Linux: "5" to clear_refs); whether that worked."""
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        return False
    return True


def _peak_rss(reset: bool) -> int:
    """The RSS high-water mark (bytes): since :func:`_reset_peak` when *reset*, else the process's."""
    if reset:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return _maxrss()


def _maxrss() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, KiB elsewhere


def measure_window(folder: Path, which: str) -> list[float]:
    """Opening a window on the store, with the model's reports already cached."""
    from PySide6.QtWidgets import QApplication

    from trayhabit.app.habits_model import HabitsModel
    from trayhabit.app.windows.checkoff import CheckOffWindow
    from trayhabit.app.windows.habits import HabitsWindow

    app = QApplication(sys.argv[:1])
    model = HabitsModel(_service(folder))
    model.reports()
    app.processEvents()
    start = time.perf_counter()
    window: QWidget
    if which == "checkoff":
        checkoff = window = CheckOffWindow(model)
        checkoff.show_and_focus()
    else:
        habits = window = HabitsWindow(model)
        habits.show_habit(None)
    app.processEvents()
    elapsed = _ms(start)
    window.close()
    return [elapsed]


def measure_rescored(folder: Path) -> list[float]:
    """How many habits one check-off in the check-off window scores again (the app's cached reports
    are kept for every other habit)."""
    from PySide6.QtWidgets import QApplication

    from trayhabit.app.habits_model import HabitsModel
    from trayhabit.app.windows.checkoff import CheckOffWindow

    app = QApplication(sys.argv[:1])
    model = HabitsModel(_service(folder))
    window = CheckOffWindow(model)
    window.show_and_focus()
    app.processEvents()
    counts: list[float] = []
    for habit_id in window.habit_ids()[:5]:
        report = model.report(habit_id)
        if report is None or report.current is None:
            continue
        if report.current.outcome is not None:
            model.undo(habit_id)  # checked off already (by the generator): free it, uncounted
            app.processEvents()
        before = model.scored
        window.row(habit_id).check_box.click()  # as the user ticks it
        app.processEvents()
        counts.append(float(model.scored - before))
    window.close()
    return counts


def measure_sync_stall(folder: Path) -> dict[str, list[float]]:
    """The worst stall of the app's event loop while another computer's whole history (the store
    in *folder*) arrives by sync on a new, empty computer; and how long until the habits are there.

    The other computer first publishes into a sync folder (untimed). The new computer's app then
    syncs as it does, on its worker, while a zero timer marks every turn of its event loop; the
    figure is the longest gap between two turns, until the pulled habits are scored.
    """
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from trayhabit.app.habits_model import HabitsModel
    from trayhabit.app.sync_driver import SyncDriver

    sync_folder = folder.parent / "sync-folder"
    sync_folder.mkdir(exist_ok=True)
    other = _service(folder)
    other.set_setting("sync_folder", str(sync_folder))
    other.sync()
    app = QApplication(sys.argv[:1])
    here = _service(folder.parent / "new-computer")
    model = HabitsModel(here)
    model.reports()
    model.set_setting("sync_folder", str(sync_folder))
    driver = SyncDriver(model)
    done = QEventLoop()
    driver.synced.connect(lambda _report: done.quit())
    turns: list[float] = []
    ticker = QTimer()
    ticker.setInterval(0)
    ticker.timeout.connect(lambda: turns.append(time.perf_counter()))
    start = time.perf_counter()
    ticker.start()
    driver.sync_now()
    done.exec()
    _until_scored(model)  # the habits pulled in, their histories walked on the worker
    turns.append(time.perf_counter())
    ticker.stop()
    elapsed = _ms(start)
    marks = [start, *turns]
    worst = max((later - earlier) * 1000 for earlier, later in pairwise(marks))
    app.processEvents()
    return {"ms": [worst], "total_ms": [elapsed], "habits": [float(len(model.reports()))]}


def _stall_meter() -> tuple[list[float], Callable[[], None]]:
    """Marks of every turn of the event loop (a zero timer) and a function that stops them."""
    from PySide6.QtCore import QTimer

    turns: list[float] = [time.perf_counter()]
    ticker = QTimer()
    ticker.setInterval(0)
    ticker.timeout.connect(lambda: turns.append(time.perf_counter()))
    ticker.start()

    def stop() -> None:
        turns.append(time.perf_counter())
        ticker.stop()

    return turns, stop


def _worst_gap_ms(turns: list[float]) -> float:
    return max((later - earlier) * 1000 for earlier, later in pairwise(turns))


def _until_scored(model: HabitsModel) -> None:
    """Run the event loop until no habit of *model* waits for its history to be walked."""
    from PySide6.QtCore import QEventLoop

    if not model.is_scoring():
        return
    loop = QEventLoop()
    model.changed.connect(lambda _change, _by: None if model.is_scoring() else loop.quit())
    loop.exec()


def measure_schedule_stall(folder: Path) -> dict[str, list[float]]:
    """The worst stall of the app's event loop while the longest habit gets a new schedule in the
    app (its whole history walked again), until its new score is in; and how long that took."""
    from PySide6.QtWidgets import QApplication

    from trayhabit.app.habits_model import HabitsModel

    app = QApplication(sys.argv[:1])
    model = HabitsModel(_service(folder))
    model.reports()
    habits = model.service.habits(include_archived=False)
    if not habits:
        return {"ms": []}
    longest = min(habits, key=lambda habit: habit.schedule.start)
    app.processEvents()
    start = time.perf_counter()
    turns, stop = _stall_meter()
    model.update_habit(longest.id, rule=NEW_RULE)
    _until_scored(model)
    stop()
    return {"ms": [_worst_gap_ms(turns)], "total_ms": [_ms(start)]}


def calendar_of(count: int, now: datetime) -> bytes:
    """An iCalendar file of *count* weekly meetings, each recurring since a year ago."""
    first = now.date() - timedelta(days=365)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//TrayHabit bench//EN"]
    for number in range(count):
        day = first + timedelta(days=number % 7)
        lines += [
            "BEGIN:VEVENT",
            f"UID:bench-{number}@trayhabit",
            f"DTSTAMP:{first:%Y%m%d}T000000Z",
            f"DTSTART:{day:%Y%m%d}T{8 + number % 9:02d}0000",
            "DURATION:PT30M",
            f"SUMMARY:Calendar habit {number + 1}",
            "RRULE:FREQ=WEEKLY",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def measure_calendar_stall(folder: Path) -> dict[str, list[float]]:
    """The worst stall of the app's event loop while a 40-habit calendar is read, imported and its
    habits scored, as the habits window does it (the plan and the import on the worker)."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from trayhabit.app.habits_model import HabitsModel

    app = QApplication(sys.argv[:1])
    model = HabitsModel(_service(folder))
    model.reports()
    calendar = folder.parent / "meetings.ics"
    calendar.write_bytes(calendar_of(40, datetime.now(ZoneInfo(ZONE))))
    app.processEvents()
    done = QEventLoop()
    created: list[int] = []

    def imported(habits: list[Habit]) -> None:
        created.append(len(habits))
        done.quit()

    start = time.perf_counter()
    turns, stop = _stall_meter()
    model.plan_calendar_import(calendar, on_done=lambda plan: model.import_calendar(plan, on_done=imported))
    done.exec()
    _until_scored(model)
    stop()
    return {"ms": [_worst_gap_ms(turns)], "total_ms": [_ms(start)], "habits": [float(created[0])]}


def main(argv: list[str]) -> int:
    """Run the probe named by argv[0] on the folder argv[1]; print the result as JSON."""
    what, folder = argv[0], Path(argv[1])
    if what == "schedule-change":
        print(json.dumps(measure_schedule_change(folder)))
        return 0
    if what == "sync-stall":
        print(json.dumps(measure_sync_stall(folder)))
        return 0
    if what == "schedule-stall":
        print(json.dumps(measure_schedule_stall(folder)))
        return 0
    if what == "calendar-stall":
        print(json.dumps(measure_calendar_stall(folder)))
        return 0
    if what == "open":
        result = measure_open(folder)
    elif what == "scores":
        result = measure_scores(folder)
    elif what == "checkoff":
        result = measure_checkoffs(_service(folder))
    elif what == "rescored":
        result = measure_rescored(folder)
    elif what in ("window-checkoff", "window-habits"):
        result = measure_window(folder, what.removeprefix("window-"))
    else:
        raise SystemExit(f"unknown probe {what!r}")
    print(json.dumps({"ms": result}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
