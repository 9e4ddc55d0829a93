"""In Swedish, no English word is left anywhere a user can see or hear it.

The Swedish translators are installed into the test QApplication (and taken out afterwards); every
window, dialog and menu is opened with habits in several states, and every text it shows (labels,
buttons, actions, titles, group boxes, tabs, combo items, placeholders, tooltips, accessible names)
is checked against the English source strings of both catalogues.
"""

from __future__ import annotations

import re
import string
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabWidget,
    QWidget,
)

from tests.qt.conftest import STOCKHOLM
from trayhabit.app.i18n import install_translators, remove_translators, resolve_language, ui_locale
from trayhabit.app.tray import TrayIcon
from trayhabit.app.windows.checkoff import CheckOffWindow
from trayhabit.app.windows.crash_dialog import CrashDialog
from trayhabit.app.windows.settings import SettingsWindow
from trayhabit.app.windows.welcome import WelcomeDialog
from trayhabit.autostart import Autostart
from trayhabit.core import i18n as core_i18n
from trayhabit.core.reminders import reminder_of

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "trayhabit_sv.ts"
PO = ROOT / "resources" / "locale" / "sv" / "LC_MESSAGES" / "trayhabit.po"
# Not English, whatever they look like: the brand, formats and the RRULE syntax users type.
ALLOWED = {"trayhabit", "rrule", "freq", "byday", "byhour", "byminute", "weekly", "monthly", "json", "csv"}


def _catalogue() -> list[tuple[str, str]]:
    """(English source, Swedish translation) of every message of both catalogues."""
    pairs = []
    for message in ET.parse(TS).getroot().iter("message"):
        translation = message.find("translation")
        forms = [f.text or "" for f in translation.iter("numerusform")] if translation is not None else []
        pairs.append((message.findtext("source") or "", (translation.text or "") if not forms else forms[0]))
    text = PO.read_text(encoding="utf-8")
    for msgid, msgstr in re.findall(r'^msgid "(.*)"\nmsgstr "(.*)"$', text, re.MULTILINE):
        pairs.append((msgid.encode().decode("unicode_escape").encode("latin-1").decode(), msgstr))
    return [(source, translation) for source, translation in pairs if source]


def _plain(text: str) -> str:
    """Visible text without HTML tags, mnemonics and extra white space."""
    text = re.sub(r"<[^>]+>", "", text).replace("&&", "\0").replace("&", "").replace("\0", "&")
    return " ".join(text.split())


def _template(source: str) -> re.Pattern[str] | None:
    """A pattern for the English *source* once its ``{placeholders}`` are filled in."""
    parts = []
    literal = ""
    for text, field, _spec, _conv in string.Formatter().parse(_plain(source)):
        parts.append(re.escape(text))
        literal += text
        if field is not None:
            parts.append(".+?")
    if not re.search(r"[A-Za-z]{4}", literal):
        return None
    return re.compile("".join(parts), re.DOTALL)


PAIRS = _catalogue()
TEMPLATES = [
    pattern for source, translation in PAIRS if source != translation if (pattern := _template(source))
]
SWEDISH_WORDS = {
    word.lower() for _source, translation in PAIRS for word in re.findall(r"[^\W\d_]+", translation)
}
ENGLISH_WORDS = (
    {
        word.lower()
        for source, _translation in PAIRS
        for word in re.findall(r"[A-Za-z]{3,}", _plain(re.sub(r"\{[^}]*\}", " ", source)))
    }
    - SWEDISH_WORDS
    - ALLOWED
)


def english_in(texts: list[str], names: set[str]) -> list[str]:
    """The *texts* that are (or contain) English, user-typed habit *names* aside."""
    found = []
    for raw in texts:
        text = _plain(raw)
        for name in names:
            text = text.replace(name, " ")
        # File paths (the data folder) are the user's, not ours.
        text = re.sub(r"\S*[/\\]\S*", " ", text)
        if not text.strip():
            continue
        words = {word.lower() for word in re.findall(r"[^\W\d_]+", text)} & ENGLISH_WORDS
        if words or any(pattern.fullmatch(text) for pattern in TEMPLATES):
            found.append(f"{raw!r} {sorted(words)}")
    return found


def widget_texts(root: QWidget) -> list[str]:
    """Every text *root* and its children show or speak."""
    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        texts += [
            widget.toolTip(),
            widget.accessibleName(),
            widget.accessibleDescription(),
            widget.whatsThis(),
        ]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QLineEdit):
            texts += [widget.placeholderText(), widget.text()]
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count())]
            texts += [widget.tabToolTip(i) for i in range(widget.count())]
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            texts += [str(model.data(model.index(r, 0)) or "") for r in range(model.rowCount())]
        if isinstance(widget, QMenu):
            texts += menu_texts(widget)
        for action in widget.actions():
            texts += [action.text(), action.toolTip()]
    return [text for text in texts if text]


