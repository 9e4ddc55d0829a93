"""The first-run welcome: it explains pre-empting, and hands over the example the user picks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCommandLinkButton, QDialog, QLabel, QPushButton

from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.welcome import WelcomeDialog
from trayhabit.core.days import parse_time_of_day


def open_dialog(qtbot) -> WelcomeDialog:
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def button(dialog: WelcomeDialog, title: str) -> QCommandLinkButton:
    return next(b for b in dialog.findChildren(QCommandLinkButton) if b.text() == title)


def test_the_text_explains_the_method_and_pre_empting(qtbot):
    dialog = open_dialog(qtbot)

    text = " ".join(label.text() for label in dialog.findChildren(QLabel))

    assert dialog.windowTitle() == "Welcome — TrayHabit"
    assert "recurring reminder" in text
    assert "<i>before</i> the reminder" in text
    assert "pre-empted" in text
    assert "retiring the reminder" in text
    assert "tray" in text or "menu bar" in text or "notification area" in text


def test_clicking_an_example_emits_its_habit_and_closes(qtbot):
    dialog = open_dialog(qtbot)

    with qtbot.waitSignal(dialog.example_chosen) as chosen, qtbot.assertNotEmitted(dialog.blank_chosen):
        qtbot.mouseClick(button(dialog, "Follow up sent quotes"), Qt.MouseButton.LeftButton)

    assert chosen.args == [
        "Follow up sent quotes",
        "FREQ=WEEKLY;BYDAY=FR",
        "15:00",
        "Deals close on follow-up",
    ]
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_the_customer_meeting_example_is_on_weekdays(qtbot):
    dialog = open_dialog(qtbot)

    with qtbot.waitSignal(dialog.example_chosen) as chosen:
        qtbot.mouseClick(button(dialog, "Follow up after a customer meeting"), Qt.MouseButton.LeftButton)

    assert chosen.args == [
        "Follow up after a customer meeting",
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "16:30",
        "Send the summary while it is fresh",
    ]


def test_enter_takes_the_first_example(qtbot):
    dialog = open_dialog(qtbot)

    with qtbot.waitSignal(dialog.example_chosen) as chosen:
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    assert chosen.args[0] == "Follow up sent quotes"


def test_start_from_scratch_emits_blank_chosen(qtbot):
    dialog = open_dialog(qtbot)

    with qtbot.waitSignal(dialog.blank_chosen), qtbot.assertNotEmitted(dialog.example_chosen):
        qtbot.mouseClick(button(dialog, "Start from scratch"), Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()


def test_not_now_and_escape_close_without_a_choice(qtbot):
    dialog = open_dialog(qtbot)
    with qtbot.assertNotEmitted(dialog.example_chosen), qtbot.assertNotEmitted(dialog.blank_chosen):
        later = next(b for b in dialog.findChildren(QPushButton) if b.text() == "&Not now")
        qtbot.mouseClick(later, Qt.MouseButton.LeftButton)
        assert dialog.result() == QDialog.DialogCode.Rejected

        dialog = open_dialog(qtbot)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible()


def test_every_example_is_a_habit_the_core_accepts(qtbot, model: HabitsModel):
    dialog = open_dialog(qtbot)

    for example in dialog.examples():
        habit = model.add_habit(example.name, example.rule, parse_time_of_day(example.at), why=example.why)
        assert habit is not None, example.name

    assert [r.habit.name for r in model.reports()] == [
        "Follow up sent quotes",
        "Follow up after a customer meeting",
        "Plan tomorrow",
    ]
