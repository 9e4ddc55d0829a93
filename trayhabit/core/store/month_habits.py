"""Which habits have events in each month's file: so that walking one habit's whole history reads
only the months that hold its events, not ten years of everybody's.

Old months are cold (listed, not read: see :mod:`~trayhabit.core.store.loader`), so without this the
store cannot tell whether a cold month holds a habit's events except by reading it, and a walk of a
habit added last week on a ten-year store read every month file (about 5 s on the benchmark's store),
at every look, since so short a history has no checkpoint to resume from. Each time a month's file
is read or let go, the habits in it are noted here with the file's modification time and size; a
note whose file has changed since is not trusted. The notes are kept in the data folder's cache
(``cache/month-habits.json``): losing the file costs one slow walk, never a wrong answer.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from trayhabit.core import jsontext
from trayhabit.core.atomic import write_atomic
from trayhabit.core.store.layout import Signature

log = logging.getLogger(__name__)

FILE_NAME = "month-habits.json"
_FORMAT = "trayhabit-month-habits"
_VERSION = 1

# (modification time in ns, size): as in the months' revisions, a copied folder keeps its notes.
_Stamp = tuple[int, int]


def _stamp(signature: Signature) -> _Stamp:
    return signature[1], signature[2]


class MonthHabits:
    """Notes of which habits each month's file holds events of, by the file's stamp."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._notes: dict[str, tuple[_Stamp, frozenset[str]]] | None = None
        self._dirty = False

    def note(self, month: str, signature: Signature, habit_ids: Iterable[str]) -> None:
        """Remember that *month*'s file, as of *signature*, holds events of exactly *habit_ids*."""
        notes = self._loaded()
        entry = (_stamp(signature), frozenset(habit_ids))
        if notes.get(month) != entry:
            notes[month] = entry
            self._dirty = True

    def may_hold(self, month: str, signature: Signature, habit_ids: Collection[str]) -> bool:
        """Whether *month*'s file (as of *signature*) may hold events of any of *habit_ids*: True
        unless a note of that very file says it holds none."""
        entry = self._loaded().get(month)
        if entry is None or entry[0] != _stamp(signature):
            return True
        return not entry[1].isdisjoint(habit_ids)

    def save(self) -> None:
        """Write the notes if they changed; a folder that refuses the cache only costs speed."""
        if not self._dirty or self._notes is None:
            return
        # Habit ids numbered once: a note per month of fifty habits stays a few bytes a month.
        ids = sorted({habit_id for _stamp, habits in self._notes.values() for habit_id in habits})
        number = {habit_id: position for position, habit_id in enumerate(ids)}
        document = {
            "format": _FORMAT,
            "version": _VERSION,
            "habits": ids,
            "months": {
                month: [stamp[0], stamp[1], sorted(number[habit_id] for habit_id in habits)]
                for month, (stamp, habits) in sorted(self._notes.items())
            },
        }
        try:
            self._path.parent.mkdir(exist_ok=True)
            write_atomic(self._path, jsontext.dumps(document), durable=False)
        except OSError as error:
            log.info("month notes not written to %s: %s", self._path, error)
            return
        self._dirty = False

    def _loaded(self) -> dict[str, tuple[_Stamp, frozenset[str]]]:
        if self._notes is None:
            self._notes = _read(self._path)
        return self._notes


def _read(path: Path) -> dict[str, tuple[_Stamp, frozenset[str]]]:
    """The notes in *path*; none when it is missing, unreadable or not of this format (each note
    checked on its own: a damaged one is dropped, the others kept)."""
    try:
        document: Any = jsontext.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(document, dict) or document.get("format") != _FORMAT:
        return {}
    if document.get("version") != _VERSION:
        return {}
    ids, months = document.get("habits"), document.get("months")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or not isinstance(months, dict):
        return {}
    notes: dict[str, tuple[_Stamp, frozenset[str]]] = {}
    for month, entry in months.items():
        if not (isinstance(entry, list) and len(entry) == 3):
            continue
        mtime, size, numbers = entry
        if not (_is_int(mtime) and _is_int(size) and isinstance(numbers, list)):
            continue
        if not all(_is_int(n) and 0 <= n < len(ids) for n in numbers):
            continue
        notes[str(month)] = ((mtime, size), frozenset(ids[n] for n in numbers))
    return notes


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
