"""Fixtures for the widget tests: a real store in a temp folder behind a HabitsModel, a fake clock.

Widget tests run on Qt's offscreen platform (no display needed); the tray and the whole app are
tested under a real X server in ``tests/e2e``.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.clock import FakeClock
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
    store = Store(tmp_path / "data")
    store.open()
    return HabitsModel(HabitService(store, clock))
