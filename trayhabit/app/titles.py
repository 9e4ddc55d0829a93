"""Window titles that name TrayHabit once, on every platform.

On X11, Wayland and Windows, Qt appends the application's display name to a window's title unless
the title already ends with it (QPlatformWindow::formatWindowTitle); on macOS it shows the title as
set. A title written "TrayHabit — Habits" therefore read "TrayHabit — Habits — TrayHabit" on Linux.
A title that ends with the name, "Habits — TrayHabit", reads the same everywhere.
"""

from __future__ import annotations

#: The display name the app sets (QGuiApplication.applicationDisplayName) and every title ends with.
APP_NAME = "TrayHabit"


def window_title(name: str) -> str:
    """The title of the window called *name* (already translated): "Habits — TrayHabit"."""
    return f"{name} — {APP_NAME}"
