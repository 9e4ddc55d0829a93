"""The floor: the least a PySide6 tray app can be (one icon, one menu), to compare TrayHabit with.

Run as a script (``python bench/floor_app.py``) under a display with a tray host; it never ends by
itself. Nothing here may grow beyond what every tray app needs, or the ratios stop meaning anything.
"""

import sys

from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon


def main() -> int:
    """Show the icon with its menu and run the event loop."""
    app = QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    pixmap = QPixmap(22, 22)
    pixmap.fill(QColor("#3a7bd5"))
    menu = QMenu()
    for text in ("Check off…", "Habits…", "Settings…"):
        menu.addAction(text)
    menu.addSeparator()
    menu.addAction("Quit", app.quit)
    tray = QSystemTrayIcon(QIcon(pixmap))
    tray.setContextMenu(menu)
    tray.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
