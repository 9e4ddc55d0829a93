"""The store's errors: those the user reads, and those that stay inside the package."""

from __future__ import annotations

from trayhabit.core.errors import UserError


class StoreError(UserError):
    """A problem with the data folder; ``str(error)`` is one line that tells the user what to do."""


class NewerSchemaError(StoreError):
    """A file was written by a newer TrayHabit; it is refused and left exactly as it is."""


class StoreLockedError(StoreError):
    """Another process held the data folder's lock for longer than the store would wait."""


class InvalidError(ValueError):
    """A file parsed, or not, into something other than the structure its schema describes.

    ``str()`` is the detail for the log; ``reason``, when given, completes a sentence for the user
    ("habit 3: its schedule is not a rule"); without one the user reads that the file's structure is
    not TrayHabit's.
    """

    def __init__(self, detail: str, reason: str = "") -> None:
        super().__init__(detail)
        self.reason = reason


class DamagedError(StoreError):
    """A file that was sound when loaded turned out damaged while writing (not expected under the lock)."""
