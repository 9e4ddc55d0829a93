"""The Linux presence sources for real: an X server's idle time and full-screen window, and fake
desktop services (screen saver, notification server, logind) on private buses."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.desktop import Desktop, start_display, start_session_bus
from tests.helpers.notification_server import NotificationServer
from tests.helpers.presence_services import PresenceServices
from trayhabit.app.presence.freedesktop import session_sources
from trayhabit.app.presence.logind import logind_sources
from trayhabit.app.presence.monitor import PresenceMonitor, make_monitor
from trayhabit.app.presence.x11 import X11Source
from trayhabit.core.presence import Absence


@pytest.fixture(scope="module")
def display(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    """An X server of its own (its idle time is this module's alone)."""
    if not all(shutil.which(tool) for tool in ("Xvfb", "xdotool", "xprop", "xwininfo")):
        pytest.fail("the presence tests need Xvfb, xdotool and x11-utils (see scripts/check-system)")
    running = start_display(tmp_path_factory.mktemp("x"))
    yield running
    running.stop()


@pytest.fixture
def x11(display: Desktop, qapp) -> Iterator[PresenceMonitor]:
    monitor = PresenceMonitor([X11Source(display.env["DISPLAY"])])
    yield monitor
    monitor.close()


@pytest.fixture
def session_services(session_bus: Desktop, monkeypatch: pytest.MonkeyPatch) -> Desktop:
    """The private session bus as this test's session bus, and no system bus."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session_bus.env["DBUS_SESSION_BUS_ADDRESS"])
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/system_bus_socket")
    return session_bus


@pytest.fixture
def screensaver(session_services: Desktop) -> Iterator[PresenceServices]:
    services = PresenceServices("screensaver", session_services.env)
    yield services
    services.stop()


@pytest.fixture
def system_bus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, session_services: Desktop
) -> Iterator[Desktop]:
    """A second private bus, standing in for the system bus."""
    (tmp_path / "system").mkdir()
    bus = start_session_bus(tmp_path / "system")
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", bus.env["DBUS_SESSION_BUS_ADDRESS"])
    yield bus
    bus.stop()


@pytest.fixture
def logind(system_bus: Desktop) -> Iterator[PresenceServices]:
    services = PresenceServices("login1", system_bus.env)
    yield services
    services.stop()


def linux_monitor() -> PresenceMonitor:
    """Every D-Bus source, the desktop's idle time included, from the start."""
    return PresenceMonitor([*session_sources(idle=True), *logind_sources()])


# -- the X server ---------------------------------------------------------------------------------


def test_the_x_servers_idle_time_grows_without_input_and_a_mouse_move_resets_it(
    x11: PresenceMonitor, display: Desktop, qtbot
):
    assert Absence.AWAY in x11.capabilities()
    display.run("xdotool", "mousemove", "10", "10")
    first = x11.reading().idle_seconds
    assert first is not None
    qtbot.waitUntil(lambda: x11.reading().idle_seconds > first + 1.0, timeout=5000)

    display.run("xdotool", "mousemove", "200", "150")
    assert x11.reading().idle_seconds < first + 1.0


def test_input_while_watching_says_changed(x11: PresenceMonitor, display: Desktop, qtbot):
    qtbot.waitUntil(lambda: x11.reading().idle_seconds > 0.5)  # away a little, since the test before
    x11.watch(True)
    with qtbot.waitSignal(x11.changed, timeout=5000):
        display.run("xdotool", "mousemove", "300", "300")


def test_nothing_is_polled_or_said_while_not_watching(x11: PresenceMonitor, display: Desktop, qtbot):
    x11.watch(True)
    x11.watch(False)
    with qtbot.assertNotEmitted(x11.changed, wait=1500):
        display.run("xdotool", "mousemove", "40", "40")


def test_a_full_screen_active_window_is_told_and_its_going_says_changed(
    x11: PresenceMonitor, display: Desktop, qtbot
):
    assert Absence.FULLSCREEN in x11.capabilities()
    assert x11.reading().fullscreen is None  # no window manager names an active window yet

    # Play the window manager: the root window stands in for the active window.
    root = display.run("xwininfo", "-root").stdout.split("Window id:")[1].split()[0]
    display.run("xprop", "-root", "-f", "_NET_ACTIVE_WINDOW", "32x", "-set", "_NET_ACTIVE_WINDOW", root)
    display.run(
        "xprop", "-root", "-f", "_NET_WM_STATE", "32a", "-set", "_NET_WM_STATE", "_NET_WM_STATE_ABOVE"
    )
    assert x11.reading().fullscreen is False
    display.run(
        "xprop", "-root", "-f", "_NET_WM_STATE", "32a", "-set", "_NET_WM_STATE", "_NET_WM_STATE_FULLSCREEN"
    )
    assert x11.reading().fullscreen is True

    x11.watch(True)
    with qtbot.waitSignal(x11.changed, timeout=5000):
        display.run("xprop", "-root", "-remove", "_NET_WM_STATE")
    assert x11.reading().fullscreen is False
    display.run("xprop", "-root", "-remove", "_NET_ACTIVE_WINDOW")


# -- the session bus ------------------------------------------------------------------------------


def test_the_screen_savers_lock_and_its_unlocking(screensaver: PresenceServices, qtbot):
    monitor = linux_monitor()
    qtbot.waitUntil(lambda: {Absence.LOCKED, Absence.AWAY} <= monitor.capabilities())
    assert monitor.reading().locked is False

    screensaver.do("active true")
    qtbot.waitUntil(lambda: monitor.reading().locked is True)

    monitor.watch(True)
    with qtbot.waitSignal(monitor.changed):
        screensaver.do("active false")
    assert monitor.reading().locked is False
    monitor.close()


def test_the_desktops_idle_time_over_d_bus_and_input_while_watching(screensaver: PresenceServices, qtbot):
    monitor = linux_monitor()
    screensaver.do("idle 90000")
    assert monitor.reading().idle_seconds == pytest.approx(90, abs=2)

    monitor.watch(True)
    screensaver.do("idle 200")
    with qtbot.waitSignal(monitor.changed, timeout=5000):
        pass
    assert monitor.reading().idle_seconds < 5
    monitor.close()


def test_do_not_disturb_from_the_notification_servers_inhibited_property(
    notification_server: NotificationServer, session_services: Desktop, qtbot
):
    monitor = linux_monitor()
    qtbot.waitUntil(lambda: Absence.DO_NOT_DISTURB in monitor.capabilities())
    assert monitor.reading().do_not_disturb is False

    notification_server.inhibit(True)
    qtbot.waitUntil(lambda: monitor.reading().do_not_disturb is True)

    monitor.watch(True)
    with qtbot.waitSignal(monitor.changed):
        notification_server.inhibit(False)
    assert monitor.reading().do_not_disturb is False
    monitor.close()


def test_a_notification_server_that_comes_later_is_heard_and_one_that_goes_holds_nothing(
    session_services: Desktop, qtbot
):
    monitor = linux_monitor()  # before any notification server: none is started on its account
    server = NotificationServer(session_services.env)
    try:
        qtbot.waitUntil(lambda: Absence.DO_NOT_DISTURB in monitor.capabilities())
        server.inhibit(True)
        qtbot.waitUntil(lambda: monitor.reading().do_not_disturb is True)
        monitor.watch(True)
        with qtbot.waitSignal(monitor.changed):
            server.stop()
        assert monitor.reading().do_not_disturb is None
    finally:
        server.stop()
        monitor.close()


def test_do_not_disturb_from_gnomes_show_banners_through_the_settings_portal(
    session_services: Desktop, qtbot
):
    portal = PresenceServices("portal", session_services.env)
    try:
        monitor = linux_monitor()
        qtbot.waitUntil(lambda: Absence.DO_NOT_DISTURB in monitor.capabilities())
        assert monitor.reading().do_not_disturb is False

        portal.do("banners false")
        qtbot.waitUntil(lambda: monitor.reading().do_not_disturb is True)

        monitor.watch(True)
        with qtbot.waitSignal(monitor.changed):
            portal.do("banners true")
        assert monitor.reading().do_not_disturb is False
        monitor.close()
    finally:
        portal.stop()


def test_a_desktop_without_these_services_can_tell_nothing(session_services: Desktop, qtbot):
    monitor = linux_monitor()
    qtbot.waitUntil(lambda: monitor.capabilities() == frozenset())
    reading = monitor.reading()
    assert (reading.idle_seconds, reading.locked, reading.do_not_disturb) == (None, None, None)
    monitor.close()


def test_no_bus_at_all_makes_a_monitor_without_sources(monkeypatch: pytest.MonkeyPatch, qapp):
    for name in ("DBUS_SESSION_BUS_ADDRESS", "DBUS_SYSTEM_BUS_ADDRESS"):
        monkeypatch.setenv(name, "unix:path=/nonexistent/bus")
    monkeypatch.delenv("DISPLAY", raising=False)
    monitor = make_monitor(platform="linux")
    assert monitor.sources() == []
    assert monitor.capabilities() == frozenset()
    monitor.close()


# -- the system bus -------------------------------------------------------------------------------


def test_waking_from_sleep_is_told_at_once(logind: PresenceServices, qtbot):
    monitor = linux_monitor()
    with qtbot.assertNotEmitted(monitor.woke, wait=200):
        logind.do("sleep true")
    with qtbot.waitSignal(monitor.woke):
        logind.do("sleep false")
    monitor.close()


def test_the_sessions_locked_hint(logind: PresenceServices, qtbot):
    monitor = linux_monitor()
    qtbot.waitUntil(lambda: Absence.LOCKED in monitor.capabilities())
    assert monitor.reading().locked is False

    logind.do("locked true")
    qtbot.waitUntil(lambda: monitor.reading().locked is True)

    monitor.watch(True)
    with qtbot.waitSignal(monitor.changed):
        logind.do("locked false")
    assert monitor.reading().locked is False
    monitor.close()


# -- the factory ----------------------------------------------------------------------------------


def test_on_x11_the_idle_time_comes_from_the_x_server_and_on_wayland_from_the_desktop(
    display: Desktop, screensaver: PresenceServices, monkeypatch: pytest.MonkeyPatch, qtbot
):
    monkeypatch.setenv("DISPLAY", display.env["DISPLAY"])
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
    on_x11 = make_monitor(platform="linux")
    names = [source.name for source in on_x11.sources()]
    assert names[0] == "X11"
    assert "org.freedesktop.ScreenSaver.GetSessionIdleTime" not in names
    qtbot.waitUntil(lambda: {Absence.AWAY, Absence.FULLSCREEN, Absence.LOCKED} <= on_x11.capabilities())
    on_x11.close()

    # Under Wayland, XWayland's idle time would grow while the person types into Wayland windows.
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    screensaver.do("idle 61000")
    on_wayland = make_monitor(platform="linux")
    names = [source.name for source in on_wayland.sources()]
    assert "X11" not in names
    assert "org.freedesktop.ScreenSaver.GetSessionIdleTime" in names
    assert on_wayland.reading().idle_seconds == pytest.approx(61, abs=2)
    assert on_wayland.reading().fullscreen is None  # nothing tells it on Wayland
    on_wayland.close()
