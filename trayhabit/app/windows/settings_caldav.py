"""The settings window's "Phone and calendar (CalDAV)" section: connect a CalDAV server, choose its
task list, test the connection, disconnect, and see how the last sync went.

Everything that talks to the server (the test, which also names the server's task lists; connecting;
disconnecting, which asks the credential store) runs on the model's worker, with a busy line while it
does; the window stays answerable. What went wrong is the core's one sentence
(:mod:`trayhabit.core.caldav.connection`), shown under the buttons. The password goes from its field
to the core, which keeps it in the system's credential store only; the field is emptied once it is
connected. The status line comes from the CalDAV driver (:mod:`trayhabit.app.caldav_driver`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from trayhabit.app.background import Outcome, Task
from trayhabit.app.datetime_text import when_text
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.settings_controls import InlineError
from trayhabit.core.changes import Change
from trayhabit.core.service_caldav import ACCOUNT_SETTINGS

if TYPE_CHECKING:
    from trayhabit.app.caldav_driver import CalDAVDriver

# The list made for the habits when none is chosen (as trayhabit.core.caldav.account.DEFAULT_LIST,
# not imported from there: that would load the CalDAV package with the window).
NEW_LIST = "TrayHabit"


class CalDAVSettings(QGroupBox):
    """Server address, user name, password, task list; Test connection, Connect, Disconnect; the
    last sync and the last error.

    Signals: none; connecting and disconnecting change settings through the model, whose ``changed``
    redraws the section, and the driver's ``status_changed`` redraws its status line.
    """

    def __init__(
        self, model: HabitsModel, driver: CalDAVDriver | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Phone and calendar (CalDAV)"), parent)
        self.setObjectName("caldav_settings")
        self._model = model
        self._driver = driver
        self._task: Task | None = None

        self._build_fields()
        button_row = self._build_buttons()

        self._message = self._quiet_label("caldav_message")
        self._message.setVisible(False)
        self._error = InlineError()
        self._error.setObjectName("caldav_error")
        self._status = self._quiet_label("caldav_status")

        explained = self._quiet_label("")
        explained.setText(
            self.tr(
                "Your habits appear as recurring tasks on your phone or in your calendar app, and a task "
                "ticked off there is checked off here. Use an app password where the provider offers one."
            )
        )
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.addRow("", explained)
        self.form.addRow(self.tr("Ser&ver address:"), self._url)
        self.form.addRow(self.tr("User na&me:"), self._user)
        self.form.addRow(self.tr("&Password:"), self._password)
        self.form.addRow(self.tr("Tas&k list:"), self._list)
        self.form.addRow("", button_row)
        self.form.addRow("", self._message)
        self.form.addRow("", self._error)
        self.form.addRow("", self._status)

        self._test.clicked.connect(self._on_test_clicked)
        self._connect.clicked.connect(self._on_connect_clicked)
        self._disconnect.clicked.connect(self._on_disconnect_clicked)
        for edit in (self._url, self._user, self._password):
            edit.textChanged.connect(self._on_field_text_changed)
        model.changed.connect(self._on_model_changed)
        if driver is not None:
            driver.status_changed.connect(self._draw_status)
        self._redraw()

    def _build_fields(self) -> None:
        """The server address, user name, password and task list."""
        self._url = QLineEdit()
        self._url.setObjectName("caldav_url")
        self._url.setPlaceholderText("https://cloud.example.com/remote.php/dav/")
        self._url.setAccessibleName(self.tr("Server address"))
        self._user = QLineEdit()
        self._user.setObjectName("caldav_user")
        self._user.setAccessibleName(self.tr("User name"))
        self._password = QLineEdit()
        self._password.setObjectName("caldav_password")
        self._password.setEchoMode(QLineEdit.EchoMode.Password)
        self._password.setAccessibleName(self.tr("Password"))
        self._list = QComboBox()
        self._list.setObjectName("caldav_list")
        self._list.setAccessibleName(self.tr("Task list"))
        self._list.setToolTip(self.tr("Test the connection to choose one of the server's task lists."))

    def _build_buttons(self) -> QWidget:
        """Test connection, Connect, Disconnect, and the busy line beside them."""
        self._test = QPushButton(self.tr("&Test connection"))
        self._test.setObjectName("caldav_test")
        self._connect = QPushButton(self.tr("Co&nnect"))
        self._connect.setObjectName("caldav_connect")
        self._disconnect = QPushButton(self.tr("&Disconnect"))
        self._disconnect.setObjectName("caldav_disconnect")
        self._busy = QProgressBar()
        self._busy.setObjectName("caldav_busy")
        self._busy.setRange(0, 0)  # no steps to count: it moves while the server is asked
        self._busy.setTextVisible(False)
        self._busy.setMaximumWidth(self.fontMetrics().averageCharWidth() * 12)
        self._busy.setAccessibleName(self.tr("Working"))
        self._busy.setVisible(False)
        self._busy_text = self._quiet_label("caldav_busy_text")
        self._busy_text.setVisible(False)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for widget in (self._test, self._connect, self._disconnect, self._busy, self._busy_text):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        row = QWidget()
        row.setLayout(buttons)
        return row

    # -- public -------------------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        """Show what went wrong with something this section asked the server (one sentence)."""
        self._message.setVisible(False)
        self._error.show_message(message)

    def error_text(self) -> str:
        """The error shown, or ""."""
        return self._error.text()

    def message_text(self) -> str:
        """The result of the last test or connection shown, or ""."""
        return self._message.text() if not self._message.isHidden() else ""

    def status_text(self) -> str:
        """The status line: the account, the last sync and the last error."""
        return self._status.text()

    @property
    def busy(self) -> bool:
        """Whether the section waits for the server."""
        return self._task is not None

    def list_names(self) -> list[str]:
        """The task lists offered, as the combo box names them."""
        return [self._list.itemText(index) for index in range(self._list.count())]

    # -- drawing ------------------------------------------------------------------------------------

    def _connected(self) -> bool:
        settings = self._model.settings()
        return bool(settings.caldav_url and settings.caldav_user)

    def _redraw(self) -> None:
        settings = self._model.settings()
        connected = self._connected()
        if connected:
            self._url.setText(settings.caldav_url)
            self._user.setText(settings.caldav_user)
            self._password.clear()
            self._password.setPlaceholderText(self.tr("Kept in this computer's credential store"))
            self._list.clear()
            self._list.addItem(settings.caldav_list or NEW_LIST, settings.caldav_list or NEW_LIST)
        else:
            self._password.setPlaceholderText(self.tr("Password or app password"))
            if self._list.count() == 0 or self._url.isReadOnly():
                self._offer_lists([])
        for edit in (self._url, self._user):
            edit.setReadOnly(connected)
        self._password.setEnabled(not connected)
        self._enable()
        self._draw_status()

    def _offer_lists(self, names: list[str]) -> None:
        """Offer the server's task lists *names*, and a new TrayHabit list unless there is one."""
        self._list.clear()
        for name in names:
            self._list.addItem(name, name)
        if NEW_LIST not in names:
            self._list.addItem(self.tr("A new list “{name}”").format(name=NEW_LIST), NEW_LIST)
        self._list.setCurrentIndex(max(0, self._list.findData(NEW_LIST)))

    def _enable(self) -> None:
        busy = self._task is not None
        connected = self._connected()
        filled = bool(self._url.text().strip() and self._user.text().strip() and self._password.text())
        self._test.setEnabled(not busy and not connected and filled)
        self._connect.setEnabled(not busy and not connected and filled)
        self._disconnect.setEnabled(not busy and connected)
        self._list.setEnabled(not busy and not connected)
        self._busy.setVisible(busy)
        self._busy_text.setVisible(busy)

    def _draw_status(self) -> None:
        if not self._connected():
            text = self.tr("Not connected.")
        else:
            settings = self._model.settings()
            host = urlsplit(settings.caldav_url).hostname or settings.caldav_url
            lines = [
                self.tr("Connected to {host} as {user}, list “{list}”.").format(
                    host=host, user=settings.caldav_user, list=settings.caldav_list or NEW_LIST
                )
            ]
            status = (
                self._driver.status() if self._driver is not None else self._model.service.caldav_status()
            )
            if self._driver is not None and self._driver.running:
                lines.append(self.tr("Syncing…"))
            elif status.last_sync:
                lines.append(self.tr("Last sync: {when}.").format(when=self._when(status.last_sync)))
            else:
                lines.append(self.tr("Not synced yet."))
            if status.last_error:
                lines.append(
                    self.tr("Last error ({when}): {error}").format(
                        when=self._when(status.last_error_at), error=status.last_error
                    )
                )
            text = "\n".join(lines)
        self._status.setText(text)
        self._status.setAccessibleDescription(text)

    def _when(self, text: str) -> str:
        try:
            instant = datetime.fromisoformat(text)
        except ValueError:
            return text
        return when_text(QLocale(), instant, self._model.now(), self._model.zone)

    def _quiet_label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _started(self, task: Task, what: str) -> None:
        self._task = task
        self._error.clear_message()
        self._message.setVisible(False)
        self._busy_text.setText(what)
        self._busy.setAccessibleDescription(what)
        self._enable()

    def _ended(self, _task: Task) -> None:
        self._task = None
        self._enable()

    def _say(self, text: str) -> None:
        self._message.setText(text)
        self._message.setAccessibleDescription(text)
        self._message.setVisible(True)

    # -- slots --------------------------------------------------------------------------------------

    def _on_field_text_changed(self, _text: str) -> None:
        self._enable()

    def _on_test_clicked(self) -> None:
        def tested(names: list[str]) -> None:
            self._offer_lists(names)
            if names:
                self._say(self.tr("The connection works. Choose the list for your habits."))
            else:
                self._say(
                    self.tr("The connection works. A new list “{name}” will be made.").format(name=NEW_LIST)
                )

        task = self._model.caldav_lists(
            self._url.text(),
            self._user.text(),
            self._password.text(),
            by=self,
            on_done=tested,
            on_end=self._ended,
        )
        self._started(task, self.tr("Testing the connection…"))

    def _on_connect_clicked(self) -> None:
        def ended(task: Task) -> None:
            self._ended(task)
            if task.outcome is Outcome.DONE:
                self._password.clear()
                self._say(self.tr("Connected. Your habits are on their way to the server."))

        task = self._model.caldav_connect(
            self._url.text(),
            self._user.text(),
            self._password.text(),
            str(self._list.currentData() or NEW_LIST),
            by=self,
            on_end=ended,
        )
        self._started(task, self.tr("Connecting…"))

    def _on_disconnect_clicked(self) -> None:
        def ended(task: Task) -> None:
            self._ended(task)
            if task.outcome is Outcome.DONE:
                self._say(self.tr("Disconnected. The tasks stay on the server."))

        task = self._model.caldav_disconnect(by=self, on_end=ended)
        self._started(task, self.tr("Disconnecting…"))

    def _on_model_changed(self, change: Change, _by: object) -> None:
        if change.everything or change.settings & ACCOUNT_SETTINGS:
            self._redraw()
