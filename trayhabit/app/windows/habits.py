"""The habits window: create, edit, archive, restore and delete habits, and see how each is going.

A list of habits on the left (each with its state: learning, reminder retired, archived); on the
right the selected habit's form ("Habit") and its standing ("Progress"). Every change goes through
:class:`~trayhabit.app.habits_model.HabitsModel`; the window redraws on its ``changed`` signal.
"""

from __future__ import annotations

import logging
from datetime import date, time
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    QStandardPaths,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QDropEvent,
    QFont,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QPalette,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from trayhabit.app.background import Task
from trayhabit.app.datetime_text import LONG_DATE_PATTERN
from trayhabit.app.formatting import format_score
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.titles import window_title
from trayhabit.app.windows.habit_progress import HabitProgress
from trayhabit.app.windows.schedule_form import Repeat, ScheduleForm, earliest_start, error_colour
from trayhabit.app.windows.screen_fit import VerticalScrollArea, fit_to_screen, screen_room
from trayhabit.app.windows.task_progress import TaskProgress
from trayhabit.core.changes import Change
from trayhabit.core.describe import describe_schedule
from trayhabit.core.model import Habit, Schedule, State
from trayhabit.core.report import HabitReport
from trayhabit.core.schedule import ScheduleError, normalize_rule
from trayhabit.core.service import MAX_NAME_LENGTH

if TYPE_CHECKING:
    from trayhabit.core.ical import CalendarPlan

_ID_ROLE = Qt.ItemDataRole.UserRole
_BADGE_ROLE = Qt.ItemDataRole.UserRole + 1
_DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2
_STATE_ROLE = Qt.ItemDataRole.UserRole + 3
_DEFAULT_TIME = time(9, 0)

# What the form holds, to tell whether the user changed anything: name, why, rule, time, start.
_Snapshot = tuple[str, str, str, time | None, date]


log = logging.getLogger(__name__)


class _HabitDelegate(QStyledItemDelegate):
    """Draws a habit as its name with a state badge, and its schedule and score underneath."""

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        name = QFont(option.font)
        name.setBold(True)
        small = QFont(option.font)
        if small.pointSizeF() > 0:
            small.setPointSizeF(small.pointSizeF() * 0.88)
        return name, small, small

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802 (Qt's name)
        name, small, _badge = self._fonts(option)
        pad = QFontMetrics(option.font).height() // 3
        height = QFontMetrics(name).height() + QFontMetrics(small).height() + 3 * pad
        return QSize(QFontMetrics(option.font).averageCharWidth() * 20, height)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (
            QPalette.ColorGroup.Active
            if opt.state & QStyle.StateFlag.State_Active
            else QPalette.ColorGroup.Inactive
        )
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text = opt.palette.color(group, role)
        state = index.data(_STATE_ROLE)
        if state == State.ARCHIVED.value and not selected:
            text = opt.palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        name_font, small, badge_font = self._fonts(opt)
        pad = QFontMetrics(opt.font).height() // 3
        rect = QRectF(opt.rect).adjusted(pad * 1.5, pad, -pad * 1.5, -pad)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        badge = str(index.data(_BADGE_ROLE) or "")
        badge_metrics = QFontMetrics(badge_font)
        badge_width = badge_metrics.horizontalAdvance(badge) + badge_metrics.averageCharWidth() * 2
        name_height = QFontMetrics(name_font).height()
        badge_rect = QRectF(rect.right() - badge_width, rect.top(), badge_width, name_height)
        fill = opt.palette.color(QPalette.ColorRole.Highlight if state == State.GRADUATED.value else role)
        fill.setAlphaF(0.18 if not selected else 0.25)
        if state == State.ARCHIVED.value:
            # Greyed text on a grey pill is unreadable; an outline keeps the word legible.
            painter.setPen(text)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            badge_rect.adjust(0.5, 0.5, -0.5, -0.5)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
        painter.drawRoundedRect(badge_rect, name_height / 2, name_height / 2)
        painter.setPen(text)
        painter.setFont(badge_font)
        painter.drawText(badge_rect, Qt.AlignmentFlag.AlignCenter, badge)

        painter.setFont(name_font)
        name_rect = QRectF(rect.left(), rect.top(), rect.width() - badge_width - pad, name_height)
        name = QFontMetrics(name_font).elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
            Qt.TextElideMode.ElideRight,
            int(name_rect.width()),
        )
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)

        detail_colour = QColor(text)
        detail_colour.setAlphaF(0.7)
        painter.setPen(detail_colour)
        painter.setFont(small)
        detail_rect = QRectF(
            rect.left(), rect.top() + name_height + pad, rect.width(), QFontMetrics(small).height()
        )
        detail = QFontMetrics(small).elidedText(
            str(index.data(_DETAIL_ROLE) or ""), Qt.TextElideMode.ElideRight, int(detail_rect.width())
        )
        painter.drawText(detail_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, detail)
        painter.restore()


