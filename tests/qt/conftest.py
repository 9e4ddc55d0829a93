"""Fixtures for the widget tests: a real store in a temp folder behind a HabitsModel, a fake clock.

Widget tests run on Qt's offscreen platform (no display needed); the tray and the whole app are
tested under a real X server in ``tests/e2e``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.clock import FakeClock
from tests.helpers.desktop import Desktop, start_session_bus
from tests.helpers.notification_server import NotificationServer
from trayhabit.app.habits_model import HabitsModel
from trayhabit.core.service import HabitService
from trayhabit.core.store import Store

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# A Wednesday morning: early enough that a 09:00 daily reminder is still ahead.
WEDNESDAY = datetime(2026, 11, 25, 8, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(WEDNESDAY)


@pytest.fixture
def model(tmp_path: Path, clock: FakeClock, qapp) -> HabitsModel:
    store = Store(tmp_path / "data", clock=clock)
    store.open()
    return HabitsModel(HabitService(store, clock))


@pytest.fixture(scope="session")
def session_bus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    """A private D-Bus session bus (no display) for the tests of the notification backends."""
    if shutil.which("dbus-daemon") is None:
        # Not a skip: these tests are part of the suite (make test checks for dbus-daemon first).
        pytest.fail("the notification tests need dbus-daemon (see scripts/check-system)")
    bus = start_session_bus(tmp_path_factory.mktemp("bus"))
    yield bus
    bus.stop()


@pytest.fixture
def notification_server(
    session_bus: Desktop, monkeypatch: pytest.MonkeyPatch
) -> Iterator[NotificationServer]:
    """The project's own notification server, owning org.freedesktop.Notifications on the private bus,
    which this test's D-Bus clients use."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session_bus.env["DBUS_SESSION_BUS_ADDRESS"])
    server = NotificationServer(session_bus.env)
    yield server
    server.stop()
