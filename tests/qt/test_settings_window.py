"""The settings window: each control writes its setting at once, and shows changes made elsewhere."""

from __future__ import annotations

import json
import threading
from datetime import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTime, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QToolButton,
    QWidget,
)

from tests.helpers.windows import child, shown_settings_window
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.settings import SettingsWindow
from trayhabit.autostart import Autostart
from trayhabit.core.service import HabitService
from trayhabit.core.settings import SPECS, SettingSpec
from trayhabit.core.store import Store

COMMAND = ["/opt/Tray Habit/bin/python", "-m", "trayhabit"]


@pytest.fixture
def autostart(tmp_path: Path) -> Autostart:
    return Autostart(COMMAND, platform="linux", config_home=tmp_path / "config")


@pytest.fixture
def window(qtbot, model: HabitsModel, autostart: Autostart) -> SettingsWindow:
    return shown_settings_window(qtbot, model, autostart)


def type_into(qtbot, spin, text: str) -> None:
    """Replace a field's text from the keyboard and press Enter, as a user finishes an edit."""
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def test_the_window_has_a_title_and_shows_the_stored_values(window: SettingsWindow, model: HabitsModel):
    assert window.windowTitle() == "Settings — TrayHabit"
    assert child(window, QSpinBox, "snooze_minutes").value() == 10
    assert child(window, QTimeEdit, "day_boundary").time() == QTime(4, 0)
    assert not child(window, QCheckBox, "quiet_hours").isChecked()
    assert not child(window, QTimeEdit, "quiet_hours_start").isEnabled()
    assert child(window, QComboBox, "language").currentText() == "System default"
    assert child(window, QSpinBox, "backup_count").value() == 7
    assert child(window, QLineEdit, "data_folder").text() == str(model.data_dir)


def test_typing_a_snooze_length_stores_it(qtbot, window: SettingsWindow, model: HabitsModel):
    type_into(qtbot, child(window, QSpinBox, "snooze_minutes"), "15")

    assert model.settings()["snooze_minutes"] == 15


def test_an_edit_left_unfinished_is_stored_when_the_window_closes(
    qtbot, window: SettingsWindow, model: HabitsModel
):
    spin = child(window, QSpinBox, "snooze_minutes")
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "30")

    window.close()

    assert model.settings()["snooze_minutes"] == 30


def test_quiet_hours_are_written_as_a_range_and_cleared_when_unchecked(
    qtbot, window: SettingsWindow, model: HabitsModel
):
    box = child(window, QCheckBox, "quiet_hours")
    start = child(window, QTimeEdit, "quiet_hours_start")
    end = child(window, QTimeEdit, "quiet_hours_end")

    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert start.isEnabled()
    start.setTime(QTime(21, 30))
    qtbot.keyClick(start, Qt.Key.Key_Return)
    assert model.settings()["quiet_hours"] == "21:30-07:00"

    start.setTime(QTime(22, 0))
    qtbot.keyClick(start, Qt.Key.Key_Return)
    assert model.settings()["quiet_hours"] == "22:00-07:00"

    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert model.settings()["quiet_hours"] == ""
    assert not start.isEnabled()
    assert not end.isEnabled()


def test_stepping_the_day_boundary_with_the_arrow_key_stores_it(
    qtbot, window: SettingsWindow, model: HabitsModel
):
    edit = child(window, QTimeEdit, "day_boundary")
    edit.setFocus()
    edit.setCurrentSection(QTimeEdit.Section.HourSection)
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    qtbot.keyClick(edit, Qt.Key.Key_Return)

    assert edit.time() == QTime(5, 0)
    assert model.settings().day_boundary == time(5, 0)


def test_choosing_a_language_stores_its_code(qtbot, window: SettingsWindow, model: HabitsModel):
    combo = child(window, QComboBox, "language")
    combo.setCurrentIndex(combo.findText("Svenska"))

    assert model.settings()["language"] == "sv"


