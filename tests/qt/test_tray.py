"""The tray icon: its menu, its states and tooltip, its artwork, and the Qt-tray notifier.

The offscreen platform has no system tray, so these tests drive the menu that the tray would open
(built by the same ``rebuild_menu`` that runs when it opens) and the icon's state directly.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QAction, QColor, QGuiApplication, QImage
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from tests.qt.conftest import STOCKHOLM
from trayhabit.app.icons import (
    STATES,
    app_icon,
    icon_data,
    load_icon,
    panel_is_dark,
    png_name,
    tray_icon,
    tray_icon_name,
)
from trayhabit.app.notifications.tray import TrayNotifier
from trayhabit.app.tray import TrayIcon
from trayhabit.core.model import Outcome
from trayhabit.core.reminders import Reminder, reminder_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def british_english() -> Iterator[None]:
    """Fixed time and weekday formats ("09:00", "Thu") whatever the machine's locale."""
    before = QLocale()
    QLocale.setDefault(QLocale("en_GB"))
    yield
    QLocale.setDefault(before)


@pytest.fixture
def tray(model) -> Iterator[TrayIcon]:
    icon = TrayIcon(model)
    yield icon
    icon.hide()


def add(model, name: str, rule: str = "FREQ=DAILY", at: time = time(9), **fields) -> str:
    habit = model.add_habit(name, rule, at, start=fields.pop("start", date(2026, 11, 2)), **fields)
    assert habit is not None
    return habit.id


def items(menu: QMenu) -> dict[str, QAction]:
    """Every named action of *menu* and its submenus, by object name."""
    found: dict[str, QAction] = {}
    for action in menu.actions():
        if action.objectName():
            found[action.objectName()] = action
        if action.menu() is not None:
            found.update(items(action.menu()))
    return found


def texts(menu: QMenu) -> list[str]:
    return [action.text() for action in menu.actions() if not action.isSeparator()]


def waiting_reminder(model, habit_id: str) -> Reminder:
    report = model.report(habit_id)
    reminder = reminder_of(report)
    assert reminder is not None
    return reminder


# -- Today ------------------------------------------------------------------------------------------


def test_today_lists_the_habits_due_today_and_leaves_out_another_days_weekly_habit(model, tray):
    stretch = add(model, "Stretch")
    add(model, "Follow up sent quotes", "FREQ=WEEKLY;BYDAY=FR", time(15))  # Wednesday today
    tray.rebuild_menu()

    menu_texts = texts(tray.menu)
    assert "Stretch" in menu_texts
    assert "Follow up sent quotes" not in menu_texts
    action = items(tray.menu)["today:" + stretch]
    assert action.isCheckable()
    assert not action.isChecked()


def test_today_shows_check_offs_as_checked_including_a_weekly_habit_pre_empted_today(model, tray):
    stretch = add(model, "Stretch")
    quotes = add(model, "Follow up sent quotes", "FREQ=WEEKLY;BYDAY=FR", time(15))
    walk = add(model, "Walk", at=time(18))
    model.check_off(stretch)
    model.check_off(quotes)
    model.skip(walk)
    tray.rebuild_menu()

    found = items(tray.menu)
    assert found["today:" + stretch].isChecked()
    assert found["today:" + quotes].isChecked()
    assert found["today:" + walk].isChecked()
    assert found["today:" + walk].text() == "Walk (skipped)"
    # In reminder order: 09:00, 18:00, then Friday's.
    assert [a.objectName() for a in tray.menu.actions() if a.objectName().startswith("today:")] == [
        "today:" + stretch,
        "today:" + walk,
        "today:" + quotes,
    ]


def test_ticking_a_habit_in_the_menu_checks_it_off_and_unticking_takes_it_back(model, tray):
    stretch = add(model, "Stretch")
    tray.rebuild_menu()

    items(tray.menu)["today:" + stretch].trigger()
    assert model.report(stretch).current.outcome is Outcome.PREEMPTIVE

    tray.rebuild_menu()
    action = items(tray.menu)["today:" + stretch]
    assert action.isChecked()
    action.trigger()
    assert model.report(stretch).current.outcome is None


