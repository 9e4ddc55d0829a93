"""The habits window: create, edit, archive, delete; the schedule form; progress, charts, graduation."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt, QTime
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QTimeEdit,
    QWidget,
)

from tests.helpers.builders import event
from tests.helpers.clock import FakeClock
from tests.helpers.scoring import wait_scored
from tests.qt.conftest import STOCKHOLM
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.calendar_import import CalendarImportDialog
from trayhabit.app.windows.charts import OutcomeCalendar, ScoreCurve
from trayhabit.app.windows.habits import HabitsWindow
from trayhabit.core.model import EventKind, Habit, Outcome, Schedule, State
from trayhabit.core.schedule import rule_from_every

Yes = QMessageBox.StandardButton.Yes
No = QMessageBox.StandardButton.No


@pytest.fixture
def asked(monkeypatch) -> list[str]:
    """The questions the window asks, answered Discard; a real modal dialog would hang the test.

    pytest-qt closes the window after the test, and closing with unsaved edits asks first.
    """
    questions: list[str] = []

    def discard(parent, title, text, *args):
        questions.append(text)
        return QMessageBox.StandardButton.Discard

    monkeypatch.setattr(QMessageBox, "question", discard)
    return questions


@pytest.fixture
def window(qtbot, model: HabitsModel, asked: list[str]) -> HabitsWindow:
    habits = HabitsWindow(model)
    qtbot.addWidget(habits)
    return habits


def activate(qtbot, window: HabitsWindow) -> None:
    """Window shortcuts (Ctrl+N, Ctrl+S, Esc) only reach the active window."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def child(window: HabitsWindow, kind, name: str):
    found = window.findChild(kind, name)
    assert found is not None, name
    return found


def click(qtbot, window: HabitsWindow, name: str) -> None:
    button = child(window, QPushButton, name)
    assert button.isVisible() and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)


def choose(window: HabitsWindow, repeat: str) -> None:
    combo = child(window, QComboBox, "repeat")
    combo.setCurrentIndex(combo.findData(repeat))


def list_texts(window: HabitsWindow) -> list[str]:
    habits = child(window, QListWidget, "habit_list")
    return [habits.item(row).text() for row in range(habits.count())]


def write_done(model: HabitsModel, habit_id: str, days: list[date], at: time) -> None:
    """Check-offs recorded when they happened (as the app would have), then a reload."""
    with model.service.store.writing() as tx:
        for day in days:
            moment = datetime.combine(day, at, STOCKHOLM)
            tx.add_event(event(EventKind.DONE, moment, day, habit_id=habit_id).to_doc())
    model.reload()
    # Months of history are scored on the app's worker; the window shows them once they are in.
    wait_scored(model)


def formed_weekly_habit(model: HabitsModel) -> Habit:
    """A Friday habit pre-empted every week since June: graduation is suggested."""
    habit = model.add_habit("Follow up sent quotes", "FREQ=WEEKLY;BYDAY=FR", time(15), start=date(2026, 6, 5))
    assert habit is not None
    fridays = [date(2026, 6, 5) + timedelta(weeks=n) for n in range(25)]
    write_done(model, habit.id, [day for day in fridays if day < date(2026, 11, 25)], time(11))
    return habit


# -- creating ---------------------------------------------------------------------------------------


def test_creating_a_habit_on_chosen_weekdays_stores_the_clis_rule(qtbot, window, model):
    window.new_habit()
    assert child(window, QLabel, "title").text() == "New habit"
    type_into(qtbot, child(window, QLineEdit, "name"), "Follow up quotes")
    choose(window, "weekly")
    assert child(window, QCheckBox, "day_WE").isChecked()  # the start date's weekday, as in Outlook
    qtbot.mouseClick(child(window, QCheckBox, "day_MO"), Qt.MouseButton.LeftButton)
    child(window, QTimeEdit, "reminder_time").setTime(QTime(16, 30))

    preview = child(window, QLabel, "schedule_preview").text()
    reminders = [line for line in preview.splitlines() if line.startswith("•")]
    assert "every Monday and Wednesday at 16:30" in preview
    assert reminders == [
        "• today at 16:30",
        "• Monday 30 November at 16:30",
        "• Wednesday 2 December at 16:30",
        "• Monday 7 December at 16:30",
        "• Wednesday 9 December at 16:30",
    ]

    click(qtbot, window, "save")

    [report] = model.reports()
    assert report.habit.name == "Follow up quotes"
    assert report.habit.schedule.rrule == "FREQ=WEEKLY;BYDAY=MO,WE"
    assert report.habit.schedule.at == time(16, 30)
    assert list_texts(window) == ["Follow up quotes"]
    assert window.current_habit_id() == report.habit.id
    assert "Saved" in window.message()


