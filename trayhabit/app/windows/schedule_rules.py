"""Between the schedule form's controls and an iCalendar rule, both ways.

:class:`Repeat` names the ways the form offers; :class:`ScheduleRules` builds a rule from the controls
as ``trayhabit add --every ...`` would (:func:`rule_from_every`, :func:`normalize_rule`), and sets the
controls from a habit's rule when they can make exactly that rule.
"""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QRadioButton, QSpinBox

from trayhabit.app.windows.time_edit import TimeEdit
from trayhabit.core.schedule import WEEKDAY_CODES, ScheduleError, normalize_rule, rule_from_every

if TYPE_CHECKING:
    # Type checkers see the widget this part is mixed into; at run time it is a plain mixin.
    from PySide6.QtWidgets import QWidget as _Mixin
else:
    _Mixin = object


# rule_from_every's words for the days, Monday first (the CLI's --on spelling).
_DAY_WORDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAYS_RULE = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"

# "The second Tuesday": the positions Outlook offers, first to fourth and the last.
POSITIONS = (1, 2, 3, 4, -1)
MAX_INTERVAL = 99
MAX_DAYS_INTERVAL = 365


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
UNITS = {
    Repeat.EVERY_N_DAYS: "days",
    Repeat.WEEKLY: "weeks",
    Repeat.MONTHLY: "months",
    Repeat.YEARLY: "years",
}


class ScheduleRules(_Mixin):
    """The rule the schedule form's controls make, and the controls set from a rule.

    A mixin of :class:`~trayhabit.app.windows.schedule_form.ScheduleForm`, whose state it shares.
    """

    _start: date
    _intervals: dict[Repeat, QSpinBox]
    _day_buttons: list[QCheckBox]
    _custom: QLineEdit
    _time: TimeEdit
    _on_month_day: QRadioButton
    _on_weekday: QRadioButton
    _month_day: QSpinBox
    _last_day: QCheckBox
    _position: QComboBox
    _position_day: QComboBox
    _year_month: QComboBox
    _year_day: QSpinBox

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
        return f"{count}-{UNITS[repeat]}" if count > 1 else UNITS[repeat][:-1]

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

    # What this part calls on the rest of the form, for type checkers. Kept last in the class:
    # pyside6-lupdate loses the class's translation context after a def inside an if.
    if TYPE_CHECKING:

        def repeat(self) -> Repeat: ...
        def set_days(self, codes: list[str]) -> None: ...
        def _fit_year_day(self) -> None: ...
        def _custom_sets_time(self) -> bool: ...


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