def test_a_change_made_elsewhere_shows_in_the_window(window: SettingsWindow, model: HabitsModel):
    model.set_setting("snooze_minutes", "25")
    model.set_setting("quiet_hours", "23:00-06:30")

    assert child(window, QSpinBox, "snooze_minutes").value() == 25
    assert child(window, QCheckBox, "quiet_hours").isChecked()
    assert child(window, QTimeEdit, "quiet_hours_start").time() == QTime(23, 0)
    assert child(window, QTimeEdit, "quiet_hours_end").time() == QTime(6, 30)


def test_a_change_made_elsewhere_leaves_the_field_being_typed_in_alone(
    qtbot, window: SettingsWindow, model: HabitsModel
):
    window.activateWindow()
    spin = child(window, QSpinBox, "snooze_minutes")
    spin.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is spin)
    spin.selectAll()
    qtbot.keyClicks(spin, "4")

    model.set_setting("snooze_minutes", "25")
    model.set_setting("backup_count", "3")

    assert spin.text().startswith("4")
    assert child(window, QSpinBox, "backup_count").value() == 3
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert model.settings()["snooze_minutes"] == 4


def test_restore_defaults_puts_the_score_back(qtbot, window: SettingsWindow, model: HabitsModel):
    model.set_setting("credit_reminded", "0.5")
    model.set_setting("max_skips", "5")
    advanced = child(window, QToolButton, "advanced")
    restore = child(window, QPushButton, "restore_defaults")
    assert not restore.isVisible()

    qtbot.mouseClick(advanced, Qt.MouseButton.LeftButton)
    assert child(window, QDoubleSpinBox, "credit_reminded").value() == pytest.approx(0.5)
    qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)

    assert model.settings()["credit_reminded"] == pytest.approx(0.4)
    assert model.settings()["max_skips"] == 2
    assert child(window, QDoubleSpinBox, "credit_reminded").value() == pytest.approx(0.4)


def test_score_fields_explain_themselves_in_tooltips(window: SettingsWindow):
    tip = child(window, QDoubleSpinBox, "half_life_base").toolTip()

    assert "Half-life" in tip
    assert "Default: 24.0" in tip


def test_a_setting_without_a_control_of_its_own_gets_a_text_field(
    qtbot, monkeypatch, model: HabitsModel, autostart: Autostart
):
    monkeypatch.setitem(SPECS, "future_option", SettingSpec("future_option", "x", str.strip, "Later."))
    window = SettingsWindow(model, autostart)
    qtbot.addWidget(window)

    field = child(window, QLineEdit, "future_option")
    assert field.text() == "x"
    field.setText("y")
    field.editingFinished.emit()

    assert model.settings()["future_option"] == "y"
    assert window.findChild(QWidget, "welcomed") is None


def test_start_at_login_writes_the_autostart_entry_and_the_setting(
    qtbot, window: SettingsWindow, model: HabitsModel, autostart: Autostart, tmp_path: Path
):
    box = child(window, QCheckBox, "start_at_login")
    entry = tmp_path / "config" / "autostart" / "trayhabit.desktop"

    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)

    assert entry.is_file()
    assert autostart.is_enabled()
    assert model.settings()["start_at_login"] is True

    qtbot.keyClick(box, Qt.Key.Key_Space)

    assert not entry.exists()
    assert model.settings()["start_at_login"] is False


def test_start_at_login_says_so_inline_when_the_system_refuses(qtbot, model: HabitsModel, tmp_path: Path):
    blocker = tmp_path / "config"
    blocker.write_text("a file where the config folder should be")
    window = SettingsWindow(model, Autostart(COMMAND, platform="linux", config_home=blocker))
    qtbot.addWidget(window)
    window.show_and_raise()
    box = child(window, QCheckBox, "start_at_login")
    error = child(window, QWidget, "start_at_login_error")
    assert not error.isVisible()

    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)

    assert error.isVisible()
    assert "start at login" in " ".join(label.text() for label in error.findChildren(QLabel))
    assert not box.isChecked()
    assert model.settings()["start_at_login"] is False


