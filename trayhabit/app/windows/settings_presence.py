"""The settings window's section on holding reminders while the person is not there (issue 17).

Its controls write ``away_minutes``, ``hold_during_do_not_disturb`` and ``hold_while_fullscreen``
the moment they are changed and are redrawn when the model says settings changed, like the rest of
the window; a line says which of these the desktop can tell and which it cannot (from the presence
monitor's capabilities), so that nobody counts on a hold this computer cannot make.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from trayhabit.app.habits_model import HabitsModel
from trayhabit.core.changes import Change
from trayhabit.core.presence import Absence

# The settings this section shows: the window gives them no other control.
PRESENCE_KEYS = frozenset({"away_minutes", "hold_during_do_not_disturb", "hold_while_fullscreen"})
# The minutes offered when "away" is turned on again after it was off (the setting's default).
_DEFAULT_AWAY = 5


class PresenceSettings(QGroupBox):
    """Hold reminders while away (after N minutes without input), during Do Not Disturb, while a
    window is full screen; always while the screen is locked; what this desktop can tell.

    Signals: none; every change goes to the model, and the model's ``changed`` redraws the section.
    """

    def __init__(self, model: HabitsModel, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("When you are not there"), parent)
        self.setObjectName("presence_settings")
        self._model = model
        self._drawing = False

        self._away = QCheckBox(self.tr("Hold reminders while I'm a&way, after"))
        self._away.setObjectName("hold_while_away")
        self._minutes = QSpinBox()
        self._minutes.setObjectName("away_minutes")
        self._minutes.setRange(1, 24 * 60)
        self._minutes.setValue(_DEFAULT_AWAY)
        self._minutes.setSuffix(self.tr(" minutes without input"))
        self._minutes.setAccessibleName(self.tr("Minutes without input before you count as away"))
        self._minutes.setToolTip(self.tr("No keyboard or mouse input for this long means you are away."))
        away_row = QHBoxLayout()
        away_row.setContentsMargins(0, 0, 0, 0)
        away_row.addWidget(self._away)
        away_row.addWidget(self._minutes)
        away_row.addStretch(1)

        self._locked = QLabel(self.tr("…while the screen is locked: always."))
        self._locked.setObjectName("hold_while_locked")
        self._dnd = QCheckBox(self.tr("…d&uring Do Not Disturb"))
        self._dnd.setObjectName("hold_during_do_not_disturb")
        self._fullscreen = QCheckBox(self.tr("…while a window is full s&creen"))
        self._fullscreen.setObjectName("hold_while_fullscreen")
        self._fullscreen.setToolTip(
            self.tr("A presentation, a video or a game: the reminder waits until it ends.")
        )

        hint = QLabel(
            self.tr(
                "A reminder that comes due while you are not there waits and is shown when you are back; "
                "if you check the habit off meanwhile, it counts as done before the reminder."
            )
        )
        hint.setWordWrap(True)
        self._sources = QLabel()
        self._sources.setObjectName("presence_sources")
        self._sources.setWordWrap(True)
        self._sources.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (hint, self._sources):
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(away_row)
        layout.addWidget(self._locked)
        layout.addWidget(self._dnd)
        layout.addWidget(self._fullscreen)
        layout.addWidget(self._sources)

        self._away.toggled.connect(self._on_away_toggled)
        self._minutes.editingFinished.connect(self._on_minutes_editing_finished)
        self._dnd.toggled.connect(self._on_dnd_toggled)
        self._fullscreen.toggled.connect(self._on_fullscreen_toggled)
        model.changed.connect(self._on_model_changed)
        self.set_capabilities(frozenset())  # until the app says what its presence monitor can tell
        self._redraw()

    # -- public -------------------------------------------------------------------------------------

    def set_capabilities(self, capabilities: frozenset[Absence]) -> None:
        """Say which absences this desktop can tell."""
        names = {
            Absence.AWAY: self.tr("time without input"),
            Absence.LOCKED: self.tr("the screen lock"),
            Absence.DO_NOT_DISTURB: self.tr("Do Not Disturb"),
            Absence.FULLSCREEN: self.tr("full-screen windows"),
        }
        offers = [names[absence] for absence in Absence if absence in capabilities]
        lacks = [names[absence] for absence in Absence if absence not in capabilities]
        lines = []
        if offers:
            lines.append(self.tr("This desktop tells TrayHabit: {what}.").format(what=", ".join(offers)))
        if lacks:
            lines.append(
                self.tr("It cannot tell: {what}; reminders are shown regardless of it.").format(
                    what=", ".join(lacks)
                )
            )
        text = "\n".join(lines)
        self._sources.setText(text)
        self._sources.setAccessibleDescription(text)

    def sources_text(self) -> str:
        """What the section says of this desktop's presence sources."""
        return self._sources.text()

    # -- drawing ------------------------------------------------------------------------------------

    def _redraw(self) -> None:
        settings = self._model.settings()
        self._drawing = True
        try:
            minutes = settings.away_minutes
            self._away.setChecked(minutes > 0)
            if minutes > 0:
                self._minutes.setValue(minutes)
            self._minutes.setEnabled(minutes > 0)
            self._dnd.setChecked(settings.hold_during_do_not_disturb)
            self._fullscreen.setChecked(settings.hold_while_fullscreen)
        finally:
            self._drawing = False

    # -- slots --------------------------------------------------------------------------------------

    def _on_model_changed(self, change: Change, _by: object) -> None:
        if change.everything or change.settings & PRESENCE_KEYS:
            self._redraw()

    def _on_away_toggled(self, checked: bool) -> None:
        self._minutes.setEnabled(checked)
        if not self._drawing:
            self._model.set_setting("away_minutes", str(self._minutes.value() if checked else 0))

    def _on_minutes_editing_finished(self) -> None:
        if self._away.isChecked() and self._minutes.value() != self._model.settings().away_minutes:
            self._model.set_setting("away_minutes", str(self._minutes.value()))

    def _on_dnd_toggled(self, checked: bool) -> None:
        if not self._drawing:
            self._model.set_setting("hold_during_do_not_disturb", "true" if checked else "false")

    def _on_fullscreen_toggled(self, checked: bool) -> None:
        if not self._drawing:
            self._model.set_setting("hold_while_fullscreen", "true" if checked else "false")
