"""Private by default (POSIX): the data folder 0700, every file TrayHabit writes there 0600."""

from __future__ import annotations

import logging
import os
import stat
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.clock import FakeClock
from trayhabit.cli import main
from trayhabit.core.applog import command_line_logging, log_path
from trayhabit.core.atomic import write_atomic

pytestmark = pytest.mark.skipif(os.name != "posix", reason="modes are POSIX; Windows profiles are private")

WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """The most common umask (022), which would leave files readable by everyone."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def run(data: Path, *args: str) -> None:
    assert main(["--data-dir", str(data), *args], clock=FakeClock(WEDNESDAY)) == 0


def test_a_new_data_folder_and_its_files_are_the_owners_only(
    tmp_path: Path, open_umask, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    run(data, "add", "Stretch", "--every", "day", "--at", "11:00")
    run(data, "done", "Stretch")
    run(data, "show", "Stretch")
    run(data, "export", "-o", str(data / "export.json"))

    assert mode(data) == 0o700
    files = {str(path.relative_to(data)): mode(path) for path in data.rglob("*") if path.is_file()}
    assert {"trayhabit.json", "journal.json", "export.json"} <= files.keys(), files
    assert files == dict.fromkeys(files, 0o600)


def test_every_file_written_atomically_is_the_owners_only(tmp_path: Path, open_umask) -> None:
    target = tmp_path / "backups" / "trayhabit.json.2026-11-25"
    target.parent.mkdir()
    write_atomic(target, b"{}")
    assert mode(target) == 0o600


def test_an_open_folder_is_tightened_once_at_open_and_the_log_says_so(
    tmp_path: Path, open_umask, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    run(data, "add", "Stretch", "--every", "day", "--at", "11:00")
    run(data, "done", "Stretch")
    # As an older TrayHabit (or a copy from elsewhere) left it: readable by everyone.
    data.chmod(0o755)
    for path in data.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    capsys.readouterr()

    with caplog.at_level(logging.INFO, logger="trayhabit.core.private"):
        run(data, "list")
    _out, err = capsys.readouterr()

    assert mode(data) == 0o700
    assert mode(data / "backups") == 0o700
    files = {str(path.relative_to(data)): mode(path) for path in data.rglob("*") if path.is_file()}
    assert {"trayhabit.json", "journal.json", "logs/trayhabit.log"} <= files.keys(), files
    assert files == dict.fromkeys(files, 0o600)
    assert [r.getMessage() for r in caplog.records if "open to other users" in r.getMessage()] != []
    assert "open to other users" in log_path(data).read_text(encoding="utf-8")
    assert err == ""  # a line in the log, not on the terminal

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="trayhabit.core.private"):
        run(data, "list")
    assert not [r for r in caplog.records if "open to other users" in r.getMessage()]


def test_the_log_file_and_its_folder_are_private(tmp_path: Path, open_umask) -> None:
    data = tmp_path / "data"
    with command_line_logging(data):
        logging.getLogger("trayhabit.test").warning("a line for the log")

    assert mode(data / "logs") == 0o700
    assert mode(log_path(data)) == 0o600
    assert "a line for the log" in log_path(data).read_text(encoding="utf-8")


def test_the_log_rotates_into_private_files_and_keeps_three(
    tmp_path: Path, open_umask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("trayhabit.core.applog.MAX_BYTES", 2000)
    data = tmp_path / "data"
    with command_line_logging(data):
        for n in range(100):
            logging.getLogger("trayhabit.test").info("line %d of the log, long enough to fill it", n)

    logs = sorted(path.name for path in (data / "logs").iterdir())
    assert logs == ["trayhabit.log", "trayhabit.log.1", "trayhabit.log.2"]
    assert {mode(data / "logs" / name) for name in logs} == {0o600}
    assert all((data / "logs" / name).stat().st_size <= 2000 for name in logs)
    assert "line 99 of the log" in log_path(data).read_text(encoding="utf-8")
