"""Loads the Swedish (or English) translation of the UI at start-up.

Two catalogues make a Swedish UI: Qt's own ``qtbase_sv.qm`` (the buttons of standard dialogs, context
menus of text fields) from PySide6's translations folder, and ours, ``trayhabit_<lang>.qm``, compiled by
the build from ``resources/translations/trayhabit_<lang>.ts``. The core's gettext catalogue (schedule
descriptions, error messages shown in the windows) is switched to the same language, and the default
``QLocale`` too, so that dates, weekday names and times follow (Swedish: Monday first, 24-hour clock).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from trayhabit.core import i18n as core_i18n

log = logging.getLogger(__name__)

LANGUAGES = ("en", "sv")
# Marks the translators this module installed, so that a second call (or a test) can take them out.
_TRANSLATOR_NAME = "trayhabit-translator"


def translations_dir() -> Path:
    """Folder of the compiled ``trayhabit_<lang>.qm`` files, inside the package."""
    return Path(__file__).resolve().parent.parent / "resources" / "translations"


def resolve_language(setting: str, system: QLocale | None = None) -> str:
    """The UI language for the ``language`` setting: "sv" or "en" as given, "system" from the locale."""
    if setting in LANGUAGES:
        return setting
    locale = system if system is not None else QLocale.system()
    # uiLanguages lists the user's languages in order of preference, e.g. ["sv-SE", "en-US"].
    for name in locale.uiLanguages():
        code = name.split("-")[0].split("_")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"


def ui_locale(language: str, system: QLocale | None = None) -> QLocale:
    """The locale for dates, times and numbers: the system's when it speaks *language*.

    Otherwise the language with the system's country, so that forcing English on a Swedish system keeps
    Monday first and the 24-hour clock (en_SE), and forcing Swedish elsewhere gives sv_SE.
    """
    system = system if system is not None else QLocale.system()
    if language == "sv":
        if system.language() == QLocale.Language.Swedish:
            return system
        return QLocale(QLocale.Language.Swedish, QLocale.Country.Sweden)
    if system.language() == QLocale.Language.English:
        return system
    return QLocale(QLocale.Language.English, system.territory())


def install_translators(app: QCoreApplication, language: str = "system") -> str:
    """Translate *app* into the language the ``language`` setting names; return "sv" or "en".

    Safe to call again (e.g. when the setting changes): the translators of an earlier call are removed
    first. Widgets built afterwards, and menus rebuilt when they open, come out in the new language.
    """
    remove_translators(app)
    code = resolve_language(language)
    core_i18n.set_language(code)
    QLocale.setDefault(ui_locale(code))
    if code == "en":
        # The source strings are English; Qt's own English needs no catalogue either.
        return code
    catalogues = [
        (f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        (f"trayhabit_{code}", str(translations_dir())),
    ]
    for name, folder in catalogues:
        translator = QTranslator(app)
        translator.setObjectName(_TRANSLATOR_NAME)
        if translator.load(name, folder):
            app.installTranslator(translator)
        else:
            # Not fatal: the UI stays (partly) English. Ours is missing when the build step was skipped.
            log.warning("No translation %s.qm in %s; run `make translations`", name, folder)
            translator.deleteLater()
    return code


def remove_translators(app: QCoreApplication) -> None:
    """Take out the translators :func:`install_translators` put in, back to English source strings."""
    for translator in app.findChildren(QTranslator, _TRANSLATOR_NAME):
        app.removeTranslator(translator)
        translator.setParent(None)
        translator.deleteLater()
