"""Show the windows at a scale the caller's Qt is set to, and say what does not fit, as JSON.

Qt reads its scale when it starts, once per process, so ``tests/qt/test_looks_200.py`` runs this in a
process of its own with ``QT_SCALE_FACTOR=2`` on an offscreen screen of 2560x1600 pixels (1280x800
at 200 %). It opens the check-off, habits (on the Progress tab) and settings windows with the
README's habits, saves each as ``<window>-200.png`` in the folder given, and prints for each its
size, the size of its picture in pixels, the device pixel ratio it is painted at, and what does not
fit at its default size and at its smallest (:func:`tests.qt.test_windows_fit.problems`, and buttons
narrower than their text).

    python -m tests.helpers.render_windows OUT_DIR
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget


def clipped_buttons(window: QWidget) -> list[str]:
    """Each visible button of *window* smaller than its text and icon need."""
    found = []
    for button in window.findChildren(QAbstractButton):
        if not button.isVisible() or not button.text():
            continue
        hint, size = button.sizeHint(), button.size()
        if hint.width() > size.width() or hint.height() > size.height():
            found.append(
                f"button {button.text()!r} is cut off: needs {hint.width()}x{hint.height()}, "
                f"has {size.width()}x{size.height()}"
            )
    return found


def main(out: Path) -> int:
    app = QApplication(sys.argv[:1])
    # Imported once the application exists: the windows' modules create fonts at import time.
    from tests.helpers.clock import FakeClock
    from tests.helpers.looks import NOW, grab, open_windows, settle, show_habits
    from tests.qt.test_windows_fit import problems
    from trayhabit.app.habits_model import HabitsModel
    from trayhabit.core.service import HabitService
    from trayhabit.core.store import Store

    out.mkdir(parents=True, exist_ok=True)
    report = {}
    with tempfile.TemporaryDirectory() as folder:
        clock = FakeClock(NOW)
        store = Store(Path(folder) / "data", clock=clock)
        store.open()
        model = HabitsModel(HabitService(store, clock))
        habit_id = show_habits(model, clock)
        windows = open_windows(model, habit_id, Path(folder) / "config")
        for name, window in windows.items():
            image = grab(window)
            image.save(str(out / f"{name}-200.png"), "PNG", 0)  # 0: the smallest file
            size = window.size()
            at_default = problems(window) + clipped_buttons(window)
            window.resize(1, 1)  # the layout holds it at its smallest allowed size
            settle()
            at_smallest = problems(window) + clipped_buttons(window)
            report[name] = {
                "size": [size.width(), size.height()],
                "image": [image.width(), image.height()],
                "device_pixel_ratio": window.devicePixelRatio(),
                "screen": [
                    window.screen().availableGeometry().width(),
                    window.screen().availableGeometry().height(),
                ],
                "problems": at_default + [f"at its smallest: {problem}" for problem in at_smallest],
            }
            window.close()
        model.worker.wait(60_000)
    app.processEvents()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
