"""PySide6's import hook, tamed by trayhabit.app.pyside_hook (the end-to-end tests cannot see it)."""

from __future__ import annotations

import linecache
import sys
from pathlib import Path

import pytest

from trayhabit.app.pyside_hook import spare_source_reads


def test_modules_imported_after_pyside_keep_no_source_in_memory(tmp_path: Path, monkeypatch, qapp):
    feature = sys.modules["shibokensupport.feature"]
    # PySide6's own answer reads the source through linecache; the app's (installed once
    # trayhabit.app.launch is imported, so perhaps already) must not. Restored afterwards.
    monkeypatch.setattr(feature, "_mod_uses_pyside", feature._mod_uses_pyside)
    (tmp_path / "plain_module_for_test.py").write_text("VALUE = 1\n" * 1000)
    (tmp_path / "qt_module_for_test.py").write_text("from PySide6.QtCore import QObject\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    spare_source_reads()
    for name in ("plain_module_for_test", "qt_module_for_test"):
        monkeypatch.delitem(feature.pyside_feature_dict, name, raising=False)
        __import__(name)  # through the hook, as an import statement goes (importlib would not)
        monkeypatch.delitem(sys.modules, name)
    assert str(tmp_path / "plain_module_for_test.py") not in linecache.cache
    # The hook's answers are those it gave before: -1 ignores a module, 0 is one that uses PySide6.
    assert feature.pyside_feature_dict["plain_module_for_test"] == -1
    assert feature.pyside_feature_dict["qt_module_for_test"] == 0


def test_without_the_hook_nothing_is_changed(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delitem(sys.modules, "shibokensupport.feature")
    spare_source_reads()  # a PySide6 without the hook: nothing to tame, no error
