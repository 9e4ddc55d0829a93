"""A damaged store told in a window of its own: what happened, from when, where the damaged copy is."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from tests.helpers.clock import FakeClock
from tests.helpers.notifier import RecordingNotifier
from trayhabit.app.application import TrayHabitApp
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.repair import RepairDialog
from trayhabit.app.windows.welcome import WelcomeDialog
from trayhabit.core.service import HabitService
from trayhabit.core.store import Store


def visible(kind: type) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    """A data folder on its first day, a new user's one change made, then its main file overwritten."""
    data_dir = tmp_path / "data"
    store = Store(data_dir)
    store.open()
    with store.writing() as tx:
        tx.set_settings({"snooze_minutes": 15})  # the user changed a setting; no habit yet
    (data_dir / "trayhabit.json").write_bytes(b"garbage\n")
    return data_dir


@pytest.fixture
def started(damaged: Path, clock: FakeClock, qapp, qtbot):
    store = Store(damaged, clock=clock)
    repairs = store.open()
    app = TrayHabitApp(HabitsModel(HabitService(store, clock)), RecordingNotifier())
    app.show_repairs(repairs)
    app.start()
    yield app
    for widget in QApplication.topLevelWidgets():
        widget.close()


def test_a_restored_store_is_told_in_a_window_and_gets_no_welcome(started, damaged: Path) -> None:
    (dialog,) = visible(RepairDialog)
    assert not dialog.isModal()
    (label,) = dialog.findChildren(QLabel, "repair")
    (aside,) = damaged.glob("trayhabit.json.corrupt-*")
    assert label.text().startswith("trayhabit.json was damaged (it is not valid JSON). TrayHabit restored it")
    assert str(aside) in label.text()
    # The user is not new: no first-run welcome over their restored store.
    assert visible(WelcomeDialog) == []
    assert started.model.settings()["snooze_minutes"] == 15


def test_open_folder_opens_the_folder_of_the_damaged_copy(started, damaged: Path, monkeypatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    (dialog,) = visible(RepairDialog)
    button = dialog.findChild(QPushButton, "open_folder")
    assert button.accessibleName()
    button.click()
    assert [url.toLocalFile() for url in opened] == [str(damaged)]


def test_damage_found_while_running_joins_the_same_window(started, damaged: Path) -> None:
    (damaged / "trayhabit.json").write_bytes(b"{")
    started.model.reload()
    (dialog,) = visible(RepairDialog)
    assert len(dialog.findChildren(QLabel, "repair")) == 2
