"""The tray and application icons: PNGs in ``trayhabit/resources/icons/png``, drawn from SVG artwork.

The tray artwork is drawn on a 32-unit grid whose strokes fall on whole pixels at 16 and 32 px. Each
icon is rendered once per standard tray size (and its 200 % double), so that the tray, which asks
for a fixed size, gets a pixmap drawn for that size instead of a scaled one; the D-Bus tray on Linux
also sends exactly these sizes to the panel.

The SVG files (``resources/icons`` at the top of the repository) are the sources; the app loads PNGs
rendered from them at those sizes (``trayhabit/resources/icons/png``, written by ``make icons``), so
it never loads Qt's SVG module, which would hold about 4 MiB of memory for the app's whole life. A
rough check on 2026-12-01 (VmRSS before and after drawing the app icon at 64 px, offscreen): from its
SVG, 3.3 MiB more; from its PNG, 1.2 MiB more. A PNG is read only when a size of it is first asked
for.

Three variants per state: ``light`` (a dark glyph for light panels), ``dark`` (a light glyph for dark
panels) and ``template`` (black on transparent; macOS tints it to suit the menu bar).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QGuiApplication, QIcon

#: The tray icon's states, in the order they win: paused beats waiting beats normal.
STATES = ("normal", "waiting", "paused")

#: Tray sizes at 100 % (16, 22, 24, 32) and their 200 % doubles (32, 44, 48, 64).
TRAY_SIZES = (16, 22, 24, 32, 44, 48, 64)
APP_SIZES = (16, 24, 32, 48, 64, 128, 256)

# Linux desktops whose panel is dark whatever the colour scheme (XDG_CURRENT_DESKTOP, upper case).
DARK_PANEL_DESKTOPS = frozenset({"GNOME", "SWAY", "HYPRLAND"})

# Windows keeps the taskbar's colour apart from the apps' colour scheme, which is what Qt reports.
_WINDOWS_THEME_KEY = r"HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Themes\Personalize"


# Next to the code, as in an installed and in a frozen app (PyInstaller keeps the package's layout);
# importlib.resources would say the same, at 5 ms of importing before the icon can show.
ICONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"


def icon_data(name: str) -> bytes:
    """The bytes of one file of ``resources/icons``."""
    return (ICONS_DIR / name).read_bytes()


def png_name(stem: str, size: int) -> str:
    """The pre-rendered PNG of the artwork *stem* (an SVG file's name without ``.svg``) at *size*."""
    return f"png/{stem}-{size}.png"


def tray_icon_name(state: str, *, dark_panel: bool, platform: str = sys.platform) -> str:
    """The file name of the tray artwork (its SVG source) for *state* on a panel of the given brightness."""
    if state not in STATES:
        raise ValueError(f"unknown tray icon state {state!r}; expected one of {', '.join(STATES)}")
    if platform == "darwin":
        return f"tray-{state}-template.svg"
    return f"tray-{state}-{'dark' if dark_panel else 'light'}.svg"


def tray_icon(state: str, *, dark_panel: bool | None = None) -> QIcon:
    """The tray icon for *state* (``normal``, ``waiting`` or ``paused``).

    *dark_panel* chooses the light glyph; None guesses from the platform (see :func:`panel_is_dark`).
    On macOS the icon is a template that the menu bar tints, whatever *dark_panel* says.
    """
    dark = panel_is_dark() if dark_panel is None else dark_panel
    name = tray_icon_name(state, dark_panel=dark)
    icon = load_icon(name.removesuffix(".svg"), TRAY_SIZES)
    if name.endswith("-template.svg"):
        icon.setIsMask(True)
    return icon


def app_icon() -> QIcon:
    """The colourful application icon, for windows and notifications."""
    return load_icon("trayhabit", APP_SIZES)


def app_icon_png(folder: Path, size: int = 256) -> Path:
    """The application icon as a PNG file in *folder*, for notification centres, which take a file
    (and on Windows cannot show SVG). Rewritten only when the artwork changed."""
    from trayhabit.core.atomic import write_atomic  # for the first notification, not the start

    data = icon_data(png_name("trayhabit", size))
    path = folder / f"trayhabit-{size}.png"
    if not path.is_file() or path.read_bytes() != data:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
    return path


def load_icon(stem: str, sizes: tuple[int, ...]) -> QIcon:
    """An icon of the artwork *stem* at each of *sizes*, from its pre-rendered PNGs; Qt reads each
    file only when that size is first drawn."""
    icon = QIcon()
    for size in sizes:
        path = ICONS_DIR / png_name(stem, size)
        if not path.is_file():
            raise FileNotFoundError(f"the icon {path} is missing; run `make icons`")
        icon.addFile(str(path), QSize(size, size))
    return icon


def panel_is_dark() -> bool:
    """A best guess at whether the tray sits on a dark panel.

    Windows says so in the registry (the taskbar may be dark while apps are light); GNOME's top bar
    is dark in both its light and dark styles, and so are the bars of sway (swaybar, black) and
    Hyprland (waybar) unless restyled; elsewhere the panel follows the colour scheme.
    """
    if sys.platform == "win32":
        settings = QSettings(_WINDOWS_THEME_KEY, QSettings.Format.NativeFormat)
        value = settings.value("SystemUsesLightTheme")
        if value is not None:
            return str(value) == "0"
    elif sys.platform.startswith("linux"):
        desktops = os.environ.get("XDG_CURRENT_DESKTOP", "").upper().split(":")
        if DARK_PANEL_DESKTOPS.intersection(desktops):
            return True
    # The palette's window colour rather than styleHints().colorScheme(): any value of the Qt namespace's
    # enums (Qt.ColorScheme) makes PySide6 build all of them, about 16 ms before the icon can show.
    # The palette follows the colour scheme (Qt itself tells a dark scheme from it where the platform
    # does not say).
    return QGuiApplication.palette().window().color().lightness() < 128
