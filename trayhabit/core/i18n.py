"""Translation of the core's and the command line's user-visible strings (gettext).

The Qt layer translates its own strings with Qt's catalogue; the core and the command line run without
Qt, so they use gettext with the ``trayhabit`` domain and the catalogues under ``trayhabit/locale``
(compiled to ``.mo`` by the build, ``pybabel compile``, from the ``.po`` sources in ``resources/locale``).
Messages are marked with ``_()``, ``N_()`` or ``ngettext()`` where they are written, so ``pybabel
extract`` (``make update-translations``) finds every one of them.
The language follows the environment (``LANGUAGE``/``LC_ALL``/``LC_MESSAGES``/``LANG``) unless
:func:`set_language` forces one, as the ``language`` setting does. Numbers inside messages go
through :func:`format_decimal`, so that they follow the same language ("0,67" in Swedish).
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

DOMAIN = "trayhabit"
LANGUAGES = ("en", "sv")

# The language forced by the ``language`` setting; None follows the environment. Module state, like
# gettext's own, because ``_()`` is called from everywhere without a context to carry it.
_forced: list[str | None] = [None]


def locale_dir() -> Path:
    """Folder that holds ``<lang>/LC_MESSAGES/trayhabit.mo``, inside the package when installed."""
    return Path(__file__).resolve().parent.parent / "locale"


@cache
def _translations() -> gettext.NullTranslations:
    # fallback=True: a missing catalogue means English, never an error.
    languages = [_forced[0]] if _forced[0] else None
    return gettext.translation(DOMAIN, localedir=locale_dir(), languages=languages, fallback=True)


def translate_standard_library() -> None:
    """Let modules that call ``gettext.gettext`` (argparse's usage, help and errors) use our catalogue.

    They look messages up in the global text domain; pointing it at ours (which carries argparse's
    messages too) translates them with the environment's language.
    """
    gettext.bindtextdomain(DOMAIN, str(locale_dir()))
    gettext.textdomain(DOMAIN)


def set_language(code: str) -> None:
    """Use *code* ("sv", "en") for messages from now on; "system" (or "") follows the environment.

    Messages already translated (e.g. the command line's help, built before the settings are read)
    keep their language.
    """
    if code not in ("system", "", *LANGUAGES):
        raise ValueError(f"unknown language {code!r}")
    _forced[0] = None if code in ("system", "") else code
    _translations.cache_clear()


def current_language() -> str:
    """The language messages are translated into: "sv" or "en"."""
    info = _translations().info()
    return "sv" if info.get("language", "").startswith("sv") else "en"


# The decimal separator of each language (CLDR): Swedish writes 0,67 where English writes 0.67.
_DECIMAL_SEPARATORS = {"en": ".", "sv": ","}


def format_decimal(value: float, places: int = 2) -> str:
    """*value* with *places* decimals and the current language's decimal separator: "0.67", "0,67".

    For numbers inside messages (scores, thresholds). Machine-readable output (JSON, export files)
    keeps Python's own notation, so it never goes through here.
    """
    text = f"{value:.{places}f}"
    return text.replace(".", _DECIMAL_SEPARATORS[current_language()])


def _(message: str) -> str:
    """Translate *message* into the user's language (``LANGUAGE``/``LC_ALL``/``LANG``)."""
    return _translations().gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the usual gettext name, which extractors look for
    """Mark *message* for the catalogue without translating it yet: for text declared at import time
    (before the language is known) and translated with ``_()`` where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count, choosing the plural form the language needs."""
    return _translations().ngettext(singular, plural, n)
