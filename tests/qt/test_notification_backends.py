"""Choosing and falling back between notification backends, and the Windows and macOS code paths.

The backends here are fakes (no D-Bus); the real desktop-notifier against a real notification server
is in test_native_notifications.py.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.helpers.notifier import RecordingNotifier
from trayhabit.app.notifications import Notifier, summary_text
from trayhabit.app.notifications.chain import NotifierChain, backend_order
from trayhabit.app.notifications.native import NativeNotifier, NativeUnavailableError, open_desktop_notifier
from trayhabit.app.notifications.platforms import (
    APP_USER_MODEL_ID,
    APP_USER_MODEL_KEY,
    register_app_user_model_id,
    set_process_app_user_model_id,
)
from trayhabit.core.reminders import Reminder


def reminder(name: str = "Stretch", habit_id: str = "h1", why: str = "") -> Reminder:
    return Reminder(habit_id, name, why, date(2026, 11, 25), datetime(2026, 11, 25, 8, tzinfo=UTC))


class FailingNotifier(RecordingNotifier):
    """Records like the fake, but fails when started or when told to (as a broken backend would)."""

    def __init__(self, fail_at_start: bool = False) -> None:
        super().__init__()
        self.fail_at_start = fail_at_start

    def start(self) -> None:
        if self.fail_at_start:
            self.failed.emit("no notification server", None)

    def fail(self, what: object) -> None:
        self.failed.emit("the server went away", what)


@pytest.fixture
def backends(qapp) -> dict[str, FailingNotifier]:
    return {"native": FailingNotifier(), "qt": FailingNotifier(), "plyer": FailingNotifier()}


def chain_of(backends: dict[str, FailingNotifier], choice: str = "auto") -> tuple[NotifierChain, list[str]]:
    built: list[str] = []

    def factory(name: str):
        def build() -> Notifier:
            built.append(name)
            return backends[name]

        return build

    return NotifierChain({name: factory(name) for name in backends}, choice), built


@pytest.mark.parametrize(
    ("choice", "order"),
    [
        ("auto", ("native", "qt", "plyer")),
        ("native", ("native", "qt", "plyer")),
        ("qt", ("qt", "native", "plyer")),
        ("plyer", ("plyer", "native", "qt")),
    ],
)
def test_the_setting_picks_the_backend_tried_first(choice, order):
    assert backend_order(choice) == order


def test_nothing_is_built_until_a_notification_is_needed(backends):
    chain, built = chain_of(backends)
    chain.start()
    chain.withdraw("h1")  # nothing on screen yet: nothing to build for it
    assert built == []
    chain.notify(reminder())
    assert built == ["native"]
    assert backends["native"].notified_names() == ["Stretch"]


def test_prepare_builds_the_preferred_backend_for_its_status(backends, qtbot):
    backends["native"].fail_at_start = True
    chain, built = chain_of(backends)
    chain.start()
    assert chain.active_name == "native"  # not tried yet
    with qtbot.waitSignal(chain.backend_changed) as changed:
        chain.prepare()
    assert changed.args == ["qt"]
    assert built == ["native", "qt"]
    assert chain.failures == {"native": "no notification server"}


def test_only_the_backend_in_use_is_built(backends):
    chain, built = chain_of(backends, "qt")
    chain.start()
    chain.notify(reminder())
    assert built == ["qt"]
    assert backends["qt"].notified_names() == ["Stretch"]
    assert chain.active_name == "qt"


def test_a_backend_that_fails_at_start_gives_way_to_the_next_logged_once(backends, caplog):
    backends["native"].fail_at_start = True
    chain, built = chain_of(backends)
    with caplog.at_level(logging.WARNING):
        chain.start()
        chain.notify(reminder())
    assert built == ["native", "qt"]
    assert chain.active_name == "qt"
    assert backends["qt"].notified_names() == ["Stretch"]
    assert backends["native"].notified_names() == []
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == ["notifications: native failed (no notification server); falling back to qt"]
    assert chain.failures == {"native": "no notification server"}


def test_what_a_failing_backend_could_not_show_is_shown_by_the_next(backends, caplog):
    chain, _built = chain_of(backends)
    chain.start()
    first, second = reminder("Stretch", "h1"), reminder("Water the plants", "h2")
    chain.notify(first)
    chain.notify(second)
    with caplog.at_level(logging.WARNING):
        # Both sends fail later, one after the other (as queued D-Bus calls would).
        backends["native"].fail(first)
        backends["native"].fail(second)
        backends["native"].fail([first, second])
    assert backends["qt"].kinds() == ["notify", "notify", "summary"]
    assert backends["qt"].notified_names() == ["Stretch", "Water the plants"]
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1


def test_when_every_backend_fails_the_app_goes_on_and_says_why(backends, qtbot, caplog):
    for backend in backends.values():
        backend.fail_at_start = True
    chain, built = chain_of(backends)
    chain.start()
    with qtbot.waitSignal(chain.failed) as failed, caplog.at_level(logging.WARNING):
        chain.prepare()  # as for the first notification, or the settings window
    assert built == ["native", "qt", "plyer"]
    assert chain.active_name == ""
    assert failed.args[0] == "no notification server"
    chain.notify(reminder())  # nothing to show it with: no crash, nothing shown
    assert all(backend.notified_names() == [] for backend in backends.values())
    assert [r.levelname for r in caplog.records] == ["WARNING", "WARNING", "ERROR"]


def test_clicks_and_actions_come_through_from_a_backend_given_up_on(backends, qtbot):
    chain, _built = chain_of(backends)
    chain.start()
    chain.notify(reminder())
    backends["native"].fail(None)
    # The notification shown before the fallback is still on screen and still works.
    with qtbot.waitSignal(chain.action_invoked) as acted:
        backends["native"].act("h1", "done")
    assert acted.args == ["h1", "done"]
    with qtbot.waitSignal(chain.clicked) as clicked:
        backends["qt"].click("h1")
    assert clicked.args == ["h1"]
    chain.withdraw("h1")
    assert ("withdraw", "h1") in backends["native"].calls
    assert ("withdraw", "h1") in backends["qt"].calls


def test_changing_the_setting_moves_to_the_chosen_backend(backends, qtbot):
    chain, built = chain_of(backends)
    chain.start()
    chain.prepare()  # the settings window, where the setting is changed, has asked for the status
    with qtbot.waitSignal(chain.backend_changed) as changed:
        chain.set_choice("plyer")
    assert changed.args == ["plyer"]
    chain.notify(reminder())
    assert backends["plyer"].notified_names() == ["Stretch"]
    assert backends["native"].notified_names() == []
    assert built == ["native", "plyer"]


def test_a_change_of_setting_before_any_notification_builds_nothing(backends, qtbot):
    chain, built = chain_of(backends)
    chain.start()
    with qtbot.waitSignal(chain.backend_changed) as changed:
        chain.set_choice("plyer")  # from the command line, say: the settings window is closed
    assert changed.args == ["plyer"]
    assert built == []
    chain.notify(reminder())
    assert built == ["plyer"]


# -- the native backend, with a fake notification centre -------------------------------------------


class FakeCentre:
    """Stands in for desktop-notifier's DesktopNotifier, as macOS or Windows would behave."""

    def __init__(self, capabilities: set[str], accept: bool = True) -> None:
        from desktop_notifier import Capability

        self.capabilities = frozenset(Capability[name] for name in capabilities)
        self.accept = accept
        self.sent: list = []
        self.cleared: list[str] = []

    async def get_capabilities(self):
        return self.capabilities

    async def send_notification(self, notification) -> str:
        # desktop-notifier logs a refusal rather than raising it, and then skips on_dispatched.
        if self.accept:
            self.sent.append(notification)
            notification.on_dispatched()
        return notification.identifier

    async def get_current_notifications(self) -> list[str]:
        return [n.identifier for n in self.sent if n.identifier not in self.cleared]

    async def clear(self, identifier: str) -> None:
        self.cleared.append(identifier)


