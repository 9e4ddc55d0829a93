"""The settings window's Data section: the data folder, backups, and export and import of the habits."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QGroupBox, QLabel, QLineEdit, QMessageBox, QPushButton

from trayhabit.app.background import Task
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.titles import window_title
from trayhabit.app.windows.settings_controls import SettingControls, hint, labelled_row, side_by_side
from trayhabit.app.windows.task_progress import TaskProgress
from trayhabit.core.store import BACKUPS_DIR

if TYPE_CHECKING:
    from trayhabit.core.transfer import ImportResult


class DataSection(SettingControls):
    """The Data section of the settings window; an export or import runs on the worker, with progress.

    A mixin of :class:`~trayhabit.app.windows.settings.SettingsWindow`, whose state it shares.
    """

    _model: HabitsModel

    def _build_data(self) -> QGroupBox:
        box = QGroupBox(self.tr("Data"))
        form = self._form(box)

        self._folder_edit = QLineEdit(str(self._model.data_dir))
        self._folder_edit.setObjectName("data_folder")
        self._folder_edit.setReadOnly(True)
        self._folder_edit.setCursorPosition(0)
        self._folder_edit.setToolTip(str(self._model.data_dir))
        open_folder = QPushButton(self.tr("&Open folder"))
        open_folder.setObjectName("open_folder")
        open_folder.clicked.connect(self._on_open_folder_clicked)
        labelled_row(form, self.tr("Data &folder:"), self._folder_edit, open_folder, stretch=False)

        backups = self._int_spin("backup_count", 1, 100)
        backups.setToolTip(self.tr("How many daily backups of each file to keep."))
        open_backups = QPushButton(self.tr("Open &backups folder"))
        open_backups.setObjectName("open_backups")
        open_backups.clicked.connect(self._on_open_backups_clicked)
        labelled_row(form, self.tr("Backups to &keep:"), backups, open_backups)
        form.addRow("", hint(self.tr("A daily copy of each file that changed.")))

        export = QPushButton(self.tr("&Export…"))
        export.setObjectName("export")
        export.setToolTip(
            self.tr(
                "Save every habit and check-off to a JSON file (complete) or CSV (for a spreadsheet), or the habits to a calendar file: events for Outlook, Google and Apple Calendar, or tasks for Thunderbird and task apps."
            )
        )
        export.clicked.connect(self._on_export_clicked)
        import_ = QPushButton(self.tr("&Import…"))
        import_.setObjectName("import")
        import_.setToolTip(self.tr("Merge an export into your habits; nothing is duplicated."))
        import_.clicked.connect(self._on_import_clicked)
        form.addRow(self.tr("Your habits:"), side_by_side(export, import_))
        self._transfer_buttons = (export, import_)

        # An import or export runs on the worker: what it is doing, how far, and Cancel while safe.
        self._progress = TaskProgress()
        form.addRow("", self._progress)

        self._data_status = QLabel()
        self._data_status.setObjectName("data_status")
        self._data_status.setWordWrap(True)
        self._data_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._data_status.setVisible(False)
        form.addRow("", self._data_status)
        return box

    def _on_open_folder_clicked(self) -> None:
        self._open_folder(self._model.data_dir)

    def _on_open_backups_clicked(self) -> None:
        folder = self._model.data_dir / BACKUPS_DIR
        if not folder.is_dir():
            self._show_data_status(self.tr("There are no backups yet."))
            return
        self._open_folder(folder)

    def _on_export_clicked(self) -> None:
        json_filter = self.tr("JSON, complete (*.json)")
        csv_filter = self.tr("CSV, for spreadsheets (*.csv)")
        # Two calendar files: Outlook reads events only, task apps read tasks; events come first, as
        # the one every calendar program shows.
        events_filter = self.tr("Calendar events (Outlook, Google, Apple Calendar) (*.ics)")
        tasks_filter = self.tr("Tasks (Thunderbird, Apple Reminders, Tasks.org) (*.ics)")
        today = self._model.today()
        suggested = _documents_folder() / f"trayhabit-{today.isoformat()}.json"
        chosen, chosen_filter = QFileDialog.getSaveFileName(
            self,
            window_title(self.tr("Export habits")),
            str(suggested),
            ";;".join((json_filter, csv_filter, events_filter, tasks_filter)),
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() in (".json", ".csv", ".ics"):
            file_format = path.suffix.lower()[1:]
        else:
            file_format = {csv_filter: "csv", events_filter: "ics", tasks_filter: "ics"}.get(
                chosen_filter, "json"
            )
            path = path.with_name(path.name + "." + file_format)
        # A name ending in .ics under another filter gets events, what most calendar programs read.
        tasks = file_format == "ics" and chosen_filter == tasks_filter
        self._data_status.setVisible(False)
        self._follow(
            self._model.export_to(
                path,
                file_format,
                tasks=tasks,
                by=self,
                on_done=lambda _result: self._show_data_status(
                    self.tr("Exported to {file}.").format(file=path)
                ),
            )
        )

    def _on_import_clicked(self) -> None:
        chosen, _chosen_filter = QFileDialog.getOpenFileName(
            self,
            window_title(self.tr("Import habits")),
            str(_documents_folder()),
            ";;".join((self.tr("TrayHabit exports (*.json *.csv)"), self.tr("All files (*)"))),
        )
        if not chosen:
            return
        self._data_status.setVisible(False)
        name = Path(chosen).name
        self._follow(
            self._model.import_from(
                Path(chosen), by=self, on_done=lambda result: self._imported(name, result)
            )
        )

    def _imported(self, name: str, result: ImportResult) -> None:
        # Refused: the window says why (show_error); cancelled: nothing changed, nothing to say.
        QMessageBox.information(
            self,
            window_title(self.tr("Import")),
            self.tr(
                "Imported {file}.\n\nNew habits: {added}\nHabits updated: {updated}\nCheck-offs and other events added: {events}"
            ).format(
                file=name,
                added=result.habits_added,
                updated=result.habits_updated,
                events=result.events_added,
            ),
        )

    def _follow(self, task: Task) -> None:
        """Show *task*'s progress in the Data section, its buttons off until it ends."""
        for button in self._transfer_buttons:
            button.setEnabled(False)
        task.finished.connect(self._on_transfer_finished)
        self._progress.follow(task)

    def _on_transfer_finished(self) -> None:
        for button in self._transfer_buttons:
            button.setEnabled(True)

    def _open_folder(self, folder: Path) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self._show_data_status(
                self.tr("Could not open {folder}; open it in your file manager instead.").format(
                    folder=folder
                )
            )

    def _show_data_status(self, text: str) -> None:
        self._data_status.setText(text)
        self._data_status.setVisible(True)

    # What this part calls on the rest of the window, for type checkers. Kept last in the class:
    # pyside6-lupdate loses the class's translation context after a def inside an if.
    if TYPE_CHECKING:

        def show_error(self, message: str) -> None: ...


def _documents_folder() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()
