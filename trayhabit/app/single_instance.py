"""One TrayHabit per data folder: a second launch hands over to the first and exits.

The first instance listens on a local socket whose name is derived from the data folder and the
user; a second launch connects, asks the first to show a window (the check-off window, or the one
named by ``--show``), and exits. A socket left behind by a crashed instance is removed before
listening.

On Linux and macOS the socket is a Unix domain socket, served with Python's ``socket`` module and a
``QSocketNotifier`` (the event loop wakes only when a launch connects). Qt's QLocalServer would do
the same, but loading QtNetwork for it holds about 3.4 MiB for the app's whole life (measured again
on 2026-12-01, VmRSS around a QLocalServer's listen against a Unix socket's: 3.3 MiB against
0.35 MiB). On Windows, which has no Unix sockets in Python, QLocalServer serves a named pipe, as before.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSocketNotifier, Signal

from trayhabit.core.digest import stable_digest

if TYPE_CHECKING:
    import socket

_SHOW = b"show "
_TIMEOUT_MS = 1000
_LINE_LIMIT = 256  # a request longer than this is not one of ours
WINDOWS = ("check-off", "habits", "settings")


def server_name(data_dir: Path) -> str:
    """The socket name for *data_dir*: unique per user and folder, short enough for every platform."""
    key = f"{getpass.getuser()}:{data_dir.resolve()}".encode()
    # Not hashlib: it would load OpenSSL before the tray icon shows, for a name that needs only to
    # differ between folders (see trayhabit/core/digest.py).
    return "trayhabit-" + stable_digest(key)[:16]


def socket_path(data_dir: Path) -> Path:
    """Where the Unix socket for *data_dir* lives (not on Windows): the user's private runtime folder
    when the system has one, else the temporary folder (per user on macOS)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and Path(runtime).is_dir():
        return Path(runtime) / server_name(data_dir)
    import tempfile  # only here: with shutil and random, a few milliseconds before the icon shows

    return Path(tempfile.gettempdir()) / server_name(data_dir)


def hand_over(data_dir: Path, window: str = "check-off") -> bool:
    """If an instance runs for *data_dir*, ask it to show *window* and return True."""
    request = _SHOW + window.encode() + b"\n"
    if sys.platform == "win32":
        return _hand_over_pipe(server_name(data_dir), request)
    # The socket module's C core: the socket module itself spends 4 ms building enums of every
    # address family and socket type, before the icon shows, for one connect and one send.
    import _socket

    client = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        client.settimeout(_TIMEOUT_MS / 1000)
        client.connect(str(socket_path(data_dir)))
        client.sendall(request)
    except OSError:
        return False  # nobody listens (no socket, or one left by a crash)
    finally:
        client.close()
    return True


def _hand_over_pipe(name: str, request: bytes) -> bool:
    from PySide6.QtNetwork import QLocalSocket

    client = QLocalSocket()
    client.connectToServer(name)
    if not client.waitForConnected(_TIMEOUT_MS):
        return False
    client.write(request)
    client.waitForBytesWritten(_TIMEOUT_MS)
    client.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for later launches.

    Signals:
        show_requested(str): another launch asked this instance to show a window (one of WINDOWS).
    """

    show_requested = Signal(str)

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pipe: Any = None  # Windows: the QLocalServer
        self._socket: socket.socket | None = None
        self._path: Path | None = None
        self._notifier: QSocketNotifier | None = None
        if sys.platform == "win32":
            self._listen_pipe(server_name(data_dir))
        else:
            self._listen_socket(socket_path(data_dir))

    @property
    def listening(self) -> bool:
        """Whether later launches can reach this instance."""
        if self._pipe is not None:
            return bool(self._pipe.isListening())
        return self._socket is not None

    def close(self) -> None:
        """Stop listening (the app is quitting); the socket file goes too."""
        if self._pipe is not None:
            self._pipe.close()
        if self._notifier is not None:
            self._notifier.setEnabled(False)  # freed with this object: deleting it now could crash
            self._notifier = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
            if self._path is not None:
                self._path.unlink(missing_ok=True)

    # -- Unix sockets -----------------------------------------------------------------------------------

    def _listen_socket(self, path: Path) -> None:
        import socket  # after the icon shows (see hand_over)

        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self._bind(listener, path)
        except OSError:
            # Left behind by an instance that crashed: nobody answered hand_over, so remove it.
            path.unlink(missing_ok=True)
            try:
                self._bind(listener, path)
            except OSError:
                listener.close()
                return  # later launches will start an instance of their own, as if none ran
        listener.listen(4)
        listener.setblocking(False)
        self._socket, self._path = listener, path
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_notifier_activated)

    @staticmethod
    def _bind(listener: socket.socket, path: Path) -> None:
        # Only this user may connect (like QLocalServer's UserAccessOption): the socket is created
        # without group and other permissions, rather than changed after, when someone could connect.
        previous = os.umask(0o177)
        try:
            listener.bind(str(path))
        finally:
            os.umask(previous)

    def _on_notifier_activated(self) -> None:
        while self._socket is not None:
            try:
                client, _address = self._socket.accept()
            except OSError:
                return  # none left (BlockingIOError), or a launch that gave up before it was accepted
            with client:
                line = self._read_request(client)
            if line is not None:
                self._request(line)

    @staticmethod
    def _read_request(client: socket.socket) -> bytes | None:
        """The request line of a launch, or None if it sent none.

        A launch writes its one short line as soon as it connects, so it is normally here already;
        waiting for it (at most the hand-over's own timeout) keeps this simpler than a notifier per
        launch, and only this user's processes can connect at all.
        """
        client.settimeout(_TIMEOUT_MS / 1000)
        received = b""
        try:
            while b"\n" not in received and len(received) <= _LINE_LIMIT:
                chunk = client.recv(_LINE_LIMIT)
                if not chunk:
                    break
                received += chunk
        except OSError:
            pass  # a timeout or a reset: whatever came is judged below
        if b"\n" not in received:
            return None
        return received.split(b"\n", 1)[0]

    # -- Windows named pipes ----------------------------------------------------------------------------

    def _listen_pipe(self, name: str) -> None:
        from PySide6.QtNetwork import QLocalServer

        self._pipe = QLocalServer(self)
        self._pipe.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._pipe.newConnection.connect(self._on_pipe_new_connection)
        if not self._pipe.listen(name):
            # Left behind by an instance that crashed: nobody answered hand_over, so remove it.
            QLocalServer.removeServer(name)
            self._pipe.listen(name)

    def _on_pipe_new_connection(self) -> None:
        while self._pipe.hasPendingConnections():
            client = self._pipe.nextPendingConnection()
            client.readyRead.connect(self._on_pipe_ready_read)
            client.disconnected.connect(client.deleteLater)

    def _on_pipe_ready_read(self) -> None:
        client = self.sender()
        if client is None or not client.canReadLine():  # type: ignore[attr-defined]
            return  # the rest of the line is on its way
        self._request(bytes(client.readLine().data()).strip())  # type: ignore[attr-defined]

    # -- both -----------------------------------------------------------------------------------------

    def _request(self, line: bytes) -> None:
        line = line.strip()
        if line.startswith(_SHOW):
            window = line[len(_SHOW) :].decode(errors="replace")
            self.show_requested.emit(window if window in WINDOWS else WINDOWS[0])
