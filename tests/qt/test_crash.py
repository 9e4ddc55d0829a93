"""The app's crash hook: a bug in a slot, a thread or the asyncio loop is logged, shown once, survived."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from trayhabit.app.crash import CrashHook
from trayhabit.app.notifications.aio import EventLoopThread
from trayhabit.app.windows.crash_dialog import CrashDialog
from trayhabit.core import applog

# pytest-qt would catch the exceptions itself (and fail the test); here the app's hook must.
pytestmark = pytest.mark.qt_no_exception_capture


@pytest.fixture
def hook(tmp_path: Path, qapp: QApplication) -> Iterator[CrashHook]:
    log = applog.install(tmp_path / "data")
    hook = CrashHook(log)
    hook.install()
    yield hook
    hook.uninstall()
    applog.uninstall(log)
    if hook.dialog is not None:
        hook.dialog.close()
        hook.dialog.deleteLater()


def shown_dialogs() -> list[CrashDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog) and w.isVisible()]


def test_a_bug_in_a_slot_is_logged_and_shown_in_one_non_modal_dialog(hook: CrashHook, qtbot) -> None:
    button = QPushButton("Check off")
    qtbot.addWidget(button)
    clicks: list[int] = []

    def broken_slot() -> None:
        clicks.append(1)
        raise RuntimeError(f"a bug in a slot, click {len(clicks)}")

    button.clicked.connect(broken_slot)

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: hook.dialog is not None and hook.dialog.isVisible())

    dialog = hook.dialog
    assert dialog is not None
    assert not dialog.isModal() and dialog.windowModality() == Qt.WindowModality.NonModal
    log = hook.log_file.path.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log
    assert "RuntimeError: a bug in a slot, click 1" in log

    qtbot.mouseClick(dialog.findChild(QPushButton, "copy_details"), Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert "Traceback (most recent call last)" in copied
    assert "in broken_slot" in copied and "RuntimeError: a bug in a slot, click 1" in copied

    # The app runs on: the button still works (and still fails), and the same dialog counts it.
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.count == 3)
    assert hook.dialog is dialog
    assert shown_dialogs() == [dialog]
    count = dialog.findChild(QLabel, "count")
    assert count.isVisible() and "3" in count.text()
    assert len(clicks) == 3


def test_every_control_of_the_dialog_has_an_accessible_name(hook: CrashHook, qtbot) -> None:
    dialog = CrashDialog(hook.log_file.path.parent)
    qtbot.addWidget(dialog)
    buttons = dialog.findChildren(QPushButton)
    assert {b.objectName() for b in buttons} == {"copy_details", "open_log_folder", "close"}
    assert all(b.accessibleName() for b in buttons)


def test_open_log_folder_opens_the_logs_folder(
    hook: CrashHook, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog = CrashDialog(hook.log_file.path.parent)
    qtbot.addWidget(dialog)
    dialog.add("details")

    qtbot.mouseClick(dialog.findChild(QPushButton, "open_log_folder"), Qt.MouseButton.LeftButton)

    assert [url.toLocalFile() for url in opened] == [str(hook.log_file.path.parent)]
    assert hook.log_file.path.parent.name == "logs"


def test_closing_the_dialog_starts_the_count_afresh(hook: CrashHook, qtbot) -> None:
    dialog = CrashDialog(hook.log_file.path.parent)
    qtbot.addWidget(dialog)
    dialog.add("first")
    dialog.add("second")

    qtbot.mouseClick(dialog.findChild(QPushButton, "close"), Qt.MouseButton.LeftButton)
    dialog.add("third")

    assert dialog.count == 1
    assert not dialog.findChild(QLabel, "count").isVisible()
    assert dialog.details() == "third"


def test_a_bug_in_a_worker_thread_reaches_the_ui_thread_dialog(hook: CrashHook, qtbot) -> None:
    def work() -> None:
        raise ValueError("a bug in a worker")

    worker = threading.Thread(target=work, name="importer")
    worker.start()
    worker.join()

    qtbot.waitUntil(lambda: hook.dialog is not None and hook.dialog.isVisible())
    assert "ValueError: a bug in a worker" in hook.dialog.details()
    assert "in the thread 'importer'" in hook.dialog.details()
    assert "ValueError: a bug in a worker" in hook.log_file.path.read_text(encoding="utf-8")


def test_a_bug_on_the_notification_stacks_asyncio_thread_reaches_the_dialog(hook: CrashHook, qtbot) -> None:
    loop_thread = EventLoopThread("notifications")

    def callback() -> None:
        raise KeyError("a bug in a callback")

    async def schedule() -> None:
        asyncio.get_running_loop().call_soon(callback)

    try:
        loop_thread.submit(schedule()).result(timeout=5)
        qtbot.waitUntil(lambda: hook.dialog is not None and hook.dialog.isVisible())
    finally:
        loop_thread.stop()
    assert "KeyError: 'a bug in a callback'" in hook.dialog.details()
    assert "in the thread 'notifications'" in hook.dialog.details()


def test_a_bug_in_long_work_on_the_worker_is_logged_and_shown_and_its_task_ends(
    hook: CrashHook, qtbot
) -> None:
    from trayhabit.app.background import BackgroundWorker, Outcome, Task

    worker = BackgroundWorker()
    ended: list[Outcome | None] = []

    def broken_import(_task: Task) -> None:
        raise RuntimeError("a bug in an import")

    with qtbot.waitSignal(worker.finished):
        worker.submit("Importing", broken_import, on_end=lambda task: ended.append(task.outcome))
    qtbot.waitUntil(lambda: hook.dialog is not None and hook.dialog.isVisible())
    assert ended == [Outcome.CRASHED]  # the window that waits for it gets its buttons back
    log = hook.log_file.path.read_text(encoding="utf-8")
    assert "RuntimeError: a bug in an import" in log and "trayhabit-worker" in log
