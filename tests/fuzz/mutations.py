"""Ways a real file goes bad, as Hypothesis strategies: one mutation of the bytes of one file.

Each strategy takes the file's original bytes and draws a :class:`Mutated`: the new bytes and a short
description of what was done, which a failing example prints. The mutations are what disks, sync
engines, editors and hostile senders do to files: cut them short, flip bytes, nest them deeply,
swap a field's type or value, blow up their sizes, change their encoding, shift their time stamps
and duplicate their records. JSON files are also mutated through their structure, so that most
examples still parse and reach the checks past the parser.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from hypothesis import strategies as st

# Sizes past the limits of trayhabit.core.limits (a name, a text field) and well past them.
HUGE = (1_001, 100_001, 2_000_000)
# Depths past the limit (64) and deep enough to overflow any recursive reader.
DEEP = (65, 1_000, 100_000)

#: Values a field of the wrong type or range may hold.
HOSTILE_VALUES: tuple[Any, ...] = (
    None,
    True,
    0,
    -1,
    3.5,
    10**30,
    "",
    " ",
    "x",
    [],
    {},
    [1, "a"],
    {"id": "x"},
    "25:00",
    "24:00:00",
    "2026-13-45",
    "0000-00-00",
    "2026-11-27T06:53:23",  # no UTC offset
    "2026-11-27T06:53:23+14:00",  # not UTC
    "2026-11-27T06:53:23-23:59",
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59+00:00",
    "0001-01-01",
    "9999-12-31",
    "FREQ=SECONDLY",
    "FREQ=DAILY;COUNT=0",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "RRULE:FREQ=WEEKLY;BYDAY=XX",
    "done",
    "undo",
    "\x00",
    "\ud800",
    "\u202e\u0645\u0631\u062d\u0628\u0627",
    '=HYPERLINK("http://x")',
)


class Mutated:
    """A file's new bytes and what was done to it.

    Not a dataclass: Hypothesis prints a dataclass field by field, and the bytes can be megabytes;
    a failing example shows what was done and how big the file came out.
    """

    __slots__ = ("data", "how")

    def __init__(self, data: bytes, how: str) -> None:
        self.data = data
        self.how = how

    def __repr__(self) -> str:
        return f"Mutated({self.how!r}, {len(self.data)} bytes, starts {self.data[:60]!r})"


def _dump(value: Any) -> bytes:
    # The standard library, not the store's own writer: it writes what that one refuses (lone
    # surrogates, integers past 64 bits), as a hostile sender would.
    return json.dumps(value, indent=1).encode("utf-8")


# --- Byte and text mutations (any kind of file) ------------------------------------------------------


@st.composite
def truncated(draw: st.DrawFn, data: bytes) -> Mutated:
    at = draw(st.integers(0, max(0, len(data) - 1)))
    return Mutated(data[:at], f"truncated at {at}")


@st.composite
def flipped(draw: st.DrawFn, data: bytes) -> Mutated:
    if not data:
        return Mutated(b"\xff", "one byte in an empty file")
    changes = draw(
        st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)), min_size=1, max_size=8)
    )
    out = bytearray(data)
    for index, value in changes:
        out[index] = value
    return Mutated(bytes(out), f"bytes set {changes}")


@st.composite
def reencoded(draw: st.DrawFn, data: bytes) -> Mutated:
    text = data.decode("utf-8", errors="replace")
    encoding = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252", "utf-8-sig"]))
    return Mutated(text.encode(encoding, errors="replace"), f"encoded as {encoding}")


_ISO_DATE = re.compile(rb"\b(\d{4})-(\d{2})-(\d{2})")
_ISO_OFFSET = re.compile(rb"(T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(\+00:00|Z)")
_ICAL_STAMP = re.compile(rb"\b(\d{4})(\d{4}T\d{6}Z?)\b")


@st.composite
def time_shifted(draw: st.DrawFn, data: bytes) -> Mutated:
    """Years ahead, year 1, year 9999, a local offset instead of UTC, or an hour past the day."""
    how = draw(st.sampled_from(["years ahead", "year 1", "year 9999", "offset", "hour 25", "month 13"]))
    every = draw(st.booleans())
    count = 0 if every else 1
    if how == "offset":
        offset = draw(st.sampled_from([b"+05:30", b"-11:00", b"", b"+24:00"]))
        out = _ISO_OFFSET.sub(lambda m: m.group(1) + offset, data, count=count)
        return Mutated(out, f"time offsets made {offset!r} ({'all' if every else 'first'})")
    if how == "hour 25":
        out = re.sub(rb"T\d{2}:", b"T25:", data, count=count)
        out = re.sub(rb"\"\d{2}:(\d{2})", rb'"25:\1', out, count=count)
        return Mutated(out, "hour 25")
    if how == "month 13":
        return Mutated(_ISO_DATE.sub(rb"\1-13-\3", data, count=count), "month 13")
    if how == "years ahead":
        years = draw(st.integers(1, 50))

        def year(match: re.Match[bytes]) -> bytes:
            return b"%04d" % min(9999, int(match.group(1)) + years)

    else:
        fixed = b"0001" if how == "year 1" else b"9999"

        def year(match: re.Match[bytes]) -> bytes:
            return fixed

    out = _ISO_DATE.sub(lambda m: year(m) + b"-" + m.group(2) + b"-" + m.group(3), data, count=count)
    out = _ICAL_STAMP.sub(lambda m: year(m) + m.group(2), out, count=count)
    return Mutated(out, f"time stamps: {how} ({'all' if every else 'first'})")


@st.composite
def blown_up(draw: st.DrawFn, data: bytes) -> Mutated:
    """A huge run of text spliced in at a quote (inside a JSON string) or anywhere."""
    size = draw(st.sampled_from(HUGE))
    quotes = [m.end() for m in re.finditer(rb'"[^"\n]', data)] or [len(data)]
    at = draw(st.sampled_from(quotes))
    filler = draw(st.sampled_from([b"a", b"\xc3\xa4", b"\\\\", b","]))
    return Mutated(
        data[:at] + filler * (size // len(filler)) + data[at:], f"{size} bytes of {filler!r} at {at}"
    )


@st.composite
def wrapped_deep(draw: st.DrawFn, data: bytes) -> Mutated:
    depth = draw(st.sampled_from(DEEP))
    opener, closer = draw(st.sampled_from([(b"[", b"]"), (b'{"a":', b"}")]))
    return Mutated(opener * depth + data + closer * depth, f"wrapped {depth} deep in {opener!r}")


# --- JSON structure -------------------------------------------------------------------------------------


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path from the root to a value inside *value* (iteratively: some files are deep)."""
    found: list[tuple[Any, ...]] = []
    pending = [(value, path)]
    while pending:
        item, at = pending.pop()
        found.append(at)
        if isinstance(item, dict):
            pending.extend((child, (*at, key)) for key, child in item.items())
        elif isinstance(item, list):
            pending.extend((child, (*at, index)) for index, child in enumerate(item))
    return sorted(found, key=repr)


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


