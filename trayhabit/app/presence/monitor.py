"""The presence monitor: the platform's sources of presence behind one object the driver asks.

The reminder driver asks :meth:`PresenceMonitor.reading` when a reminder comes due and, while it
holds one, :meth:`~PresenceMonitor.watch`-es for the person's return. Sources keep what the platform
signals (the lock, Do Not Disturb, sleep) up to date all the time, which costs nothing while nothing
changes; what only polling can tell (the idle time, a full-screen window) is asked about once a
second, and only while watching, so an app with nothing held never wakes for presence.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from trayhabit.app.presence.source import PresenceSource, SourceUnavailableError, merge
from trayhabit.core.presence import Absence, PresenceReading

log = logging.getLogger(__name__)

#: How often the sources that cannot signal are asked, while watching.
POLL_MS = 1000


class PresenceMonitor(QObject):
    """What the desktop can tell of the person at the keyboard, merged from its sources.

    Signals:
        changed(): while watching, a source saw the state change: input came, the screen
            unlocked, Do Not Disturb went off, the full-screen window went away.
        woke(): the system resumed from sleep (listened for always, where the platform tells).
    """

    changed = Signal()
    woke = Signal()

    def __init__(
        self,
        sources: Sequence[PresenceSource] = (),
        parent: QObject | None = None,
        *,
        later: Callable[[], Sequence[PresenceSource]] | None = None,
    ) -> None:
        """*sources* from the start; *later* makes the rest when they are first needed (a reminder
        comes due, the settings window asks what this desktop can tell): a tray that reminds a few
        times a day need not hold the X connection and the session bus's proxies all day, only
        what tells it of waking."""
        super().__init__(parent)
        self._sources: list[PresenceSource] = []
        self._later = later
        self._watching = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._take(sources)

    def _take(self, sources: Sequence[PresenceSource]) -> None:
        for source in sources:
            source.setParent(self)
            source.changed.connect(self._on_source_changed)
            source.woke.connect(self._on_source_woke)
            self._sources.append(source)

    def _all(self) -> list[PresenceSource]:
        """Every source, those made when first needed included."""
        if self._later is not None:
            later, self._later = self._later, None
            self._take(later())
            log.info(
                "presence: sources %s; can tell %s",
                ", ".join(source.name for source in self._sources) or "none",
                ", ".join(sorted(self.capabilities())) or "nothing yet",
            )
        return self._sources

    @property
    def watching(self) -> bool:
        """Whether the monitor is watching for the person's return."""
        return self._watching

    def sources(self) -> list[PresenceSource]:
        """The sources in use, in order of preference."""
        return list(self._all())

    def capabilities(self) -> frozenset[Absence]:
        """What this desktop can tell."""
        found: frozenset[Absence] = frozenset()
        for source in self._all():
            found |= source.capabilities()
        return found

    def reading(self) -> PresenceReading:
        """What the desktop says of the person now (quick: cached states, local round trips)."""
        return merge([source.read() for source in self._all()])

    def watch(self, on: bool) -> None:
        """Start (or stop) watching for the person's return: :attr:`changed` comes when a source sees
        the state change; what cannot signal is polled about once a second meanwhile."""
        if on == self._watching:
            return
        self._watching = on
        for source in self._all():
            source.watch(on)
        if on and any(source.polls for source in self._sources):
            self._timer.start()
        else:
            self._timer.stop()

    def prepare(self) -> None:
        """Make the sources made when first needed now (a reminder comes due soon): they ask the
        desktop at once, and have its answers when the reminder does."""
        self._all()

    def close(self) -> None:
        """Stop watching and let every source go (connections, registrations)."""
        self.watch(False)
        for source in self._sources:
            source.close()

    def _on_timer_timeout(self) -> None:
        for source in self._sources:
            if source.polls:
                source.poll()

    def _on_source_changed(self) -> None:
        if self._watching:
            self.changed.emit()

    def _on_source_woke(self) -> None:
        log.info("presence: the system woke from sleep")
        self.woke.emit()


def make_monitor(parent: QObject | None = None, platform: str = sys.platform) -> PresenceMonitor:
    """A monitor with every source *platform* offers that works here: on Linux, logind (waking)
    from the start and the rest when first needed (see :class:`PresenceMonitor`)."""
    sources: list[PresenceSource] = []
    if platform == "win32":
        from trayhabit.app.presence.windows import WindowsSource

        _add(sources, WindowsSource)
    elif platform == "darwin":
        from trayhabit.app.presence.macos import MacSource

        _add(sources, MacSource)
    else:
        from trayhabit.app.presence.logind import logind_sources

        return PresenceMonitor(logind_sources(), parent, later=_linux_desktop_sources)
    monitor = PresenceMonitor(sources, parent)
    log.info(
        "presence: sources %s; can tell %s",
        ", ".join(source.name for source in sources) or "none",
        ", ".join(sorted(monitor.capabilities())) or "nothing yet",
    )
    return monitor


def _linux_desktop_sources() -> list[PresenceSource]:
    """The X server's and the session bus's sources (loaded here: ctypes and the X connection cost
    a few MiB that the tray would otherwise hold from its start)."""
    from trayhabit.app.presence.freedesktop import session_sources
    from trayhabit.app.presence.x11 import X11Source, is_x11_session

    sources: list[PresenceSource] = []
    if is_x11_session():
        _add(sources, X11Source)
    # The desktop's idle time over D-Bus only where the X server cannot tell it (Wayland).
    x_tells_idle = any(Absence.AWAY in source.capabilities() for source in sources)
    return sources + session_sources(idle=not x_tells_idle)


def _add(sources: list[PresenceSource], make: Callable[[], PresenceSource]) -> None:
    try:
        sources.append(make())
    except SourceUnavailableError as error:
        log.info("presence: %s", error)
