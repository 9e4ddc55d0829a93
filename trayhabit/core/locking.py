"""A lock file that serialises the processes sharing a data folder (the app and the command line).

:class:`FileLock` takes an exclusive lock on a file with the operating system's own advisory locks:
``fcntl.flock`` on Linux and macOS, ``msvcrt.locking`` on Windows. The system lets go of the lock
when the process ends, however it ends, so a crash never leaves the folder locked.

This replaces the filelock package, which covers the same ground but costs more to import (and to
keep in memory) than the few lines the store needs: filelock 4.x measured about 30 ms and 2 MiB at
every start when it was replaced; on 2026-12-01 (``python -X importtime`` and VmRSS around the
import, Python 3.11, a busy two-core Linux machine, so rough) filelock 4.3.1 took 66 ms and
7.5 MiB, this module 2 ms and 0.4 MiB.
"""

from __future__ import annotations

import errno
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from trayhabit.core import clock

# How long to wait between two tries while another process holds the lock: short at first, so a
# brief write by the command line barely delays the app, then longer, so a long wait costs little.
_FIRST_PAUSE = 0.001
_LONGEST_PAUSE = 0.05


class LockTimeoutError(TimeoutError):
    """The lock was held by another process (or thread) for longer than the caller would wait."""

    def __init__(self, path: Path, timeout: float) -> None:
        super().__init__(f"could not lock {path} within {timeout:g} s: another process holds it")
        self.path = path
        self.timeout = timeout


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        # One byte at offset 0 stands for the whole file; Windows allows locking past the end.
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except PermissionError:
            return False  # EACCES: another handle holds it
        except OSError as error:
            if error.errno == errno.EDEADLOCK:  # what msvcrt reports for "locked elsewhere" too
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class FileLock:
    """An exclusive lock on *path*, shared with every process that locks the same file.

    Re-entrant per instance, like filelock's ``FileLock``: the thread that holds it may acquire it
    again, and it is let go at the matching last :meth:`release`. Other threads wait for it as other
    processes do. Two instances on one file exclude each other, in one process or in two.

    The lock file (and its folder) is created when missing and left in place afterwards: removing it would let a
    process that has just opened it lock a file no longer in the folder, while a third locks a new one.

    *timeout* is how long :meth:`acquire` waits by default, in seconds; a negative one waits forever,
    and 0 tries once. *monotonic* measures the wait (see :meth:`trayhabit.core.clock.Clock.monotonic`).
    """

    def __init__(
        self, path: Path, timeout: float = -1, *, monotonic: Callable[[], float] = clock.monotonic
    ) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._monotonic = monotonic
        # Held by the owning thread for as long as it holds the file lock: other threads wait here.
        self._owner = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @property
    def is_locked(self) -> bool:
        """Whether this instance holds the lock (in some thread of this process)."""
        return self._fd is not None

    def acquire(self, timeout: float | None = None) -> None:
        """Take the lock, waiting up to *timeout* seconds (the instance's timeout when None).

        Raises :class:`LockTimeoutError` if it stays held elsewhere, and OSError if the lock file
        cannot be created or opened (no permission, a file where its folder should be).
        """
        wait = self.timeout if timeout is None else timeout
        deadline = None if wait < 0 else self._monotonic() + wait
        if not self._owner.acquire(timeout=-1 if wait < 0 else wait):
            raise LockTimeoutError(self.path, wait)
        try:
            if self._depth == 0:
                self._fd = self._lock_file(wait, deadline)
            self._depth += 1
        except BaseException:
            self._owner.release()
            raise

    def release(self) -> None:
        """Let go of one :meth:`acquire`; the last one unlocks the file for other processes."""
        if self._depth == 0:
            raise RuntimeError(f"the lock on {self.path} was released more often than acquired")
        self._depth -= 1
        try:
            if self._depth == 0 and self._fd is not None:
                fd, self._fd = self._fd, None
                try:
                    _unlock(fd)
                finally:
                    os.close(fd)  # closing lets go of the lock too, should unlocking have failed
        finally:
            self._owner.release()

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()

    def _lock_file(self, wait: float, deadline: float | None) -> int:
        # The lock may be the first thing to touch a new data folder (filelock created it too, and the
        # store relies on it to report its own errors rather than a missing folder).
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)  # private like the data folder
        try:
            pause = _FIRST_PAUSE
            while not _try_lock(fd):
                if deadline is not None and self._monotonic() >= deadline:
                    raise LockTimeoutError(self.path, wait)
                # Neither flock nor msvcrt can wait with a time limit, so poll, backing off.
                left = _LONGEST_PAUSE if deadline is None else max(0.0, deadline - self._monotonic())
                time.sleep(min(pause, left))
                pause = min(pause * 2, _LONGEST_PAUSE)
        except BaseException:
            os.close(fd)
            raise
        return fd
