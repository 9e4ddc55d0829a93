"""The presence monitor, and the Windows and macOS sources against fakes of their platforms' APIs."""

from __future__ import annotations

import ctypes
import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import QByteArray
from shiboken6 import VoidPtr

from trayhabit.app.presence import macos, windows
from trayhabit.app.presence.monitor import PresenceMonitor, make_monitor
from trayhabit.app.presence.source import PresenceSource, merge
from trayhabit.core.presence import Absence, PresenceReading

HWND = 0x1234


class FakeInput:
    """Input as the platform counts it: the idle time grows from the last input, as a real one does."""

    def __init__(self, idle: float = 0.0) -> None:
        self.last_input = time.monotonic() - idle

    def idle_seconds(self) -> float:
        return time.monotonic() - self.last_input

    def touch(self) -> None:
        self.last_input = time.monotonic()


class FakeWin32(FakeInput):
    """Win32 as the Windows source calls it."""

    def __init__(self, idle: float = 0.0) -> None:
        super().__init__(idle)
        self.state: int | None = windows.QUNS_ACCEPTS_NOTIFICATIONS
        self.registered: list[int] = []

    def notification_state(self) -> int | None:
        return self.state

    def register(self, hwnd: int) -> None:
        self.registered.append(hwnd)

    def unregister(self, hwnd: int) -> None:
        self.registered.remove(hwnd)


class FakeMac(FakeInput):
    """CoreGraphics and the notification centers as the macOS source calls them."""

    def __init__(self, idle: float = 0.0, observable: set[str] | None = None) -> None:
        super().__init__(idle)
        self.locked: bool | None = False
        self.observable = (
            observable
            if observable is not None
            else {
                macos.DID_WAKE,
                macos.SCREEN_LOCKED,
                macos.SCREEN_UNLOCKED,
            }
        )
        self.handlers: dict[str, Callable[[], None]] = {}

    def screen_locked(self) -> bool | None:
        return self.locked

    def observe(self, handlers: dict[str, Callable[[], None]]) -> set[str]:
        self.handlers = {name: handler for name, handler in handlers.items() if name in self.observable}
        return set(self.handlers)

    def post(self, name: str) -> None:
        self.handlers[name]()


def message(source: windows.WindowsSource, kind: int, wparam: int, hwnd: int = HWND) -> None:
    """Windows sends the hidden window a message, which Qt hands to the source's native event filter."""
    msg = windows.MSG(hwnd=hwnd, message=kind, wParam=wparam)
    handled = source.message_filter.nativeEventFilter(
        QByteArray(b"windows_generic_MSG"), VoidPtr(ctypes.addressof(msg))
    )
    assert handled == (False, 0)  # the app's other filters and Qt still see it


class CountingSource(PresenceSource):
    polls = True

    def __init__(self, reading: PresenceReading) -> None:
        super().__init__()
        self.reading = reading
        self.polled = 0

    def read(self) -> PresenceReading:
        return self.reading

    def poll(self) -> None:
        self.polled += 1
        self.changed.emit()


# -- the monitor ----------------------------------------------------------------------------------


def test_readings_merge_the_first_idle_time_and_any_source_that_says_yes():
    merged = merge(
        [
            PresenceReading(locked=False),
            PresenceReading(idle_seconds=30, fullscreen=False),
            PresenceReading(idle_seconds=99, locked=True),
        ]
    )
    assert merged == PresenceReading(idle_seconds=30, locked=True, do_not_disturb=None, fullscreen=False)
    assert merge([]) == PresenceReading()


def test_nothing_is_polled_nor_said_while_the_monitor_does_not_watch(qtbot):
    source = CountingSource(PresenceReading(idle_seconds=600))
    monitor = PresenceMonitor([source])
    with qtbot.assertNotEmitted(monitor.changed, wait=1500):
        source.changed.emit()  # a platform signal while nothing is held: nobody is told
    assert source.polled == 0

    monitor.watch(True)
    with qtbot.waitSignal(monitor.changed, timeout=3000):
        pass
    assert source.polled >= 1

    monitor.watch(False)
    polled = source.polled
    with qtbot.assertNotEmitted(monitor.changed, wait=1500):
        pass
    assert source.polled == polled


def test_the_other_platforms_sources_are_not_offered_here(qapp):
    for platform in ("win32", "darwin"):
        monitor = make_monitor(platform=platform)
        assert monitor.sources() == []
        assert monitor.reading() == PresenceReading()
        monitor.close()


# -- Windows ---------------------------------------------------------------------------------------


@pytest.fixture
def win32(qapp) -> FakeWin32:
    return FakeWin32(idle=400)


@pytest.fixture
def on_windows(win32: FakeWin32) -> PresenceMonitor:
    monitor = PresenceMonitor([windows.WindowsSource(win32, hwnd=HWND)])
    yield monitor
    monitor.close()


def test_windows_tells_everything_and_hears_of_the_session_on_its_window(
    on_windows: PresenceMonitor, win32: FakeWin32
):
    assert on_windows.capabilities() == frozenset(Absence)
    assert win32.registered == [HWND]
    reading = on_windows.reading()
    assert reading.idle_seconds == pytest.approx(400, abs=1)
    assert (reading.locked, reading.do_not_disturb, reading.fullscreen) == (False, False, False)
    on_windows.close()
    assert win32.registered == []


