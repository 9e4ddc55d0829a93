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
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTime, Signal
from PySide6.QtGui import QColor, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from trayhabit.app.datetime_text import clock_text, long_day_text
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.backfill import MAX_OFFERED
from trayhabit.app.windows.time_edit import TimeEdit
from trayhabit.core.days import format_time_of_day
from trayhabit.core.describe import schedule_in_words
from trayhabit.core.i18n import ngettext
from trayhabit.core.model import Schedule
from trayhabit.core.schedule import (
    WEEKDAY_CODES,
    ScheduleError,
    Timeline,
    closed_before,
    make_schedule,
    normalize_rule,
    rule_from_every,
)

PREVIEW_COUNT = 5
# rule_from_every's words for the days, Monday first (the CLI's --on spelling).
_DAY_WORDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAYS_RULE = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
# "The second Tuesday": the positions Outlook offers, first to fourth and the last.
POSITIONS = (1, 2, 3, 4, -1)
MAX_INTERVAL = 99
MAX_DAYS_INTERVAL = 365
# Where the iCalendar rule is defined, for the advanced choice's hint.
RRULE_REFERENCE = "https://www.rfc-editor.org/rfc/rfc5545#section-3.3.10"
# How far back a start date may go; "Earlier…" back-fills only the last two weeks or so anyway.
EARLIEST_START_DAYS = 5 * 366


class Repeat(StrEnum):
    """The ways a habit can repeat, as the form offers them."""

    DAILY = "daily"
    WEEKDAYS = "weekdays"
    EVERY_N_DAYS = "every_n_days"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    YEARLY = "yearly"
    CUSTOM = "custom"


# The unit each repeat counts its interval in, the CLI's word for it (``--every 3-months``).
_UNITS = {
    Repeat.EVERY_N_DAYS: "days",
    Repeat.WEEKLY: "weeks",
    Repeat.MONTHLY: "months",
    Repeat.YEARLY: "years",
}


def earliest_start(today: date) -> date:
    """The earliest start date the form offers."""
    return today - timedelta(days=EARLIEST_START_DAYS)


def error_colour(palette: QPalette) -> QColor:
    """A red that reads well on the palette's window colour, light theme or dark."""
    return (
        QColor("#ff7b72") if palette.color(QPalette.ColorRole.Window).lightness() < 128 else QColor("#c62828")
    )


def plain_reminder_time(when: datetime, today: date) -> str:
    """A reminder instant (already in local time) in words: "today at 09:00", "Monday 30 November at 09:00"."""
    clock = clock_text(when)
    day = when.date()
    if day == today:
        return QCoreApplication.translate("ScheduleForm", "today at {time}").format(time=clock)
    if day.toordinal() == today.toordinal() + 1:
        return QCoreApplication.translate("ScheduleForm", "tomorrow at {time}").format(time=clock)
    words = long_day_text(QLocale(), day, today)
    return QCoreApplication.translate("ScheduleForm", "{day} at {time}").format(day=words, time=clock)


def _unit_word(unit: str, count: int) -> str:
    """ "days", "weeks"... after the interval's number, in the number the count needs."""
    words = {
        "days": ngettext("day", "days", count),
        "weeks": ngettext("week", "weeks", count),
        "months": ngettext("month", "months", count),
    }
    return words.get(unit, ngettext("year", "years", count))


