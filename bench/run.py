"""The benchmark: ``python -m bench.run [--quick]`` from the repository root (``make bench``).

Three apps run in turn on one private desktop (Xvfb, a session bus, the trayer tray host, from
tests/helpers/desktop.py), round after round in the order floor, TrayHabit on an empty store, TrayHabit
on the large store, so that slow drift of the machine falls on all three alike:

- the floor (bench/floor_app.py): a bare PySide6 app with one tray icon and its menu;
- TrayHabit (``python -m trayhabit``) on an empty store and on the large store (bench/generate_store.py).

TrayHabit's sources are compiled to bytecode first, as in any installation (see compile_sources).
For each run: the time from just before the process is started until its icon is embedded and shown
by the tray host (bench/xtray.py watches the X server for it), RSS and PSS 10 s later, then CPU time
and voluntary context switches over an idle minute (bench/procstat.py); no reminder is due meanwhile.
After the rounds, bench/probe.py measures in fresh processes (cold caches) on copies of the stores:
opening the store, every score, check-offs until durable, opening the two windows (offscreen), and
a new schedule for the large store's longest habit (its duration and peak memory).

It prints a table of medians against the budgets (bench/report.py) and writes it as Markdown to
build/bench/latest.md. The exit status is 0 even when budgets fail (it is a report); it is not 0 only
when the harness itself fails. ``--quick`` runs 2 rounds with a 10 s idle span, for development.
The runs' files (each app's log, the store copies) go to a scratch folder in build/bench, removed at
the end unless BENCH_KEEP=1 (or the harness failed).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bench import procstat
from bench.generate_store import ZONE, cached_large_store, copy_store, make_empty, size_on_disk
from bench.probe import empty_with_habits
from bench.report import AppRun, build_rows, machine, render_markdown, render_text
from bench.xtray import TrayWatcher
from tests.helpers.desktop import Desktop, start_desktop, terminate

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "bench"
SETTLE_S = 10.0  # memory is read this long after the icon shows
ICON_TIMEOUT_S = 120.0
SAMPLE_S = 0.25  # how often the threads' counters are read during the idle span
APPS = {
    "floor": [sys.executable, "bench/floor_app.py"],
    "empty": [sys.executable, "-m", "trayhabit"],
    "large": [sys.executable, "-m", "trayhabit"],
}
# What an app's log must not say: a reminder came due, or something went wrong.
SUSPECT = ("notified", "reminder beaten", "WARNING", "ERROR", "CRITICAL", "Traceback")
PROBES = (
    "open",
    "scores",
    "checkoff",
    "rescored",
    "window-checkoff",
    "window-habits",
    "schedule-change",
    "schedule-stall",
    "calendar-stall",
    "sync-stall",
)


@dataclass(frozen=True)
class Mode:
    """How long and how often to measure."""

    name: str
    rounds: int
    idle_s: float
    probe_rounds: int
    starts: int  # start-ups of each app timed back to back, for the start-up figure

    @property
    def needed(self) -> timedelta:
        """A generous bound on the run's length: no reminder of the large store may fall inside it."""
        per_run = 15 + SETTLE_S + self.idle_s
        seconds = (self.rounds + 1) * 3 * per_run + self.starts * 3 * 15 + self.probe_rounds * 120 + 600
        return timedelta(seconds=seconds)


FULL = Mode("full", rounds=5, idle_s=60.0, probe_rounds=5, starts=11)
QUICK = Mode("quick", rounds=2, idle_s=10.0, probe_rounds=2, starts=5)


