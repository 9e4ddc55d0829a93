"""What the desktop's notification centre asks of the app on each platform.

- **Windows** shows a toast only for a known AppUserModelID. The installer's Start-menu shortcut
  carries :data:`APP_USER_MODEL_ID`; the process claims the same id at start-up, and the id is
  registered under ``HKCU\\Software\\Classes\\AppUserModelId`` with the name and icon a toast shows
  (so that a run without the installer, from pip, also gets its toasts).
- **macOS** delivers notifications only to an app bundle with a bundle identifier (the signed
  ``TrayHabit.app``); run from Python, the native backend is unavailable and the Qt tray's messages
  take over.
- **Linux** needs a notification server on the session bus (the desktop provides one).

The functions take the platform modules (``winreg``, ``ctypes.windll.shell32``) as arguments, so the
tests drive them with fakes on any platform.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

# The id of the Start-menu shortcut, the process and the toasts on Windows: Company.Product.
APP_USER_MODEL_ID = "TrayHabit.TrayHabit"
# The name the notification centre shows as the sender.
DISPLAY_NAME = "TrayHabit"
# The key where Windows looks up an unpackaged app's toast name and icon.
APP_USER_MODEL_KEY = "SOFTWARE\\Classes\\AppUserModelId\\" + APP_USER_MODEL_ID


def notifier_app_name(platform: str) -> str:
    """The name desktop-notifier is given: on Windows it doubles as the AppUserModelID."""
    return APP_USER_MODEL_ID if platform == "win32" else DISPLAY_NAME


def set_process_app_user_model_id(shell32: Any) -> None:
    """Claim the shortcut's AppUserModelID for this process (Windows), so toasts and the taskbar
    belong to the installed app; *shell32* is ``ctypes.windll.shell32``."""
    result = shell32.SetCurrentProcessExplicitAppUserModelID(APP_USER_MODEL_ID)
    if result != 0:
        raise OSError(f"SetCurrentProcessExplicitAppUserModelID failed with HRESULT {result:#010x}")


def register_app_user_model_id(registry: Any, icon: Path | None) -> None:
    """Record the toast's sender name and icon for :data:`APP_USER_MODEL_ID` (Windows).

    *registry* is the ``winreg`` module. desktop-notifier registers the id with the id itself as the
    name; this gives it the app's name and a PNG icon (toasts cannot show SVG).
    """
    with registry.CreateKeyEx(registry.HKEY_CURRENT_USER, APP_USER_MODEL_KEY) as key:
        registry.SetValueEx(key, "DisplayName", 0, registry.REG_SZ, DISPLAY_NAME)
        if icon is not None:
            registry.SetValueEx(key, "IconUri", 0, registry.REG_SZ, str(icon))


def unavailable_reason(platform: str) -> str:
    """Why desktop-notifier has no backend here (it fell back to its dummy one)."""
    if platform == "darwin":
        return QCoreApplication.translate(
            "Notifier", "macOS shows notifications only from the TrayHabit app bundle, not from Python"
        )
    return QCoreApplication.translate(
        "Notifier", "this system has no notification centre that TrayHabit knows"
    )
