"""A real, private desktop for end-to-end tests: Xvfb, a session bus, and an XEmbed tray host.

Each piece runs as a child process with its own display number, runtime folder and bus, so the
tests never touch the developer's session; everything is stopped when the session ends.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REQUIRED_TOOLS = ("Xvfb", "dbus-daemon", "trayer", "xdotool", "xwininfo", "import")
#: Debian's at-spi2-core: the launcher of the accessibility bus screen readers listen on.
ATSPI_BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"


class DesktopError(RuntimeError):
    """The private desktop could not be started."""


@dataclass
class Desktop:
    """The environment of a running private desktop, and its processes."""

    env: dict[str, str]
    runtime_dir: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def run(self, *args: str, check: bool = True, timeout: float = 20) -> subprocess.CompletedProcess[str]:
        """Run a tool of this desktop (xdotool, import, swaymsg, grim...) in its environment."""
        return subprocess.run(
            args, env=self.env, capture_output=True, text=True, check=check, timeout=timeout
        )

    def wait_for_window(
        self, *search: str, timeout: float = 15, owner: subprocess.Popen[bytes] | None = None
    ) -> str:
        """The id of the first window ``xdotool search`` finds with *search*, waiting for it.

        With *owner*, the process that should make the window, the wait ends as soon as it exits.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.run("xdotool", "search", *search, check=False).stdout.split()
            if found:
                return found[-1]
            if owner is not None and owner.poll() is not None:
                raise DesktopError(f"{Path(str(owner.args[0])).name} exited ({owner.returncode})")
            time.sleep(0.1)
        raise DesktopError(f"no window matching {search} within {timeout} s")

    def wait_until_gone(self, *search: str, timeout: float = 15) -> None:
        """Wait until ``xdotool search`` with *search* finds no window."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.run("xdotool", "search", *search, check=False).stdout.split():
                return
            time.sleep(0.1)
        raise DesktopError(f"a window matching {search} still shows after {timeout} s")

    def geometry(self, window: str) -> tuple[int, int, int, int]:
        """x, y, width and height of *window* on the screen."""
        values = {}
        for line in self.run("xdotool", "getwindowgeometry", "--shell", window).stdout.splitlines():
            key, _, value = line.partition("=")
            values[key] = int(value)
        return values["X"], values["Y"], values["WIDTH"], values["HEIGHT"]

    def screenshot(
        self, path: Path, window: str = "root", crop: tuple[int, int, int, int] | None = None
    ) -> Path:
        """Save the screen (or one window, or the part *crop* = x, y, width, height of it) as a PNG."""
        path.parent.mkdir(parents=True, exist_ok=True)
        args = ["import", "-window", window]
        if crop is not None:
            x, y, width, height = crop
            args += ["-crop", f"{width}x{height}+{x}+{y}", "+repage"]
        self.run(*args, str(path))
        return path

    def wait_for_app_window(self, pid: int, min_width: int, timeout: float = 15) -> str:
        """A visible window of process *pid* at least *min_width* wide (a balloon, a menu)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for window in self.run(
                "xdotool", "search", "--onlyvisible", "--pid", str(pid), check=False
            ).stdout.split():
                if self.geometry(window)[2] >= min_width:
                    return window
            time.sleep(0.1)
        raise DesktopError(f"no window of process {pid} at least {min_width} px wide within {timeout} s")

    def stop(self) -> None:
        """Stop every process of the desktop, newest first."""
        for process in reversed(self.processes):
            process.terminate()
        for process in reversed(self.processes):
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def terminate(process: subprocess.Popen, timeout: float = 10) -> None:
    """Ask *process* to end, kill it if it does not within *timeout* seconds, and reap it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def missing_tools() -> list[str]:
    """The tools of REQUIRED_TOOLS that are not installed."""
    return [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]


def start_desktop(runtime_dir: Path, *, tray: bool = True) -> Desktop:
    """Start Xvfb on a free display, a private session bus and the trayer tray host (without one
    when *tray* is false: a desktop such as stock GNOME, which has no tray at all)."""
    runtime_dir.chmod(0o700)
    env = {key: value for key, value in os.environ.items() if key not in ("WAYLAND_DISPLAY", "DISPLAY")}
    desktop = Desktop(env=env, runtime_dir=runtime_dir)
    with stopped_on_failure(desktop):
        display = _start_xvfb(desktop)
        env.update(DISPLAY=f":{display}", NO_AT_BRIDGE="1", QT_QPA_PLATFORM="xcb")
        _start_bus(desktop)
        if not tray:
            return desktop
        tray_host = start_process(
            desktop,
            [
                "trayer",
                "--edge",
                "top",
                "--align",
                "right",
                "--widthtype",
                "request",
                "--height",
                "32",
                "--SetDockType",
                "true",
            ],
        )
        desktop.wait_for_window("--class", "trayer", owner=tray_host)
    return desktop


def start_accessibility_bus(desktop: Desktop) -> subprocess.Popen[bytes]:
    """The AT-SPI accessibility bus on *desktop*'s session bus, as a screen reader's session has it.

    at-spi-bus-launcher owns ``org.a11y.Bus`` on the session bus and starts the accessibility bus
    (a dbus-daemon of its own), on which the registry (at-spi2-registryd) is started on demand. Apps
    find it through the session bus; Qt's bridge joins it with ``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``
    (Qt does not read ``NO_AT_BRIDGE``, which is GTK's). The launcher is one of the desktop's
    processes, stopped with it.
    """
    launcher = start_process(desktop, [ATSPI_BUS_LAUNCHER, "--launch-immediately"])

    def answers() -> bool:
        if launcher.poll() is not None:
            raise DesktopError(f"at-spi-bus-launcher exited ({launcher.returncode})")
        reply = desktop.run(
            "dbus-send",
            "--session",
            "--print-reply",
            "--dest=org.a11y.Bus",
            "/org/a11y/bus",
            "org.a11y.Bus.GetAddress",
            check=False,
        )
        return reply.returncode == 0 and "unix:" in reply.stdout

    wait_until(answers, "the accessibility bus")
    return launcher


def start_display(runtime_dir: Path) -> Desktop:
    """Only an X server (Xvfb, no bus, no tray host): for tests of X clients in the test process.

    The server does not reset when its last client goes (``-noreset``): a reset would refuse the
    next test's connection for a moment, and restart the idle time.
    """
    runtime_dir.chmod(0o700)
    env = {key: value for key, value in os.environ.items() if key not in ("WAYLAND_DISPLAY", "DISPLAY")}
    desktop = Desktop(env=env, runtime_dir=runtime_dir)
    with stopped_on_failure(desktop):
        env["DISPLAY"] = f":{_start_xvfb(desktop, '-noreset')}"
    return desktop


def start_session_bus(runtime_dir: Path) -> Desktop:
    """Only a private session bus (no display): for tests of D-Bus clients in the test process."""
    runtime_dir.chmod(0o700)
    desktop = Desktop(env=dict(os.environ), runtime_dir=runtime_dir)
    with stopped_on_failure(desktop):
        _start_bus(desktop)
    return desktop


def _start_bus(desktop: Desktop) -> None:
    """A private session bus at <runtime>/bus; its address goes into the desktop's environment."""
    socket = desktop.runtime_dir / "bus"
    desktop.env.update(
        XDG_RUNTIME_DIR=str(desktop.runtime_dir), DBUS_SESSION_BUS_ADDRESS=f"unix:path={socket}"
    )
    start_process(
        desktop, ["dbus-daemon", "--session", "--nofork", "--nopidfile", f"--address=unix:path={socket}"]
    )
    wait_until(socket.exists, "the session bus")


def start_process(desktop: Desktop, args: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
    """Start a process of *desktop*, stopped with it; its output goes to <runtime>/<program>.log for diagnosis."""
    with (desktop.runtime_dir / f"{Path(args[0]).name}.log").open("wb") as log:
        process = subprocess.Popen(args, env=desktop.env, stdout=log, stderr=subprocess.STDOUT, **kwargs)  # type: ignore[call-overload]
    desktop.processes.append(process)
    return process


@contextmanager
def stopped_on_failure(desktop: Desktop) -> Iterator[None]:
    """Stop what has started of *desktop* if starting the rest fails; a :class:`DesktopError` gains
    the last lines each of its processes wrote."""
    try:
        yield
    except DesktopError as error:
        desktop.stop()
        raise DesktopError(f"{error}\n{logs(desktop)}") from None
    except BaseException:
        desktop.stop()
        raise


def logs(desktop: Desktop) -> str:
    """The last lines each desktop process wrote, for an error message."""
    parts = []
    for log in sorted(desktop.runtime_dir.glob("*.log")):
        tail = log.read_text(errors="replace").strip().splitlines()[-5:]
        parts.append(f"--- {log.name}:\n" + "\n".join(tail))
    return "\n".join(parts)


def _start_xvfb(desktop: Desktop, *options: str) -> int:
    """Xvfb on a display number it finds free; returns that number once it accepts connections.

    Xvfb chooses the number itself (``-displayfd`` without one): it skips every number whose
    socket, in the file system or in Linux's abstract namespace, someone else holds, where a look
    at /tmp alone misses a server of another container, and writes the number only once it
    listens, where its socket file appears a moment earlier.
    """
    ready, ready_writer = os.pipe()
    try:
        server = ["Xvfb", "-displayfd", str(ready_writer), "-screen", "0", "1280x800x24", "-nolisten", "tcp"]
        start_process(desktop, [*server, *options], pass_fds=(ready_writer,))
    finally:
        os.close(ready_writer)  # only Xvfb holds it now, so its exit ends the read
    try:
        number = _read_line(ready, timeout=15).strip()
    finally:
        os.close(ready)
    if not number.isdigit():
        raise DesktopError("Xvfb did not start within 15 s")
    return int(number)


def _read_line(fd: int, timeout: float) -> str:
    """What the writer of pipe *fd* writes up to a newline, or until it closes or *timeout* passes."""
    received = b""
    deadline = time.monotonic() + timeout
    while not received.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        chunk = os.read(fd, 64)
        if not chunk:
            break
        received += chunk
    return received.decode(errors="replace")


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 10) -> None:
    """Poll *condition* until it holds; :class:`DesktopError` naming *what* after *timeout* s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise DesktopError(f"{what} did not come up within {timeout} s")