def menu_texts(menu: QMenu) -> list[str]:
    """Every action text and tooltip of *menu* and its submenus."""
    texts = [menu.title()]
    for action in menu.actions():
        texts += [action.text(), action.toolTip()]
        if action.menu() is not None:
            texts += menu_texts(action.menu())
    return [text for text in texts if text]


NAMES = {"Följ upp offerter", "Kundmöte", "Stretcha", "Planera veckan", "Förnya domänen"}


@pytest.fixture
def swedish(qapp) -> Iterator[None]:
    before = QLocale()
    assert install_translators(qapp, "sv") == "sv"
    yield
    remove_translators(qapp)
    QLocale.setDefault(before)
    core_i18n.set_language("system")


@pytest.fixture
def habits(model, clock, swedish) -> dict[str, str]:
    """Habits in every state the windows show: waiting, checked off, open before the reminder, weekly."""
    start = date(2026, 11, 2)
    made = {
        "stretch": model.add_habit("Stretcha", "FREQ=DAILY", time(9), why="Ryggen tackar", start=start),
        "quotes": model.add_habit("Följ upp offerter", "FREQ=WEEKLY;BYDAY=FR", time(15), start=start),
        "meeting": model.add_habit("Kundmöte", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", time(16, 30), start=start),
        "plan": model.add_habit("Planera veckan", "FREQ=MONTHLY;BYDAY=1MO", time(8), start=start),
    }
    ids = {key: habit.id for key, habit in made.items() if habit is not None}
    assert len(ids) == 4
    clock.set(datetime(2026, 11, 25, 9, 5, tzinfo=STOCKHOLM))
    model.reload()
    model.check_off(ids["meeting"])
    return ids


def test_the_translators_are_installed_and_the_locale_is_swedish(swedish) -> None:
    assert QLocale().language() == QLocale.Language.Swedish
    assert QLocale().firstDayOfWeek().name == "Monday"
    assert "AP" not in QLocale().timeFormat(QLocale.FormatType.ShortFormat).upper()
    assert QLocale().dayName(1) == "måndag"


def test_the_vocabulary_finds_english(swedish) -> None:
    # The check itself: English texts are caught, Swedish ones pass.
    assert english_in(["Next reminder: tomorrow 09:00."], set())
    assert english_in(["Stäng the window"], set())
    assert not english_in(["Nästa påminnelse: i morgon 09:00."], set())
    assert not english_in(["Följ upp offerter"], NAMES)


def test_the_check_off_window_is_all_swedish(qtbot, model, habits) -> None:
    # A yearly habit, open but months from its reminder: under "Later".
    assert model.add_habit("Förnya domänen", "FREQ=YEARLY", time(10), start=date(2026, 10, 20))
    window = CheckOffWindow(model)
    qtbot.addWidget(window)
    window.show()
    texts = widget_texts(window)
    assert "Bocka av — TrayHabit" in texts
    assert "Senare (1)" in texts
    # The heading is a state, not a command ("Öppna nu" reads as "open it now").
    assert "Kan bockas av nu" in texts and "Öppna nu" not in texts
    assert english_in(texts, NAMES) == []

    window.select_habit(habits["stretch"])
    dialog = window.open_backfill()
    assert dialog is not None
    assert english_in(widget_texts(dialog), NAMES) == []


def test_the_settings_window_is_all_swedish(qtbot, model, habits, tmp_path: Path) -> None:
    window = SettingsWindow(model, Autostart("trayhabit", platform="linux", config_home=tmp_path / "config"))
    qtbot.addWidget(window)
    window.show()
    texts = widget_texts(window)
    assert "Inställningar — TrayHabit" in texts
    assert english_in(texts, NAMES) == []


def test_the_welcome_dialog_is_all_swedish(qtbot, swedish) -> None:
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    texts = widget_texts(dialog)
    assert "Välkommen — TrayHabit" in texts
    assert any("hunnit före påminnelsen" in text for text in texts)
    assert english_in(texts, set()) == []


def test_the_crash_dialog_is_all_swedish(qtbot, swedish, tmp_path: Path) -> None:
    dialog = CrashDialog(tmp_path / "logs")
    qtbot.addWidget(dialog)
    dialog.add("Traceback (most recent call last): ...")
    dialog.add("Traceback (most recent call last): ...")
    # The log folder's path is the test's own, with English words in it.
    texts = [text.replace(str(tmp_path / "logs"), "") for text in widget_texts(dialog)]
    assert "Något gick fel — TrayHabit" in texts
    assert "&Kopiera detaljer" in texts
    assert english_in(texts, set()) == []


def test_the_tray_menu_and_tooltip_are_all_swedish(model, clock, habits) -> None:
    tray = TrayIcon(model)
    try:
        waiting = reminder_of(model.report(habits["stretch"]))
        assert waiting is not None
        tray.set_state([waiting], None, datetime(2026, 11, 25, 15, 30, tzinfo=STOCKHOLM))
        tray.rebuild_menu()
        texts = menu_texts(tray.menu)
        assert "&Bocka av…" in texts and "Pa&usa påminnelser" in texts
        assert english_in([*texts, tray.tooltip()], NAMES) == []

        tray.set_state([], datetime(2026, 11, 25, 10, 5, tzinfo=STOCKHOLM), None)
        tray.rebuild_menu()
        assert english_in([*menu_texts(tray.menu), tray.tooltip()], NAMES) == []
    finally:
        tray.hide()


def test_the_habits_window_is_all_swedish(qtbot, model, habits) -> None:
    from trayhabit.app.windows.habits import HabitsWindow

    window = HabitsWindow(model)
    qtbot.addWidget(window)
    window.show()
    texts = widget_texts(window)
    assert "Vanor — TrayHabit" in texts
    assert english_in(texts, NAMES) == []


def test_the_language_setting_picks_the_catalogue_and_system_follows_the_locale() -> None:
    swedish_system = QLocale(QLocale.Language.Swedish, QLocale.Country.Sweden)
    german_system = QLocale(QLocale.Language.German, QLocale.Country.Germany)
    assert resolve_language("system", swedish_system) == "sv"
    assert resolve_language("system", german_system) == "en"
    assert resolve_language("en", swedish_system) == "en"
    assert resolve_language("sv", german_system) == "sv"
    # Forcing English on a Swedish system keeps Swedish formats: Monday first, 24-hour clock.
    english = ui_locale("en", swedish_system)
    assert english.language() == QLocale.Language.English
    assert english.firstDayOfWeek().name == "Monday"
    assert "AP" not in english.timeFormat(QLocale.FormatType.ShortFormat).upper()
    assert ui_locale("sv", german_system).territory() == QLocale.Country.Sweden


def test_switching_back_to_english_takes_the_swedish_out_again(qapp) -> None:
    before = QLocale()
    try:
        install_translators(qapp, "sv")
        assert QCoreApplication.translate("TrayIcon", "&Quit TrayHabit") == "&Avsluta TrayHabit"
        assert core_i18n._("Monday") == "måndag"
        assert install_translators(qapp, "en") == "en"
        assert QCoreApplication.translate("TrayIcon", "&Quit TrayHabit") == "&Quit TrayHabit"
        assert core_i18n._("Monday") == "Monday"
    finally:
        remove_translators(qapp)
        QLocale.setDefault(before)
        core_i18n.set_language("system")


def test_one_settled_occurrence_reads_as_swedish(qtbot, model, swedish) -> None:
    from PySide6.QtWidgets import QLabel as Label

    from trayhabit.app.windows.habits import HabitsWindow

    habit = model.add_habit("Stretcha", "FREQ=DAILY", time(9), start=date(2026, 11, 24))
    window = HabitsWindow(model)
    qtbot.addWidget(window)
    window.show_habit(habit.id)
    title = window.findChild(Label, "counts_title").text()
    assert title.startswith("Den enda som är avgjord hittills")
    assert "De 1 som" not in title


def test_the_schedule_form_and_the_note_on_a_past_start_read_as_swedish(qtbot, model, swedish) -> None:
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QDateEdit, QSpinBox

    from trayhabit.app.windows.habits import HabitsWindow

    window = HabitsWindow(model)
    qtbot.addWidget(window)
    window.new_habit("Stretcha")
    combo = window.findChild(QComboBox, "repeat")
    assert [combo.itemText(i) for i in range(combo.count())][-1] == "Annat (regel)…"
    start = window.findChild(QDateEdit, "start_date")
    note = window.findChild(QLabel, "past_start_note")
    start.setDate(QDate(2026, 11, 24))
    assert note.text() == (
        "Med det här startdatumet hamnar 1 tillfälle i det förflutna. Det räknas som missat om du inte "
        "bockar av det i efterhand med ”Tidigare…” i fönstret Bocka av."
    )
    start.setDate(QDate(2026, 11, 20))
    assert note.text().startswith(
        "Med det här startdatumet hamnar 5 tillfällen i det förflutna. De räknas som missade"
    )
    combo.setCurrentIndex(combo.findData("weekly"))
    weeks = window.findChild(QSpinBox, "weeks_interval")
    unit = window.findChild(QLabel, "weeks_unit")
    assert unit.text() == "vecka"
    weeks.setValue(2)
    assert unit.text() == "veckor"
    for repeat in ("every_n_days", "monthly", "yearly", "custom"):
        combo.setCurrentIndex(combo.findData(repeat))
        assert english_in(widget_texts(window), NAMES | {"Stretcha"}) == [], repeat
