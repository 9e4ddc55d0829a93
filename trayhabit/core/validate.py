"""One check for every document TrayHabit reads: habits, events and settings, by type and range.

The store runs it when it loads a file, sync when it merges another computer's file, import when it
reads an export. A document that passes can be turned into the domain's values
(:meth:`trayhabit.core.model.Habit.from_doc`, :meth:`~trayhabit.core.model.Event.from_doc`,
:class:`trayhabit.core.settings.Settings`) and used everywhere without a surprise: no ``TypeError``
from a number where a rule belongs, no ``ValueError`` from a time of day "25:00".

Each check raises :class:`DocumentError` whose ``reason`` completes a sentence about the document
("its schedule is not a rule"), so that each caller can say which document of which file it was:
"habit 3 of laptop-anna: its schedule is not a rule".

Documents may carry fields this version does not know (a newer TrayHabit's): they are kept as they
are, held only to the nesting and size limits of :mod:`trayhabit.core.limits`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from operator import itemgetter
from typing import Any

from trayhabit.core.i18n import _
from trayhabit.core.limits import MAX_NAME, MAX_NOTE, MAX_TEXT, MAX_TOKEN, depth_exceeds, too_deep
from trayhabit.core.model import EVENT_FIELDS, EVENT_NOTE, EVENT_REASON, HABIT_FIELDS, EventKind, State
from trayhabit.core.schedule import LATEST_START_YEAR, ScheduleError, normalize_rule
from trayhabit.core.settings import SETTING_STAMPS, SPECS

_STATES = frozenset(state.value for state in State)
_KINDS = frozenset(kind.value for kind in EventKind)
# Values of the extra fields a newer TrayHabit may add: nesting a field list or two deep at most.
_EXTRA_DEPTH = 8
# ISO dates written by TrayHabit; fromisoformat alone would take "20261201" too.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ZERO = timedelta(0)
# Instants within these years convert to any zone without leaving datetime's range.
_FIRST_YEAR, _LAST_YEAR = 2, 9998
_UNDO = EventKind.UNDO.value
# The kinds that name the event they are about in ``target``: an undo, a note on a check-off.
_TARGETED = frozenset({_UNDO, EventKind.NOTE.value})


class DocumentError(ValueError):
    """A document fails its check; ``reason`` says why, as the end of a sentence about it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- Fields ----------------------------------------------------------------------------------------


def _text(doc: dict[str, Any], key: str, limit: int, *, required: bool = True, empty: bool = True) -> str:
    value = doc.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise DocumentError(_("its {field} is not text").format(field=key))
    if len(value) > limit:
        raise DocumentError(_("its {field} is longer than {n} characters").format(field=key, n=limit))
    if not empty and not value.strip():
        raise DocumentError(_("its {field} is empty").format(field=key))
    return value


def _instant(doc: dict[str, Any], key: str, *, required: bool, utc: bool = False) -> datetime | None:
    """An ISO 8601 date and time with a UTC offset (in UTC when *utc*), or None where allowed."""
    value = doc.get(key)
    if value is None or (value == "" and not required):
        if required:
            raise DocumentError(_("it has no {field}").format(field=key))
        return None
    parsed = None
    if type(value) is str and len(value) <= 40 and _ISO_DATE.match(value):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise DocumentError(_("its {field} is not a date and time with a UTC offset").format(field=key))
    if utc and parsed.utcoffset() != _ZERO:
        raise DocumentError(_("its {field} is not in UTC").format(field=key))
    if not _FIRST_YEAR <= parsed.year <= _LAST_YEAR:
        # Year 1 or 9999 with an offset falls off the calendar when converted to another zone.
        raise DocumentError(_("its {field} is out of range").format(field=key))
    return parsed


def _date(doc: dict[str, Any], key: str, *, required: bool) -> date | None:
    value = doc.get(key)
    if value is None and not required:
        return None
    if isinstance(value, str) and len(value) == 10 and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise DocumentError(_("its {field} is not a date (YYYY-MM-DD)").format(field=key))


def _time_of_day(doc: dict[str, Any], key: str) -> time:
    value = doc.get(key)
    if isinstance(value, str) and len(value) <= 20:
        try:
            parsed = time.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is None:
            return parsed
    raise DocumentError(_("its reminder time is not a time of day (HH:MM)"))


