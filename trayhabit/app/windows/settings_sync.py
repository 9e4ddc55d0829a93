"""The settings window's Sync section: the folder shared with other computers, and whether this one reminds."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QFileDialog, QGroupBox, QLineEdit, QPushButton

from trayhabit.app.titles import window_title
from trayhabit.app.windows.settings_controls import Field, SettingControls, hint, labelled_row


class SyncSection(SettingControls):
    """The "Sync between computers" section of the settings window, and how the last sync went.

    A mixin of :class:`~trayhabit.app.windows.settings.SettingsWindow`, whose state it shares.
    """

    def _build_sync(self) -> QGroupBox:
        box = QGroupBox(self.tr("Sync between computers"))
        form = self._form(box)

        edit = QLineEdit()
        edit.setObjectName("sync_folder")
        edit.setReadOnly(True)
        edit.setPlaceholderText(self.tr("Off"))
        self._fields["sync_folder"] = Field(edit, edit.text, edit.setText)
        choose = QPushButton(self.tr("C&hoose…"))
        choose.setObjectName("choose_sync_folder")
        choose.clicked.connect(self._on_choose_sync_folder_clicked)
        self._sync_off = QPushButton(self.tr("&Turn off"))
        self._sync_off.setObjectName("sync_off")
        self._sync_off.clicked.connect(self._on_sync_off_clicked)
        labelled_row(form, self.tr("S&ync folder:"), edit, choose, self._sync_off, stretch=False)
        explained = hint(
            self.tr(
                "A folder Syncthing, Dropbox, OneDrive or iCloud Drive keeps in sync. Each computer "
                "writes only its own files there and merges the others'."
            ),
            wrap=True,
        )
        self._sync_status = hint("", wrap=True)
        self._sync_status.setObjectName("sync_status")
        for label in (explained, self._sync_status):
            # Wrapped, but about as wide as the other hints rather than a narrow column.
            label.setMinimumWidth(self.fontMetrics().averageCharWidth() * 56)
        form.addRow("", explained)
        self._sync_status.setVisible(False)
        form.addRow("", self._sync_status)

        remind = QCheckBox(self.tr("&Remind me on this computer"))
        remind.setObjectName("remind_here")
        remind.setToolTip(
            self.tr("Turn off on a computer you leave at home: another computer reminds you instead.")
        )
        remind.toggled.connect(lambda _checked: self._commit("remind_here"))
        self._fields["remind_here"] = Field(
            remind,
            lambda: "true" if remind.isChecked() else "false",
            lambda text: remind.setChecked(text == "true"),
        )
        form.addRow(self.tr("Reminders:"), remind)
        return box

    def set_sync_status(self, text: str) -> None:
        """Say under the sync folder how the last sync went ("" hides it)."""
        self._sync_status.setText(text)
        self._sync_status.setVisible(bool(text))

    def sync_status(self) -> str:
        """The text shown under the sync folder."""
        return self._sync_status.text()

    def _on_choose_sync_folder_clicked(self) -> None:
        current = self._fields["sync_folder"].read() or str(Path.home())
        folder = QFileDialog.getExistingDirectory(
            self, window_title(self.tr("Choose the sync folder")), current
        )
        if folder:
            self._fields["sync_folder"].show(folder)
            self._commit("sync_folder")

    def _on_sync_off_clicked(self) -> None:
        self._fields["sync_folder"].show("")
        self._commit("sync_folder")
