"""The settings window: every preference of :mod:`trayhabit.core.settings`, applied as it is edited.

Each control writes its setting through :meth:`HabitsModel.set_setting` the moment an edit is
finished (Enter, leaving the field, a toggle, a choice), and every control is redrawn from
:meth:`HabitsModel.settings` when the model says something changed, here or in another process; a
control the user is in the middle of editing is left alone. A setting declared in the core that the
window has no special control for still gets a plain text field under "Advanced", so a new setting
needs no change here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt, QTime, QUrl
from PySide6.QtGui import QDesktopServices, QHideEvent, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from trayhabit.app.background import Task
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.titles import window_title
from trayhabit.app.windows.screen_fit import VerticalScrollArea
from trayhabit.app.windows.settings_presence import PRESENCE_KEYS, PresenceSettings
from trayhabit.app.windows.task_progress import TaskProgress
from trayhabit.app.windows.time_edit import DISPLAY_FORMAT, TimeEdit
from trayhabit.autostart import Autostart, AutostartError
from trayhabit.core.changes import Change
from trayhabit.core.days import parse_time_of_day
from trayhabit.core.errors import UserError
from trayhabit.core.settings import SPECS
from trayhabit.core.store import BACKUPS_DIR

if TYPE_CHECKING:
    from trayhabit.core.transfer import ImportResult

# Kept by the app itself, not a preference a user sets.
_INTERNAL = frozenset(key for key, spec in SPECS.items() if spec.internal)
# The score's parameters, in the order the Advanced section shows them.
_SCORE_KEYS = (
    "credit_preemptive",
    "credit_reminded",
    "credit_late",
    "half_life_base",
    "graduation_score",
    "graduation_preemptive_share",
    "relapse_score",
    "max_skips",
)
_DEFAULT_QUIET = ("22:00", "07:00")


@dataclass
class _Field:
    """One setting's control: how to read it as setting text and how to show a stored value."""

    widget: QWidget
    read: Callable[[], str]
    show: Callable[[str], None]


def _qtime(text: str) -> QTime:
    value = parse_time_of_day(text)
    return QTime(value.hour, value.minute, value.second)


class SettingsWindow(QWidget):
    """TrayHabit's preferences in four sections: General, Reminders, Score (advanced) and Data.

    Signals: none; every change goes to the model, and the model's ``changed`` redraws the window.
    """

    def __init__(self, model: HabitsModel, autostart: Autostart, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._model = model
        self._autostart = autostart
        self._fields: dict[str, _Field] = {}
        self._section_forms: list[QFormLayout] = []
        # What each control showed after it was last drawn from the store: a control whose value
        # differs from this has an edit of the user's that is not written yet.
        self._drawn: dict[str, str] = {}
        self._drawing = False
        self._sized = False

        self.setWindowTitle(window_title(self.tr("Settings")))
        self.setObjectName("SettingsWindow")

        content = QWidget()
        sections = QVBoxLayout(content)
        sections.addWidget(self._build_general())
        sections.addWidget(self._build_reminders())
        self.presence = PresenceSettings(model)  # holding reminders while you are away (issue 17)
        sections.addWidget(self.presence)
        sections.addWidget(self._build_score())
        sections.addWidget(self._build_data())
        sections.addWidget(self._build_sync())
        sections.addStretch(1)
        self._content = content

        # Up and down only, and never narrower than the sections: nothing is cut off at the right.
        self._scroll = VerticalScrollArea()
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidget(content)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)

        # What was refused (a value out of range, a folder that cannot be used), until the next
        # change that is accepted: beside the Close button, where it shows whatever was scrolled to.
        self._error = _InlineError()
        self._error.setObjectName("settings_error")

        layout = QVBoxLayout(self)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self._error)
        layout.addWidget(buttons)

        for sequence in (QKeySequence.StandardKey.Cancel, QKeySequence.StandardKey.Close):
            QShortcut(QKeySequence(sequence), self, self.close)

        self._add_other_settings()
        self._align_label_columns()
        model.changed.connect(self._on_model_changed)
        self._redraw()

    # -- public -------------------------------------------------------------------------------------

    def set_notification_status(self, text: str) -> None:
        """Say under the Notifications choice how reminders are shown now (and what did not work)."""
        self._notification_status.setText(text)
        self._notification_status.setVisible(bool(text))

    def notification_status(self) -> str:
        """The text shown under the Notifications choice."""
        return self._notification_status.text()

    def set_sync_status(self, text: str) -> None:
        """Say under the sync folder how the last sync went ("" hides it)."""
        self._sync_status.setText(text)
        self._sync_status.setVisible(bool(text))

    def sync_status(self) -> str:
        """The text shown under the sync folder."""
        return self._sync_status.text()

    def show_and_raise(self) -> None:
        """Show the window (sized to its contents the first time) and bring it to the front."""
        if not self._sized:
            self._fit_to_contents()
            self._sized = True
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    # -- sections -----------------------------------------------------------------------------------

    def _build_general(self) -> QGroupBox:
        box = QGroupBox(self.tr("General"))
        form = self._form(box)

        self._login_box = QCheckBox(self.tr("&Start TrayHabit when you log in"))
        self._login_box.setObjectName("start_at_login")
        self._login_box.setToolTip(self.tr("TrayHabit starts in the tray when you log in to this computer."))
        self._login_box.toggled.connect(self._on_login_box_toggled)
        form.addRow(self.tr("Startup:"), self._login_box)
        self._login_error = _InlineError()
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
        self._notification_status = _hint("", wrap=True)
        # Wrapped for a long reason, but not into a narrow column: about the width of the other hints.
        self._notification_status.setMinimumWidth(self.fontMetrics().averageCharWidth() * 56)
        self._notification_status.setObjectName("notification_status")
        self._notification_status.setVisible(False)
        form.addRow("", self._notification_status)
        return box

    def _build_reminders(self) -> QGroupBox:
        box = QGroupBox(self.tr("Reminders"))
        form = self._form(box)

        boundary = self._time_edit("day_boundary")
        boundary.setToolTip(self.tr("When one day ends and the next begins, for check-offs and reminders."))
        form.addRow(self.tr("&Day ends at:"), boundary)
        form.addRow("", _hint(self.tr("Check-offs between midnight and this time count for the day before.")))

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
        self._quiet_from.setTime(_qtime(_DEFAULT_QUIET[0]))
        self._quiet_to.setTime(_qtime(_DEFAULT_QUIET[1]))
        self._quiet_box.toggled.connect(self._on_quiet_box_toggled)
        times = QWidget()
        row = QHBoxLayout(times)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self._quiet_from)
        row.addWidget(QLabel(self.tr("to")))
        row.addWidget(self._quiet_to)
        row.addStretch(1)
        form.addRow(self._quiet_box, times)
        form.addRow("", _hint(self.tr("Reminders due in these hours wait until they end.")))
        self._fields["quiet_hours"] = _Field(times, self._read_quiet_hours, self._show_quiet_hours)
        return box

    def _build_score(self) -> QGroupBox:
        box = QGroupBox(self.tr("Score"))
        layout = QVBoxLayout(box)
        layout.addWidget(
            _hint(
                self.tr(
                    "How the habit-formation score is computed and when TrayHabit suggests retiring a "
                    "reminder. The defaults follow the habit research; most people never change them."
                ),
                wrap=True,
            )
        )
        self._advanced_button = QToolButton()
        self._advanced_button.setObjectName("advanced")
        self._advanced_button.setText(self.tr("&Advanced"))
        # Not checkable: a checked tool button draws sunken, which reads as a stuck button here.
        self._advanced_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._advanced_button.setArrowType(Qt.ArrowType.RightArrow)
        self._advanced_button.setAutoRaise(True)
        self._advanced_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._advanced_button.clicked.connect(self._on_advanced_button_clicked)
        layout.addWidget(self._advanced_button)

        self._advanced = QWidget()
        self._advanced.setVisible(False)
        inner = QVBoxLayout(self._advanced)
        inner.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        inner.addLayout(form)
        labels = {
            "credit_preemptive": self.tr("Credit before the reminder:"),
            "credit_reminded": self.tr("Credit after the reminder:"),
            "credit_late": self.tr("Credit for a late check-off:"),
            "half_life_base": self.tr("Half-life, daily habit:"),
            "graduation_score": self.tr("Suggest retiring from score:"),
            "graduation_preemptive_share": self.tr("…with a pre-empted share of:"),
            "relapse_score": self.tr("Relapse below score:"),
            "max_skips": self.tr("Skips allowed:"),
        }
        tips = {
            "credit_preemptive": self.tr("Score credit for a check-off before the reminder."),
            "credit_reminded": self.tr("Score credit for a check-off after the reminder."),
            "credit_late": self.tr("Score credit for a check-off after the window closed."),
            "half_life_base": self.tr(
                "Half-life of the score in occurrences for a daily habit; habits that come less often "
                "get a shorter one (scaled by the square root of the frequency)."
            ),
            "graduation_score": self.tr("Score from which retiring the reminder is suggested."),
            "graduation_preemptive_share": self.tr(
                "Share of the recent occurrences that must have been pre-empted before retiring the "
                "reminder is suggested."
            ),
            "relapse_score": self.tr("A habit whose reminder was retired gets it back below this score."),
            "max_skips": self.tr("Skips allowed among the recent occurrences; more count as missed."),
        }
        for key in _SCORE_KEYS:
            if key not in SPECS:
                continue
            spin: QSpinBox | QDoubleSpinBox
            if key == "max_skips":
                spin = self._int_spin(key, 0, 100)
            elif key == "half_life_base":
                spin = self._number_spin(key, 1, 1000, decimals=1, step=1.0)
                spin.setSuffix(self.tr(" occurrences"))
            else:
                spin = self._number_spin(key, 0, 1, decimals=2, step=0.05)
            tip = tips.get(key, SPECS[key].description)
            spin.setToolTip(
                self.tr("{description}\nDefault: {default}").format(
                    description=tip, default=SPECS[key].format(SPECS[key].default)
                )
            )
            form.addRow(labels[key], spin)

        self._score_form = form

        restore = QPushButton(self.tr("&Restore defaults"))
        restore.setObjectName("restore_defaults")
        restore.setToolTip(self.tr("Put every score setting back to its default."))
        restore.clicked.connect(self._on_restore_button_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(restore)
        inner.addLayout(buttons)
        layout.addWidget(self._advanced)
        return box

    def _build_data(self) -> QGroupBox:
        box = QGroupBox(self.tr("Data"))
        form = self._form(box)

        self._folder_edit = QLineEdit(str(self._model.data_dir))
        self._folder_edit.setObjectName("data_folder")
        self._folder_edit.setReadOnly(True)
        self._folder_edit.setCursorPosition(0)
        self._folder_edit.setToolTip(str(self._model.data_dir))
        open_folder = QPushButton(self.tr("&Open folder"))
        open_folder.setObjectName("open_folder")
        open_folder.clicked.connect(self._on_open_folder_clicked)
        form.addRow(self.tr("Data &folder:"), _row(self._folder_edit, open_folder, stretch=False))

        backups = self._int_spin("backup_count", 1, 100)
        backups.setToolTip(self.tr("How many daily backups of each file to keep."))
        open_backups = QPushButton(self.tr("Open &backups folder"))
        open_backups.setObjectName("open_backups")
        open_backups.clicked.connect(self._on_open_backups_clicked)
        form.addRow(self.tr("Backups to &keep:"), _row(backups, open_backups))
        form.addRow("", _hint(self.tr("A daily copy of each file that changed.")))

        export = QPushButton(self.tr("&Export…"))
        export.setObjectName("export")
        export.setToolTip(
            self.tr(
                "Save every habit and check-off to a JSON file (complete) or CSV (for a spreadsheet), or the habits to a calendar file: events for Outlook, Google and Apple Calendar, or tasks for Thunderbird and task apps."
            )
        )
        export.clicked.connect(self._on_export_clicked)
        import_ = QPushButton(self.tr("&Import…"))
        import_.setObjectName("import")
        import_.setToolTip(self.tr("Merge an export into your habits; nothing is duplicated."))
        import_.clicked.connect(self._on_import_clicked)
        form.addRow(self.tr("Your habits:"), _row(export, import_))
        self._transfer_buttons = (export, import_)

        # An import or export runs on the worker: what it is doing, how far, and Cancel while safe.
        self._progress = TaskProgress()
        form.addRow("", self._progress)

        self._data_status = QLabel()
        self._data_status.setObjectName("data_status")
        self._data_status.setWordWrap(True)
        self._data_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._data_status.setVisible(False)
        form.addRow("", self._data_status)
        return box

    def _build_sync(self) -> QGroupBox:
        box = QGroupBox(self.tr("Sync between computers"))
        form = self._form(box)

        edit = QLineEdit()
        edit.setObjectName("sync_folder")
        edit.setReadOnly(True)
        edit.setPlaceholderText(self.tr("Off"))
        self._fields["sync_folder"] = _Field(edit, edit.text, edit.setText)
        choose = QPushButton(self.tr("C&hoose…"))
        choose.setObjectName("choose_sync_folder")
        choose.clicked.connect(self._on_choose_sync_folder_clicked)
        self._sync_off = QPushButton(self.tr("&Turn off"))
        self._sync_off.setObjectName("sync_off")
        self._sync_off.clicked.connect(self._on_sync_off_clicked)
        form.addRow(self.tr("S&ync folder:"), _row(edit, choose, self._sync_off, stretch=False))
        explained = _hint(
            self.tr(
                "A folder Syncthing, Dropbox, OneDrive or iCloud Drive keeps in sync. Each computer "
                "writes only its own files there and merges the others'."
            ),
            wrap=True,
        )
        self._sync_status = _hint("", wrap=True)
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
        self._fields["remind_here"] = _Field(
            remind,
            lambda: "true" if remind.isChecked() else "false",
            lambda text: remind.setChecked(text == "true"),
        )
        form.addRow(self.tr("Reminders:"), remind)
        return box

    def _add_other_settings(self) -> None:
        """A text field under Advanced for each setting with no control of its own (a newer core's)."""
        for key, spec in SPECS.items():
            if key in _INTERNAL or key in self._fields or key == "start_at_login" or key in PRESENCE_KEYS:
                continue
            edit = QLineEdit()
            edit.setObjectName(key)
            edit.setToolTip(spec.translated_description())
            edit.editingFinished.connect(lambda key=key: self._commit(key))
            self._fields[key] = _Field(edit, edit.text, edit.setText)
            self._score_form.addRow(key.replace("_", " ").capitalize() + ":", edit)

    # -- control factories -----------------------------------------------------------------------------

    def _form(self, box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._section_forms.append(form)
        return form

    def _align_label_columns(self) -> None:
        """Give the sections' forms one label width, so their fields line up down the window."""
        labels: list[QWidget] = []
        for form in self._section_forms:
            for row in range(form.rowCount()):
                item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                label = item.widget() if item is not None else None
                if label is not None:
                    labels.append(label)
        width = max((label.sizeHint().width() for label in labels), default=0)
        for label in labels:
            label.setMinimumWidth(width)

    def _int_spin(self, key: str, low: int, high: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName(key)
        spin.setRange(low, high)
        spin.editingFinished.connect(lambda: self._commit(key))
        self._fields[key] = _Field(spin, lambda: str(spin.value()), lambda text: spin.setValue(int(text)))
        return spin

    def _number_spin(
        self, key: str, low: float, high: float, *, decimals: int, step: float
    ) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setObjectName(key)
        spin.setDecimals(decimals)
        spin.setRange(low, high)
        spin.setSingleStep(step)
        spin.editingFinished.connect(lambda: self._commit(key))
        self._fields[key] = _Field(
            spin, lambda: str(round(spin.value(), decimals)), lambda text: spin.setValue(float(text))
        )
        return spin

    def _time_edit(self, key: str) -> TimeEdit:
        edit = TimeEdit()
        edit.setObjectName(key)
        edit.setWrapping(True)
        edit.editingFinished.connect(lambda: self._commit(key))
        self._fields[key] = _Field(
            edit, lambda: edit.time().toString(DISPLAY_FORMAT), lambda text: edit.setTime(_qtime(text))
        )
        return edit

    def _combo(self, key: str, choices: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(key)
        for label, value in choices:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(lambda _index: self._commit(key))

        def show(text: str) -> None:
            index = combo.findData(text)
            combo.setCurrentIndex(max(index, 0))

        self._fields[key] = _Field(combo, lambda: str(combo.currentData()), show)
        return combo

    # -- quiet hours ------------------------------------------------------------------------------------

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
            self._quiet_from.setTime(_qtime(start))
            self._quiet_to.setTime(_qtime(end))
        self._quiet_from.setEnabled(bool(sep))
        self._quiet_to.setEnabled(bool(sep))

    # -- reading and writing ---------------------------------------------------------------------------

    def _redraw(self) -> None:
        """Show the stored settings, except in a control whose edit the user has not finished."""
        settings = self._model.settings()
        focus = QApplication.focusWidget()
        self._drawing = True
        try:
            for key, field in self._fields.items():
                editing = focus is not None and (focus is field.widget or field.widget.isAncestorOf(focus))
                if editing and key in self._drawn and field.read() != self._drawn[key]:
                    continue
                field.show(SPECS[key].format(settings[key]))
                self._drawn[key] = field.read()
            self._draw_login_box(settings.start_at_login)
            # Nothing to turn off while sync is off.
            self._sync_off.setEnabled(bool(settings.sync_folder))
        finally:
            self._drawing = False

    def _draw_login_box(self, stored: bool) -> None:
        try:
            enabled = self._autostart.is_enabled()
        except AutostartError as error:
            self._login_error.show_message(str(error))
            enabled = stored
        self._login_box.setChecked(enabled)

    def _commit(self, key: str) -> None:
        """Write the control's value for *key* if the user changed it."""
        if self._drawing:
            return
        text = self._fields[key].read()
        if text == self._drawn.get(key):
            return
        if not self._model.set_setting(key, text, by=self):
            # Refused: the window says why (show_error); show the value that is still in force.
            self._drawn.pop(key, None)
            self._redraw()
        else:
            # The redraw the change caused skipped this control if it has the focus (it looked like
            # an edit in progress): it shows what is stored now, so later changes from elsewhere show.
            self._drawn[key] = text
            self._error.clear_message()

    def _commit_all(self) -> None:
        for key in self._fields:
            self._commit(key)

    def _fit_to_contents(self) -> None:
        expanded = self._advanced.isVisibleTo(self)
        self._advanced.setVisible(True)  # wide enough for the advanced rows when they are opened
        # Word-wrapped hints ask for little width; about 80 characters keeps them to a line or two.
        width = max(self._content.sizeHint().width(), self.fontMetrics().averageCharWidth() * 80)
        self._advanced.setVisible(expanded)
        height = self._content.sizeHint().height()
        frame = self.sizeHint() - self._scroll.sizeHint()
        width += frame.width() + self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        height += frame.height()
        screen = self.screen().availableGeometry()
        self.resize(min(width, screen.width() * 9 // 10), min(height, screen.height() * 9 // 10))

    # -- slots ------------------------------------------------------------------------------------------

    def _on_model_changed(self, change: Change, _by: object) -> None:
        if change.settings or change.everything:
            self._redraw()

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

    def _on_quiet_box_toggled(self, checked: bool) -> None:
        self._quiet_from.setEnabled(checked)
        self._quiet_to.setEnabled(checked)
        self._commit("quiet_hours")

    def _on_quiet_edit_editing_finished(self) -> None:
        self._commit("quiet_hours")

    def _on_advanced_button_clicked(self) -> None:
        expanded = not self._advanced.isVisibleTo(self)
        self._advanced_button.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self._advanced.setVisible(expanded)
        if expanded:
            self._scroll.ensureWidgetVisible(self._advanced_button)

    def _on_restore_button_clicked(self) -> None:
        for key in _SCORE_KEYS:
            spec = SPECS.get(key)
            if spec is not None and not self._model.set_setting(key, spec.format(spec.default), by=self):
                return

    def _on_choose_sync_folder_clicked(self) -> None:
        current = self._fields["sync_folder"].read() or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the sync folder"), current)
        if folder:
            self._fields["sync_folder"].show(folder)
            self._commit("sync_folder")

    def _on_sync_off_clicked(self) -> None:
        self._fields["sync_folder"].show("")
        self._commit("sync_folder")

    def _on_open_folder_clicked(self) -> None:
        self._open_folder(self._model.data_dir)

    def _on_open_backups_clicked(self) -> None:
        folder = self._model.data_dir / BACKUPS_DIR
        if not folder.is_dir():
            self._show_data_status(self.tr("There are no backups yet."))
            return
        self._open_folder(folder)

    def _on_export_clicked(self) -> None:
        json_filter = self.tr("JSON, complete (*.json)")
        csv_filter = self.tr("CSV, for spreadsheets (*.csv)")
        # Two calendar files: Outlook reads events only, task apps read tasks; events come first, as
        # the one every calendar program shows.
        events_filter = self.tr("Calendar events (Outlook, Google, Apple Calendar) (*.ics)")
        tasks_filter = self.tr("Tasks (Thunderbird, Apple Reminders, Tasks.org) (*.ics)")
        today = self._model.today()
        suggested = _documents_folder() / f"trayhabit-{today.isoformat()}.json"
        chosen, chosen_filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export habits"),
            str(suggested),
            ";;".join((json_filter, csv_filter, events_filter, tasks_filter)),
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() in (".json", ".csv", ".ics"):
            file_format = path.suffix.lower()[1:]
        else:
            file_format = {csv_filter: "csv", events_filter: "ics", tasks_filter: "ics"}.get(
                chosen_filter, "json"
            )
            path = path.with_name(path.name + "." + file_format)
        # A name ending in .ics under another filter gets events, what most calendar programs read.
        tasks = file_format == "ics" and chosen_filter == tasks_filter
        self._data_status.setVisible(False)
        self._follow(
            self._model.export_to(
                path,
                file_format,
                tasks=tasks,
                by=self,
                on_done=lambda _result: self._show_data_status(
                    self.tr("Exported to {file}.").format(file=path)
                ),
            )
        )

    def _on_import_clicked(self) -> None:
        chosen, _chosen_filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Import habits"),
            str(_documents_folder()),
            ";;".join((self.tr("TrayHabit exports (*.json *.csv)"), self.tr("All files (*)"))),
        )
        if not chosen:
            return
        self._data_status.setVisible(False)
        name = Path(chosen).name
        self._follow(
            self._model.import_from(
                Path(chosen), by=self, on_done=lambda result: self._imported(name, result)
            )
        )

    def _imported(self, name: str, result: ImportResult) -> None:
        # Refused: the window says why (show_error); cancelled: nothing changed, nothing to say.
        QMessageBox.information(
            self,
            window_title(self.tr("Import")),
            self.tr(
                "Imported {file}.\n\nNew habits: {added}\nHabits updated: {updated}\nCheck-offs and other events added: {events}"
            ).format(
                file=name,
                added=result.habits_added,
                updated=result.habits_updated,
                events=result.events_added,
            ),
        )

    def _follow(self, task: Task) -> None:
        """Show *task*'s progress in the Data section, its buttons off until it ends."""
        for button in self._transfer_buttons:
            button.setEnabled(False)
        task.finished.connect(self._on_transfer_finished)
        self._progress.follow(task)

    def _on_transfer_finished(self) -> None:
        for button in self._transfer_buttons:
            button.setEnabled(True)

    # -- helpers ------------------------------------------------------------------------------------------

    def _open_folder(self, folder: Path) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self._show_data_status(
                self.tr("Could not open {folder}; open it in your file manager instead.").format(
                    folder=folder
                )
            )

    def show_error(self, message: str) -> None:
        """Show why something this window asked for was refused."""
        self._error.show_message(message)

    def error_text(self) -> str:
        """The refusal shown, or "" when none."""
        return self._error.text()

    def _show_data_status(self, text: str) -> None:
        self._data_status.setText(text)
        self._data_status.setVisible(True)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt's name)
        """Write any edit still open in a field: closing the window must not lose it."""
        self._commit_all()
        super().hideEvent(event)


class _InlineError(QWidget):
    """A warning icon and a message under a control; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        icon = QLabel()
        extent = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        icon.setPixmap(warning.pixmap(extent, extent))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._text = QLabel()
        self._text.setWordWrap(True)
        self._text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(icon)
        layout.addWidget(self._text, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setVisible(False)

    def text(self) -> str:
        """The message shown, or "" when none."""
        return self._text.text() if not self.isHidden() else ""

    def show_message(self, text: str) -> None:
        """Show *text*."""
        self._text.setText(text)
        self.setAccessibleDescription(text)
        self.setVisible(True)

    def clear_message(self) -> None:
        """Hide the message."""
        self._text.clear()
        self.setVisible(False)


def _hint(text: str, *, wrap: bool = False) -> QLabel:
    """A line of help under a control, in the palette's quieter text colour."""
    label = QLabel(text)
    # Short hints stay on one line: a form layout gives a wrapped label too much height.
    label.setWordWrap(wrap)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    return label


def _row(*widgets: QWidget, stretch: bool = True) -> QWidget:
    """Widgets side by side in the field column of a form."""
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    if stretch:
        layout.addStretch(1)
    else:
        holder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return holder


def _documents_folder() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()
