"""What a screen reader gets from every window: a name for every control, each check-off row's
habit, status and checked state, and a Tab order that follows the reading order.

The names are read through Qt's accessibility interface (QAccessible), the same one Qt's AT-SPI
bridge hands to Orca on Linux (and UI Automation on Windows): a control named by its text, its
label (a buddy) or setAccessibleName counts; tests/e2e/test_accessibility.py reads the real app
through AT-SPI.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QLocale, QPoint, QRect, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from tests.qt.conftest import STOCKHOLM, WEDNESDAY
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.backfill import BackfillDialog
from trayhabit.app.windows.calendar_import import CalendarImportDialog
from trayhabit.app.windows.checkoff import CheckOffWindow
from trayhabit.app.windows.crash_dialog import CrashDialog
from trayhabit.app.windows.habits import HabitsWindow
from trayhabit.app.windows.repair import RepairDialog
from trayhabit.app.windows.settings import SettingsWindow
from trayhabit.app.windows.welcome import WelcomeDialog
from trayhabit.autostart import Autostart
from trayhabit.core.repairs import Repair, RepairKind

#: The widgets a person operates: each needs a name a screen reader can say.
INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QAbstractSlider,
    QTabBar,
    QTextEdit,
    QPlainTextEdit,
)
#: Controls made of controls: the parts inside (a spin box's line edit) are the outer control's.
COMPOSITE = (QAbstractSpinBox, QComboBox, QAbstractItemView)


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def _outer_control(widget: QWidget, window: QWidget) -> QWidget | None:
    """The control *widget* is a part of (a spin box, for its line edit), or None."""
    outer = None
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, COMPOSITE):
            outer = parent
        parent = parent.parentWidget()
    return outer


def _inside_a_control(widget: QWidget, window: QWidget) -> bool:
    return _outer_control(widget, window) is not None


def unnamed_controls(window: QWidget) -> list[str]:
    """The interactive controls of *window* (shown or not) that a screen reader could not name."""
    found = []
    for widget in [window, *window.findChildren(QWidget)]:
        if not isinstance(widget, INTERACTIVE) or isinstance(widget, QScrollBar):
            continue  # a scroll bar is the scroll area's, which says what it holds
        if _inside_a_control(widget, window) or accessible_name(widget):
            continue
        found.append(
            f"{type(widget).__name__} {widget.objectName()!r} in {type(widget.parentWidget()).__name__}"
        )
    return found


def tab_chain(window: QWidget) -> list[QWidget]:
    """The controls Tab visits in *window*, in order, from its first."""
    chain: list[QWidget] = []
    widget = window.nextInFocusChain()
    for _ in range(2000):
        if widget is window:
            break
        # As QWidget.focusNextPrevChild picks them: a widget with a focus proxy hands Tab on.
        if (
            widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.focusProxy() is None
            and widget.window() is window
        ):
            control = _outer_control(widget, window) or widget
            if not chain or chain[-1] is not control:
                chain.append(control)
        widget = widget.nextInFocusChain()
    return chain


def _rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def out_of_reading_order(window: QWidget) -> list[str]:
    """Steps of the Tab chain that go back against the reading order: up, except into a column
    further right, or left within one line."""
    found = []
    chain = tab_chain(window)
    for before, after in pairwise(chain):
        a, b = _rect(before, window), _rect(after, window)
        same_line = b.top() < a.bottom() and a.top() < b.bottom()
        # Within a line, back to the left; across lines, up, unless into a column further right.
        backwards = b.right() <= a.left() if same_line else b.top() < a.top() and b.left() < a.right()
        if backwards:
            found.append(f"{_named(before)} -> {_named(after)}")
    return found


def _named(widget: QWidget) -> str:
    return f"{type(widget).__name__}({widget.objectName() or accessible_name(widget)!r})"


# -- the windows, as a person finds them -----------------------------------------------------------


def _habits(model: HabitsModel) -> list[str]:
    ids = []
    for name, hour in (("Stretch", 9), ("Water the plants", 7), ("Read", 10), ("Plan tomorrow", 11)):
        habit = model.add_habit(name, "FREQ=DAILY", time(hour), why="Because", start=date(2026, 11, 2))
        assert habit is not None
        ids.append(habit.id)
    yearly = model.add_habit("Renew the domain", "FREQ=YEARLY", time(10), start=date(2026, 10, 20))
    assert yearly is not None
    model.check_off(ids[2])
    model.skip(ids[3])
    return ids


def check_off_window(model: HabitsModel, _tmp: Path) -> list[QWidget]:
    ids = _habits(model)
    window = CheckOffWindow(model)
    window.later_toggle.setChecked(True)
    window.explain_no_tray()
    window.show_and_focus(ids[0])
    return [window]


def note_dialog(model: HabitsModel, _tmp: Path) -> list[QWidget]:
    ids = _habits(model)
    window = CheckOffWindow(model)
    window.show_and_focus(ids[2])  # checked off: it takes a note
    note = window.open_note()
    assert note is not None
    return [window, note]


def empty_check_off_window(model: HabitsModel, _tmp: Path) -> list[QWidget]:
    window = CheckOffWindow(model)
    window.show_and_focus()
    return [window]


def habits_window(model: HabitsModel, _tmp: Path) -> list[QWidget]:
    ids = _habits(model)
    window = HabitsWindow(model)
    window.show_habit(ids[0])
    return [window]


def habits_window_progress(model: HabitsModel, _tmp: Path) -> list[QWidget]:
    ids = _habits(model)
    window = HabitsWindow(model)
    window.show_habit(ids[0])
    tabs = window.findChild(QTabWidget, "tabs")
    assert tabs is not None
    tabs.setCurrentIndex(1)
    return [window]


def settings_window(model: HabitsModel, tmp: Path) -> list[QWidget]:
    window = SettingsWindow(model, Autostart(["trayhabit"], platform="linux", config_home=tmp / "config"))
    window.show_and_raise()
    return [window]


def dialogs(model: HabitsModel, tmp: Path) -> list[QWidget]:
    welcome = WelcomeDialog()
    repair = RepairDialog()
    repair.add(
        Repair(
            RepairKind.RESTORED,
            "trayhabit.json",
            tmp,
            reason="it is not valid JSON",
            aside=tmp / "trayhabit.json.corrupt-20261125T090500",
            restored_from=datetime(2026, 11, 25, 3, 0, tzinfo=STOCKHOLM),
        )
    )
    crash = CrashDialog(tmp / "logs")
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:1@example.com\r\n"
        b"SUMMARY:Follow up sent quotes\r\nDTSTART;TZID=Europe/Stockholm:20261201T153000\r\n"
        b"RRULE:FREQ=WEEKLY;BYDAY=FR\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    calendar = CalendarImportDialog(model.service.plan_calendar_import(data, "work.ics"))
    ids = _habits(model)
    report = model.report(ids[1])
    assert report is not None
    backfill = BackfillDialog(report, model.now(), model.zone, (0.5, 1.0))
    windows: list[QWidget] = [welcome, repair, crash, calendar, backfill]
    for window in windows:
        window.show()
    return windows


WINDOWS: dict[str, Callable[[HabitsModel, Path], list[QWidget]]] = {
    "check-off": check_off_window,
    "check-off, empty": empty_check_off_window,
    "note": note_dialog,
    "habits": habits_window,
    "habits, progress": habits_window_progress,
    "settings": settings_window,
    "dialogs": dialogs,
}


@pytest.fixture
def opened(qtbot, model, tmp_path, monkeypatch):
    """Opens the windows a builder makes; after the test they are closed (edits discarded) and
    deleted, while the test's model still lives."""
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Discard)
    made: list[QWidget] = []

    def open_(build: Callable[[HabitsModel, Path], list[QWidget]]) -> list[QWidget]:
        windows = build(model, tmp_path)
        made.extend(window for window in windows if window.parentWidget() is None)
        for window in windows:
            qtbot.waitExposed(window)
        return windows

    yield open_
    for window in made:
        window.close()
        window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


