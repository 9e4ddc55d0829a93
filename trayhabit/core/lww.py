"""Last writer wins: which of two versions of a habit is the one to keep.

Import and sync both meet a habit that exists here already in another version, and both must keep
the same one, or a file imported on one computer and synced to another would leave them disagreeing.
The rule orders versions by when they were last changed (``updated_at``, else ``created_at``, as an
instant, so offsets compare right), then by which device changed them (``updated_by``), then by the
document itself: a total order, so every computer picks the same version whatever order the versions
arrive in, and taking in the same version twice changes nothing. A version with no time at all
(blank cells in a CSV) counts as older than any version with one. The habit's place in the person's
order is a register of its own, stamped when it is set (``position_at``) and merged by the same kind
of order (:func:`merged`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from trayhabit.core import jsontext

#: Earlier than any time a version can carry.
NEVER = datetime.min.replace(tzinfo=UTC)


def instant(text: object) -> datetime:
    """An ISO time as an aware UTC instant; the earliest instant if unset or not a time."""
    if isinstance(text, str) and text:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return NEVER


def habit_order(doc: dict[str, Any]) -> tuple[datetime, str, bytes]:
    """The key by which the last writer of a habit wins: when, which device, then the document."""
    return (
        instant(doc.get("updated_at") or doc.get("created_at")),
        str(doc.get("updated_by") or ""),
        jsontext.dumps(doc, sort_keys=True),
    )


def position_order(doc: dict[str, Any]) -> tuple[datetime, str, bytes]:
    """The key by which the last order set wins a habit's place in the lists: when it was set,
    which device set it, then the place itself."""
    return (
        instant(doc.get("position_at")),
        str(doc.get("updated_by") or ""),
        jsontext.dumps(doc.get("position"), sort_keys=True),
    )


def merged(incoming: dict[str, Any], local: dict[str, Any] | None) -> dict[str, Any] | None:
    """The version of a habit to keep when *incoming* meets *local* (None: there is none), or None
    when *local* stands as it is.

    The document is the last writer's (:func:`habit_order`), but its place in the lists is merged on
    its own (:func:`position_order`): a new order made on one computer keeps a rename made on
    another, and the other way round.
    """
    if local is None:
        return incoming
    base = incoming if habit_order(incoming) > habit_order(local) else local
    placed = incoming if position_order(incoming) > position_order(local) else local
    result = dict(base)
    for key in ("position", "position_at"):
        if key in placed:
            result[key] = placed[key]
        else:
            result.pop(key, None)
    return None if result == local else result


def wins(incoming: dict[str, Any], local: dict[str, Any] | None) -> bool:
    """Whether the habit document *incoming* replaces the version *local* (None: there is none)."""
    return local is None or habit_order(incoming) > habit_order(local)
