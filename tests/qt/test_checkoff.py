"""The check-off window: what is open now, ticked off by mouse or keyboard, undone, skipped, back-filled."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication

from tests.qt.conftest import STOCKHOLM, WEDNESDAY
from trayhabit.app.windows.checkoff import CheckOffWindow
from trayhabit.core.model import Outcome

TODAY = WEDNESDAY.date()


def at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(TODAY, time(hour, minute), STOCKHOLM)


@pytest.fixture
def window(qtbot, model) -> CheckOffWindow:
    window = CheckOffWindow(model)
    # Fixed day and month names and a 24-hour clock, whatever the machine's locale.
    window.setLocale(QLocale("en_GB"))
    window.refresh()
    qtbot.addWidget(window)
    return window


def add_daily(model, name: str, hour: int = 9, *, start: date = date(2026, 11, 20)) -> str:
    habit = model.add_habit(name, "FREQ=DAILY", time(hour), start=start)
    assert habit is not None
    return habit.id


def outcome(model, habit_id: str) -> Outcome | None:
    report = model.report(habit_id)
    assert report is not None and report.current is not None
    return report.current.outcome


def shown(window: CheckOffWindow, qtbot, habit_id: str | None = None) -> None:
    window.show_and_focus(habit_id)
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_rows_list_exactly_the_habits_open_now(window, model):
    stretch = add_daily(model, "Stretch")
    weekly = model.add_habit(
        "Follow up sent quotes", "FREQ=WEEKLY;BYDAY=MO", time(15), start=date(2026, 11, 16)
    )
    archived = add_daily(model, "Old habit")
    model.archive(archived)
    add_daily(model, "Not started", start=date(2026, 12, 1))
    assert weekly is not None

    assert window.habit_ids() == [stretch, weekly.id]
    # The weekly habit's window opened on Tuesday; its reminder is next Monday.
    assert window.row(weekly.id).when_label.text() == "Reminder Mon 30 Nov 15:00"
    stretch_row = window.row(stretch)
    assert stretch_row.name_label.text() == "Stretch"
    assert stretch_row.when_label.text() == "Reminder today 09:00"
    assert stretch_row.status_label.text() == "Before the reminder"
    assert stretch_row.score_label.text().startswith("Score 0.00 — one more before the reminder: 0.0")


def test_clicking_the_check_box_before_the_reminder_counts_as_preemptive(window, model, qtbot):
    habit_id = add_daily(model, "Stretch")
    shown(window, qtbot)
    row = window.row(habit_id)
    score_before = row.score_label.text()

    qtbot.mouseClick(row.check_box, Qt.MouseButton.LeftButton)

    assert outcome(model, habit_id) is Outcome.PREEMPTIVE
    assert row.check_box.checkState() == Qt.CheckState.Checked
    assert row.status_label.text() == "✓ Done before the reminder"
    assert row.score_label.text() != score_before
    assert "before the reminder" in window.status_label.text()


def test_after_the_reminder_time_the_row_says_so_and_a_check_off_is_reminded(window, model, clock, qtbot):
    habit_id = add_daily(model, "Stretch")
    clock.set(at(9, 30))
    model.reload()
    shown(window, qtbot)
    row = window.row(habit_id)
    assert row.status_label.text() == "Reminder waiting"
    assert "done now, after the reminder" in row.score_label.text()

    qtbot.mouseClick(row.check_box, Qt.MouseButton.LeftButton)

    assert outcome(model, habit_id) is Outcome.REMINDED
    assert row.status_label.text() == "✓ Done after the reminder"


def test_focus_starts_on_the_first_unchecked_row(window, model, qtbot):
    first = add_daily(model, "Stretch")
    second = add_daily(model, "Plan the day", 10)
    model.check_off(first)

    shown(window, qtbot)

    assert window.selected_habit_id() == second
    assert QApplication.focusWidget() is window.row(second).check_box


def test_space_and_enter_check_off_the_selected_row_and_arrows_move(window, model, qtbot):
    first = add_daily(model, "Stretch")
    second = add_daily(model, "Plan the day", 10)
    shown(window, qtbot)

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert outcome(model, first) is Outcome.PREEMPTIVE

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert window.selected_habit_id() == second
    assert QApplication.focusWidget() is window.row(second).check_box

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert outcome(model, second) is Outcome.PREEMPTIVE
    # Enter on a row already done changes nothing.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert outcome(model, second) is Outcome.PREEMPTIVE

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Up)
    assert window.selected_habit_id() == first
    # Space toggles: on a checked row it takes the check-off back.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert outcome(model, first) is None
    assert window.row(first).check_box.checkState() == Qt.CheckState.Unchecked


def test_ctrl_z_undoes_the_selected_habits_latest_check_off(window, model, qtbot):
    habit_id = add_daily(model, "Stretch")
    shown(window, qtbot)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert outcome(model, habit_id) is Outcome.PREEMPTIVE
    assert window.undo_button.isEnabled()

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    assert outcome(model, habit_id) is None
    assert window.row(habit_id).status_label.text() == "Before the reminder"
    assert not window.undo_button.isEnabled()


def test_skip_and_undo_buttons_act_on_the_selected_row(window, model, qtbot):
    add_daily(model, "Stretch")
    second = add_daily(model, "Plan the day", 10)
    shown(window, qtbot, second)

    qtbot.mouseClick(window.skip_button, Qt.MouseButton.LeftButton)

    assert outcome(model, second) is Outcome.SKIPPED
    row = window.row(second)
    assert row.status_label.text() == "Skipped"
    assert row.check_box.checkState() == Qt.CheckState.PartiallyChecked
    assert not window.skip_button.isEnabled()

    qtbot.mouseClick(window.undo_button, Qt.MouseButton.LeftButton)
    assert outcome(model, second) is None
    assert row.status_label.text() == "Before the reminder"


def test_esc_hides_the_window(window, model, qtbot):
    add_daily(model, "Stretch")
    shown(window, qtbot)

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)

    assert not window.isVisible()


def test_show_and_focus_selects_the_habit_of_a_clicked_notification(window, model, qtbot):
    add_daily(model, "Stretch")
    second = add_daily(model, "Plan the day", 10)

    shown(window, qtbot, second)

    assert window.selected_habit_id() == second
    assert window.row(second).is_selected
    assert QApplication.focusWidget() is window.row(second).check_box


def test_a_redraw_keeps_the_selection(window, model, qtbot):
    first = add_daily(model, "Stretch")
    second = add_daily(model, "Plan the day", 10)
    gone = add_daily(model, "Water the plants", 18)
    shown(window, qtbot, second)

    model.check_off(first)  # from elsewhere, e.g. the tray menu
    assert window.selected_habit_id() == second

    window.select_habit(gone)
    model.archive(gone)
    assert window.habit_ids() == [first, second]
    assert window.selected_habit_id() == second


def test_back_fill_of_a_missed_day_is_recorded_as_late(window, model, qtbot):
    habit_id = add_daily(model, "Stretch")
    shown(window, qtbot)

    qtbot.mouseClick(window.earlier_button, Qt.MouseButton.LeftButton)
    dialog = window.backfill_dialog()
    assert dialog is not None and dialog.isVisible()
    # 20 to 24 November were missed; the newest comes first.
    assert dialog.missed_list.count() == 5
    assert dialog.missed_list.item(0).text() == "yesterday 09:00"
    assert dialog.missed_list.item(1).text() == "Mon 23 Nov 09:00"
    assert "counted as late" in dialog.consequence.text()

    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)

    report = model.report(habit_id)
    by_day = {entry.occurrence.key: entry.outcome for entry in report.settled}
    assert by_day[date(2026, 11, 24)] is Outcome.LATE
    assert by_day[date(2026, 11, 23)] is Outcome.MISSED
    assert outcome(model, habit_id) is None  # today is untouched
    assert "late" in window.status_label.text()
    assert window.backfill_dialog() is None


def test_unticking_today_after_a_later_back_fill_is_refused_with_a_reason(window, model, clock, qtbot):
    habit_id = add_daily(model, "Stretch")
    shown(window, qtbot)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    clock.advance(minutes=5)
    # Undo takes back the mark recorded last: this back-fill, not today's check-off.
    model.check_off(habit_id, at=datetime(2026, 11, 24, 9, 0, tzinfo=STOCKHOLM))

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)

    assert outcome(model, habit_id) is Outcome.PREEMPTIVE
    assert "Undo" in window.status_label.text()


def test_with_no_habits_the_window_says_how_to_add_one(window, qtbot):
    shown(window, qtbot)

    assert window.empty_label.isVisible()
    assert window.empty_label.text().startswith("No habits yet")
    assert not window.skip_button.isVisible()
    with qtbot.waitSignal(window.habits_requested):
        qtbot.mouseClick(window.add_button, Qt.MouseButton.LeftButton)


def test_the_first_habit_replaces_the_empty_state(window, model, qtbot):
    shown(window, qtbot)
    habit_id = add_daily(model, "Stretch")

    assert not window.empty_label.isVisible()
    assert window.habit_ids() == [habit_id]


def test_the_list_is_one_tab_stop_and_buttons_have_mnemonics(window, model, qtbot):
    add_daily(model, "Stretch")
    second = add_daily(model, "Plan the day", 10)
    add_daily(model, "Water the plants", 18)
    shown(window, qtbot, second)

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    # Past the other rows to the first enabled button (nothing to undo yet).
    assert QApplication.focusWidget() is window.skip_button
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is window.row(second).check_box

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    # A mnemonic animates the button's press first, so the click comes a moment later.
    qtbot.waitUntil(lambda: outcome(model, second) is Outcome.SKIPPED)


def test_a_habit_whose_reminder_is_months_away_waits_under_later_collapsed(window, model, qtbot):
    stretch = add_daily(model, "Stretch")
    domain = model.add_habit("Renew the domain", "FREQ=YEARLY", time(10), start=date(2026, 10, 20))
    review = model.add_habit(
        "Quarterly review", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", time(9), start=date(2026, 10, 15)
    )
    assert domain is not None and review is not None
    shown(window, qtbot)

    # Open (a check-off now counts in full), but listed after today's, by reminder: collapsed.
    assert window.habit_ids() == [stretch, review.id, domain.id]
    assert window.later_habit_ids() == [review.id, domain.id]
    toggle = window.later_toggle
    assert toggle.isVisible() and toggle.text() == "Later (2)"
    assert not window.row(domain.id).isVisible()
    assert window.row(stretch).isVisible()

    # From the keyboard: down from the last row reaches the group; Space opens it.
    qtbot.keyClick(window.row(stretch).check_box, Qt.Key.Key_Down)
    assert toggle.hasFocus()
    qtbot.keyClick(toggle, Qt.Key.Key_Space)
    assert window.row(domain.id).isVisible() and window.row(review.id).isVisible()
    assert window.selected_habit_id() == review.id

    qtbot.mouseClick(window.row(domain.id).check_box, Qt.MouseButton.LeftButton)
    assert outcome(model, domain.id) is Outcome.PREEMPTIVE
