"""One app per data folder, and noticing changes another process makes to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from trayhabit.app.single_instance import InstanceServer, hand_over, server_name
from trayhabit.app.watcher import StoreWatcher
from trayhabit.core.atomic import write_atomic


@pytest.fixture
def server(tmp_path: Path, qapp) -> Iterator[InstanceServer]:
    running = InstanceServer(tmp_path)
    yield running
    running.close()


def test_a_second_launch_hands_over_to_the_running_instance(tmp_path: Path, server, qtbot):
    assert server.listening
    with qtbot.waitSignal(server.show_requested) as signal:
        assert hand_over(tmp_path, "habits")
    assert signal.args == ["habits"]


def test_an_unknown_window_name_shows_the_check_off_window(tmp_path: Path, server, qtbot):
    with qtbot.waitSignal(server.show_requested) as signal:
        assert hand_over(tmp_path, "nonsense")
    assert signal.args == ["check-off"]


def test_with_no_instance_running_there_is_nobody_to_hand_over_to(tmp_path: Path, qapp):
    assert not hand_over(tmp_path / "elsewhere")


def test_each_data_folder_has_its_own_instance(tmp_path: Path):
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a" / ".." / "a")


def test_a_file_replaced_in_the_store_by_another_process_is_noticed(tmp_path: Path, qtbot):
    (tmp_path / "events").mkdir()
    watcher = StoreWatcher(tmp_path)
    with qtbot.waitSignal(watcher.changed, timeout=5000):
        write_atomic(tmp_path / "events" / "2026-11.json", b"{}")
    with qtbot.waitSignal(watcher.changed, timeout=5000):
        write_atomic(tmp_path / "trayhabit.json", b"{}")
