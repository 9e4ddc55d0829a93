"""Another computer's files in the sync folder, read document by document.

A file in the sync folder comes from another computer, perhaps another version of TrayHabit, perhaps
half-written by a sync engine, perhaps damaged. Each is read here in two steps:

- the file as a whole: at most :data:`~trayhabit.core.limits.MAX_SYNC_FILE` bytes, JSON, the structure
  TrayHabit writes (a ``habits.json``, or an events file laid out as the store lays out its own). A
  file that fails this is :class:`UnreadableFileError`, with the reason, and nothing of it is used;
- each document in it (a habit, a shared setting's stamp, an event), checked by
  :mod:`trayhabit.core.validate`. A document that fails is left out, with a line that names the
  computer and the reason ("habit 3 of laptop-anna: its schedule is not a rule"); the others are
  merged.

Nothing here touches the store; :mod:`trayhabit.core.sync` merges what is returned.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trayhabit.core import jsontext
from trayhabit.core.hlc import parse_stamp
from trayhabit.core.i18n import _
from trayhabit.core.limits import (
    MAX_EVENTS,
    MAX_HABITS,
    MAX_SYNC_FILE,
    MAX_TOKEN,
    MIB,
    LimitError,
    read_limited,
    too_deep,
)
from trayhabit.core.model import Habit
from trayhabit.core.settings import SPECS, SettingError, parse_setting
from trayhabit.core.store import NewerSchemaError, Store
from trayhabit.core.validate import DocumentError, check_event, check_habit, check_setting

FORMAT_NAME = "trayhabit-sync"
FORMAT_VERSION = 1
# A computer's name as shown in a message: what platform.node() gives, with room to spare.
_MAX_COMPUTER_NAME = 100
# A TinyDB document id: a decimal number (TinyDB turns them back into ints).
_MAX_DOC_ID = 18


class UnreadableFileError(ValueError):
    """A file in the sync folder that cannot be used as a whole; ``reason`` completes a sentence
    about it ("it is not JSON")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class HabitsFile:
    """What a device's ``habits.json`` holds that can be merged, and what was left out of it."""

    habits: list[dict[str, Any]] = field(default_factory=list)
    #: Shared setting -> {"value", "changed_at", "device"}, each checked.
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: One line per document left out, naming the computer and why.
    skipped: list[str] = field(default_factory=list)