class ScheduleForm(QWidget):
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
        self._intervals = {repeat: self._make_interval(repeat) for repeat in _UNITS}
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
        self._error_label = _selectable_label(self.tr("Schedule problem"))
        self._error_label.setObjectName("schedule_error")
        palette = self._error_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, error_colour(palette))
        self._error_label.setPalette(palette)
        self._preview = _selectable_label(self.tr("Next reminders"))
        self._preview.setObjectName("schedule_preview")
        # Shown by the habit form under its start date, which it is about.
        self._past_note = _selectable_label(self.tr("About the start date"))
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
        self._form.addRow(_buddy(self.tr("&Repeats:"), self._repeat), self._repeat)
        # The rows that only some repeats need, with the repeats that show them.
        self._rows: list[tuple[int, tuple[Repeat, ...]]] = []
        for repeat, spin in self._intervals.items():
            self._add_row(self.tr("Ever&y:"), spin, self._interval_row(repeat, spin), (repeat,))
        self._add_row(self.tr("&Falls on:"), self._day_buttons[0], days_row, (Repeat.WEEKLY,))
        self._add_row(self.tr("&Falls on:"), self._on_month_day, month_box, (Repeat.MONTHLY,))
        self._add_row(self.tr("&Falls on:"), self._year_day, year_row, (Repeat.YEARLY,))
        self._add_row(self.tr("R&ule:"), self._custom, custom_box, (Repeat.CUSTOM,))
        self._form.addRow(_buddy(self.tr("Reminder &time:"), self._time), self._time)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._form)
        layout.addWidget(self._error_label)
        layout.addWidget(self._preview)

    def _add_row(self, text: str, buddy: QWidget, field: QWidget, owners: tuple[Repeat, ...]) -> None:
        self._rows.append((self._form.rowCount(), owners))
        self._form.addRow(_buddy(text, buddy), field)

    def _make_repeat(self) -> QComboBox:
        combo = QComboBox()
        for repeat, text in (
            (Repeat.DAILY, self.tr("Every day")),
            (Repeat.WEEKDAYS, self.tr("Every weekday (Mon–Fri)")),
            (Repeat.EVERY_N_DAYS, self.tr("Every few days")),
            (Repeat.WEEKLY, self.tr("Weekly")),
            (Repeat.MONTHLY, self.tr("Monthly")),
            (Repeat.YEARLY, self.tr("Yearly")),
            (Repeat.CUSTOM, self.tr("Other (rule)…")),
        ):
            combo.addItem(text, repeat.value)
        combo.setAccessibleName(self.tr("Repeats"))
        return combo

    def _make_interval(self, repeat: Repeat) -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName("interval" if repeat is Repeat.EVERY_N_DAYS else f"{_UNITS[repeat]}_interval")
        if repeat is Repeat.EVERY_N_DAYS:
            spin.setRange(2, MAX_DAYS_INTERVAL)  # every day has a choice of its own
            spin.setValue(2)
        else:
            spin.setRange(1, MAX_INTERVAL)
        names = {
            Repeat.EVERY_N_DAYS: self.tr("Number of days between reminders"),
            Repeat.WEEKLY: self.tr("Number of weeks between reminders"),
            Repeat.MONTHLY: self.tr("Number of months between reminders"),
            Repeat.YEARLY: self.tr("Number of years between reminders"),
        }
        spin.setAccessibleName(names[repeat])
        return spin

    def _interval_row(self, repeat: Repeat, spin: QSpinBox) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        unit = QLabel()
        unit.setObjectName(f"{_UNITS[repeat]}_unit")
        self._units[repeat] = unit
        layout.addWidget(spin)
        layout.addWidget(unit)
        layout.addStretch(1)
        return row

    def _make_custom(self) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText("FREQ=WEEKLY;BYDAY=TU,TH")
        edit.setAccessibleName(self.tr("Recurrence rule (RRULE)"))
        return edit

    def _make_custom_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._custom)
        hint = _WrappedLabel(
            self.tr(
                "A recurrence rule as calendars write it (iCalendar RRULE), e.g. FREQ=MONTHLY;BYDAY=1MO. "
                'How to write one: <a href="{url}">RFC 5545, section 3.3.10</a>. '
                "TrayHabit reminds at most once a day."
            ).format(url=RRULE_REFERENCE)
        )
        hint.setObjectName("custom_rule_hint")
        hint.setWordWrap(True)
        hint.setTextFormat(Qt.TextFormat.RichText)
        hint.setOpenExternalLinks(True)
        hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        hint.setAccessibleName(self.tr("About recurrence rules"))
        self._custom.setAccessibleDescription(hint.text())
        layout.addWidget(hint)
        return box

    def _make_days_row(self) -> QWidget:
        """The days of the week in two rows, Monday to Thursday and Friday to Sunday, as Outlook has them:
        one row of seven is wider than the smallest window in Swedish."""
        row = QWidget()
        grid = QGridLayout(row)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(self.fontMetrics().averageCharWidth())
        locale = QLocale()
        for number in range(1, 8):  # Qt numbers the days Monday = 1 .. Sunday = 7
            # Check boxes rather than toggle buttons: ticked or not is plain in every style.
            button = QCheckBox(locale.dayName(number, QLocale.FormatType.ShortFormat))
            button.setAccessibleName(locale.dayName(number, QLocale.FormatType.LongFormat))
            button.setObjectName("day_" + WEEKDAY_CODES[number - 1])
            self._day_buttons.append(button)
            grid.addWidget(button, (number - 1) // 4, (number - 1) % 4)
        grid.setColumnStretch(4, 1)
        return row

    def _make_month_box(self) -> QWidget:
        """ "(•) Day [15] [ ] Last day of the month" or "( ) The [second] [Tuesday]", as in Outlook."""
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self._on_month_day = QRadioButton(self.tr("Day"))
        self._on_month_day.setObjectName("on_month_day")
        self._on_month_day.setAccessibleName(self.tr("On a day of the month"))
        self._on_weekday = QRadioButton(self.tr("The"))
        self._on_weekday.setObjectName("on_weekday")
        self._on_weekday.setAccessibleName(self.tr("On a weekday of the month"))
        # Exclusive as siblings (autoExclusive), not by a QButtonGroup: then Tab enters the pair at the
        # chosen one, as in any dialog.
        self._on_month_day.setChecked(True)
        self._month_day = QSpinBox()
        self._month_day.setObjectName("month_day")
        self._month_day.setRange(1, 31)
        self._month_day.setValue(self._start.day)
        self._month_day.setAccessibleName(self.tr("Day of the month"))
        self._last_day = QCheckBox(self.tr("&Last day of the month"))
        self._last_day.setObjectName("last_day")
        self._position = QComboBox()
        self._position.setObjectName("position")
        for number, text in zip(
            POSITIONS,
            (self.tr("first"), self.tr("second"), self.tr("third"), self.tr("fourth"), self.tr("last")),
            strict=True,
        ):
            self._position.addItem(text, number)
        self._position.setAccessibleName(self.tr("Which of its weekdays in the month"))
        self._position_day = QComboBox()
        self._position_day.setObjectName("position_weekday")
        locale = QLocale()
        for number in range(1, 8):
            self._position_day.addItem(
                locale.dayName(number, QLocale.FormatType.LongFormat), WEEKDAY_CODES[number - 1]
            )
        self._position_day.setAccessibleName(self.tr("Weekday"))
        by_date = QHBoxLayout()
        by_date.addWidget(self._month_day)
        by_date.addWidget(self._last_day)
        by_date.addStretch(1)
        by_weekday = QHBoxLayout()
        by_weekday.addWidget(self._position)
        by_weekday.addWidget(self._position_day)
        by_weekday.addStretch(1)
        grid.addWidget(self._on_month_day, 0, 0)
        grid.addLayout(by_date, 0, 1)
        grid.addWidget(self._on_weekday, 1, 0)
        grid.addLayout(by_weekday, 1, 1)
        grid.setColumnStretch(1, 1)
        return box

    def _make_year_row(self) -> QWidget:
        """ "[15] [March]": day before month, as dates read everywhere in TrayHabit."""
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self._year_day = QSpinBox()
        self._year_day.setObjectName("year_day")
        self._year_day.setRange(1, 31)
        self._year_day.setAccessibleName(self.tr("Day of the month"))
        self._year_month = QComboBox()
        self._year_month.setObjectName("year_month")
        locale = QLocale()
        for number in range(1, 13):
            self._year_month.addItem(
                locale.standaloneMonthName(number, QLocale.FormatType.LongFormat), number
            )
        self._year_month.setAccessibleName(self.tr("Month"))
        layout.addWidget(self._year_day)
        layout.addWidget(self._year_month)
        layout.addStretch(1)
        return row

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
            unit.setText(_unit_word(_UNITS[owner], self._intervals[owner].value()))
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

    def _match(self, rule: str) -> Repeat:
        """The repeat whose controls make *rule*, with them set to it; CUSTOM when none does.

        A rule matches only when the controls give back exactly the same text, so loading and saving
        a habit never changes its rule.
        """
        if rule == "FREQ=DAILY":
            return Repeat.DAILY
        if rule == _WEEKDAYS_RULE:
            return Repeat.WEEKDAYS
        parts = dict(chunk.split("=", 1) for chunk in rule.split(";") if "=" in chunk)
        repeat = {
            "DAILY": Repeat.EVERY_N_DAYS,
            "WEEKLY": Repeat.WEEKLY,
            "MONTHLY": Repeat.MONTHLY,
            "YEARLY": Repeat.YEARLY,
        }.get(parts.pop("FREQ", ""))
        interval = parts.pop("INTERVAL", "1")
        if repeat is None or not interval.isdigit():
            return Repeat.CUSTOM
        spin = self._intervals[repeat]
        if not spin.minimum() <= int(interval) <= spin.maximum():
            return Repeat.CUSTOM
        spin.setValue(int(interval))
        if not self._show_parts(repeat, parts):
            return Repeat.CUSTOM
        try:
            return repeat if self._rule_for(repeat) == rule else Repeat.CUSTOM
        except ScheduleError:
            return Repeat.CUSTOM

    def _show_parts(self, repeat: Repeat, parts: dict[str, str]) -> bool:
        """Set *repeat*'s day controls from a rule's BY... parts; False when they cannot show them."""
        if repeat is Repeat.WEEKLY:
            codes = parts.get("BYDAY", "").split(",")
            if set(parts) != {"BYDAY"} or not all(code in WEEKDAY_CODES for code in codes):
                return False
            self.set_days(codes)
            return True
        if repeat is Repeat.MONTHLY:
            return self._show_month_parts(parts)
        if repeat is Repeat.YEARLY:
            month, day = parts.get("BYMONTH", ""), parts.get("BYMONTHDAY", "")
            if set(parts) != {"BYMONTH", "BYMONTHDAY"} or not (month.isdigit() and day.isdigit()):
                return False
            if not 1 <= int(month) <= 12:
                return False
            self._year_month.setCurrentIndex(int(month) - 1)
            self._fit_year_day()
            self._year_day.setValue(int(day))
            return True
        return not parts  # every N days: nothing but the interval

    def _show_month_parts(self, parts: dict[str, str]) -> bool:
        days = parts.get("BYDAY")
        if days is not None:
            if set(parts) != {"BYDAY"}:
                return False
            number, code = days[:-2], days[-2:]
            if code not in WEEKDAY_CODES or not number.lstrip("-").isdigit() or int(number) not in POSITIONS:
                return False
            self._on_weekday.setChecked(True)
            self._position.setCurrentIndex(self._position.findData(int(number)))
            self._position_day.setCurrentIndex(WEEKDAY_CODES.index(code))
            return True
        month_day = _month_day_of(parts)
        if month_day is None:
            return False
        self._on_month_day.setChecked(True)
        self._last_day.setChecked(month_day == -1)
        if month_day != -1:
            self._month_day.setValue(month_day)
        return True

    def _every(self, repeat: Repeat) -> str:
        """The command line's ``--every`` for *repeat* with its interval: "week", "3-months"."""
        count = self._intervals[repeat].value()
        return f"{count}-{_UNITS[repeat]}" if count > 1 else _UNITS[repeat][:-1]

    def _rule_for(self, repeat: Repeat) -> str:
        """The rule a repeat gives with the current inputs, as ``trayhabit add --every`` makes it."""
        if repeat is Repeat.DAILY:
            return rule_from_every("day", None, self._start)
        if repeat is Repeat.WEEKDAYS:
            return rule_from_every("weekday", None, self._start)
        if repeat is Repeat.EVERY_N_DAYS:
            return rule_from_every(self._every(repeat), None, self._start)
        if repeat is Repeat.WEEKLY:
            words = [
                word for word, button in zip(_DAY_WORDS, self._day_buttons, strict=True) if button.isChecked()
            ]
            if not words:
                raise ScheduleError(self.tr("Choose at least one day of the week."))
            return rule_from_every(self._every(repeat), ",".join(words), self._start)
        if repeat is Repeat.MONTHLY:
            if self._on_weekday.isChecked():
                position = int(self._position.currentData())
                on = f"{position}{_DAY_WORDS[self._position_day.currentIndex()]}"
                return rule_from_every(self._every(repeat), on, self._start)
            if self._last_day.isChecked():
                return rule_from_every(self._every(repeat), "-1", self._start)
            # The command line's rule for a habit started on that day: the 29th-31st then fall on the
            # last day of shorter months instead of skipping them. January has every day up to 31.
            return rule_from_every(self._every(repeat), None, date(2001, 1, self._month_day.value()))
        if repeat is Repeat.YEARLY:
            on = f"{int(self._year_month.currentData()):02d}-{self._year_day.value():02d}"
            return rule_from_every(self._every(repeat), on, self._start)
        return self._custom.text()

    def _compose(self) -> tuple[str, time]:
        repeat = self.repeat()
        rule = self._rule_for(repeat)
        qtime = self._time.time()
        at: time | None = time(qtime.hour(), qtime.minute())
        if repeat is Repeat.CUSTOM:
            if not rule.strip():
                raise ScheduleError(self.tr("Write a rule, e.g. FREQ=WEEKLY;BYDAY=TU,TH."))
            if self._custom_sets_time():
                at = None  # the rule's own BYHOUR and BYMINUTE give the time
        return normalize_rule(rule, at)

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

    def _show_past_note(self, schedule: Schedule | None) -> None:
        """Say how many occurrences the start date puts in the past, if any (none for an invalid rule)."""
        count = 0
        if schedule is not None and self._start < self._saved_start:
            boundary = self._model.settings().day_boundary
            count = closed_before(
                schedule, self._model.zone, boundary, self._model.now(), until=self._saved_start
            )
        if not count:
            self._past_note.setText("")
            self._past_note.hide()
            return
        text = ngettext(
            "This start date puts {n} occurrence in the past. It counts as missed unless you check it "
            "off afterwards with “Earlier…” in the check-off window.",
            "This start date puts {n} occurrences in the past. They count as missed unless you check them "
            "off afterwards with “Earlier…” in the check-off window.",
            count,
        ).format(n=count)
        if count > MAX_OFFERED:
            text += " " + ngettext(
                "“Earlier…” offers the most recent {n}.",
                "“Earlier…” offers the most recent {n}.",
                MAX_OFFERED,
            ).format(n=MAX_OFFERED)
        self._past_note.setText(text)
        self._past_note.show()

    def _describe(self, schedule: Schedule) -> str:
        zone = self._model.zone
        settings = self._model.settings()
        now = self._model.now()
        today = self._model.today()
        upcoming = Timeline(schedule, zone, settings.day_boundary).upcoming(now, PREVIEW_COUNT)
        summary = schedule_in_words(schedule)
        if summary is None:
            # The rule has no plain wording: the dates below say what it does, the rule stays in its field.
            first = self.tr("Reminds at {time} on the days of a custom rule.").format(
                time=format_time_of_day(schedule.at)
            )
        else:
            first = self.tr("Reminds {schedule}.").format(schedule=summary)
        lines = [first]
        if not upcoming:
            lines.append(self.tr("No reminders ahead: the rule ends before today."))
            return "\n".join(lines)
        lines.append(self.tr("The next reminders:"))
        for occurrence in upcoming:
            when = occurrence.reminder.astimezone(zone)
            lines.append("• " + plain_reminder_time(when, today))
        return "\n".join(lines)


def _buddy(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


class _WrappedLabel(QLabel):
    """A word-wrapped label that holds out for the height its text needs at the width it gets.

    A window's smallest size is worked out without heightForWidth, so at the smallest width a few
    lines of preview or note would otherwise squeeze the rows above them or be cut off.
    """

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        needed = self.heightForWidth(self.width()) if self.text() else 0
        if needed != self.minimumHeight():
            self.setMinimumHeight(max(needed, 0))


def _selectable_label(accessible_name: str) -> QLabel:
    label = _WrappedLabel()
    # At the top of any room the layout gives it beyond its lines, next to what it is about.
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setWordWrap(True)
    label.setAccessibleName(accessible_name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _month_day_of(parts: dict[str, str]) -> int | None:
    """The single day of the month a monthly rule falls on (-1 for the last), else None."""
    month_days = parts.get("BYMONTHDAY", "")
    rest = set(parts) - {"BYMONTHDAY", "BYSETPOS"}
    if rest or not month_days:
        return None
    numbers = [int(day) for day in month_days.split(",") if day.lstrip("-").isdigit()]
    if "BYSETPOS" not in parts and len(numbers) == 1 and (numbers[0] == -1 or 1 <= numbers[0] <= 28):
        return numbers[0]
    if parts.get("BYSETPOS") == "1" and len(numbers) == 2 and numbers[1] == -1 and 29 <= numbers[0] <= 31:
        return numbers[0]
    return None
