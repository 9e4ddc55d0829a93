"""A separate process that holds a :class:`~trayhabit.core.locking.FileLock`, for ``test_locking``.

``lock_worker.py LOCK_FILE`` (with the repository on ``PYTHONPATH``) reads commands from stdin, one
per line, and answers each with one line, so the test knows exactly what the worker holds:

``acquire TIMEOUT``
    Acquire the lock, waiting up to TIMEOUT seconds (negative: for as long as it takes); answer
    ``acquired``, or ``timeout`` if another holder kept it.
``release``
    Release one acquisition; answer ``released``.
``quit``
    End (the system lets go of a lock still held).
"""

from __future__ import annotations

import sys
from pathlib import Path

from trayhabit.core.locking import FileLock, LockTimeoutError


def main(argv: list[str]) -> None:
    """Serve the commands read from stdin on the lock file *argv[0]*."""
    lock = FileLock(Path(argv[0]))
    print("ready", flush=True)
    for line in sys.stdin:
        command, *args = line.split()
        if command == "acquire":
            try:
                lock.acquire(float(args[0]))
            except LockTimeoutError:
                print("timeout", flush=True)
            else:
                print("acquired", flush=True)
        elif command == "release":
            lock.release()
            print("released", flush=True)
        elif command == "quit":
            return


if __name__ == "__main__":
    main(sys.argv[1:])
