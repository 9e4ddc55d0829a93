"""Colours that follow the desktop's theme, light or dark, also when it changes with a window open.

Qt hands every widget a new palette when the desktop switches between light and dark (on Linux the
platform theme follows the desktop's colour scheme). A colour a window works out from the palette,
the red of an error or the grey of a quieter line, is worked out again then: :func:`tint` keeps a
label's text in such a colour, where a colour set once would stay the old theme's, dark red on a dark
window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QRadioButton, QWidget

ColourOf = Callable[[QPalette], QColor]


def is_dark(palette: QPalette) -> bool:
    """Whether *palette* is a dark theme's: light text on a dark window."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def secondary_color(palette: QPalette) -> QColor:
    """A dimmed text colour that follows the theme (light or dark): text blended into the window."""
    text = palette.color(QPalette.ColorRole.WindowText)
    window = palette.color(QPalette.ColorRole.Window)
    # Less dimmed on a dark theme, where grey on the selected row's blue tint fell below 4.5:1.
    share = 0.7 if is_dark(palette) else 0.62
    return QColor(
        round(text.red() * share + window.red() * (1 - share)),
        round(text.green() * share + window.green() * (1 - share)),
        round(text.blue() * share + window.blue() * (1 - share)),
    )


def error_colour(palette: QPalette) -> QColor:
    """A red that reads well on the palette's window colour, light theme or dark (4.5:1 and more
    on a dark window and on the lighter grey of a group or tab on it)."""
    return QColor("#ff8a80") if is_dark(palette) else QColor("#c62828")


def surrounding_palette(widget: QWidget) -> QPalette:
    """The palette *widget* would have without colours of its own: its parent's, or the app's."""
    parent = widget.parentWidget()
    return parent.palette() if parent is not None else QApplication.palette(widget)


class _Tint(QObject):
    """Sets one colour of its widget's palette (its text, by default) from the palette around it,
    again on every palette change."""

    def __init__(
        self, widget: QWidget, colour_of: ColourOf, role: QPalette.ColorRole = QPalette.ColorRole.WindowText
    ) -> None:
        super().__init__(widget)
        self._widget = widget
        self._colour_of = colour_of
        self._role = role

    def apply(self) -> None:
        palette = self._widget.palette()
        palette.setColor(self._role, self._colour_of(surrounding_palette(self._widget)))
        # Setting the same palette again sends no change event, so this ends here.
        self._widget.setPalette(palette)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self._widget and event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ParentChange):
            self.apply()
        return False


def tint(
    widget: QWidget, colour_of: ColourOf, role: QPalette.ColorRole = QPalette.ColorRole.WindowText
) -> None:
    """Show *widget*'s text (or its palette's *role*) in ``colour_of(palette)``, worked out again
    whenever the palette changes."""
    untint(widget)
    follower = _Tint(widget, colour_of, role)
    follower.setObjectName("tint")
    widget.installEventFilter(follower)
    follower.apply()


def untint(widget: QWidget) -> None:
    """Give *widget*'s text the palette's own colour again."""
    for follower in widget.findChildren(_Tint, "tint"):
        widget.removeEventFilter(follower)
        follower.setParent(None)
        follower.deleteLater()
    widget.setPalette(QPalette())


def box_frame_base(palette: QPalette) -> QColor:
    """The colour Fusion darkens for a check box's or a radio button's frame: the window's own on a
    light theme; on a dark one, text blended into the window, since the window colour darkened is
    about what it is drawn on (1.3:1), and an unticked box would not show. :func:`frame_boxes` gives
    it to a window's boxes, the check-off rows to theirs."""
    return secondary_color(palette) if is_dark(palette) else palette.color(QPalette.ColorRole.Window)


def frame_boxes(window: QWidget) -> None:
    """Keep the frames of *window*'s check boxes and radio buttons visible on a dark theme too (Fusion,
    Qt's style on Linux desktops and on Windows in dark mode, draws them in the window colour darkened)."""
    for box in window.findChildren(QCheckBox) + window.findChildren(QRadioButton):
        tint(box, box_frame_base, QPalette.ColorRole.Window)
