"""The system clock's time zone: an IANA zone when one is named, dateutil's rules otherwise."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from trayhabit.core.clock import system_zone


def test_an_iana_name_in_tz_gives_that_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", ":Europe/Stockholm")
    assert system_zone() == ZoneInfo("Europe/Stockholm")


def test_a_posix_rule_in_tz_is_understood_through_dateutil(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")
    zone = system_zone()
    assert not isinstance(zone, ZoneInfo)
    assert datetime(2026, 1, 15, 12, tzinfo=zone).utcoffset() == timedelta(hours=1)
    assert datetime(2026, 7, 15, 12, tzinfo=zone).utcoffset() == timedelta(hours=2)