def test_export_writes_the_chosen_file_in_the_chosen_format(
    qtbot, monkeypatch, window: SettingsWindow, model: HabitsModel, tmp_path: Path
):
    model.add_habit("Follow up sent quotes", "FREQ=WEEKLY;BYDAY=FR", time(15, 0))
    target = tmp_path / "export"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "CSV, for spreadsheets (*.csv)")
    )

    with qtbot.waitSignal(model.worker.finished):  # the export runs on the worker
        qtbot.mouseClick(child(window, QPushButton, "export"), Qt.MouseButton.LeftButton)

    written = tmp_path / "export.csv"
    assert "Follow up sent quotes" in written.read_text()
    assert str(written) in child(window, QLabel, "data_status").text()

    json_target = tmp_path / "all.json"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(json_target), "JSON, complete (*.json)")
    )
    with qtbot.waitSignal(model.worker.finished):  # the export runs on the worker
        qtbot.mouseClick(child(window, QPushButton, "export"), Qt.MouseButton.LeftButton)

    assert [h["name"] for h in json.loads(json_target.read_text())["habits"]] == ["Follow up sent quotes"]

    offered: list[str] = []

    def save_as(target: Path, chosen_filter: str):
        def dialog(_parent, _title, _suggested, filters, *rest, **kwargs):
            offered[:] = filters.split(";;")
            return str(target), chosen_filter

        return dialog

    # Calendar events, what Outlook imports, are offered first among the calendar files.
    events_filter = "Calendar events (Outlook, Google, Apple Calendar) (*.ics)"
    tasks_filter = "Tasks (Thunderbird, Apple Reminders, Tasks.org) (*.ics)"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as(tmp_path / "for-outlook", events_filter))
    with qtbot.waitSignal(model.worker.finished):  # the export runs on the worker
        qtbot.mouseClick(child(window, QPushButton, "export"), Qt.MouseButton.LeftButton)

    assert [f for f in offered if f.endswith("(*.ics)")] == [events_filter, tasks_filter]
    calendar = (tmp_path / "for-outlook.ics").read_text()
    assert "BEGIN:VEVENT" in calendar and "BEGIN:VTODO" not in calendar
    assert "SUMMARY:Follow up sent quotes" in calendar and "TRANSP:TRANSPARENT" in calendar
    assert "RRULE:FREQ=WEEKLY;BYDAY=FR" in calendar and "BEGIN:VALARM" in calendar

    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", save_as(tmp_path / "for-thunderbird.ics", tasks_filter)
    )
    with qtbot.waitSignal(model.worker.finished):  # the export runs on the worker
        qtbot.mouseClick(child(window, QPushButton, "export"), Qt.MouseButton.LeftButton)

    tasks = (tmp_path / "for-thunderbird.ics").read_text()
    assert "BEGIN:VTODO" in tasks and "BEGIN:VEVENT" not in tasks
    assert "SUMMARY:Follow up sent quotes" in tasks


def test_import_merges_a_file_and_reports_the_counts(
    qtbot, monkeypatch, window: SettingsWindow, model: HabitsModel, tmp_path: Path
):
    other_store = Store(tmp_path / "laptop", clock=model.service.clock)
    other_store.open()
    other = HabitsModel(HabitService(other_store, model.service.clock))
    other.add_habit("Plan tomorrow", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", time(17, 0))
    exported = tmp_path / "laptop.json"
    other.service.export("json", path=exported)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(exported), ""))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text, *rest: shown.append(text))

    with qtbot.waitSignal(model.worker.finished):  # the import runs on the worker
        qtbot.mouseClick(child(window, QPushButton, "import"), Qt.MouseButton.LeftButton)

    assert [r.habit.name for r in model.reports()] == ["Plan tomorrow"]
    assert len(shown) == 1
    assert "New habits: 1" in shown[0]


