"""Last writer wins: which of two versions of a habit is the one to keep.

Import and sync both meet a habit that exists here already in another version, and both must keep
the same one, or a file imported on one computer and synced to another would leave them disagreeing.
The rule orders versions by when they were last changed (``updated_at``, else ``created_at``, as an
instant, so offsets compare right), then by which device changed them (``updated_by``), then by the
document itself: a total order, so every computer picks the same version whatever order the versions
arrive in, and taking in the same version twice changes nothing. A version with no time at all
(blank cells in a CSV) counts as older than any version with one.
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


def wins(incoming: dict[str, Any], local: dict[str, Any] | None) -> bool:
    """Whether the habit document *incoming* replaces the version *local* (None: there is none)."""
    return local is None or habit_order(incoming) > habit_order(local)
