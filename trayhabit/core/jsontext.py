"""JSON text in and out, for every file TrayHabit writes: the standard library's parser and encoder.

The store, the caches, sync, import and export all go through here. orjson did this job before and
is several times faster at writing, but it is a compiled library of its own that the tray carried
all day (a quarter of a megabyte of resident memory for a few milliseconds a day: a check-off
writes a few kilobytes). The output is compact UTF-8, as orjson's was; dates and times are written
in ISO 8601, as orjson wrote them; NaN and Infinity, which are not JSON, are refused both ways.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any


def loads(data: bytes | str, *, object_hook: Callable[[dict[str, Any]], Any] | None = None) -> Any:
    """The value in JSON *data*; raises ValueError (json.JSONDecodeError is one) when it is not JSON.

    *object_hook*, if given, gets each object as it is parsed, and what it returns stands for it.
    A value nested so deeply that the parser would exhaust the interpreter's recursion limit is
    refused with a ValueError too; shallower nesting past the limits of
    :mod:`trayhabit.core.limits` is refused where the value is checked.
    """
    try:
        return json.loads(data, object_hook=object_hook, parse_constant=_refuse_constant)
    except RecursionError:
        # The C parser guards its recursion with the interpreter's limit: a file of ten thousand
        # "[" ends here, before anything was built from it.
        from trayhabit.core.limits import too_deep  # only on this rare path: it loads gettext

        raise ValueError(too_deep()) from None


def dumps(value: Any, *, sort_keys: bool = False, indent: int | None = None) -> bytes:
    """*value* as UTF-8 JSON: compact, or indented by *indent* spaces. Raises TypeError for what JSON
    cannot hold and ValueError for NaN and Infinity."""
    text = json.dumps(
        value,
        ensure_ascii=False,
        allow_nan=False,
        sort_keys=sort_keys,
        indent=indent,
        separators=(",", ": ") if indent is not None else (",", ":"),
        default=_iso,
    )
    return text.encode()


def _iso(value: Any) -> str:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