class _HabitList(QListWidget):
    """The list of habits, in the person's order, which they change by dragging a habit.

    Signals:
        dropped(): a habit was dragged to another place; the items are in the new order.
    """

    dropped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        super().dropEvent(event)
        if event.isAccepted():
            self.dropped.emit()


class HabitsWindow(QWidget):
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
        self._baseline: _Snapshot | None = None
        self._start_touched = False
        self._loading = False
        self._updating_list = False

        self.setWindowTitle(window_title(self.tr("Habits")))
        self._build()
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

    def _build_list(self) -> QWidget:
        """The left side: the habits, the archived toggle and the New button."""
        self._list = _HabitList()
        self._list.setObjectName("habit_list")
        self._list.setItemDelegate(_HabitDelegate(self._list))
        self._list.setAccessibleName(self.tr("Habits"))
        self._list.setAccessibleDescription(
            self.tr("Drag a habit to put it elsewhere in your order, or move it with Alt+Up and Alt+Down.")
        )
        # Moving a habit from the keyboard: in the list's context menu, which shows the shortcuts.
        self._move_up = QAction(self.tr("Move &up"), self._list)
        self._move_up.setObjectName("move_up")
        self._move_up.setShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Up))
        self._move_down = QAction(self.tr("Move &down"), self._list)
        self._move_down.setObjectName("move_down")
        self._move_down.setShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Down))
        for action in (self._move_up, self._move_down):
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.setShortcutVisibleInContextMenu(True)
            self._list.addAction(action)
        self._list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._list.setUniformItemSizes(True)
        self._list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._list.setMinimumWidth(self.fontMetrics().averageCharWidth() * 24)
        list_label = QLabel(self.tr("Ha&bits"))
        list_label.setBuddy(self._list)
        self._show_archived = QCheckBox(self.tr("Show ar&chived"))
        self._show_archived.setObjectName("show_archived")
        self._new = QPushButton(self.tr("Ne&w habit"))
        self._new.setObjectName("new_habit")
        self._new.setToolTip(self.tr("Create a habit (Ctrl+N)"))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(list_label)
        left_layout.addWidget(self._list, 1)
        self._import_calendar = QPushButton(self.tr("&Import from calendar…"))
        self._import_calendar.setObjectName("import_calendar")
        self._import_calendar.setToolTip(
            self.tr("Make habits of the recurring tasks and events in a calendar file (.ics)")
        )
        left_layout.addWidget(self._show_archived)
        left_layout.addWidget(self._new)
        left_layout.addWidget(self._import_calendar)
        # A calendar file is read (and its habits created) on the worker: what it is doing, and Cancel.
        self._task_progress = TaskProgress()
        left_layout.addWidget(self._task_progress)
        return left

    def _build_form(self) -> QWidget:
        page = QWidget()
        self._name = QLineEdit()
        self._name.setObjectName("name")
        self._name.setMaxLength(MAX_NAME_LENGTH)
        self._name.setPlaceholderText(self.tr("e.g. Follow up sent quotes"))
        self._name.setAccessibleName(self.tr("Name"))
        self._why = QLineEdit()
        self._why.setObjectName("why")
        self._why.setPlaceholderText(self.tr("In your own words, e.g. Deals close on follow-up"))
        self._why.setAccessibleName(self.tr("Why"))
        self._schedule = ScheduleForm(self._model)
        when = QGroupBox(self.tr("When"))
        when_layout = QVBoxLayout(when)
        when_layout.addWidget(self._schedule)
        self._start = QDateEdit()
        self._start.setObjectName("start_date")
        self._start.setCalendarPopup(True)
        # The long format names the weekday, which "Every week" repeats on.
        self._start.setDisplayFormat(LONG_DATE_PATTERN)  # as dates read everywhere (datetime_text)
        self._start.setAccessibleName(self.tr("Start date"))
        self._start_hint = QLabel()
        self._start_hint.setWordWrap(True)
        hint_palette = self._start_hint.palette()
        hint_palette.setColor(
            QPalette.ColorRole.WindowText, hint_palette.color(QPalette.ColorRole.PlaceholderText)
        )
        self._start_hint.setPalette(hint_palette)
        self._start.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        start_row = QHBoxLayout()
        start_row.addWidget(self._start, 0, Qt.AlignmentFlag.AlignLeft)  # left, when the hint is hidden
        start_row.addWidget(self._start_hint, 1)
        start_column = QVBoxLayout()  # the note on a start date in the past goes under the date
        start_column.addLayout(start_row)
        start_column.addWidget(self._schedule.past_note_label())

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        name_label = QLabel(self.tr("&Name:"))
        name_label.setBuddy(self._name)
        why_label = QLabel(self.tr("W&hy:"))
        why_label.setBuddy(self._why)
        start_label = QLabel(self.tr("Starts &on:"))
        start_label.setBuddy(self._start)
        form.addRow(name_label, self._name)
        form.addRow(why_label, self._why)
        form.addRow(when)
        form.addRow(start_label, start_column)

        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(self._build_buttons())
        return page

    def _build_buttons(self) -> QHBoxLayout:
        self._delete = QPushButton(self.tr("&Delete…"))
        self._delete.setObjectName("delete")
        self._archive = QPushButton(self.tr("&Archive"))
        self._archive.setObjectName("archive")
        self._archive.setToolTip(self.tr("Stop tracking this habit but keep its history"))
        self._restore = QPushButton(self.tr("R&estore"))
        self._restore.setObjectName("restore")
        self._restore.setToolTip(self.tr("Track this habit again, with its reminder on"))
        self._revert = QPushButton(self.tr("Re&vert"))
        self._revert.setObjectName("revert")
        self._revert.setToolTip(self.tr("Forget the changes not saved yet"))
        self._save = QPushButton(self.tr("&Save"))
        self._save.setObjectName("save")
        self._save.setToolTip(self.tr("Save (Ctrl+S)"))
        self._save.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self._delete)
        buttons.addWidget(self._archive)
        buttons.addWidget(self._restore)
        buttons.addStretch(1)
        buttons.addWidget(self._revert)
        buttons.addWidget(self._save)

        return buttons

    def _set_tab_order(self) -> None:
        """List first, then the form top to bottom, Save before the rarer buttons."""
        chain: list[QWidget] = [self._list, self._show_archived, self._new, self._import_calendar, self._tabs]
        chain += [self._name, self._why]
        chain += [self._schedule.first_field(), self._schedule.time_edit(), self._start]
        chain += [self._save, self._revert, self._archive, self._restore, self._delete]
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
        habit_id = str(current.data(_ID_ROLE))
        if habit_id == self._current_id and not self._creating:
            return
        # Put the selection back while the user decides; it moves for real once the form is settled.
        self._select_in_list(self._current_id if not self._creating else None)
        if self._settle_unsaved():
            self._open(habit_id)

    def _on_list_dropped(self) -> None:
        self._reorder([self._list.item(row).data(_ID_ROLE) for row in range(self._list.count())])

    def _on_move_up_triggered(self) -> None:
        self.move_selected(-1)

    def _on_move_down_triggered(self) -> None:
        self.move_selected(1)

    def _on_show_archived_toggled(self, _checked: bool) -> None:
        self._refresh_list()
        if self._current_id is not None and not self._creating and not self._listed(self._current_id):
            self._select_first_or_new()

    def _on_new_clicked(self) -> None:
        self.new_habit()

    def _on_import_calendar_clicked(self) -> None:
        if not self._settle_unsaved():
            return
        chosen, _chosen_filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Import from calendar"),
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation),
            ";;".join((self.tr("Calendar files (*.ics)"), self.tr("All files (*)"))),
        )
        if not chosen:
            return
        self._follow(self._model.plan_calendar_import(Path(chosen), by=self, on_done=self._preview_calendar))

    def _preview_calendar(self, plan: CalendarPlan) -> None:
        from trayhabit.app.windows.calendar_import import CalendarImportDialog

        dialog = CalendarImportDialog(plan, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._create_from_calendar(dialog.plan))
        dialog.open()

    def _create_from_calendar(self, plan: CalendarPlan) -> None:
        self._follow(
            self._model.import_calendar(
                plan, by=self, on_done=lambda created: self._created_from_calendar(plan, created)
            )
        )

    def _created_from_calendar(self, plan: CalendarPlan, created: list[Habit]) -> None:
        if not created:
            return
        self._open(created[0].id)
        self._say(
            self.tr("Created {n} habits from {file}.").format(n=len(created), file=plan.filename)
            if len(created) > 1
            else self.tr("Created “{name}” from {file}.").format(name=created[0].name, file=plan.filename)
        )

    def _follow(self, task: Task) -> None:
        """Show *task*'s progress under the list, the import button off until it ends."""
        self._import_calendar.setEnabled(False)
        task.finished.connect(lambda: self._import_calendar.setEnabled(True))
        self._task_progress.follow(task)

    def _on_form_edited(self, *_args: object) -> None:
        if self._loading:
            return
        self._message.hide()
        self._update_buttons()

    def _on_start_date_changed(self, value: QDate) -> None:
        if self._loading:
            return
        self._start_touched = True
        # "Starts tomorrow if today's reminder has passed" is about the default start only: a date
        # picked is kept (one in the past has its own note, from the schedule form).
        self._start_hint.hide()
        self._schedule.set_start(_pydate(value))  # emits changed, which updates the buttons

    def _on_save_clicked(self) -> None:
        self._save_form()

    def _on_revert_clicked(self) -> None:
        report = self._model.report(self._current_id) if self._current_id else None
        if report is not None:
            self._load(report)
            self._message.hide()

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
            self.tr("Delete habit"),
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
                self._open(str(self._list.item(min(row, self._list.count() - 1)).data(_ID_ROLE)))
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

    # -- the list ---------------------------------------------------------------------------------

    def _reports(self) -> list[HabitReport]:
        return self._model.reports(include_archived=self._show_archived.isChecked())

    def _listed(self, habit_id: str) -> bool:
        return any(report.habit.id == habit_id for report in self._reports())

    def _refresh_list(self) -> None:
        """Bring the list up to date in place, so that the items the view holds stay valid."""
        reports = self._reports()
        wanted = [report.habit.id for report in reports]
        self._updating_list = True
        try:
            for row in reversed(range(self._list.count())):
                if self._list.item(row).data(_ID_ROLE) not in wanted:
                    self._list.takeItem(row)
            for row, report in enumerate(reports):
                item = self._item_for(report.habit.id)
                if item is None:
                    item = QListWidgetItem()
                    self._list.insertItem(row, item)
                elif self._list.row(item) != row:
                    self._list.takeItem(self._list.row(item))
                    self._list.insertItem(row, item)
                self._fill_item(item, report)
            self._select_in_list(None if self._creating else self._current_id)
        finally:
            self._updating_list = False

    def _item_for(self, habit_id: str | None) -> QListWidgetItem | None:
        for row in range(self._list.count()):
            item = self._list.item(row)
            if item.data(_ID_ROLE) == habit_id:
                return item
        return None

    def _fill_item(self, item: QListWidgetItem, report: HabitReport) -> None:
        habit = report.habit
        badges = {
            State.LEARNING: self.tr("learning"),
            State.GRADUATED: self.tr("reminder retired"),
            State.ARCHIVED: self.tr("archived"),
        }
        detail = self.tr("{schedule} · score {score}").format(
            schedule=describe_schedule(habit.schedule), score=format_score(report.score)
        )
        item.setData(Qt.ItemDataRole.DisplayRole, habit.name)
        item.setData(_ID_ROLE, habit.id)
        item.setData(_BADGE_ROLE, badges[habit.state])
        item.setData(_DETAIL_ROLE, detail)
        item.setData(_STATE_ROLE, habit.state.value)
        item.setData(
            Qt.ItemDataRole.AccessibleTextRole,
            self.tr("{name}, {state}, {detail}").format(
                name=habit.name, state=badges[habit.state], detail=detail
            ),
        )
        item.setToolTip(habit.why or habit.name)

    def _select_in_list(self, habit_id: str | None) -> None:
        was_updating = self._updating_list
        self._updating_list = True
        try:
            item = self._item_for(habit_id) if habit_id else None
            if item is None:
                self._list.setCurrentRow(-1)
                self._list.clearSelection()
            else:
                self._list.setCurrentItem(item)
        finally:
            self._updating_list = was_updating

    # -- the form ---------------------------------------------------------------------------------

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

    def _load(self, report: HabitReport) -> None:
        habit = report.habit
        self._loading = True
        try:
            self._name.setText(habit.name)
            self._why.setText(habit.why)
            today = self._today()
            self._start.setMinimumDate(_qdate(min(habit.schedule.start, earliest_start(today))))
            self._start.setDate(_qdate(habit.schedule.start))
            self._start_hint.setText("")
            self._start_hint.hide()
            self._schedule.set_schedule(habit.schedule)
        finally:
            self._loading = False
        self._start_touched = False
        self._baseline = self._snapshot()
        self._title.setText(habit.name)
        self._tabs.setTabEnabled(1, True)
        self._progress.show_report(report)
        archived = habit.state is State.ARCHIVED
        self._archive.setVisible(not archived)
        self._restore.setVisible(archived)
        self._delete.setVisible(True)
        self._revert.setVisible(True)
        self._update_buttons()

    def _start_new(self, name: str, rule: str | None, at: time | None, why: str) -> None:
        self._creating = True
        self._current_id = None
        self._baseline = None
        self._select_in_list(None)
        today = self._today()
        schedule = Schedule("FREQ=DAILY", at or _DEFAULT_TIME, today)
        custom_text = ""
        if rule is not None:
            try:
                normalized, rule_at = normalize_rule(rule, at)
                schedule = Schedule(normalized, rule_at, today)
            except ScheduleError:
                custom_text = rule  # shown as a custom rule, with the reason it cannot be used
        self._loading = True
        try:
            self._name.setText(name)
            self._why.setText(why)
            self._start.setMinimumDate(_qdate(earliest_start(today)))
            self._start.setDate(_qdate(today))
            self._schedule.set_schedule(schedule)
            if custom_text:
                self._schedule.custom_edit().setText(custom_text)
                self._schedule.set_repeat(Repeat.CUSTOM)
        finally:
            self._loading = False
        self._start_touched = False
        self._start_hint.setText(
            self.tr("If today's reminder time has already passed, the habit starts tomorrow.")
        )
        self._start_hint.show()
        self._title.setText(self.tr("New habit"))
        self._tabs.setTabEnabled(1, False)
        self._tabs.setCurrentIndex(0)
        for button in (self._archive, self._restore, self._delete, self._revert):
            button.setVisible(False)
        self._message.hide()
        self._update_buttons()
        self._name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _snapshot(self) -> _Snapshot:
        try:
            rule, at = self._schedule.rule_and_time()
        except ScheduleError as error:
            rule, at = "!" + str(error), None
        start = _pydate(self._start.date())
        return (" ".join(self._name.text().split()), self._why.text().strip(), rule, at, start)

    def _is_dirty(self) -> bool:
        if self._creating:
            return bool(self._name.text().strip() or self._why.text().strip())
        return self._baseline is not None and self._snapshot() != self._baseline

    def _problem(self) -> str:
        """Why the form cannot be saved now, or empty."""
        if not self._name.text().strip():
            return self.tr("Give the habit a name.")
        return self._schedule.error()

    def _update_buttons(self) -> None:
        dirty = self._is_dirty()
        problem = self._problem()
        self._save.setEnabled(not problem and (self._creating or dirty))
        self._save.setToolTip(problem or self.tr("Save (Ctrl+S)"))
        self._revert.setEnabled(dirty)

    def _save_form(self) -> bool:
        """Save the form; False (with the reason shown) when refused."""
        problem = self._problem()
        if problem:
            self._say(problem, error=True)
            return False
        if not self._creating and not self._is_dirty():
            return True
        rule, at = self._schedule.rule_and_time()
        name = self._name.text()
        why = self._why.text()
        start: date | None = _pydate(self._start.date())
        if self._creating:
            if not self._start_touched and start == self._today():
                start = None  # the core's default: today, or tomorrow if today's reminder has passed
            habit = self._model.add_habit(name, rule, at, why=why, start=start, by=self)
        else:
            habit_id = self._current_id or ""
            habit = self._model.update_habit(
                habit_id, name=name, rule=rule, at=at, why=why, start=start, by=self
            )
        if habit is None:
            return False
        self._creating = False
        self._current_id = habit.id
        self._refresh_list()
        self._reload_current()
        self._say(self.tr("Saved “{name}”.").format(name=habit.name))
        return True

    def _settle_unsaved(self) -> bool:
        """Ask what to do with unsaved changes; False when the user wants to stay."""
        if not self._is_dirty():
            return True
        name = " ".join(self._name.text().split()) or self.tr("the new habit")
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("Save the changes to “{name}”?").format(name=name),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self._save_form()
        if answer == QMessageBox.StandardButton.Discard:
            self._baseline = self._snapshot()
            if self._creating:
                self._loading = True
                self._name.clear()
                self._why.clear()
                self._loading = False
            return True
        return False

    # -- helpers ----------------------------------------------------------------------------------

    def move_selected(self, step: int) -> None:
        """Move the selected habit *step* places up (negative) or down in the person's order."""
        order = [self._list.item(row).data(_ID_ROLE) for row in range(self._list.count())]
        if self._creating or self._current_id not in order:
            return
        row = order.index(self._current_id)
        target = row + step
        if not 0 <= target < len(order) or target == row:
            return
        order.insert(target, order.pop(row))
        self._reorder(order)

    def _reorder(self, order: list[str]) -> None:
        if self._model.reorder(order, by=self) is None:
            self._refresh_list()  # refused: the list shows the order kept
        self._select_in_list(None if self._creating else self._current_id)

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
        palette = self.palette()
        if error:
            palette.setColor(QPalette.ColorRole.WindowText, error_colour(palette))
        self._message.setPalette(palette)
        self._message.setText(text)
        self._message.show()

    def _today(self) -> date:
        return self._model.today()

    def _present(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())