def test_ctrl_s_saves_and_a_new_habit_starts_tomorrow_when_todays_reminder_has_passed(qtbot, window, model):
    window.new_habit()
    type_into(qtbot, child(window, QLineEdit, "name"), "Stretch")
    child(window, QTimeEdit, "reminder_time").setTime(QTime(7, 0))  # 08:00 now: today's has passed
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    [report] = model.reports()
    assert report.habit.schedule.rrule == "FREQ=DAILY"
    assert report.habit.schedule.start == date(2026, 11, 26)


def test_an_invalid_custom_rule_shows_the_reason_and_cannot_be_saved(qtbot, window, model):
    window.new_habit("Hourly water")
    choose(window, "custom")
    type_into(qtbot, child(window, QLineEdit, "custom_rule"), "FREQ=HOURLY")

    problem = child(window, QLabel, "schedule_error")
    assert problem.isVisible()
    assert "at most once a day" in problem.text()
    assert not child(window, QLabel, "schedule_preview").isVisible()
    assert not child(window, QPushButton, "save").isEnabled()

    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert model.reports() == []
    assert "at most once a day" in window.message()

    type_into(qtbot, child(window, QLineEdit, "custom_rule"), "FREQ=WEEKLY;BYDAY=TU,TH")
    assert not problem.isVisible()
    assert child(window, QPushButton, "save").isEnabled()


def test_choosing_no_weekday_is_refused_with_a_message(qtbot, window, model):
    window.new_habit("Plan")
    choose(window, "weekly")
    for code in ("MO", "TU", "WE", "TH", "FR", "SA", "SU"):
        child(window, QCheckBox, f"day_{code}").setChecked(False)
    assert child(window, QLabel, "schedule_error").text() == "Choose at least one day of the week."
    assert not child(window, QPushButton, "save").isEnabled()


def test_a_duplicate_name_is_refused_with_the_models_message(qtbot, window, model):
    model.add_habit("Stretch", "FREQ=DAILY", time(9))
    window.new_habit()
    type_into(qtbot, child(window, QLineEdit, "name"), "stretch")
    click(qtbot, window, "save")
    assert len(model.reports()) == 1
    assert window.message() == "There is already a habit called “Stretch”."
    assert child(window, QLabel, "title").text() == "New habit"  # the form is kept, nothing lost


def test_a_welcome_example_with_time_in_the_rule_opens_as_chosen_weekdays(qtbot, window, model):
    window.new_habit(
        "Follow up after a customer meeting",
        "FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=16;BYMINUTE=30",
        why="While it is fresh",
    )
    assert child(window, QComboBox, "repeat").currentData() == "weekly"
    ticked = [
        code
        for code in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
        if child(window, QCheckBox, f"day_{code}").isChecked()
    ]
    assert ticked == ["TU", "TH"]
    assert child(window, QTimeEdit, "reminder_time").time() == QTime(16, 30)
    click(qtbot, window, "save")
    [report] = model.reports()
    assert (report.habit.schedule.rrule, report.habit.schedule.at) == (
        "FREQ=WEEKLY;BYDAY=TU,TH",
        time(16, 30),
    )
    assert report.habit.why == "While it is fresh"


# -- the schedule form ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "repeat"),
    [
        ("FREQ=DAILY", "daily"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "weekdays"),
        ("FREQ=WEEKLY;BYDAY=MO,WE", "weekly"),
        ("FREQ=WEEKLY;BYDAY=FR", "weekly"),
        ("FREQ=DAILY;INTERVAL=3", "every_n_days"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "monthly"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "monthly"),
        ("FREQ=MONTHLY;BYMONTHDAY=31,-1;BYSETPOS=1", "monthly"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "weekly"),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,TU,WE,TH,FR", "weekly"),
        ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", "monthly"),
        ("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1", "monthly"),
        ("FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=30,-1;BYSETPOS=1", "monthly"),
        ("FREQ=MONTHLY;BYDAY=1MO", "monthly"),
        ("FREQ=MONTHLY;BYDAY=2TU", "monthly"),
        ("FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR", "monthly"),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15", "yearly"),
        ("FREQ=YEARLY;INTERVAL=2;BYMONTH=12;BYMONTHDAY=31", "yearly"),
        ("FREQ=DAILY;INTERVAL=365", "every_n_days"),
        # What the controls cannot make loads as the advanced rule, untouched.
        ("FREQ=MONTHLY;BYDAY=5MO", "custom"),
        ("FREQ=MONTHLY;BYDAY=-2FR", "custom"),
        ("FREQ=MONTHLY;BYDAY=1MO,3MO", "custom"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", "custom"),
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "custom"),
        ("FREQ=WEEKLY;BYDAY=WE,MO", "custom"),
        ("FREQ=WEEKLY;INTERVAL=100;BYDAY=TU", "custom"),
        ("FREQ=YEARLY", "custom"),
        ("FREQ=YEARLY;BYMONTH=6,7;BYMONTHDAY=1", "custom"),
        ("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", "custom"),
        ("FREQ=DAILY;COUNT=30", "custom"),
        ("FREQ=WEEKLY;BYDAY=MO;UNTIL=20270329T000000", "custom"),
    ],
)
def test_a_habits_schedule_loads_into_the_matching_repeat_and_round_trips(window, rule, repeat):
    form = window.schedule_form()
    form.set_schedule(Schedule(rule, time(8, 15), date(2026, 12, 1)))
    assert child(window, QComboBox, "repeat").currentData() == repeat
    assert form.rule_and_time() == (rule, time(8, 15))


