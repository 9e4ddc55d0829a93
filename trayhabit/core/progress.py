"""How long work tells its caller how far it got, and learns that it should stop.

Use cases that may take long (a sync's first pull of another computer's years, a large import or
export) accept two optional callables, so that the app can run them on a worker thread, show a
progress bar and offer Cancel, while the core knows nothing of threads or Qt:

- ``progress(done, total, what)``: *done* of *total* steps are behind it; *what* says in the user's
  words what is being done now ("Reading 2021-03.json"). Called on the thread the work runs on.
- ``cancelled()``: whether the user asked to stop. Work asks it only where stopping is safe (before
  its write starts) and then raises :class:`CancelledError`, having changed nothing.
"""

from __future__ import annotations

from collections.abc import Callable

#: ``progress(done, total, what)``; see the module.
Progress = Callable[[int, int, str], None]
#: ``cancelled()``; see the module.
CancelCheck = Callable[[], bool]


class CancelledError(Exception):
    """The user asked long work to stop before it wrote anything; nothing was changed."""


def report(progress: Progress | None, done: int, total: int, what: str) -> None:
    """Tell *progress* (if any) that *done* of *total* steps are behind, doing *what*."""
    if progress is not None:
        progress(done, total, what)


def stop_if_cancelled(cancelled: CancelCheck | None) -> None:
    """Raise :class:`CancelledError` when the caller asked to stop (call it only where stopping is safe)."""
    if cancelled is not None and cancelled():
        raise CancelledError
