"""``trayhabit --smoke-test``: does this build of the app have everything it needs to run?

Meant for installers and frozen bundles, where a module or data file left out of the bundle shows
only when a user reaches it. In a temporary data folder it opens a store, adds a sample habit with
two months of history, scores it, builds the tray icon, its menu and every window and renders them,
writes it to a calendar file and reads that back (icalendar loads only then, so only this finds it
missing), loads the Swedish translation, and imports each notification backend of this platform (a
frozen app that silently lost its notification backend is the classic failure) and what a CalDAV
sync loads, and logs in to a CalDAV server of its own (:mod:`trayhabit.app.smoke_caldav`). It shows
no notification and leaves nothing behind. Exit status 0 when all is well; otherwise 1 and one line
saying what failed.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time, timedelta
from importlib.resources import files
from pathlib import Path

from trayhabit.app.notifications import Notifier
from trayhabit.core.reminders import Reminder

# The modules each platform's notification backends load when a reminder is due.
NOTIFICATION_MODULES = {
    "linux": ("desktop_notifier.backends.dbus", "dbus_fast.aio", "plyer.platforms.linux.notification"),
    "win32": ("desktop_notifier.backends.winrt", "plyer.platforms.win.notification"),
    "darwin": ("desktop_notifier.backends.macos", "plyer.platforms.macosx.notification"),
}
# What a CalDAV sync loads (only once an account is set up, so only this finds it missing): the
# client, its HTTP and XML libraries, and this platform's credential store for the password.
CALDAV_MODULES = ("caldav", "niquests", "lxml.etree", "keyring")
CREDENTIAL_MODULES = {
    "linux": ("keyring.backends.SecretService", "secretstorage"),
    "win32": ("keyring.backends.Windows",),
    "darwin": ("keyring.backends.macOS",),
}


def run_smoke_test() -> int:
    """Run every check, saying on stdout what passed; return the exit status."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    step = "starting Qt"
    try:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication(sys.argv[:1])
        sys.stdout.write(f"Qt platform: {QApplication.platformName()}\n")
        with tempfile.TemporaryDirectory(prefix="trayhabit-smoke-") as folder:
            smoke = SmokeTest(Path(folder))
            for step, check in smoke.checks():
                sys.stdout.write(f"ok: {step}: {check()}\n")
        del app
    except Exception as error:  # noqa: BLE001 (the point is to report any failure as one line)
        sys.stderr.write(f"trayhabit: smoke test failed while {step}: {type(error).__name__}: {error}\n")
        if os.environ.get("TRAYHABIT_DEBUG"):
            traceback.print_exc()
        return 1
    sys.stdout.write("smoke test passed\n")
    return 0