def test_the_forms_rules_match_the_command_lines(window):
    form = window.schedule_form()
    friday = date(2026, 11, 27)
    form.set_start(friday)

    def rule() -> str:
        return form.rule_and_time()[0]

    def cli(every: str, on: str | None = None, start: date = friday) -> str:
        return rule_from_every(every, on, start)  # what `trayhabit add --every EVERY --on ON` stores

    choose(window, "weekly")
    assert rule() == cli("week") == "FREQ=WEEKLY;BYDAY=FR"
    child(window, QSpinBox, "weeks_interval").setValue(2)
    child(window, QCheckBox, "day_FR").setChecked(False)
    child(window, QCheckBox, "day_TU").setChecked(True)
    child(window, QCheckBox, "day_TH").setChecked(True)
    assert rule() == cli("2-weeks", "tue,thu") == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH"
    assert child(window, QLabel, "weeks_unit").text() == "weeks"
    assert "every 2 weeks on Tuesday and Thursday" in child(window, QLabel, "schedule_preview").text()

    choose(window, "every_n_days")
    child(window, QSpinBox, "interval").setValue(3)
    assert rule() == cli("3-days") == "FREQ=DAILY;INTERVAL=3"

    choose(window, "monthly")
    assert rule() == cli("month") == "FREQ=MONTHLY;BYMONTHDAY=27"  # the start date's day
    child(window, QSpinBox, "month_day").setValue(31)
    assert rule() == cli("month", start=date(2026, 12, 31)) == "FREQ=MONTHLY;BYMONTHDAY=31,-1;BYSETPOS=1"
    assert "or the last day of shorter months" in child(window, QLabel, "schedule_preview").text()
    child(window, QCheckBox, "last_day").setChecked(True)
    assert rule() == cli("month", "-1") == "FREQ=MONTHLY;BYMONTHDAY=-1"
    child(window, QSpinBox, "months_interval").setValue(3)
    assert rule() == cli("3-months", "-1") == "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1"
    # "The second Tuesday", "the last Friday": ordinal and weekday, as Outlook has them.
    child(window, QRadioButton, "on_weekday").setChecked(True)
    assert rule() == cli("3-months", "4fri") == "FREQ=MONTHLY;INTERVAL=3;BYDAY=4FR"  # the start's place
    child(window, QComboBox, "position").setCurrentIndex(1)
    child(window, QComboBox, "position_weekday").setCurrentIndex(1)
    assert rule() == cli("3-months", "2tue") == "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU"
    assert "every 3 months on the second Tuesday" in child(window, QLabel, "schedule_preview").text()
    child(window, QSpinBox, "months_interval").setValue(1)
    assert rule() == cli("month", "2tue") == "FREQ=MONTHLY;BYDAY=2TU"

    choose(window, "yearly")
    assert rule() == cli("year") == "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=27"  # the start date
    child(window, QComboBox, "year_month").setCurrentIndex(2)  # March
    child(window, QSpinBox, "year_day").setValue(15)
    assert rule() == cli("year", "03-15") == "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15"
    child(window, QSpinBox, "years_interval").setValue(2)
    assert rule() == cli("2-years", "03-15") == "FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYMONTHDAY=15"
    assert "every 2 years on 15 March" in child(window, QLabel, "schedule_preview").text()
    child(window, QComboBox, "year_month").setCurrentIndex(1)  # February: no 30th or 31st to pick
    assert child(window, QSpinBox, "year_day").maximum() == 29

    choose(window, "weekdays")
    assert rule() == cli("weekday") == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    choose(window, "daily")
    assert rule() == cli("day") == "FREQ=DAILY"


def test_the_days_follow_the_start_date_until_the_user_picks_them(window):
    form = window.schedule_form()
    window.new_habit("Plan")
    choose(window, "weekly")
    form.set_start(date(2026, 11, 30))  # a Monday
    assert form.rule_and_time()[0] == "FREQ=WEEKLY;BYDAY=MO"
    child(window, QCheckBox, "day_TH").setChecked(True)
    form.set_start(date(2026, 12, 1))
    assert form.rule_and_time()[0] == "FREQ=WEEKLY;BYDAY=MO,TH"  # picked: they stay


def test_other_rule_is_the_advanced_choice_with_a_hint_where_to_read_about_it(qtbot, window):
    window.new_habit("Plan")
    window.show()
    rule_field, hint = child(window, QLineEdit, "custom_rule"), child(window, QLabel, "custom_rule_hint")
    combo = child(window, QComboBox, "repeat")
    assert combo.itemText(combo.count() - 1) == "Other (rule)…"
    assert not rule_field.isVisible() and not hint.isVisible()  # only shown for it
    choose(window, "monthly")
    choose(window, "custom")
    assert rule_field.isVisible() and hint.isVisible()
    assert rule_field.text() == "FREQ=MONTHLY;BYMONTHDAY=25"  # what the form showed, to edit
    assert "iCalendar RRULE" in hint.text()
    assert "https://www.rfc-editor.org/rfc/rfc5545#section-3.3.10" in hint.text()
    assert hint.openExternalLinks()