def test_an_open_menu_keeps_its_entries_until_it_closes_then_shows_what_changed(model, tray, qtbot):
    # A StatusNotifierItem host draws the exported menu and sends back the id of the entry
    # clicked: a rebuild while it is open would leave that click with nothing to trigger.
    stretch = add(model, "Stretch")
    walk = add(model, "Walk", at=time(18))
    tray.menu.aboutToShow.emit()
    shown = items(tray.menu)["today:" + walk]

    model.check_off(stretch)  # from elsewhere (the check-off window, a notification) while it is open
    QCoreApplication.processEvents()
    assert items(tray.menu)["today:" + walk] is shown
    shown.trigger()  # the click the host sends still reaches its habit
    assert model.report(walk).current.outcome is Outcome.PREEMPTIVE

    tray.menu.aboutToHide.emit()
    QCoreApplication.processEvents()
    found = items(tray.menu)
    assert found["today:" + stretch].isChecked() and found["today:" + walk].isChecked()


def test_a_click_in_a_popup_menu_counts_though_the_menu_hides_before_it_triggers(model, tray):
    # A Qt popup emits aboutToHide before it triggers the action clicked: a rebuild caught up on
    # at that moment would delete the action, and the click would be lost.
    stretch = add(model, "Stretch")
    walk = add(model, "Walk", at=time(18))
    tray.menu.aboutToShow.emit()
    clicked = items(tray.menu)["today:" + walk]
    model.check_off(stretch)  # a change while the menu is open
    QCoreApplication.processEvents()

    tray.menu.aboutToHide.emit()
    clicked.trigger()
    assert model.report(walk).current.outcome is Outcome.PREEMPTIVE


def test_unticking_today_does_not_take_back_a_later_back_fill_of_another_day(model, clock, qtbot, tray):
    stretch = add(model, "Stretch")
    tray.rebuild_menu()
    items(tray.menu)["today:" + stretch].trigger()  # today's, before the reminder
    clock.advance(minutes=5)
    assert model.check_off(stretch, datetime(2026, 11, 24, 20, 0, tzinfo=STOCKHOLM)) is not None  # Tuesday's
    tray.rebuild_menu()

    with qtbot.waitSignal(model.error_raised) as refused:
        items(tray.menu)["today:" + stretch].trigger()

    assert "comes first" in refused.args[0]
    # Today's check-off stands, and so does Tuesday's: the undo took back neither.
    assert model.report(stretch).current.outcome is Outcome.PREEMPTIVE
    assert any(
        entry.occurrence.key == date(2026, 11, 24) and entry.event for entry in model.report(stretch).settled
    )


def test_a_day_without_habits_says_so(model, tray):
    add(model, "Follow up sent quotes", "FREQ=WEEKLY;BYDAY=FR", time(15))
    tray.rebuild_menu()

    empty = next(a for a in tray.menu.actions() if a.text() == "No habits today")
    assert not empty.isEnabled()


def test_after_midnight_today_is_still_the_evening_before_until_the_day_boundary(model, clock, tray):
    stretch = add(model, "Stretch")
    clock.set(datetime(2026, 11, 26, 1, 30, tzinfo=STOCKHOLM))  # Thursday 01:30, before 04:00
    model.reload()
    tray.rebuild_menu()

    action = items(tray.menu)["today:" + stretch]
    action.trigger()
    # The check-off lands on Wednesday's occurrence, late in its window: the reminder had come.
    assert model.report(stretch).current.occurrence.key == date(2026, 11, 25)
    assert model.report(stretch).current.outcome is Outcome.REMINDED


def test_an_ampersand_in_a_name_is_shown_not_taken_as_a_shortcut(model, tray):
    habit = add(model, "Quotes & calls")
    tray.rebuild_menu()

    assert items(tray.menu)["today:" + habit].text() == "Quotes && calls"


# -- Due now ----------------------------------------------------------------------------------------


def test_due_now_appears_only_with_waiting_reminders(model, clock, tray):
    stretch = add(model, "Stretch")
    tray.rebuild_menu()
    assert "Due now" not in texts(tray.menu)

    clock.set(datetime(2026, 11, 25, 9, 5, tzinfo=STOCKHOLM))
    model.reload()
    tray.set_state([waiting_reminder(model, stretch)], None, None)
    tray.rebuild_menu()
    assert "Due now" in texts(tray.menu)
    assert "Stretch" in [a.text() for a in tray.menu.actions() if a.menu() is not None]

    tray.set_state([], None, None)
    tray.rebuild_menu()
    assert "Due now" not in texts(tray.menu)


