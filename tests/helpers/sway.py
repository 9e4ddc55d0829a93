"""A real Wayland desktop with a StatusNotifierItem tray for end-to-end tests: a headless sway.

sway is a Wayland compositor, and its bar, swaybar, is a StatusNotifierItem watcher and host, the
protocol KDE Plasma, GNOME's AppIndicator extension, Cinnamon, XFCE's and LXQt's panels and waybar
speak. With ``WLR_BACKENDS=headless`` it needs no screen and no GPU (``WLR_RENDERER=pixman``).

sway refuses to run as root, and CI runs the tests as root: then the compositor runs as the
unprivileged user :data:`SWAY_USER` (``.ci/run`` and ``scripts/check-system`` create it), while the
app and the test stay root. So the session's files live in a folder that user can read, outside
pytest's own (which only its owner may enter), and the session bus lets every user of this machine
connect (``<allow user="*"/>``), where a stock session bus admits only the one who started it.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.helpers.desktop import Desktop, DesktopError, start_process, stopped_on_failure, wait_until

#: The user sway runs as when the tests run as root.
SWAY_USER = "trayhabit-ci"
REQUIRED_TOOLS = ("sway", "swaybar", "swaymsg", "grim", "dbus-daemon", "runuser")
WIDTH, HEIGHT = 1280, 800

_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

# One output of a laptop's size, and a bar whose tray shows every item (tray_output defaults to the
# first output only once an output is known; say it outright). No XWayland: the app must speak
# Wayland itself here.
_SWAY_CONFIG = f"""output HEADLESS-1 resolution {WIDTH}x{HEIGHT}
xwayland disable
"""
_BAR_CONFIG = """bar {
    position top
    tray_output *
}
"""


def missing_tools() -> list[str]:
    """What a sway desktop needs and this machine lacks: tools, or the unprivileged user."""
    missing = [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SWAY_USER)
        except KeyError:
            missing.append(f"the user {SWAY_USER} (sway will not run as root)")
    return missing


@dataclass
class SwayDesktop(Desktop):
    """A running headless sway with swaybar, its session bus, and the environment for a Wayland app."""

    session_dir: Path = Path()

    def tree(self) -> dict[str, Any]:
        """sway's layout tree (``swaymsg -t get_tree``)."""
        return json.loads(self.run("swaymsg", "--raw", "-t", "get_tree").stdout)

    def windows(self) -> list[dict[str, Any]]:
        """Every application window sway manages, tiled or floating, as its tree describes them."""
        return list(_windows(self.tree()))

    def wait_for_window_titled(self, title: str, timeout: float = 15) -> dict[str, Any]:
        """The window whose title is *title*, once sway shows it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for window in self.windows():
                if window.get("name") == title and window.get("visible"):
                    return window
            time.sleep(0.1)
        titles = [window.get("name") for window in self.windows()]
        raise DesktopError(f"no window titled {title!r} within {timeout} s; windows: {titles}")

    def wait_until_untitled(self, title: str, timeout: float = 15) -> None:
        """Wait until no window titled *title* shows."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not any(window.get("name") == title for window in self.windows()):
                return
            time.sleep(0.1)
        raise DesktopError(f"a window titled {title!r} still shows after {timeout} s")

    def add_bar(self) -> None:
        """Start swaybar now, as a panel that comes up after the apps at login: sway reloads its
        configuration with a bar in it."""
        config = self.session_dir / "sway.conf"
        config.write_text(_SWAY_CONFIG + _BAR_CONFIG)
        self.run("swaymsg", "reload")
        wait_until(lambda: _host_registered(self), "swaybar's StatusNotifierItem host", timeout=15)

    def screenshot(
        self, path: Path, window: str = "root", crop: tuple[int, int, int, int] | None = None
    ) -> Path:
        """Save the output (or the part *crop* = x, y, width, height of it) as a PNG, with grim."""
        path.parent.mkdir(parents=True, exist_ok=True)
        region = ["-g", "{},{} {}x{}".format(*crop)] if crop is not None else []
        self.run("grim", *region, str(path))
        return path

    def stop(self) -> None:
        """End the whole session: a swaybar left behind by its sway spins at full CPU."""
        session = [pid for process in self.processes for pid in _process_tree(process.pid)]
        for pid in reversed(session):
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(map(_alive, session)):
            time.sleep(0.05)
        for pid in session:
            if _alive(pid):
                _signal(pid, signal.SIGKILL)
        super().stop()  # reaps the processes started here
        shutil.rmtree(self.session_dir, ignore_errors=True)