def test_changing_the_start_date_moves_the_preview(qtbot, window):
    window.new_habit("Plan")
    choose(window, "weekly")
    child(window, QDateEdit, "start_date").setDate(QDate(2026, 11, 30))  # a Monday
    preview = child(window, QLabel, "schedule_preview").text()
    assert "every Monday at 09:00" in preview
    assert "• Monday 30 November at 09:00" in preview


@pytest.mark.parametrize(
    ("repeat", "by_weekday"),
    [
        ("daily", False),
        ("every_n_days", False),
        ("weekly", False),
        ("monthly", False),
        ("monthly", True),
        ("yearly", False),
        ("custom", False),
    ],
)
def test_every_control_of_the_schedule_is_reached_with_tab_named_and_labelled(
    qtbot, window, repeat, by_weekday
):
    window.new_habit("Plan")
    window.show()
    qtbot.waitExposed(window)
    activate(qtbot, window)
    choose(window, repeat)
    if by_weekday:
        child(window, QRadioButton, "on_weekday").setChecked(True)
    form = window.schedule_form()
    controls = [
        widget
        for widget in form.findChildren(QWidget)
        if isinstance(widget, QComboBox | QAbstractSpinBox | QAbstractButton | QLineEdit)
        and widget.isVisible()
        and widget.isEnabled()
        and widget.focusProxy() is None
        # Tab enters a group of radio buttons at the chosen one; the arrow keys move between them.
        and not (isinstance(widget, QRadioButton) and not widget.isChecked())
    ]
    assert controls
    reached = []
    focused = child(window, QComboBox, "repeat")
    focused.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is focused)
    for _ in range(40):
        focused = QApplication.focusWidget()
        if focused.objectName() == "start_date":
            break
        reached.append(focused)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert focused.objectName() == "start_date"  # the form is passed through, to the date
    assert [c.objectName() for c in controls if c not in reached] == []
    for control in controls:
        # A screen reader names every control; a check box or radio button by its text.
        name = control.accessibleName() or (control.text() if isinstance(control, QAbstractButton) else "")
        assert name.replace("&", "").strip(), control.objectName()
    labels = [label for label in form.findChildren(QLabel) if label.isVisible() and label.buddy() is not None]
    for label in labels:
        assert "&" in label.text() and label.buddy().isVisible(), label.text()
    assert {label.buddy() for label in labels} >= {
        c for c in controls if not isinstance(c, QAbstractButton)
    } - {c for c in controls if c.objectName() in ("month_day", "position", "position_weekday", "year_month")}


# -- a start date in the past -----------------------------------------------------------------------


def past_note(window: HabitsWindow) -> QLabel:
    return child(window, QLabel, "past_start_note")


def test_a_start_date_in_the_past_says_under_the_date_how_many_occurrences_count_as_missed(
    qtbot, window, model
):
    window.new_habit("Stretch")
    window.show()
    start = child(window, QDateEdit, "start_date")
    assert start.date() == QDate(2026, 11, 25)  # today is offered
    assert not past_note(window).isVisible()

    start.setDate(QDate(2026, 11, 20))  # Friday to Tuesday have closed; today is still open
    note = past_note(window)
    assert note.isVisible()
    assert note.text() == (
        "This start date puts 5 occurrences in the past. They count as missed unless you check them "
        "off afterwards with “Earlier…” in the check-off window."
    )
    # Inline, under the date: not a dialog.
    assert note.window() is window
    assert note.mapTo(window, QPoint(0, 0)).y() >= start.mapTo(window, QPoint(0, 0)).y() + start.height()

    choose(window, "weekly")  # the start date's weekday: Friday the 20th only
    assert note.text().startswith("This start date puts 1 occurrence in the past. It counts as missed")
    choose(window, "custom")
    type_into(qtbot, child(window, QLineEdit, "custom_rule"), "FREQ=HOURLY")
    assert not note.isVisible()  # no rule, no count
    choose(window, "daily")
    start.setDate(QDate(2026, 11, 25))
    assert not note.isVisible()

    start.setDate(QDate(2026, 11, 20))
    click(qtbot, window, "save")
    [report] = model.reports()
    assert report.habit.schedule.start == date(2026, 11, 20)
    assert sum(entry.outcome is Outcome.MISSED for entry in report.settled) == 5  # as the note said


def test_a_start_years_back_says_that_earlier_offers_only_the_most_recent(window):
    window.new_habit("Stretch")
    start = child(window, QDateEdit, "start_date")
    assert start.minimumDate() < QDate(2022, 1, 1)
    start.setDate(QDate(2026, 10, 25))
    assert "puts 31 occurrences" in past_note(window).text()
    assert past_note(window).text().endswith("“Earlier…” offers the most recent 14.")


