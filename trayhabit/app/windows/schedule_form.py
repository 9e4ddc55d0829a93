"""The schedule part of the habit form: how often, on which days, at what time, and a preview.

The repeats are the ones Outlook offers: every day and every weekday one click away, then every N
days, every N weeks on chosen days, every N months on a date or on "the second Tuesday", every N years
on a date, and any other iCalendar rule as an advanced choice ("Other (rule)…").

Rules are built with the same core functions the command line uses (:func:`rule_from_every`,
:func:`normalize_rule`), so a habit made here has the very RRULE that ``trayhabit add --every ...``
would give it, and every refusal is the core's :class:`ScheduleError` with its message. A habit's rule
loads back into the controls that make it; a rule they cannot make loads as the advanced rule, as is.

The form also says what a start date in the past does (:meth:`ScheduleForm.past_note_label`): the
occurrences it puts in the past count as missed unless back-filled.

The form is put together from parts in their own modules: its fields (:mod:`.schedule_fields`), the
rule they make and the fields set from a rule (:mod:`.schedule_rules`), and the preview and the
note (:mod:`.schedule_preview`). This module lays them out, wires them and keeps them in step.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, time, timedelta

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.schedule_fields import ScheduleFields, buddy_label, selectable_label, unit_word
from trayhabit.app.windows.schedule_preview import SchedulePreview
from trayhabit.app.windows.schedule_rules import UNITS, Repeat, ScheduleRules
from trayhabit.app.windows.theme import error_colour, tint
from trayhabit.app.windows.time_edit import TimeEdit
from trayhabit.core.model import Schedule
from trayhabit.core.schedule import WEEKDAY_CODES, ScheduleError, make_schedule

# How far back a start date may go; "Earlier…" back-fills only the last two weeks or so anyway.
EARLIEST_START_DAYS = 5 * 366


def earliest_start(today: date) -> date:
    """The earliest start date the form offers."""
    return today - timedelta(days=EARLIEST_START_DAYS)


class ScheduleForm(ScheduleFields, ScheduleRules, SchedulePreview, QWidget):
    """Repeat, interval, days and reminder time, with validation and the next five reminders in words.

    The start date comes from outside (:meth:`set_start`): until the user picks the days, a weekly,
    monthly or yearly repeat falls on the start date's weekday, day of the month or date, as on the
    command line.

    Signals:
        changed(): the user changed anything; read :meth:`rule_and_time` or :meth:`error`.
    """

    changed = Signal()

    def __init__(self, model: HabitsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._start = self._today()
        # The start the habit was saved with (a new habit's: today); only earlier days add misses.
        self._saved_start = self._start
        self._error = ""
        self._last_repeat = Repeat.DAILY
        # True while the days shown are the start date's, not ones the user or the habit chose.
        self._days_follow_start = True

        self._repeat = self._make_repeat()
        self._repeat.setObjectName("repeat")
        self._intervals = {repeat: self._make_interval(repeat) for repeat in UNITS}
        self._units: dict[Repeat, QLabel] = {}  # "weeks" after the number, filled in by _interval_row
        self._day_buttons: list[QCheckBox] = []
        days_row = self._make_days_row()
        month_box = self._make_month_box()
        year_row = self._make_year_row()
        self._custom = self._make_custom()
        self._custom.setObjectName("custom_rule")
        custom_box = self._make_custom_box()
        self._time = TimeEdit()
        self._time.setObjectName("reminder_time")
        self._time.setTime(QTime(9, 0))
        self._time.setAccessibleName(self.tr("Reminder time"))
        self._error_label = selectable_label(self.tr("Schedule problem"))
        self._error_label.setObjectName("schedule_error")
        tint(self._error_label, error_colour)
        self._preview = selectable_label(self.tr("Next reminders"))
        self._preview.setObjectName("schedule_preview")
        # Shown by the habit form under its start date, which it is about.
        self._past_note = selectable_label(self.tr("About the start date"))
        self._past_note.setObjectName("past_start_note")
        # As wide as the row under the date it goes in, not as narrow as a wrapped label asks for.
        self._past_note.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._past_note.hide()

        self._lay_out(days_row, month_box, year_row, custom_box)
        self._seed_days_from_start()

        self._repeat.currentIndexChanged.connect(self._on_repeat_current_index_changed)
        for spin in self._intervals.values():
            spin.valueChanged.connect(self._on_input_changed)
        for button in self._day_buttons:
            button.toggled.connect(self._on_days_edited)
        self._month_day.valueChanged.connect(self._on_days_edited)
        self._last_day.toggled.connect(self._on_days_edited)
        self._on_weekday.toggled.connect(self._on_days_edited)
        self._position.currentIndexChanged.connect(self._on_days_edited)
        self._position_day.currentIndexChanged.connect(self._on_days_edited)
        self._year_month.currentIndexChanged.connect(self._on_year_month_current_index_changed)
        self._year_day.valueChanged.connect(self._on_days_edited)
        self._custom.textChanged.connect(self._on_input_changed)
        self._time.timeChanged.connect(self._on_input_changed)
        self._update()

    def _lay_out(self, days_row: QWidget, month_box: QWidget, year_row: QWidget, custom_box: QWidget) -> None:
        self._form = QFormLayout()
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._form.addRow(buddy_label(self.tr("&Repeats:"), self._repeat), self._repeat)
        # The rows that only some repeats need, with the repeats that show them.
        self._rows: list[tuple[int, tuple[Repeat, ...]]] = []
        for repeat, spin in self._intervals.items():
            self._add_row(self.tr("Ever&y:"), spin, self._interval_row(repeat, spin), (repeat,))
        self._add_row(self.tr("&Falls on:"), self._day_buttons[0], days_row, (Repeat.WEEKLY,))
        self._add_row(self.tr("&Falls on:"), self._on_month_day, month_box, (Repeat.MONTHLY,))
        self._add_row(self.tr("&Falls on:"), self._year_day, year_row, (Repeat.YEARLY,))
        self._add_row(self.tr("R&ule:"), self._custom, custom_box, (Repeat.CUSTOM,))
        self._form.addRow(buddy_label(self.tr("Reminder &time:"), self._time), self._time)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._form)
        layout.addWidget(self._error_label)
        layout.addWidget(self._preview)

    def _add_row(self, text: str, buddy: QWidget, field: QWidget, owners: tuple[Repeat, ...]) -> None:
        self._rows.append((self._form.rowCount(), owners))
        self._form.addRow(buddy_label(text, buddy), field)

    # -- public -----------------------------------------------------------------------------------

    def repeat(self) -> Repeat:
        """The repeat the user chose."""
        return Repeat(self._repeat.currentData())

    def set_repeat(self, repeat: Repeat) -> None:
        """Choose a repeat (the rows that belong to it appear)."""
        self._repeat.setCurrentIndex(self._repeat.findData(repeat.value))

    def set_days(self, codes: list[str]) -> None:
        """Tick the chosen weekdays, by RRULE code (``["MO", "WE"]``)."""
        for code, button in zip(WEEKDAY_CODES, self._day_buttons, strict=True):
            button.setChecked(code in codes)

    def time_edit(self) -> TimeEdit:
        """The reminder time field."""
        return self._time

    def custom_edit(self) -> QLineEdit:
        """The advanced rule's field."""
        return self._custom

    def first_field(self) -> QWidget:
        """The field keyboard focus enters the form at."""
        return self._repeat

    def past_note_label(self) -> QLabel:
        """The note on a start date in the past, for the habit form to show under its date."""
        return self._past_note

    def set_time(self, at: time) -> None:
        """Set the reminder time."""
        self._time.setTime(QTime(at.hour, at.minute, at.second))

    def start(self) -> date:
        """The start date the rules and the preview use."""
        return self._start

    def set_start(self, start: date) -> None:
        """Use *start* for the days that follow it, the preview, the validity check and the note."""
        if start != self._start:
            self._start = start
            if self._days_follow_start:
                self._seed_days_from_start()
            self._update()
            self.changed.emit()

    def rule_and_time(self) -> tuple[str, time]:
        """The canonical RRULE and reminder time; raises :class:`ScheduleError` when invalid."""
        rule, at = self._compose()
        make_schedule(rule, at, self._start)
        return rule, at

    def error(self) -> str:
        """Why the schedule cannot be saved, in the user's words; empty when it can."""
        return self._error

    def set_schedule(self, schedule: Schedule) -> None:
        """Show a habit's schedule in the controls that make its rule, else as the advanced rule.

        *schedule*'s start is taken as the saved one: only an earlier start puts more in the past.
        """
        widgets: list[QWidget] = [self._repeat, self._custom, self._time, *self._intervals.values()]
        widgets += [self._month_day, self._last_day, self._on_month_day, self._on_weekday]
        widgets += [self._position, self._position_day, self._year_month, self._year_day]
        widgets += self._day_buttons
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self._start = self._saved_start = schedule.start
            self.set_time(schedule.at)
            for spin in self._intervals.values():
                spin.setValue(spin.minimum())
            self._seed_days_from_start()
            repeat = self._match(schedule.rrule)
            # Empty unless it is the rule: choosing "Other (rule)…" later starts from what the form shows.
            self._custom.setText(schedule.rrule if repeat is Repeat.CUSTOM else "")
            self.set_repeat(repeat)
            # Days the rule names stay put when the start moves; the start's own follow it.
            self._days_follow_start = repeat not in (Repeat.WEEKLY, Repeat.MONTHLY, Repeat.YEARLY)
            if repeat is not Repeat.CUSTOM:
                self._last_repeat = repeat
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._update()

    def refresh(self) -> None:
        """Recompute the preview (the clock moved or the settings changed)."""
        self._update()

    # -- slots ------------------------------------------------------------------------------------

    def _on_repeat_current_index_changed(self, _index: int) -> None:
        repeat = self.repeat()
        if repeat is Repeat.CUSTOM and not self._custom.text().strip():
            # Start the rule from what the form showed, so the user edits rather than types.
            try:
                seed = self._rule_for(self._last_repeat)
            except ScheduleError:
                seed = ""
            self._custom.blockSignals(True)
            self._custom.setText(seed)
            self._custom.blockSignals(False)
        if repeat is not Repeat.CUSTOM:
            self._last_repeat = repeat
        self._on_input_changed()

    def _on_days_edited(self, *_args: object) -> None:
        self._days_follow_start = False
        self._on_input_changed()

    def _on_year_month_current_index_changed(self, _index: int) -> None:
        self._fit_year_day()
        self._on_days_edited()

    def _on_input_changed(self, *_args: object) -> None:
        self._update()
        self.changed.emit()

    # -- helpers ----------------------------------------------------------------------------------

    def _today(self) -> date:
        return self._model.today()

    def _seed_days_from_start(self) -> None:
        """Show the start date's weekday, day of the month, place in the month and date."""
        widgets = [*self._day_buttons, self._month_day, self._last_day, self._on_month_day, self._on_weekday]
        widgets += [self._position, self._position_day, self._year_month, self._year_day]
        blocked = [widget.blockSignals(True) for widget in widgets]
        try:
            start = self._start
            self.set_days([WEEKDAY_CODES[start.weekday()]])
            self._month_day.setValue(start.day)
            self._last_day.setChecked(False)
            self._on_month_day.setChecked(True)
            week = (start.day - 1) // 7 + 1
            self._position.setCurrentIndex(self._position.findData(week if week <= 4 else -1))
            self._position_day.setCurrentIndex(start.weekday())
            self._year_month.setCurrentIndex(start.month - 1)
            self._fit_year_day()
            self._year_day.setValue(start.day)
        finally:
            for widget, was in zip(widgets, blocked, strict=True):
                widget.blockSignals(was)

    def _fit_year_day(self) -> None:
        # A leap year has every date there is: 29 February stays a choice (it comes every fourth year).
        self._year_day.setMaximum(monthrange(2000, int(self._year_month.currentData()))[1])

    def _show_rows(self) -> None:
        repeat = self.repeat()
        for owner, unit in self._units.items():
            unit.setText(unit_word(UNITS[owner], self._intervals[owner].value()))
        for row, owners in self._rows:
            self._form.setRowVisible(row, repeat in owners)
        by_date = self._on_month_day.isChecked()
        # Tab enters the pair at the chosen one (the arrow keys move between them). Qt sees to this
        # only once a radio button has had focus, not after one is chosen from a habit's rule.
        for radio in (self._on_month_day, self._on_weekday):
            policy = Qt.FocusPolicy.StrongFocus if radio.isChecked() else Qt.FocusPolicy.ClickFocus
            radio.setFocusPolicy(policy)
        self._month_day.setEnabled(by_date and not self._last_day.isChecked())
        self._last_day.setEnabled(by_date)
        self._position.setEnabled(not by_date)
        self._position_day.setEnabled(not by_date)
        self._time.setEnabled(not (repeat is Repeat.CUSTOM and self._custom_sets_time()))

    def _custom_sets_time(self) -> bool:
        return "BYHOUR" in self._custom.text().upper()

    def _update(self) -> None:
        self._show_rows()
        try:
            rule, at = self.rule_and_time()
        except ScheduleError as error:
            self._error = str(error)
            self._error_label.setText(self._error)
            self._error_label.setVisible(True)
            self._preview.setText("")
            self._preview.setVisible(False)
            self._show_past_note(None)
            return
        self._error = ""
        self._error_label.setText("")
        self._error_label.setVisible(False)
        if not self._time.isEnabled():
            self._time.blockSignals(True)
            self.set_time(at)
            self._time.blockSignals(False)
        schedule = make_schedule(rule, at, self._start)
        self._preview.setText(self._describe(schedule))
        self._preview.setVisible(True)
        self._show_past_note(schedule)
