"""The tray icon: state at a glance, a tooltip, and the menu (DESIGN section 4).

The icon shows one of three states (paused beats a waiting reminder beats normal). The tooltip says
what is waiting and when the next reminder comes, and nothing else about what lies ahead: a hint
before the reminder would turn a pre-emptive check-off into a reminded one. The menu is rebuilt each
time it opens, so it always shows the store as it is now.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from trayhabit.app.datetime_text import clock_text, day_text
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.icons import tray_icon
from trayhabit.core.changes import Change
from trayhabit.core.days import ONE_DAY, local_day
from trayhabit.core.model import Outcome
from trayhabit.core.reminders import Reminder
from trayhabit.core.report import HabitReport

if TYPE_CHECKING:
    # Only for an annotation: Qt's namespace costs about 1 MiB once built (see trayhabit.app.application).
    from PySide6.QtCore import Qt

log = logging.getLogger(__name__)

#: How many names the tooltip lists before "and N more" (Windows cuts tooltips at 127 characters).
TOOLTIP_NAMES = 3


class TrayIcon(QObject):
    """The icon in the tray and its menu.

    The application connects the driver's ``state_changed`` to :meth:`set_state`, and the signals
    below to the windows and the driver.

    Signals:
        check_off_requested(str): open the check-off window; a habit id to focus, or "" for none.
        habits_requested(): open the habits window.
        settings_requested(): open the settings window.
        quit_requested(): quit the app.
        done_requested(str): check off a waiting reminder's habit (from "Due now").
        snooze_requested(str): remind again later about a habit (from "Due now").
        pause_requested(object): hold reminders back until a datetime, or None to resume.
    """

    check_off_requested = Signal(str)
    habits_requested = Signal()
    settings_requested = Signal()
    quit_requested = Signal()
    done_requested = Signal(str)
    snooze_requested = Signal(str)
    pause_requested = Signal(object)

    def __init__(
        self, model: HabitsModel, parent: QObject | None = None, *, tray: QSystemTrayIcon | None = None
    ) -> None:
        """*tray*, a Qt tray icon already shown, is taken over instead of making a new one."""
        super().__init__(parent)
        self._model = model
        self._waiting: list[Reminder] = []
        self._paused_until: datetime | None = None
        self._next_reminder: datetime | None = None
        self._state = "normal"
        self._submenus: list[QMenu] = []
        self._busy = ""
        # Between the menu's aboutToShow and aboutToHide: open as a Qt popup, or drawn by a
        # StatusNotifierItem host from the exported DBusMenu, where the QMenu itself never shows.
        self._menu_open = False

        self._tray = tray if tray is not None else QSystemTrayIcon()
        self._tray.setParent(self)
        # A tray menu has no parent widget; this object keeps it alive.
        self._menu = QMenu()
        self._menu.setObjectName("trayMenu")
        self._menu.setAccessibleName(self.tr("TrayHabit"))
        self._menu.aboutToShow.connect(self._on_menu_about_to_show)
        self._menu.aboutToHide.connect(self._on_menu_about_to_hide)
        self._tray.setContextMenu(self._menu)
        self._tray.activated.connect(self._on_tray_activated)

        # Some Linux panels open the exported menu without asking first, so keep it fresh; the
        # rebuild waits for the event loop, since a menu action may be what changed the model.
        self._rebuild_timer = QTimer(self)
        self._rebuild_timer.setSingleShot(True)
        self._rebuild_timer.setInterval(0)
        self._rebuild_timer.timeout.connect(self._on_rebuild_timer_timeout)
        # The driver may have nothing to do when a pause ends; the icon must not stay paused.
        self._pause_timer = QTimer(self)
        self._pause_timer.setSingleShot(True)
        self._pause_timer.timeout.connect(self._on_pause_timer_timeout)
        model.changed.connect(self._on_model_changed)
        # Long work on the worker (a sync's first pull, an import): the tooltip says what and how far,
        # for when no window that started it is open.
        model.worker.started.connect(self._on_worker_changed)
        model.worker.progressed.connect(self._on_worker_changed)
        model.worker.finished.connect(self._on_worker_changed)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_style_hints_color_scheme_changed)

        self._tray.setIcon(tray_icon(self._state))
        self._update_tooltip()
        # Built once the event loop runs, so the icon shows before any score is computed; the menu
        # is rebuilt again each time it opens anyway.
        self._rebuild_timer.start()

    # -- public -------------------------------------------------------------------------------------

    @property
    def tray(self) -> QSystemTrayIcon:
        """The Qt tray icon (the Qt-tray notifier shows its messages through it)."""
        return self._tray

    @property
    def menu(self) -> QMenu:
        """The context menu, as last built."""
        return self._menu

    @property
    def state(self) -> str:
        """What the icon shows: ``normal``, ``waiting`` or ``paused``."""
        return self._state

    def show(self) -> None:
        """Put the icon in the tray."""
        self._tray.show()

    def hide(self) -> None:
        """Take the icon out of the tray (at quit, so Windows does not leave a ghost icon)."""
        self._tray.hide()

    def set_state(
        self, waiting: Sequence[Reminder], paused_until: datetime | None, next_reminder: datetime | None
    ) -> None:
        """Show what the driver found at its last wake: waiting reminders, pause, next reminder."""
        self._waiting = list(waiting)
        self._paused_until = paused_until
        self._next_reminder = next_reminder
        self.refresh()

    def set_busy(self, text: str) -> None:
        """Say in the tooltip what long work is being done (*text*, in the user's words), or, with
        "", that none is."""
        if text != self._busy:
            self._busy = text
            self._update_tooltip()

    def tooltip(self) -> str:
        """The tooltip text for the current state."""
        lines = [self.tr("TrayHabit")]
        if self._busy:
            lines.append(self._busy)
        paused_until = self._paused_until if self._is_paused() else None
        if paused_until is not None:
            lines.append(self.tr("Reminders paused until {when}").format(when=self._when(paused_until)))
        if self._waiting:
            names = _name_list([reminder.name for reminder in self._waiting])
            if len(self._waiting) == 1:
                lines.append(self.tr("1 reminder waiting: {names}").format(names=names))
            else:
                lines.append(
                    self.tr("{count} reminders waiting: {names}").format(
                        count=len(self._waiting), names=names
                    )
                )
        next_reminder = self._next_reminder
        # While paused, a reminder that falls inside the pause will not come: leave it out.
        if next_reminder is not None and (paused_until is None or next_reminder >= paused_until):
            names = _name_list(
                [r.habit.name for r in self._model.reports() if r.next_reminder == next_reminder]
            )
            if names:
                lines.append(
                    self.tr("Next reminder: {when} — {name}").format(
                        when=self._when(next_reminder), name=names
                    )
                )
            else:
                lines.append(self.tr("Next reminder: {when}").format(when=self._when(next_reminder)))
        return "\n".join(lines)

    def refresh(self) -> None:
        """Show the state again, as of now: a timer calls it when a pause runs out."""
        self._pause_timer.stop()
        if self._paused_until is not None and self._is_paused():
            state = "paused"
            left = self._paused_until - self._model.now()
            # A pause lasts a day at most, well inside QTimer's 32-bit range of milliseconds.
            self._pause_timer.start(max(0, min(int(left.total_seconds() * 1000) + 1, 2**31 - 1)))
        elif self._waiting:
            state = "waiting"
        else:
            state = "normal"
        if state != self._state:
            self._state = state
            self._tray.setIcon(tray_icon(state))
        self._update_tooltip()
        self._rebuild_timer.start()

    def rebuild_menu(self) -> None:
        """Build the menu afresh from the model and the last state (also done each time it opens)."""
        self._rebuild_timer.stop()
        menu = self._menu
        menu.clear()
        for submenu in self._submenus:
            submenu.deleteLater()
        self._submenus.clear()

        self._add_heading(menu, self.tr("Today"))
        rows = self._today()
        if not rows:
            self._add_action(menu, self.tr("No habits today")).setEnabled(False)
        for report in rows:
            self._add_today_action(report)

        if self._waiting:
            menu.addSeparator()
            self._add_heading(menu, self.tr("Due now"))
            minutes = self._model.settings().snooze_minutes
            for reminder in self._waiting:
                self._add_due_menu(reminder, minutes)

        menu.addSeparator()
        self._add_action(menu, self.tr("&Check off…"), lambda: self.check_off_requested.emit(""))
        self._add_action(menu, self.tr("&Habits…"), self.habits_requested.emit)
        self._add_pause_menu()
        self._add_action(menu, self.tr("&Settings…"), self.settings_requested.emit)
        menu.addSeparator()
        self._add_action(menu, self.tr("&Quit TrayHabit"), self.quit_requested.emit)

    # -- building the menu ------------------------------------------------------------------------

    def _today(self) -> list[HabitReport]:
        """Habits whose reminder falls on today's local day, and those already checked off today."""
        zone = self._model.zone
        boundary = self._model.settings().day_boundary
        today = self._model.today()
        rows: list[tuple[datetime, str, HabitReport]] = []
        for report in self._model.reports():
            current = report.current
            if current is None:
                continue
            due_today = local_day(current.occurrence.reminder, zone, boundary) == today
            done_today = (
                current.outcome is not None
                and current.event is not None
                and local_day(current.event.at, zone, boundary) == today
            )
            if due_today or done_today:
                rows.append((current.occurrence.reminder, report.habit.name.casefold(), report))
        # In the person's order once they have chosen one (the reports come in it); until then, by
        # reminder time, the order of the day.
        if not any(report.habit.position is not None for _reminder, _name, report in rows):
            rows.sort(key=lambda row: row[:2])
        return [report for _reminder, _name, report in rows]

    def _add_today_action(self, report: HabitReport) -> None:
        outcome = report.current.outcome if report.current is not None else None
        text = _escape(report.habit.name)
        if outcome is Outcome.SKIPPED:
            text = self.tr("{name} (skipped)").format(name=text)
        action = self._add_action(self._menu, text)
        action.setCheckable(True)
        action.setChecked(outcome is not None)
        action.setData(report.habit.id)
        action.setObjectName("today:" + report.habit.id)
        habit_id = report.habit.id
        action.triggered.connect(lambda checked: self._on_today_action_triggered(habit_id, checked))

    def _add_due_menu(self, reminder: Reminder, minutes: int) -> None:
        submenu = self._add_submenu(self._menu, _escape(reminder.name))
        submenu.menuAction().setObjectName("due:" + reminder.habit_id)
        habit_id = reminder.habit_id
        done = self._add_action(submenu, self.tr("&Done"), lambda: self.done_requested.emit(habit_id))
        done.setObjectName("done:" + habit_id)
        snooze = self._add_action(
            submenu,
            self.tr("&Snooze {minutes} min").format(minutes=minutes),
            lambda: self.snooze_requested.emit(habit_id),
        )
        snooze.setObjectName("snooze:" + habit_id)

    def _add_pause_menu(self) -> None:
        submenu = self._add_submenu(self._menu, self.tr("&Pause reminders"))
        submenu.menuAction().setObjectName("pause")
        paused_until = self._paused_until if self._is_paused() else None
        if paused_until is not None:
            note = self._add_action(
                submenu, self.tr("Paused until {when}").format(when=self._when(paused_until))
            )
            note.setEnabled(False)
            submenu.addSeparator()
        hour = self._add_action(submenu, self.tr("For 1 &hour"), self._on_pause_hour_triggered)
        hour.setObjectName("pause:hour")
        tomorrow = self._add_action(submenu, self.tr("Until &tomorrow"), self._on_pause_tomorrow_triggered)
        tomorrow.setObjectName("pause:tomorrow")
        resume = self._add_action(submenu, self.tr("&Resume"), lambda: self.pause_requested.emit(None))
        resume.setObjectName("pause:resume")
        resume.setEnabled(paused_until is not None)

    def _add_heading(self, menu: QMenu, text: str) -> None:
        # A disabled item rather than QMenu.addSection: most styles and the Linux D-Bus menus drop
        # a section's text and draw a bare separator.
        heading = self._add_action(menu, text)
        heading.setEnabled(False)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)

    def _add_submenu(self, menu: QMenu, title: str) -> QMenu:
        submenu = QMenu(title, menu)
        submenu.menuAction().setMenuRole(QAction.MenuRole.NoRole)
        menu.addMenu(submenu)
        self._submenus.append(submenu)
        return submenu

    def _add_action(self, menu: QMenu, text: str, slot: Callable[[], object] | None = None) -> QAction:
        action = menu.addAction(text)
        # Otherwise macOS moves "Quit" and "Settings…" out of the tray menu into the app menu.
        action.setMenuRole(QAction.MenuRole.NoRole)
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        return action

    # -- helpers ------------------------------------------------------------------------------------

    def _is_paused(self) -> bool:
        return self._paused_until is not None and self._paused_until > self._model.now()

    def _on_worker_changed(self, _task: object) -> None:
        tasks = [task for task in self._model.worker.tasks if task.running]
        self.set_busy(tasks[0].describe() if tasks else "")

    def _update_tooltip(self) -> None:
        self._tray.setToolTip(self.tooltip())

    def _when(self, instant: datetime) -> str:
        """A time for the tooltip and menu: "09:00" today, "Mon 09:00" this week, else with the date."""
        zone = self._model.zone
        local = instant.astimezone(zone)
        today = self._model.now().astimezone(zone).date()
        locale = QLocale()
        clock = clock_text(local)
        days = (local.date() - today).days
        if days == 0:
            return clock
        if 0 < days < 7:
            day = locale.dayName(local.isoweekday(), QLocale.FormatType.ShortFormat)
            return self.tr("{day} {time}").format(day=day, time=clock)
        return self.tr("{date} {time}").format(date=day_text(locale, local.date(), today), time=clock)

    # -- slots --------------------------------------------------------------------------------------

    def _on_menu_about_to_show(self) -> None:
        self._menu_open = True
        self.rebuild_menu()
        today = [action.text() for action in self._menu.actions() if action.objectName().startswith("today:")]
        log.info("menu shown: today %s", ", ".join(today) or "-")

    def _on_menu_about_to_hide(self) -> None:
        self._menu_open = False
        # Whatever changed while it was open shows next time; after the event loop, since a popup
        # hides before it triggers the action clicked, which a rebuild now would delete.
        self._rebuild_timer.start()

    def _on_rebuild_timer_timeout(self) -> None:
        # Never rebuild an open menu: it was built moments ago, and a host that draws the exported
        # menu names its entries by the ids of the actions it was given, so new actions would leave
        # the user's click with nothing to trigger. It is rebuilt once it closes.
        if not self._menu_open:
            self.rebuild_menu()

    def _on_pause_timer_timeout(self) -> None:
        self.refresh()

    def _on_model_changed(self, _change: Change, _by: object) -> None:
        # The menu lists every habit and is built from the model's cached reports: cheap to redo.
        self._update_tooltip()
        self._rebuild_timer.start()

    def _on_style_hints_color_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        self._tray.setIcon(tray_icon(self._state))

    def _on_tray_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        # On macOS a click opens the menu and also reports Trigger; opening the window as well
        # would put two things under the pointer.
        if reason == QSystemTrayIcon.ActivationReason.Trigger and sys.platform != "darwin":
            self.check_off_requested.emit("")

    def _on_today_action_triggered(self, habit_id: str, checked: bool) -> None:
        if checked:
            self._model.check_off(habit_id)
        else:
            # Unticking today's item takes back today's mark, never a later back-fill of another day.
            report = self._model.report(habit_id)
            current = report.current if report is not None else None
            self._model.undo(habit_id, occurrence=current.occurrence.key if current is not None else None)

    def _on_pause_hour_triggered(self) -> None:
        zone = self._model.zone
        # In UTC, so that an hour is an hour across a DST change.
        until = (self._model.now().astimezone(UTC) + timedelta(hours=1)).astimezone(zone)
        self.pause_requested.emit(until)

    def _on_pause_tomorrow_triggered(self) -> None:
        self.pause_requested.emit(self._model.day_start(self._model.today() + ONE_DAY))


def _escape(name: str) -> str:
    """A habit name as menu text: a lone "&" would become a keyboard mnemonic."""
    return name.replace("&", "&&")


def _name_list(names: list[str]) -> str:
    """ "A, B, C" or "A, B, C and 2 more"."""
    if len(names) <= TOOLTIP_NAMES:
        return ", ".join(names)
    shown = ", ".join(names[:TOOLTIP_NAMES])
    return QCoreApplication.translate("TrayIcon", "{names} and {count} more").format(
        names=shown, count=len(names) - TOOLTIP_NAMES
    )