@pytest.fixture
def native_with(qapp):
    """Builds a NativeNotifier over a fake centre; stops each one (its thread) after the test."""
    made: list[NativeNotifier] = []

    def make(centre: FakeCentre) -> NativeNotifier:
        made.append(NativeNotifier(snooze_minutes=lambda: 15, opener=lambda icon: centre))
        return made[-1]

    yield make
    for notifier in made:
        notifier.stop()


def test_buttons_are_offered_where_the_centre_has_them(qtbot, native_with):
    centre = FakeCentre({"BUTTONS", "ON_CLICKED", "TITLE", "MESSAGE"})
    notifier = native_with(centre)
    notifier.start()
    with qtbot.waitSignal(notifier.delivered):
        notifier.notify(reminder(why="Loosen the back"))
    (sent,) = centre.sent
    assert (sent.title, sent.message) == ("Stretch", "Loosen the back")
    assert [(b.identifier, b.title) for b in sent.buttons] == [("done", "Done"), ("snooze", "Snooze 15 min")]
    # macOS calls back on the main thread's run loop: the clicks still arrive as signals.
    with qtbot.waitSignal(notifier.action_invoked) as acted:
        sent.buttons[1].on_pressed()
    assert acted.args == ["h1", "snooze"]


def test_without_buttons_the_click_still_opens_the_habit(qtbot, native_with):
    centre = FakeCentre({"ON_CLICKED", "TITLE", "MESSAGE"})
    notifier = native_with(centre)
    with qtbot.waitSignal(notifier.delivered):
        notifier.notify(reminder())
    (sent,) = centre.sent
    assert sent.buttons == ()
    assert sent.message == "Time for this habit — tick it off in TrayHabit."
    with qtbot.waitSignal(notifier.clicked) as clicked:
        sent.on_clicked()
    assert clicked.args == ["h1"]


