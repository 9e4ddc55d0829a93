"""Export and import: a lossless JSON document, and a CSV file a spreadsheet can open.

Both carry every habit (deleted ones too, as deletions) and every event, so a file exported on one
machine and imported on another loses nothing. Import merges: events are added by id (importing the
same file twice changes nothing), a habit already present keeps whichever version was edited last,
and the file's settings fill in only settings this store has not set. A file is checked whole before
anything is written; a bad file changes nothing. Which version of a habit is "edited last" is decided
by :mod:`trayhabit.core.lww`, the rule sync follows too.

The use cases that export and import (:mod:`trayhabit.core.service_transfer`) are the way in; this
module reads and writes the files.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trayhabit import __version__
from trayhabit.core import jsontext, lww
from trayhabit.core.changes import Change, ChangeKind
from trayhabit.core.errors import UserError
from trayhabit.core.i18n import _
from trayhabit.core.limits import MAX_EVENTS, MAX_HABITS
from trayhabit.core.model import EVENT_NOTE, Event, EventKind, Habit, State
from trayhabit.core.report import evaluate
from trayhabit.core.schedule import ScheduleError, make_schedule, normalize_rule
from trayhabit.core.settings import SPECS, Settings
from trayhabit.core.store import StoreTransaction, StoreView
from trayhabit.core.validate import DocumentError, check_event, check_habit

FORMAT_NAME = "trayhabit-export"
FORMAT_VERSION = 1
CSV_COLUMNS = (
    "record",
    "habit_id",
    "name",
    "why",
    "rrule",
    "at",
    "start",
    "state",
    "state_reason",
    "state_changed_at",
    "created_at",
    "updated_at",
    "deleted_at",
    "graduated_score",
    "position",
    "event_id",
    "kind",
    "occurrence",
    "event_at",
    "recorded_at",
    "target",
    "device",
    "note",
    "outcome",
)
_HABIT_COLUMNS = {
    "habit_id": "id",
    "name": "name",
    "why": "why",
    "rrule": "rrule",
    "at": "at",
    "start": "start",
    "state": "state",
    "state_reason": "state_reason",
    "state_changed_at": "state_changed_at",
    "created_at": "created_at",
    "updated_at": "updated_at",
    "deleted_at": "deleted_at",
}
_EVENT_COLUMNS = {
    "event_id": "id",
    "habit_id": "habit_id",
    "kind": "kind",
    "occurrence": "occurrence",
    "event_at": "at",
    "recorded_at": "recorded_at",
    "target": "target",
    "device": "device",
}


# The fields a document must hold as text, and those that may also be left out or blank (JSON null,
# an empty CSV cell). Checked before the document is read, so that a number or a list where text
# belongs (a hand edit, a damaged file) is refused by name instead of reaching the store.
_HABIT_TEXTS = ("id", "name", "rrule", "at", "start")
_HABIT_OPTIONAL_TEXTS = ("why", "state", "state_reason", "updated_by")
_HABIT_TIMES = ("state_changed_at", "created_at", "updated_at", "deleted_at")
_EVENT_TEXTS = ("id", "habit_id", "kind", "at", "recorded_at")
_EVENT_OPTIONAL_TEXTS = ("occurrence", "target", "device", EVENT_NOTE)
# A spreadsheet runs a cell that begins with one of these as a formula (CSV injection); a habit's
# name or why may come from someone else (a calendar invitation, another computer's sync files).
# OWASP's advice: write such a cell with a leading apostrophe, which the spreadsheet shows as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What may follow an escaping apostrophe. A cell that already begins with an apostrophe and one of
# these is escaped too, so that import can always take the first apostrophe away: the round trip
# gives back every text exactly, "'=x" and "''" as well as "=x".
_ESCAPED_AFTER_APOSTROPHE = (*_FORMULA_STARTS, "'")

CALENDAR_SUFFIXES = (".ics", ".ical", ".icalendar", ".ifb", ".vcs")


def is_calendar(data: bytes, filename: str) -> bool:
    """Whether a file to import is meant as an iCalendar file: by its name or by its first line."""
    first = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper()
    return filename.lower().endswith(CALENDAR_SUFFIXES) or first == b"BEGIN:VCALENDAR"


class ImportFileError(UserError):
    """A file that cannot be imported; nothing was changed."""


@dataclass(frozen=True)
class ImportResult:
    """What an import changed: counts for the person, and the change for the views.

    ``created`` holds the habits a calendar import created, in the calendar's order.
    """

    habits_added: int
    habits_updated: int
    events_added: int
    change: Change
    created: tuple[Habit, ...] = ()


def export_json(view: StoreView, now: datetime) -> bytes:
    """Everything in the store as one JSON document, read in the one *view*."""
    return json_document(view.habits(), [view.events()], view.settings(), now)


def json_document(
    habits: list[dict[str, Any]],
    months: Iterable[list[dict[str, Any]]],
    settings: dict[str, Any],
    now: datetime,
) -> bytes:
    """The JSON export of these documents: copies read from the store, the events a month at a time
    (sorted, oldest month first), each month written out before the next is asked for, so that a
    history is never held whole and its reading need not hold the store's lock throughout.

    The bytes are those of the whole document dumped at once, indented by two spaces.
    """
    head = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "exported_at": now.isoformat(),
        "habits": habits,
    }
    # The document is written in pieces, each indented as it would be inside the whole: a value
    # dumped alone is re-indented by prefixing its every line (JSON text holds no raw line break).
    parts = [jsontext.dumps(head, indent=2).removesuffix(b"\n}"), b',\n  "events": [']
    first = True
    for month in months:
        if not month:
            continue
        items = jsontext.dumps(month, indent=2).removeprefix(b"[").removesuffix(b"\n]")
        parts.append((b"" if first else b",") + items.replace(b"\n", b"\n  "))
        first = False
    parts.append(b"]" if first else b"\n  ]")
    parts.append(b',\n  "settings": ' + jsontext.dumps(settings, indent=2).replace(b"\n", b"\n  "))
    parts.append(b"\n}\n")
    return b"".join(parts)


def export_csv(view: StoreView, now: datetime, zone: Any) -> str:
    """The CSV export of everything in the store, read in the one *view*."""
    return csv_document(view.habits(), [view.events()], view.settings(), now, zone)


def csv_document(
    habits: list[dict[str, Any]],
    months: Iterable[list[dict[str, Any]]],
    settings: dict[str, Any],
    now: datetime,
    zone: Any,
) -> str:
    """One row per habit, then one per event, habit by habit; ``outcome`` adds how each check-off
    counted. The events come a month at a time (sorted, oldest month first, as for
    :func:`json_document`); only those of *habits* are written.

    A check-off's outcome depends on the habit's whole history, so the events read are kept until
    the last month is (the store itself holds one month at a time meanwhile).
    """
    out = io.StringIO()
    # CRLF (RFC 4180) and not LF: the csv module quotes a cell only for the line ending it writes,
    # and a lone carriage return left unquoted in a name would make the file unreadable.
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()

    def write(row: dict[str, str]) -> None:
        writer.writerow({column: _csv_cell(value) for column, value in row.items()})

    for doc in habits:
        row = {column: doc.get(key) or "" for column, key in _HABIT_COLUMNS.items()}
        score = doc.get("graduated_score")
        position = doc.get("position")
        write(
            {
                "record": "habit",
                **row,
                "graduated_score": "" if score is None else repr(score),
                "position": "" if position is None else repr(position),
            }
        )
    # A habit's events wait for the last month as the documents read (their rows are written once
    # its outcomes are known): plain dicts of text, which the garbage collector does not track, where
    # hundreds of thousands of Event values would have it walk them over and over.
    docs: dict[str, list[dict[str, Any]]] = {doc["id"]: [] for doc in habits}
    for month in months:
        for doc in month:
            waiting = docs.get(doc["habit_id"])
            if waiting is not None:  # None: a habit made since the export began, not in the file
                waiting.append(doc)
    known = Settings(settings)
    for doc in habits:
        habit = Habit.from_doc(doc)
        habit_docs = docs.pop(habit.id)
        events = [Event.from_doc(event) for event in habit_docs]
        outcomes = {
            entry.event.id: entry.outcome.value
            for entry in evaluate(habit, events, now, zone, known).settled
            if entry.event is not None and entry.outcome is not None
        }
        for event in habit_docs:
            row = {column: event.get(key) or "" for column, key in _EVENT_COLUMNS.items()}
            note = event.get(EVENT_NOTE) or ""
            write({"record": "event", **row, "note": note, "outcome": outcomes.get(event["id"], "")})
    return out.getvalue()


def parse_import(data: bytes, filename: str) -> tuple[list[Habit], list[Event], dict[str, Any]]:
    """Read and check a JSON or CSV export; raise ImportFileError naming the first problem."""
    text_start = data.lstrip()[:1]
    lower = filename.lower()
    if is_calendar(data, filename):
        raise ImportFileError(
            _(
                "{file} is a calendar file, not a TrayHabit export; import it with “Import from calendar…” in the habits window."
            ).format(file=filename)
        )
    if lower.endswith(".json") or (not lower.endswith(".csv") and text_start in (b"{", b"[")):
        habit_docs, event_docs, settings = _read_json(data, filename)
    else:
        habit_docs, event_docs = _read_csv(data, filename)
        settings = {}
    if len(habit_docs) > MAX_HABITS or len(event_docs) > MAX_EVENTS:
        raise ImportFileError(
            _("{file} holds more than TrayHabit reads ({habits} habits, {events} events at most).").format(
                file=filename, habits=MAX_HABITS, events=MAX_EVENTS
            )
        )
    habits = [_habit_from(doc, filename, number) for number, doc in enumerate(habit_docs, 1)]
    events = [_event_from(doc, filename, number) for number, doc in enumerate(event_docs, 1)]
    known = {habit.id for habit in habits}
    for event in events:
        if event.habit_id not in known:
            raise ImportFileError(
                _("{file}: event {id} belongs to a habit that is not in the file.").format(
                    file=filename, id=event.id
                )
            )
    for key, value in settings.items():
        if key in SPECS and not _setting_fits(key, value):
            raise ImportFileError(
                _("{file}: the setting {key} cannot be {value}.").format(
                    file=filename, key=key, value=_shown(value)
                )
            )
    return habits, events, {key: value for key, value in settings.items() if key in SPECS}


def import_into(
    tx: StoreTransaction, habits: Iterable[Habit], events: Iterable[Event], settings: dict[str, Any]
) -> ImportResult:
    """Merge checked habits, events and settings into the store in the transaction *tx*."""
    added = updated = events_added = 0
    touched: set[str] = set()
    existing = {doc["id"]: doc for doc in tx.habits()}
    in_use = {
        habit.name.casefold(): habit
        for habit in map(Habit.from_doc, existing.values())
        if habit.deleted_at is None and habit.state is not State.ARCHIVED
    }
    for habit in habits:
        doc = habit.to_doc()
        current = existing.get(habit.id)
        if current is None:
            clash = in_use.get(habit.name.casefold())
            if clash is not None and habit.deleted_at is None and habit.state is not State.ARCHIVED:
                raise ImportFileError(
                    _(
                        "The file has a habit “{name}”, and this store already has a different one by that name; "
                        "rename one of them first."
                    ).format(name=habit.name)
                )
            tx.put_habit(doc)
            added += 1
            touched.add(habit.id)
        # Both sides as the store writes them, so that a version meeting itself is no newer.
        elif (keep := lww.merged(doc, Habit.from_doc(current).to_doc())) is not None:
            tx.put_habit(keep)
            updated += 1
            touched.add(habit.id)
    for event in events:
        if tx.add_event(event.to_doc()):
            events_added += 1
            touched.add(event.habit_id)
    unset = {key: value for key, value in settings.items() if key not in tx.settings()}
    if unset:
        tx.set_settings(unset)
    change = Change(
        ChangeKind.IMPORTED,
        habit_ids=frozenset(touched),
        definitions=bool(added or updated),
        events=bool(events_added),
        settings=frozenset(unset),
        counts={"habits": added + updated, "events": events_added, "settings": len(unset)},
    )
    return ImportResult(added, updated, events_added, change)


def _read_json(data: bytes, filename: str) -> tuple[list[Any], list[Any], dict[str, Any]]:
    try:
        document = jsontext.loads(data)
    except ValueError as error:
        raise ImportFileError(
            _("{file} is not valid JSON: {error}.").format(file=filename, error=error)
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ImportFileError(_("{file} is not a TrayHabit export.").format(file=filename))
    if not isinstance(document.get("format_version"), int) or document["format_version"] > FORMAT_VERSION:
        raise ImportFileError(
            _("{file} was exported by a newer TrayHabit; update TrayHabit to import it.").format(
                file=filename
            )
        )
    habits, events, settings = document.get("habits"), document.get("events"), document.get("settings", {})
    if not isinstance(habits, list) or not isinstance(events, list) or not isinstance(settings, dict):
        raise ImportFileError(_("{file} is not a TrayHabit export.").format(file=filename))
    return habits, events, settings


def _read_csv(data: bytes, filename: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("{file} is not a UTF-8 text file.").format(file=filename)) from None
    reader = csv.DictReader(io.StringIO(text))
    try:
        fieldnames = reader.fieldnames
    except csv.Error:
        fieldnames = None  # a header that is no CSV: not an export
    if fieldnames is None or not {"record", *_HABIT_COLUMNS, *_EVENT_COLUMNS} <= set(fieldnames):
        raise ImportFileError(
            _("{file} is not a TrayHabit CSV export (its header lacks TrayHabit's columns).").format(
                file=filename
            )
        )
    habits: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    try:
        for number, cells in enumerate(reader, 2):
            row = {
                column: _csv_text(cells[column] or "")
                for column in ("record", *_HABIT_COLUMNS, *_EVENT_COLUMNS)
            }
            if row["record"] == "habit":
                habit: dict[str, Any] = {key: row[column] or None for column, key in _HABIT_COLUMNS.items()}
                # A column added later (issue 20): an export from before it lacks it, and still imports.
                score = _csv_text(cells.get("graduated_score") or "").strip()
                if score:
                    habit["graduated_score"] = _csv_score(score)
                position = _csv_text(cells.get("position") or "").strip()
                if position:
                    habit["position"] = _csv_score(position)
                habits.append(habit)
            elif row["record"] == "event":
                event: dict[str, Any] = {key: row[column] or None for column, key in _EVENT_COLUMNS.items()}
                # Columns added later (issue 20), like graduated_score: an older export still imports.
                note = _csv_text(cells.get("note") or "")
                if note or event["kind"] == EventKind.NOTE.value:
                    event[EVENT_NOTE] = note
                events.append(event)
            else:
                raise ImportFileError(
                    _("{file}, line {line}: the record must be “habit” or “event”.").format(
                        file=filename, line=number
                    )
                )
    except csv.Error:
        # A field past the csv module's limit (128 KiB), a NUL byte, a quote left open at the end.
        raise ImportFileError(
            _(
                "{file}, line {line} cannot be read as CSV (a field too long, a stray quote or a NUL byte)."
            ).format(file=filename, line=reader.line_num)
        ) from None
    for doc in habits:
        doc["why"] = doc["why"] or ""
        doc["state_reason"] = doc["state_reason"] or ""
    for doc in events:
        doc["device"] = doc["device"] or ""
    return habits, events


def _csv_cell(text: str) -> str:
    """*text* as a CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if text.startswith(_FORMULA_STARTS) or (text[:1] == "'" and text[1:2] in _ESCAPED_AFTER_APOSTROPHE):
        return "'" + text
    return text


