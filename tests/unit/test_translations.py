"""The Swedish catalogues are complete, keep every placeholder, match the code, and the CLI speaks Swedish.

Two catalogues: gettext (``resources/locale/sv/LC_MESSAGES/trayhabit.po``) for the core and the command
line, Qt's (``resources/translations/trayhabit_sv.ts``) for the windows. ``make translations`` compiles
them into the package (``trayhabit/locale``, ``trayhabit/resources/translations``) with the tools the
build uses, Babel's ``pybabel`` and Qt's ``lrelease``. After changing a user-visible string, run ``make
update-translations`` and translate the new entries.
"""

from __future__ import annotations

import os
import re
import shutil
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from trayhabit.core import i18n

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "resources" / "locale" / "sv" / "LC_MESSAGES" / "trayhabit.po"
TS = ROOT / "resources" / "translations" / "trayhabit_sv.ts"
# Where the build puts the compiled catalogues, and where the code loads them from.
MO = ROOT / "trayhabit" / "locale" / "sv" / "LC_MESSAGES" / "trayhabit.mo"
QM = ROOT / "trayhabit" / "resources" / "translations" / "trayhabit_sv.qm"
BIN = Path(sys.executable).parent
# What `make update-translations` extracts: the gettext keywords of trayhabit.core.i18n.
EXTRACT_KEYWORDS = ["--no-default-keywords", "-k", "_", "-k", "N_", "-k", "ngettext:1,2"]


def _brace_fields(text: str) -> list[str]:
    """The ``{name:spec}`` fields of a ``str.format`` template, sorted, with their format specs."""
    return sorted(
        f"{field}:{spec}"
        for _literal, field, spec, _conv in string.Formatter().parse(text)
        if field is not None
    )


def _percent_fields(text: str) -> list[str]:
    """The ``%s`` / ``%(name)r`` fields of a printf-style message (argparse's)."""
    return sorted(re.findall(r"%(?:\([a-z_]+\))?[sdr]", text))


def _qt_markers(text: str) -> list[str]:
    return sorted(re.findall(r"%(?:n|L?\d+)", text))


def _mnemonic(text: str) -> bool:
    return bool(re.search(r"&[^&\s]", text.replace("&&", "")))


# -- gettext: core and command line ------------------------------------------------------------------


def _read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def _po_messages() -> list[Message]:
    return [message for message in _read_catalogue(PO) if message.id]


def _key(message: Message) -> tuple[str, ...]:
    """(singular,) or (singular, plural): what the code asks gettext for."""
    return tuple(message.id) if isinstance(message.id, tuple | list) else (message.id,)