def start_sway_desktop(runtime_dir: Path, *, bar: bool = True) -> SwayDesktop:
    """Start a session bus, and a headless sway with swaybar on it, as :data:`SWAY_USER` under root
    (without the bar, and so with no tray, when *bar* is false: :meth:`SwayDesktop.add_bar` brings it).

    The desktop's environment is an app's on a Wayland session: ``QT_QPA_PLATFORM=wayland``, no
    ``DISPLAY`` (no X at all), and ``SWAYSOCK`` for ``swaymsg``.
    """
    runtime_dir.chmod(0o700)
    session_dir = Path(tempfile.mkdtemp(prefix="trayhabit-sway-"))
    session_dir.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key not in ("WAYLAND_DISPLAY", "DISPLAY")}
    desktop = SwayDesktop(env=env, runtime_dir=runtime_dir, session_dir=session_dir)
    with stopped_on_failure(desktop):
        bus = _start_shared_bus(desktop)
        compositor_runtime = session_dir / "run"
        compositor_runtime.mkdir(mode=0o700)
        user = _compositor_user()
        if user is not None:
            os.chown(compositor_runtime, user.pw_uid, user.pw_gid)
        config = session_dir / "sway.conf"
        config.write_text(_SWAY_CONFIG + (_BAR_CONFIG if bar else ""))
        config.chmod(0o644)
        compositor_env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": user.pw_dir if user is not None else os.environ.get("HOME", "/"),
            "LANG": "C.UTF-8",
            "XDG_RUNTIME_DIR": str(compositor_runtime),
            "DBUS_SESSION_BUS_ADDRESS": bus,
            "WLR_BACKENDS": "headless",
            "WLR_LIBINPUT_NO_DEVICES": "1",
            "WLR_RENDERER": "pixman",
        }
        command = [
            "env",
            "-i",
            *(f"{key}={value}" for key, value in compositor_env.items()),
            "sway",
            "-c",
            str(config),
        ]
        if user is not None:
            command = ["runuser", "-u", user.pw_name, "--", *command]
        sway = start_process(desktop, command)
        display = _wait_for_file(compositor_runtime, "wayland-*[0-9]", sway)
        ipc = _wait_for_file(compositor_runtime, "sway-ipc.*.sock", sway)
        env.update(
            WAYLAND_DISPLAY=str(display),  # a path: the app has its own XDG_RUNTIME_DIR
            SWAYSOCK=str(ipc),
            QT_QPA_PLATFORM="wayland",
            XDG_SESSION_TYPE="wayland",
            XDG_CURRENT_DESKTOP="sway",
            NO_AT_BRIDGE="1",
        )
        if bar:
            wait_until(lambda: _host_registered(desktop), "swaybar's StatusNotifierItem host", timeout=15)
    return desktop


def _start_shared_bus(desktop: SwayDesktop) -> str:
    """A session bus that the compositor's user may join as well; its address, also in the env."""
    socket = desktop.session_dir / "bus"
    config = desktop.session_dir / "bus.conf"
    config.write_text(_BUS_CONFIG.format(socket=socket))
    address = f"unix:path={socket}"
    desktop.env.update(XDG_RUNTIME_DIR=str(desktop.runtime_dir), DBUS_SESSION_BUS_ADDRESS=address)
    start_process(desktop, ["dbus-daemon", f"--config-file={config}", "--nofork", "--nopidfile"])
    wait_until(socket.exists, "the session bus")
    return address


def _compositor_user() -> pwd.struct_passwd | None:
    """The user sway runs as, or None to run it as the tests' own user (when that is not root)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SWAY_USER)
    except KeyError:
        raise DesktopError(
            f"sway will not run as root, and the user {SWAY_USER} is missing: "
            f"useradd --system --create-home {SWAY_USER} (as .ci/run does)"
        ) from None


def _wait_for_file(folder: Path, pattern: str, owner: subprocess.Popen[bytes]) -> Path:
    """The first file in *folder* matching *pattern*, once *owner* has made it."""
    found: list[Path] = []

    def appeared() -> bool:
        if owner.poll() is not None:
            raise DesktopError(f"sway exited ({owner.returncode})")
        found[:] = sorted(path for path in folder.glob(pattern) if not path.name.endswith(".lock"))
        return bool(found)

    wait_until(appeared, f"sway's {pattern}", timeout=15)
    return found[0]


def _host_registered(desktop: Desktop) -> bool:
    reply = desktop.run(
        "dbus-send",
        "--session",
        "--print-reply",
        "--dest=org.kde.StatusNotifierWatcher",
        "/StatusNotifierWatcher",
        "org.freedesktop.DBus.Properties.Get",
        "string:org.kde.StatusNotifierWatcher",
        "string:IsStatusNotifierHostRegistered",
        check=False,
    )
    return reply.returncode == 0 and "boolean true" in reply.stdout


def _windows(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if node.get("pid") and node.get("type") in ("con", "floating_con"):
        yield node
    for child in (*node.get("nodes", ()), *node.get("floating_nodes", ())):
        yield from _windows(child)


def _process_tree(root: int) -> list[int]:
    """*root* and its descendants, parents first (read from /proc, before any of them ends)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name, in parentheses, may hold spaces: the parent's pid follows the last ")".
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # ended meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, pending = [], [root]
    while pending:
        pid = pending.pop(0)
        tree.append(pid)
        pending.extend(children.get(pid, ()))
    return tree


def _alive(pid: int) -> bool:
    """Whether *pid* runs (a zombie has ended: only its parent's wait is missing)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def _signal(pid: int, number: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.kill(pid, number)
