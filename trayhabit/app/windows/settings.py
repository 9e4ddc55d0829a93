"""The settings window: every preference of :mod:`trayhabit.core.settings`, applied as it is edited.

Each control writes its setting through :meth:`HabitsModel.set_setting` the moment an edit is
finished (Enter, leaving the field, a toggle, a choice), and every control is redrawn from
:meth:`HabitsModel.settings` when the model says something changed, here or in another process; a
control the user is in the middle of editing is left alone. A setting declared in the core that the
window has no special control for still gets a plain text field under "Advanced", so a new setting
needs no change here.

Each section is a part of the window in its own module (:mod:`.settings_general`,
:mod:`.settings_reminders`, :mod:`.settings_score`, :mod:`.settings_data`, :mod:`.settings_sync`;
:mod:`.settings_presence` and :mod:`.settings_caldav` are widgets of their own),
making its controls with :class:`~.settings_controls.SettingControls`; this module puts them
together, draws them from the stored settings and writes what the user changed.
A new section is one more such part: a :class:`~.settings_controls.SettingControls` subclass
with a ``_build_<name>()`` returning its group box, added to the window's bases and its sections.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.titles import window_title
from trayhabit.app.windows.screen_fit import VerticalScrollArea
from trayhabit.app.windows.settings_caldav import CalDAVSettings
from trayhabit.app.windows.settings_controls import Field, InlineError
from trayhabit.app.windows.settings_data import DataSection
from trayhabit.app.windows.settings_general import GeneralSection
from trayhabit.app.windows.settings_presence import PresenceSettings
from trayhabit.app.windows.settings_reminders import RemindersSection
from trayhabit.app.windows.settings_score import ScoreSection
from trayhabit.app.windows.settings_sync import SyncSection
from trayhabit.app.windows.theme import frame_boxes
from trayhabit.autostart import Autostart
from trayhabit.core.changes import Change
from trayhabit.core.settings import SPECS

if TYPE_CHECKING:
    from trayhabit.app.caldav_driver import CalDAVDriver


class SettingsWindow(GeneralSection, RemindersSection, ScoreSection, DataSection, SyncSection, QWidget):
    """TrayHabit's preferences in four sections: General, Reminders, Score (advanced) and Data.

    Signals: none; every change goes to the model, and the model's ``changed`` redraws the window.
    """

    def __init__(
        self,
        model: HabitsModel,
        autostart: Autostart,
        parent: QWidget | None = None,
        *,
        caldav: CalDAVDriver | None = None,
    ) -> None:
        """*caldav* is the app's CalDAV driver, whose syncs the CalDAV section's status line follows."""
        super().__init__(parent, Qt.WindowType.Window)
        self._model = model
        self._autostart = autostart
        self._fields: dict[str, Field] = {}
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
        self.presence = PresenceSettings(model)  # holding reminders while you are away
        sections.addWidget(self.presence)
        sections.addWidget(self._build_score())
        sections.addWidget(self._build_data())
        sections.addWidget(self._build_sync())
        self.caldav = CalDAVSettings(model, caldav)  # phone and calendar
        self._section_forms.append(self.caldav.form)
        sections.addWidget(self.caldav)
        sections.addStretch(1)
        self._content = content
        frame_boxes(content)

        # Up and down only, and never narrower than the sections: nothing is cut off at the right.
        self._scroll = VerticalScrollArea()
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidget(content)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)

        # What was refused (a value out of range, a folder that cannot be used), until the next
        # change that is accepted: beside the Close button, where it shows whatever was scrolled to.
        self._error = InlineError()
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

    # -- helpers ------------------------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        """Show why something this window asked for was refused."""
        self._error.show_message(message)

    def error_text(self) -> str:
        """The refusal shown, or "" when none."""
        return self._error.text()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt's name)
        """Write any edit still open in a field: closing the window must not lose it."""
        self._commit_all()
        super().hideEvent(event)