def _strings(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def test_every_gettext_message_is_translated_and_none_is_fuzzy() -> None:
    catalogue = _read_catalogue(PO)
    assert not catalogue.fuzzy
    untranslated = [_key(m)[0] for m in _po_messages() if m.fuzzy or not all(_strings(m))]
    assert untranslated == []


def test_the_gettext_catalogue_holds_every_message_of_the_code_and_no_stale_one(tmp_path: Path) -> None:
    # pybabel as `make update-translations` runs it, over the current code.
    template = tmp_path / "trayhabit.pot"
    subprocess.run(
        [
            str(BIN / "pybabel"),
            "--quiet",
            "extract",
            "-F",
            "pyproject.toml",
            *EXTRACT_KEYWORDS,
            "-o",
            str(template),
            "trayhabit",
        ],
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    code = {_key(message) for message in _read_catalogue(template) if message.id}
    catalogue = {_key(message) for message in _po_messages()}
    assert sorted(code - catalogue) == [], "new messages: run `make update-translations`"
    assert sorted(catalogue - code) == [], "messages no longer used: run `make update-translations`"
    assert list(_read_catalogue(PO).obsolete) == []


def test_gettext_translations_keep_their_placeholders() -> None:
    for message in _po_messages():
        source = _key(message)[-1]  # the plural where there is one: it holds the count's placeholder
        for translation in _strings(message):
            assert _brace_fields(translation) == _brace_fields(source), message.id
            assert _percent_fields(translation) == _percent_fields(source), message.id


def test_the_swedish_header_declares_utf8_and_two_plural_forms() -> None:
    catalogue = _read_catalogue(PO)
    assert catalogue.charset.lower() == "utf-8"
    assert catalogue.plural_forms == "nplurals=2; plural=(n != 1);"


def test_the_built_mo_file_is_up_to_date_with_the_po_source(tmp_path: Path) -> None:
    assert MO.exists(), "run `make translations`"
    fresh = tmp_path / "trayhabit.mo"
    subprocess.run(
        [str(BIN / "pybabel"), "--quiet", "compile", "-i", str(PO), "-o", str(fresh)], check=True, timeout=120
    )
    assert MO.read_bytes() == fresh.read_bytes(), "stale .mo: run `make translations`"


def test_set_language_forces_swedish_or_english_and_system_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C")
    try:
        i18n.set_language("sv")
        assert i18n._("Next reminder: {when}.") == "Nästa påminnelse: {when}."
        assert i18n.current_language() == "sv"
        i18n.set_language("en")
        assert i18n._("Next reminder: {when}.") == "Next reminder: {when}."
        monkeypatch.setenv("LANG", "sv_SE.UTF-8")
        i18n.set_language("system")
        assert i18n._("Monday") == "måndag"
        with pytest.raises(ValueError, match="unknown language"):
            i18n.set_language("de")
    finally:
        monkeypatch.setenv("LANG", "C")
        i18n.set_language("system")


# -- the command line, as a user runs it ---------------------------------------------------------------


def _cli(data_dir: Path, *args: str, lang: str = "sv_SE.UTF-8") -> subprocess.CompletedProcess[str]:
    env = {
        key: value for key, value in os.environ.items() if key not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")
    }
    env["LANG"] = lang
    env.pop("TRAYHABIT_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "trayhabit", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        check=False,
        timeout=60,
    )


def test_with_a_swedish_lang_the_command_line_speaks_swedish(tmp_path: Path) -> None:
    empty = _cli(tmp_path, "list")
    assert empty.returncode == 0
    assert empty.stdout.startswith("Inga vanor än.")

    added = _cli(tmp_path, "add", "Följ upp offerter", "--every", "week", "--on", "fri", "--at", "15:00")
    assert added.returncode == 0, added.stderr
    assert "Lade till ”Följ upp offerter”: varje fredag kl. 15:00." in added.stdout
    assert "Nästa påminnelse:" in added.stdout

    listing = _cli(tmp_path, "list").stdout
    assert "NAMN" in listing and "NÄSTA PÅMINNELSE" in listing and "inlärning" in listing

    usage = _cli(tmp_path, "done")
    assert usage.returncode == 2
    assert usage.stderr == "trayhabit: följande argument krävs: HABIT (se `trayhabit done --help`)\n"
    assert _cli(tmp_path, "--help").stdout.startswith("användning: trayhabit")

    shown = _cli(tmp_path, "show", "följ upp offerter").stdout
    assert "Vanestyrka:" in shown
    for english in ("Score", "Next reminder", "Schedule", "before the reminder", "learning"):
        assert english not in shown

    unknown = _cli(tmp_path, "done", "ingen sådan")
    assert unknown.returncode == 1
    assert (
        unknown.stderr == "trayhabit: Det finns ingen vana ”ingen sådan”; `trayhabit list` visar vanorna.\n"
    )


def test_the_language_setting_wins_over_lang(tmp_path: Path) -> None:
    assert _cli(tmp_path, "config", "language", "sv", lang="C.UTF-8").returncode == 0
    assert _cli(tmp_path, "list", lang="C.UTF-8").stdout.startswith("Inga vanor än.")
    assert _cli(tmp_path, "config", "language", "en").returncode == 0
    assert _cli(tmp_path, "list").stdout.startswith("No habits yet.")


# -- Qt: the windows ----------------------------------------------------------------------------------


def _ts_messages(path: Path = TS) -> list[tuple[str, ET.Element]]:
    root = ET.parse(path).getroot()
    return [
        (context.findtext("name") or "", message)
        for context in root.iter("context")
        for message in context.iter("message")
    ]


def _translations(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    if message.get("numerus") == "yes":
        return [form.text or "" for form in translation.iter("numerusform")]
    return [translation.text or ""]


def test_every_qt_entry_is_translated_and_none_is_unfinished_or_obsolete() -> None:
    root = ET.parse(TS).getroot()
    assert root.get("language") == "sv_SE"
    bad = []
    for context, message in _ts_messages():
        translation = message.find("translation")
        assert translation is not None
        if translation.get("type") is not None or not all(_translations(message)):
            bad.append((context, message.findtext("source")))
    assert bad == []


def test_qt_translations_keep_placeholders_and_mnemonics() -> None:
    for context, message in _ts_messages():
        source = message.findtext("source") or ""
        for translation in _translations(message):
            where = f"{context}: {source!r}"
            assert _brace_fields(translation) == _brace_fields(source), where
            if message.get("numerus") != "yes":
                assert _qt_markers(translation) == _qt_markers(source), where
            assert _mnemonic(translation) == _mnemonic(source), where


def test_the_ts_file_holds_every_string_of_the_windows(tmp_path: Path) -> None:
    # lupdate over the current code, on a copy: every string it finds must already be translated there.
    lupdate = BIN / "pyside6-lupdate"
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    sources = sorted(str(path) for path in (ROOT / "trayhabit" / "app").rglob("*.py"))
    subprocess.run(
        [str(lupdate), "-silent", "-no-obsolete", "-locations", "none", *sources, "-ts", str(copy)],
        check=True,
        timeout=120,
    )
    missing = [
        (context, message.findtext("source"))
        for context, message in _ts_messages(copy)
        if (
            message.find("translation") is not None
            and message.find("translation").get("type") == "unfinished"
        )
    ]
    assert missing == [], "new strings: run `make update-translations` and translate them"


def test_the_built_qm_file_is_up_to_date_with_the_ts_source(tmp_path: Path) -> None:
    assert QM.exists(), "run `make translations`"
    fresh = tmp_path / QM.name
    subprocess.run(
        [str(BIN / "pyside6-lrelease"), "-silent", str(TS), "-qm", str(fresh)], check=True, timeout=120
    )
    assert QM.read_bytes() == fresh.read_bytes(), "stale .qm: run `make translations`"
