"""Start at login: the XDG autostart file for real, the Windows Run value and the macOS LaunchAgent."""

from __future__ import annotations

import configparser
import plistlib
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from trayhabit.autostart import Autostart, AutostartError, default_command, exec_line
from trayhabit.core.errors import UserError

COMMAND = ["/opt/My Apps/python3", "-m", "trayhabit"]


def read_desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


class FakeRegistry:
    """The Run key as a dict, with a switch to make it refuse like a locked-down machine."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.refuse = False

    def read(self, name: str) -> str | None:
        return self.values.get(name)

    def write(self, name: str, value: str) -> None:
        if self.refuse:
            raise PermissionError(13, "Access is denied")
        self.values[name] = value

    def delete(self, name: str) -> None:
        if self.refuse:
            raise PermissionError(13, "Access is denied")
        self.values.pop(name, None)


# -- Linux and the BSDs -------------------------------------------------------------------------------


def test_enabling_on_linux_writes_an_xdg_autostart_entry(tmp_path: Path):
    autostart = Autostart(COMMAND, platform="linux", config_home=tmp_path / "config")
    assert not autostart.is_enabled()

    autostart.set_enabled(True)

    path = tmp_path / "config" / "autostart" / "trayhabit.desktop"
    entry = read_desktop_entry(path)
    assert entry["Type"] == "Application"
    assert entry["Name"] == "TrayHabit"
    assert entry["Icon"] == "trayhabit"
    assert entry["X-GNOME-Autostart-enabled"] == "true"
    assert entry["Comment"]
    assert shlex.split(entry["Exec"]) == COMMAND
    assert autostart.is_enabled()
    assert [p.name for p in path.parent.iterdir()] == ["trayhabit.desktop"]  # no temporary file left


def test_disabling_on_linux_removes_the_entry_and_is_idempotent(tmp_path: Path):
    autostart = Autostart(COMMAND, platform="linux", config_home=tmp_path)
    autostart.set_enabled(True)

    autostart.set_enabled(False)
    autostart.set_enabled(False)

    assert not (tmp_path / "autostart" / "trayhabit.desktop").exists()
    assert not autostart.is_enabled()


def test_config_home_defaults_to_xdg_config_home_then_home_dot_config(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    Autostart(COMMAND, platform="freebsd14", home=tmp_path / "home").set_enabled(True)
    assert (tmp_path / "xdg" / "autostart" / "trayhabit.desktop").is_file()

    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/ignored")
    Autostart(COMMAND, platform="linux", home=tmp_path / "home").set_enabled(True)
    assert (tmp_path / "home" / ".config" / "autostart" / "trayhabit.desktop").is_file()


def test_an_entry_the_desktop_disabled_counts_as_off(tmp_path: Path):
    autostart = Autostart(COMMAND, platform="linux", config_home=tmp_path)
    autostart.set_enabled(True)
    path = tmp_path / "autostart" / "trayhabit.desktop"
    path.write_text(
        path.read_text().replace("X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false")
    )

    assert not autostart.is_enabled()


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["/usr/bin/trayhabit"], "/usr/bin/trayhabit"),
        (["/opt/My Apps/th", "-m", "x"], '"/opt/My Apps/th" -m x'),
        (["/a/$HOME/b"], '"/a/\\\\$HOME/b"'),
        (['say "hi"'], '"say \\\\"hi\\\\""'),
        (["C:\\x"], '"C:\\\\\\\\x"'),
        (["50%"], "50%%"),
        ([""], '""'),
    ],
)
def test_exec_arguments_follow_the_desktop_entry_quoting_rules(command, expected):
    assert exec_line(command) == expected


def test_a_folder_that_cannot_be_written_gives_a_clear_user_error(tmp_path: Path):
    blocker = tmp_path / "config"
    blocker.write_text("a file where the config folder should be")
    autostart = Autostart(COMMAND, platform="linux", config_home=blocker)

    with pytest.raises(AutostartError) as raised:
        autostart.set_enabled(True)

    assert isinstance(raised.value, UserError)
    assert "start at login" in str(raised.value)
    assert str(blocker) in str(raised.value)


# -- Windows --------------------------------------------------------------------------------------------


def test_enabling_on_windows_sets_the_run_value_to_the_quoted_command_line(tmp_path: Path):
    registry = FakeRegistry()
    command = ["C:\\Program Files\\TrayHabit\\TrayHabit.exe"]
    autostart = Autostart(command, platform="win32", home=tmp_path, registry=registry)
    assert not autostart.is_enabled()

    autostart.set_enabled(True)

    assert registry.values == {"TrayHabit": '"C:\\Program Files\\TrayHabit\\TrayHabit.exe"'}
    assert registry.values["TrayHabit"] == subprocess.list2cmdline(command)
    assert autostart.is_enabled()

    autostart.set_enabled(False)

    assert registry.values == {}
    assert not autostart.is_enabled()
    assert not list(tmp_path.iterdir())  # nothing written to disk on Windows


def test_a_registry_refusal_on_windows_becomes_an_autostart_error(tmp_path: Path):
    registry = FakeRegistry()
    registry.refuse = True
    autostart = Autostart(COMMAND, platform="win32", home=tmp_path, registry=registry)

    with pytest.raises(AutostartError, match="Access is denied"):
        autostart.set_enabled(True)


# -- macOS ------------------------------------------------------------------------------------------------


def test_enabling_on_macos_writes_a_launch_agent(tmp_path: Path):
    autostart = Autostart(COMMAND, platform="darwin", home=tmp_path)

    autostart.set_enabled(True)

    path = tmp_path / "Library" / "LaunchAgents" / "org.trayhabit.TrayHabit.plist"
    agent = plistlib.loads(path.read_bytes())
    assert agent == {
        "Label": "org.trayhabit.TrayHabit",
        "ProgramArguments": COMMAND,
        "RunAtLoad": True,
        "ProcessType": "Interactive",
    }
    assert autostart.is_enabled()

    autostart.set_enabled(False)

    assert not path.exists()
    assert not autostart.is_enabled()


# -- the command --------------------------------------------------------------------------------------------


def test_default_command_runs_this_python_or_the_frozen_executable(monkeypatch):
    if sys.platform != "win32":
        assert default_command() == [sys.executable, "-m", "trayhabit"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert default_command() == [sys.executable]
