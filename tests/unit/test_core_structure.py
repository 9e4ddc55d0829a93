"""The core's structure (issue 16): one clock, no import cycles, and files short enough to read.

Each test reads the source (the AST), so it names the file and line to mend rather than a symptom.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "trayhabit" / "core"
MAX_LINES = 600

# Reads of the clock: only trayhabit.core.clock may make them; the rest takes a Clock or `now`.
CLOCK_READS = {
    f"{module}.{name}"
    for module in ("datetime", "datetime.datetime")
    for name in ("now", "utcnow", "today", "fromtimestamp")
} | {
    "date.today",
    "datetime.date.today",
    *(
        f"time.{name}"
        for name in (
            "time",
            "time_ns",
            "monotonic",
            "monotonic_ns",
            "perf_counter",
            "perf_counter_ns",
            "process_time",
            "localtime",
            "gmtime",
            "ctime",
            "asctime",
        )
    ),
}


def core_modules() -> dict[str, Path]:
    """Every module of the core, packages included: dotted name -> file."""
    modules: dict[str, Path] = {}
    for path in sorted(CORE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def dotted(node: ast.expr) -> str | None:
    """``a.b.c`` of an attribute chain on a name, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base is not None else None
    return None


def clock_reads(source: str, where: str) -> Iterator[str]:
    """``where:line: what`` for each read of the clock in the module *source*."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and dotted(node) in CLOCK_READS:
            yield f"{where}:{node.lineno}: {dotted(node)}"
        elif isinstance(node, ast.ImportFrom) and node.module == "time":
            for alias in node.names:
                if f"time.{alias.name}" in CLOCK_READS:
                    yield f"{where}:{node.lineno}: from time import {alias.name}"


def _is_type_checking(node: ast.If) -> bool:
    return dotted(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def _imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports under *node*, at any depth (functions included), but not those only for typing."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child):
            for other in child.orelse:
                yield from _imports(other)
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        yield from _imports(child)


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The core modules that module *name* imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # `from package import module` imports the module; `from module import name` the module.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names
            ]
        found.update(target for target in targets if target in modules and target != name)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_only_the_clock_module_reads_the_time():
    reads = [
        read
        for name, path in core_modules().items()
        if name != "trayhabit.core.clock"
        for read in clock_reads(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    ]
    assert reads == []


def test_the_clock_check_sees_each_way_of_reading_the_time():
    clock = CORE / "clock.py"  # the one module that may
    assert {read.split(": ", 1)[1] for read in clock_reads(clock.read_text(encoding="utf-8"), "clock")} >= {
        "time.time_ns",
        "time.monotonic",
    }
    sample = (
        "import datetime, time\nfrom time import monotonic\nfrom datetime import date\n"
        "a = datetime.datetime.now()\nb = date.today()\nc = time.perf_counter()\nd = lambda: datetime.now\n"
    )
    assert [read.split(": ", 1)[1] for read in clock_reads(sample, "sample")] == [
        "from time import monotonic",
        "datetime.datetime.now",
        "date.today",
        "time.perf_counter",
        "datetime.now",
    ]


def test_no_core_module_imports_one_that_imports_it_back():
    modules = core_modules()
    graph = {name: imports_of(name, path, modules) for name, path in modules.items()}
    assert graph["trayhabit.core.store.folder"] >= {"trayhabit.core.store.layout", "trayhabit.core.locking"}
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_cycle_through_an_import_inside_a_function():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_core_file_is_longer_than_600_lines():
    lengths = {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in core_modules().values()
    }
    assert {name: length for name, length in lengths.items() if length > MAX_LINES} == {}
