"""Presence on Windows: idle time, the session lock, the shell's notification state, and waking.

- Idle: ``GetLastInputInfo`` (the tick of the last input in the session) against ``GetTickCount``.
- Do Not Disturb and full screen: ``SHQueryUserNotificationState``, the shell's own answer to "may
  an app show a notification now": presentation mode and quiet time count as Do Not Disturb; a
  full-screen app or game (busy, Direct3D, a Store app) as full screen; "not present" (screen
  saver, locked, another user) as locked. Focus Assist's own switch has no public API.
- Lock: ``WTSRegisterSessionNotification`` sends ``WM_WTSSESSION_CHANGE`` (lock, unlock) to a hidden
  window of the app.
- Waking: ``RegisterSuspendResumeNotification`` sends ``WM_POWERBROADCAST`` with
  ``PBT_APMRESUMEAUTOMATIC`` to that window on every resume.

The window's messages are read by a native event filter on Qt's loop. The Win32 calls sit behind
:class:`WindowsApi`, which the tests replace with a fake.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from typing import Any, Protocol

from PySide6.QtCore import QAbstractNativeEventFilter, QCoreApplication
from PySide6.QtGui import QWindow

from trayhabit.app.presence.source import IdleTracker, PresenceSource, SourceUnavailableError
from trayhabit.core.presence import Absence, PresenceReading

log = logging.getLogger(__name__)

WM_WTSSESSION_CHANGE = 0x02B1
WTS_SESSION_LOCK = 0x7
WTS_SESSION_UNLOCK = 0x8
WM_POWERBROADCAST = 0x0218
PBT_APMRESUMEAUTOMATIC = 0x12
NOTIFY_FOR_THIS_SESSION = 0
DEVICE_NOTIFY_WINDOW_HANDLE = 0

# SHQueryUserNotificationState's answers (QUERY_USER_NOTIFICATION_STATE).
QUNS_NOT_PRESENT = 1
QUNS_BUSY = 2
QUNS_RUNNING_D3D_FULL_SCREEN = 3
QUNS_PRESENTATION_MODE = 4
QUNS_ACCEPTS_NOTIFICATIONS = 5
QUNS_QUIET_TIME = 6
QUNS_APP = 7
FULL_SCREEN_STATES = frozenset({QUNS_BUSY, QUNS_RUNNING_D3D_FULL_SCREEN, QUNS_APP})
DO_NOT_DISTURB_STATES = frozenset({QUNS_PRESENTATION_MODE, QUNS_QUIET_TIME})


class MSG(ctypes.Structure):
    """Win32's ``MSG``, as a native event filter receives it."""

    _fields_ = (
        ("hwnd", ctypes.c_void_p),
        ("message", ctypes.c_uint),
        ("wParam", ctypes.c_size_t),
        ("lParam", ctypes.c_ssize_t),
        ("time", ctypes.c_ulong),
        ("pt_x", ctypes.c_long),
        ("pt_y", ctypes.c_long),
    )