def test_moving_a_habits_start_earlier_counts_only_the_occurrences_it_adds(window, model):
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9), start=date(2026, 11, 20))
    window.show_habit(habit.id)
    assert not past_note(window).isVisible()  # its own start says nothing: that history is recorded
    child(window, QDateEdit, "start_date").setDate(QDate(2026, 11, 17))
    assert past_note(window).text().startswith("This start date puts 3 occurrences in the past.")


# -- editing, archiving, deleting -------------------------------------------------------------------


def test_editing_the_name_and_saving_updates_store_and_list(qtbot, window, model):
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9))
    window.show_habit(habit.id)
    assert not child(window, QPushButton, "save").isEnabled()  # nothing changed yet
    type_into(qtbot, child(window, QLineEdit, "name"), "Stretch the back")
    assert child(window, QPushButton, "revert").isEnabled()
    click(qtbot, window, "save")
    assert model.report(habit.id).habit.name == "Stretch the back"
    assert list_texts(window) == ["Stretch the back"]
    assert child(window, QLabel, "title").text() == "Stretch the back"
    assert not child(window, QPushButton, "save").isEnabled()


def test_revert_forgets_unsaved_edits(qtbot, window, model):
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9))
    window.show_habit(habit.id)
    type_into(qtbot, child(window, QLineEdit, "name"), "Something else")
    click(qtbot, window, "revert")
    assert child(window, QLineEdit, "name").text() == "Stretch"
    assert model.report(habit.id).habit.name == "Stretch"


def test_switching_habits_with_unsaved_edits_asks_first(qtbot, window, model, monkeypatch):
    first = model.add_habit("Stretch", "FREQ=DAILY", time(9))
    second = model.add_habit("Read", "FREQ=DAILY", time(21))
    window.show_habit(first.id)
    type_into(qtbot, child(window, QLineEdit, "name"), "Stretch more")
    habits = child(window, QListWidget, "habit_list")

    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Cancel)
    habits.setCurrentRow(1)
    assert window.current_habit_id() == first.id
    assert child(window, QLineEdit, "name").text() == "Stretch more"

    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Save)
    habits.setCurrentRow(1)
    assert window.current_habit_id() == second.id
    assert model.report(first.id).habit.name == "Stretch more"


def test_archive_then_restore(qtbot, window, model):
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9))
    window.show_habit(habit.id)
    click(qtbot, window, "archive")
    assert model.report(habit.id).habit.state is State.ARCHIVED
    assert child(window, QCheckBox, "show_archived").isChecked()
    assert list_texts(window) == ["Stretch"]  # still in view, greyed, so Restore is one click away
    assert not child(window, QPushButton, "archive").isVisible()

    click(qtbot, window, "restore")
    assert model.report(habit.id).habit.state is State.LEARNING
    qtbot.keyClick(child(window, QCheckBox, "show_archived"), Qt.Key.Key_Space)
    assert not child(window, QCheckBox, "show_archived").isChecked()
    assert list_texts(window) == ["Stretch"]


def test_hiding_archived_habits_takes_them_out_of_the_list(qtbot, window, model):
    kept = model.add_habit("Read", "FREQ=DAILY", time(21))
    gone = model.add_habit("Stretch", "FREQ=DAILY", time(9))
    model.archive(gone.id)
    window.show_habit(gone.id)
    assert list_texts(window) == ["Read", "Stretch"]
    qtbot.keyClick(child(window, QCheckBox, "show_archived"), Qt.Key.Key_Space)
    assert list_texts(window) == ["Read"]
    assert window.current_habit_id() == kept.id


def test_delete_asks_and_no_keeps_the_habit(qtbot, window, model, monkeypatch):
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9))
    window.show_habit(habit.id)
    asked: list[str] = []

    def answer_no(parent, title, text, *args):
        asked.append(text)
        return No

    monkeypatch.setattr(QMessageBox, "question", answer_no)
    click(qtbot, window, "delete")
    assert "“Stretch”" in asked[0] and "history" in asked[0]
    assert model.report(habit.id) is not None


def test_delete_key_on_the_list_deletes_after_yes(qtbot, window, model, monkeypatch):
    first = model.add_habit("Stretch", "FREQ=DAILY", time(9))
    second = model.add_habit("Read", "FREQ=DAILY", time(21))
    window.show_habit(first.id)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: Yes)
    habits = child(window, QListWidget, "habit_list")
    activate(qtbot, window)
    habits.setFocus()
    qtbot.keyClick(habits, Qt.Key.Key_Delete)
    assert model.report(first.id) is None
    assert list_texts(window) == ["Read"]
    assert window.current_habit_id() == second.id


def test_deleting_the_last_habit_opens_a_new_one(qtbot, window, model, monkeypatch):
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9))
    window.show_habit(habit.id)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: Yes)
    click(qtbot, window, "delete")
    assert model.reports(include_archived=True) == []
    assert child(window, QLabel, "title").text() == "New habit"


