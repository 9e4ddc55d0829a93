"""Times, dates and weekdays as the windows, the tray and the notifications write them: one way.

- A time of day is always ``HH:MM`` on the 24-hour clock: the form a person types into TrayHabit's
  time fields and the command line prints, so a reminder reads the same wherever it is shown (a
  system locale of ``C`` would otherwise give "3:00 PM" in one place and "15:00" in the next).
- Days are named in the language of the interface (the ``language`` setting, else the system's),
  day before month: "today", "tomorrow", "Mon 30 Nov" in a list, "Monday 30 November" in a sentence.
- A date more than about six months from today carries its year, so that next year's "Mon 30 Nov"
  is not read as this year's.

Their strings live in the "CheckOff" context, where the check-off window first used them.
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo

from PySide6.QtCore import QCoreApplication, QDate, QLocale

# How far from today a date may be and still go without its year.
YEARLESS_DAYS = 183
# A date in full, as a date field shows it: "Tuesday 1 December 2026".
LONG_DATE_PATTERN = "dddd d MMMM yyyy"


def clock_text(value: time | datetime) -> str:
    """*value*'s time of day on the 24-hour clock, "09:30"."""
    return f"{value.hour:02d}:{value.minute:02d}"


def needs_year(day: date, today: date) -> bool:
    """Whether *day* is far enough from *today* that it must carry its year."""
    return abs(day.toordinal() - today.toordinal()) > YEARLESS_DAYS


def day_text(locale: QLocale, day: date, today: date) -> str:
    """*day* in a list: "today", "yesterday", "tomorrow", "Mon 30 Nov", or "Mon 30 Nov 2027"."""
    days = day.toordinal() - today.toordinal()
    if days == 0:
        return QCoreApplication.translate("CheckOff", "today")
    if days == 1:
        return QCoreApplication.translate("CheckOff", "tomorrow")
    if days == -1:
        return QCoreApplication.translate("CheckOff", "yesterday")
    parts = {
        "weekday": locale.dayName(day.isoweekday(), QLocale.FormatType.ShortFormat),
        "day": day.day,
        "month": locale.monthName(day.month, QLocale.FormatType.ShortFormat),
    }
    if needs_year(day, today):
        return QCoreApplication.translate("CheckOff", "{weekday} {day} {month} {year}").format(
            year=day.year, **parts
        )
    return QCoreApplication.translate("CheckOff", "{weekday} {day} {month}").format(**parts)


def long_day_text(locale: QLocale, day: date, today: date) -> str:
    """*day* in a sentence: "Monday 30 November", or "Monday 30 November 2027" when far off."""
    pattern = LONG_DATE_PATTERN if needs_year(day, today) else "dddd d MMMM"
    return locale.toString(QDate(day.year, day.month, day.day), pattern)


def when_text(locale: QLocale, instant: datetime, now: datetime, zone: tzinfo) -> str:
    """*instant* in a list: "today 09:00", "tomorrow 09:00" or "Mon 30 Nov 09:00"."""
    local = instant.astimezone(zone)
    day = day_text(locale, local.date(), now.astimezone(zone).date())
    return QCoreApplication.translate("CheckOff", "{day} {time}").format(day=day, time=clock_text(local))
