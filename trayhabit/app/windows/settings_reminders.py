"""The settings window's Reminders section: when the day ends, how long Snooze waits, quiet hours."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QWidget

from trayhabit.app.windows.settings_controls import Field, SettingControls, hint, qtime
from trayhabit.app.windows.time_edit import DISPLAY_FORMAT, TimeEdit

_DEFAULT_QUIET = ("22:00", "07:00")


class RemindersSection(SettingControls):
    """The Reminders section of the settings window; quiet hours are one setting made of two times.

    A mixin of :class:`~trayhabit.app.windows.settings.SettingsWindow`, whose state it shares.
    """

    def _build_reminders(self) -> QGroupBox:
        box = QGroupBox(self.tr("Reminders"))
        form = self._form(box)

        boundary = self._time_edit("day_boundary")
        boundary.setToolTip(self.tr("When one day ends and the next begins, for check-offs and reminders."))
        form.addRow(self.tr("&Day ends at:"), boundary)
        form.addRow("", hint(self.tr("Check-offs between midnight and this time count for the day before.")))

        snooze = self._int_spin("snooze_minutes", 1, 24 * 60)
        snooze.setSuffix(self.tr(" min"))
        snooze.setToolTip(self.tr("How long Snooze waits before reminding again."))
        form.addRow(self.tr("Snoo&ze for:"), snooze)

        self._quiet_box = QCheckBox(self.tr("&Quiet hours:"))
        self._quiet_box.setObjectName("quiet_hours")
        self._quiet_from = TimeEdit()
        self._quiet_from.setObjectName("quiet_hours_start")
        self._quiet_to = TimeEdit()
        self._quiet_to.setObjectName("quiet_hours_end")
        for edit, name in (
            (self._quiet_from, self.tr("Quiet hours start")),
            (self._quiet_to, self.tr("Quiet hours end")),
        ):
            edit.setWrapping(True)
            edit.setAccessibleName(name)
            edit.editingFinished.connect(self._on_quiet_edit_editing_finished)
        self._quiet_from.setTime(qtime(_DEFAULT_QUIET[0]))
        self._quiet_to.setTime(qtime(_DEFAULT_QUIET[1]))
        self._quiet_box.toggled.connect(self._on_quiet_box_toggled)
        times = QWidget()
        row = QHBoxLayout(times)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self._quiet_from)
        row.addWidget(QLabel(self.tr("to")))
        row.addWidget(self._quiet_to)
        row.addStretch(1)
        form.addRow(self._quiet_box, times)
        form.addRow("", hint(self.tr("Reminders due in these hours wait until they end.")))
        self._fields["quiet_hours"] = Field(times, self._read_quiet_hours, self._show_quiet_hours)
        return box

    def _read_quiet_hours(self) -> str:
        if not self._quiet_box.isChecked():
            return ""
        start = self._quiet_from.time().toString(DISPLAY_FORMAT)
        end = self._quiet_to.time().toString(DISPLAY_FORMAT)
        return f"{start}-{end}"

    def _show_quiet_hours(self, text: str) -> None:
        start, sep, end = text.partition("-")
        self._quiet_box.setChecked(bool(sep))
        if sep:
            self._quiet_from.setTime(qtime(start))
            self._quiet_to.setTime(qtime(end))
        self._quiet_from.setEnabled(bool(sep))
        self._quiet_to.setEnabled(bool(sep))

    def _on_quiet_box_toggled(self, checked: bool) -> None:
        self._quiet_from.setEnabled(checked)
        self._quiet_to.setEnabled(checked)
        self._commit("quiet_hours")

    def _on_quiet_edit_editing_finished(self) -> None:
        self._commit("quiet_hours")
