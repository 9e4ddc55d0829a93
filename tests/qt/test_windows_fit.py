"""Every window fits: no sideways scrolling, no cut-off text, nothing past the edge of the screen.

Each window and tab is opened in English and in Swedish with the longest texts a person can type (a
120-character name, a 1,000-character why), at its default size and at the smallest size it allows.
At both sizes nothing scrolls sideways, every label shows its whole text (it wraps or is elided), and
the window, its size hint and its smallest size stay inside the screen's available area.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale, QSize
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateEdit,
    QLabel,
    QMessageBox,
    QRadioButton,
    QScrollArea,
    QTabWidget,
    QWidget,
)

from tests.qt.conftest import STOCKHOLM
from trayhabit.app.i18n import install_translators, remove_translators
from trayhabit.app.windows.backfill import BackfillDialog
from trayhabit.app.windows.calendar_import import CalendarImportDialog
from trayhabit.app.windows.checkoff import CheckOffWindow
from trayhabit.app.windows.crash_dialog import CrashDialog
from trayhabit.app.windows.habits import HabitsWindow
from trayhabit.app.windows.repair import RepairDialog
from trayhabit.app.windows.settings import SettingsWindow
from trayhabit.app.windows.welcome import WelcomeDialog
from trayhabit.autostart import Autostart
from trayhabit.core import i18n as core_i18n
from trayhabit.core.repairs import Repair, RepairKind
from trayhabit.core.service import MAX_NAME_LENGTH

# Long but made of words, as people write them: text that cannot wrap is elided instead.
LONG_NAME = ("Follow up on every quote sent to a customer after the meeting on Tuesday " * 3)[
    :MAX_NAME_LENGTH
]
LONG_WHY = ("Deals close on follow-up, and a customer who hears back within a day remembers it. " * 13)[:1000]


@pytest.fixture(params=["en", "sv"])
def language(request, qapp) -> Iterator[str]:
    """The language, and a font the size many desktops use (the offscreen default is smaller)."""
    before, font = QLocale(), qapp.font()
    assert install_translators(qapp, request.param) == request.param
    qapp.setFont(QFont("DejaVu Sans", 11))
    yield request.param
    qapp.setFont(font)
    remove_translators(qapp)
    QLocale.setDefault(before)
    core_i18n.set_language("system")


@pytest.fixture
def long_habits(model, clock, language) -> list[str]:
    """Three habits with the longest name and why, started weeks ago, so they have a history."""
    start = date(2026, 11, 2)
    ids = []
    for number, rule in enumerate(("FREQ=DAILY", "FREQ=WEEKLY;BYDAY=FR", "FREQ=MONTHLY;BYMONTHDAY=15")):
        name = f"{number} {LONG_NAME}"[:MAX_NAME_LENGTH]
        habit = model.add_habit(name, rule, time(9), why=LONG_WHY, start=start)
        assert habit is not None, name
        ids.append(habit.id)
    clock.set(datetime(2026, 11, 25, 9, 5, tzinfo=STOCKHOLM))
    model.reload()
    return ids


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def problems(window: QWidget) -> list[str]:
    """What does not fit in *window* as it is shown now, one line each."""
    _settle()
    found = []
    available = window.screen().availableGeometry().size()

    def past_screen(what: str, size: QSize) -> None:
        if size.width() > available.width() or size.height() > available.height():
            found.append(
                f"{what} {size.width()}x{size.height()} is past the screen's {available.width()}x"
                f"{available.height()}"
            )

    past_screen("the window", window.frameGeometry().size())
    past_screen("the size hint", window.sizeHint())
    past_screen("the smallest size", window.minimumSizeHint().expandedTo(window.minimumSize()))
    title = QFontMetrics(window.font()).horizontalAdvance(window.windowTitle())
    if title > available.width():
        found.append(f"the title {window.windowTitle()[:40]!r} is {title} wide")
    for area in window.findChildren(QAbstractScrollArea):
        if not area.isVisible():
            continue
        if area.horizontalScrollBar().isVisible():
            found.append(f"{type(area).__name__} {area.objectName()!r} scrolls sideways")
        # With its scroll bar turned off, content wider than the view is cut off at the right (a
        # chart pushed out of view).
        content = area.widget() if isinstance(area, QScrollArea) else None
        if content is not None and content.width() > area.viewport().width():
            found.append(f"the content of {area.objectName()!r} is cut off at the right")
    for label in window.findChildren(QLabel):
        if not label.isVisible() or label.wordWrap() or not label.text():
            continue
        if label.sizeHint().width() > label.width():
            found.append(
                f"label {label.text()[:40]!r} is cut off: needs {label.sizeHint().width()}, has {label.width()}"
            )
    return found


def assert_fits(qtbot, window: QWidget, where: str) -> None:
    """*window* fits at its default size and at its smallest."""
    # Qt adds the app's name to a title that does not end with it (on X11, Wayland, Windows); macOS
    # shows the title as set: ending with the name, a title names the app once on every platform.
    title = window.windowTitle()
    assert title.endswith(" — TrayHabit") and title.count("TrayHabit") == 1, title
    window.show()
    qtbot.waitExposed(window)
    at_default = problems(window)
    window.resize(1, 1)  # the layout holds the window at its smallest allowed size
    at_smallest = problems(window)
    assert (at_default, at_smallest) == ([], []), where


def test_the_check_off_window_fits(qtbot, model, long_habits, language) -> None:
    window = CheckOffWindow(model)
    qtbot.addWidget(window)
    assert_fits(qtbot, window, f"check-off window ({language})")


def test_the_backfill_dialog_fits(qtbot, model, long_habits, language) -> None:
    report = model.report(long_habits[0])
    dialog = BackfillDialog(report, model.now(), model.service.clock.tz, (0.5, 1.0))
    qtbot.addWidget(dialog)
    assert_fits(qtbot, dialog, f"backfill dialog ({language})")


@pytest.mark.parametrize("tab", [0, 1], ids=["form", "progress"])
def test_the_habits_window_fits(qtbot, model, long_habits, language, tab: int) -> None:
    window = HabitsWindow(model)
    qtbot.addWidget(window)
    window.show_habit(long_habits[0])
    window.findChild(QTabWidget, "tabs").setCurrentIndex(tab)
    assert_fits(qtbot, window, f"habits window, tab {tab} ({language})")


def test_the_habits_window_fits_a_new_habit_being_named(qtbot, model, language, monkeypatch) -> None:
    # Closed at the end with the new habit unsaved: its changes are discarded.
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Discard)
    window = HabitsWindow(model)
    qtbot.addWidget(window)
    window.new_habit(LONG_NAME, why=LONG_WHY)
    assert_fits(qtbot, window, f"habits window, new habit ({language})")


@pytest.mark.parametrize("repeat", ["every_n_days", "weekly", "monthly", "yearly", "custom"])
def test_the_habits_window_fits_every_repeat_and_the_note_on_a_past_start(
    qtbot, model, language, monkeypatch, repeat: str
) -> None:
    # Closed at the end with the new habit unsaved: its changes are discarded.
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Discard)
    window = HabitsWindow(model)
    qtbot.addWidget(window)
    window.new_habit(LONG_NAME, why=LONG_WHY)
    combo = window.findChild(QComboBox, "repeat")
    combo.setCurrentIndex(combo.findData(repeat))
    if repeat == "monthly":
        window.findChild(QRadioButton, "on_weekday").setChecked(True)
    # The longest month's name, and a start date in the past: its note shows under the date.
    window.findChild(QDateEdit, "start_date").setDate(QDate(2026, 9, 1))
    window.findChild(QComboBox, "year_month").setCurrentIndex(8)
    assert window.findChild(QLabel, "past_start_note").text()
    assert_fits(qtbot, window, f"habits window, {repeat} ({language})")

    # At the smallest size (where assert_fits leaves it) nothing is squeezed once the layout has
    # settled (a wrapped text asks for its lines' height as it gets its width): every wrapped text
    # has the height of its lines, every control its height.
    def squeezed() -> list[str]:
        return [
            widget.objectName() or type(widget).__name__
            for widget in window.findChildren(QWidget)
            if widget.isVisible()
            and not isinstance(widget.parentWidget(), QAbstractSpinBox)  # its line edit, inside its frame
            and (
                widget.height() < widget.minimumSizeHint().height()
                or (
                    isinstance(widget, QLabel)
                    and widget.wordWrap()
                    and widget.height() < widget.heightForWidth(widget.width())
                )
            )
        ]

    qtbot.waitUntil(lambda: not squeezed(), timeout=2000)
    assert not problems(window), f"{repeat} ({language})"


def test_the_settings_window_fits(qtbot, model, language, tmp_path: Path) -> None:
    window = SettingsWindow(model, Autostart("trayhabit", platform="linux", config_home=tmp_path / "config"))
    qtbot.addWidget(window)
    assert_fits(qtbot, window, f"settings window ({language})")


def test_the_welcome_dialog_fits(qtbot, language) -> None:
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    assert_fits(qtbot, dialog, f"welcome dialog ({language})")


def test_the_calendar_import_dialog_fits(qtbot, model, language) -> None:
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:{number}@example.com\r\nSUMMARY:{number} {LONG_NAME}"[: MAX_NAME_LENGTH + 8]
        + "\r\n"
        f"DESCRIPTION:{LONG_WHY}\r\n"
        "DTSTART;TZID=Europe/Stockholm:20261201T153000\r\n"
        f"RRULE:FREQ=WEEKLY;BYDAY={day}\r\n"
        "END:VEVENT\r\n"
        for number, day in enumerate(("MO", "TU", "WE"))
    )
    data = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{events}END:VCALENDAR\r\n".encode()
    plan = model.service.plan_calendar_import(data, f"{'long-calendar-name-' * 6}.ics")
    assert plan.habits
    dialog = CalendarImportDialog(plan)
    qtbot.addWidget(dialog)
    assert_fits(qtbot, dialog, f"calendar import dialog ({language})")


def test_the_repair_dialog_fits(qtbot, language, tmp_path: Path) -> None:
    dialog = RepairDialog()
    qtbot.addWidget(dialog)
    folder = tmp_path / ("a-rather-long-folder-name-" * 4) / "TrayHabit"
    dialog.add(
        Repair(
            RepairKind.RESTORED,
            "trayhabit.json",
            folder,
            reason="it is not valid JSON",
            aside=folder / "trayhabit.json.corrupt-20261125T090500",
            restored_from=datetime(2026, 11, 25, 3, 0, tzinfo=STOCKHOLM),
        )
    )
    assert_fits(qtbot, dialog, f"repair dialog ({language})")


def test_the_crash_dialog_fits(qtbot, language, tmp_path: Path) -> None:
    dialog = CrashDialog(tmp_path / "logs")
    qtbot.addWidget(dialog)
    assert_fits(qtbot, dialog, f"crash dialog ({language})")
