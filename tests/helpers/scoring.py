"""Waiting for the scores the app walks on its worker (a long history's new schedule, a first sync)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from trayhabit.app.habits_model import HabitsModel


def wait_scored(model: HabitsModel) -> None:
    """Return once no habit of *model* waits for its history to be walked: each walk's work is
    waited for on the worker, then its result delivered here (which may start the next walk)."""
    for _round in range(20):
        if not model.is_scoring():
            return
        assert model.worker.wait(60_000), "a walk of the history did not end within a minute"
        QCoreApplication.processEvents()
    raise AssertionError("the habits kept waiting for their scores")
