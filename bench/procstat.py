"""What a running app costs, read from /proc: memory, CPU time and context switches.

Everything is summed over the process and its descendants (TrayHabit may start helpers) and, for CPU
and context switches, over every thread: the app runs an asyncio loop in a thread for notifications.
CPU time comes from ``/proc/<pid>/task/<tid>/schedstat`` (nanoseconds on the CPU, exact) rather than
``utime + stime`` from ``/proc/<pid>/stat``, which moves in whole clock ticks (10 ms here); the latter is
kept as a cross-check, since it also counts threads that have ended. Per-thread counters vanish with
their thread (Qt's pooled threads end after 30 idle seconds), so :class:`IdleMeter` samples them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def tree(pid: int) -> list[int]:
    """*pid* and all its living descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in _tasks(current):
            try:
                children = (Path(f"/proc/{current}/task/{task}/children")).read_text().split()
            except OSError:
                continue
            todo.extend(int(child) for child in children)
    return found


def _tasks(pid: int) -> list[str]:
    try:
        return [path.name for path in Path(f"/proc/{pid}/task").iterdir()]
    except OSError:
        return []


@dataclass(frozen=True)
class Memory:
    """Resident and proportional set sizes in bytes, summed over a process tree."""

    rss: int
    pss: int


def memory(pid: int) -> Memory:
    """RSS and PSS of *pid* and its descendants, from smaps_rollup."""
    rss = pss = 0
    for member in tree(pid):
        for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
            key, _, value = line.partition(":")
            if key == "Rss":
                rss += int(value.split()[0]) * 1024
            elif key == "Pss":
                pss += int(value.split()[0]) * 1024
    return Memory(rss, pss)


@dataclass(frozen=True)
class Activity:
    """What an app did over a span: CPU time in ns (exact, and by clock ticks), voluntary context
    switches, and its threads at the end, started during the span and ended during it."""

    cpu_ns: int
    cpu_ticks_ns: int
    voluntary_switches: int
    threads: int
    threads_started: int
    threads_ended: int


def thread_counters(pid: int) -> dict[tuple[int, str], tuple[int, int]]:
    """(ns on the CPU, voluntary context switches) of each thread of *pid* and its descendants."""
    counters = {}
    for member in tree(pid):
        for task in _tasks(member):
            base = Path(f"/proc/{member}/task/{task}")
            try:
                cpu = int((base / "schedstat").read_text().split()[0])
                status = (base / "status").read_text()
            except OSError:
                continue  # the thread ended between listing and reading
            switches = next(
                int(line.split()[1])
                for line in status.splitlines()
                if line.startswith("voluntary_ctxt_switches:")
            )
            counters[member, task] = (cpu, switches)
    return counters


def ticks_ns(pid: int) -> int:
    """utime + stime of *pid* and its descendants in ns: whole clock ticks, ended threads included."""
    total = 0
    for member in tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime and stime are fields 14 and 15 of stat; the split above starts at field 3 (state).
        total += (int(fields[11]) + int(fields[12])) * 1_000_000_000 // _TICK
    return total


class IdleMeter:
    """Counts an app's activity from now on, sampling its threads so that none is lost.

    A thread that ends takes its counters with it (a thread pool's idle threads expire after 30 s), so
    the span is sampled (:meth:`sample`, a few times a second): a thread that ends is counted up to its
    last sample. Reading /proc does not wake the app.
    """

    def __init__(self, pid: int) -> None:
        self._pid = pid
        self._first = thread_counters(pid)
        self._last = dict(self._first)
        self._current = self._first
        self._ticks = ticks_ns(pid)

    def sample(self) -> None:
        """Take the threads' counters now."""
        self._current = thread_counters(self._pid)
        self._last.update(self._current)

    def result(self) -> Activity:
        """The activity from the start until now."""
        self.sample()
        cpu = switches = 0
        for key, (last_cpu, last_switches) in self._last.items():
            first_cpu, first_switches = self._first.get(key, (0, 0))
            cpu += last_cpu - first_cpu
            switches += last_switches - first_switches
        return Activity(
            cpu_ns=cpu,
            cpu_ticks_ns=ticks_ns(self._pid) - self._ticks,
            voluntary_switches=switches,
            threads=len(self._current),
            threads_started=len(self._last.keys() - self._first.keys()),
            threads_ended=len(self._last.keys() - self._current.keys()),
        )
