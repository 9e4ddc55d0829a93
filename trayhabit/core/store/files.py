"""Reading one file of the data folder: its contents, parsed and checked, or the damage found in it.

Nothing here changes a file; what to do about damage is :mod:`trayhabit.core.store.recovery`'s part.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trayhabit.core.i18n import _
from trayhabit.core.store.checks import check_main, check_partition
from trayhabit.core.store.codec import AtomicJSONStorage, EventDoc, parse_sharing
from trayhabit.core.store.errors import InvalidError
from trayhabit.core.store.layout import Signature

log = logging.getLogger(__name__)

#: Validates a parsed events file (a month's or the journal) and returns its events table.
EventsCheck = Callable[[Path, dict[str, Any]], dict[str, dict[str, Any]]]


@dataclass
class MainFile:
    """A parsed and checked ``trayhabit.json``, with its signature and schema version."""

    data: dict[str, Any]
    signature: Signature
    version: int


@dataclass
class PartitionFile:
    """The events of a parsed and checked events file (a month's or the journal), with its signature."""

    events: list[EventDoc]
    signature: Signature


@dataclass
class Damage:
    """What is wrong with a file that does not read as it should."""

    path: Path
    #: Why, as the end of a sentence for the user ("it is cut short").
    reason: str = ""


def damage_in(path: Path, error: ValueError) -> Damage:
    """The damage *error* found in *path*, with a reason the user can read."""
    log.info("%s is damaged: %s", path, error)
    if isinstance(error, InvalidError):
        return Damage(path, error.reason or _("its structure is not TrayHabit's"))
    if isinstance(error, json.JSONDecodeError):
        if not error.doc.strip():
            return Damage(path, _("it is empty"))
        if error.pos >= len(error.doc.rstrip()) or error.msg.startswith("Unterminated string"):
            return Damage(path, _("it is cut short"))
        return Damage(path, _("it is not valid JSON"))
    if isinstance(error, UnicodeDecodeError):
        return Damage(path, _("it is not valid JSON"))
    return Damage(path, str(error))  # the nesting limit, already in the user's words


def load_main(path: Path) -> MainFile | Damage | None:
    """The parsed main file, or the damage found in it, or ``None`` when it does not exist."""
    storage = AtomicJSONStorage(path)
    try:
        data = storage.read()
        if data is None:
            return None
        version = check_main(path, data)
    except ValueError as error:
        return damage_in(path, error)
    assert storage.signature is not None
    return MainFile(data, storage.signature, version)


def load_partition(month: str, path: Path) -> PartitionFile | Damage | None:
    """The events of *month*'s file at *path* (see :func:`load_events`)."""
    return load_events(path, lambda path, data: check_partition(path, month, data))


def load_events(path: Path, check: EventsCheck) -> PartitionFile | Damage | None:
    """The events of a partition or the journal (*check* validates it), the damage found in it, or
    ``None`` when it does not exist."""
    storage = AtomicJSONStorage(path, parse=parse_sharing)
    try:
        data = storage.read()
        if data is None:
            return None
        events = check(path, data)
    except ValueError as error:
        return damage_in(path, error)
    assert storage.signature is not None
    return PartitionFile(list(events.values()), storage.signature)
