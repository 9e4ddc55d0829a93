"""The settings window's General section: start at login, the language and how reminders are shown."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGroupBox

from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.settings_controls import InlineError, SettingControls, hint
from trayhabit.autostart import Autostart, AutostartError
from trayhabit.core.errors import UserError


class GeneralSection(SettingControls):
    """The General section of the settings window, and how it shows start-at-login and notifications.

    A mixin of :class:`~trayhabit.app.windows.settings.SettingsWindow`, whose state it shares.
    """

    _model: HabitsModel
    _autostart: Autostart
    _drawing: bool

    def _build_general(self) -> QGroupBox:
        box = QGroupBox(self.tr("General"))
        form = self._form(box)

        self._login_box = QCheckBox(self.tr("&Start TrayHabit when you log in"))
        self._login_box.setObjectName("start_at_login")
        self._login_box.setToolTip(self.tr("TrayHabit starts in the tray when you log in to this computer."))
        self._login_box.toggled.connect(self._on_login_box_toggled)
        form.addRow(self.tr("Startup:"), self._login_box)
        self._login_error = InlineError()
        self._login_error.setObjectName("start_at_login_error")
        form.addRow(self._login_error)

        language = self._combo(
            "language",
            [
                (self.tr("System default"), "system"),
                # Each language in its own words, so a user can find theirs whatever is set now.
                ("English", "en"),
                ("Svenska", "sv"),
            ],
        )
        form.addRow(self.tr("&Language:"), language)

        backend = self._combo(
            "notification_backend",
            [
                (self.tr("Automatic"), "auto"),
                (self.tr("Native"), "native"),
                (self.tr("Qt tray"), "qt"),
                ("plyer", "plyer"),
            ],
        )
        backend.setToolTip(
            self.tr(
                "How reminders appear. Automatic uses the desktop's own notifications where they work "
                "and the tray icon's messages otherwise."
            )
        )
        form.addRow(self.tr("&Notifications:"), backend)
        self._notification_status = hint("", wrap=True)
        # Wrapped for a long reason, but not into a narrow column: about the width of the other hints.
        self._notification_status.setMinimumWidth(self.fontMetrics().averageCharWidth() * 56)
        self._notification_status.setObjectName("notification_status")
        self._notification_status.setVisible(False)
        form.addRow("", self._notification_status)
        return box

    def set_notification_status(self, text: str) -> None:
        """Say under the Notifications choice how reminders are shown now (and what did not work)."""
        self._notification_status.setText(text)
        self._notification_status.setVisible(bool(text))

    def notification_status(self) -> str:
        """The text shown under the Notifications choice."""
        return self._notification_status.text()

    def _draw_login_box(self, stored: bool) -> None:
        try:
            enabled = self._autostart.is_enabled()
        except AutostartError as error:
            self._login_error.show_message(str(error))
            enabled = stored
        self._login_box.setChecked(enabled)

    def _on_login_box_toggled(self, checked: bool) -> None:
        if self._drawing:
            return
        try:
            self._model.set_start_at_login(checked, self._autostart)
        except UserError as error:
            self._login_error.show_message(str(error))
            self._drawing = True
            self._login_box.setChecked(not checked)
            self._drawing = False
            return
        self._login_error.clear_message()
