"""What the Qt tests of the windows share: a shown settings window, and a named child of a window."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.settings import SettingsWindow
from trayhabit.autostart import Autostart


def shown_settings_window(
    qtbot: Any, model: HabitsModel, autostart: Autostart, **kwargs: Any
) -> SettingsWindow:
    """The settings window of *model*, shown and exposed, closed with the test (pytest-qt's *qtbot*)."""
    window = SettingsWindow(model, autostart, **kwargs)
    qtbot.addWidget(window)
    window.show_and_raise()
    qtbot.waitExposed(window)
    return window


def child(window: QWidget, kind: type, name: str) -> Any:
    """*window*'s child of class *kind* and object name *name*, which must be there."""
    found = window.findChild(kind, name)
    assert found is not None, name
    return found
