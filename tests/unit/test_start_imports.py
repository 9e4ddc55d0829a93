"""What the running app loads at start-up: nothing heavy that no reminder or window has asked for yet.

Each module below holds megabytes for the app's whole life once imported (OpenSSL's libcrypto behind
hashlib, the notification stack with asyncio and dbus-fast...), so the app loads them only on first
need. This test notices when a change brings one back into the start path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HELPER = REPO / "tests" / "helpers" / "start_imports.py"


def test_starting_the_app_loads_no_notification_stack_nor_hashlib(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen", "TZ": "Europe/Stockholm"}
    result = subprocess.run(
        [sys.executable, str(HELPER), str(tmp_path / "data")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == []
