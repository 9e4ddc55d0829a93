"""The stable digest behind checkpoints' fingerprints and the history digest (trayhabit/core/digest.py)."""

from __future__ import annotations

import subprocess
import sys

from trayhabit.core.digest import stable_digest


def test_fixed_values() -> None:
    # Fixed, so that a digest written by one run (or platform) is recognised by the next.
    assert stable_digest(b"") == "000000000000000100000000"
    assert stable_digest(b"TrayHabit") == "6533700a1162038900000009"


def test_small_changes_change_the_digest() -> None:
    base = repr([("2025-11", 1764000000123456789, 4096), ("2025-12", 1764500000123456789, 8192)]).encode()
    variants = {base.replace(b"123456789", b"123456780", 1), base.replace(b"4096", b"4097"), base + b" "}
    assert len({stable_digest(data) for data in {base, *variants}}) == 1 + len(variants)


def test_it_loads_no_hashlib() -> None:
    code = "import sys, trayhabit.core.digest; print('hashlib' in sys.modules, '_hashlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]
