"""The habits window's "Habit" tab: a habit's name, why, schedule and start date, and its buttons.

:class:`HabitFormTab` is the part of :class:`~trayhabit.app.windows.habits.HabitsWindow` that builds
the form, fills it from a habit (or for a new one), tells whether it holds unsaved edits or a
problem, saves it through the model and asks what to do with unsaved edits.
"""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from trayhabit.app.datetime_text import LONG_DATE_PATTERN
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.titles import window_title
from trayhabit.app.windows.habit_progress import HabitProgress
from trayhabit.app.windows.schedule_form import ScheduleForm, earliest_start
from trayhabit.app.windows.schedule_rules import Repeat
from trayhabit.core.model import Schedule, State
from trayhabit.core.report import HabitReport
from trayhabit.core.schedule import ScheduleError, normalize_rule
from trayhabit.core.service import MAX_NAME_LENGTH

if TYPE_CHECKING:
    # Type checkers see the widget the tab is mixed into; at run time it is a plain mixin.
    from PySide6.QtWidgets import QWidget as _Mixin
else:
    _Mixin = object

_DEFAULT_TIME = time(9, 0)

# What the form holds, to tell whether the user changed anything: name, why, rule, time, start.
_Snapshot = tuple[str, str, str, time | None, date]


class HabitFormTab(_Mixin):
    """The "Habit" tab of the habits window: the form that creates or edits one habit.

    A mixin of :class:`~trayhabit.app.windows.habits.HabitsWindow`, whose state it shares.
    """

    _model: HabitsModel
    _current_id: str | None
    _creating: bool
    _baseline: _Snapshot | None
    _start_touched: bool
    _loading: bool
    _title: QLabel
    _message: QLabel
    _tabs: QTabWidget
    _progress: HabitProgress

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
        # The role, not its colour now: the hint follows a switch between light and dark.
        self._start_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
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
            window_title(self.tr("Unsaved changes")),
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

    # What this part calls on the rest of the window, for type checkers. Kept last in the class:
    # pyside6-lupdate loses the class's translation context after a def inside an if.
    if TYPE_CHECKING:

        def show_error(self, message: str) -> None: ...
        def _select_in_list(self, habit_id: str | None) -> None: ...
        def _refresh_list(self) -> None: ...
        def _reload_current(self) -> None: ...
        def _say(self, text: str, *, error: bool = False) -> None: ...
        def _today(self) -> date: ...


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())
