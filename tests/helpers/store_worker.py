"""A separate process that writes to a store, for the kill and concurrency tests of ``test_store``.

Two ways to run it (with the repository on ``PYTHONPATH``):

``store_worker.py add DATA_DIR PREFIX COUNT``
    Open the store and add COUNT events with ids ``PREFIX-0`` ... one transaction each, then exit.

``store_worker.py zygote``
    Import everything once, then serve commands read from stdin, one per line, so that hundreds of kill
    trials do not each pay for starting Python:

    ``run MODE DATA_DIR FIRST INTERVAL_SECONDS``
        Fork a worker and print ``pid <pid>``. The worker opens the store, prints ``ready``, then loops
        from sequence number FIRST: MODE ``events`` adds event ``e<n>``, ``habits`` puts habit ``h<n>``,
        ``mixed`` does both in one transaction, ``open`` only opens (for a kill during a migration).
        After each transaction returns, i.e. once the write is acknowledged, it prints ``ack <id>`` for
        every id written. A worker that fails prints its traceback to stderr and ``failed``.
    ``reap PID``
        Wait for that worker to end (the test kills it) and print ``reaped <pid>``. Everything the
        worker printed is therefore before this line.
    ``quit``

Workers write with ``os.write`` on file descriptor 1: unbuffered, so an acknowledgement printed is an
acknowledgement the test sees, and one line per call, so lines of two processes never interleave.
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import UTC, datetime, timedelta
from pathlib import Path

from trayhabit.core.store import Store

# Events of consecutive sequence numbers are 3 hours apart, so the workers keep opening new months.
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def _say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def _event(number: int, prefix: str = "e") -> dict[str, object]:
    recorded = _EPOCH + timedelta(hours=3 * number, microseconds=number)
    return {
        "id": f"{prefix}{number}",
        "habit_id": f"h{number % 5}",
        "kind": "done",
        "at": recorded.isoformat(),
        "recorded_at": recorded.isoformat(),
        "occurrence": recorded.date().isoformat(),
        "target": None,
        "device": "worker",
    }


def _habit(number: int) -> dict[str, object]:
    # Varying lengths, so that a write is not always the same size as the one before it.
    return {
        "id": f"h{number}",
        "name": f"Habit {number}",
        "why": "x" * (number % 97),
        "state": "learning",
        "rrule": "FREQ=DAILY",
        "at": "07:00:00",
        "start": "2026-11-01",
    }


def _work(mode: str, data_dir: Path, first: int, interval: timedelta) -> None:
    store = Store(data_dir, backup_count=3, backup_interval=interval)
    store.open()
    _say("ready")
    if mode == "open":
        return
    number = first
    while number < first + 100_000:
        with store.writing() as tx:
            ids = []
            if mode in ("events", "mixed"):
                tx.add_event(_event(number))
                ids.append(f"e{number}")
            if mode in ("habits", "mixed"):
                tx.put_habit(_habit(number))
                ids.append(f"h{number}")
        for written in ids:
            _say(f"ack {written}")
        number += 1


def _zygote() -> None:
    for line in sys.stdin:
        command, *args = line.split()
        if command == "run":
            mode, data_dir, first, interval = args
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    _work(mode, Path(data_dir), int(first), timedelta(seconds=float(interval)))
                    code = 0
                finally:
                    if code:
                        traceback.print_exc()  # the exception on its way out; the test shows stderr
                        _say("failed")
                    # Never return into the zygote's loop; os._exit skips its inherited buffers too.
                    os._exit(code)
            _say(f"pid {pid}")
        elif command == "reap":
            pid = int(args[0])
            os.waitpid(pid, 0)
            _say(f"reaped {pid}")
        elif command == "quit":
            return


def _add(data_dir: Path, prefix: str, count: int) -> None:
    store = Store(data_dir)
    store.open()
    for number in range(count):
        with store.writing() as tx:
            tx.add_event(_event(number, prefix=f"{prefix}-"))


def main(argv: list[str]) -> None:
    """Run the command named by *argv* (see the module docstring)."""
    if argv[0] == "zygote":
        _zygote()
    elif argv[0] == "add":
        _add(Path(argv[1]), argv[2], int(argv[3]))
    else:
        raise SystemExit(f"unknown command {argv[0]!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
