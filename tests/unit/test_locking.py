"""The lock file that serialises processes on a data folder: exclusion, re-entrancy, timeouts."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from trayhabit.core.locking import FileLock, LockTimeoutError

REPO = Path(__file__).resolve().parents[2]
WORKER = REPO / "tests" / "helpers" / "lock_worker.py"


class Worker:
    """Another process holding (or not) the same lock, driven line by line (tests/helpers/lock_worker.py)."""

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), str(path)],
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.answer() == "ready"

    def ask(self, command: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.answer()

    def answer(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def quit(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
            self.process.wait(timeout=30)
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / ".lock"


@pytest.fixture
def worker(path: Path) -> Iterator[Worker]:
    started = Worker(path)
    yield started
    started.quit()


def test_another_process_is_kept_out_until_release(path: Path, worker: Worker) -> None:
    lock = FileLock(path)
    lock.acquire()
    assert worker.ask("acquire 0") == "timeout"
    lock.release()
    assert worker.ask("acquire 0") == "acquired"
    with pytest.raises(LockTimeoutError, match="another process holds it"):
        lock.acquire(timeout=0)
    assert worker.ask("release") == "released"
    lock.acquire(timeout=0)
    lock.release()


def test_a_waiting_acquire_gets_the_lock_when_the_other_process_lets_go(path: Path, worker: Worker) -> None:
    assert worker.ask("acquire 0") == "acquired"
    lock = FileLock(path)
    waiting, acquired = threading.Event(), threading.Event()

    def take() -> None:
        waiting.set()
        lock.acquire()  # no timeout: waits for as long as the worker holds it
        acquired.set()

    thread = threading.Thread(target=take)
    thread.start()
    assert waiting.wait(timeout=30)
    assert not acquired.is_set()  # the worker still holds it
    assert worker.ask("release") == "released"
    thread.join(timeout=60)
    assert acquired.is_set()
    assert lock.is_locked
    assert worker.ask("acquire 0") == "timeout"


def test_a_process_that_ends_lets_go_of_the_lock(path: Path, worker: Worker) -> None:
    assert worker.ask("acquire 0") == "acquired"
    worker.quit()  # without releasing
    lock = FileLock(path)
    lock.acquire(timeout=0)
    lock.release()


def test_the_lock_is_reentrant_per_instance(path: Path, worker: Worker) -> None:
    lock = FileLock(path, timeout=0)
    with lock:
        with lock:
            assert lock.is_locked
        assert lock.is_locked  # the inner release keeps the outer hold
        assert worker.ask("acquire 0") == "timeout"
    assert not lock.is_locked
    assert worker.ask("acquire 0") == "acquired"


def test_two_instances_in_one_process_exclude_each_other(path: Path) -> None:
    first, second = FileLock(path), FileLock(path)
    with first, pytest.raises(LockTimeoutError):
        second.acquire(timeout=0)
    with second:
        assert second.is_locked


def test_another_thread_waits_for_the_holding_thread(path: Path) -> None:
    lock = FileLock(path)
    outcome: list[str] = []

    def try_it() -> None:
        try:
            lock.acquire(timeout=0)
        except LockTimeoutError:
            outcome.append("timeout")
        else:
            outcome.append("acquired")
            lock.release()

    with lock:
        thread = threading.Thread(target=try_it)
        thread.start()
        thread.join(timeout=30)
    assert outcome == ["timeout"]


def test_the_instance_timeout_is_the_default(path: Path) -> None:
    holder, waiter = FileLock(path), FileLock(path, timeout=0.01)
    with holder, pytest.raises(LockTimeoutError) as raised:
        waiter.acquire()
    assert raised.value.path == path
    assert raised.value.timeout == 0.01
    assert not waiter.is_locked


def test_the_lock_file_is_created_and_left_in_place(path: Path) -> None:
    assert not path.exists()
    with FileLock(path):
        assert path.is_file()
    assert path.is_file()  # removing it could let two processes lock two different files
    with FileLock(path):  # and it is used again as it is
        pass


def test_releasing_more_often_than_acquiring_is_an_error(path: Path) -> None:
    lock = FileLock(path)
    with pytest.raises(RuntimeError, match="released more often than acquired"):
        lock.release()
    with lock:
        pass
    with pytest.raises(RuntimeError, match="released more often than acquired"):
        lock.release()


def test_the_folder_is_created_if_missing(tmp_path: Path) -> None:
    with FileLock(tmp_path / "new" / "folder" / ".lock"):
        assert (tmp_path / "new" / "folder" / ".lock").is_file()


def test_a_lock_that_cannot_be_created_raises_an_os_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    lock = FileLock(tmp_path / "file" / ".lock", timeout=0)  # a file where the folder should be
    with pytest.raises(OSError):
        lock.acquire()
    assert not lock.is_locked
    # The failed attempt left nothing held: the lock works once the path does.
    (tmp_path / "file").unlink()
    lock.acquire()
    lock.release()
