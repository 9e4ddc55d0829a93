"""Starting the tray app: the icon first, everything else after it.

A tray app is judged by how soon its icon appears. Before the icon shows, this module loads only
Qt's widgets, the translations, the single-instance check and the icon artwork; TrayHabit's core
(the store, the scores) and its windows are imported, opened and built after the tray host has the
icon, and the reminders start once the event loop runs.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from trayhabit import __version__
from trayhabit.app import pyside_hook  # noqa: F401 (before the app's other modules: see there)
from trayhabit.app.i18n import install_translators
from trayhabit.app.icons import app_icon, tray_icon
from trayhabit.app.single_instance import hand_over
from trayhabit.app.titles import APP_NAME, window_title

if TYPE_CHECKING:
    from trayhabit.core.clock import Clock

log = logging.getLogger(__name__)


def run_app(
    data_dir: Path,
    *,
    show: str | None = None,
    clock: Clock | None = None,
    cache_dir: Path | Callable[[], Path] | None = None,
) -> int:
    """Start the tray app on *data_dir* (or bring the running one forward); return the exit status.

    *show* names a window to open at once: ``check-off``, ``habits`` or ``settings``. *cache_dir*
    holds files the app can always make again (the notification icon); a function giving it is
    called after the icon shows (finding the platform's folder takes a few milliseconds of imports).
    """
    _prepare_process()
    app = QApplication(sys.argv[:1])
    app.setApplicationName("TrayHabit")
    app.setApplicationDisplayName(APP_NAME)  # every window title ends with it: see titles
    app.setApplicationVersion(__version__)
    app.setOrganizationName("TrayHabit")
    app.setDesktopFileName("trayhabit")
    # A tray app lives on when its last window closes.
    app.setQuitOnLastWindowClosed(False)
    # The system's language until the store says otherwise, so even a start-up error is translated.
    install_translators(app)

    if hand_over_to_running(data_dir, show):
        return 0
    early: QSystemTrayIcon | None = None
    if QSystemTrayIcon.isSystemTrayAvailable():
        # The icon in its plain state, handed to the tray host now; the app takes it over below.
        early = QSystemTrayIcon(tray_icon("normal"))
        early.show()
        app.processEvents()
    app.setWindowIcon(app_icon())

    from trayhabit.app.crash import CrashHook
    from trayhabit.core import applog

    # From here on (after the icon: its imports would delay it) an unexpected error anywhere is
    # logged to the data folder and shown in a dialog, and the app runs on.
    crash_hook = CrashHook(applog.install(data_dir), app)
    crash_hook.install()
    try:
        return _start(app, data_dir, show=show, clock=clock, cache_dir=cache_dir, early=early)
    except Exception:  # noqa: BLE001 (a bug before the event loop runs: the app cannot start)
        exc_type, error, trace = sys.exc_info()
        assert exc_type is not None and error is not None
        applog.log_crash(crash_hook.log_file, "the start-up", (exc_type, error, trace))
        if early is not None:
            early.hide()
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(
            None,
            window_title(app.translate("run_app", "Cannot start")),
            app.translate(
                "run_app", "TrayHabit met an internal error and cannot start. The details are in {file}."
            ).format(file=crash_hook.log_file.path),
        )
        return 70  # EX_SOFTWARE, as the command line's internal error
    finally:
        crash_hook.uninstall()


def hand_over_to_running(data_dir: Path, show: str | None) -> bool:
    """If TrayHabit already runs for *data_dir*, ask it to open *show* (the check-off window when None)
    and say so in one line on the terminal; return whether it did.

    Without the line, a launch from a terminal ends in silence and the person cannot tell whether
    anything happened (the window may open on another screen or behind the terminal).
    """
    window = show or "check-off"
    if not hand_over(data_dir, window):
        return False
    log.info("TrayHabit already runs for %s; asked it to come forward", data_dir)
    said = {
        "habits": QCoreApplication.translate("run_app", "Opened the habits window in the running TrayHabit."),
        "settings": QCoreApplication.translate(
            "run_app", "Opened the settings window in the running TrayHabit."
        ),
    }
    line = said.get(
        window, QCoreApplication.translate("run_app", "Opened the check-off window in the running TrayHabit.")
    )
    if sys.stdout is not None:  # None when started without a console (pythonw on Windows)
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    return True


def _start(
    app: QApplication,
    data_dir: Path,
    *,
    show: str | None,
    clock: Clock | None,
    cache_dir: Path | Callable[[], Path] | None,
    early: QSystemTrayIcon | None,
) -> int:
    """Open the store, build the app, run the event loop; return the exit status."""
    from trayhabit.app.application import TrayHabitApp
    from trayhabit.app.habits_model import HabitsModel
    from trayhabit.app.single_instance import InstanceServer
    from trayhabit.core.clock import SystemClock
    from trayhabit.core.errors import UserError
    from trayhabit.core.service import HabitService
    from trayhabit.core.store import Store

    clock = clock or SystemClock()
    store = Store(data_dir, clock=clock)  # one clock for the store and the service
    try:
        notices = store.open()
    except UserError as error:
        if early is not None:
            early.hide()
        from PySide6.QtWidgets import QMessageBox  # only here: its type costs 2 ms before the icon

        QMessageBox.critical(None, window_title(app.translate("run_app", "Cannot start")), str(error))
        return 1
    # The first line of the data folder's log creates its logs/ folder: now, before the store's
    # watcher starts, which would take that new folder for a change to the store and reload.
    log.info("store opened: %s", data_dir)
    server = InstanceServer(data_dir)
    app.aboutToQuit.connect(server.close)  # the socket file goes with the app
    model = HabitsModel(HabitService(store, clock))
    install_translators(app, model.settings().language)
    trayhabit = TrayHabitApp(model, cache_dir=cache_dir() if callable(cache_dir) else cache_dir, tray=early)
    server.show_requested.connect(trayhabit.show_window)
    app.aboutToQuit.connect(trayhabit.stop)
    trayhabit.show_icon()

    def finish_start() -> None:
        # After the event loop has run once: the tray host has the icon before any score is computed.
        # What the store repaired first: the welcome is never shown over a restored store.
        trayhabit.show_repairs(notices)
        trayhabit.start_reminders()
        if show:
            trayhabit.show_window(show)
        log.info("TrayHabit %s started on %s", __version__, data_dir)

    QTimer.singleShot(0, finish_start)
    return app.exec()


def _prepare_process() -> None:
    """What the process needs before Qt starts: logging, and on Windows the identity its
    notifications are shown for."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if sys.platform == "win32":
        _claim_app_user_model_id()


def _claim_app_user_model_id() -> None:
    """On Windows, belong to the installer's Start-menu shortcut, whose id toasts are shown for."""
    import ctypes

    from trayhabit.app.notifications.platforms import set_process_app_user_model_id

    try:
        set_process_app_user_model_id(ctypes.windll.shell32)  # type: ignore[attr-defined]
    except OSError as error:
        log.warning("notifications may not show: %s", error)
