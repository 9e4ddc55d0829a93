"""The titles of the dialogs the windows open: each names TrayHabit once, as set and as shown.

On X11, Wayland and Windows Qt appends the application's display name to a title that does not
end with it (QPlatformWindow::formatWindowTitle); macOS shows a title as set. A title that ends
with the name therefore reads the same everywhere. The windows' own titles are checked in
test_windows_fit; the titles the window manager really shows, in tests/e2e/test_accessibility.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox, QPushButton, QWidget

from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.titles import APP_NAME
from trayhabit.app.windows.habits import HabitsWindow
from trayhabit.app.windows.settings import SettingsWindow
from trayhabit.autostart import Autostart


def shown_title(title: str) -> str:
    """The title Qt gives the window manager on X11, Wayland and Windows, for a title set as *title*."""
    name = QApplication.applicationDisplayName()
    return title if title.endswith(name) else f"{title} — {name}"


def names_the_app_once(title: str) -> bool:
    return title.count(APP_NAME) == 1 and shown_title(title).count(APP_NAME) == 1


@pytest.fixture(autouse=True)
def display_name(qapp):
    """The display name the app sets at start (launch.run_app), which Qt appends to titles."""
    before = qapp.applicationDisplayName()
    qapp.setApplicationDisplayName(APP_NAME)
    yield
    qapp.setApplicationDisplayName(before)


@pytest.fixture
def titles(monkeypatch) -> list[str]:
    """The titles of the message boxes and file dialogs opened, each answered as cancelled (a real
    modal dialog would hang the test)."""
    seen: list[str] = []

    def question(_parent, title, *_args):
        seen.append(title)
        # Neither Yes (delete) nor Save; unsaved edits go, so the window closes after the test.
        return QMessageBox.StandardButton.Discard

    def file_dialog(_parent, title, *_args):
        seen.append(title)
        return "", ""

    def folder_dialog(_parent, title, *_args):
        seen.append(title)
        return ""

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", file_dialog)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", file_dialog)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", folder_dialog)
    return seen


def click(window: QWidget, name: str) -> None:
    button = window.findChild(QPushButton, name)
    assert button is not None, name
    button.click()


def test_the_habits_window_dialogs_name_the_app_once(qtbot, model: HabitsModel, titles):
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9))
    assert habit is not None
    window = HabitsWindow(model)
    qtbot.addWidget(window)
    window.show_habit(habit.id)
    click(window, "delete")
    click(window, "import_calendar")
    # An unsaved edit, then another habit: the window asks what to do with the edit.
    name = window.findChild(QLineEdit, "name")
    assert name is not None
    qtbot.keyClicks(name, " now")
    window.new_habit()
    assert titles == [
        "Delete habit — TrayHabit",
        "Import from calendar — TrayHabit",
        "Unsaved changes — TrayHabit",
    ]
    assert all(names_the_app_once(title) for title in titles)


def test_the_settings_window_dialogs_name_the_app_once(qtbot, model: HabitsModel, tmp_path: Path, titles):
    window = SettingsWindow(model, Autostart(["trayhabit"], platform="linux", config_home=tmp_path))
    qtbot.addWidget(window)
    for name in ("export", "import", "choose_sync_folder"):
        click(window, name)
    assert titles == [
        "Export habits — TrayHabit",
        "Import habits — TrayHabit",
        "Choose the sync folder — TrayHabit",
    ]
    assert all(names_the_app_once(title) for title in titles)