# -- keyboard ---------------------------------------------------------------------------------------


def test_ctrl_n_opens_a_new_habit_and_escape_closes(qtbot, window, model):
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9))
    window.show_habit(habit.id)
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert child(window, QLabel, "title").text() == "New habit"
    assert window.current_habit_id() is None
    assert child(window, QLineEdit, "name").text() == ""
    assert not child(window, QTabWidget, "tabs").isTabEnabled(1)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_show_habit_selects_it(window, model):
    model.add_habit("Stretch", "FREQ=DAILY", time(9))
    second = model.add_habit("Read", "FREQ=DAILY", time(21))
    window.show_habit(second.id)
    assert window.isVisible()
    assert child(window, QListWidget, "habit_list").currentItem().text() == "Read"
    assert child(window, QLineEdit, "name").text() == "Read"


# -- progress ---------------------------------------------------------------------------------------


def test_the_progress_tab_shows_score_counts_and_the_graduation_reason(window, model):
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9), start=date(2026, 11, 16))
    write_done(model, habit.id, [date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 20)], time(8))
    write_done(model, habit.id, [date(2026, 11, 18)], time(10))
    window.show_habit(habit.id)
    report = model.report(habit.id)
    assert report.counts[Outcome.PREEMPTIVE] == 3

    text = window.progress().text()
    assert f"{report.score:.2f}" in text
    assert "3 before the reminder" in text
    assert "1 after the reminder" in text
    assert "5 missed" in text  # 19, 21-24 November
    assert "after-reminder times count 40 %" in text
    assert child(window, QLabel, "graduation_reason").text() == report.graduation.reason
    assert "Next reminder: today at 09:00." in text
    assert not child(window, QPushButton, "retire").isVisibleTo(window.progress())
    score = child(window, QLabel, "score")
    assert score.accessibleDescription() == f"Score {report.score:.2f}; 3 of the last 9 before the reminder"


def test_retire_appears_when_suggested_and_the_user_decides(qtbot, window, model):
    habit = formed_weekly_habit(model)
    window.show_habit(habit.id)
    child(window, QTabWidget, "tabs").setCurrentIndex(1)
    assert "looks formed" in child(window, QLabel, "graduation_reason").text()
    click(qtbot, window, "retire")
    assert model.report(habit.id).habit.state is State.GRADUATED
    assert not child(window, QPushButton, "retire").isVisible()
    habits = child(window, QListWidget, "habit_list")
    assert (
        habits.currentItem()
        .data(Qt.ItemDataRole.AccessibleTextRole)
        .startswith("Follow up sent quotes, reminder retired")
    )
    assert "The reminder is retired" in window.progress().text()


def test_a_relapse_is_shown_with_its_reason(qtbot, window, model, clock: FakeClock):
    habit = formed_weekly_habit(model)
    model.graduate(habit.id)
    window.show_habit(habit.id)
    notice = child(window, QLabel, "relapse_notice")
    assert not notice.isVisibleTo(window.progress())
    clock.set(datetime(2026, 12, 7, 8, 0, tzinfo=STOCKHOLM))  # two Fridays missed since
    model.reload()
    wait_scored(model)  # its state changed: its months of history are scored anew, on the worker
    assert model.report(habit.id).habit.state is State.LEARNING
    assert notice.isVisibleTo(window.progress())
    assert notice.text().startswith("The reminder came back today.")
    assert "missed twice in a row" in notice.text()


def test_stop_tracking_is_offered_after_a_quiet_graduation(qtbot, window, model, clock: FakeClock):
    habit = formed_weekly_habit(model)
    model.graduate(habit.id)
    fridays = [date(2026, 11, 27) + timedelta(weeks=n) for n in range(7)]
    clock.set(datetime(2027, 1, 11, 8, 0, tzinfo=STOCKHOLM))
    write_done(model, habit.id, fridays, time(11))
    window.show_habit(habit.id)
    child(window, QTabWidget, "tabs").setCurrentIndex(1)
    click(qtbot, window, "stop_tracking")
    assert model.report(habit.id).habit.state is State.ARCHIVED


# -- the charts -------------------------------------------------------------------------------------


def test_the_charts_render_and_state_their_numbers(qtbot, window, model):
    habit = formed_weekly_habit(model)
    window.show_habit(habit.id)
    report = model.report(habit.id)
    curve = window.findChild(ScoreCurve)
    calendar = window.findChild(OutcomeCalendar)
    child(window, QTabWidget, "tabs").setCurrentIndex(1)
    assert not curve.grab().isNull() and not calendar.grab().isNull()

    # No count of occurrences: the curve's points are thinned to a week apart before its checkpoint.
    assert curve.accessibleDescription().startswith(
        f"Score {report.score:.2f} on 2026-11-20, from 2026-06-05; highest"
    )
    assert "suggested from 0.80" in curve.accessibleDescription()
    assert calendar.accessibleDescription().startswith(
        "Last 20 weeks: 19 before the reminder, 0 after the reminder, 0 late, 0 missed, 0 skipped."
    )
    assert "2026-11-27 is open" in calendar.accessibleDescription()
    center = calendar.cell_center(date(2026, 11, 20))
    assert calendar.tooltip_at(center) == "Friday 20 November 2026: before the reminder"
    assert (
        calendar.tooltip_at(calendar.cell_center(date(2026, 11, 19)))
        == "Thursday 19 November 2026: no reminder"
    )
    assert calendar.tooltip_at(QPoint(0, 0).toPointF()) == ""