def test_done_and_snooze_in_due_now_ask_for_that_habit(model, clock, tray, qtbot):
    stretch = add(model, "Stretch")
    model.set_setting("snooze_minutes", "15")
    clock.set(datetime(2026, 11, 25, 9, 5, tzinfo=STOCKHOLM))
    model.reload()
    tray.set_state([waiting_reminder(model, stretch)], None, None)
    tray.rebuild_menu()
    found = items(tray.menu)

    assert found["snooze:" + stretch].text() == "&Snooze 15 min"
    with qtbot.waitSignal(tray.done_requested) as done:
        found["done:" + stretch].trigger()
    assert done.args == [stretch]
    with qtbot.waitSignal(tray.snooze_requested) as snooze:
        found["snooze:" + stretch].trigger()
    assert snooze.args == [stretch]


# -- commands and pause -----------------------------------------------------------------------------


def test_the_commands_ask_for_their_windows_and_quit(tray, qtbot):
    commands = {action.text(): action for action in tray.menu.actions()}
    with qtbot.waitSignal(tray.check_off_requested) as check_off:
        commands["&Check off…"].trigger()
    assert check_off.args == [""]
    with qtbot.waitSignal(tray.habits_requested):
        commands["&Habits…"].trigger()
    with qtbot.waitSignal(tray.settings_requested):
        commands["&Settings…"].trigger()
    with qtbot.waitSignal(tray.quit_requested):
        commands["&Quit TrayHabit"].trigger()


def test_a_left_click_on_the_icon_opens_the_check_off_window(tray, qtbot, monkeypatch):
    monkeypatch.setattr("trayhabit.app.tray.sys.platform", "linux")
    with qtbot.waitSignal(tray.check_off_requested) as check_off:
        tray.tray.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert check_off.args == [""]
    with qtbot.assertNotEmitted(tray.check_off_requested):
        tray.tray.activated.emit(QSystemTrayIcon.ActivationReason.Context)


def test_pause_for_an_hour_and_until_tomorrows_day_boundary(model, clock, tray, qtbot):
    model.set_setting("day_boundary", "05:00")
    tray.rebuild_menu()
    found = items(tray.menu)

    with qtbot.waitSignal(tray.pause_requested) as hour:
        found["pause:hour"].trigger()
    assert hour.args[0] == clock.now() + timedelta(hours=1)
    with qtbot.waitSignal(tray.pause_requested) as tomorrow:
        found["pause:tomorrow"].trigger()
    assert tomorrow.args[0] == datetime(2026, 11, 26, 5, 0, tzinfo=STOCKHOLM)


def test_resume_is_offered_only_while_paused_and_asks_to_resume(model, clock, tray, qtbot):
    tray.rebuild_menu()
    assert not items(tray.menu)["pause:resume"].isEnabled()

    tray.set_state([], clock.now() + timedelta(hours=1), None)
    tray.rebuild_menu()
    found = items(tray.menu)
    assert found["pause:resume"].isEnabled()
    assert "Paused until 09:00" in texts(found["pause"].menu())
    with qtbot.waitSignal(tray.pause_requested) as resume:
        found["pause:resume"].trigger()
    assert resume.args == [None]

    clock.advance(hours=2)  # the pause has run out
    tray.rebuild_menu()
    assert not items(tray.menu)["pause:resume"].isEnabled()


# -- icon state and tooltip -------------------------------------------------------------------------


def test_the_icon_shows_paused_over_waiting_over_normal(model, clock, tray):
    stretch = add(model, "Stretch")
    reminder = waiting_reminder(model, stretch)
    assert tray.state == "normal"

    tray.set_state([reminder], None, None)
    assert tray.state == "waiting"
    tray.set_state([reminder], clock.now() + timedelta(hours=1), None)
    assert tray.state == "paused"
    tray.set_state([reminder], None, None)
    assert tray.state == "waiting"
    tray.set_state([], None, None)
    assert tray.state == "normal"


def test_the_icon_leaves_paused_when_the_pause_runs_out(model, clock, tray):
    stretch = add(model, "Stretch")
    tray.set_state([waiting_reminder(model, stretch)], clock.now() + timedelta(hours=1), None)
    assert tray.state == "paused"

    clock.advance(hours=1, minutes=1)
    tray.refresh()  # what the tray's own timer does when the pause ends

    assert tray.state == "waiting"
    assert "paused" not in tray.tooltip()


