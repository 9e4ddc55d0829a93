"""``trayhabit --smoke-test``: what installers and frozen bundles run to prove they work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def smoke(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), **env}
    environment.pop("DISPLAY", None)
    return subprocess.run(
        [sys.executable, "-m", "trayhabit", "--smoke-test"],
        check=False,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


def test_a_complete_installation_passes_and_says_what_it_checked(tmp_path: Path):
    result = smoke(tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "smoke test passed"
    assert "ok: importing the notification backends: desktop_notifier.backends.dbus" in result.stdout
    assert "ok: loading the translations: Swedish (Avsluta TrayHabit)" in lines
    # It leaves nothing behind: no data folder of its own in the home folder.
    assert not (tmp_path / ".local" / "share" / "TrayHabit").exists()


def test_a_bundle_that_lost_its_notification_backend_fails_with_one_clear_line(tmp_path: Path):
    # A stand-in package that fails to import, as a module left out of a frozen bundle would.
    broken = tmp_path / "broken" / "desktop_notifier"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("raise ImportError('left out of the bundle')\n")
    result = smoke(tmp_path, PYTHONPATH=os.pathsep.join([str(broken.parent), *sys.path]))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("trayhabit:")]
    assert errors == [
        "trayhabit: smoke test failed while importing the notification backends: "
        "ImportError: left out of the bundle"
    ]
    assert "smoke test passed" not in result.stdout


def test_a_bundle_without_the_caldav_client_module_fails_at_the_login(tmp_path: Path):
    # caldav loads its client only when first used, so importing the package passes without it: as
    # in the frozen bundle before its hidden imports named the client's modules.
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(
        "import sys\n"
        "class LeftOut:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'caldav.davclient':\n"
        "            raise ModuleNotFoundError(\"No module named 'caldav.davclient'\")\n"
        "sys.meta_path.insert(0, LeftOut())\n"
    )
    result = smoke(tmp_path, PYTHONPATH=os.pathsep.join([str(blocker), *sys.path]))
    assert result.returncode == 1
    assert "ok: importing the CalDAV client and the credential store" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("trayhabit:")]
    assert errors == [
        "trayhabit: smoke test failed while logging in to a CalDAV server: "
        "ModuleNotFoundError: No module named 'caldav.davclient'"
    ]
