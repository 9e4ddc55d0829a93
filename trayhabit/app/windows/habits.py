"""The habits window: create, edit, archive, restore and delete habits, and see how each is going.

A list of habits on the left (each with its state: learning, reminder retired, archived); on the
right the selected habit's form ("Habit") and its standing ("Progress"). Every change goes through
:class:`~trayhabit.app.habits_model.HabitsModel`; the window redraws on its ``changed`` signal.

The window is put together from its parts, each in its own module: the list on the left
(:mod:`.habits_list`), the "Habit" tab's form (:mod:`.habit_form`) and "Import from calendar…"
(:mod:`.habits_from_calendar`). This module builds and wires them, and follows the model.
"""

from __future__ import annotations

import logging
from datetime import date, time
from itertools import pairwise

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidgetItem,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.titles import window_title
from trayhabit.app.windows.habit_form import HabitFormTab
from trayhabit.app.windows.habit_progress import HabitProgress
from trayhabit.app.windows.habits_from_calendar import CalendarImportSteps
from trayhabit.app.windows.habits_list import ID_ROLE, HabitListPane
from trayhabit.app.windows.schedule_form import ScheduleForm
from trayhabit.app.windows.screen_fit import VerticalScrollArea, fit_to_screen, screen_room
from trayhabit.app.windows.theme import error_colour, frame_boxes, tint, untint
from trayhabit.core.changes import Change
from trayhabit.core.model import State
from trayhabit.core.report import HabitReport

log = logging.getLogger(__name__)


