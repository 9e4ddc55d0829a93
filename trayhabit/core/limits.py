"""How much TrayHabit reads from one file: the limits every file from outside is held to.

A file TrayHabit did not write itself (an import, another computer's file in the sync folder, its own
store after a disk error or a hand edit) can be any size and any shape. Each limit here is far above
what TrayHabit writes for ten years of fifty daily habits, and low enough that a file past it cannot
take the memory, the time or the stack of the process. A file past a limit is refused whole with a
message that names the file and the limit (see :class:`LimitError`); nothing is changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from trayhabit.core.errors import UserError
from trayhabit.core.i18n import _

MIB = 1024 * 1024

#: JSON nesting: TrayHabit's own files nest four levels (file, table, document, field list).
MAX_DEPTH = 64
#: A store file: the main file, the journal or a month of events (a month of fifty daily habits is
#: about 1 MiB).
MAX_STORE_FILE = 256 * MIB
#: A file in the sync folder: another computer's habits or a month of its events.
MAX_SYNC_FILE = 256 * MIB
#: A file to import: an export of ten years of fifty daily habits is about 150 MiB.
MAX_IMPORT_FILE = 1024 * MIB
#: A calendar file to import.
MAX_CALENDAR_FILE = 64 * MIB
#: Habits in one file (an export, a store, another computer's habits).
MAX_HABITS = 10_000
#: Events in one file: twenty years of a hundred daily habits, with reminders shown, in one export.
MAX_EVENTS = 20_000_000
#: A habit's name as read from a file (new names are held to trayhabit.core.model.MAX_NAME_LENGTH).
MAX_NAME = 1_000
#: A note on a check-off ("called Acme"): a short line, new ones and those read from a file alike.
MAX_NOTE = 500
#: Any other text field (a why, a reason for a state change).
MAX_TEXT = 100_000
#: An id, a device id, a time stamp, a rule, a setting's text value.
MAX_TOKEN = 1_000


class LimitError(UserError, ValueError):
    """A file is past one of the limits above; ``str()`` names the file and the limit."""


def too_large(name: str, limit: int) -> LimitError:
    """The refusal of a file whose size is past *limit* bytes."""
    return LimitError(
        _("{file} is larger than TrayHabit reads ({size} MiB at most); nothing was read from it.").format(
            file=name, size=limit // MIB
        )
    )


def read_limited(path: Path, limit: int, *, name: str | None = None) -> bytes:
    """The bytes of *path*, refused with :class:`LimitError` past *limit* bytes.

    Reads at most *limit* + 1 bytes, so a file that grows meanwhile (or a device that never ends)
    cannot make it read more. OSError propagates.
    """
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise too_large(name or str(path), limit)
    return data


def too_deep() -> str:
    """Why a JSON value nested past :data:`MAX_DEPTH` is refused (a reason, not a whole sentence)."""
    return _("it is nested more than {n} levels deep").format(n=MAX_DEPTH)


def depth_exceeds(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether a parsed JSON *value* nests deeper than *limit* (lists and objects count a level each).

    Walked with a stack of its own, never by recursion, so no file can drive it into the
    interpreter's recursion limit.
    """
    pending: list[tuple[Iterable[Any], int]] = [((value,), 0)]
    while pending:
        items, depth = pending.pop()
        for item in items:
            if isinstance(item, dict):
                if depth + 1 > limit:
                    return True
                pending.append((item.values(), depth + 1))
            elif isinstance(item, list):
                if depth + 1 > limit:
                    return True
                pending.append((item, depth + 1))
    return False
