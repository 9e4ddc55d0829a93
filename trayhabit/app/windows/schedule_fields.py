"""The schedule form's fields: the repeat, the intervals, the days of the week, month and year, and the rule.

:class:`ScheduleFields` makes them, laid out as Outlook has them; :func:`selectable_label` and
:func:`buddy_label` are the labels the form shows its messages and field names in.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from trayhabit.app.windows.schedule_rules import MAX_DAYS_INTERVAL, MAX_INTERVAL, POSITIONS, UNITS, Repeat
from trayhabit.core.i18n import ngettext
from trayhabit.core.schedule import WEEKDAY_CODES

if TYPE_CHECKING:
    # Type checkers see the widget this part is mixed into; at run time it is a plain mixin.
    from PySide6.QtWidgets import QWidget as _Mixin
else:
    _Mixin = object


# Where the iCalendar rule is defined, for the advanced choice's hint.
RRULE_REFERENCE = "https://www.rfc-editor.org/rfc/rfc5545#section-3.3.10"


def unit_word(unit: str, count: int) -> str:
    """ "days", "weeks"... after the interval's number, in the number the count needs."""
    words = {
        "days": ngettext("day", "days", count),
        "weeks": ngettext("week", "weeks", count),
        "months": ngettext("month", "months", count),
    }
    return words.get(unit, ngettext("year", "years", count))


class ScheduleFields(_Mixin):
    """Makes the fields of the schedule form; the form lays them out in rows and wires them.

    A mixin of :class:`~trayhabit.app.windows.schedule_form.ScheduleForm`, whose state it shares.
    """

    _start: date
    _custom: QLineEdit
    _day_buttons: list[QCheckBox]
    _units: dict[Repeat, QLabel]

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
        spin.setObjectName("interval" if repeat is Repeat.EVERY_N_DAYS else f"{UNITS[repeat]}_interval")
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
        unit.setObjectName(f"{UNITS[repeat]}_unit")
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


def buddy_label(text: str, buddy: QWidget) -> QLabel:
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


def selectable_label(accessible_name: str) -> QLabel:
    label = _WrappedLabel()
    # At the top of any room the layout gives it beyond its lines, next to what it is about.
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setWordWrap(True)
    label.setAccessibleName(accessible_name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
