"""The first-run welcome: the method in three steps, and a few habits to start from.

The dialog only offers; the application decides when to show it (no habits yet and the
``welcomed`` setting not set) and what to do with the choice (open the habit form filled in).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from trayhabit.app.titles import window_title

_WEEKDAYS = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"


@dataclass(frozen=True)
class Example:
    """A habit to start from: what the habit form is filled in with."""

    name: str
    rule: str
    at: str
    why: str
    when: str  # the schedule in words, for the button


class WelcomeDialog(QDialog):
    """A short, warm explanation of the method, then examples to start from or a blank habit.

    Signals:
        example_chosen(str name, str rule, str at_hhmm, str why): the user picked an example; the
            dialog has closed.
        blank_chosen(): the user wants to start from scratch; the dialog has closed.
    """

    example_chosen = Signal(str, str, str, str)
    blank_chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(window_title(self.tr("Welcome")))
        self.setObjectName("WelcomeDialog")

        layout = QVBoxLayout(self)
        layout.setSpacing(layout.spacing() * 2)

        title = QLabel(self.tr("Welcome to TrayHabit"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        title.setAccessibleName(title.text())
        layout.addWidget(title)

        layout.addWidget(
            _paragraph(
                self.tr(
                    "TrayHabit helps a good intention become a habit, and then lets the reminder go. "
                    "It works in three steps:"
                )
            )
        )
        layout.addWidget(self._steps())
        layout.addWidget(_paragraph(self._tray_text()))

        layout.addWidget(
            _paragraph(
                self.tr(
                    "<b>Pick a first habit to start from.</b> You can change everything before you save it."
                )
            )
        )
        choices = QVBoxLayout()
        choices.setSpacing(0)
        layout.addLayout(choices)
        self._example_buttons: list[QCommandLinkButton] = []
        for example in self.examples():
            button = QCommandLinkButton(example.name, self._button_text(example))
            button.setAccessibleDescription(self._button_text(example))
            button.setObjectName("example")
            button.clicked.connect(lambda _checked=False, example=example: self._choose(example))
            choices.addWidget(button)
            self._example_buttons.append(button)
        self._blank_button = QCommandLinkButton(
            self.tr("Start from scratch"), self.tr("An empty habit, with your own name and schedule.")
        )
        self._blank_button.setObjectName("blank")
        self._blank_button.clicked.connect(self._on_blank_button_clicked)
        choices.addWidget(self._blank_button)

        buttons = QDialogButtonBox()
        later = buttons.addButton(self.tr("&Not now"), QDialogButtonBox.ButtonRole.RejectRole)
        later.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        # Wrapped text asks for little width; about 80 characters a line reads comfortably.
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)

        # The first example is where a newcomer most likely starts; Enter takes it.
        self._example_buttons[0].setDefault(True)
        self._example_buttons[0].setFocus()

    def examples(self) -> list[Example]:
        """The habits offered, in the user's language."""
        return [
            Example(
                self.tr("Follow up sent quotes"),
                "FREQ=WEEKLY;BYDAY=FR",
                "15:00",
                self.tr("Deals close on follow-up"),
                self.tr("Every Friday at 15:00"),
            ),
            Example(
                self.tr("Follow up after a customer meeting"),
                _WEEKDAYS,
                "16:30",
                self.tr("Send the summary while it is fresh"),
                self.tr("Every weekday at 16:30"),
            ),
            Example(
                self.tr("Plan tomorrow"),
                _WEEKDAYS,
                "17:00",
                self.tr("Start tomorrow knowing what comes first"),
                self.tr("Every weekday at 17:00"),
            ),
        ]

    # -- building -------------------------------------------------------------------------------------

    def _steps(self) -> QLabel:
        steps = [
            self.tr(
                "<b>Give the behaviour a recurring reminder.</b> A weekly “follow up the quotes I sent”, "
                "for instance."
            ),
            self.tr(
                "<b>Do it when you are reminded.</b> Soon you will find yourself doing it <i>before</i> "
                "the reminder, and tick it off at once when the reminder comes: you have "
                "<b>pre-empted</b> the reminder."
            ),
            self.tr(
                "<b>Let the reminder go.</b> When you pre-empt it reliably, TrayHabit suggests retiring "
                "the reminder: the behaviour has become a habit."
            ),
        ]
        items = "".join(f'<li style="margin-bottom: 4px">{text}</li>' for text in steps)
        # One label, not a grid of them: a top-level dialog sizes one wrapped label correctly.
        return _paragraph(f"<ol>{items}</ol>")

    def _tray_text(self) -> str:
        if sys.platform == "darwin":
            where = self.tr("the menu bar")
        elif sys.platform == "win32":
            where = self.tr("the notification area of the taskbar")
        else:
            where = self.tr("the system tray")
        return self.tr(
            "TrayHabit lives in {where}. Click its icon whenever you like to tick a habit off; reminders "
            "come from there too."
        ).format(where=where)

    def _button_text(self, example: Example) -> str:
        return self.tr("{when} · {why}").format(when=example.when, why=example.why)

    # -- choosing -------------------------------------------------------------------------------------------

    def _choose(self, example: Example) -> None:
        self.accept()
        self.example_chosen.emit(example.name, example.rule, example.at, example.why)

    def _on_blank_button_clicked(self) -> None:
        self.accept()
        self.blank_chosen.emit()


def _paragraph(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label