def _extras(doc: dict[str, Any], known: frozenset[str]) -> None:
    for key, value in doc.items():
        if key in known:
            continue
        if len(key) > MAX_TOKEN:
            raise DocumentError(_("it has a field name longer than {n} characters").format(n=MAX_TOKEN))
        if depth_exceeds(value, _EXTRA_DEPTH):
            raise DocumentError(too_deep())


# --- Documents -------------------------------------------------------------------------------------

_HABIT_FIELDS = frozenset(HABIT_FIELDS)


def check_habit(doc: object) -> dict[str, Any]:
    """*doc* itself when it is a habit :meth:`~trayhabit.core.model.Habit.from_doc` reads and whose
    schedule TrayHabit can evaluate; raises :class:`DocumentError` otherwise."""
    if not isinstance(doc, dict):
        raise DocumentError(_("it is not a habit"))
    _text(doc, "id", MAX_TOKEN, empty=False)
    _text(doc, "name", MAX_NAME, empty=False)
    _text(doc, "why", MAX_TEXT, required=False)
    _text(doc, "state_reason", MAX_TEXT, required=False)
    _text(doc, "updated_by", MAX_TOKEN, required=False)
    at = _time_of_day(doc, "at")
    start = _date(doc, "start", required=True)
    if start is not None and start.year > LATEST_START_YEAR:
        # Every report walks the schedule from its start: past this, dates overflow the calendar.
        raise DocumentError(_("its start is not before the year {year}").format(year=LATEST_START_YEAR + 1))
    rule = doc.get("rrule")
    if not isinstance(rule, str) or len(rule) > MAX_TOKEN:
        raise DocumentError(_("its schedule is not a rule"))
    try:
        normalize_rule(rule, at)
    except ScheduleError:
        raise DocumentError(_("its schedule is not a rule TrayHabit can follow")) from None
    state = doc.get("state", State.LEARNING.value)
    if not isinstance(state, str) or state not in _STATES:
        raise DocumentError(_("its state is not one TrayHabit knows"))
    for key in ("state_changed_at", "created_at", "updated_at", "deleted_at", "position_at"):
        _instant(doc, key, required=False)
    score = doc.get("graduated_score")
    if score is not None and (
        isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1
    ):
        raise DocumentError(_("its graduated_score is not a score from 0 to 1"))
    position = doc.get("position")
    if position is not None and (
        isinstance(position, bool) or not isinstance(position, int | float) or not math.isfinite(position)
    ):
        raise DocumentError(_("its position is not a number"))
    _extras(doc, _HABIT_FIELDS)
    return doc


_EVENT_FIELDS = frozenset(EVENT_FIELDS)


def check_event(doc: object) -> None:
    """Return when *doc* is an event :meth:`~trayhabit.core.model.Event.from_doc` reads, with its
    ``recorded_at`` in UTC (the store files events by its month); raise :class:`DocumentError`
    otherwise."""
    # The store checks every event of the months it reads, years of them for a whole history: the
    # usual shape, exactly TrayHabit's eight fields, is checked in one go; the field-by-field check
    # runs only to find what is wrong, or for a document of another shape.
    if isinstance(doc, Mapping) and len(doc) == len(_EVENT_FIELDS):
        try:
            values = _event_values(doc)
        except KeyError:
            values = None
        if values is not None and _sound_event(values):
            return
    _check_event_fields(doc)


_event_values = itemgetter(*EVENT_FIELDS)


