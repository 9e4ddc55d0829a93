"""Looking at the windows as people see them: a dark palette, contrast, and habits worth showing.

:func:`dark_palette` is a dark desktop's palette (what Qt's Fusion style gets on a Linux desktop set to
dark); :func:`contrast_ratio` is WCAG 2's measure of how well one colour reads on another;
:func:`show_habits` fills a store with the habits of the README's screenshots and :func:`open_windows`
shows the check-off, habits (on its Progress tab) and settings windows of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QTabWidget, QWidget

from tests.helpers.builders import event
from tests.helpers.clock import FakeClock
from tests.helpers.scoring import wait_scored
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.windows.checkoff import CheckOffWindow
from trayhabit.app.windows.habits import HabitsWindow
from trayhabit.app.windows.settings import SettingsWindow
from trayhabit.autostart import Autostart
from trayhabit.core.model import EventKind

STOCKHOLM = ZoneInfo("Europe/Stockholm")
#: A Monday afternoon: the daily habits' 16:35 reminders have come, the weekday habit's 16:30 one too.
NOW = datetime(2026, 11, 30, 16, 40, tzinfo=STOCKHOLM)
MEETINGS = "Follow up after a customer meeting"
#: The windows :func:`open_windows` shows, by the name their screenshots take.
WINDOWS = ("check-off-window", "habits-window", "settings-window")

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


def dark_palette() -> QPalette:
    """A dark palette as a desktop set to dark gives Qt: light text on a dark grey window, a darker
    base for fields and lists, a blue highlight; greyed text where a control is disabled."""
    window, text = QColor(50, 50, 50), QColor(240, 240, 240)
    palette = QPalette(window)
    colours = {
        Role.Window: window,
        Role.WindowText: text,
        Role.Base: window.darker(140),
        Role.AlternateBase: window.darker(120),
        Role.Text: text,
        Role.Button: window,
        Role.ButtonText: text,
        Role.BrightText: QColor(255, 255, 255),
        Role.Light: window.lighter(150),
        Role.Midlight: window.darker(130).lighter(110),
        Role.Mid: window.darker(130),
        Role.Dark: window.darker(150),
        Role.Shadow: QColor(0, 0, 0),
        Role.Highlight: QColor(48, 140, 198),
        Role.HighlightedText: text,
        Role.Link: QColor(110, 180, 255),
        Role.LinkVisited: QColor(190, 140, 255),
        Role.ToolTipBase: window.lighter(130),
        Role.ToolTipText: text,
        Role.PlaceholderText: QColor(160, 160, 160),
    }
    for role, colour in colours.items():
        palette.setColor(role, colour)
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(Group.Disabled, role, QColor(130, 130, 130))
    palette.setColor(Group.Disabled, Role.Base, window)
    palette.setColor(Group.Disabled, Role.Highlight, QColor(145, 145, 145))
    return palette


@contextmanager
def fusion_with(palette: QPalette | None) -> Iterator[None]:
    """The app in Fusion style with *palette* (None: Fusion's own light one) while inside; as before
    after. Fusion is the style Qt uses on Linux desktops other than KDE's, and the tests' style."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style, before = app.style().name(), QPalette(app.palette())
    fusion = QStyleFactory.create("Fusion")
    app.setStyle(fusion)
    app.setPalette(palette if palette is not None else fusion.standardPalette())
    try:
        yield
    finally:
        app.setStyle(style)
        app.setPalette(before)


def relative_luminance(colour: QColor) -> float:
    """WCAG 2's relative luminance of an opaque colour, 0 (black) to 1 (white)."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def contrast_ratio(one: QColor, other: QColor) -> float:
    """WCAG 2's contrast ratio of two opaque colours: 1 (the same) to 21 (black on white). Body text
    wants 4.5, large text and the parts of a control 3."""
    lighter, darker = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def over(colour: QColor, background: QColor) -> QColor:
    """*colour* (maybe translucent) as it shows painted on the opaque *background*."""
    alpha = colour.alphaF()
    return QColor.fromRgbF(
        colour.redF() * alpha + background.redF() * (1 - alpha),
        colour.greenF() * alpha + background.greenF() * (1 - alpha),
        colour.blueF() * alpha + background.blueF() * (1 - alpha),
    )


def grab(widget: QWidget) -> QImage:
    """*widget* as painted on the screen, in device pixels."""
    settle()
    return widget.grab().toImage()


def settle() -> None:
    """Let Qt lay out and paint what is pending."""
    for _ in range(5):
        QCoreApplication.processEvents()


def show_habits(model: HabitsModel, clock: FakeClock) -> str:
    """The README's habits, as of :data:`NOW`; the id of the weekday habit with two months' history.

    Two months of a weekday habit, mostly done before its 16:30 reminder (often after it early on,
    now and then missed); three daily habits whose 16:35 reminder came: one waits, one was done
    before it, one after.
    """
    start = (NOW - timedelta(days=63)).date()
    meetings = model.add_habit(
        MEETINGS,
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        time(16, 30),
        why="Send the summary while it is fresh",
        start=start,
    )
    assert meetings is not None
    with model.service.store.writing() as tx:
        for offset in range(62):
            day = start + timedelta(days=offset)
            if day.weekday() >= 5 or offset % 17 == 5:
                continue
            hour = 17 if offset < 20 and offset % 3 == 0 else 15
            moment = datetime.combine(day, time(hour, 10), STOCKHOLM)
            tx.add_event(event(EventKind.DONE, moment, day, habit_id=meetings.id).to_doc())
    daily = {}
    for name, why in (
        ("Stretch", "Loosen the back after sitting"),
        ("Water the plants", ""),
        ("Follow up sent quotes", "Deals close on follow-up"),
    ):
        habit = model.add_habit(name, "FREQ=DAILY", time(16, 35), why=why, start=NOW.date())
        assert habit is not None
        daily[name] = habit.id
    clock.set(NOW.replace(minute=20))
    model.check_off(daily["Follow up sent quotes"])
    clock.set(NOW.replace(minute=35))
    for name in ("Stretch", "Water the plants"):
        model.record_reminder(daily[name], NOW.date(), fired=True)
    clock.set(NOW.replace(minute=38))
    model.check_off(daily["Water the plants"])
    clock.set(NOW)
    model.reload()
    wait_scored(model)
    return meetings.id


def open_windows(model: HabitsModel, habit_id: str, config_home: Path) -> dict[str, QWidget]:
    """The three windows, shown as a user opens them: the check-off window, the habits window on
    *habit_id*'s Progress tab, and the settings window; by the name of their screenshots."""
    check_off = CheckOffWindow(model)
    check_off.show_and_focus()
    habits = HabitsWindow(model)
    habits.show()
    habits.show_habit(habit_id)
    tabs = habits.findChild(QTabWidget, "tabs")
    assert tabs is not None
    tabs.setCurrentIndex(1)
    settings = SettingsWindow(model, Autostart("trayhabit", platform="linux", config_home=config_home))
    settings.show_and_raise()
    settle()
    wait_scored(model)
    settle()
    return dict(zip(WINDOWS, (check_off, habits, settings), strict=True))
