"""Sizes that fit the screen: no window opens, or asks to be, larger than the screen it is on.

A window's default size is reckoned in characters, so that it scales with the font; on a small
screen or with a large font that size can pass the screen's edge, taking the buttons at the bottom
or the right out of reach. The functions here bound such a size by the screen's available area.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QScrollArea, QStyle, QWidget

# Of the screen's available area, the most a window takes: room is left for the window's frame.
SCREEN_SHARE = 0.9


def screen_room(widget: QWidget) -> QSize:
    """The most room *widget* may take as a window: a share of its screen's available area."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    available = screen.availableGeometry().size()
    return QSize(int(available.width() * SCREEN_SHARE), int(available.height() * SCREEN_SHARE))


def fit_to_screen(widget: QWidget, size: QSize) -> QSize:
    """*size* made no larger than the room on *widget*'s screen (nor smaller than its layout allows)."""
    return size.boundedTo(screen_room(widget)).expandedTo(widget.minimumSizeHint())


def elided(widget: QWidget, text: str, characters: int = 40) -> str:
    """*text* shortened with an ellipsis to about *characters* average characters of *widget*'s font.

    For a name in a window title, where it cannot wrap and would otherwise push the rest out of view.
    """
    metrics = QFontMetrics(widget.font())
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, metrics.averageCharWidth() * characters)


class VerticalScrollArea(QScrollArea):
    """A scroll area that scrolls up and down only: never narrower than its content allows.

    Its smallest width is its content's smallest plus a vertical scroll bar, so the window holding
    it cannot be made so narrow that the content would need a horizontal scroll bar or be cut off.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        # QScrollArea watches its content only for resizes; when the content's layout changes (rows
        # added, a section shown), its smallest width may have changed too: tell the window's layout.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        hint = super().minimumSizeHint()
        content = self.widget()
        if content is None:
            return hint
        frame = self.frameWidth() * 2
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        return QSize(max(hint.width(), content.minimumSizeHint().width() + bar + frame), hint.height())
