"""The settings window's controls: each one bound to a setting, and the pieces its sections are made of.

A :class:`Field` says how a control reads as setting text and how it shows a stored value;
:class:`SettingControls` makes the controls of the sections (spin boxes, time fields, choices), each
writing its setting when an edit is finished, and lines up the sections' forms. :class:`InlineError`,
:func:`hint`, :func:`side_by_side` and :func:`labelled_row` are the small widgets the sections share.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QWidget,
)

from trayhabit.app.windows.time_edit import DISPLAY_FORMAT, TimeEdit
from trayhabit.core.days import parse_time_of_day

if TYPE_CHECKING:
    # Type checkers see the widget the section is mixed into; at run time it is a plain mixin.
    from PySide6.QtWidgets import QWidget as _Mixin
else:
    _Mixin = object


@dataclass
class Field:
    """One setting's control: how to read it as setting text and how to show a stored value."""

    widget: QWidget
    read: Callable[[], str]
    show: Callable[[str], None]


def qtime(text: str) -> QTime:
    """A time of day as settings write it ("22:00"), for a time field."""
    value = parse_time_of_day(text)
    return QTime(value.hour, value.minute, value.second)


class SettingControls(_Mixin):
    """Makes the controls of the settings window, each bound to its setting, and lays out its forms.

    A mixin of :class:`~trayhabit.app.windows.settings.SettingsWindow`, whose state it shares: each
    control made here is added to ``_fields`` and calls ``_commit`` with its key when edited.
    """

    _fields: dict[str, Field]
    _section_forms: list[QFormLayout]

    def _form(self, box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._section_forms.append(form)
        return form

    def _align_label_columns(self) -> None:
        """Give the sections' forms one label width, so their fields line up down the window."""
        labels: list[QWidget] = []
        for form in self._section_forms:
            for row in range(form.rowCount()):
                item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                label = item.widget() if item is not None else None
                if label is not None:
                    labels.append(label)
        width = max((label.sizeHint().width() for label in labels), default=0)
        for label in labels:
            label.setMinimumWidth(width)

    def _int_spin(self, key: str, low: int, high: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName(key)
        spin.setRange(low, high)
        spin.editingFinished.connect(lambda: self._commit(key))
        self._fields[key] = Field(spin, lambda: str(spin.value()), lambda text: spin.setValue(int(text)))
        return spin

    def _number_spin(
        self, key: str, low: float, high: float, *, decimals: int, step: float
    ) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setObjectName(key)
        spin.setDecimals(decimals)
        spin.setRange(low, high)
        spin.setSingleStep(step)
        spin.editingFinished.connect(lambda: self._commit(key))
        self._fields[key] = Field(
            spin, lambda: str(round(spin.value(), decimals)), lambda text: spin.setValue(float(text))
        )
        return spin

    def _time_edit(self, key: str) -> TimeEdit:
        edit = TimeEdit()
        edit.setObjectName(key)
        edit.setWrapping(True)
        edit.editingFinished.connect(lambda: self._commit(key))
        self._fields[key] = Field(
            edit, lambda: edit.time().toString(DISPLAY_FORMAT), lambda text: edit.setTime(qtime(text))
        )
        return edit

    def _combo(self, key: str, choices: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(key)
        for label, value in choices:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(lambda _index: self._commit(key))

        def show(text: str) -> None:
            index = combo.findData(text)
            combo.setCurrentIndex(max(index, 0))

        self._fields[key] = Field(combo, lambda: str(combo.currentData()), show)
        return combo

    # What this part calls on the rest of the window, for type checkers. Kept last in the class:
    # pyside6-lupdate loses the class's translation context after a def inside an if.
    if TYPE_CHECKING:

        def _commit(self, key: str) -> None: ...


class InlineError(QWidget):
    """A warning icon and a message under a control; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        icon = QLabel()
        extent = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        icon.setPixmap(warning.pixmap(extent, extent))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._text = QLabel()
        self._text.setWordWrap(True)
        self._text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(icon)
        layout.addWidget(self._text, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setVisible(False)

    def text(self) -> str:
        """The message shown, or "" when none."""
        return self._text.text() if not self.isHidden() else ""

    def show_message(self, text: str) -> None:
        """Show *text*."""
        self._text.setText(text)
        self.setAccessibleDescription(text)
        self.setVisible(True)

    def clear_message(self) -> None:
        """Hide the message."""
        self._text.clear()
        self.setVisible(False)


def hint(text: str, *, wrap: bool = False) -> QLabel:
    """A line of help under a control, in the palette's quieter text colour."""
    label = QLabel(text)
    # Short hints stay on one line: a form layout gives a wrapped label too much height.
    label.setWordWrap(wrap)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    return label


def labelled_row(form: QFormLayout, text: str, *widgets: QWidget, stretch: bool = True) -> None:
    """A row of *form* labelled *text* whose field is *widgets* side by side, the first of them the
    one the label names: its mnemonic focuses that control, and a screen reader says the label's
    words for it (Qt names a control only by a label beside it, not by one beside its holder)."""
    field = side_by_side(*widgets, stretch=stretch)
    form.addRow(text, field)
    label = form.labelForField(field)
    if isinstance(label, QLabel):
        label.setBuddy(widgets[0])
    if not widgets[0].accessibleName():
        widgets[0].setAccessibleName(text.replace("&", "").strip().rstrip(":"))


def side_by_side(*widgets: QWidget, stretch: bool = True) -> QWidget:
    """Widgets side by side in the field column of a form."""
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    if stretch:
        layout.addStretch(1)
    else:
        holder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return holder
