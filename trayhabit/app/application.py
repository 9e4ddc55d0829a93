"""Builds every object of the tray app and wires the signals, once.

Nothing else creates long-lived objects or connects them to each other; windows are created on
first use, so start-up shows the tray icon as early as possible.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

# Qt's namespace (Qt.WidgetAttribute...) and QMessageBox are imported where a dialog is shown: PySide6
# builds a class's Python type on first use, and Qt's namespace alone, with all its enums, holds about
# 1 MiB that a tray waiting for its next reminder never needs.
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from trayhabit.app.caldav_driver import CalDAVDriver
from trayhabit.app.driver import ReminderDriver
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.holding import Presence
from trayhabit.app.i18n import install_translators
from trayhabit.app.icons import app_icon
from trayhabit.app.notifications import Notifier
from trayhabit.app.notifications.chain import NotifierChain
from trayhabit.app.notifications.tray import TrayNotifier
from trayhabit.app.sync_driver import SyncDriver
from trayhabit.app.tray import TrayIcon
from trayhabit.app.watcher import StoreWatcher
from trayhabit.core.changes import Change
from trayhabit.core.days import parse_time_of_day
from trayhabit.core.errors import UserError

if TYPE_CHECKING:
    from trayhabit.app.windows.checkoff import CheckOffWindow
    from trayhabit.app.windows.habits import HabitsWindow
    from trayhabit.app.windows.repair import RepairDialog
    from trayhabit.app.windows.settings import SettingsWindow
    from trayhabit.core.repairs import Repair

log = logging.getLogger(__name__)


class TrayHabitApp(QObject):
    """The running app: model, tray, driver, notifier and the windows, connected."""

    def __init__(
        self,
        model: HabitsModel,
        notifier: Notifier | None = None,
        parent: QObject | None = None,
        *,
        cache_dir: Path | None = None,
        tray: QSystemTrayIcon | None = None,
    ) -> None:
        """*tray* is a tray icon already shown (see :mod:`trayhabit.app.launch`), to take over."""
        super().__init__(parent)
        self.model = model
        self.tray = TrayIcon(model, self, tray=tray)
        self._cache_dir = cache_dir
        self.notifier = notifier if notifier is not None else self._notifier_chain()
        self.sync = SyncDriver(model, self)
        self.caldav = CalDAVDriver(model, self)
        self.presence = _presence_monitor(self)
        self.driver = ReminderDriver(
            model,
            self.notifier,
            self,
            refresh=_refresh_before_reminders(self.sync, self.caldav),
            presence=self.presence,
        )
        # Reminders that came due while a sync ran waited for it (see SyncDriver.refresh and
        # CalDAVDriver.refresh).
        self.sync.synced.connect(self.driver.process_soon)
        self.caldav.answered.connect(self.driver.process_soon)
        self.watcher = StoreWatcher(model.data_dir, self)
        self._checkoff: CheckOffWindow | None = None
        self._habits: HabitsWindow | None = None
        self._settings: SettingsWindow | None = None
        self._repairs: RepairDialog | None = None
        self._habits_language_stale = False

        self.tray.check_off_requested.connect(self.show_check_off)
        self.tray.habits_requested.connect(self.show_habits)
        self.tray.settings_requested.connect(self.show_settings)
        self.tray.quit_requested.connect(QApplication.quit)
        self.tray.done_requested.connect(self.driver.done)
        self.tray.snooze_requested.connect(self.driver.snooze)
        self.tray.pause_requested.connect(self._on_tray_pause_requested)
        self.driver.state_changed.connect(self.tray.set_state)
        self.notifier.clicked.connect(self.show_check_off)
        self.watcher.changed.connect(model.refresh_from_disk)
        model.error_raised.connect(self._on_model_error_raised)
        model.notice.connect(self._on_model_notice)
        model.repaired.connect(self._on_model_repaired)
        model.suggestion.connect(self._on_model_suggestion)
        model.changed.connect(self._on_model_changed)
        self._language = model.settings().language
        self._backend_choice = model.settings().notification_backend

    def start(self) -> None:
        """Show the tray icon, start timing reminders, and greet a first-time user."""
        self.show_icon()
        self.start_reminders()

    def show_icon(self) -> None:
        """Put the icon in the tray (or, on a desktop without one, open the check-off window)."""
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray.show()
            log.info("tray icon shown")
            return
        # No tray, yet: the check-off window is the app's face, and the icon shows if a panel that
        # starts after the app (at login) brings one.
        log.warning("no system tray available; showing the check-off window")
        self.show_check_off("")
        from trayhabit.app.late_tray import LateTray  # only where there is no tray

        late_tray = LateTray(parent=self)  # the app keeps it: a child ends with its parent
        late_tray.appeared.connect(self._on_late_tray_appeared)
        late_tray.still_missing.connect(self._on_late_tray_still_missing)
        late_tray.start()

    def _on_late_tray_appeared(self) -> None:
        self.tray.show()
        log.info("tray icon shown")
        if self._checkoff is not None:
            self._checkoff.forget_no_tray()

    def _on_late_tray_still_missing(self) -> None:
        log.info("still no system tray")
        if not self.model.settings().no_tray_explained and self._checkoff is not None:
            # Once per data folder: whoever read it knows, and the window opens at each start.
            self._checkoff.explain_no_tray()
            self.model.set_setting("no_tray_explained", "true")
            log.info("said how to get a tray")

    def start_reminders(self) -> None:
        """Start the reminder timer (the notifications get ready for the first); greet a first-time user."""
        self.notifier.start()
        self.sync.start()
        self.caldav.start()
        self.driver.start()
        settings = self.model.settings()
        if settings.start_at_login:
            self._refresh_login_entry()
        # Never over a store that was just restored or repaired: its user is not new.
        repaired = self._repairs is not None
        if not settings.welcomed and not repaired and not self.model.reports(include_archived=True):
            self.show_welcome()

    # -- windows --------------------------------------------------------------------------------------

    def show_window(self, name: str) -> None:
        """Open a window by name: ``check-off``, ``habits`` or ``settings``."""
        if name == "habits":
            self.show_habits()
        elif name == "settings":
            self.show_settings()
        else:
            self.show_check_off()

    def show_check_off(self, habit_id: str = "") -> None:
        """Open the check-off window, on *habit_id* if given."""
        if self._checkoff is None:
            from trayhabit.app.windows.checkoff import CheckOffWindow

            self._checkoff = CheckOffWindow(self.model)
            self._checkoff.habits_requested.connect(self.show_habits)
        self._checkoff.show_and_focus(habit_id or None)
        report = self.model.report(habit_id) if habit_id else None
        log.info("check-off window shown%s", f" on {report.habit.name}" if report else "")

    def show_habits(self, habit_id: str = "") -> HabitsWindow:
        """Open the habits window."""
        if self._habits is not None and self._habits_language_stale and not self._habits.isVisible():
            # Closed since the language changed, its edits saved or dropped: built anew to speak it.
            self._habits.deleteLater()
            self._habits = None
        if self._habits is None:
            self._habits_language_stale = False
            from trayhabit.app.windows.habits import HabitsWindow

            self._habits = HabitsWindow(self.model)
        self._habits.show_habit(habit_id or None)
        return self._habits

    def show_settings(self) -> None:
        """Open the settings window."""
        if self._settings is None:
            from trayhabit.app.windows.settings import SettingsWindow
            from trayhabit.autostart import Autostart, default_command

            self._settings = SettingsWindow(self.model, Autostart(default_command()), caldav=self.caldav)
            if isinstance(self.notifier, NotifierChain):
                self.notifier.backend_changed.connect(self._on_notifier_backend_changed)
            self.sync.status_changed.connect(self._settings.set_sync_status)
        if isinstance(self.notifier, NotifierChain):
            # The backends are built on first use; the status shown must be that of one tried.
            self.notifier.prepare()
        self._settings.set_notification_status(self.notification_status())
        self._settings.set_sync_status(self.sync.status)
        self._settings.presence.set_capabilities(self.presence.capabilities())
        self._settings.show_and_raise()

    def notification_status(self) -> str:
        """How reminders are shown now, and why a preferred way did not work, in the user's words."""
        if not isinstance(self.notifier, NotifierChain):
            return ""
        names = {
            "native": self.tr("the desktop's own notifications"),
            "qt": self.tr("the tray icon's messages"),
            "plyer": self.tr("plyer"),
        }
        active = self.notifier.active_name
        if active:
            lines = [self.tr("Reminders are shown with {way}.").format(way=names[active])]
        else:
            lines = [self.tr("No way to show notifications works here: reminders wait in the tray menu.")]
        for name, reason in self.notifier.failures.items():
            lines.append(self.tr("Not used: {way} ({reason}).").format(way=names[name], reason=reason))
        return "\n".join(lines)

    def show_welcome(self) -> None:
        """The first-run welcome, with examples to start from."""
        from PySide6.QtCore import Qt

        from trayhabit.app.windows.welcome import WelcomeDialog

        dialog = WelcomeDialog()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.example_chosen.connect(self._on_welcome_example_chosen)
        dialog.blank_chosen.connect(lambda: self.show_habits().new_habit())
        self.model.set_setting("welcomed", "true")
        dialog.show()

    def stop(self) -> None:
        """Release the notification backends' threads and connections, and let the worker's long
        work end; the app is quitting."""
        self.notifier.stop()
        self.presence.close()
        self.caldav.stop()
        self.model.worker.stop()

    def _notifier_chain(self) -> NotifierChain:
        """The notification backends, tried in the order the setting asks (see chain.py)."""

        def icon() -> Path | None:
            if self._cache_dir is None:
                return None
            from trayhabit.app.icons import app_icon_png

            try:
                return app_icon_png(self._cache_dir)
            except OSError as error:
                log.warning("notifications go without the app icon: %s", error)
                return None

        def native() -> Notifier:
            from trayhabit.app.notifications.native import NativeNotifier

            return NativeNotifier(snooze_minutes=lambda: self.model.settings().snooze_minutes, icon=icon())

        def plyer() -> Notifier:
            from trayhabit.app.notifications.plyer_backend import PlyerNotifier

            return PlyerNotifier(icon=icon())

        return NotifierChain(
            {"native": native, "qt": lambda: TrayNotifier(self.tray.tray), "plyer": plyer},
            self.model.settings().notification_backend,
            self,
        )

    def _refresh_login_entry(self) -> None:
        """Point the login entry at this installation (it may have moved since it was written)."""
        from trayhabit.autostart import Autostart, default_command

        try:
            Autostart(default_command()).set_enabled(True)
        except UserError as error:
            log.warning("could not refresh the login entry: %s", error)

    # -- slots ------------------------------------------------------------------------------------------

    def _on_welcome_example_chosen(self, name: str, rule: str, at: str, why: str) -> None:
        self.show_habits().new_habit(name, rule, parse_time_of_day(at), why)

    def _on_notifier_backend_changed(self, _name: str) -> None:
        if self._settings is not None:
            self._settings.set_notification_status(self.notification_status())

    def _on_tray_pause_requested(self, until: datetime | None) -> None:
        self.driver.pause(until)

    def _on_model_error_raised(self, message: str) -> None:
        # Windows show the refusals of what they started themselves; these came from the tray, a
        # reminder or a suggestion, which have no place to show them.
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(None, self.tr("TrayHabit"), message)

    def _on_model_changed(self, change: Change, _by: object) -> None:
        if not (change.settings or change.everything):
            return
        choice = self.model.settings().notification_backend
        if choice != self._backend_choice:
            self._backend_choice = choice
            if isinstance(self.notifier, NotifierChain):
                self.notifier.set_choice(choice)
        language = self.model.settings().language
        if language != self._language:
            self._language = language
            application = QApplication.instance()
            if application is not None:
                install_translators(application, language)
                self._speak_again()

    def _speak_again(self) -> None:
        """Build the open windows again in the language just chosen, where they were.

        The tray menu is built each time it opens; its tooltip is redrawn here. A habits window with
        unsaved edits keeps its language until it is closed, rather than lose them.
        """
        self.tray.refresh()
        if self._checkoff is not None:
            old_checkoff, self._checkoff = self._checkoff, None
            selected = old_checkoff.selected_habit_id() or ""

            def show_checkoff() -> QWidget | None:
                self.show_check_off(selected)
                return self._checkoff

            self._rebuilt(old_checkoff, show_checkoff)
        if self._settings is not None:
            old_settings, self._settings = self._settings, None

            def show_settings() -> QWidget | None:
                self.show_settings()
                return self._settings

            self._rebuilt(old_settings, show_settings)
        if self._habits is not None:
            if self._habits.has_unsaved_changes():
                self._habits_language_stale = True
            else:
                old_habits, self._habits = self._habits, None
                current = old_habits.current_habit_id() or ""
                self._rebuilt(old_habits, lambda: self.show_habits(current))

    @staticmethod
    def _rebuilt(old: QWidget, show_new: Callable[[], QWidget | None]) -> None:
        """Let *old* go and, if it was open, open its successor (*show_new* shows and returns it)
        where it was."""
        was_open, geometry = old.isVisible(), old.geometry()
        old.hide()
        old.deleteLater()
        if was_open:
            window = show_new()
            if window is not None:
                window.setGeometry(geometry)

    def _on_model_suggestion(self, habit_id: str, step: str, reason: str) -> None:
        """The app asks; the user decides (DESIGN section 3). Not modal: nothing else waits on it."""
        report = self.model.report(habit_id)
        if report is None:
            return
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Question, self.tr("TrayHabit"), "")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if step == "graduate":
            box.setText(self.tr("“{name}” looks like a habit now.").format(name=report.habit.name))
            accept = box.addButton(self.tr("&Retire the reminder"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(self.tr("&Not yet"), QMessageBox.ButtonRole.RejectRole)
        else:
            box.setText(
                self.tr("“{name}” has kept going without its reminder.").format(name=report.habit.name)
            )
            accept = box.addButton(self.tr("&Stop tracking it"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(self.tr("&Keep tracking"), QMessageBox.ButtonRole.RejectRole)
        box.setInformativeText(reason)
        box.setObjectName("suggestion:" + step)

        def on_finished() -> None:
            if box.clickedButton() is accept:
                if step == "graduate":
                    self.model.graduate(habit_id)
                else:
                    self.model.archive(habit_id)

        box.finished.connect(on_finished)
        log.info("asked: %s %s", step, report.habit.name)
        box.open()

    def _on_model_notice(self, message: str) -> None:
        self.show_notice(message)

    def _on_model_repaired(self, repair: Repair) -> None:
        self.show_repairs([repair])

    def show_repairs(self, repairs: list[Repair]) -> None:
        """Tell the user what the store repaired, in a window of its own (see RepairDialog)."""
        if not repairs:
            return
        if self._repairs is None:
            from trayhabit.app.windows.repair import RepairDialog

            self._repairs = RepairDialog()
        for repair in repairs:
            log.info("repaired: %s", repair.message())
            self._repairs.add(repair)
        self._repairs.show()
        self._repairs.raise_()
        self._repairs.activateWindow()

    def show_notice(self, message: str) -> None:
        """Tell the user something the store repaired or noticed (a message from the tray icon)."""
        log.info("notice: %s", message)
        if self.tray.tray.isVisible():
            self.tray.tray.showMessage(self.tr("TrayHabit"), message, app_icon(), 15000)
        else:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.information(None, self.tr("TrayHabit"), message)


def _refresh_before_reminders(sync: SyncDriver, caldav: CalDAVDriver) -> Callable[[], bool | None]:
    """What the reminder driver calls before due reminders are shown: bring in what changed
    elsewhere, the sync folder's news first (quick, on the UI thread), then the CalDAV server's (on
    the worker, with a short deadline). It says whether anything changed, or None while the
    reminders wait for a sync. (A function of the two drivers, not a method of the app: the
    reminder driver, a child of the app, must not hold the app, whose end would then wait for
    the garbage collector.)"""

    def refresh() -> bool | None:
        folder = sync.refresh()
        if folder is None:
            return None
        server = caldav.refresh()
        if server is None:
            return None
        return folder or server

    return refresh


def _presence_monitor(parent: QObject) -> Presence:
    """The desktop's presence sources (idle time, screen lock, Do Not Disturb, full screen, wake from
    sleep): those this platform offers and this desktop answers on (see trayhabit.app.presence)."""
    from trayhabit.app.presence.monitor import make_monitor

    monitor: Presence = make_monitor(parent)
    return monitor
