"""The check-off window's list: one row per open habit, those open now first, then the "Later" group.

:class:`CheckOffList` builds the scrolling list, redraws it from the model's reports (only the
rows a change touches), keeps the selection and the keyboard moving between rows, and opens and
closes the group of habits whose reminder is weeks away.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.checkoff_row import CheckOffRow
from trayhabit.core.report import HabitReport

if TYPE_CHECKING:
    # Type checkers see the widget this part is mixed into; at run time it is a plain mixin.
    from PySide6.QtWidgets import QWidget as _Mixin
else:
    _Mixin = object


# A habit whose reminder is further away than this is listed under "Later", collapsed: its window
# is open (a check-off now counts as before the reminder), but it is not what today is about.
LATER_AFTER = timedelta(days=14)


class CheckOffList(_Mixin):
    """The rows of the check-off window, their order, the "Later" group and the selected row.

    A mixin of :class:`~trayhabit.app.windows.checkoff.CheckOffWindow`, whose state it shares.
    """

    _model: HabitsModel
    _rows: dict[str, CheckOffRow]
    _order: list[str]
    _later: list[str]
    _selected: str | None
    undo_button: QPushButton
    skip_button: QPushButton
    earlier_button: QPushButton
    note_button: QPushButton
    habits_button: QPushButton
    close_button: QPushButton

    def _build_list(self) -> QWidget:
        # The list: one card per open occurrence, in a scroll area. The rows take the keyboard focus
        # themselves, so the scroll area does not.
        self._list = QWidget(self)
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(0, 0, 0, 0)
        self._list_layout.setSpacing(6)
        self.later_toggle = QToolButton(self._list)
        self.later_toggle.setObjectName("later_toggle")
        self.later_toggle.setCheckable(True)
        self.later_toggle.setAutoRaise(True)
        self.later_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.later_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.later_toggle.setToolTip(
            self.tr("Habits whose reminder is more than two weeks away; ticked off now, they count in full")
        )
        self.later_toggle.toggled.connect(self._on_later_toggle_toggled)
        self.later_toggle.hide()
        self._list_layout.addWidget(self.later_toggle)
        self._list_layout.addStretch(1)
        self.list_area = QScrollArea(self)
        self.list_area.setWidgetResizable(True)
        self.list_area.setFrameShape(QFrame.Shape.NoFrame)
        self.list_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list_area.setWidget(self._list)
        self.list_area.setAccessibleName(self.tr("Open habits"))
        return self.list_area

    def refresh(self, habit_ids: frozenset[str] | None = None) -> None:
        """Redraw from the model's reports, keeping the selection: the rows of *habit_ids* (and
        rows that come or go), or every row."""
        now = self._model.now()
        zone = self._model.zone
        reports = self._model.reports()
        open_reports = [report for report in reports if report.current is not None]
        soon = [report for report in open_reports if not _is_later(report, now)]
        later = sorted(
            (report for report in open_reports if _is_later(report, now)),
            key=_reminder_utc,
        )
        ids = [report.habit.id for report in soon + later]

        focus = QApplication.focusWidget()
        list_had_focus = focus is not None and self._list.isAncestorOf(focus)
        old_index = self._order.index(self._selected) if self._selected in self._order else 0
        for habit_id in [habit_id for habit_id in self._rows if habit_id not in ids]:
            row = self._rows.pop(habit_id)
            self._list_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        for report in open_reports:
            existing = self._rows.get(report.habit.id)
            if existing is not None and habit_ids is not None and report.habit.id not in habit_ids:
                continue  # untouched by the change: it shows what it showed
            row = existing or self._make_row(report.habit.id)
            row.show_report(report, now, zone)
        later_ids = [report.habit.id for report in later]
        if ids != self._order or later_ids != self._later:
            for habit_id in ids:
                self._list_layout.removeWidget(self._rows[habit_id])
            self._list_layout.removeWidget(self.later_toggle)
            widgets: list[QWidget] = [self._rows[habit_id] for habit_id in ids[: len(soon)]]
            widgets.append(self.later_toggle)
            widgets += [self._rows[habit_id] for habit_id in later_ids]
            for index, widget in enumerate(widgets):
                self._list_layout.insertWidget(index, widget)
            self._order = ids
            self._later = later_ids
            self._chain_tab_order()
        self._show_later_group()

        shown = self._shown_order()
        if self._selected not in shown:
            self._selected = shown[min(old_index, len(shown) - 1)] if shown else None
        self._select(self._selected, focus=list_had_focus and self._selected is not None)
        self._show_page(bool(self._model.reports(include_archived=True)), bool(ids))
        self._schedule_refresh(open_reports, now)

    def _make_row(self, habit_id: str) -> CheckOffRow:
        row = CheckOffRow(habit_id, self._list)
        row.toggle_requested.connect(self._on_row_toggle_requested)
        row.check_off_requested.connect(self._on_row_check_off_requested)
        row.selected.connect(self._on_row_selected)
        row.moved.connect(self._on_row_moved)
        self._rows[habit_id] = row
        return row

    def _chain_tab_order(self) -> None:
        # New rows join the end of the Tab chain, after the buttons; put the list first. Only the
        # selected row's check box takes Tab focus (see CheckOffRow.set_selected).
        soon = [habit_id for habit_id in self._order if habit_id not in self._later]
        chain: list[QWidget] = [self._rows[habit_id].check_box for habit_id in soon]
        chain.append(self.later_toggle)
        chain += [self._rows[habit_id].check_box for habit_id in self._later]
        chain += [self.undo_button, self.skip_button, self.earlier_button, self.note_button]
        chain += [self.habits_button, self.close_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _select(self, habit_id: str | None, *, focus: bool) -> None:
        self._selected = habit_id
        for row_id, row in self._rows.items():
            row.set_selected(row_id == habit_id)
        selected = self._rows.get(habit_id) if habit_id else None
        if selected is not None:
            if focus:
                selected.check_box.setFocus(Qt.FocusReason.OtherFocusReason)
            self.list_area.ensureWidgetVisible(selected)
        self._update_actions()

    def _shown_order(self) -> list[str]:
        """The listed habits whose rows show (the later ones only while the group is open)."""
        if self.later_toggle.isChecked():
            return list(self._order)
        return [habit_id for habit_id in self._order if habit_id not in self._later]

    def _first_unchecked(self) -> str | None:
        for habit_id in self._shown_order():
            report = self._model.report(habit_id)
            if report is not None and report.current is not None and report.current.outcome is None:
                return habit_id
        shown = self._shown_order()
        return shown[0] if shown else None

    def _on_row_toggle_requested(self, habit_id: str) -> None:
        self._toggle(habit_id)

    def _on_row_check_off_requested(self, habit_id: str) -> None:
        self._check_off(habit_id)

    def _on_row_selected(self, habit_id: str) -> None:
        if habit_id != self._selected:
            self._select(habit_id, focus=False)

    def _on_row_moved(self, step: int) -> None:
        shown = self._shown_order()
        if not shown:
            return
        index = shown.index(self._selected) if self._selected in shown else 0
        if index + step >= len(shown) and self._later and not self.later_toggle.isChecked():
            self.later_toggle.setFocus(Qt.FocusReason.OtherFocusReason)  # down past the last: the group
            return
        index = max(0, min(len(shown) - 1, index + step))
        self._select(shown[index], focus=True)

    def _on_later_toggle_toggled(self, expanded: bool) -> None:
        self._show_later_group()
        if expanded and self._later:
            self._select(self._later[0], focus=self.later_toggle.hasFocus())
        elif not expanded and self._selected in self._later:
            shown = self._shown_order()
            self._select(shown[-1] if shown else None, focus=False)
            self.later_toggle.setFocus(Qt.FocusReason.OtherFocusReason)

    # What this part calls on the rest of the window, for type checkers. Kept last in the class:
    # pyside6-lupdate loses the class's translation context after a def inside an if.
    if TYPE_CHECKING:

        def _toggle(self, habit_id: str) -> None: ...
        def _show_later_group(self) -> None: ...
        def _check_off(self, habit_id: str) -> None: ...
        def _update_actions(self) -> None: ...
        def _show_page(self, any_habits: bool, any_open: bool) -> None: ...
        def _schedule_refresh(self, reports: list[HabitReport], now: datetime) -> None: ...


def _reminder_utc(report: HabitReport) -> datetime:
    current = report.current
    assert current is not None
    return current.occurrence.reminder.astimezone(UTC)


def _is_later(report: HabitReport, now: datetime) -> bool:
    """Whether *report*'s open occurrence reminds more than :data:`LATER_AFTER` from *now*."""
    return report.current is not None and _reminder_utc(report) - now.astimezone(UTC) > LATER_AFTER
