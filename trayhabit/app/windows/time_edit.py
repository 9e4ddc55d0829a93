"""A time field that takes a time the way people type it.

Qt's own time field edits one section at a time, so a click that leaves the cursor after the
minutes and then "15:00" typed changes nothing at all. Here the whole time is selected when the
field takes the focus (by Tab or by a click), and what is typed replaces it: "15:00", "1500",
"15.00", "930" and "9" all mean what they say. The arrow keys still step the section under the
cursor, as in every other time field.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, Qt, QTime
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QTimeEdit, QWidget

DISPLAY_FORMAT = "HH:mm"
# Hours and minutes, with or without a separator between them; or the hour alone.
_TYPED = re.compile(r"^\s*(\d{1,2})(?:\s*[:.h]?\s*(\d{2}))?\s*$")


def typed_time(text: str) -> QTime | None:
    """The time *text* means as typed ("15:00", "1500", "15.00", "930", "9"), or None."""
    match = _TYPED.match(text)
    if match is None:
        digits = re.sub(r"\D", "", text)
        # Three digits with no separator: an hour of one digit and its minutes ("930").
        if len(digits) == 3 and text.strip().isdigit():
            hour, minute = int(digits[0]), int(digits[1:])
        else:
            return None
    else:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    return QTime(hour, minute)


class TimeEdit(QTimeEdit):
    """A 24-hour ``HH:mm`` time field that selects all on focus and reads a typed time whole.

    Typing over the selection (or over an empty field) collects what is typed as it is, without
    Qt's section-by-section checks; the time it means is taken as soon as it is complete ("15:00",
    "1500"), or when the edit ends (Enter, Tab, a click elsewhere). Escape, or text that is no time,
    leaves the time as it was.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(DISPLAY_FORMAT)
        self._select_on_release = False
        self._typed: str | None = None  # what is being typed over the selection, as typed

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        """Select the whole time, so that typing replaces it."""
        super().focusInEvent(event)
        self.selectAll()
        # And again after the click that gave the focus has placed its cursor (mouseReleaseEvent).
        self._select_on_release = event.reason() == Qt.FocusReason.MouseFocusReason

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        """Take the time typed before the field says its edit is finished."""
        self._take_typed()
        super().focusOutEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        """The click that brought the focus selects all; later clicks place the cursor."""
        super().mouseReleaseEvent(event)
        if self._select_on_release:
            self._select_on_release = False
            self.selectAll()

    def event(self, event: QEvent) -> bool:
        """While a time is being typed, Escape belongs to the field (it takes the typing back),
        not to the window's shortcut that closes it."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and self._typed is not None
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        """Collect a time typed over the selection; hand everything else to Qt's field."""
        text = event.text()
        line = self.lineEdit()
        typing = self._typed is not None
        replacing = line.hasSelectedText() and line.selectedText() == line.text()
        if text and text in _TYPABLE and (typing or replacing):
            self._typed = (self._typed or "") + text
            self._show_typed()
            if _complete(self._typed):
                self._take_typed()
            return
        if typing and event.key() == Qt.Key.Key_Backspace:
            assert self._typed is not None
            self._typed = self._typed[:-1]
            self._show_typed()
            return
        if typing and event.key() == Qt.Key.Key_Escape:
            self._typed = None
            self.setTime(self.time())
            line.setText(self.time().toString(DISPLAY_FORMAT))
            return
        self._take_typed()
        super().keyPressEvent(event)

    def _show_typed(self) -> None:
        """Show what is typed as it is: Qt's field would read it at once, section by section."""
        line = self.lineEdit()
        line.blockSignals(True)
        try:
            line.setText(self._typed or "")
        finally:
            line.blockSignals(False)

    def _take_typed(self) -> None:
        """Set the time typed so far (or show the time as it was, if what was typed is no time)."""
        typed, self._typed = self._typed, None
        if typed is None:
            return
        value = typed_time(typed)
        if value is not None:
            self.setTime(value)
        self.lineEdit().setText(self.time().toString(DISPLAY_FORMAT))


_TYPABLE = frozenset("0123456789:.h ")


def _complete(typed: str) -> bool:
    """Whether *typed* cannot go on: four digits, or minutes of two digits after a separator."""
    digits = re.sub(r"\D", "", typed)
    return len(digits) == 4 or bool(re.search(r"[:.h]\s*\d{2}$", typed))