def test_empty_charts_say_so(qtbot):
    curve = ScoreCurve()
    qtbot.addWidget(curve)
    curve.set_curve([])
    assert curve.accessibleDescription() == "No settled occurrences yet."
    assert not curve.grab().isNull()
    curve.set_curve([(date(2026, 11, 24), 0.0417)])
    assert curve.accessibleDescription().startswith("Score 0.04 on 2026-11-24.")
    assert not curve.grab().isNull()
    calendar = OutcomeCalendar()
    qtbot.addWidget(calendar)
    calendar.set_history([], None, date(2026, 11, 25))
    assert calendar.accessibleDescription().startswith("Last 20 weeks: 0 before the reminder")
    assert not calendar.grab().isNull()
    # The legend wraps when narrow, so a wide calendar is less tall.
    assert calendar.heightForWidth(calendar.sizeHint().width() * 3) < calendar.sizeHint().height()


def test_the_progress_tab_shows_the_whole_history_not_only_the_weeks_after_a_checkpoint(model, clock, qtbot):
    from datetime import UTC, timedelta

    from trayhabit.app.windows.habits import HabitsWindow
    from trayhabit.core.model import Event, EventKind, Outcome

    today = clock.now().date()
    start = today - timedelta(days=300)
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9), start=start)
    assert habit is not None
    with model.service.store.writing() as tx:
        for offset in range(300, 0, -1):
            day = today - timedelta(days=offset)
            at = datetime.combine(day, time(8), clock.tz)
            tx.add_event(Event(f"e{offset}", habit.id, EventKind.DONE, at, at.astimezone(UTC), day).to_doc())
    model.reload()
    model.reports()  # the first look walks the whole history (on the worker) and leaves a checkpoint
    wait_scored(model)
    model.reload()
    assert not model.report(habit.id).complete  # later looks resume from it
    window = HabitsWindow(model)
    qtbot.addWidget(window)
    window.show_habit(habit.id)
    points = window.progress().curve().points()
    # The curve still starts at the first day (a point a week before the checkpoint) ...
    assert points[0][0] == start
    assert points[-1][0] == today - timedelta(days=1)
    assert [day for day, _score in points] == sorted(day for day, _score in points)
    # ... and the calendar still shows every day of its twenty weeks.
    calendar = window.progress().calendar()
    for back in (1, 60, 130):
        assert calendar.outcome_on(today - timedelta(days=back)) is Outcome.PREEMPTIVE


# -- import from calendar ---------------------------------------------------------------------------

CALENDARS = Path(__file__).parent.parent / "fixtures" / "ical"


def pick_file(monkeypatch, path: Path) -> list[str]:
    """Answer the file dialog with *path*; returns the filters it offered."""
    offered: list[str] = []

    def choose(parent, caption, folder, filters, *rest):
        offered.append(filters)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    return offered


