"""The dialog that says something went wrong inside TrayHabit and that it keeps running.

Shown by :class:`trayhabit.app.crash.CrashHook` for an unexpected error (a bug). It is non-modal, so
the tray and the other windows stay usable, and there is only ever one: further errors while it is
open are counted into it. It offers what a bug report needs: the details on the clipboard, and the
folder of the log that holds every traceback.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from trayhabit.app.titles import window_title

# How many errors' details are kept for "Copy details": the first ones say the most, the rest repeat.
KEPT_DETAILS = 5


class CrashDialog(QDialog):
    """Something went wrong; TrayHabit keeps running. Copy details, Open log folder, Close.

    Signals: those of QDialog. Closing it starts the count afresh.
    """

    def __init__(self, log_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._log_folder = log_folder
        self._details: list[str] = []
        self._count = 0
        self.setObjectName("CrashDialog")
        self.setWindowTitle(window_title(self.tr("Something went wrong")))
        self.setModal(False)

        layout = QVBoxLayout(self)
        self._message = _label(
            self.tr(
                "Something went wrong inside TrayHabit. It keeps running, but what you were doing may "
                "not have been finished: please check it."
            ),
            self,
        )
        self._message.setObjectName("message")
        layout.addWidget(self._message)
        self._count_label = _label("", self)
        self._count_label.setObjectName("count")
        self._count_label.setVisible(False)
        layout.addWidget(self._count_label)
        log = _label(
            self.tr(
                "The details are in the log, {folder}. Copying them into a bug report helps to fix it."
            ).format(folder=log_folder),
            self,
        )
        log.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(log)
        self._status = _label("", self)
        self._status.setObjectName("status")
        self._status.setVisible(False)
        layout.addWidget(self._status)

        buttons = QDialogButtonBox(self)
        self.copy_button = self._button(buttons, self.tr("&Copy details"), "copy_details")
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.folder_button = self._button(buttons, self.tr("&Open log folder"), "open_log_folder")
        self.folder_button.clicked.connect(self._on_folder_button_clicked)
        self._button(buttons, self.tr("&Close"), "close", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.finished.connect(self._on_self_finished)

    @property
    def count(self) -> int:
        """How many errors the dialog tells of since it was last closed."""
        return self._count

    def details(self) -> str:
        """What "Copy details" copies: the details of the errors shown, the first ones in full."""
        text = "\n".join(self._details)
        if self._count > len(self._details):
            text += f"\n(and {self._count - len(self._details)} more; see {self._log_folder})\n"
        return text

    def add(self, details: str) -> None:
        """Tell of one more error, with *details*; show the dialog, or count it into the one shown."""
        self._count += 1
        if len(self._details) < KEPT_DETAILS:
            self._details.append(details)
        if self._count > 1:
            self._count_label.setText(
                self.tr("Unexpected errors since this message appeared: {count}.").format(count=self._count)
            )
            self._count_label.setVisible(True)
        self._status.setVisible(False)
        self.show()  # non-modal: the tray and the other windows stay usable
        self.raise_()
        self.activateWindow()

    def _button(
        self,
        box: QDialogButtonBox,
        text: str,
        name: str,
        role: QDialogButtonBox.ButtonRole = QDialogButtonBox.ButtonRole.ActionRole,
    ) -> QPushButton:
        button = box.addButton(text, role)
        button.setObjectName(name)
        button.setAccessibleName(text.replace("&", ""))
        button.setAutoDefault(False)
        return button

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details())
        self._show_status(self.tr("The details are on the clipboard."))

    def _on_folder_button_clicked(self) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._log_folder))):
            self._show_status(
                self.tr("Could not open {folder}; open it in your file manager instead.").format(
                    folder=self._log_folder
                )
            )

    def _on_self_finished(self, _result: int) -> None:
        self._count = 0
        self._details = []
        self._count_label.setVisible(False)

    def _show_status(self, text: str) -> None:
        self._status.setText(text)
        self._status.setVisible(True)


def _label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label
