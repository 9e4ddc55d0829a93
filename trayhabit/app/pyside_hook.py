"""Keeps PySide6's import hook from caching the source of every module imported after it.

Workaround for the import hook shiboken6 installs (PYSIDE-2029, "Need to inspect imported modules
for PySide usage"; pyzo/pyzo#851 describes the same hook): PySide6 replaces ``__import__`` to offer
``from __feature__ import ...``, and after each import asks whether the module uses PySide6 by
searching its source for the word, read with ``inspect.getsource``. That goes through linecache,
which keeps every line of every module for the process's life: about 5 MiB of memory by the end of
TrayHabit's start-up (clearing the cache later gives none of it back to the system). Here the same
question is answered by searching the file without caching it.

Importing this module makes the change, so :mod:`trayhabit.app.launch` imports it before the app's
other modules, which are then spared too.
"""

from __future__ import annotations

import linecache
import sys
from types import ModuleType

import PySide6  # noqa: F401 (installs the import hook changed below)


def spare_source_reads() -> None:
    """Answer PySide6's import hook without caching sources (see the module's docstring); a
    PySide6 without that hook is left as it is."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return

    def uses_pyside(module: ModuleType) -> bool:
        # What inspect.getsource answers: only a module with a Python source file has a source.
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return False
        try:
            with open(path, "rb") as source:  # noqa: PTH123 (a hook on every import: the least code)
                return b"PySide6" in source.read()
        except OSError:
            return False

    setattr(feature, "_mod_uses_pyside", uses_pyside)  # noqa: B010 (a private name mypy cannot see)
    # The sources the hook cached while PySide6 itself was imported (its own modules, about 0.2 MiB):
    # let go now, early, their memory serves the app's modules instead of staying beside them.
    linecache.clearcache()


spare_source_reads()
