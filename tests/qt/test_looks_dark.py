"""The windows on a dark theme: every text reads on what is behind it, every check box shows.

A dark desktop gives Qt a dark palette (Fusion, the style Qt uses on Linux desktops other than KDE's,
with light text on dark grey). The check-off, habits and settings windows are opened with the
README's habits, on a dark palette from the start and switched to it while they are open, as a desktop
switching at sunset does. The colours are read from what the windows paint (``grab()``): each
label's text against the pixels behind it, the charts' text against theirs, an unticked check box's
frame against its row. Under ``make screenshots`` the dark windows are saved as docs/screenshots'
``*-dark.png``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from tests.helpers.looks import (
    contrast_ratio,
    dark_palette,
    fusion_with,
    grab,
    open_windows,
    over,
    settle,
    show_habits,
)
from trayhabit.app.windows.charts import OutcomeCalendar, ScoreCurve
from trayhabit.app.windows.checkoff import CheckOffWindow
from trayhabit.app.windows.habits import HabitsWindow

# WCAG 2: body text wants 4.5:1 against its background, the parts of a control (a check box's frame) 3:1.
TEXT = 4.5
CONTROL = 3.0
# A hint in the palette's placeholder colour is quieter on purpose: 3.9:1 on the light theme.
HINT = 3.0


@pytest.fixture(params=["dark", "switched"])
def theme(request, qapp) -> Iterator[str]:
    """Fusion with a dark palette: from the start, or (*switched*) light until the test switches."""
    with fusion_with(dark_palette() if request.param == "dark" else None):
        yield request.param


@pytest.fixture
def windows(qtbot, model, clock, theme, tmp_path: Path) -> dict[str, QWidget]:
    """The three windows on the README's habits, dark (switched to dark after opening, for *switched*)."""
    habit_id = show_habits(model, clock)
    shown = open_windows(model, habit_id, tmp_path / "config")
    for window in shown.values():
        qtbot.addWidget(window)
    if theme == "switched":
        QApplication.setPalette(dark_palette())
        settle()
    return shown


def background(image: QImage, rect: QRect) -> QColor:
    """The colour most of *rect* shows in *image*: what the text there is painted on."""
    pixels = Counter(
        image.pixel(x, y)
        for x in range(rect.left(), rect.right() + 1)
        for y in range(rect.top(), rect.bottom() + 1)
    )
    return QColor.fromRgb(pixels.most_common(1)[0][0])


def ink(image: QImage, rect: QRect) -> float:
    """The contrast of the strongest mark in *rect* (a stroke of text) against its background."""
    rect = rect.intersected(image.rect())
    behind = background(image, rect)
    return max(
        contrast_ratio(QColor.fromRgb(image.pixel(x, y)), behind)
        for x in range(rect.left(), rect.right() + 1)
        for y in range(rect.top(), rect.bottom() + 1)
    )


def shown_rect(widget: QWidget, window: QWidget) -> QRect:
    """The part of *widget* the window shows (not scrolled away), in the window's pixels."""
    visible = widget.visibleRegion().boundingRect()
    return QRect(widget.mapTo(window, visible.topLeft()), visible.size())


def unreadable_labels(window: QWidget) -> list[str]:
    """Each label in *window* whose text colour has less than 4.5:1 against the pixels behind it
    (a hint in the placeholder colour: 3:1)."""
    image = grab(window)
    found = []
    for label in window.findChildren(QLabel):
        rect = shown_rect(label, window)
        if not label.isVisible() or not label.text() or rect.isEmpty():
            continue
        behind = background(image, rect)
        text = over(label.palette().color(label.foregroundRole()), behind)
        hint = label.foregroundRole() == QPalette.ColorRole.PlaceholderText
        if contrast_ratio(text, behind) < (HINT if hint else TEXT):
            found.append(
                f"{label.objectName() or label.text()[:30]!r}: {text.name()} on {behind.name()}, "
                f"{contrast_ratio(text, behind):.1f}:1"
            )
    return found


def test_every_label_of_every_window_reads_on_a_dark_theme(windows, theme) -> None:
    for name, window in windows.items():
        assert unreadable_labels(window) == [], f"{name} ({theme})"


def test_an_unticked_check_box_shows_on_its_row_on_a_dark_theme(windows, model, theme) -> None:
    check_off = windows["check-off-window"]
    assert isinstance(check_off, CheckOffWindow)
    image = grab(check_off)
    for habit_id in check_off.habit_ids():
        row = check_off.row(habit_id)
        assert row is not None
        if row.check_box.isChecked():
            continue
        # The card just left of the box, against the box's frame.
        strongest = box_frame_contrast(row.check_box, check_off, image)
        name = model.report(habit_id).habit.name
        assert strongest >= CONTROL, f"{name}: the box's frame has {strongest:.1f}:1 on its row ({theme})"


