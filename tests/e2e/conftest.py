"""The end-to-end fixtures: a private desktop for the session, and the real app as a subprocess."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.desktop import Desktop, missing_tools, start_desktop, terminate
from tests.helpers.notification_server import NotificationServer

TIMEOUT = 30.0


def app_command(*, python: bool = False) -> list[str]:
    """How to run TrayHabit: this Python's ``-m trayhabit``, or the frozen bundle that
    ``TRAYHABIT_E2E_APP`` names (``make test-frozen`` runs these tests against the built bundle);
    with *python*, always this Python's (for a test that needs a module only the tests install)."""
    frozen = os.environ.get("TRAYHABIT_E2E_APP")
    return [frozen] if frozen and not python else [sys.executable, "-m", "trayhabit"]


@pytest.fixture(scope="session")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    missing = missing_tools()
    if missing:
        # Not a skip: the end-to-end tests are part of the suite (make test checks these first).
        pytest.fail(f"the end-to-end tests need {', '.join(missing)} (see scripts/check-system)")
    running = start_desktop(tmp_path_factory.mktemp("runtime"))
    yield running
    running.stop()


class AppProcess:
    """``trayhabit`` running under the private desktop, with its log read line by line."""

    def __init__(self, desktop: Desktop, data_dir: Path, tz: str, command: list[str]) -> None:
        self.desktop = desktop
        self.data_dir = data_dir
        self.command = command
        self.env = {
            **desktop.env,
            "TRAYHABIT_DATA_DIR": str(data_dir),
            "TZ": tz,
            "LANGUAGE": "en",
            "LANG": "C.UTF-8",
            # The notification icon is written to the cache folder: keep it in the test's.
            "XDG_CACHE_HOME": str(data_dir.parent / f"{data_dir.name}-cache"),
        }
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        self.process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a subcommand on the same store, as a user in a terminal would."""
        return subprocess.run(
            [*self.command, *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )

    def start(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [*self.command, *args],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        for line in self.process.stderr:
            self._queue.put(line.rstrip("\n"))

    def wait_for_log(self, pattern: str, timeout: float = TIMEOUT) -> str:
        """The first log line (since start) matching *pattern*; waits for it up to *timeout*."""
        regex = re.compile(pattern)
        for line in self.lines:
            if regex.search(line):
                return line
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            self.lines.append(line)
            if regex.search(line):
                return line
        raise AssertionError(
            f"no log line matching {pattern!r} within {timeout} s; log:\n" + "\n".join(self.lines)
        )

    def drain(self) -> list[str]:
        """Every log line so far."""
        while True:
            try:
                self.lines.append(self._queue.get_nowait())
            except queue.Empty:
                return self.lines

    def stop(self) -> None:
        if self.process is None:
            return
        terminate(self.process)
        if self._reader is not None:
            self._reader.join(timeout=10)  # the pipe ends with the process
        if self.process.stderr is not None:
            self.process.stderr.close()


@pytest.fixture
def make_app(desktop: Desktop, tmp_path: Path) -> Iterator[object]:
    started: list[AppProcess] = []

    def make(tz: str = "Europe/Stockholm", *, python: bool = False) -> AppProcess:
        app = AppProcess(desktop, tmp_path / f"data{len(started)}", tz, app_command(python=python))
        started.append(app)
        return app

    yield make
    for app in started:
        app.stop()


@pytest.fixture
def notification_server(desktop: Desktop) -> Iterator[NotificationServer]:
    """The project's own notification server on the desktop's bus, for this test's app."""
    server = NotificationServer(desktop.env)
    yield server
    server.stop()
