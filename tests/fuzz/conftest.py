"""The fuzz suite's Hypothesis profiles are registered on import (see :mod:`tests.fuzz.profiles`)."""

from __future__ import annotations

from tests.fuzz import profiles

__all__ = ["profiles"]
