"""Presence on macOS: idle time, the screen lock, and waking, through ctypes (no PyObjC).

- Idle: CoreGraphics' ``CGEventSourceSecondsSinceLastEventType`` for any input event, as the HID
  system sees it.
- Lock: the session dictionary's ``CGSSessionScreenIsLocked`` (``CGSessionCopyCurrentDictionary``),
  asked when read; and, for the unlock to be heard at once, the distributed notifications
  ``com.apple.screenIsLocked`` and ``com.apple.screenIsUnlocked``.
- Waking: ``NSWorkspaceDidWakeNotification`` from NSWorkspace's notification center.
- Do Not Disturb (Focus) and full-screen windows: macOS offers no public API for either.

The notifications need an Objective-C observer; it is made with the Objective-C runtime's C API (a
class of one method per notification, added at run time), and they arrive on the main run loop,
which Qt's Cocoa event loop runs. The calls sit behind :class:`MacApi`; the tests give a fake.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable
from typing import Any, Protocol

from trayhabit.app.presence.source import IdleTracker, PresenceSource, SourceUnavailableError
from trayhabit.core.presence import Absence, PresenceReading

log = logging.getLogger(__name__)

HID_SYSTEM_STATE = 1  # kCGEventSourceStateHIDSystemState
ANY_INPUT_EVENT = 0xFFFFFFFF  # kCGAnyInputEventType
UTF8 = 0x08000100  # kCFStringEncodingUTF8
SCREEN_LOCKED = "com.apple.screenIsLocked"
SCREEN_UNLOCKED = "com.apple.screenIsUnlocked"
DID_WAKE = "NSWorkspaceDidWakeNotification"


class Api(Protocol):
    """The macOS calls the source makes (a fake in the tests)."""

    def idle_seconds(self) -> float:
        """Seconds since the last keyboard, mouse or trackpad input."""
        ...

    def screen_locked(self) -> bool | None:
        """Whether the screen is locked now; None when the session cannot be asked."""
        ...

    def observe(self, handlers: dict[str, Callable[[], None]]) -> set[str]:
        """Call each handler when its notification comes; the names it could observe."""
        ...


def _framework(name: str) -> ctypes.CDLL:
    # By path (in the dyld cache since macOS 11): ctypes.util.find_library would import subprocess.
    try:
        return ctypes.CDLL(f"/System/Library/Frameworks/{name}.framework/{name}")
    except OSError as error:
        raise SourceUnavailableError(f"macOS: cannot load {name} ({error})") from None


# The observer's methods: void method(id self, SEL _cmd, id notification).
IMP = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)


class MacApi:
    """The CoreGraphics, CoreFoundation and Objective-C runtime calls, through ctypes."""

    def __init__(self, platform: str = sys.platform) -> None:
        if platform != "darwin":
            raise SourceUnavailableError("macOS: not on macOS")
        self._cg = _framework("CoreGraphics")
        self._cf = _framework("CoreFoundation")
        self._cg.CGEventSourceSecondsSinceLastEventType.argtypes = [ctypes.c_int32, ctypes.c_uint32]
        self._cg.CGEventSourceSecondsSinceLastEventType.restype = ctypes.c_double
        self._cg.CGSessionCopyCurrentDictionary.restype = ctypes.c_void_p
        self._cf.CFStringCreateWithCString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint32]
        self._cf.CFStringCreateWithCString.restype = ctypes.c_void_p
        self._cf.CFDictionaryGetValue.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self._cf.CFDictionaryGetValue.restype = ctypes.c_void_p
        self._cf.CFBooleanGetValue.argtypes = [ctypes.c_void_p]
        self._cf.CFBooleanGetValue.restype = ctypes.c_bool
        self._cf.CFRelease.argtypes = [ctypes.c_void_p]
        self._locked_key = self._string("CGSSessionScreenIsLocked")
        # Kept alive for the process's life: the runtime calls them.
        self._methods: list[Any] = []
        self._observers: list[int] = []

    def idle_seconds(self) -> float:
        return float(self._cg.CGEventSourceSecondsSinceLastEventType(HID_SYSTEM_STATE, ANY_INPUT_EVENT))

    def screen_locked(self) -> bool | None:
        session = self._cg.CGSessionCopyCurrentDictionary()
        if not session:
            return None
        try:
            value = self._cf.CFDictionaryGetValue(session, self._locked_key)
            return bool(value) and bool(self._cf.CFBooleanGetValue(value))
        finally:
            self._cf.CFRelease(session)

    def observe(self, handlers: dict[str, Callable[[], None]]) -> set[str]:
        try:
            objc = ctypes.CDLL("/usr/lib/libobjc.A.dylib")
        except OSError as error:
            log.info("presence: no Objective-C runtime (%s); lock and wake are not heard", error)
            return set()
        runtime = _Runtime(objc)
        observed: set[str] = set()
        workspace = runtime.send(runtime.cls("NSWorkspace"), "sharedWorkspace")
        centers = {
            DID_WAKE: runtime.send(workspace, "notificationCenter") if workspace else None,
            SCREEN_LOCKED: runtime.send(runtime.cls("NSDistributedNotificationCenter"), "defaultCenter"),
            SCREEN_UNLOCKED: runtime.send(runtime.cls("NSDistributedNotificationCenter"), "defaultCenter"),
        }
        for name, handler in handlers.items():
            center = centers.get(name)
            if not center:
                continue
            method = IMP(lambda observer, selector, notification, handler=handler: handler())
            observer = runtime.observer(f"TrayHabitPresence{len(self._methods)}", method)
            if observer:
                runtime.send(
                    center,
                    "addObserver:selector:name:object:",
                    observer,
                    runtime.selector("notify:"),
                    self._string(name),
                    None,
                )
                self._methods.append(method)
                self._observers.append(observer)
                observed.add(name)
        return observed

    def _string(self, text: str) -> int:
        return int(self._cf.CFStringCreateWithCString(None, text.encode(), UTF8))


class _Runtime:
    """The few Objective-C runtime calls the observers need."""

    def __init__(self, objc: ctypes.CDLL) -> None:
        self._objc = objc
        objc.objc_getClass.argtypes = [ctypes.c_char_p]
        objc.objc_getClass.restype = ctypes.c_void_p
        objc.sel_registerName.argtypes = [ctypes.c_char_p]
        objc.sel_registerName.restype = ctypes.c_void_p
        objc.objc_allocateClassPair.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
        objc.objc_allocateClassPair.restype = ctypes.c_void_p
        objc.class_addMethod.argtypes = [ctypes.c_void_p, ctypes.c_void_p, IMP, ctypes.c_char_p]
        objc.class_addMethod.restype = ctypes.c_bool
        objc.objc_registerClassPair.argtypes = [ctypes.c_void_p]

    def cls(self, name: str) -> int | None:
        found: int | None = self._objc.objc_getClass(name.encode())
        return found

    def selector(self, name: str) -> int:
        return int(self._objc.sel_registerName(name.encode()))

    def send(self, receiver: int | None, selector: str, *arguments: int | None) -> int | None:
        """``[receiver selector...]`` with object arguments; objc_msgSend is cast to the exact
        signature, as arm64 requires."""
        if not receiver:
            return None
        signature = ctypes.CFUNCTYPE(
            ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, *[ctypes.c_void_p] * len(arguments)
        )
        send = signature(("objc_msgSend", self._objc))
        result: int | None = send(receiver, self.selector(selector), *arguments)
        return result

    def observer(self, class_name: str, method: Any) -> int | None:
        """A new object of a new NSObject subclass whose ``notify:`` calls *method*."""
        cls = self._objc.objc_allocateClassPair(self.cls("NSObject"), class_name.encode(), 0)
        if not cls:
            return None
        self._objc.class_addMethod(cls, self.selector("notify:"), method, b"v@:@")
        self._objc.objc_registerClassPair(cls)
        return self.send(self.send(cls, "alloc"), "init")


class MacSource(PresenceSource):
    """What macOS can tell: the idle time, the screen lock, and waking."""

    name = "macOS"
    polls = True

    def __init__(self, api: Api | None = None) -> None:
        super().__init__()
        self._api: Api = api if api is not None else MacApi()
        self._locked: bool | None = None  # as the notifications last said
        self._idle = IdleTracker()
        self._locked_before: bool | None = None
        observed = self._api.observe(
            {
                DID_WAKE: self._on_workspace_did_wake,
                SCREEN_LOCKED: lambda: self._on_screen_lock(True),
                SCREEN_UNLOCKED: lambda: self._on_screen_lock(False),
            }
        )
        for name in sorted({DID_WAKE, SCREEN_LOCKED, SCREEN_UNLOCKED} - observed):
            log.info("presence: macOS: %s is not heard", name)

    def capabilities(self) -> frozenset[Absence]:
        return frozenset({Absence.AWAY, Absence.LOCKED})

    def read(self) -> PresenceReading:
        locked = self._api.screen_locked()
        return PresenceReading(
            idle_seconds=self._api.idle_seconds(), locked=self._locked if locked is None else locked
        )

    def watch(self, on: bool) -> None:
        self._idle.reset()
        if on:
            now = self.read()
            self._idle.input_came(now.idle_seconds)
            self._locked_before = now.locked

    def poll(self) -> None:
        now = self.read()
        unlocked = self._locked_before is True and now.locked is False
        self._locked_before = now.locked
        if self._idle.input_came(now.idle_seconds) or unlocked:
            self.changed.emit()

    def _on_workspace_did_wake(self) -> None:
        self.woke.emit()

    def _on_screen_lock(self, locked: bool) -> None:
        self._locked = locked
        if not locked:
            self.changed.emit()