def import_preview(qtbot, window: HabitsWindow) -> CalendarImportDialog:
    window.show()
    click(qtbot, window, "import_calendar")
    # The file is read on the worker; the preview opens when it is.
    qtbot.waitUntil(lambda: window.findChild(CalendarImportDialog) is not None)
    dialog = window.findChild(CalendarImportDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_a_calendar_file_is_previewed_and_its_recurring_items_become_habits(
    qtbot, window, model, monkeypatch
):
    offered = pick_file(monkeypatch, CALENDARS / "mixed.ics")
    dialog = import_preview(qtbot, window)
    assert "*.ics" in offered[0]
    rows = dialog.rows()
    assert ("Följ upp efter kundmöte", "every Tuesday and Thursday at 15:30, from 2026-12-01") in rows
    assert ("Why", "Skicka sammanfattningen samma dag.") in rows
    reasons = dict(rows)
    assert "Central Lunar Standard Time" in reasons["Veckomöte på månen"]
    assert "does not repeat" in reasons["Lunch med Karin"]
    assert "at most once a day" in reasons["Drick vatten"]
    assert model.reports() == []  # nothing before the user says so

    with qtbot.waitSignal(model.worker.finished):  # the habits are created on the worker
        qtbot.mouseClick(child(dialog, QPushButton, "create"), Qt.MouseButton.LeftButton)

    (report,) = model.reports()
    assert report.habit.name == "Följ upp efter kundmöte"
    assert report.habit.schedule == Schedule("FREQ=WEEKLY;BYDAY=TU,TH", time(15, 30), date(2026, 12, 1))
    assert window.current_habit_id() == report.habit.id
    assert list_texts(window) == ["Följ upp efter kundmöte"]
    assert window.message() == "Created “Följ upp efter kundmöte” from mixed.ics."


def test_cancelling_the_preview_creates_nothing(qtbot, window, model, monkeypatch):
    pick_file(monkeypatch, CALENDARS / "outlook-tasks.ics")
    dialog = import_preview(qtbot, window)
    assert ("Följ upp skickade offerter", "every Monday at 08:45, from 2026-11-30") in dialog.rows()
    qtbot.mouseClick(child(dialog, QPushButton, "cancel"), Qt.MouseButton.LeftButton)
    assert model.reports() == []


def test_a_file_with_nothing_to_import_shows_why_and_offers_only_close(qtbot, window, model, monkeypatch):
    pick_file(monkeypatch, CALENDARS / "unknown-zone.ics")
    dialog = import_preview(qtbot, window)
    assert "time zone “Central Lunar Standard Time” is unknown" in child(dialog, QLabel, "summary").text()
    assert dialog.findChild(QPushButton, "create") is None
    qtbot.mouseClick(child(dialog, QPushButton, "close"), Qt.MouseButton.LeftButton)
    assert model.reports() == []


def test_a_file_that_is_not_a_calendar_is_refused_on_the_message_line(qtbot, window, model, monkeypatch):
    pick_file(monkeypatch, CALENDARS / "not-a-calendar.ics")
    window.show()
    with qtbot.waitSignal(model.worker.finished):
        click(qtbot, window, "import_calendar")
    assert window.findChild(CalendarImportDialog) is None
    assert "not an iCalendar file" in window.message()
    assert model.reports() == []


def test_a_rule_without_plain_words_is_a_custom_rule_in_the_list_and_the_preview(qtbot, window, model):
    # Every year on the 100th day: no plain wording, so no one is shown FREQ=... outside its own field.
    model.add_habit("Review the year", "FREQ=YEARLY;BYYEARDAY=100", time(9, 30), start=date(2026, 11, 26))
    model.add_habit(
        "Quarterly review", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", time(9, 30), start=date(2026, 11, 26)
    )
    habits = child(window, QListWidget, "habit_list")
    texts = " ".join(
        habits.item(row).data(Qt.ItemDataRole.AccessibleTextRole) for row in range(habits.count())
    )
    assert "every 3 months on the 15th at 09:30" in texts
    assert "a custom rule at 09:30" in texts
    assert "FREQ" not in texts
    window.schedule_form().set_schedule(
        Schedule("FREQ=YEARLY;BYYEARDAY=100", time(9, 30), date(2026, 11, 26))
    )
    preview = child(window, QLabel, "schedule_preview").text()
    assert preview.startswith("Reminds at 09:30 on the days of a custom rule.")
    assert "FREQ" not in preview
    assert child(window, QLineEdit, "custom_rule").text() == "FREQ=YEARLY;BYYEARDAY=100"


def test_one_settled_occurrence_is_counted_in_the_singular(window, model):
    # Started yesterday: yesterday's occurrence was missed, today's is open.
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9), start=date(2026, 11, 24))
    window.show_habit(habit.id)
    assert child(window, QLabel, "counts_title").text() == (
        "The one settled so far (graduation looks at the last 14)"
    )
    assert (
        child(window, QLabel, "score")
        .accessibleDescription()
        .endswith("the one settled time was not before the reminder")
    )


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("15:00", "15:00"), ("1500", "15:00"), ("15.45", "15:45"), ("930", "09:30"), ("7", "07:00")],
)
def test_a_time_typed_after_a_click_is_the_time_saved(qtbot, window, model, typed, shown):
    """A click in the time field selects it whole: what is typed replaces it, with or without a colon."""
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9), start=date(2026, 11, 20))
    window.show_habit(habit.id)
    qtbot.waitExposed(window)
    edit = child(window, QTimeEdit, "reminder_time")
    # Clicked near its end, where Qt's own time field would leave the cursor after the minutes.
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 8, edit.height() // 2))
    qtbot.waitUntil(edit.lineEdit().hasSelectedText)
    qtbot.keyClicks(edit, typed)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert edit.text() == shown
    click(qtbot, window, "save")
    assert model.reports()[0].habit.schedule.at.strftime("%H:%M") == shown


def test_escape_while_typing_a_time_keeps_the_time_it_had(qtbot, window, model):
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9), start=date(2026, 11, 20))
    window.show_habit(habit.id)
    qtbot.waitExposed(window)
    edit = child(window, QTimeEdit, "reminder_time")
    edit.setFocus()
    qtbot.waitUntil(edit.lineEdit().hasSelectedText)
    qtbot.keyClicks(edit, "17")
    assert edit.text() == "17"
    qtbot.keyClick(edit, Qt.Key.Key_Escape)
    assert edit.text() == "09:00" and edit.time() == QTime(9, 0)