def _csv_text(cell: str) -> str:
    """The text a CSV cell written by :func:`_csv_cell` holds."""
    if cell[:1] == "'" and cell[1:2] in _ESCAPED_AFTER_APOSTROPHE:
        return cell[1:]
    return cell


def _habit_from(doc: Any, filename: str, number: int) -> Habit:
    try:
        _check_texts(doc, _HABIT_TEXTS, (*_HABIT_OPTIONAL_TEXTS, *_HABIT_TIMES))
        check_habit(doc)  # what the store will hold it to (types, ranges, sizes)
        habit = Habit.from_doc(doc)
        rule, at = normalize_rule(habit.schedule.rrule, habit.schedule.at)
        make_schedule(rule, at, habit.schedule.start)
        if not habit.name.strip() or not habit.id:
            raise ValueError(_("a habit needs an id and a name"))
        stamps = (habit.state_changed_at, habit.created_at, habit.updated_at, habit.deleted_at)
        if any(stamp is not None and stamp.tzinfo is None for stamp in stamps):
            # Last-writer-wins compares these with the store's, which all carry one.
            raise ValueError(_("times need a UTC offset"))
    except ScheduleError as error:
        raise ImportFileError(
            _("{file}: habit {n}: {error}").format(file=filename, n=number, error=error)
        ) from None
    except DocumentError as error:
        raise ImportFileError(
            _("{file}: habit {n}: {error}.").format(file=filename, n=number, error=error.reason)
        ) from None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ImportFileError(
            _("{file}: habit {n} is malformed ({error}).").format(
                file=filename, n=number, error=_describe(error)
            )
        ) from None
    if rule != habit.schedule.rrule:
        return habit.with_changes(schedule=make_schedule(rule, at, habit.schedule.start))
    return habit


