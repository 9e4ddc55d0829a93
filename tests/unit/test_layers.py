"""The core stays Qt-free: it must run where no Qt is installed (the command line, a server)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "trayhabit" / "core"
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "trayhabit.app")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_core_module_imports_qt_or_the_app_layer():
    offenders = {
        path.relative_to(CORE).as_posix(): sorted(
            name for name in imported_modules(path) if name.startswith(FORBIDDEN)
        )
        for path in CORE.rglob("*.py")  # the store package's modules too
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_importing_the_whole_core_and_the_command_line_loads_no_qt():
    modules = [
        "trayhabit.core." + ".".join(path.relative_to(CORE).with_suffix("").parts)
        for path in CORE.rglob("*.py")
        if path.stem != "__init__"
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {[*modules, 'trayhabit.cli', 'trayhabit.commands']!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