class LASTINPUTINFO(ctypes.Structure):
    """Win32's ``LASTINPUTINFO``."""

    _fields_ = (("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_ulong))


class Api(Protocol):
    """The Win32 calls the source makes (a fake in the tests)."""

    def idle_seconds(self) -> float:
        """Seconds since the session's last keyboard or mouse input."""
        ...

    def notification_state(self) -> int | None:
        """``SHQueryUserNotificationState``'s answer; None if it failed."""
        ...

    def register(self, hwnd: int) -> None:
        """Have session changes and resumes sent to the window *hwnd*."""
        ...

    def unregister(self, hwnd: int) -> None:
        """Stop sending them."""
        ...


class WindowsApi:
    """The Win32 calls, through ctypes."""

    def __init__(self, platform: str = sys.platform) -> None:
        if platform != "win32":
            raise SourceUnavailableError("Windows: not on Windows")
        windll: Any = getattr(ctypes, "windll")  # noqa: B009 (only on Windows; mypy checks on Linux)
        self._user32 = windll.user32
        self._kernel32 = windll.kernel32
        self._shell32 = windll.shell32
        self._wtsapi32 = windll.wtsapi32
        self._kernel32.GetTickCount64.restype = ctypes.c_ulonglong
        self._user32.RegisterSuspendResumeNotification.restype = ctypes.c_void_p
        self._user32.RegisterSuspendResumeNotification.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self._user32.UnregisterSuspendResumeNotification.argtypes = [ctypes.c_void_p]
        self._power: int | None = None

    def idle_seconds(self) -> float:
        info = LASTINPUTINFO(cbSize=ctypes.sizeof(LASTINPUTINFO))
        if not self._user32.GetLastInputInfo(ctypes.byref(info)):
            raise ctypes.WinError()  # type: ignore[attr-defined]
        # dwTime is the 32-bit tick count: compare it with the low 32 bits of the 64-bit one, so a
        # wrap after 49.7 days does not make the idle time negative.
        now = int(self._kernel32.GetTickCount64()) & 0xFFFFFFFF
        return float((now - info.dwTime) & 0xFFFFFFFF) / 1000

    def notification_state(self) -> int | None:
        state = ctypes.c_int()
        if self._shell32.SHQueryUserNotificationState(ctypes.byref(state)) != 0:
            return None
        return state.value

    def register(self, hwnd: int) -> None:
        if not self._wtsapi32.WTSRegisterSessionNotification(ctypes.c_void_p(hwnd), NOTIFY_FOR_THIS_SESSION):
            log.warning("presence: cannot hear of the session's lock (WTSRegisterSessionNotification failed)")
        self._power = self._user32.RegisterSuspendResumeNotification(hwnd, DEVICE_NOTIFY_WINDOW_HANDLE)
        if not self._power:
            log.warning("presence: cannot hear of resumes (RegisterSuspendResumeNotification failed)")

    def unregister(self, hwnd: int) -> None:
        self._wtsapi32.WTSUnRegisterSessionNotification(ctypes.c_void_p(hwnd))
        if self._power:
            self._user32.UnregisterSuspendResumeNotification(self._power)
            self._power = None


class MessageFilter(QAbstractNativeEventFilter):
    """Hands the hidden window's messages to the source."""

    def __init__(self, source: WindowsSource) -> None:
        super().__init__()
        self._source = source

    def nativeEventFilter(self, eventType: Any, message: Any) -> object:  # noqa: N802, N803 (Qt's names)
        # *message* is a shiboken VoidPtr, whose truth value raises (it has no size): test its address.
        address = int(message)
        if bytes(eventType) == b"windows_generic_MSG" and address:
            msg = MSG.from_address(address)
            if msg.hwnd == self._source.hwnd:
                self._source.handle_message(msg.message, msg.wParam)
        return False, 0


class WindowsSource(PresenceSource):
    """Every presence Windows can tell, from Win32."""

    name = "Windows"
    polls = True

    def __init__(self, api: Api | None = None, hwnd: int | None = None) -> None:
        super().__init__()
        self._api: Api = api if api is not None else WindowsApi()
        self._window: QWindow | None = None
        if hwnd is None:
            # A hidden native window, only to receive the session's and the power manager's messages.
            self._window = QWindow()
            self._window.create()
            hwnd = int(self._window.winId())
        self.hwnd = hwnd
        self._locked = False
        self._closed = False
        #: Reads the hidden window's messages from Qt's loop (the tests hand it messages).
        self.message_filter = MessageFilter(self)
        application = QCoreApplication.instance()
        if application is not None:
            application.installNativeEventFilter(self.message_filter)
        self._api.register(hwnd)
        self._idle = IdleTracker()
        self._before = PresenceReading()

    def capabilities(self) -> frozenset[Absence]:
        return frozenset(Absence)

    def read(self) -> PresenceReading:
        state = self._api.notification_state()
        return PresenceReading(
            idle_seconds=self._api.idle_seconds(),
            locked=self._locked or state == QUNS_NOT_PRESENT,
            do_not_disturb=None if state is None else state in DO_NOT_DISTURB_STATES,
            fullscreen=None if state is None else state in FULL_SCREEN_STATES,
        )

    def watch(self, on: bool) -> None:
        self._idle.reset()
        if on:
            self._before = self.read()
            self._idle.input_came(self._before.idle_seconds)

    def poll(self) -> None:
        now = self.read()
        before, self._before = self._before, now
        went_off = any(
            getattr(before, flag) is True and getattr(now, flag) is not True
            for flag in ("locked", "do_not_disturb", "fullscreen")
        )
        if self._idle.input_came(now.idle_seconds) or went_off:
            self.changed.emit()

    def handle_message(self, message: int, wparam: int) -> None:
        """A message to the hidden window: a session change or a power event."""
        if message == WM_WTSSESSION_CHANGE and wparam in (WTS_SESSION_LOCK, WTS_SESSION_UNLOCK):
            self._locked = wparam == WTS_SESSION_LOCK
            log.info("presence: the session is %s", "locked" if self._locked else "unlocked")
            self.changed.emit()
        elif message == WM_POWERBROADCAST and wparam == PBT_APMRESUMEAUTOMATIC:
            self.woke.emit()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._api.unregister(self.hwnd)
        application = QCoreApplication.instance()
        if application is not None:
            application.removeNativeEventFilter(self.message_filter)
        if self._window is not None:
            self._window.destroy()
            self._window = None