class SmokeTest:
    """The checks, in order; each returns a few words on what it found or raises."""

    def __init__(self, folder: Path) -> None:
        from trayhabit.app.habits_model import HabitsModel

        self._folder = folder
        self._model: HabitsModel | None = None
        self._habit_id = ""

    def checks(self) -> list[tuple[str, Callable[[], str]]]:
        """The checks with what each is doing, for the report."""
        return [
            ("importing the notification backends", self.notification_modules),
            ("importing the CalDAV client and the credential store", self.caldav_modules),
            ("logging in to a CalDAV server", self.caldav_login),
            ("finding the data files", self.data_files),
            ("opening a store", self.store),
            ("scoring a sample habit", self.score),
            ("building the tray and every window", self.app_and_windows),
            ("writing and reading a calendar file", self.calendar),
            ("loading the translations", self.translations),
        ]

    def notification_modules(self) -> str:
        return _imported(NOTIFICATION_MODULES.get(_platform(), ())) or "none for this platform"

    def caldav_modules(self) -> str:
        return _imported((*CALDAV_MODULES, *CREDENTIAL_MODULES.get(_platform(), ())))

    def caldav_login(self) -> str:
        from trayhabit.app.smoke_caldav import refused_login

        return refused_login()

    def data_files(self) -> str:
        package = files("trayhabit")
        wanted = [
            package.joinpath("resources", "icons", "png", "trayhabit-256.png"),
            package.joinpath("resources", "translations", "trayhabit_sv.qm"),
            package.joinpath("locale", "sv", "LC_MESSAGES", "trayhabit.mo"),
        ]
        missing = [str(path) for path in wanted if not path.is_file()]
        if missing:
            raise FileNotFoundError(", ".join(missing))
        return f"{len(wanted)} files"

    def store(self) -> str:
        from trayhabit.app.habits_model import HabitsModel
        from trayhabit.core.clock import SystemClock
        from trayhabit.core.service import HabitService
        from trayhabit.core.store import Store

        clock = SystemClock()
        store = Store(self._folder / "data", clock=clock)
        store.open()
        self._model = HabitsModel(HabitService(store, clock))
        self._habit_id = _add_sample_habit(self._model)
        return str(self._folder / "data")

    def score(self) -> str:
        assert self._model is not None
        report = self._model.report(self._habit_id)
        if report is None or report.score <= 0:
            raise RuntimeError("the sample habit has no score")
        return f"{report.score:.4f}"

    def app_and_windows(self) -> str:
        from PySide6.QtWidgets import QApplication

        from trayhabit.app.application import TrayHabitApp
        from trayhabit.app.icons import STATES, tray_icon

        assert self._model is not None
        for state in STATES:
            # Drawn, not only named: the PNG files are read when a size is first asked for.
            if tray_icon(state).pixmap(22).isNull():
                raise RuntimeError(f"the {state} tray icon is empty")
        trayhabit = TrayHabitApp(self._model, _QuietNotifier())
        trayhabit.tray.rebuild_menu()
        entries = len(trayhabit.tray.menu.actions())
        if not entries:
            raise RuntimeError("the tray menu is empty")
        trayhabit.show_check_off(self._habit_id)
        trayhabit.show_habits(self._habit_id).progress()  # the Progress tab: curve, calendar, counts
        trayhabit.show_settings()
        trayhabit.show_welcome()
        shown = [widget for widget in QApplication.topLevelWidgets() if widget.isVisible()]
        for widget in shown:
            if widget.grab().isNull():
                raise RuntimeError(f"{type(widget).__name__} did not render")
            widget.close()
        return f"a tray menu of {entries} entries, {len(shown)} windows rendered"

    def calendar(self) -> str:
        """The sample habit as an .ics file, read back into an import preview (icalendar is bundled)."""
        from trayhabit.app.windows.calendar_import import CalendarImportDialog

        assert self._model is not None
        path = self._folder / "habits.ics"
        # The use cases themselves, here on the UI thread: the app runs them on its worker.
        service = self._model.service
        service.export("ics", path=path)
        plan = service.plan_calendar_import(path.read_bytes(), path.name)
        # The habit is already there, so the preview skips it by its name.
        if plan is None or [item.name for item in plan.skipped] != ["Follow up sent quotes"]:
            raise RuntimeError("the calendar file did not read back")
        dialog = CalendarImportDialog(plan)
        if dialog.grab().isNull():
            raise RuntimeError("the calendar import preview did not render")
        dialog.close()
        return f"{path.stat().st_size} bytes, read back"

    def translations(self) -> str:
        from PySide6.QtCore import QCoreApplication

        from trayhabit.app.i18n import install_translators, remove_translators

        app = QCoreApplication.instance()
        assert app is not None
        install_translators(app, "sv")
        try:
            word = QCoreApplication.translate("TrayIcon", "&Quit TrayHabit")
        finally:
            remove_translators(app)
            install_translators(app, "en")
        if word == "&Quit TrayHabit":
            raise RuntimeError("the Swedish translation did not load")
        return f"Swedish ({word.replace('&', '')})"


def _add_sample_habit(model: object) -> str:
    """A daily 09:00 habit started 60 days ago, done before its reminder on most days."""
    from trayhabit.app.habits_model import HabitsModel
    from trayhabit.core.model import Event, EventKind

    assert isinstance(model, HabitsModel)
    zone = model.zone
    today = model.today()
    habit = model.add_habit("Follow up sent quotes", "FREQ=DAILY", time(9), start=today - timedelta(days=60))
    if habit is None:
        raise RuntimeError("could not add the sample habit")
    with model.service.store.writing() as transaction:
        for offset in range(60, 0, -1):
            if offset % 9 == 0:
                continue  # now and then a day is missed
            day = today - timedelta(days=offset)
            moment = datetime.combine(day, time(8, 30), zone)
            event = Event(
                id=f"smoke-{offset}",
                habit_id=habit.id,
                kind=EventKind.DONE,
                at=moment,
                recorded_at=moment.astimezone(UTC),
                occurrence=day,
            )
            transaction.add_event(event.to_doc())
    model.reload()
    return habit.id


class _QuietNotifier(Notifier):
    """Shows nothing: the smoke test builds the app without notifying anyone."""

    name = "quiet"

    def notify(self, reminder: Reminder) -> None:
        """Show nothing."""

    def notify_summary(self, reminders: Sequence[Reminder]) -> None:
        """Show nothing."""


def _platform() -> str:
    """The platform's key in the tables of modules above."""
    return "linux" if sys.platform.startswith("linux") else sys.platform


def _imported(names: Sequence[str]) -> str:
    """Import each of *names* (raising for the first that is missing); say which."""
    for name in names:
        importlib.import_module(name)
    return ", ".join(names)