@pytest.mark.parametrize("name", list(WINDOWS))
def test_every_control_has_a_name_a_screen_reader_can_say(opened, name: str):
    windows = opened(WINDOWS[name])
    assert {window.windowTitle(): unnamed_controls(window) for window in windows} == {
        window.windowTitle(): [] for window in windows
    }


@pytest.mark.parametrize("name", ["check-off", "habits", "habits, progress", "settings", "note", "dialogs"])
def test_tab_follows_the_reading_order(opened, name: str):
    windows = opened(WINDOWS[name])
    assert all(tab_chain(window) for window in windows)
    assert {window.windowTitle(): out_of_reading_order(window) for window in windows} == {
        window.windowTitle(): [] for window in windows
    }


# -- the check-off rows ------------------------------------------------------------------------------


def test_a_check_off_row_says_its_habit_its_status_and_whether_it_is_checked(qtbot, model, clock):
    stretch, water, read, plan = _habits(model)
    walk = model.add_habit("Walk", "FREQ=DAILY", time(7, 30), start=date(2026, 11, 2))
    assert walk is not None
    clock.set(datetime.combine(WEDNESDAY.date(), time(8, 0), STOCKHOLM))
    model.check_off(walk.id)
    model.reload()
    window = CheckOffWindow(model)
    window.setLocale(QLocale("en_GB"))
    window.refresh()
    qtbot.addWidget(window)

    def spoken(habit_id: str) -> tuple[str, str, str]:
        row = window.row(habit_id)
        assert row is not None
        interface = QAccessible.queryAccessibleInterface(row.check_box)
        state = interface.state()
        checked = "mixed" if state.checkStateMixed else "checked" if state.checked else "unchecked"
        status = interface.text(QAccessible.Text.Description).split(";")[0]
        return interface.text(QAccessible.Text.Name), status, checked

    assert spoken(stretch) == ("Stretch", "Before the reminder", "unchecked")
    assert spoken(water) == ("Water the plants", "Reminder waiting", "unchecked")
    assert spoken(read) == ("Read", "Done before the reminder", "checked")
    assert spoken(walk.id) == ("Walk", "Done after the reminder", "checked")
    assert spoken(plan) == ("Plan tomorrow", "Skipped", "mixed")
    # The rest of the description: when the reminder is, and what a check-off does to the score.
    row = window.row(stretch)
    assert row is not None
    assert row.check_box.accessibleDescription().split("; ")[1:] == [
        row.when_label.text(),
        row.score_label.text(),
    ]


def test_the_later_group_and_the_open_habits_are_named(opened):
    window = opened(check_off_window)[0]
    assert isinstance(window, CheckOffWindow)
    assert accessible_name(window.later_toggle).startswith("Later: 1 habit")
    assert accessible_name(window.list_area) == "Open habits"