@pytest.mark.parametrize(
    ("state", "told"),
    [
        (windows.QUNS_PRESENTATION_MODE, (False, True, False)),
        (windows.QUNS_QUIET_TIME, (False, True, False)),
        (windows.QUNS_BUSY, (False, False, True)),
        (windows.QUNS_RUNNING_D3D_FULL_SCREEN, (False, False, True)),
        (windows.QUNS_APP, (False, False, True)),
        (windows.QUNS_NOT_PRESENT, (True, False, False)),
        (None, (False, None, None)),
    ],
)
def test_windows_notification_state_says_do_not_disturb_full_screen_or_not_present(
    on_windows: PresenceMonitor, win32: FakeWin32, state: int | None, told: tuple
):
    win32.state = state
    reading = on_windows.reading()
    assert (reading.locked, reading.do_not_disturb, reading.fullscreen) == told


def test_windows_lock_and_unlock_messages(on_windows: PresenceMonitor, win32: FakeWin32, qtbot):
    source = on_windows.sources()[0]
    message(source, windows.WM_WTSSESSION_CHANGE, windows.WTS_SESSION_LOCK)
    assert on_windows.reading().locked is True
    message(source, windows.WM_WTSSESSION_CHANGE, windows.WTS_SESSION_UNLOCK, hwnd=0x999)  # not ours
    assert on_windows.reading().locked is True

    on_windows.watch(True)
    with qtbot.waitSignal(on_windows.changed, timeout=100):
        message(source, windows.WM_WTSSESSION_CHANGE, windows.WTS_SESSION_UNLOCK)
    assert on_windows.reading().locked is False


def test_windows_resume_says_woke(on_windows: PresenceMonitor, qtbot):
    source = on_windows.sources()[0]
    with qtbot.assertNotEmitted(on_windows.woke):
        message(source, windows.WM_POWERBROADCAST, 0x4)  # PBT_APMSUSPEND: going to sleep
    with qtbot.waitSignal(on_windows.woke, timeout=100):
        message(source, windows.WM_POWERBROADCAST, windows.PBT_APMRESUMEAUTOMATIC)


def test_windows_input_while_watching_says_changed(on_windows: PresenceMonitor, win32: FakeWin32, qtbot):
    on_windows.watch(True)
    with qtbot.assertNotEmitted(on_windows.changed, wait=1500):
        pass  # the idle time grows: nobody came back
    with qtbot.waitSignal(on_windows.changed, timeout=3000):
        win32.touch()
    assert on_windows.reading().idle_seconds < 5


def test_windows_presentation_ending_while_watching_says_changed(
    on_windows: PresenceMonitor, win32: FakeWin32, qtbot
):
    win32.state = windows.QUNS_PRESENTATION_MODE
    on_windows.watch(True)
    with qtbot.waitSignal(on_windows.changed, timeout=3000):
        win32.state = windows.QUNS_ACCEPTS_NOTIFICATIONS
    assert on_windows.reading().do_not_disturb is False


# -- macOS -----------------------------------------------------------------------------------------


@pytest.fixture
def mac(qapp) -> FakeMac:
    return FakeMac(idle=400)


@pytest.fixture
def on_mac(mac: FakeMac) -> PresenceMonitor:
    monitor = PresenceMonitor([macos.MacSource(mac)])
    yield monitor
    monitor.close()


def test_macos_tells_idle_and_lock_but_not_focus_nor_full_screen(on_mac: PresenceMonitor, mac: FakeMac):
    assert on_mac.capabilities() == {Absence.AWAY, Absence.LOCKED}
    reading = on_mac.reading()
    assert reading.idle_seconds == pytest.approx(400, abs=1)
    assert (reading.locked, reading.do_not_disturb, reading.fullscreen) == (False, None, None)
    mac.locked = True
    assert on_mac.reading().locked is True


def test_macos_unlock_notification_while_watching_says_changed(on_mac: PresenceMonitor, mac: FakeMac, qtbot):
    mac.locked = True
    mac.post(macos.SCREEN_LOCKED)
    on_mac.watch(True)
    with qtbot.waitSignal(on_mac.changed, timeout=100):
        mac.locked = False
        mac.post(macos.SCREEN_UNLOCKED)
    assert on_mac.reading().locked is False


def test_macos_without_a_session_dictionary_the_notifications_tell_the_lock(
    on_mac: PresenceMonitor, mac: FakeMac
):
    mac.locked = None
    assert on_mac.reading().locked is None
    mac.post(macos.SCREEN_LOCKED)
    assert on_mac.reading().locked is True
    mac.post(macos.SCREEN_UNLOCKED)
    assert on_mac.reading().locked is False


def test_macos_wake_notification_says_woke(on_mac: PresenceMonitor, mac: FakeMac, qtbot):
    with qtbot.waitSignal(on_mac.woke, timeout=100):
        mac.post(macos.DID_WAKE)


def test_macos_input_or_unlock_while_watching_says_changed(on_mac: PresenceMonitor, mac: FakeMac, qtbot):
    on_mac.watch(True)
    with qtbot.waitSignal(on_mac.changed, timeout=3000):
        mac.touch()
    mac.locked = True
    on_mac.watch(False)
    on_mac.watch(True)
    with qtbot.waitSignal(on_mac.changed, timeout=3000):
        mac.locked = False  # polled: as if the unlock notification never came


def test_macos_without_the_objective_c_runtime_still_tells_idle_and_lock(qtbot, qapp):
    mac = FakeMac(idle=10, observable=set())
    source = macos.MacSource(mac)
    assert source.read().idle_seconds == pytest.approx(10, abs=1)
    assert source.capabilities() == {Absence.AWAY, Absence.LOCKED}
    source.close()
