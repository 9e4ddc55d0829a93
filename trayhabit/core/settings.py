"""Every setting, declared once: its type, default, allowed values and description.

The store keeps only the values the user changed; :class:`Settings` answers the rest from the
declarations here. ``trayhabit config``, the settings window and the score all read from this table,
so a new setting needs one entry and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any

from trayhabit.core.days import format_time_of_day, parse_time_of_day
from trayhabit.core.errors import UserError
from trayhabit.core.i18n import N_, _

#: In the stored settings: for each shared setting the user changed, [when (ISO, UTC), which device],
#: so that computers sharing a sync folder agree on the last change (see trayhabit.core.sync).
SETTING_STAMPS = "_changed"


class SettingError(UserError, ValueError):
    """An unknown setting or a value it cannot take; the message says which and why."""


@dataclass(frozen=True)
class SettingSpec:
    """One setting: name, default, a parser from the user's text, and what it means."""

    key: str
    default: Any
    parse: Callable[[str], Any]
    description: str
    # Kept by the app for itself (e.g. that the welcome was shown): not listed for the user.
    internal: bool = False
    # The same on every computer sharing a sync folder (what the scores depend on); the others belong
    # to one computer (its language, its notifications, whether it reminds at all).
    shared: bool = False

    def translated_description(self) -> str:
        """The description in the user's language (declared with ``N_``, translated here)."""
        return _(self.description)

    def format(self, value: Any) -> str:
        """The value as the user would type it."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, time):
            return format_time_of_day(value)
        return str(value)


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(_("expected true or false"))


def _number(low: float, high: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise ValueError(_("expected a number")) from None
        if not low <= value <= high:
            raise ValueError(_("expected a number from {low} to {high}").format(low=low, high=high))
        return value

    return parse


def _integer(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise ValueError(_("expected a whole number")) from None
        if not low <= value <= high:
            raise ValueError(_("expected a whole number from {low} to {high}").format(low=low, high=high))
        return value

    return parse


def _choice(*choices: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in choices:
            raise ValueError(_("expected one of: {choices}").format(choices=", ".join(choices)))
        return text

    return parse


def _quiet_hours(text: str) -> str:
    """``HH:MM-HH:MM`` (may run past midnight), or empty for none."""
    text = text.strip()
    if not text:
        return ""
    start, sep, end = text.partition("-")
    if not sep:
        raise ValueError(_("expected a range such as 22:00-07:00, or nothing to turn quiet hours off"))
    return f"{format_time_of_day(parse_time_of_day(start))}-{format_time_of_day(parse_time_of_day(end))}"


def _text(text: str) -> str:
    return text.strip()


def _folder(text: str) -> str:
    """An existing folder, as an absolute path (``~`` expanded); empty for none."""
    text = text.strip()
    if not text:
        return ""
    path = Path(text).expanduser()
    if not path.is_absolute():
        raise ValueError(_("expected a full path, such as {example}").format(example=Path.home() / "Sync"))
    if not path.is_dir():
        raise ValueError(_("{path} is not an existing folder").format(path=path))
    return str(path)


SPECS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec(
            "day_boundary",
            time(4, 0),
            parse_time_of_day,
            N_("When one local day ends and the next begins."),
            shared=True,
        ),
        SettingSpec(
            "snooze_minutes", 10, _integer(1, 24 * 60), N_("How long Snooze waits before reminding again.")
        ),
        SettingSpec(
            "quiet_hours", "", _quiet_hours, N_("Hours with no reminders, e.g. 22:00-07:00; empty for none.")
        ),
        SettingSpec("language", "system", _choice("system", "en", "sv"), N_("Language: system, en or sv.")),
        SettingSpec(
            "notification_backend",
            "auto",
            _choice("auto", "native", "qt", "plyer"),
            N_("How reminders are shown: auto, native, qt (tray balloon) or plyer."),
        ),
        SettingSpec("start_at_login", False, _bool, N_("Start TrayHabit when you log in.")),
        SettingSpec(
            "welcomed", False, _bool, N_("Whether the first-run welcome has been shown."), internal=True
        ),
        SettingSpec(
            "no_tray_explained",
            False,
            _bool,
            N_("Whether TrayHabit has said, on a desktop without a tray, how to get one."),
            internal=True,
        ),
        SettingSpec("backup_count", 7, _integer(1, 100), N_("How many daily backups of each file to keep.")),
        SettingSpec(
            "sync_folder",
            "",
            _folder,
            N_("A folder another program keeps in sync between your computers; empty for none."),
        ),
        SettingSpec("remind_here", True, _bool, N_("Show reminders on this computer.")),
        SettingSpec(
            "away_minutes",
            5,
            _integer(0, 24 * 60),
            N_("Hold reminders after this many minutes without keyboard or mouse input; 0 turns it off."),
        ),
        SettingSpec(
            "hold_during_do_not_disturb", True, _bool, N_("Hold reminders while Do Not Disturb is on.")
        ),
        SettingSpec(
            "hold_while_fullscreen", True, _bool, N_("Hold reminders while a window is full screen.")
        ),
        SettingSpec(
            "credit_preemptive",
            1.0,
            _number(0, 1),
            N_("Score credit for a check-off before the reminder."),
            shared=True,
        ),
        SettingSpec(
            "credit_reminded",
            0.4,
            _number(0, 1),
            N_("Score credit for a check-off after the reminder."),
            shared=True,
        ),
        SettingSpec(
            "credit_late",
            0.15,
            _number(0, 1),
            N_("Score credit for a check-off after the window closed."),
            shared=True,
        ),
        SettingSpec(
            "half_life_base",
            24.0,
            _number(1, 1000),
            N_("Half-life of the score in occurrences for a daily habit (scaled by sqrt of frequency)."),
            shared=True,
        ),
        SettingSpec(
            "graduation_score",
            0.80,
            _number(0, 1),
            N_("Score from which graduation is suggested."),
            shared=True,
        ),
        SettingSpec(
            "graduation_preemptive_share",
            0.80,
            _number(0, 1),
            N_("Share of recent occurrences that must be pre-empted for graduation."),
            shared=True,
        ),
        SettingSpec(
            "relapse_score",
            0.60,
            _number(0, 1),
            N_("A graduated habit relapses below this score."),
            shared=True,
        ),
        SettingSpec(
            "max_skips", 2, _integer(0, 100), N_("Skips allowed among the recent occurrences."), shared=True
        ),
        # The CalDAV account of this computer (`trayhabit caldav connect` sets them; the password is in
        # the system's credential store, never here). Per computer: each keeps its own credentials.
        SettingSpec("caldav_url", "", _text, N_("The CalDAV server's address."), internal=True),
        SettingSpec("caldav_user", "", _text, N_("The user name on the CalDAV server."), internal=True),
        SettingSpec("caldav_list", "", _text, N_("The CalDAV task list the habits go to."), internal=True),
        SettingSpec(
            "caldav_timeout",
            30,
            _integer(1, 600),
            N_("How many seconds to wait for the CalDAV server before giving up."),
        ),
    )
}


class Settings:
    """The settings in force: the user's stored values over the declared defaults.

    Each setting has a typed property (``settings.snooze_minutes`` is an int); ``settings[key]`` gives
    the value by name for code that goes through every setting (``trayhabit config``).
    """

    def __init__(self, stored: Mapping[str, Any] | None = None) -> None:
        self._values: dict[str, Any] = {key: spec.default for key, spec in SPECS.items()}
        for key, raw in (stored or {}).items():
            spec = SPECS.get(key)
            if spec is None:
                continue  # a setting from a newer version; kept in the store, ignored here
            self._values[key] = (
                spec.parse(raw) if isinstance(raw, str) and not isinstance(spec.default, str) else raw
            )

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    @property
    def day_boundary(self) -> time:
        """When one local day ends and the next begins."""
        value: time = self._values["day_boundary"]
        return value

    @property
    def snooze_minutes(self) -> int:
        """How long Snooze waits before reminding again, in minutes."""
        return int(self._values["snooze_minutes"])

    @property
    def quiet_hours(self) -> str:
        """Hours with no reminders as ``HH:MM-HH:MM``, or empty for none."""
        return str(self._values["quiet_hours"])

    @property
    def language(self) -> str:
        """The language: ``system``, ``en`` or ``sv``."""
        return str(self._values["language"])

    @property
    def notification_backend(self) -> str:
        """How reminders are shown: ``auto``, ``native``, ``qt`` or ``plyer``."""
        return str(self._values["notification_backend"])

    @property
    def start_at_login(self) -> bool:
        """Whether TrayHabit starts when the user logs in."""
        return bool(self._values["start_at_login"])

    @property
    def welcomed(self) -> bool:
        """Whether the first-run welcome has been shown."""
        return bool(self._values["welcomed"])

    @property
    def no_tray_explained(self) -> bool:
        """Whether the app has said, on a desktop without a tray, how to get one (once per data folder)."""
        return bool(self._values["no_tray_explained"])

    @property
    def backup_count(self) -> int:
        """How many daily backups of each file to keep."""
        return int(self._values["backup_count"])

    @property
    def sync_folder(self) -> str:
        """The sync folder (an absolute path), or empty when sync is off."""
        return str(self._values["sync_folder"])

    @property
    def remind_here(self) -> bool:
        """Whether this computer shows reminders."""
        return bool(self._values["remind_here"])

    @property
    def away_minutes(self) -> int:
        """Minutes without input after which reminders are held; 0 when that is off."""
        return int(self._values["away_minutes"])

    @property
    def hold_during_do_not_disturb(self) -> bool:
        """Whether reminders are held while Do Not Disturb is on."""
        return bool(self._values["hold_during_do_not_disturb"])

    @property
    def hold_while_fullscreen(self) -> bool:
        """Whether reminders are held while a window is full screen."""
        return bool(self._values["hold_while_fullscreen"])

    @property
    def credit_preemptive(self) -> float:
        """Score credit for a check-off before the reminder."""
        return float(self._values["credit_preemptive"])

    @property
    def credit_reminded(self) -> float:
        """Score credit for a check-off after the reminder."""
        return float(self._values["credit_reminded"])

    @property
    def credit_late(self) -> float:
        """Score credit for a check-off after the window closed."""
        return float(self._values["credit_late"])

    @property
    def half_life_base(self) -> float:
        """Half-life of the score in occurrences for a daily habit."""
        return float(self._values["half_life_base"])

    @property
    def graduation_score(self) -> float:
        """Score from which graduation is suggested."""
        return float(self._values["graduation_score"])

    @property
    def graduation_preemptive_share(self) -> float:
        """Share of recent occurrences that must be pre-empted for graduation."""
        return float(self._values["graduation_preemptive_share"])

    @property
    def relapse_score(self) -> float:
        """A graduated habit relapses below this score."""
        return float(self._values["relapse_score"])

    @property
    def max_skips(self) -> int:
        """Skips allowed among the recent occurrences."""
        return int(self._values["max_skips"])

    @property
    def caldav_url(self) -> str:
        """The CalDAV server's address, or empty when no account is set."""
        return str(self._values["caldav_url"])

    @property
    def caldav_user(self) -> str:
        """The user name on the CalDAV server."""
        return str(self._values["caldav_user"])

    @property
    def caldav_list(self) -> str:
        """The name of the CalDAV task list the habits go to."""
        return str(self._values["caldav_list"])

    @property
    def caldav_timeout(self) -> int:
        """Seconds to wait for the CalDAV server."""
        return int(self._values["caldav_timeout"])

    def items(self) -> list[tuple[str, Any]]:
        """Every setting and its value, in declaration order."""
        return list(self._values.items())


def parse_setting(key: str, text: str) -> tuple[str, Any]:
    """Validate the user's *text* for setting *key*; return the key and the value to store."""
    spec = SPECS.get(key)
    if spec is None:
        raise SettingError(
            _("There is no setting “{key}”. Settings: {keys}.").format(
                key=key, keys=", ".join(name for name, spec in SPECS.items() if not spec.internal)
            )
        )
    try:
        value = spec.parse(text)
    except ValueError as error:
        raise SettingError(
            # The reason may be a whole sentence already (a time's parser says "...00-59."): one full stop.
            _("Setting {key} cannot be “{text}”: {error}.").format(
                key=key, text=text, error=str(error).rstrip(".")
            )
        ) from None
    return key, stored_form(value)


def stored_form(value: Any) -> Any:
    """How a setting's value is written to the JSON store (times as HH:MM)."""
    return format_time_of_day(value) if isinstance(value, time) else value
