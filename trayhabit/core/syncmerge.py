"""The merge rules of sync: by which order the last writer of a habit or a shared setting wins.

Every computer orders the versions of a document the same way (when, which device, then the
document itself), so whatever order the files arrive in, all end with the same one (see
:mod:`trayhabit.core.sync`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from trayhabit.core import jsontext, lww
from trayhabit.core.settings import SETTING_STAMPS, SPECS

# One rule for a habit's versions, shared with import (see lww); the settings' stamps follow it.
NEVER = lww.NEVER
habit_order = lww.habit_order


def setting_order(stamp: dict[str, Any]) -> tuple[datetime, str, bytes]:
    """The key by which the last writer of a shared setting wins (a stamp: value, changed_at, device)."""
    return (
        lww.instant(stamp.get("changed_at")),
        str(stamp.get("device") or ""),
        jsontext.dumps(stamp.get("value"), sort_keys=True),
    )


def setting_stamps(settings: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The shared settings of a store's stored settings, each with its stamp (when, by which device)."""
    stamps = settings.get(SETTING_STAMPS)
    stamps = stamps if isinstance(stamps, dict) else {}
    result: dict[str, dict[str, Any]] = {}
    for key, value in settings.items():
        spec = SPECS.get(key)
        if spec is None or not spec.shared:
            continue
        stamp = stamps.get(key)
        changed_at, device = stamp if isinstance(stamp, list) and len(stamp) == 2 else ("", "")
        result[key] = {"value": value, "changed_at": changed_at, "device": device}
    return result