def test_the_tooltip_names_what_is_waiting_and_the_next_reminder(model, clock, tray):
    stretch = add(model, "Stretch")
    plan = add(model, "Plan the day", at=time(8, 30))
    add(model, "Follow up sent quotes", "FREQ=WEEKLY;BYDAY=FR", time(15))
    clock.set(datetime(2026, 11, 25, 9, 5, tzinfo=STOCKHOLM))
    model.reload()
    waiting = [waiting_reminder(model, plan), waiting_reminder(model, stretch)]
    following = min(r.next_reminder for r in model.reports() if r.next_reminder is not None)

    tray.set_state(waiting, None, following)

    assert tray.tooltip() == (
        "TrayHabit\n2 reminders waiting: Plan the day, Stretch\nNext reminder: Thu 08:30 — Plan the day"
    )
    assert tray.tray.toolTip() == tray.tooltip()


def test_a_long_list_of_waiting_reminders_stays_short_in_the_tooltip(model, clock, tray):
    ids = [add(model, name) for name in ("Stretch", "Walk", "Read", "Plan", "Call mum")]
    clock.set(datetime(2026, 11, 25, 9, 5, tzinfo=STOCKHOLM))
    model.reload()
    tray.set_state([waiting_reminder(model, habit_id) for habit_id in ids], None, None)

    assert tray.tooltip() == "TrayHabit\n5 reminders waiting: Stretch, Walk, Read and 2 more"


def test_the_tooltip_says_until_when_reminders_are_paused(model, clock, tray):
    add(model, "Stretch")
    tray.set_state([], datetime(2026, 11, 25, 14, 30, tzinfo=STOCKHOLM), None)

    assert tray.tooltip() == "TrayHabit\nReminders paused until 14:30"


def test_the_tooltip_says_nothing_about_a_habit_until_its_reminder(model, tray):
    add(model, "Stretch")
    tray.set_state([], None, None)

    assert tray.tooltip() == "TrayHabit"


# -- artwork ----------------------------------------------------------------------------------------


