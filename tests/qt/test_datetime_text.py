"""Times and dates read one way everywhere: the 24-hour clock whatever the system locale, days in
the interface's language, and the year on a date more than about six months away."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDateEdit

from tests.qt.conftest import STOCKHOLM, WEDNESDAY
from trayhabit.app.datetime_text import day_text, long_day_text, when_text
from trayhabit.app.tray import TrayIcon
from trayhabit.app.windows.checkoff import CheckOffWindow
from trayhabit.app.windows.habits import HabitsWindow

TODAY = WEDNESDAY.date()


@pytest.fixture
def c_locale(qapp) -> Iterator[QLocale]:
    """What the interface gets on a system with LANG=C.UTF-8: English with a 12-hour clock."""
    before = QLocale()
    locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    assert "AP" in locale.timeFormat(QLocale.FormatType.ShortFormat).upper()  # the trap itself
    QLocale.setDefault(locale)
    yield locale
    QLocale.setDefault(before)


def test_a_reminder_reads_15_00_in_the_window_and_the_tray_whatever_the_locale(qtbot, model, c_locale):
    habit = model.add_habit("Call a customer", "FREQ=DAILY", time(15), start=date(2026, 11, 20))
    assert habit is not None
    window = CheckOffWindow(model)
    qtbot.addWidget(window)
    window.setLocale(c_locale)
    window.refresh()
    assert window.row(habit.id).when_label.text() == "Reminder today 15:00"
    tray = TrayIcon(model)
    tray.set_state([], None, datetime(2026, 11, 25, 15, 0, tzinfo=STOCKHOLM))
    assert "Next reminder: 15:00" in tray.tooltip() and "PM" not in tray.tooltip()


def test_the_start_date_reads_like_every_other_date(qtbot, model, c_locale):
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9), start=date(2026, 12, 1))
    assert habit is not None
    window = HabitsWindow(model)
    qtbot.addWidget(window)
    window.show_habit(habit.id)
    start = window.findChild(QDateEdit, "start_date")
    assert start is not None
    assert start.text() == "Tuesday 1 December 2026"  # not "Tuesday, December 1, 2026"


def test_a_date_more_than_six_months_away_carries_its_year(qapp):
    british = QLocale("en_GB")
    assert day_text(british, date(2027, 2, 22), TODAY) == "Mon 22 Feb"
    assert day_text(british, date(2027, 7, 26), TODAY) == "Mon 26 Jul 2027"
    assert day_text(british, date(2026, 3, 2), TODAY) == "Mon 2 Mar 2026"
    assert long_day_text(british, date(2027, 7, 26), TODAY) == "Monday 26 July 2027"
    assert long_day_text(british, date(2026, 12, 4), TODAY) == "Friday 4 December"
    later = datetime(2027, 10, 20, 10, 0, tzinfo=STOCKHOLM)
    assert when_text(british, later, WEDNESDAY, STOCKHOLM) == "Wed 20 Oct 2027 10:00"


def test_days_are_named_in_swedish_in_a_swedish_interface(qapp):
    swedish = QLocale("sv_SE")
    assert long_day_text(swedish, date(2026, 12, 4), TODAY) == "fredag 4 december"