@st.composite
def field_swapped(draw: st.DrawFn, document: Any) -> Mutated:
    """One value (a field, a document, a table) replaced by one of another type or range."""
    paths = [path for path in _paths(document) if path]
    if not paths:
        return Mutated(_dump(draw(st.sampled_from(HOSTILE_VALUES))), "the document replaced")
    path = draw(st.sampled_from(paths))
    value = draw(
        st.one_of(
            st.sampled_from(HOSTILE_VALUES),
            st.sampled_from(HUGE).map(lambda n: "ä" * n),
            st.sampled_from(DEEP[:2]).map(_nested),
        )
    )
    copy = json.loads(json.dumps(document))
    parent = _get(copy, path[:-1])
    parent[path[-1]] = value
    return Mutated(_dump(copy), f"{'/'.join(map(str, path))} set to {_short(value)}")


@st.composite
def field_dropped(draw: st.DrawFn, document: Any) -> Mutated:
    paths = [path for path in _paths(document) if path]
    if not paths:
        return Mutated(b"", "emptied")
    path = draw(st.sampled_from(paths))
    copy = json.loads(json.dumps(document))
    del _get(copy, path[:-1])[path[-1]]
    return Mutated(_dump(copy), f"{'/'.join(map(str, path))} removed")


@st.composite
def duplicated(draw: st.DrawFn, document: Any) -> Mutated:
    """A record with an id copied: under a second key of its table or twice in its list, perhaps changed."""
    records = [
        path
        for path in _paths(document)
        if path and isinstance(_get(document, path), dict) and "id" in _get(document, path)
    ]
    if not records:
        return Mutated(_dump(document), "nothing to duplicate")
    path = draw(st.sampled_from(records))
    copy = json.loads(json.dumps(document))
    record = dict(_get(copy, path))
    keys = [key for key in record if key != "id"]
    if keys and draw(st.booleans()):
        key = draw(st.sampled_from(keys))
        record[key] = draw(st.sampled_from(HOSTILE_VALUES))
    parent = _get(copy, path[:-1])
    if isinstance(parent, list):
        parent.insert(draw(st.integers(0, len(parent))), record)
    else:
        parent[draw(st.sampled_from(["99999", "0", str(path[-1]) + "0", "-1", "id"]))] = record
    return Mutated(_dump(copy), f"{'/'.join(map(str, path))} duplicated")


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 60 else f"{text[:40]}… ({len(text)} chars)"


