"""The schedule part of the habit form: how often, at what time, and a preview of the next reminders.

Rules are built with the same core functions the command line uses (:func:`rule_from_every`,
:func:`normalize_rule`), so a habit made here has the very RRULE that ``trayhabit add --every ...``
would give it, and every refusal is the core's :class:`ScheduleError` with its message.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTime, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from trayhabit.app.datetime_text import clock_text, long_day_text
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.time_edit import TimeEdit
from trayhabit.core.days import format_time_of_day
from trayhabit.core.describe import schedule_in_words
from trayhabit.core.model import Schedule
from trayhabit.core.schedule import (
    WEEKDAY_CODES,
    ScheduleError,
    Timeline,
    make_schedule,
    normalize_rule,
    rule_from_every,
)

PREVIEW_COUNT = 5
# rule_from_every's words for the days, Monday first (the CLI's --on spelling).
_DAY_WORDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAYS_RULE = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"


class Repeat(StrEnum):
    """The ways a habit can repeat, as the form offers them."""

    DAILY = "daily"
    WEEKDAYS = "weekdays"
    CHOSEN_DAYS = "chosen_days"
    EVERY_N_DAYS = "every_n_days"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    CUSTOM = "custom"


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


class ScheduleForm(QWidget):
    """Repeat, days and reminder time, with validation and the next five reminders in plain words.

    The start date comes from outside (:meth:`set_start`): a weekly or monthly habit without chosen
    days falls on the start date's weekday or day of the month, as on the command line.

    Signals:
        changed(): the user changed anything; read :meth:`rule_and_time` or :meth:`error`.
    """

    changed = Signal()

    def __init__(self, model: HabitsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._start = self._today()
        self._error = ""
        self._last_repeat = Repeat.DAILY

        self._repeat = self._make_repeat()
        self._repeat.setObjectName("repeat")
        self._day_buttons: list[QCheckBox] = []
        days_row = self._make_days_row()
        self._interval = QSpinBox()
        self._interval.setObjectName("interval")
        self._interval.setRange(2, 365)
        self._interval.setPrefix(self.tr("every "))
        self._interval.setSuffix(self.tr(" days"))
        self._interval.setAccessibleName(self.tr("Number of days between reminders"))
        self._month_day = QSpinBox()
        self._month_day.setObjectName("month_day")
        self._last_day = QCheckBox(self.tr("&Last day of the month"))
        self._last_day.setObjectName("last_day")
        month_row = self._make_month_row()
        self._custom = self._make_custom()
        self._custom.setObjectName("custom_rule")
        self._time = TimeEdit()
        self._time.setObjectName("reminder_time")
        self._time.setDisplayFormat("HH:mm")
        self._time.setTime(QTime(9, 0))
        self._time.setAccessibleName(self.tr("Reminder time"))
        self._error_label = _selectable_label(self.tr("Schedule problem"))
        self._error_label.setObjectName("schedule_error")
        palette = self._error_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, error_colour(palette))
        self._error_label.setPalette(palette)
        self._preview = _selectable_label(self.tr("Next reminders"))
        self._preview.setObjectName("schedule_preview")

        self._lay_out(days_row, month_row)

        self._repeat.currentIndexChanged.connect(self._on_repeat_current_index_changed)
        self._interval.valueChanged.connect(self._on_input_changed)
        self._month_day.valueChanged.connect(self._on_input_changed)
        self._last_day.toggled.connect(self._on_last_day_toggled)
        self._custom.textChanged.connect(self._on_input_changed)
        self._time.timeChanged.connect(self._on_input_changed)
        self._update()

    def _lay_out(self, days_row: QWidget, month_row: QWidget) -> None:
        self._form = QFormLayout()
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._form.addRow(_buddy(self.tr("&Repeats:"), self._repeat), self._repeat)
        self._form.addRow(_buddy(self.tr("On da&ys:"), self._day_buttons[0]), days_row)
        self._form.addRow(_buddy(self.tr("&Interval:"), self._interval), self._interval)
        self._form.addRow(_buddy(self.tr("Day of the &month:"), self._month_day), month_row)
        self._form.addRow(_buddy(self.tr("R&ule:"), self._custom), self._custom)
        self._form.addRow(_buddy(self.tr("Reminder &time:"), self._time), self._time)
        # The rows that only one repeat needs, by their index in the form.
        self._rows = {Repeat.CHOSEN_DAYS: 1, Repeat.EVERY_N_DAYS: 2, Repeat.MONTHLY: 3, Repeat.CUSTOM: 4}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._form)
        layout.addWidget(self._error_label)
        layout.addWidget(self._preview)

    def _make_repeat(self) -> QComboBox:
        combo = QComboBox()
        for repeat, text in (
            (Repeat.DAILY, self.tr("Every day")),
            (Repeat.WEEKDAYS, self.tr("Every weekday (Mon–Fri)")),
            (Repeat.CHOSEN_DAYS, self.tr("On chosen weekdays")),
            (Repeat.EVERY_N_DAYS, self.tr("Every N days")),
            (Repeat.WEEKLY, self.tr("Every week (on the start date's weekday)")),
            (Repeat.MONTHLY, self.tr("Every month")),
            (Repeat.CUSTOM, self.tr("Custom RRULE")),
        ):
            combo.addItem(text, repeat.value)
        combo.setAccessibleName(self.tr("Repeats"))
        return combo

    def _make_custom(self) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText("FREQ=WEEKLY;BYDAY=TU,TH")
        edit.setAccessibleName(self.tr("Custom recurrence rule"))
        edit.setToolTip(
            self.tr(
                "An RFC 5545 rule such as FREQ=WEEKLY;BYDAY=TU,TH or FREQ=MONTHLY;BYDAY=1MO. "
                "TrayHabit reminds at most once a day."
            )
        )
        return edit

    def _make_days_row(self) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(self.fontMetrics().averageCharWidth() // 2 + 1)
        locale = QLocale()
        for number in range(1, 8):  # Qt numbers the days Monday = 1 .. Sunday = 7
            # Check boxes rather than toggle buttons: ticked or not is plain in every style.
            button = QCheckBox(locale.dayName(number, QLocale.FormatType.ShortFormat))
            button.setAccessibleName(locale.dayName(number, QLocale.FormatType.LongFormat))
            button.setObjectName("day_" + WEEKDAY_CODES[number - 1])
            button.toggled.connect(self._on_input_changed)
            self._day_buttons.append(button)
            layout.addWidget(button)
        layout.addStretch(1)
        return row

    def _make_month_row(self) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self._month_day.setRange(1, 31)
        self._month_day.setValue(self._start.day)
        self._month_day.setAccessibleName(self.tr("Day of the month"))
        layout.addWidget(self._month_day)
        layout.addWidget(self._last_day)
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
        """The custom RRULE field."""
        return self._custom

    def first_field(self) -> QWidget:
        """The field keyboard focus enters the form at."""
        return self._repeat

    def set_time(self, at: time) -> None:
        """Set the reminder time."""
        self._time.setTime(QTime(at.hour, at.minute, at.second))

    def start(self) -> date:
        """The start date the rules and the preview use."""
        return self._start

    def set_start(self, start: date) -> None:
        """Use *start* for the weekday of "Every week", the preview and the validity check."""
        if start != self._start:
            self._start = start
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
        """Show a habit's schedule: the matching repeat for common rules, else the custom rule."""
        widgets = [self._repeat, self._interval, self._month_day, self._last_day, self._custom, self._time]
        widgets += self._day_buttons
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self._start = schedule.start
            self.set_time(schedule.at)
            self._month_day.setValue(schedule.start.day)
            self._last_day.setChecked(False)
            self._month_day.setEnabled(True)
            self._custom.setText(schedule.rrule)
            self.set_days([])
            repeat = self._match(schedule)
            self.set_repeat(repeat)
            if repeat is not Repeat.CUSTOM:
                self._last_repeat = repeat
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._show_rows()
        self._update()

    def refresh(self) -> None:
        """Recompute the preview (the clock moved or the settings changed)."""
        self._update()

    # -- slots ------------------------------------------------------------------------------------

    def _on_repeat_current_index_changed(self, _index: int) -> None:
        repeat = self.repeat()
        if repeat is Repeat.CUSTOM and not self._custom.text().strip():
            # Start the custom rule from what the form showed, so the user edits rather than types.
            try:
                seed = self._rule_for(self._last_repeat)
            except ScheduleError:
                seed = ""
            self._custom.blockSignals(True)
            self._custom.setText(seed)
            self._custom.blockSignals(False)
        if repeat is not Repeat.CUSTOM:
            self._last_repeat = repeat
        self._show_rows()
        self._on_input_changed()

    def _on_last_day_toggled(self, checked: bool) -> None:
        self._month_day.setEnabled(not checked)
        self._on_input_changed()

    def _on_input_changed(self, *_args: object) -> None:
        self._update()
        self.changed.emit()

    # -- helpers ----------------------------------------------------------------------------------

    def _today(self) -> date:
        return self._model.today()

    def _show_rows(self) -> None:
        repeat = self.repeat()
        for owner, row in self._rows.items():
            self._form.setRowVisible(row, owner is repeat)
        self._time.setEnabled(not (repeat is Repeat.CUSTOM and self._custom_sets_time()))

    def _custom_sets_time(self) -> bool:
        return "BYHOUR" in self._custom.text().upper()

    def _match(self, schedule: Schedule) -> Repeat:
        rule = schedule.rrule
        parts = dict(chunk.split("=", 1) for chunk in rule.split(";") if "=" in chunk)
        freq = parts.pop("FREQ", "")
        days = parts.get("BYDAY", "")
        if rule == "FREQ=DAILY":
            return Repeat.DAILY
        if freq == "DAILY" and set(parts) == {"INTERVAL"} and parts["INTERVAL"].isdigit():
            self._interval.setValue(int(parts["INTERVAL"]))
            return Repeat.EVERY_N_DAYS if self._interval.value() == int(parts["INTERVAL"]) else Repeat.CUSTOM
        if rule == _WEEKDAYS_RULE:
            return Repeat.WEEKDAYS
        if freq == "WEEKLY" and set(parts) == {"BYDAY"}:
            codes = days.split(",")
            if all(code in WEEKDAY_CODES for code in codes):
                # Shown as ticked days even for one day: then a new start date cannot move it.
                self.set_days(codes)
                return Repeat.CHOSEN_DAYS
        if freq == "MONTHLY":
            month_day = _month_day_of(parts)
            if month_day == -1:
                self._last_day.setChecked(True)
                self._month_day.setEnabled(False)
                return Repeat.MONTHLY
            if month_day is not None:
                self._month_day.setValue(month_day)
                self._month_day.setEnabled(True)
                return Repeat.MONTHLY
        return Repeat.CUSTOM

    def _rule_for(self, repeat: Repeat) -> str:
        """The rule a repeat gives with the current inputs (raises ScheduleError)."""
        if repeat is Repeat.DAILY:
            return rule_from_every("day", None, self._start)
        if repeat is Repeat.WEEKDAYS:
            return rule_from_every("weekday", None, self._start)
        if repeat is Repeat.CHOSEN_DAYS:
            words = [
                word for word, button in zip(_DAY_WORDS, self._day_buttons, strict=True) if button.isChecked()
            ]
            if not words:
                raise ScheduleError(self.tr("Choose at least one day of the week."))
            return rule_from_every("week", ",".join(words), self._start)
        if repeat is Repeat.EVERY_N_DAYS:
            return rule_from_every(f"{self._interval.value()}-days", None, self._start)
        if repeat is Repeat.WEEKLY:
            return rule_from_every("week", None, self._start)
        if repeat is Repeat.MONTHLY:
            if self._last_day.isChecked():
                return rule_from_every("month", "-1", self._start)
            # The command line's rule for a habit started on that day: the 29th-31st then fall on the
            # last day of shorter months instead of skipping them. January has every day up to 31.
            return rule_from_every("month", None, date(2001, 1, self._month_day.value()))
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
            return
        self._error = ""
        self._error_label.setText("")
        self._error_label.setVisible(False)
        if not self._time.isEnabled():
            self._time.blockSignals(True)
            self.set_time(at)
            self._time.blockSignals(False)
        self._preview.setText(self._describe(make_schedule(rule, at, self._start)))
        self._preview.setVisible(True)

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


def _selectable_label(accessible_name: str) -> QLabel:
    label = QLabel()
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
