"""The window that tells the user what TrayHabit repaired in their data, and where the damaged copy is.

A damaged or missing file is worth more than a tray balloon: the window says what happened, what was
restored from when, where the damaged copy was moved (never deleted), and opens that folder. It is not
modal: the app goes on working behind it, and repairs found later are added to the same window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trayhabit.app.titles import window_title
from trayhabit.app.windows.screen_fit import VerticalScrollArea, fit_to_screen
from trayhabit.core.repairs import Repair


class RepairDialog(QDialog):
    """Lists the repairs of this session, newest last, with Open folder and Close."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RepairDialog")
        self.setWindowTitle(window_title(self.tr("Your data was repaired")))
        self.setModal(False)
        self._repairs: list[Repair] = []

        layout = QVBoxLayout(self)
        heading = QLabel(
            self.tr(
                "TrayHabit found a damaged or missing file in its data folder and repaired it. "
                "Your habits and check-offs are as described below."
            )
        )
        heading.setWordWrap(True)
        layout.addWidget(heading)

        self._list = QWidget()
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(0, 0, 0, 0)
        self._list_layout.addStretch(1)
        # Up and down only, and never narrower than the repairs: nothing is cut off at the right.
        scroll = VerticalScrollArea()
        scroll.setWidget(self._list)
        scroll.setAccessibleName(self.tr("What was repaired"))
        layout.addWidget(scroll, 1)

        buttons = QDialogButtonBox()
        self.open_button = QPushButton(self.tr("&Open folder"))
        self.open_button.setObjectName("open_folder")
        self.open_button.setAccessibleName(self.tr("Open the folder that holds the damaged copy"))
        self.open_button.clicked.connect(self._on_open_button_clicked)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(fit_to_screen(self, QSize(560, 320)))

    @property
    def repairs(self) -> list[Repair]:
        """The repairs shown, oldest first."""
        return list(self._repairs)

    def add(self, repair: Repair) -> None:
        """Add *repair* to the list (its message in the user's language, times in local time)."""
        self._repairs.append(repair)
        label = QLabel(repair.message())
        label.setObjectName("repair")
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(repair.message())
        self._list_layout.insertWidget(self._list_layout.count() - 1, label)

    def folder(self) -> Path | None:
        """The folder Open folder opens: where the newest damaged copy lies."""
        return self._repairs[-1].shown_folder if self._repairs else None

    def _on_open_button_clicked(self) -> None:
        folder = self.folder()
        if folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