@dataclass
class EventsFile:
    """The events of a device's events file that can be merged, and what was left out of it."""

    events: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_file(path: Path) -> bytes:
    """The bytes of a file in the sync folder; :class:`UnreadableFileError` past the size limit."""
    try:
        return read_limited(path, MAX_SYNC_FILE)
    except LimitError:
        raise UnreadableFileError(
            _("it is larger than TrayHabit reads ({size} MiB at most)").format(size=MAX_SYNC_FILE // MIB)
        ) from None


def _json(data: bytes) -> Any:
    try:
        return jsontext.loads(data)
    except UnicodeDecodeError:
        raise UnreadableFileError(_("it is not text in UTF-8")) from None
    except json.JSONDecodeError:
        raise UnreadableFileError(_("it is not JSON")) from None
    except ValueError as error:
        # jsontext's refusal of deep nesting is a reason already; NaN and the like are not JSON.
        deep = too_deep()
        raise UnreadableFileError(deep if str(error) == deep else _("it is not JSON")) from None


def computer_name(device_file: Path, device_id: str) -> str:
    """The name of the computer that writes a device folder, from its ``device.json``; its device id
    when that file is missing, unreadable or names none."""
    try:
        parsed = _json(read_file(device_file))
    except (FileNotFoundError, UnreadableFileError):
        return device_id
    name = parsed.get("name") if isinstance(parsed, dict) else None
    if isinstance(name, str) and 0 < len(name) <= _MAX_COMPUTER_NAME and name.isprintable() and name.strip():
        return name
    return device_id


# --- habits.json ------------------------------------------------------------------------------------


def parse_habits_file(data: bytes, computer: str) -> HabitsFile:
    """The habits and shared settings of a device's ``habits.json`` written by *computer*.

    Raises :class:`UnreadableFileError` when the file is not such a file, and
    :class:`~trayhabit.core.store.NewerSchemaError` when a newer TrayHabit wrote it.
    """
    parsed = _json(data)
    if not isinstance(parsed, dict) or parsed.get("format") != FORMAT_NAME:
        raise UnreadableFileError(_("it is not a TrayHabit sync file"))
    version = parsed.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise UnreadableFileError(_("its format version is missing"))
    if version > FORMAT_VERSION:
        raise NewerSchemaError(str(version))
    habits = parsed.get("habits")
    settings = parsed.get("settings")
    if not isinstance(habits, list) or not isinstance(settings, dict):
        raise UnreadableFileError(_("its habits or settings are missing"))
    if len(habits) > MAX_HABITS:
        raise UnreadableFileError(_("it holds more than {n} habits").format(n=MAX_HABITS))
    result = HabitsFile()
    for number, doc in enumerate(habits, start=1):
        try:
            result.habits.append(_checked_habit(doc))
        except DocumentError as error:
            result.skipped.append(
                _("habit {n} of {computer}: {reason}").format(
                    n=number, computer=computer, reason=error.reason
                )
            )
    for key, stamp in settings.items():
        spec = SPECS.get(key)
        if spec is None or not spec.shared:
            continue  # a setting this version does not know, or one each computer keeps for itself
        try:
            result.settings[key] = _checked_setting(key, stamp)
        except DocumentError as error:
            result.skipped.append(
                _("the settings of {computer}: {reason}").format(computer=computer, reason=error.reason)
            )
    return result


def _checked_habit(doc: object) -> dict[str, Any]:
    checked = check_habit(doc)
    try:
        Habit.from_doc(checked)  # what the service will make of it
    except (ValueError, TypeError, KeyError):
        raise DocumentError(_("it is not a habit TrayHabit can read")) from None
    return checked


def _checked_setting(key: str, stamp: object) -> dict[str, Any]:
    """A shared setting's stamp from a ``habits.json``: its value in the form the store keeps."""
    if not isinstance(stamp, dict) or "value" not in stamp:
        raise DocumentError(_("setting {key} has no value").format(key=key))
    changed_at, device = stamp.get("changed_at") or "", stamp.get("device") or ""
    # The stamps are stored as they come (see trayhabit.core.validate.check_settings): text, short.
    if not isinstance(changed_at, str) or (changed_at and parse_stamp(changed_at) is None):
        raise DocumentError(_("setting {key} has no time of change").format(key=key))
    if not isinstance(device, str) or len(device) > MAX_TOKEN:
        raise DocumentError(_("setting {key} names no computer").format(key=key))
    value = stamp["value"]
    check_setting(key, value)
    spec = SPECS[key]
    try:
        _key, value = parse_setting(key, value if isinstance(value, str) else spec.format(value))
    except SettingError:
        raise DocumentError(_("setting {key} has a value it cannot take").format(key=key)) from None
    return {"value": value, "changed_at": changed_at, "device": device}


# --- Events files ---------------------------------------------------------------------------------------


def parse_events_file(data: bytes, month: str | None, computer: str, label: str) -> EventsFile:
    """The events of a copy of another computer's events file: its journal (*month* None) or the file
    of *month* ("YYYY-MM"), laid out as the store lays out its own. *label* names the file in the
    lines about events left out.

    Raises :class:`UnreadableFileError` when it is not such a file, and
    :class:`~trayhabit.core.store.NewerSchemaError` when a newer TrayHabit wrote it.
    """
    parsed = _json(data)
    if not isinstance(parsed, dict):
        raise UnreadableFileError(_("it is not an events file of TrayHabit"))
    meta = _only_doc(parsed, "meta")
    version = meta.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise UnreadableFileError(_("its schema version is missing"))
    if version > Store.SCHEMA_VERSION:
        raise NewerSchemaError(str(version))
    # As the store's own files: months appeared with schema 2, the journal with schema 3.
    if month is None and (version < 3 or meta.get("journal") is not True):
        raise UnreadableFileError(_("it is not an events file of TrayHabit"))
    if month is not None and (version < 2 or meta.get("partition") != month):
        raise UnreadableFileError(_("it is not the events file of {month}").format(month=month))
    table = _table(parsed, "events")
    if len(table) > MAX_EVENTS:
        raise UnreadableFileError(_("it holds more than {n} events").format(n=MAX_EVENTS))
    result = EventsFile()
    for number, doc in table.items():
        try:
            check_event(doc)
            if month is not None and doc["recorded_at"][:7] != month:
                raise DocumentError(_("it was recorded in another month than its file's"))
        except DocumentError as error:
            result.skipped.append(
                _("event {n} in {file} of {computer}: {reason}").format(
                    n=number, file=label, computer=computer, reason=error.reason
                )
            )
            continue
        result.events.append(doc)
    return result


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    """A TinyDB table of *data* (absent: empty), its document ids checked."""
    table = data.get(name)
    if table is None:
        return {}
    if not isinstance(table, dict) or not all(
        doc_id.isdecimal() and len(doc_id) <= _MAX_DOC_ID for doc_id in table
    ):
        raise UnreadableFileError(_("it is not an events file of TrayHabit"))
    return table


def _only_doc(data: dict[str, Any], name: str) -> dict[str, Any]:
    table = _table(data, name)
    doc = next(iter(table.values()), None) if len(table) == 1 else None
    if not isinstance(doc, dict):
        raise UnreadableFileError(_("it is not an events file of TrayHabit"))
    return doc
