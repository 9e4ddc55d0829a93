"""Start TrayHabit when the user logs in: an XDG autostart entry, a Run value or a LaunchAgent.

Each platform keeps its own list of programs to start at login:

- Linux and the BSDs: ``$XDG_CONFIG_HOME/autostart/trayhabit.desktop`` (the XDG Autostart spec);
- Windows: the value ``TrayHabit`` under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``;
- macOS: ``~/Library/LaunchAgents/org.trayhabit.TrayHabit.plist``, loaded by launchd at the next login.

The module has no Qt in it, and every platform can be exercised on any other: paths are passed in,
and the Windows registry sits behind :class:`RegistryLike` so a test can give a fake.
"""

from __future__ import annotations

import configparser
import os
import plistlib
import subprocess
import sys
from pathlib import Path
from typing import Protocol

from trayhabit.core.atomic import write_atomic
from trayhabit.core.errors import UserError
from trayhabit.core.i18n import _

DESKTOP_FILE = "trayhabit.desktop"
RUN_VALUE = "TrayHabit"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
LAUNCH_AGENT_LABEL = "org.trayhabit.TrayHabit"

# Desktop Entry spec, "The Exec key": an argument holding any of these must be quoted.
_EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
# ...and inside the double quotes these four must be escaped with a backslash.
_EXEC_ESCAPED_IN_QUOTES = frozenset('"`$\\')


class AutostartError(UserError):
    """Start at login could not be turned on or off; the message says what failed and what to do."""


class RegistryLike(Protocol):
    """The few operations on the current user's Run key that autostart needs (winreg, or a fake)."""

    def read(self, name: str) -> str | None:
        """The value *name*, or None when there is none."""

    def write(self, name: str, value: str) -> None:
        """Set *name* to the string *value*; raise OSError on failure."""

    def delete(self, name: str) -> None:
        """Remove *name* if present; raise OSError on failure."""


class WindowsRunKey:
    """``HKEY_CURRENT_USER\\...\\CurrentVersion\\Run`` through :mod:`winreg` (Windows only)."""

    def read(self, name: str) -> str | None:
        """The value *name*, or None when there is none."""
        if sys.platform != "win32":
            raise OSError("the Windows registry exists only on Windows")
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                value, _kind = winreg.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        return str(value)

    def write(self, name: str, value: str) -> None:
        """Set *name* to the string *value*."""
        if sys.platform != "win32":
            raise OSError("the Windows registry exists only on Windows")
        import winreg

        with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
            winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)

    def delete(self, name: str) -> None:
        """Remove *name* if present."""
        if sys.platform != "win32":
            raise OSError("the Windows registry exists only on Windows")
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, name)
        except FileNotFoundError:
            return


def default_command() -> list[str]:
    """The command that starts this TrayHabit: the frozen executable, or this Python with ``-m``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    python = Path(sys.executable)
    if sys.platform == "win32" and python.name.lower() == "python.exe":
        # python.exe would open a console window at every login; pythonw.exe runs without one.
        windowless = python.with_name("pythonw.exe")
        if windowless.exists():
            python = windowless
    return [str(python), "-m", "trayhabit"]


def quote_exec_argument(argument: str) -> str:
    """One argument as the Desktop Entry spec's Exec key wants it (before the string-value escapes)."""
    # A literal percent sign is written %% everywhere in Exec, quoted or not: %f, %u... are field codes.
    argument = argument.replace("%", "%%")
    if argument and not any(char in _EXEC_RESERVED for char in argument):
        return argument
    escaped = "".join("\\" + char if char in _EXEC_ESCAPED_IN_QUOTES else char for char in argument)
    return f'"{escaped}"'


def exec_line(command: list[str]) -> str:
    """The value of the Exec key for *command*, escaped for a desktop file's string values.

    The spec applies the string-value escapes (``\\\\``, ``\\n``...) before the quoting rule, so a
    backslash inside a quoted argument ends up as four in the file.
    """
    quoted = " ".join(quote_exec_argument(argument) for argument in command)
    return quoted.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


