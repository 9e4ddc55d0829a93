"""Start-up details of trayhabit.app.launch that the end-to-end tests cannot see."""

from __future__ import annotations

import linecache
import sys
from pathlib import Path

import pytest

from trayhabit.app.launch import spare_pyside_source_reads


def test_modules_imported_after_pyside_keep_no_source_in_memory(tmp_path: Path, monkeypatch, qapp):
    feature = sys.modules["shibokensupport.feature"]
    monkeypatch.setattr(feature, "_mod_uses_pyside", feature._mod_uses_pyside)  # restored afterwards
    for name in ("before_module_for_test", "plain_module_for_test"):
        (tmp_path / f"{name}.py").write_text("VALUE = 1\n" * 1000)
    (tmp_path / "qt_module_for_test.py").write_text("from PySide6.QtCore import QObject\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    def import_(name: str) -> None:
        monkeypatch.delitem(feature.pyside_feature_dict, name, raising=False)
        __import__(name)  # through the hook, as an import statement goes (importlib would not)
        monkeypatch.delitem(sys.modules, name)

    import_("before_module_for_test")
    assert str(tmp_path / "before_module_for_test.py") in linecache.cache  # what the hook does
    spare_pyside_source_reads()
    import_("plain_module_for_test")
    import_("qt_module_for_test")
    assert str(tmp_path / "plain_module_for_test.py") not in linecache.cache
    # The hook's answers are those it gave before: -1 ignores a module, 0 is one that uses PySide6.
    assert feature.pyside_feature_dict["plain_module_for_test"] == -1
    assert feature.pyside_feature_dict["qt_module_for_test"] == 0


def test_without_the_hook_nothing_is_changed(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delitem(sys.modules, "shibokensupport.feature")
    spare_pyside_source_reads()  # a PySide6 without the hook: nothing to tame, no error