def test_a_summary_has_no_buttons_and_a_click_opens_the_check_off_window(qtbot, native_with):
    centre = FakeCentre({"BUTTONS", "ON_CLICKED"})
    notifier = native_with(centre)
    reminders = [reminder("Stretch", "h1"), reminder("Water the plants", "h2")]
    with qtbot.waitSignal(notifier.delivered):
        notifier.notify_summary(reminders)
    (sent,) = centre.sent
    assert (sent.title, sent.message) == summary_text(reminders)
    assert sent.title == "2 reminders while you were away"
    assert sent.buttons == ()
    with qtbot.waitSignal(notifier.clicked) as clicked:
        sent.on_clicked()
    assert clicked.args == [""]


def test_a_refused_notification_fails_with_what_to_show_instead(qtbot, native_with):
    centre = FakeCentre({"BUTTONS"}, accept=False)
    notifier = native_with(centre)
    shown = reminder()
    with qtbot.waitSignal(notifier.failed) as failed:
        notifier.notify(shown)
    assert "did not accept" in failed.args[0]
    assert failed.args[1] == shown
    # Later reminders are handed straight back, without another try.
    later = reminder("Water the plants", "h2")
    with qtbot.waitSignal(notifier.failed) as again:
        notifier.notify(later)
    assert again.args[1] == later


def test_a_withdrawn_notification_is_cleared_from_the_centre(qtbot, native_with):
    centre = FakeCentre({"BUTTONS", "ON_CLICKED"})
    notifier = native_with(centre)
    with qtbot.waitSignal(notifier.delivered):
        notifier.notify(reminder())
    notifier.withdraw("h1")
    qtbot.waitUntil(lambda: centre.cleared == [centre.sent[0].identifier])


def test_macos_outside_the_app_bundle_has_no_native_notifications():
    from desktop_notifier.backends.dummy import DummyNotificationCenter

    with pytest.raises(NativeUnavailableError, match="app bundle"):
        open_desktop_notifier(None, "darwin", backend_class=DummyNotificationCenter)


# -- Windows: the AppUserModelID ------------------------------------------------------------------


class FakeRegistry:
    """The part of ``winreg`` the app uses, recording the values written."""

    HKEY_CURRENT_USER = "HKCU"
    REG_SZ = 1

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], object] = {}

    class _Key:
        def __init__(self, path: str) -> None:
            self.path = path

        def __enter__(self):
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    def CreateKeyEx(self, root: str, path: str):  # noqa: N802 (winreg's name)
        return self._Key(f"{root}\\{path}")

    def SetValueEx(self, key, name: str, reserved: int, kind: int, value: object) -> None:  # noqa: N802
        assert kind == self.REG_SZ
        self.values[(key.path, name)] = value


class FakeShell32:
    def __init__(self, result: int = 0) -> None:
        self.result = result
        self.ids: list[str] = []

    def SetCurrentProcessExplicitAppUserModelID(self, app_id: str) -> int:  # noqa: N802 (shell32's name)
        self.ids.append(app_id)
        return self.result


def test_windows_toasts_are_sent_for_the_shortcuts_app_user_model_id(tmp_path: Path):
    from desktop_notifier.backends.dbus import DBusDesktopNotifier

    registry = FakeRegistry()
    icon = tmp_path / "trayhabit-256.png"
    notifier = open_desktop_notifier(icon, "win32", backend_class=DBusDesktopNotifier, registry=registry)
    # desktop-notifier uses its app name as the AppUserModelID on Windows.
    assert notifier.app_name == APP_USER_MODEL_ID == "TrayHabit.TrayHabit"
    key = f"HKCU\\{APP_USER_MODEL_KEY}"
    assert registry.values == {(key, "DisplayName"): "TrayHabit", (key, "IconUri"): str(icon)}


def test_the_process_claims_the_app_user_model_id():
    shell32 = FakeShell32()
    set_process_app_user_model_id(shell32)
    assert shell32.ids == [APP_USER_MODEL_ID]


def test_a_refused_app_user_model_id_is_an_error_with_the_hresult():
    with pytest.raises(OSError, match="0x80070057"):
        set_process_app_user_model_id(FakeShell32(result=0x80070057))


def test_the_registry_entry_without_an_icon_names_the_app():
    registry = FakeRegistry()
    register_app_user_model_id(registry, None)
    assert list(registry.values.values()) == ["TrayHabit"]