def box_frame_contrast(box: QAbstractButton, window: QWidget, image: QImage) -> float:
    """The contrast of an unticked box's frame (its indicator's outer ring of pixels) against the
    window just left of it, in *image*, a grab of *window*."""
    option = QStyleOptionButton()
    box.initStyleOption(option)
    element = (
        QStyle.SubElement.SE_RadioButtonIndicator
        if isinstance(box, QRadioButton)
        else QStyle.SubElement.SE_CheckBoxIndicator
    )
    indicator = box.style().subElementRect(element, option, box)
    frame = indicator.translated(box.mapTo(window, QPoint(0, 0)))
    around = QColor.fromRgb(image.pixel(max(0, frame.left() - 3), frame.center().y()))
    ring = [QPoint(x, frame.top()) for x in range(frame.left(), frame.right() + 1)]
    ring += [QPoint(frame.left(), y) for y in range(frame.top(), frame.bottom() + 1)]
    return max(contrast_ratio(QColor.fromRgb(image.pixel(point)), around) for point in ring)


def test_every_unticked_box_in_the_settings_and_habits_windows_shows_on_a_dark_theme(windows, theme) -> None:
    # Start at login, quiet hours, show archived, the repeat's days: Fusion drew their frames in the
    # window colour darkened, 1.3:1 on a dark window.
    for name in ("settings-window", "habits-window"):
        window = windows[name]
        image = grab(window)
        shown = [
            box
            for box in window.findChildren(QCheckBox) + window.findChildren(QRadioButton)
            if box.isVisible() and not box.isChecked() and not box.visibleRegion().isEmpty()
        ]
        assert shown, name
        for box in shown:
            strongest = box_frame_contrast(box, window, image)
            label = box.text() or box.accessibleName()
            assert strongest >= CONTROL, f"{name}: {label!r} has {strongest:.1f}:1 ({theme})"


def test_the_charts_and_the_habit_list_paint_text_that_reads_on_a_dark_theme(windows, theme) -> None:
    habits = windows["habits-window"]
    assert isinstance(habits, HabitsWindow)
    curve = habits.findChild(ScoreCurve)
    calendar = habits.findChild(OutcomeCalendar)
    assert curve is not None and calendar is not None
    image = grab(curve)
    font = curve.fontMetrics()
    # The scale down the left (1, 0.5, 0) and the first and last dates along the bottom.
    scale = QRect(0, 0, font.horizontalAdvance("0.5") + font.averageCharWidth(), curve.height())
    dates = QRect(0, curve.height() - font.height() * 3 // 2, curve.width(), font.height())
    calendar_image = grab(calendar)
    # The month names along the top and the weekday names (Mon, Wed, Fri) down the left, without
    # the coloured squares (the legend's text sits between squares).
    months = QRect(font.horizontalAdvance("Mon") * 2, 0, calendar.width(), font.height())
    weekdays = QRect(0, font.height(), font.horizontalAdvance("Mon"), font.height() * 8)
    habit_list = habits.findChild(QListWidget)
    assert habit_list is not None
    list_image = grab(habit_list.viewport())
    second = habit_list.visualItemRect(habit_list.item(1))  # a habit not selected: its detail line
    detail = second.adjusted(0, second.height() // 2, 0, 0)
    measured = {
        "score scale": ink(image, scale),
        "score dates": ink(image, dates),
        "months": ink(calendar_image, months),
        "weekdays": ink(calendar_image, weekdays),
        "habit detail": ink(list_image, detail),
    }
    assert {what: ratio for what, ratio in measured.items() if ratio < TEXT} == {}, theme


def test_what_the_habits_window_says_is_wrong_reads_after_a_switch_to_dark(
    qtbot, model, clock, tmp_path: Path, monkeypatch
) -> None:
    """The red of a refusal and the grey of a hint, chosen while light, follow the switch."""
    # Closed at the end with the new habit unsaved: its changes are discarded.
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Discard)
    with fusion_with(None):
        habit_id = show_habits(model, clock)
        windows = open_windows(model, habit_id, tmp_path / "config")
        for window in windows.values():
            qtbot.addWidget(window)
        habits = windows["habits-window"]
        assert isinstance(habits, HabitsWindow)
        habits.new_habit("Call the accountant")  # its start hint shows under the start date
        repeat = habits.findChild(QComboBox, "repeat")
        repeat.setCurrentIndex(repeat.findData("custom"))
        qtbot.keyClicks(habits.findChild(QLineEdit, "custom_rule"), "FREQ=HOURLY")  # refused, under it
        habits.show_error("Another habit is already called “Call the accountant”.")
        settle()
        said = [
            label
            for label in habits.findChildren(QLabel)
            if label.isVisible() and label.text() and label.objectName() == "schedule_error"
        ]
        assert said, "the schedule's problem is not shown"
        QApplication.setPalette(dark_palette())
        settle()
        assert unreadable_labels(habits) == []
        # The relapse notice is hidden until a retired reminder comes back: its colour, on the window.
        relapse = habits.findChild(QLabel, "relapse_notice")
        text = relapse.palette().color(relapse.foregroundRole())
        window = habits.palette().color(habits.backgroundRole())
        assert contrast_ratio(over(text, window), window) >= TEXT


@pytest.mark.parametrize("theme", ["dark"], indirect=True)
def test_screenshots_of_the_dark_windows(windows, screenshots_dir: Path) -> None:
    """What the README shows of the dark theme (docs/screenshots under ``make screenshots``)."""
    screenshots_dir.mkdir(parents=True, exist_ok=True)
    for name, window in windows.items():
        path = screenshots_dir / f"{name}-dark.png"
        assert grab(window).save(str(path), "PNG", 0), path  # 0: the smallest file
        assert QImage(str(path)).size() == window.size()