def test_an_import_shows_its_progress_here_and_in_the_tray_and_cancelling_it_changes_nothing(
    qtbot, monkeypatch, window: SettingsWindow, model: HabitsModel, tmp_path: Path
):
    from trayhabit.app.tray import TrayIcon
    from trayhabit.core import transfer

    other_store = Store(tmp_path / "laptop", clock=model.service.clock)
    other_store.open()
    other = HabitService(other_store, model.service.clock)
    other.add_habit("Plan tomorrow", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", time(17, 0))
    exported = tmp_path / "laptop.json"
    other.export("json", path=exported)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(exported), ""))
    tray = TrayIcon(model)
    # The file is checked on the worker; the check waits here until the test has looked and cancelled.
    checking, go_on = threading.Event(), threading.Event()
    real_parse = transfer.parse_import

    def parse_slowly(data: bytes, filename: str):  # type: ignore[no-untyped-def]
        checking.set()
        assert go_on.wait(30)
        return real_parse(data, filename)

    monkeypatch.setattr(transfer, "parse_import", parse_slowly)
    import_button = child(window, QPushButton, "import")
    qtbot.mouseClick(import_button, Qt.MouseButton.LeftButton)

    what = child(window, QLabel, "task_what")
    qtbot.waitUntil(lambda: what.text() == "Checking laptop.json")
    assert child(window, QProgressBar, "task_progress").isVisible()
    assert "Checking laptop.json" in tray.tooltip().splitlines()
    assert not import_button.isEnabled() and not child(window, QPushButton, "export").isEnabled()
    assert checking.is_set()

    qtbot.mouseClick(child(window, QPushButton, "task_cancel"), Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(model.worker.finished):
        go_on.set()
    assert model.reports() == []
    assert not what.isVisible() and import_button.isEnabled()
    assert "laptop.json" not in tray.tooltip()
    tray.hide()


def test_open_folder_opens_the_data_folder(qtbot, monkeypatch, window: SettingsWindow, model: HabitsModel):
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)

    qtbot.mouseClick(child(window, QPushButton, "open_folder"), Qt.MouseButton.LeftButton)

    assert [url.toLocalFile() for url in opened] == [str(model.data_dir)]


def test_escape_closes_the_window(qtbot, window: SettingsWindow):
    qtbot.keyClick(window, Qt.Key.Key_Escape)

    assert not window.isVisible()


def test_the_sync_folder_is_chosen_shown_and_turned_off(
    window: SettingsWindow, model: HabitsModel, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "Dropbox" / "TrayHabit"
    folder.mkdir(parents=True)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(folder))
    field = child(window, QLineEdit, "sync_folder")
    assert field.text() == "" and field.placeholderText() == "Off"
    assert not child(window, QPushButton, "sync_off").isEnabled()  # nothing to turn off yet
    qtbot.mouseClick(child(window, QPushButton, "choose_sync_folder"), Qt.MouseButton.LeftButton)
    assert model.settings()["sync_folder"] == str(folder)
    assert field.text() == str(folder)
    assert child(window, QPushButton, "sync_off").isEnabled()
    window.set_sync_status("In sync with one other computer.")
    assert child(window, QLabel, "sync_status").isVisible()
    # A folder inside the data folder is refused with the reason, and the setting stays.
    inside = model.data_dir / "sync"
    inside.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(inside))
    errors: list[str] = []
    model.error_raised.connect(errors.append)
    qtbot.mouseClick(child(window, QPushButton, "choose_sync_folder"), Qt.MouseButton.LeftButton)
    # Said in this window, not in a box from the app over it.
    assert "folder of its own" in window.error_text() and not errors
    assert field.text() == str(folder)
    qtbot.mouseClick(child(window, QPushButton, "sync_off"), Qt.MouseButton.LeftButton)
    assert model.settings()["sync_folder"] == ""
    assert field.text() == ""
    assert window.error_text() == ""  # an accepted change takes the refusal away
    assert not child(window, QPushButton, "sync_off").isEnabled()


def test_remind_on_this_computer_is_a_checkbox(window: SettingsWindow, model: HabitsModel, qtbot) -> None:
    box = child(window, QCheckBox, "remind_here")
    assert box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert model.settings()["remind_here"] is False
    assert model.set_setting("remind_here", "true")  # changed elsewhere: the box follows
    assert box.isChecked()
