"""The habits window's list: every habit with its state badge, schedule and score, in the person's order.

:class:`HabitListPane` is the part of :class:`~trayhabit.app.windows.habits.HabitsWindow` that builds
the left side (the list, "Show archived", "New habit", "Import from calendar…"), keeps the list up to
date in place and moves a habit in the order, by dragging or with Alt+Up and Alt+Down.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QDropEvent, QFont, QFontMetrics, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from trayhabit.app.formatting import format_score
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.task_progress import TaskProgress
from trayhabit.core.describe import describe_schedule
from trayhabit.core.model import State
from trayhabit.core.report import HabitReport

if TYPE_CHECKING:
    # Type checkers see the widget the pane is mixed into; at run time it is a plain mixin.
    from PySide6.QtWidgets import QWidget as _Mixin
else:
    _Mixin = object

# The habit's id, on each item of the list.
ID_ROLE = Qt.ItemDataRole.UserRole

_BADGE_ROLE = Qt.ItemDataRole.UserRole + 1

_DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2

_STATE_ROLE = Qt.ItemDataRole.UserRole + 3


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


class HabitListPane(_Mixin):
    """The left side of the habits window: the list of habits and the buttons under it.

    A mixin of :class:`~trayhabit.app.windows.habits.HabitsWindow`, whose state it shares.
    """

    _model: HabitsModel
    _current_id: str | None
    _creating: bool
    _updating_list: bool

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
                if self._list.item(row).data(ID_ROLE) not in wanted:
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
            if item.data(ID_ROLE) == habit_id:
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
        item.setData(ID_ROLE, habit.id)
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

    def move_selected(self, step: int) -> None:
        """Move the selected habit *step* places up (negative) or down in the person's order."""
        order = [self._list.item(row).data(ID_ROLE) for row in range(self._list.count())]
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

    def _on_list_dropped(self) -> None:
        self._reorder([self._list.item(row).data(ID_ROLE) for row in range(self._list.count())])

    def _on_move_up_triggered(self) -> None:
        self.move_selected(-1)

    def _on_move_down_triggered(self) -> None:
        self.move_selected(1)

    def _on_show_archived_toggled(self, _checked: bool) -> None:
        self._refresh_list()
        if self._current_id is not None and not self._creating and not self._listed(self._current_id):
            self._select_first_or_new()

    # What this part calls on the rest of the window, for type checkers. Kept last in the class:
    # pyside6-lupdate loses the class's translation context after a def inside an if.
    if TYPE_CHECKING:

        def show_error(self, message: str) -> None: ...
        def _open(self, habit_id: str) -> None: ...
        def _select_first_or_new(self) -> None: ...