# --- CSV and iCalendar structure -----------------------------------------------------------------------


@st.composite
def csv_cell_swapped(draw: st.DrawFn, data: bytes) -> Mutated:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    row = draw(st.integers(0, len(rows) - 1))
    if not rows[row]:
        return Mutated(data, "nothing changed")
    column = draw(st.integers(0, len(rows[row]) - 1))
    value = draw(
        st.one_of(
            st.sampled_from(HOSTILE_VALUES).map(lambda v: v if isinstance(v, str) else json.dumps(v)),
            st.sampled_from(HUGE).map(lambda n: "ä" * n),
            st.text(max_size=20),
        )
    )
    rows[row][column] = value.replace("\ud800", "\ufffd")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return Mutated(out.getvalue().encode("utf-8"), f"row {row} column {column} set to {_short(value)}")


@st.composite
def csv_row_duplicated(draw: st.DrawFn, data: bytes) -> Mutated:
    lines = data.split(b"\n")
    index = draw(st.integers(0, len(lines) - 1))
    lines.insert(draw(st.integers(0, len(lines))), lines[index])
    return Mutated(b"\n".join(lines), f"line {index} duplicated")


@st.composite
def ical_property_swapped(draw: st.DrawFn, data: bytes) -> Mutated:
    lines = data.split(b"\n")
    candidates = [
        i for i, line in enumerate(lines) if b":" in line and not line.startswith((b"BEGIN", b"END"))
    ]
    if not candidates:
        return Mutated(data, "nothing changed")
    index = draw(st.sampled_from(candidates))
    name = lines[index].split(b":", 1)[0]
    value = draw(
        st.sampled_from(
            [
                b"",
                b"x",
                b"FREQ=SECONDLY",
                b"FREQ=DAILY;INTERVAL=0",
                b"FREQ=WEEKLY;BYDAY=XX",
                b"FREQ=DAILY;UNTIL=00010101",
                b"99999999T999999Z",
                b"00010101T000000Z",
                b"99991231T235959Z",
                b"20261327",
                b"-PT1H",
                b"P99999999D",
                b"\xff\xfe",
                b"a" * 100_001,
            ]
        )
    )
    lines[index] = name + b":" + value
    return Mutated(b"\n".join(lines), f"line {index} ({name!r}) set to {value[:30]!r}")


@st.composite
def ical_block_duplicated(draw: st.DrawFn, data: bytes) -> Mutated:
    blocks = list(re.finditer(rb"BEGIN:(VEVENT|VTODO|VTIMEZONE|VALARM).*?END:\1\r?\n", data, re.S))
    if not blocks:
        return Mutated(data + data, "the whole file twice")
    block = draw(st.sampled_from(blocks))
    times = draw(st.sampled_from([2, 50]))
    return Mutated(
        data[: block.end()] + block.group(0) * (times - 1) + data[block.end() :],
        f"{block.group(1).decode()} at {block.start()} {times} times",
    )


# --- Per kind of file --------------------------------------------------------------------------------


def _bytes_level(data: bytes) -> list[st.SearchStrategy[Mutated]]:
    return [
        truncated(data),
        flipped(data),
        reencoded(data),
        time_shifted(data),
        blown_up(data),
        wrapped_deep(data),
    ]


def mutated_json(data: bytes) -> st.SearchStrategy[Mutated]:
    """One mutation of a JSON file: of its bytes, or (more often) of its structure."""
    document = json.loads(data)
    structural = [field_swapped(document), field_dropped(document), duplicated(document)]
    return st.one_of(*structural, *structural, *_bytes_level(data))


def mutated_csv(data: bytes) -> st.SearchStrategy[Mutated]:
    """One mutation of a CSV file: its bytes, a cell, or a row twice."""
    return st.one_of(
        csv_cell_swapped(data), csv_cell_swapped(data), csv_row_duplicated(data), *_bytes_level(data)
    )


def mutated_ical(data: bytes) -> st.SearchStrategy[Mutated]:
    """One mutation of a calendar file: its bytes, a property's value, or a component repeated."""
    return st.one_of(
        ical_property_swapped(data),
        ical_property_swapped(data),
        ical_block_duplicated(data),
        *_bytes_level(data),
    )
