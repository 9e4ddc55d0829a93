"""Waiting for a tray that comes after the app: a panel that starts later at login.

At login a desktop starts its panel and its autostart programs side by side, so TrayHabit may ask
for the tray a moment before the panel offers one (Xfce, LXQt, a sway or Hyprland bar, a GNOME
extension still loading). Rather than stay in its no-tray mode for the whole session, the app asks
again every second for two minutes and shows its icon as soon as a tray is there. Qt answers afresh
each time, for StatusNotifierItem hosts as for XEmbed trays, and a tray icon made before the tray
came shows once asked to.

The "no tray" explanation waits ten seconds, so that a panel that was only late is not called
missing. Time here is counted in the timer's ticks: nothing reads the clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QSystemTrayIcon

log = logging.getLogger(__name__)

#: How often the app asks whether a tray has come, in milliseconds.
POLL_MS = 1000
#: After how many asks a tray still missing is said to be missing (ten seconds).
GRACE_POLLS = 10
#: After how many asks the app stops asking (two minutes): a tray that comes later needs a restart.
LAST_POLL = 120


class LateTray(QObject):
    """Asks every second whether a tray has come, for two minutes.

    Signals:
        appeared(): a tray is there now (emitted once; asking stops).
        still_missing(): ten seconds passed without a tray (emitted once; asking goes on).
    """

    appeared = Signal()
    still_missing = Signal()

    def __init__(
        self,
        available: Callable[[], bool] | None = None,
        parent: QObject | None = None,
    ) -> None:
        """*available* tells whether a tray is there now (Qt's answer unless given)."""
        super().__init__(parent)
        self._available = available or QSystemTrayIcon.isSystemTrayAvailable
        self._polls = 0
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)

    @property
    def waiting(self) -> bool:
        """Whether the app still asks."""
        return self._timer.isActive()

    def start(self) -> None:
        """Start asking (the first ask comes a second from now)."""
        self._polls = 0
        self._timer.start()

    def poll(self) -> None:
        """Ask once (the timer's tick)."""
        self._polls += 1
        if self._available():
            self._timer.stop()
            log.info("a system tray came after %d s", self._polls * POLL_MS // 1000)
            self.appeared.emit()
            return
        if self._polls == GRACE_POLLS:
            self.still_missing.emit()
        if self._polls >= LAST_POLL:
            self._timer.stop()
            log.info("no system tray after %d s; no longer asking", self._polls * POLL_MS // 1000)
