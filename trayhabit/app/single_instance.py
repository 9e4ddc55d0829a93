"""One TrayHabit per data folder: a second launch hands over to the first and exits.

The first instance listens on a local socket (a named pipe on Windows) whose name is derived from
the data folder and the user; a second launch connects, asks the first to show a window (the
check-off window, or the one named by ``--show``), and exits. A socket left behind by a crashed instance is removed before listening.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from trayhabit.core.digest import stable_digest

_SHOW = b"show "
_TIMEOUT_MS = 1000
WINDOWS = ("check-off", "habits", "settings")


def server_name(data_dir: Path) -> str:
    """The socket name for *data_dir*: unique per user and folder, short enough for every platform."""
    key = f"{getpass.getuser()}:{data_dir.resolve()}".encode()
    # Not hashlib: it would load OpenSSL before the tray icon shows, for a name that needs only to
    # differ between folders (see trayhabit/core/digest.py).
    return "trayhabit-" + stable_digest(key)[:16]


def hand_over(data_dir: Path, window: str = "check-off") -> bool:
    """If an instance runs for *data_dir*, ask it to show *window* and return True."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    if not socket.waitForConnected(_TIMEOUT_MS):
        return False
    socket.write(_SHOW + window.encode() + b"\n")
    socket.waitForBytesWritten(_TIMEOUT_MS)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for later launches.

    Signals:
        show_requested(str): another launch asked this instance to show a window (one of WINDOWS).
    """

    show_requested = Signal(str)

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_server_new_connection)
        name = server_name(data_dir)
        if not self._server.listen(name):
            # Left behind by an instance that crashed: nobody answered hand_over, so remove it.
            QLocalServer.removeServer(name)
            self._server.listen(name)

    @property
    def listening(self) -> bool:
        """Whether later launches can reach this instance."""
        return self._server.isListening()

    def close(self) -> None:
        """Stop listening (the app is quitting)."""
        self._server.close()

    def _on_server_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(self._on_socket_ready_read)
            socket.disconnected.connect(socket.deleteLater)

    def _on_socket_ready_read(self) -> None:
        socket = self.sender()
        if not isinstance(socket, QLocalSocket) or not socket.canReadLine():
            return  # the rest of the line is on its way
        line = bytes(socket.readLine().data()).strip()
        if line.startswith(_SHOW):
            window = line[len(_SHOW) :].decode(errors="replace")
            self.show_requested.emit(window if window in WINDOWS else WINDOWS[0])
