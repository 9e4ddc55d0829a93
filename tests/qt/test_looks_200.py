"""The windows at 200 %: painted at twice the pixels, nothing cut off, and they fit a laptop's screen.

A screen at 200 % (a 2560x1600 laptop, Qt's ``QT_SCALE_FACTOR=2``, a Wayland output at scale 2)
gives Qt a device pixel ratio of 2. Qt reads the scale once, when it starts, so the windows are
shown in a process of their own (:mod:`tests.helpers.render_windows`) on an offscreen screen of
2560x1600 pixels, 1280x800 at 200 %. Each window must be painted at 2 pixels a point (sharp, not an
enlarged picture), show every label and button whole, and fit the screen at its default and at its
smallest size. Under ``make screenshots`` the pictures are saved as docs/screenshots'
``*-200.png``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from tests.helpers.looks import WINDOWS

ROOT = Path(__file__).resolve().parents[2]


def test_every_window_at_200_percent_is_sharp_whole_and_fits_the_screen(
    tmp_path: Path, screenshots_dir: Path
) -> None:
    screen = tmp_path / "screen.json"
    screen.write_text(
        json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 2560, "height": 1600, "dpr": 1}]})
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
        "QT_SCALE_FACTOR": "2",
        "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH")))),
        "LANGUAGE": "en",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.helpers.render_windows", str(screenshots_dir)],
        check=False,  # the failure is reported below, with what the process said
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert sorted(report) == sorted(WINDOWS)
    for name, window in report.items():
        width, height = window["size"]
        assert window["screen"] == [1280, 800], name
        assert window["device_pixel_ratio"] == 2, name
        assert window["image"] == [2 * width, 2 * height], name
        assert window["problems"] == [], name
        shot = QImage(str(screenshots_dir / f"{name}-200.png"))
        assert (shot.width(), shot.height()) == (2 * width, 2 * height), name