def _sound_event(values: tuple[Any, ...]) -> bool:
    event_id, habit_id, kind, at, recorded, occurrence, target, device = values
    if not (
        type(event_id) is str
        and type(habit_id) is str
        and type(kind) is str
        and kind in _KINDS
        and type(device) is str
        and type(at) is str
        and type(recorded) is str
        and event_id.strip()
        and habit_id.strip()
        and len(event_id) <= MAX_TOKEN
        and len(habit_id) <= MAX_TOKEN
        and len(device) <= MAX_TOKEN
        and (target is None or (type(target) is str and len(target) <= MAX_TOKEN))
        and (target or kind not in _TARGETED)
        and (occurrence is None or (type(occurrence) is str and len(occurrence) == 10))
        and recorded[4:5] == "-"  # the store files an event by its first seven characters
    ):
        return False
    try:
        if occurrence is not None:
            date.fromisoformat(occurrence)
        instant = datetime.fromisoformat(at)
        recorded_at = datetime.fromisoformat(recorded)
    except ValueError:
        return False
    return (
        instant.tzinfo is not None
        and recorded_at.utcoffset() == _ZERO
        and _FIRST_YEAR <= instant.year <= _LAST_YEAR
        and recorded_at.year >= _FIRST_YEAR
    )


def _check_event_fields(doc: object) -> None:
    """:func:`check_event`, field by field, to find the reason."""
    if not isinstance(doc, dict):
        raise DocumentError(_("it is not an event"))
    _text(doc, "id", MAX_TOKEN, empty=False)
    _text(doc, "habit_id", MAX_TOKEN, empty=False)
    # Absent in old files (Event.from_doc reads it as ""), but never null: from_doc would keep None.
    if "device" in doc:
        _text(doc, "device", MAX_TOKEN)
    kind = doc.get("kind")
    if not isinstance(kind, str) or kind not in _KINDS:
        raise DocumentError(_("its kind is not one TrayHabit knows"))
    _instant(doc, "at", required=True)
    _instant(doc, "recorded_at", required=True, utc=True)
    if doc.get("occurrence") != "":
        _date(doc, "occurrence", required=False)
    target = doc.get("target")
    if target is not None and (not isinstance(target, str) or len(target) > MAX_TOKEN):
        raise DocumentError(_("its target is not an event id"))
    if kind == EventKind.UNDO.value and not target:
        raise DocumentError(_("it takes back no event"))
    if kind == EventKind.NOTE.value and not target:
        raise DocumentError(_("it is a note on no check-off"))
    if EVENT_NOTE in doc:
        _text(doc, EVENT_NOTE, MAX_NOTE)
    if EVENT_REASON in doc:
        # Text, not one of the reasons this version knows: a newer TrayHabit may hold for another.
        _text(doc, EVENT_REASON, MAX_TOKEN)
    _extras(doc, _EVENT_FIELDS | {EVENT_NOTE, EVENT_REASON})


def check_setting(key: str, value: object) -> None:
    """Return when *value* is a value the known setting *key* can hold, as the store keeps it;
    raise :class:`DocumentError` otherwise. Settings this version does not know pass, within the
    nesting limit."""
    spec = SPECS.get(key)
    if spec is None:
        if depth_exceeds(value, _EXTRA_DEPTH):
            raise DocumentError(too_deep())
        return
    default = spec.default
    if isinstance(default, bool):
        fits = isinstance(value, bool)
    elif isinstance(default, int | float):
        fits = isinstance(value, int | float) and not isinstance(value, bool)
    else:  # text, and times of day, which the store keeps as HH:MM text
        fits = isinstance(value, str) and len(value) <= MAX_TOKEN
    if fits and key != "sync_folder":  # a folder that is away (a drive unplugged) is no damage
        try:
            spec.parse(value if isinstance(value, str) else spec.format(value))
        except ValueError:
            fits = False
    if not fits:
        raise DocumentError(_("setting {key} has a value it cannot take").format(key=key))


def check_settings(doc: object) -> None:
    """Return when *doc* is a stored settings document (see :class:`~trayhabit.core.settings.Settings`);
    raise :class:`DocumentError` otherwise."""
    if not isinstance(doc, dict):
        raise DocumentError(_("the settings are not an object"))
    for key, value in doc.items():
        if key == SETTING_STAMPS:
            if not isinstance(value, dict) or not all(
                isinstance(stamp, list)
                and len(stamp) == 2
                and all(isinstance(part, str) and len(part) <= MAX_TOKEN for part in stamp)
                for stamp in value.values()
            ):
                raise DocumentError(_("the settings' change stamps are malformed"))
            continue
        if len(key) > MAX_TOKEN:
            raise DocumentError(_("it has a field name longer than {n} characters").format(n=MAX_TOKEN))
        check_setting(key, value)
