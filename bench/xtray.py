"""Sees the moment a tray icon is embedded and shown by the XEmbed tray host (trayer), from outside.

trayer answers a dock request by creating a socket window inside its panel window, reparenting the
client's icon window into it and mapping it (XEmbed). The icon is "registered with the host" at the
first moment a window two levels below the panel (client inside socket) is viewable. Polling
``xwininfo`` would spend ~5 ms of CPU per look on a 2-core machine while the app starts, so this talks
to the X server itself through libX11 (ctypes): it asks for SubstructureNotify events on the panel and
every window below it, sleeps in ``select()`` on the X connection, and looks at the window tree again
after each event (and every 50 ms as a safety net). Every app is watched the same way, so the small
cost of the watcher falls on the floor and on TrayHabit alike.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import select
import time
from collections.abc import Callable

_SUBSTRUCTURE_NOTIFY_MASK = 1 << 19
_IS_VIEWABLE = 2

_Window = ctypes.c_ulong


class _XWindowAttributes(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_int),
        ("y", ctypes.c_int),
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("border_width", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("visual", ctypes.c_void_p),
        ("root", _Window),
        ("class_", ctypes.c_int),
        ("bit_gravity", ctypes.c_int),
        ("win_gravity", ctypes.c_int),
        ("backing_store", ctypes.c_int),
        ("backing_planes", ctypes.c_ulong),
        ("backing_pixel", ctypes.c_ulong),
        ("save_under", ctypes.c_int),
        ("colormap", ctypes.c_ulong),
        ("map_installed", ctypes.c_int),
        ("map_state", ctypes.c_int),
        ("all_event_masks", ctypes.c_long),
        ("your_event_mask", ctypes.c_long),
        ("do_not_propagate_mask", ctypes.c_long),
        ("override_redirect", ctypes.c_int),
        ("screen", ctypes.c_void_p),
    ]


_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


class TrayError(RuntimeError):
    """The icon did not show, or the X server could not be reached."""


class TrayWatcher:
    """A connection to one X display that watches one tray host's panel window."""

    def __init__(self, display: str, panel: int) -> None:
        name = ctypes.util.find_library("X11")
        if name is None:
            raise TrayError("libX11 is not installed")
        self._x = ctypes.CDLL(name)
        self._x.XOpenDisplay.restype = ctypes.c_void_p
        self._x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self._x.XQueryTree.argtypes = [ctypes.c_void_p, _Window, *[ctypes.c_void_p] * 4]
        self._x.XGetWindowAttributes.argtypes = [ctypes.c_void_p, _Window, ctypes.c_void_p]
        self._x.XSelectInput.argtypes = [ctypes.c_void_p, _Window, ctypes.c_long]
        self._x.XFree.argtypes = [ctypes.c_void_p]
        for function in ("XPending", "XConnectionNumber", "XCloseDisplay"):
            getattr(self._x, function).argtypes = [ctypes.c_void_p]
        self._x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        # Windows vanish between two requests (an app quitting): Xlib's default handler would exit.
        self._handler = _ERROR_HANDLER(lambda _display, _event: 0)
        self._x.XSetErrorHandler.argtypes = [_ERROR_HANDLER]
        self._x.XSetErrorHandler(self._handler)
        self._display = self._x.XOpenDisplay(display.encode())
        if not self._display:
            raise TrayError(f"cannot open X display {display}")
        self._fd = self._x.XConnectionNumber(self._display)
        self._panel = panel
        self._selected: set[int] = set()
        self._event = ctypes.create_string_buffer(256)  # an XEvent is 192 bytes on 64-bit

    def close(self) -> None:
        """Close the connection."""
        self._x.XCloseDisplay(self._display)

    def _children(self, window: int) -> list[int]:
        root, parent, count = _Window(), _Window(), ctypes.c_uint()
        children = ctypes.POINTER(_Window)()
        ok = self._x.XQueryTree(
            self._display,
            window,
            ctypes.byref(root),
            ctypes.byref(parent),
            ctypes.byref(children),
            ctypes.byref(count),
        )
        if not ok:
            return []
        found = [children[i] for i in range(count.value)]
        if children:
            self._x.XFree(children)
        return found

    def _viewable(self, window: int) -> bool:
        attributes = _XWindowAttributes()
        if not self._x.XGetWindowAttributes(self._display, window, ctypes.byref(attributes)):
            return False
        return bool(attributes.map_state == _IS_VIEWABLE)

    def _watch(self, window: int) -> None:
        if window not in self._selected:
            self._selected.add(window)
            self._x.XSelectInput(self._display, window, _SUBSTRUCTURE_NOTIFY_MASK)

    def icons(self) -> set[int]:
        """The client windows now embedded in the panel (inside a socket) and viewable."""
        self._watch(self._panel)
        shown = set()
        for socket in self._children(self._panel):
            self._watch(socket)
            for client in self._children(socket):
                if self._viewable(client):
                    shown.add(client)
        return shown

    def wait(self, condition: Callable[[set[int]], bool], timeout: float, alive: Callable[[], bool]) -> float:
        """Wait until *condition* holds for :meth:`icons`; return the monotonic time it was seen."""
        deadline = time.monotonic() + timeout
        while True:
            if condition(self.icons()):
                return time.monotonic()
            if not alive():
                raise TrayError("the app ended before its icon showed")
            if time.monotonic() > deadline:
                raise TrayError(f"the tray did not change as expected within {timeout:g} s")
            drained = False
            while self._x.XPending(self._display):
                self._x.XNextEvent(self._display, self._event)
                drained = True
            if not drained:
                select.select([self._fd], [], [], 0.05)
