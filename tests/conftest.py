"""Fixtures every kind of test shares."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def screenshots_dir(tmp_path: Path) -> Path:
    """Where the screenshots go: docs/screenshots (which the README shows) under
    ``make screenshots`` (UPDATE_SCREENSHOTS=1), else a temp folder, so a test run leaves the
    work tree as it was."""
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        return Path(__file__).resolve().parents[1] / "docs" / "screenshots"
    return tmp_path / "screenshots"