class Autostart:
    """Whether TrayHabit starts at login, and the switch to change it, on the given platform."""

    def __init__(
        self,
        command: list[str],
        *,
        platform: str = sys.platform,
        home: Path | None = None,
        config_home: Path | None = None,
        registry: RegistryLike | None = None,
    ) -> None:
        if not command:
            raise ValueError("the autostart command must not be empty")
        self._command = list(command)
        self._platform = platform
        self._home = home if home is not None else Path.home()
        if config_home is None:
            xdg = os.environ.get("XDG_CONFIG_HOME", "")
            # The XDG spec: a relative value is invalid and must be ignored.
            config_home = Path(xdg) if xdg and Path(xdg).is_absolute() else self._home / ".config"
        self._config_home = config_home
        self._registry = registry

    @property
    def command(self) -> list[str]:
        """The command that runs at login."""
        return list(self._command)

    @property
    def location(self) -> str:
        """Where the entry lives, for messages: a file path or the registry key."""
        if self._is_windows:
            return "HKEY_CURRENT_USER\\" + RUN_KEY
        return str(self._entry_path)

    def is_enabled(self) -> bool:
        """Whether an entry that starts TrayHabit at login is in place."""
        try:
            if self._is_windows:
                return self._run_key().read(RUN_VALUE) is not None
            path = self._entry_path
            if not path.is_file():
                return False
            if self._is_mac:
                return True
            return self._desktop_entry_enabled(path)
        except OSError as error:
            raise AutostartError(
                _("TrayHabit cannot tell whether it starts at login: {where}: {error}").format(
                    where=self.location, error=error.strerror or error
                )
            ) from None

    def set_enabled(self, enabled: bool) -> None:
        """Add or remove the login entry; raise :class:`AutostartError` if the system refuses."""
        try:
            if self._is_windows:
                if enabled:
                    self._run_key().write(RUN_VALUE, subprocess.list2cmdline(self._command))
                else:
                    self._run_key().delete(RUN_VALUE)
            elif enabled:
                path = self._entry_path
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, self._entry_bytes())
            else:
                self._entry_path.unlink(missing_ok=True)
        except OSError as error:
            if enabled:
                message = _(
                    "TrayHabit could not set itself to start at login: {where}: {error}. "
                    "Check that you may write there, then try again."
                )
            else:
                message = _(
                    "TrayHabit could not stop starting at login: {where}: {error}. "
                    "Remove that entry by hand, or check that you may change it, then try again."
                )
            raise AutostartError(message.format(where=self.location, error=error.strerror or error)) from None

    # -- helpers ------------------------------------------------------------------------------------

    @property
    def _is_windows(self) -> bool:
        return self._platform == "win32"

    @property
    def _is_mac(self) -> bool:
        return self._platform == "darwin"

    @property
    def _entry_path(self) -> Path:
        if self._is_mac:
            return self._home / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"
        return self._config_home / "autostart" / DESKTOP_FILE

    def _run_key(self) -> RegistryLike:
        if self._registry is None:
            self._registry = WindowsRunKey()
        return self._registry

    def _entry_bytes(self) -> bytes:
        if self._is_mac:
            agent = {
                "Label": LAUNCH_AGENT_LABEL,
                "ProgramArguments": self._command,
                "RunAtLoad": True,
                # Interactive: launchd gives it the resources of an app the user is using.
                "ProcessType": "Interactive",
            }
            return plistlib.dumps(agent)
        comment = _("Turn reminders into habits, then let the reminders go").replace("\n", " ")
        lines = [
            "[Desktop Entry]",
            "Type=Application",
            "Name=TrayHabit",
            f"Comment={comment}",
            f"Exec={exec_line(self._command)}",
            "Icon=trayhabit",
            "Terminal=false",
            "X-GNOME-Autostart-enabled=true",
            "",
        ]
        return "\n".join(lines).encode("utf-8")

    @staticmethod
    def _desktop_entry_enabled(path: Path) -> bool:
        # A session manager's "disable" edits the user's file rather than deleting it.
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
        try:
            parser.read_string(path.read_text(encoding="utf-8"))
        except (configparser.Error, UnicodeDecodeError):
            return True  # a file we cannot read is still one the session will try to start
        if not parser.has_section("Desktop Entry"):
            return True
        entry = parser["Desktop Entry"]
        hidden = entry.get("Hidden", "false").strip().lower() == "true"
        disabled = entry.get("X-GNOME-Autostart-enabled", "true").strip().lower() == "false"
        return not hidden and not disabled
