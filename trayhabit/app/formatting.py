"""Numbers in the windows written the way the user's locale writes them.

Scores, thresholds and credits are shown with two decimals and the locale's decimal separator
("0.67" in English, "0,67" in Swedish). Templates passed through ``tr()`` take the formatted text as a
plain ``{score}`` placeholder, so that no Python format spec (which always writes a point) is left in
a translatable string.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale


def format_score(value: float, locale: QLocale | None = None) -> str:
    """*value* (a 0-1 score, threshold or credit) with two decimals in *locale*'s notation.

    *locale* defaults to the application's default locale (set with the UI language); widgets that
    may carry their own pass ``self.locale()``.
    """
    return (locale if locale is not None else QLocale()).toString(value, "f", 2)