def colours(image: QImage) -> set[tuple[int, int, int]]:
    """The opaque colours in *image*, rounded so that anti-aliasing does not count."""
    found = set()
    for y in range(image.height()):
        for x in range(image.width()):
            colour = QColor(image.pixel(x, y))
            if image.pixelColor(x, y).alpha() == 255:
                found.add((colour.red() // 64, colour.green() // 64, colour.blue() // 64))
    return found


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("dark_panel", [False, True])
def test_every_tray_icon_draws_at_tray_sizes(qapp, state, dark_panel):
    icon = tray_icon(state, dark_panel=dark_panel)
    for size in (16, 22, 32, 64):
        image = icon.pixmap(size).toImage()
        assert image.width() == size
        assert colours(image), f"{state} at {size} px is empty"


def test_the_glyph_is_dark_on_light_panels_and_light_on_dark_panels(qapp):
    dark_glyph = colours(tray_icon("normal", dark_panel=False).pixmap(32).toImage())
    light_glyph = colours(tray_icon("normal", dark_panel=True).pixmap(32).toImage())
    assert dark_glyph == {(0, 0, 0)}
    assert light_glyph == {(3, 3, 3)}


@pytest.mark.parametrize(
    ("desktop", "dark"),
    [("sway", True), ("Hyprland", True), ("ubuntu:GNOME", True), ("KDE", False), ("XFCE", False)],
)
def test_on_a_light_colour_scheme_the_glyph_is_light_where_the_panel_is_dark_anyway(
    qapp, monkeypatch, desktop, dark
):
    # swaybar is black and GNOME's top bar dark whatever the scheme: a dark glyph would vanish there.
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", desktop)
    assert QGuiApplication.palette().window().color().lightness() >= 128  # the light scheme
    assert panel_is_dark() is dark


def test_a_waiting_reminder_adds_an_orange_dot(qapp):
    found = colours(tray_icon("waiting", dark_panel=False).pixmap(32).toImage())
    assert (3, 1, 0) in found  # #e8590c


def test_macos_gets_template_icons_that_the_menu_bar_tints(qapp):
    assert tray_icon_name("paused", dark_panel=False, platform="darwin") == "tray-paused-template.svg"
    assert tray_icon_name("paused", dark_panel=True, platform="linux") == "tray-paused-dark.svg"
    template = load_icon("tray-waiting-template", (32,))
    assert colours(template.pixmap(32).toImage()) == {(0, 0, 0)}


def test_the_app_icon_draws_at_window_and_installer_sizes(qapp):
    icon = app_icon()
    assert {size.width() for size in icon.availableSizes()} >= {16, 32, 48, 256}
    assert len(colours(icon.pixmap(256).toImage())) > 3


def load_make_icons() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "packaging" / "make_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_pngs_the_app_loads_are_rendered_from_the_current_svgs(qapp):
    """The app draws pre-rendered PNGs (no QtSvg at run time); after an SVG changes, `make icons`."""
    make_icons = load_make_icons()
    stale = []
    for stem, sizes in make_icons.app_png_sizes().items():
        renderer = make_icons.load_renderer(make_icons.ARTWORK / f"{stem}.svg")
        for size in sizes:
            expected = QImage.fromData(make_icons.render_png(renderer, size))
            found = QImage.fromData(icon_data(png_name(stem, size)))
            if found.size() != expected.size() or largest_difference(found, expected) > 8:
                stale.append(f"{stem}-{size}")
    assert stale == [], "run `make icons` to render the PNGs again"


def largest_difference(first: QImage, second: QImage) -> int:
    """The largest difference of one channel of one pixel (a newer Qt may anti-alias a little apart)."""
    one = first.convertToFormat(QImage.Format.Format_ARGB32)
    two = second.convertToFormat(QImage.Format.Format_ARGB32)
    return max(abs(a - b) for a, b in zip(one.constBits().tobytes(), two.constBits().tobytes(), strict=True))


# -- the Qt-tray notifier ---------------------------------------------------------------------------


@pytest.fixture
def shown(monkeypatch) -> list[tuple[str, str, int]]:
    """The tray messages shown, as on a desktop whose tray shows them (offscreen has no tray)."""
    messages: list[tuple[str, str, int]] = []

    def show_message(self, title, body, icon, msecs):
        messages.append((title, body, msecs))

    monkeypatch.setattr(QSystemTrayIcon, "showMessage", show_message)
    monkeypatch.setattr(QSystemTrayIcon, "isVisible", lambda self: True)
    monkeypatch.setattr(QSystemTrayIcon, "supportsMessages", staticmethod(lambda: True))
    return messages


def test_with_no_tray_to_show_messages_the_qt_backend_fails_and_passes_the_reminder_on(
    model, tray, monkeypatch, qtbot
):
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", lambda *args: pytest.fail("shown without a tray"))
    notifier = TrayNotifier(tray.tray)
    reminder = waiting_reminder(model, add(model, "Stretch"))
    with qtbot.waitSignal(notifier.failed) as failed:
        notifier.notify(reminder)
    assert failed.args == ["there is no tray icon to show messages from", reminder]


def test_a_reminder_shows_the_habits_name_and_why(model, tray, shown):
    notifier = TrayNotifier(tray.tray)
    stretch = add(model, "Stretch", why="My back thanks me")
    walk = add(model, "Walk")

    notifier.notify(waiting_reminder(model, stretch))
    notifier.notify(waiting_reminder(model, walk))

    assert notifier.name == "qt"
    assert shown == [
        ("Stretch", "My back thanks me", 15000),
        ("Walk", "Time for this habit — tick it off in TrayHabit.", 15000),
    ]


def test_clicking_a_message_names_the_habit_of_the_last_one(model, tray, shown, qtbot):
    notifier = TrayNotifier(tray.tray)
    stretch = add(model, "Stretch")
    walk = add(model, "Walk")
    notifier.notify(waiting_reminder(model, stretch))
    notifier.notify(waiting_reminder(model, walk))

    with qtbot.waitSignal(notifier.clicked) as clicked:
        tray.tray.messageClicked.emit()
    assert clicked.args == [walk]


def test_a_summary_lists_the_names_and_a_click_on_it_names_no_habit(model, tray, shown, qtbot):
    notifier = TrayNotifier(tray.tray)
    ids = [add(model, name) for name in ("Stretch", "Walk", "Read")]
    notifier.notify(waiting_reminder(model, ids[0]))
    notifier.notify_summary([waiting_reminder(model, habit_id) for habit_id in ids])

    assert shown[-1][:2] == ("3 reminders while you were away", "Stretch\nWalk\nRead")
    with qtbot.waitSignal(notifier.clicked) as clicked:
        tray.tray.messageClicked.emit()
    assert clicked.args == [""]
