"""The log file in the data folder, ``logs/trayhabit.log``, and how an unexpected error is written there.

Both the app and the command line log to it: their ordinary log lines, and the traceback of every
exception nobody expected (a bug), so that the user can be shown one line or one dialog instead of a
traceback, and the details are still there to send. The file rotates at 1 MiB, three files in all,
and is private like the rest of the data folder (``0600`` in a ``0700`` folder on Linux and macOS).

A log that cannot be written (a full disk, a read-only folder) must not take the command down with
it: the handler remembers the error, says so once on stderr, and the crash report falls back to
stderr.
"""

from __future__ import annotations

import itertools
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from io import TextIOWrapper
from pathlib import Path
from types import TracebackType

from trayhabit.core.i18n import _
from trayhabit.core.private import PRIVATE_FILE_MODE, applies, make_private_dir

LOG_DIR = "logs"
LOG_FILE = "trayhabit.log"
MAX_BYTES = 1024 * 1024
BACKUP_COUNT = 2  # trayhabit.log.1 and .2 besides trayhabit.log: three files, at most 3 MiB
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Unexpected errors are logged here; a handler that shows the user one line leaves this logger's
# records (and their tracebacks) to the file.
CRASH_LOGGER = "trayhabit.crash"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def log_path(data_dir: Path) -> Path:
    """Where the log of the data folder *data_dir* is."""
    return data_dir / LOG_DIR / LOG_FILE


class DataFolderLog(logging.FileHandler):
    """The rotating log file of one data folder, created (with its folder) on the first record.

    It rotates as ``logging.handlers.RotatingFileHandler`` does (``trayhabit.log`` becomes
    ``trayhabit.log.1``, and so on), but is built on ``logging.FileHandler``: the module of the
    former imports socket and pickle, 10 ms and 1.2 MiB the tray app would keep for nothing. It also
    follows a rotation done by the other process writing the same file (the app and the command line
    share it), instead of writing on into the renamed file.

    :attr:`failure` is the error of the last record that could not be written, if any.
    """

    def __init__(self, data_dir: Path) -> None:
        self.path = log_path(data_dir)
        self.failure: BaseException | None = None
        self._warned = False
        # delay: a command that logs nothing creates no file (nor the data folder, before the store).
        super().__init__(self.path, encoding="utf-8", delay=True)
        self.setFormatter(logging.Formatter(FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        """Write *record*, rotating the files first if it would take this one past :data:`MAX_BYTES`."""
        try:
            self._follow_or_rotate(len(self.format(record)) + 1)
            super().emit(record)
        except Exception:  # noqa: BLE001 (logging's contract: a failed record goes to handleError)
            self.handleError(record)

    def _follow_or_rotate(self, size: int) -> None:
        try:
            on_disk: os.stat_result | None = self.path.stat()
        except FileNotFoundError:
            on_disk = None
        if self.stream is not None and (
            on_disk is None or not os.path.samestat(on_disk, os.fstat(self.stream.fileno()))
        ):
            self._close_stream()  # the other process rotated it: write to the new file
        if on_disk is None or not on_disk.st_size or on_disk.st_size + size <= MAX_BYTES:
            return
        self._close_stream()
        names = [self.path, *(self.path.with_name(f"{LOG_FILE}.{n}") for n in range(1, BACKUP_COUNT + 1))]
        try:
            for older, newer in reversed(list(itertools.pairwise(names))):
                if older.exists():
                    older.replace(newer)
        except PermissionError:
            # Windows: the other process has the file open and it cannot be renamed; this one writes
            # on, past the limit, and a later record rotates it once that process has let go.
            return

    def _close_stream(self) -> None:
        if self.stream is not None:
            stream, self.stream = self.stream, None
            stream.close()

    def _open(self) -> TextIOWrapper:
        """The log file, opened to append, created ``0600`` in a ``0700`` folder (POSIX)."""
        make_private_dir(self.path.parent)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
        fd = os.open(self.path, flags, PRIVATE_FILE_MODE)
        try:
            if applies() and os.fstat(fd).st_mode & 0o077:
                os.fchmod(fd, PRIVATE_FILE_MODE)  # a file left by someone or something else
            return open(fd, "a", encoding=self.encoding, errors=self.errors)  # noqa: PTH123 (an fd)
        except BaseException:
            os.close(fd)
            raise

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        """Remember why the log cannot be written and say so once, instead of logging's own
        multi-line report on every record."""
        error = sys.exc_info()[1]
        self.failure = error
        if not self._warned:
            self._warned = True
            # Not through logging: it is logging that fails. The app's stderr goes to its terminal
            # or the session's journal; the command line's is the user's.
            sys.stderr.write(
                _("trayhabit: warning: cannot write the log {file}: {error}").format(
                    file=self.path, error=getattr(error, "strerror", None) or error
                )
                + "\n"
            )


class _NotCrashes(logging.Filter):
    """Keeps the records of unexpected errors (with their tracebacks) off the terminal."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.name.startswith(CRASH_LOGGER)


def install(data_dir: Path, *, level: int = logging.INFO) -> DataFolderLog:
    """Add the data folder's log to the root logger (replacing one added before); returns it.

    The root logger's level is lowered to *level* if it was higher, so the file gets every record of
    that level whatever the other handlers show.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, DataFolderLog):
            uninstall(handler)
    handler = DataFolderLog(data_dir)
    handler.setLevel(level)
    root.addHandler(handler)
    if root.getEffectiveLevel() > level:
        root.setLevel(level)
    return handler


def uninstall(handler: DataFolderLog) -> None:
    """Take *handler* off the root logger and close its file."""
    logging.getLogger().removeHandler(handler)
    handler.close()


@contextmanager
def command_line_logging(data_dir: Path) -> Iterator[DataFolderLog]:
    """Logging for one run of the command line: every record of INFO and up to the data folder's
    log, and warnings (but not unexpected errors) to stderr as one plain line each, as Python shows
    them when no logging is set up. Everything is as it was afterwards (the tests run many commands
    in one process)."""
    root = logging.getLogger()
    old_level = root.level
    terminal = logging.StreamHandler()  # sys.stderr as it is now
    terminal.setLevel(logging.WARNING)
    terminal.addFilter(_NotCrashes())
    root.addHandler(terminal)
    handler = install(data_dir)
    try:
        yield handler
    finally:
        uninstall(handler)
        root.removeHandler(terminal)
        root.setLevel(old_level)


def log_crash(handler: DataFolderLog, where: str, exc_info: ExcInfo) -> bool:
    """Write an unexpected error (its traceback) to *handler*'s file; returns whether it got there.

    *where* says what was running: "the command line", "a slot", a thread's name.
    """
    handler.failure = None
    logging.getLogger(CRASH_LOGGER).error("unexpected error in %s", where, exc_info=exc_info)
    handler.flush()
    return handler.failure is None
