"""``trayhabit caldav connect | status | sync | disconnect`` as a user drives them, against a real
Radicale on 127.0.0.1 (in-process with a memory keyring, and once as a subprocess with keyrings.alt's
file backend through PYTHON_KEYRING_BACKEND)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.caldav_server import PASSWORD, USER, CalDAVServer, start_radicale
from tests.helpers.clock import FakeClock
from tests.helpers.memory_keyring import MemoryKeyring, memory_keyring_in_use
from trayhabit.cli import main

REPO = Path(__file__).resolve().parents[2]
STOCKHOLM = ZoneInfo("Europe/Stockholm")
MORNING = datetime(2026, 11, 25, 7, 0, tzinfo=STOCKHOLM)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CalDAVServer]:
    running = start_radicale(tmp_path_factory.mktemp("radicale-cli"))
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    yield from memory_keyring_in_use()


class Run:
    """``trayhabit --data-dir DIR ...`` in this process, with a fake clock."""

    def __init__(
        self, data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        self.data_dir, self.capsys, self.monkeypatch = data_dir, capsys, monkeypatch
        self.clock = FakeClock(MORNING)

    def __call__(self, *args: str, stdin: str = "") -> tuple[int, str, str]:
        self.monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["--data-dir", str(self.data_dir), *args], clock=self.clock)
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    return Run(tmp_path / "data", capsys, monkeypatch)


def test_connect_sync_status_and_disconnect(
    run: Run, server: CalDAVServer, memory_keyring: MemoryKeyring
) -> None:
    assert run("add", "Stretch", "--every", "day", "--at", "09:00")[0] == 0
    code, out, err = run(
        "caldav",
        "connect",
        server.url,
        "--user",
        USER,
        "--list",
        "CLI habits",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert (code, err) == (0, "")
    assert "the list “CLI habits” was made for your habits" in out
    assert list(memory_keyring.passwords.values()) == [PASSWORD]
    code, out, _err = run("caldav", "sync", "--json")
    assert code == 0
    assert json.loads(out) == {
        "sent": 1,
        "removed": 0,
        "checked_off": 0,
        "edited": 0,
        "archived": 0,
        "errors": [],
    }
    code, out, _err = run("caldav", "status", "--json")
    status = json.loads(out)
    assert (status["connected"], status["list"], status["last_error"], status["tasks"]) == (
        True,
        "CLI habits",
        None,
        1,
    )
    assert status["last_sync"].startswith("2026-11-25T06:00")
    code, out, _err = run("caldav", "status")
    assert "Last sync: 2026-11-25 07:00" in out
    code, out, _err = run("caldav", "disconnect")
    assert code == 0 and "forgotten" in out
    assert memory_keyring.passwords == {}
    assert "No CalDAV server is connected" in run("caldav", "status")[1]


def test_a_wrong_password_is_one_line_and_exit_status_1(run: Run, server: CalDAVServer) -> None:
    code, out, err = run("caldav", "connect", server.url, "--user", USER, "--password-stdin", stdin="nope\n")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "trayhabit: 127.0.0.1 did not accept the user name or password (an app password may be needed)."
    ]


def test_http_to_another_computer_is_refused_before_the_password_is_asked(run: Run) -> None:
    code, _out, err = run("caldav", "connect", "http://dav.example.com/", "--user", USER)
    assert code == 1
    assert (
        err
        == "trayhabit: TrayHabit will not send your password unencrypted to dav.example.com: use an https:// address.\n"
    )


def test_sync_without_an_account_says_so(run: Run) -> None:
    code, _out, err = run("caldav", "sync")
    assert (code, err) == (1, "trayhabit: No CalDAV server is connected on this computer.\n")


def test_a_sync_that_fails_keeps_the_error_for_status(run: Run, tmp_path: Path) -> None:
    own = start_radicale(tmp_path / "own")
    try:
        run("caldav", "connect", own.url, "--user", USER, "--password-stdin", stdin=PASSWORD)
    finally:
        own.stop()
    code, _out, err = run("caldav", "sync")
    assert code == 1 and "cannot be reached" in err and len(err.splitlines()) == 1
    status = json.loads(run("caldav", "status", "--json")[1])
    assert "cannot be reached" in status["last_error"] and status["last_sync"] is None


def test_the_command_as_a_subprocess_with_a_file_keyring(tmp_path: Path, server: CalDAVServer) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
        "TZ": "Europe/Stockholm",
        "LANG": "C.UTF-8",
        "LANGUAGE": "",
    }

    def trayhabit(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "trayhabit", "--data-dir", str(tmp_path / "data"), *args],
            input=stdin,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )

    assert trayhabit("add", "Stretch", "--every", "day", "--at", "09:00").returncode == 0
    connected = trayhabit(
        "caldav",
        "connect",
        server.url,
        "--user",
        USER,
        "--list",
        "Subprocess",
        "--password-stdin",
        stdin=PASSWORD,
    )
    assert connected.returncode == 0, connected.stderr
    # The password is in the keyring's file (base64 there), not in the data folder.
    assert [path.name for path in (tmp_path / "xdg").rglob("*.cfg")] == ["keyring_pass.cfg"]
    assert not any(
        PASSWORD.encode() in path.read_bytes() for path in (tmp_path / "data").rglob("*") if path.is_file()
    )
    synced = trayhabit("caldav", "sync", "--json")
    assert synced.returncode == 0, synced.stderr
    assert json.loads(synced.stdout)["sent"] == 1
