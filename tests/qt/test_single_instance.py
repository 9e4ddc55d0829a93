"""One app per data folder, and noticing changes another process makes to it."""

from __future__ import annotations

import socket
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from trayhabit.app.launch import hand_over_to_running
from trayhabit.app.single_instance import InstanceServer, hand_over, server_name, socket_path
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


def test_a_launch_that_hands_over_says_so_on_the_terminal(tmp_path: Path, server, qtbot, capsys):
    with qtbot.waitSignal(server.show_requested) as signal:
        assert hand_over_to_running(tmp_path, "habits")
    assert signal.args == ["habits"]
    assert capsys.readouterr().out == "Opened the habits window in the running TrayHabit.\n"
    with qtbot.waitSignal(server.show_requested):
        assert hand_over_to_running(tmp_path, None)
    assert capsys.readouterr().out == "Opened the check-off window in the running TrayHabit.\n"


def test_a_launch_with_nobody_to_hand_over_to_says_nothing(tmp_path: Path, qapp, capsys):
    assert not hand_over_to_running(tmp_path / "elsewhere", "habits")
    assert capsys.readouterr().out == ""


def test_with_no_instance_running_there_is_nobody_to_hand_over_to(tmp_path: Path, qapp):
    assert not hand_over(tmp_path / "elsewhere")


def test_each_data_folder_has_its_own_instance(tmp_path: Path):
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a" / ".." / "a")


unix_only = pytest.mark.skipif(sys.platform == "win32", reason="Windows uses a named pipe (QLocalServer)")


@unix_only
def test_the_socket_is_in_the_users_runtime_folder_or_else_the_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert socket_path(tmp_path / "data") == tmp_path / server_name(tmp_path / "data")
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    assert socket_path(tmp_path / "data").parent == Path(tempfile.gettempdir())


@unix_only
def test_only_this_user_may_connect(tmp_path: Path, server):
    mode = socket_path(tmp_path).stat().st_mode
    assert stat.S_ISSOCK(mode)
    assert stat.S_IMODE(mode) & 0o077 == 0


@unix_only
def test_a_socket_left_by_a_crashed_instance_is_replaced(tmp_path: Path, qapp, qtbot):
    left = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    left.bind(str(socket_path(tmp_path)))
    left.close()  # the file stays, and nobody listens on it
    assert not hand_over(tmp_path)
    running = InstanceServer(tmp_path)
    try:
        assert running.listening
        with qtbot.waitSignal(running.show_requested) as signal:
            assert hand_over(tmp_path, "settings")
        assert signal.args == ["settings"]
    finally:
        running.close()


@unix_only
def test_closing_removes_the_socket(tmp_path: Path, qapp):
    running = InstanceServer(tmp_path)
    assert socket_path(tmp_path).exists()
    running.close()
    assert not socket_path(tmp_path).exists()
    assert not running.listening
    assert not hand_over(tmp_path)


@unix_only
def test_a_launch_that_goes_without_a_request_is_dropped(tmp_path: Path, server, qtbot):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as silent:
        silent.connect(str(socket_path(tmp_path)))
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as chatty:
        chatty.connect(str(socket_path(tmp_path)))
        chatty.sendall(b"x" * 1000)  # longer than any request
    with qtbot.waitSignal(server.show_requested) as signal:
        assert hand_over(tmp_path, "habits")
    assert signal.args == ["habits"]


def test_a_file_replaced_in_the_store_by_another_process_is_noticed(tmp_path: Path, qtbot):
    (tmp_path / "events").mkdir()
    watcher = StoreWatcher(tmp_path)
    with qtbot.waitSignal(watcher.changed, timeout=5000):
        write_atomic(tmp_path / "events" / "2026-11.json", b"{}")
    with qtbot.waitSignal(watcher.changed, timeout=5000):
        write_atomic(tmp_path / "trayhabit.json", b"{}")
