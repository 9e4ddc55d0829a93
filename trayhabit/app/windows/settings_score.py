"""The settings window's Score section: the score's parameters under Advanced, and every other setting.

A setting declared in the core that the window has no special control for gets a plain text field
here, under "Advanced", so a new setting needs no change in the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.settings_controls import Field, SettingControls, hint
from trayhabit.app.windows.settings_presence import PRESENCE_KEYS
from trayhabit.core.settings import SPECS

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


class ScoreSection(SettingControls):
    """The Score section of the settings window: Advanced opens the parameters; Restore defaults.

    A mixin of :class:`~trayhabit.app.windows.settings.SettingsWindow`, whose state it shares.
    """

    _model: HabitsModel
    _scroll: QScrollArea

    def _build_score(self) -> QGroupBox:
        box = QGroupBox(self.tr("Score"))
        layout = QVBoxLayout(box)
        layout.addWidget(
            hint(
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

    def _add_other_settings(self) -> None:
        """A text field under Advanced for each setting with no control of its own (a newer core's)."""
        for key, spec in SPECS.items():
            if key in _INTERNAL or key in self._fields or key == "start_at_login" or key in PRESENCE_KEYS:
                continue
            edit = QLineEdit()
            edit.setObjectName(key)
            edit.setToolTip(spec.translated_description())
            edit.editingFinished.connect(lambda key=key: self._commit(key))
            self._fields[key] = Field(edit, edit.text, edit.setText)
            self._score_form.addRow(key.replace("_", " ").capitalize() + ":", edit)

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

    # What this part calls on the rest of the window, for type checkers. Kept last in the class:
    # pyside6-lupdate loses the class's translation context after a def inside an if.
    if TYPE_CHECKING:

        def show_error(self, message: str) -> None: ...