def _event_from(doc: Any, filename: str, number: int) -> Event:
    if isinstance(doc, dict) and doc.get("device") is None:
        # As a blank CSV cell reads: no device. The store writes a null device into a month that it
        # then cannot read back, so it never gets one.
        doc = {**doc, "device": ""}
    try:
        _check_texts(doc, _EVENT_TEXTS, _EVENT_OPTIONAL_TEXTS)
        check_event(doc)
        event = Event.from_doc(doc)
        if event.at.tzinfo is None or event.recorded_at.tzinfo is None or not event.id:
            raise ValueError(_("times need a UTC offset"))
    except DocumentError as error:
        raise ImportFileError(
            _("{file}: event {n}: {error}.").format(file=filename, n=number, error=error.reason)
        ) from None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ImportFileError(
            _("{file}: event {n} is malformed ({error}).").format(
                file=filename, n=number, error=_describe(error)
            )
        ) from None
    return event


def _check_texts(doc: Any, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
    """Raise KeyError or ValueError unless *doc* is an object with text wherever text belongs."""
    if not isinstance(doc, dict):
        raise ValueError(_("it is not an object with named fields"))
    for key in required:
        if doc.get(key) is None:
            raise KeyError(key)
    for key in (*required, *optional):
        if doc.get(key) is not None and not isinstance(doc[key], str):
            raise ValueError(_("“{key}” must be text, not {value}").format(key=key, value=_shown(doc[key])))


def _setting_fits(key: str, value: Any) -> bool:
    """Whether *value*, as an export holds it, is one that setting *key* can take."""
    spec = SPECS[key]
    if isinstance(spec.default, bool) or isinstance(value, bool):
        return isinstance(spec.default, bool) and isinstance(value, bool)
    if isinstance(spec.default, int):
        fits = isinstance(value, int)
    elif isinstance(spec.default, float):
        fits = isinstance(value, int | float)
    else:  # text, and times of day (stored as HH:MM)
        fits = isinstance(value, str)
    if not fits:
        return False
    if key == "sync_folder":
        # A folder on the computer that exported need not exist on this one; sync says it is away.
        return True
    try:
        spec.parse(value if isinstance(value, str) else str(value))
    except ValueError:
        return False
    return True


def _shown(value: Any) -> str:
    """A value from a file as the user would see it there, cut short when long."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def _csv_score(text: str) -> float | str:
    """A score cell as a number; left as text when it is none, so that validation names the field."""
    try:
        return float(text)
    except ValueError:
        return text


def _describe(error: Exception) -> str:
    if isinstance(error, KeyError):
        return _("“{key}” is missing").format(key=error.args[0])
    return str(error)