class HabitsWindow(HabitFormTab, HabitListPane, CalendarImportSteps, QWidget):
    """Create, edit, archive, restore and delete habits; see each one's score, curve and calendar.

    Keyboard: Ctrl+N a new habit, Ctrl+S save, Delete (in the list) delete, Alt+Up and Alt+Down (in
    the list) move the selected habit up or down (as dragging it does; the list's context menu says
    so), Esc close.

    Signals: none; changes go through the model, and the window follows its ``changed`` signal.
    """

    def __init__(self, model: HabitsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._current_id: str | None = None
        self._creating = False
        self._baseline = None
        self._start_touched = False
        self._loading = False
        self._updating_list = False

        self.setWindowTitle(window_title(self.tr("Habits")))
        self._build()
        frame_boxes(self)
        self._wire()
        self._refresh_list()
        metrics = self.fontMetrics()
        self.resize(
            fit_to_screen(
                self,
                self.sizeHint().expandedTo(QSize(metrics.averageCharWidth() * 110, metrics.height() * 40)),
            )
        )
        self._select_first_or_new()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        # The splitter asks for both sides at their preferred widths; never more than the screen.
        return super().sizeHint().boundedTo(screen_room(self))

    # -- building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        # Right: a heading, a message line, and the two tabs.
        self._title = QLabel()
        self._title.setObjectName("title")
        title_font = QFont(self._title.font())
        title_font.setBold(True)
        if title_font.pointSizeF() > 0:
            title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        self._title.setFont(title_font)
        self._title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A long name wraps rather than widening the window past the screen.
        self._title.setWordWrap(True)
        self._message = QLabel()
        self._message.setObjectName("message")
        self._message.setWordWrap(True)
        self._message.setAccessibleName(self.tr("Message"))
        self._message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._message.hide()

        self._tabs = QTabWidget()
        self._tabs.setObjectName("tabs")
        self._tabs.addTab(self._build_form(), self.tr("Habit"))
        self._progress = HabitProgress(self._model)
        # The chart and the counts never scroll sideways: the window keeps their width.
        scroll = VerticalScrollArea()
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._progress)
        self._tabs.addTab(scroll, self.tr("Progress"))
        self._tabs.currentChanged.connect(self._on_tabs_current_changed)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self._title)
        right_layout.addWidget(self._message)
        right_layout.addWidget(self._tabs, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_list())
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        em = self.fontMetrics().averageCharWidth()
        splitter.setSizes([em * 34, em * 80])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self._set_tab_order()

    def _set_tab_order(self) -> None:
        """List first, then the form top to bottom and its buttons as they read, left to right
        (Ctrl+S saves from anywhere in the window)."""
        chain: list[QWidget] = [self._list, self._show_archived, self._new, self._import_calendar, self._tabs]
        chain += [self._name, self._why]
        chain += [self._schedule.first_field(), self._schedule.time_edit(), self._start]
        chain += [self._delete, self._archive, self._restore, self._revert, self._save]
        for first, second in pairwise(chain):
            # The schedule's own fields keep their order between its first field and the time.
            if (first, second) != (self._schedule.first_field(), self._schedule.time_edit()):
                QWidget.setTabOrder(first, second)

    def _wire(self) -> None:
        self._model.changed.connect(self._on_model_changed)
        self._list.currentItemChanged.connect(self._on_list_current_item_changed)
        self._list.dropped.connect(self._on_list_dropped)
        self._move_up.triggered.connect(self._on_move_up_triggered)
        self._move_down.triggered.connect(self._on_move_down_triggered)
        self._show_archived.toggled.connect(self._on_show_archived_toggled)
        self._new.clicked.connect(self._on_new_clicked)
        self._import_calendar.clicked.connect(self._on_import_calendar_clicked)
        self._name.textEdited.connect(self._on_form_edited)
        self._why.textEdited.connect(self._on_form_edited)
        self._schedule.changed.connect(self._on_form_edited)
        self._start.dateChanged.connect(self._on_start_date_changed)
        self._save.clicked.connect(self._on_save_clicked)
        self._revert.clicked.connect(self._on_revert_clicked)
        self._archive.clicked.connect(self._on_archive_clicked)
        self._restore.clicked.connect(self._on_restore_clicked)
        self._delete.clicked.connect(self._on_delete_clicked)
        self._progress.retire_requested.connect(self._on_progress_retire_requested)
        self._progress.stop_tracking_requested.connect(self._on_progress_stop_tracking_requested)

        QShortcut(QKeySequence(QKeySequence.StandardKey.New), self, self._on_new_clicked)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self._on_save_clicked)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self._list, self._on_delete_clicked)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)

    # -- public -----------------------------------------------------------------------------------

    def show_habit(self, habit_id: str | None = None) -> None:
        """Show, raise and activate the window with *habit_id* selected (or the first habit)."""
        report = self._model.report(habit_id) if habit_id else None
        if report is not None and report.habit.state is State.ARCHIVED:
            self._show_archived.setChecked(True)
        if report is not None and (report.habit.id != self._current_id or self._creating):
            if self._settle_unsaved():
                self._open(report.habit.id)
        elif report is None and self._current_id is None and not self._creating:
            self._select_first_or_new()
        self._present()

    def new_habit(
        self, name: str = "", rule: str | None = None, at: time | None = None, why: str = ""
    ) -> None:
        """Open the form for a new habit, filled in with what is given (the welcome's examples)."""
        if self._settle_unsaved():
            self._start_new(name, rule, at, why)
        self._present()

    def schedule_form(self) -> ScheduleForm:
        """The schedule part of the form."""
        return self._schedule

    def progress(self) -> HabitProgress:
        """The Progress tab's panel."""
        return self._progress

    def has_unsaved_changes(self) -> bool:
        """Whether the form holds edits not saved yet."""
        return self._is_dirty()

    def current_habit_id(self) -> str | None:
        """The habit shown, or None while a new one is being made."""
        return None if self._creating else self._current_id

    def message(self) -> str:
        """The message line's text (an error or a confirmation), empty when hidden."""
        return self._message.text() if self._message.isVisibleTo(self) else ""

    # -- slots ------------------------------------------------------------------------------------

    def _on_model_changed(self, change: Change, by: object) -> None:
        if by is self:
            # The operation that made it shows its outcome as it knows best (see _save_form, say).
            self._refresh_list()
            return
        if not (change.definitions or change.events or change.rescores_all):
            return  # settings of no concern here (the language, notifications, sync)
        self._refresh_list()
        if self._creating:
            self._schedule.refresh()
            return
        report = self._model.report(self._current_id) if self._current_id else None
        if report is None or not self._listed(report.habit.id):
            self._select_first_or_new()
            return
        if not change.touches(report.habit.id):
            return
        if self._is_dirty():
            self._progress.show_report(report)  # keep the user's unsaved edits
            self._schedule.refresh()
        else:
            self._load(report)

    def _on_list_current_item_changed(
        self, current: QListWidgetItem | None, previous: QListWidgetItem | None
    ) -> None:
        if self._updating_list or current is None:
            return
        habit_id = str(current.data(ID_ROLE))
        if habit_id == self._current_id and not self._creating:
            return
        # Put the selection back while the user decides; it moves for real once the form is settled.
        self._select_in_list(self._current_id if not self._creating else None)
        if self._settle_unsaved():
            self._open(habit_id)

    def _on_new_clicked(self) -> None:
        self.new_habit()

    def _on_archive_clicked(self) -> None:
        report = self._current_report()
        if report is None or not self._settle_unsaved():
            return
        if self._model.archive(report.habit.id, by=self):
            # Keep the habit in view, greyed, so Restore is one click away.
            self._show_archived.setChecked(True)
            self._reload_current()
            self._say(
                self.tr(
                    "“{name}” is archived: no reminders, and it no longer counts. Restore brings it back."
                ).format(name=report.habit.name)
            )

    def _on_restore_clicked(self) -> None:
        report = self._current_report()
        if report is None or not self._settle_unsaved():
            return
        if self._model.restore(report.habit.id, by=self):
            self._reload_current()
            self._say(
                self.tr("“{name}” is tracked again, with its reminder on.").format(name=report.habit.name)
            )

    def _on_tabs_current_changed(self, index: int) -> None:
        if self._tabs.widget(index) is not None and index == 1:
            report = self._model.report(self.current_habit_id() or "")
            log.info("habits window: progress of %s", report.habit.name if report else "-")

    def _on_progress_retire_requested(self, habit_id: str) -> None:
        if habit_id != self._current_id or self._creating:
            return
        if self._model.graduate(habit_id, by=self):
            self._reload_current()
            report = self._current_report()
            name = report.habit.name if report else ""
            self._say(
                self.tr(
                    "The reminder of “{name}” is retired. It is still tracked, and comes back if it slips."
                ).format(name=name)
            )

    def _on_progress_stop_tracking_requested(self, habit_id: str) -> None:
        if habit_id == self._current_id and not self._creating:
            self._on_archive_clicked()

    def _on_delete_clicked(self) -> None:
        report = self._current_report()
        if report is None:
            return
        answer = QMessageBox.question(
            self,
            window_title(self.tr("Delete habit")),
            self.tr(
                "Delete “{name}”? Its whole history goes too: every check-off, the score and the calendar. "
                "This cannot be undone.\n\nTo stop tracking it but keep the history, archive it instead."
            ).format(name=report.habit.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        row = self._list.currentRow()
        if self._model.remove(report.habit.id, by=self):
            self._current_id = None
            self._baseline = None
            self._refresh_list()
            if self._list.count():
                self._open(str(self._list.item(min(row, self._list.count() - 1)).data(ID_ROLE)))
            else:
                self._start_new("", None, None, "")
            self._say(self.tr("“{name}” is deleted.").format(name=report.habit.name))

    # -- events -----------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self._settle_unsaved():
            event.accept()
        else:
            event.ignore()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        # The preview says "today" and "tomorrow": bring it up to date when the window comes back.
        self._schedule.refresh()
        super().showEvent(event)

    # -- which habit is shown ---------------------------------------------------------------------

    def _select_first_or_new(self) -> None:
        reports = self._reports()
        if reports:
            self._open(reports[0].habit.id)
        else:
            self._start_new("", None, None, "")

    def _open(self, habit_id: str) -> None:
        report = self._model.report(habit_id)
        if report is None:
            self._select_first_or_new()
            return
        self._creating = False
        self._current_id = habit_id
        self._select_in_list(habit_id)
        self._message.hide()
        self._load(report)

    # -- helpers ----------------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        """Show the refusal of an action this window started, on its message line."""
        self._say(message, error=True)

    def _reload_current(self) -> None:
        report = self._current_report()
        if report is not None:
            self._select_in_list(report.habit.id)
            self._load(report)

    def _current_report(self) -> HabitReport | None:
        if self._creating or self._current_id is None:
            return None
        return self._model.report(self._current_id)

    def _say(self, text: str, *, error: bool = False) -> None:
        if error:
            tint(self._message, error_colour)
        else:
            untint(self._message)
        self._message.setText(text)
        self._message.show()

    def _today(self) -> date:
        return self._model.today()

    def _present(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()
