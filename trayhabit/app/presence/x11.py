"""The X server's own view of presence: the idle time and a full-screen active window.

The idle time comes from the MIT-SCREEN-SAVER extension (libXss, through ctypes): the milliseconds
since the last keyboard or mouse input, which the server keeps whether or not a screen saver runs.
A window counts as full screen when the window manager names it in ``_NET_ACTIVE_WINDOW`` and its
``_NET_WM_STATE`` holds ``_NET_WM_STATE_FULLSCREEN`` (EWMH). Neither is signalled, so both are asked
(a round trip to the local server, well under a millisecond) when read and while watching.

Only in an X11 session: under Wayland, XWayland sees only the input that goes to X clients, so its
idle time would grow while the person types into native Wayland windows.
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Mapping
from typing import Any

from trayhabit.app.presence.source import IdleTracker, PresenceSource, SourceUnavailableError
from trayhabit.core.presence import Absence, PresenceReading

log = logging.getLogger(__name__)

ANY_PROPERTY_TYPE = 0
SUCCESS = 0


class XScreenSaverInfo(ctypes.Structure):
    """The extension's ``XScreenSaverInfo``."""

    _fields_ = (
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("eventMask", ctypes.c_ulong),
    )


# int handler(Display *, XErrorEvent *)
ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


def _ignore_x_error(display: Any, event: Any) -> int:
    # Xlib's default handler ends the process; the active window may be gone by the time its state
    # is asked (BadWindow), which only means "not full screen".
    return 0


# Kept for the life of the process: Xlib calls it after any source is gone.
IGNORE_X_ERROR = ERROR_HANDLER(_ignore_x_error)