class Bench:
    """The stores, the private desktop and a scratch folder of one benchmark run."""

    def __init__(self, mode: Mode, scratch: Path, desktop: Desktop, stores: dict[str, Path]) -> None:
        self.mode = mode
        self.scratch = scratch
        self.desktop = desktop
        self.stores = stores
        self.problems: list[str] = []  # log lines that make a run suspect (a reminder, a warning)
        self._count = 0
        panel = int(desktop.wait_for_window("--classname", "^panel$"))
        self.tray = TrayWatcher(desktop.env["DISPLAY"], panel)

    def _folder(self, label: str) -> Path:
        self._count += 1
        folder = self.scratch / f"{self._count:03d}-{label}"
        folder.mkdir()
        return folder

    def _env(self, folder: Path, data: Path | None) -> dict[str, str]:
        env = dict(self.desktop.env)
        env.update(
            XDG_CACHE_HOME=str(folder / "cache"),
            XDG_CONFIG_HOME=str(folder / "config"),
            LANGUAGE="en",
            TZ=ZONE,
        )
        if data is not None:
            env["TRAYHABIT_DATA_DIR"] = str(data)
        return env

    def start_app(self, name: str) -> float:
        """Start app *name*, stop it as soon as its icon shows; return how long that took (ms)."""
        run = self.run_app(name, settle=False)
        return run if isinstance(run, float) else run.startup_ms

    def run_app(self, name: str, *, settle: bool = True) -> AppRun | float:
        """Start app *name*, wait for its icon, measure its memory and idle minute (with *settle*;
        else only its start-up, in ms), and stop it."""
        folder = self._folder(name)
        data = copy_store(self.stores[name], folder / "data") if name in self.stores else None
        # The copy leaves the large store's 90 MiB of dirty pages to be written back; written now,
        # not while the app starts (the kernel's writeback would compete with it, and only with it).
        os.sync()
        env = self._env(folder, data)
        self.tray.wait(lambda icons: not icons, ICON_TIMEOUT_S, alive=lambda: True)
        with (folder / "app.log").open("wb") as log:
            started = time.monotonic()
            process = subprocess.Popen(APPS[name], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            shown = self.tray.wait(bool, ICON_TIMEOUT_S, alive=lambda: process.poll() is None)
            if not settle:
                return (shown - started) * 1000
            time.sleep(max(0.0, shown + SETTLE_S - time.monotonic()))
            memory = procstat.memory(process.pid)
            meter, since = procstat.IdleMeter(process.pid), time.monotonic()
            while time.monotonic() < since + self.mode.idle_s:
                time.sleep(min(SAMPLE_S, max(0.0, since + self.mode.idle_s - time.monotonic())))
                meter.sample()
            idle = meter.result()
            per_minute = 60.0 / (time.monotonic() - since)
            if process.poll() is not None:
                raise RuntimeError(f"{name} ended during the measurement; see {folder / 'app.log'}")
        finally:
            terminate(process)
        self.problems += [f"{name} ({folder.name}): {line}" for line in _log_problems(folder / "app.log")]
        return AppRun(
            startup_ms=(shown - started) * 1000,
            rss=memory.rss,
            pss=memory.pss,
            cpu_ms=idle.cpu_ns / 1e6 * per_minute,
            cpu_ticks_ms=idle.cpu_ticks_ns / 1e6 * per_minute,
            switches=idle.voluntary_switches * per_minute,
            threads=idle.threads,
            threads_ended=idle.threads_ended,
            threads_started=idle.threads_started,
        )

    def probe(self, what: str, store: str) -> dict[str, list[float]]:
        """Run one bench/probe.py measurement in a fresh process on a copy of *store*: its figures by
        name ("ms", and the probe's others)."""
        folder = self._folder(f"{store}-{what}")
        if what in ("checkoff", "rescored") and store == "empty":
            # 50 new habits, made here: the probe's process then starts as cold as on the large store
            # (making them in the probe warmed up the code a check-off runs, for the empty store only).
            data = folder / "data"
            empty_with_habits(data)
        else:
            data = copy_store(self.stores[store], folder / "data")
        os.sync()  # the copy written back now, not during the probe's fsyncs (see run_app)
        env = self._env(folder, None)
        env["QT_QPA_PLATFORM"] = "offscreen"
        result = subprocess.run(
            [sys.executable, "-m", "bench.probe", what, str(data)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"probe {what} on {store} failed:\n{result.stderr}")
        figures: dict[str, list[float]] = json.loads(result.stdout.strip().splitlines()[-1])
        return figures


def _log_problems(path: Path) -> list[str]:
    """Lines of an app's log that say it was not idle as meant: a reminder, a warning or an error."""
    return [
        line.strip()
        for line in path.read_text(errors="replace").splitlines()
        if any(word in line for word in SUSPECT)
    ]


def measure(bench: Bench) -> tuple[dict[str, list[AppRun]], dict[str, list[float]], dict[str, list[float]]]:
    """Every figure: the apps' start-ups, then their runs, then the probes, each in alternation.
    Returns the runs, the start-ups (ms) and the probes' measurements."""
    apps: dict[str, list[AppRun]] = {name: [] for name in APPS}
    print("warming up (one unmeasured start of each app) ...", flush=True)
    for name in APPS:
        bench.start_app(name)
    # Start-up on its own, back to back: after the minute of idleness of the rounds below, this
    # machine's starts scatter by tens of milliseconds either way, more than the budget's margin.
    starts: dict[str, list[float]] = {name: [] for name in APPS}
    for _index in range(bench.mode.starts):
        for name in APPS:
            starts[name].append(bench.start_app(name))
    print("start-ups: " + "; ".join(f"{n} {[round(ms) for ms in v]}" for n, v in starts.items()), flush=True)
    for index in range(bench.mode.rounds):
        for name in APPS:
            run = bench.run_app(name)
            assert isinstance(run, AppRun)
            apps[name].append(run)
            print(
                f"round {index + 1}/{bench.mode.rounds} {name:5}: icon {run.startup_ms:6.0f} ms, "
                f"RSS {run.rss / 2**20:5.1f} MiB, PSS {run.pss / 2**20:5.1f} MiB, "
                f"idle {run.cpu_ms:6.2f} ms CPU and {run.switches:5.1f} switches per minute, "
                f"{run.threads} threads ({run.threads_started} started, {run.threads_ended} ended while idle)",
                flush=True,
            )
    probes: dict[str, list[float]] = {}
    for index in range(bench.mode.probe_rounds):
        for what in PROBES:
            for store in ("empty", "large"):
                for name, values in bench.probe(what, store).items():
                    # "ms" under the probe's own name, other figures as "<probe>:<name>".
                    key = f"{store}/{what}" if name == "ms" else f"{store}/{what}:{name}"
                    probes.setdefault(key, []).extend(values)
        print(f"probes round {index + 1}/{bench.mode.probe_rounds} done", flush=True)
    return apps, starts, probes


def _notes(
    mode: Mode, apps: dict[str, list[AppRun]], starts: dict[str, list[float]], problems: list[str]
) -> list[str]:
    notes = [
        f"{mode.name} mode: {mode.rounds} rounds of floor, empty, large (after one unmeasured warm-up "
        f"start of each); idle measured over {mode.idle_s:g} s and scaled to a minute; probes "
        f"{mode.probe_rounds}x each in fresh processes on fresh copies of the stores.",
        "Start-up: from just before the process starts until its icon window is embedded in trayer's "
        "panel and viewable (X events, bench/xtray.py); TrayHabit's bytecode is written first, as an "
        "installation has it. The figure is the median of "
        f"{mode.starts} start-ups of each app in alternation, each stopped once its icon shows: "
        + "; ".join(f"{name} {[round(ms) for ms in values]}" for name, values in starts.items())
        + ". The start-ups of the rounds, each after the previous app's idle minute, are listed below.",
        "Check-off percentiles pool every probe run (40 check-offs each, from a fresh process); the "
        "empty store is given 50 new habits first, by the runner. Windows are opened offscreen with the "
        "model's reports already cached.",
    ]
    if problems:
        notes += [f"Suspect log line, the run may not have been idle: {line}" for line in problems]
    else:
        notes.append("No app logged a reminder, a warning or an error in any run.")
    for name, runs in apps.items():
        notes.append(
            f"{name}: start-up ms per run {[round(r.startup_ms) for r in runs]}; idle CPU by clock "
            f"ticks (10 ms steps, counts ended threads too) {[round(r.cpu_ticks_ms, 1) for r in runs]} "
            f"ms/min; threads at the end {sorted({r.threads for r in runs})}, ended while idle "
            f"{[r.threads_ended for r in runs]}, started while idle {[r.threads_started for r in runs]}"
        )
    return notes


def compile_sources() -> None:
    """Write TrayHabit's bytecode into __pycache__, as every installation of it has its bytecode.

    pip compiles a package's modules when it installs them, and the bundles carry them compiled, so
    no user's start compiles TrayHabit's sources. A development checkout has bytecode only once
    Python has written it, and never where PYTHONDONTWRITEBYTECODE is set (as in this project's
    development containers): there every start compiled some 60 modules, about 40 ms of the
    start-up measured, which the floor (one small script) does not pay. Python still checks each
    file's time stamp, so a source changed since is compiled afresh as before.
    """
    if not compileall.compile_dir(ROOT / "trayhabit", quiet=1):
        raise RuntimeError("compiling TrayHabit's sources failed")


def _revision() -> str:
    result = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and report; 0 unless the harness itself failed."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 rounds, 10 s idle: for development")
    mode = QUICK if parser.parse_args(argv).quick else FULL
    OUT.mkdir(parents=True, exist_ok=True)
    compile_sources()
    large = cached_large_store(mode.needed)
    scratch = Path(tempfile.mkdtemp(prefix="run-", dir=OUT))
    empty = scratch / "empty-store"
    make_empty(empty)
    stores = {"empty": empty, "large": large}
    runtime = scratch / "runtime"
    runtime.mkdir()
    desktop = start_desktop(runtime)
    try:
        bench = Bench(mode, scratch, desktop, stores)
        try:
            apps, starts, probes = measure(bench)
        finally:
            bench.tray.close()
    except BaseException:
        print(f"the benchmark failed; its files (apps' logs) are kept in {scratch}", file=sys.stderr)
        raise
    finally:
        desktop.stop()
    sizes = {name: size_on_disk(path) for name, path in stores.items()}
    rows = build_rows(apps, probes, sizes, starts)
    print()
    print(render_text(rows))
    facts = {**machine(), "Mode": mode.name, "Revision": _revision()}
    markdown = render_markdown(rows, "TrayHabit benchmark", facts, _notes(mode, apps, starts, bench.problems))
    (OUT / "latest.md").write_text(markdown)
    print(f"\nwritten to {OUT / 'latest.md'}")
    if os.environ.get("BENCH_KEEP") != "1":
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
