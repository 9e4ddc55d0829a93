"""Translation of the core's and the command line's user-visible strings (gettext).

The Qt layer translates its own strings with Qt's catalogue; the core and the command line run without
Qt, so they use gettext with the ``trayhabit`` domain and the catalogues under ``resources/locale``.
Messages are marked with ``_()`` where they are written, so a catalogue can cover every one of them.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

DOMAIN = "trayhabit"


def locale_dir() -> Path:
    """Folder that holds ``<lang>/LC_MESSAGES/trayhabit.mo``, inside the package when installed."""
    return Path(__file__).resolve().parent.parent / "locale"


@cache
def _translations() -> gettext.NullTranslations:
    # fallback=True: a missing catalogue means English, never an error.
    return gettext.translation(DOMAIN, localedir=locale_dir(), fallback=True)


def _(message: str) -> str:
    """Translate *message* into the user's language (``LANGUAGE``/``LC_ALL``/``LANG``)."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count, choosing the plural form the language needs."""
    return _translations().ngettext(singular, plural, n)