def is_x11_session(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the desktop is an X11 one (not Wayland with XWayland)."""
    if environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland":
        return False
    return bool(environ.get("DISPLAY"))


def _load(soname: str) -> ctypes.CDLL:
    # By soname, not ctypes.util.find_library, which runs ldconfig in a subprocess.
    try:
        return ctypes.CDLL(soname)
    except OSError as error:
        raise SourceUnavailableError(f"X11: cannot load {soname} ({error})") from None


class X11Source(PresenceSource):
    """Idle time and full screen from the X server on ``DISPLAY`` (a connection of its own)."""

    name = "X11"
    polls = True

    def __init__(self, display_name: str | None = None) -> None:
        super().__init__()
        self._xlib = xlib = _load("libX11.so.6")
        xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
        xlib.XOpenDisplay.restype = ctypes.c_void_p
        xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
        xlib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        xlib.XDefaultRootWindow.restype = ctypes.c_ulong
        xlib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        xlib.XInternAtom.restype = ctypes.c_ulong
        xlib.XGetWindowProperty.argtypes = [
            ctypes.c_void_p,  # display
            ctypes.c_ulong,  # window
            ctypes.c_ulong,  # property
            ctypes.c_long,  # offset
            ctypes.c_long,  # length
            ctypes.c_int,  # delete
            ctypes.c_ulong,  # requested type
            ctypes.POINTER(ctypes.c_ulong),  # actual type
            ctypes.POINTER(ctypes.c_int),  # actual format
            ctypes.POINTER(ctypes.c_ulong),  # items
            ctypes.POINTER(ctypes.c_ulong),  # bytes after
            ctypes.POINTER(ctypes.c_void_p),  # data
        ]
        xlib.XFree.argtypes = [ctypes.c_void_p]
        xlib.XSetErrorHandler.argtypes = [ERROR_HANDLER]
        xlib.XSetErrorHandler.restype = ctypes.c_void_p

        name = display_name if display_name is not None else os.environ.get("DISPLAY", "")
        self._display = xlib.XOpenDisplay(name.encode())
        if not self._display:
            raise SourceUnavailableError(f"X11: cannot open the display {name!r}")
        xlib.XSetErrorHandler(IGNORE_X_ERROR)
        self._root = xlib.XDefaultRootWindow(self._display)
        self._atoms = {
            atom: xlib.XInternAtom(self._display, atom.encode(), 0)
            for atom in ("_NET_ACTIVE_WINDOW", "_NET_WM_STATE", "_NET_WM_STATE_FULLSCREEN")
        }

        self._xss: ctypes.CDLL | None = None
        self._info: Any = None
        try:
            xss = _load("libXss.so.1")
        except SourceUnavailableError as error:
            log.info("presence: %s; no idle time from the X server", error)
        else:
            xss.XScreenSaverQueryExtension.argtypes = [
                ctypes.c_void_p,
                ctypes.POINTER(ctypes.c_int),
                ctypes.POINTER(ctypes.c_int),
            ]
            xss.XScreenSaverAllocInfo.restype = ctypes.POINTER(XScreenSaverInfo)
            xss.XScreenSaverQueryInfo.argtypes = [
                ctypes.c_void_p,
                ctypes.c_ulong,
                ctypes.POINTER(XScreenSaverInfo),
            ]
            event_base, error_base = ctypes.c_int(), ctypes.c_int()
            if xss.XScreenSaverQueryExtension(
                self._display, ctypes.byref(event_base), ctypes.byref(error_base)
            ):
                self._xss, self._info = xss, xss.XScreenSaverAllocInfo()
            else:
                log.info("presence: the X server has no MIT-SCREEN-SAVER extension; no idle time from it")
        self._idle = IdleTracker()
        self._fullscreen_before: bool | None = None

    def capabilities(self) -> frozenset[Absence]:
        found = {Absence.FULLSCREEN}
        if self._xss is not None:
            found.add(Absence.AWAY)
        return frozenset(found)

    def idle_seconds(self) -> float | None:
        """Seconds since the last keyboard or mouse input the X server saw."""
        if self._xss is None or not self._display:
            return None
        if not self._xss.XScreenSaverQueryInfo(self._display, self._root, self._info):
            return None
        return float(self._info.contents.idle) / 1000

    def fullscreen(self) -> bool | None:
        """Whether the active window is full screen; None when the window manager names no active window."""
        if not self._display:
            return None
        active = self._property(self._root, "_NET_ACTIVE_WINDOW")
        if not active or not active[0]:
            return None
        return self._atoms["_NET_WM_STATE_FULLSCREEN"] in self._property(active[0], "_NET_WM_STATE")

    def read(self) -> PresenceReading:
        return PresenceReading(idle_seconds=self.idle_seconds(), fullscreen=self.fullscreen())

    def watch(self, on: bool) -> None:
        self._idle.reset()
        if on:
            self._idle.input_came(self.idle_seconds())
            self._fullscreen_before = self.fullscreen()

    def poll(self) -> None:
        input_came = self._idle.input_came(self.idle_seconds())
        fullscreen = self.fullscreen()
        window_gone = self._fullscreen_before is True and not fullscreen
        self._fullscreen_before = fullscreen
        if input_came or window_gone:
            self.changed.emit()

    def close(self) -> None:
        if self._display:
            self._xlib.XCloseDisplay(self._display)
            self._display = None

    def _property(self, window: int, name: str) -> list[int]:
        """The 32-bit items of *window*'s property *name* (windows or atoms); [] when it has none."""
        actual_type, actual_format = ctypes.c_ulong(), ctypes.c_int()
        items, after, data = ctypes.c_ulong(), ctypes.c_ulong(), ctypes.c_void_p()
        status = self._xlib.XGetWindowProperty(
            self._display,
            window,
            self._atoms[name],
            0,
            64,
            0,
            ANY_PROPERTY_TYPE,
            ctypes.byref(actual_type),
            ctypes.byref(actual_format),
            ctypes.byref(items),
            ctypes.byref(after),
            ctypes.byref(data),
        )
        if status != SUCCESS or not data.value:
            return []
        try:
            if actual_format.value != 32:
                return []
            # Xlib hands 32-bit items as C longs.
            return list(ctypes.cast(data, ctypes.POINTER(ctypes.c_ulong))[: items.value])
        finally:
            self._xlib.XFree(data)
