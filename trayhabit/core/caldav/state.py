"""What the CalDAV sync remembers between runs, in the data folder's cache (``cache/caldav.json``).

Per habit: where its task is on the server (href), the ETag it had when last written or read, what
TrayHabit last sent (the habit's fingerprint, so an unchanged habit is not sent again) and the task
as last seen (name, why, rule, time, and the series' start, ``anchor``, from which a Tasks.org style
completion is read as a move). Besides that, when the last sync ended well and the last error, for
``trayhabit caldav status``.

Derived data: the file may be lost or damaged at any time. Without it, the next sync finds every
habit's task again by its UID (which comes from the habit's id) and compares it in full once; it
never creates a second task, and a completion read twice counts once (see
:mod:`trayhabit.core.caldav.engine`). What is lost is a Tasks.org style move made meanwhile, which
the file alone remembers the start of.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from trayhabit.core import jsontext
from trayhabit.core.atomic import write_atomic

log = logging.getLogger(__name__)

STATE_FILE = "caldav.json"


@dataclass
class TaskState:
    """One habit's task: where it is, its ETag, and what was sent and seen."""

    href: str
    etag: str = ""
    sent: str = ""  # the habit's fingerprint when its task was last written
    name: str = ""  # the task as last seen (written, or read and taken in)
    why: str = ""
    rrule: str = ""
    at: str = ""  # HH:MM[:SS], wall clock
    anchor: str = ""  # the series' start (DUE, else DTSTART) as last seen: ISO wall-clock time


@dataclass
class SyncState:
    """The sync's memory for one account (see the module's docstring)."""

    path: Path
    account: str = ""
    tasks: dict[str, TaskState] = field(default_factory=dict)
    last_sync: str = ""  # ISO time of the last sync that ended well
    last_error: str = ""  # the last sync's error, in the person's words; empty after one that ended well
    last_error_at: str = ""

    @classmethod
    def load(cls, data_dir: Path, account: str) -> SyncState:
        """The memory for *account* (:attr:`Account.sync_key <trayhabit.core.caldav.account.Account.sync_key>`);
        empty when there is none, or it was another account's or list's."""
        path = data_dir / "cache" / STATE_FILE
        state = cls(path, account)
        try:
            parsed = jsontext.loads(path.read_bytes())
            if parsed.get("account") != account:
                return state
            state.tasks = {
                str(habit_id): TaskState(**{key: str(value) for key, value in task.items()})
                for habit_id, task in parsed.get("tasks", {}).items()
            }
            state.last_sync = str(parsed.get("last_sync", ""))
            state.last_error = str(parsed.get("last_error", ""))
            state.last_error_at = str(parsed.get("last_error_at", ""))
        except FileNotFoundError:
            pass
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            # Derived data: a damaged file costs one full comparison, nothing else.
            log.warning("caldav: %s is damaged (%s); comparing every task afresh", path, error)
            state.tasks = {}
        return state

    def to_json(self) -> dict[str, Any]:
        """The memory as a JSON object."""
        return {
            "account": self.account,
            "tasks": {habit_id: asdict(task) for habit_id, task in sorted(self.tasks.items())},
            "last_sync": self.last_sync,
            "last_error": self.last_error,
            "last_error_at": self.last_error_at,
        }

    def save(self) -> None:
        """Write the memory down (atomically: a crash leaves the old or the new file)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, jsontext.dumps(self.to_json(), sort_keys=True, indent=1))

    @staticmethod
    def forget(data_dir: Path) -> None:
        """Remove the memory (the account was disconnected)."""
        (data_dir / "cache" / STATE_FILE).unlink(missing_ok=True)
