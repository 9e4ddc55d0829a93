"""What can still be read from a damaged store file: each whole document of each table.

When a store file is damaged and no backup of it is good, the store keeps every document that still
reads and passes :mod:`trayhabit.core.validate`, and sets the rest aside. A file cut short (a full
disk, a copy interrupted) or with a few bytes flipped is mostly sound: its documents are found one by
one, each ``"<id>": {...}`` of a table parsed on its own, so one bad byte costs the document it is in,
not the file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from trayhabit.core import jsontext
from trayhabit.core.limits import depth_exceeds

# A TinyDB document inside a table: its decimal id, then its object.
_DOCUMENT = re.compile(r'"(\d{1,18})"\s*:\s*\{')
_DECODER = json.JSONDecoder(parse_constant=lambda name: None)


@dataclass
class Salvage:
    """The documents found in a damaged file, by table, and whether the file parsed whole."""

    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: False when parts of the file could not be read at all (beyond the documents found).
    whole: bool = True


def salvage(raw: bytes, names: tuple[str, ...]) -> Salvage:
    """The tables *names* of a damaged TinyDB file, with every document that still parses.

    Documents are returned as they are, unchecked: the caller validates each one.
    """
    try:
        parsed = jsontext.loads(raw)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        tables = {name: table for name in names if isinstance(table := parsed.get(name), dict)}
        return Salvage({name: dict(table) for name, table in tables.items()})
    text = raw.decode("utf-8", errors="replace")
    starts = sorted(
        (match.end(), name)
        for name in names
        if (match := re.search(rf'"{re.escape(name)}"\s*:\s*\{{', text)) is not None
    )
    result = Salvage(whole=False)
    for number, (start, name) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(text)
        result.tables[name] = _documents(text, start, end)
    return result


def _documents(text: str, start: int, end: int) -> dict[str, Any]:
    """Every ``"<id>": {...}`` between *start* and *end* that parses on its own."""
    found: dict[str, Any] = {}
    position = start
    while (match := _DOCUMENT.search(text, position, end)) is not None:
        brace = match.end() - 1
        try:
            doc, after = _DECODER.raw_decode(text, brace)
        except (ValueError, RecursionError):
            position = match.end()  # a damaged document: look for the next one after its start
            continue
        if isinstance(doc, dict) and not depth_exceeds(doc):
            found.setdefault(match.group(1), doc)
        position = after
    return found
