"""The benchmark's verdict: each figure against its budget, as a console table and as Markdown.

Budgets (the issue's): start-up to icon at most 1.15x the floor; RSS after start-up at most 1.2x the
floor; idle at most 1 ms CPU and 5 voluntary context switches per minute; on the large store, opening at
most 150 ms, check-off p95 at most 25 ms and within 1.3x of an empty store's, all scores at most
100 ms, each window open at most 250 ms; a check-off scores again its own habit and no other; the peak
memory of a new schedule for the longest habit at most 1.3x the memory before it. Figures are medians
over the runs (check-off latencies are pooled over every run before taking p50 and p95).
"""

from __future__ import annotations

import math
import os
import platform
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

STARTUP_RATIO = 1.15
RSS_RATIO = 1.2
IDLE_CPU_MS = 1.0
IDLE_SWITCHES = 5.0
OPEN_MS = 150.0
CHECKOFF_P95_MS = 25.0
CHECKOFF_RATIO = 1.3
SCORES_MS = 100.0
WINDOW_MS = 250.0
RESCORED_PER_CHECKOFF = 1
STALL_MS = 100.0
PEAK_RATIO = 1.3

MiB = 2**20
HEADER = ("Figure", "TrayHabit empty", "TrayHabit large", "Floor", "Ratio", "Budget", "Verdict")


@dataclass(frozen=True)
class AppRun:
    """One run of one app under Xvfb: start-up, memory after settling, and idle activity per minute."""

    startup_ms: float
    rss: int
    pss: int
    cpu_ms: float
    cpu_ticks_ms: float
    switches: float
    threads: int
    threads_ended: int
    threads_started: int


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    figure: str
    empty: str
    large: str
    floor: str
    ratio: str
    budget: str
    verdict: str


def median(values: Sequence[float]) -> float:
    """The median, NaN for no values."""
    return statistics.median(values) if values else math.nan


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (*share* in 0..1): a value that was measured."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _num(value: float, digits: int = 1) -> str:
    return "-" if math.isnan(value) else f"{value:.{digits}f}"


def _row(
    figure: str,
    values: tuple[float, float, float],
    *,
    digits: int = 1,
    ratio: str = "",
    budget: str = "",
    ok: bool | None = None,
) -> Row:
    """A row of the values for (empty, large, floor); *ok* None means the figure has no budget."""
    empty, large, floor = (_num(value, digits) for value in values)
    verdict = "" if ok is None else "PASS" if ok else "FAIL"
    return Row(figure, empty, large, floor, ratio, budget, verdict)


def _app_rows(apps: dict[str, list[AppRun]], starts: dict[str, list[float]]) -> list[Row]:
    def fig(pick: str, scale: float = 1.0) -> tuple[float, float, float]:
        e, lg, fl = (
            median([getattr(run, pick) for run in apps.get(n, [])]) / scale
            for n in ("empty", "large", "floor")
        )
        return e, lg, fl

    def ratios(values: tuple[float, float, float]) -> str:
        return f"{values[0] / values[2]:.2f}x / {values[1] / values[2]:.2f}x"

    startup = (
        median(starts.get("empty", [])),
        median(starts.get("large", [])),
        median(starts.get("floor", [])),
    )
    rss, pss = fig("rss", MiB), fig("pss", MiB)
    cpu, switches = fig("cpu_ms"), fig("switches")
    return [
        _row("Start-up to icon (ms)", startup, digits=0, ratio=ratios(startup),
             budget=f"<= {STARTUP_RATIO}x floor", ok=max(startup[:2]) <= STARTUP_RATIO * startup[2]),
        _row("RSS 10 s after icon (MiB)", rss, ratio=ratios(rss), budget=f"<= {RSS_RATIO}x floor",
             ok=max(rss[:2]) <= RSS_RATIO * rss[2]),
        _row("PSS 10 s after icon (MiB)", pss, ratio=ratios(pss)),
        _row("Idle CPU (ms/min)", cpu, digits=2, budget=f"<= {IDLE_CPU_MS:g} ms",
             ok=max(cpu[:2]) <= IDLE_CPU_MS),
        _row("Idle voluntary ctx switches (/min)", switches, budget=f"<= {IDLE_SWITCHES:g}",
             ok=max(switches[:2]) <= IDLE_SWITCHES),
    ]  # fmt: skip


def _probe_rows(probes: dict[str, list[float]], sizes: dict[str, int]) -> list[Row]:
    def med(name: str) -> tuple[float, float, float]:
        return median(probes.get(f"empty/{name}", [])), median(probes.get(f"large/{name}", [])), math.nan

    def pct(share: float) -> tuple[float, float, float]:
        e, lg = (percentile(probes.get(f"{s}/checkoff", []), share) for s in ("empty", "large"))
        return e, lg, math.nan

    opening, scores, p50, p95 = med("open"), med("scores"), pct(0.5), pct(0.95)
    rows = [
        _row("Store open (ms)", opening, budget=f"<= {OPEN_MS:g} ms", ok=opening[1] <= OPEN_MS),
        _row("Check-off until durable p50 (ms)", p50),
        _row("Check-off until durable p95 (ms)", p95, ratio=f"{p95[1] / p95[0]:.2f}x empty",
             budget=f"<= {CHECKOFF_P95_MS:g} ms, <= {CHECKOFF_RATIO}x empty",
             ok=p95[1] <= CHECKOFF_P95_MS and p95[1] <= CHECKOFF_RATIO * p95[0]),
        _row("All scores (ms)", scores, budget=f"<= {SCORES_MS:g} ms", ok=scores[1] <= SCORES_MS),
    ]  # fmt: skip
    for name, label in (
        ("window-checkoff", "Check-off window open (ms)"),
        ("window-habits", "Habits window open (ms)"),
    ):
        values = med(name)
        rows.append(_row(label, values, budget=f"<= {WINDOW_MS:g} ms", ok=values[1] <= WINDOW_MS))
    rescored = tuple(max(probes.get(f"{s}/rescored", []), default=math.nan) for s in ("empty", "large"))
    rows.append(
        _row(
            "Habits scored per check-off (most)",
            (rescored[0], rescored[1], math.nan),
            digits=0,
            budget=f"= {RESCORED_PER_CHECKOFF}",
            ok=all(value == RESCORED_PER_CHECKOFF for value in rescored),
        )
    )
    rows += _schedule_change_rows(med)
    rows += _sync_rows(med)
    sizes_mib = (sizes.get("empty", 0) / MiB, sizes.get("large", 0) / MiB, math.nan)
    rows.append(_row("Store size on disk (MiB)", sizes_mib, digits=2))
    return rows


def _schedule_change_rows(med: Callable[[str], tuple[float, float, float]]) -> list[Row]:
    """A new schedule for the longest habit: how long it takes, and its peak memory against the
    memory before it (the store opened and every habit scored), on the large store (the empty one
    has no habit to change)."""
    duration, ratio = med("schedule-change"), med("schedule-change:peak_ratio")
    idle, peak = med("schedule-change:idle_mib"), med("schedule-change:peak_mib")
    return [
        _row("Schedule change, longest habit (ms)", duration, digits=0),
        _row("Schedule change peak memory (x before)", ratio, digits=2,
             ratio=f"{peak[1]:.1f} / {idle[1]:.1f} MiB", budget=f"<= {PEAK_RATIO}x",
             ok=ratio[1] <= PEAK_RATIO),
    ]  # fmt: skip


def _sync_rows(med: Callable[[str], tuple[float, float, float]]) -> list[Row]:
    """The worst stalls of the app's event loop (budget :data:`STALL_MS`) while long work runs on its
    worker, and how long until the habits it concerns are scored: the store's whole history arriving
    by sync on a new, empty computer, the longest habit's new schedule, a 40-habit calendar import."""
    stall, total = med("sync-stall"), med("sync-stall:total_ms")
    schedule, schedule_total = med("schedule-stall"), med("schedule-stall:total_ms")
    calendar, calendar_total = med("calendar-stall"), med("calendar-stall:total_ms")
    return [
        _row("Worst UI stall, history arriving by sync (ms)", stall, digits=0,
             budget=f"<= {STALL_MS:g} ms", ok=stall[1] <= STALL_MS),
        _row("History arriving by sync, until scored (ms)", total, digits=0),
        _row("Worst UI stall, longest habit's schedule change (ms)", schedule, digits=0,
             budget=f"<= {STALL_MS:g} ms", ok=schedule[1] <= STALL_MS),
        _row("Longest habit's schedule change in the app, until scored (ms)", schedule_total, digits=0),
        _row("Worst UI stall, 40-habit calendar import (ms)", calendar, digits=0,
             budget=f"<= {STALL_MS:g} ms", ok=max(calendar[0], calendar[1]) <= STALL_MS),
        _row("40-habit calendar import, until scored (ms)", calendar_total, digits=0),
    ]  # fmt: skip


def build_rows(
    apps: dict[str, list[AppRun]],
    probes: dict[str, list[float]],
    sizes: dict[str, int],
    starts: dict[str, list[float]],
) -> list[Row]:
    """Every row of the table; a figure without measurements shows as "-" and fails its budget.
    *starts* are the start-ups (ms) timed back to back, which the start-up figure takes."""
    return _app_rows(apps, starts) + _probe_rows(probes, sizes)


def render_text(rows: list[Row]) -> str:
    """An aligned plain-text table for the console."""
    cells = [HEADER, *((r.figure, r.empty, r.large, r.floor, r.ratio, r.budget, r.verdict) for r in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADER))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_markdown(rows: list[Row], title: str, facts: dict[str, str], notes: list[str]) -> str:
    """The report as Markdown: *facts* (machine, date, mode) first, the table, then *notes*."""
    out = [f"# {title}", ""]
    out += [f"- **{key}**: {value}" for key, value in facts.items()]
    out += ["", "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for r in rows:
        out.append(
            f"| {r.figure} | {r.empty} | {r.large} | {r.floor} | {r.ratio} | {r.budget} | {r.verdict} |"
        )
    if notes:
        out += ["", "## Notes", ""] + [f"- {note}" for note in notes]
    return "\n".join(out) + "\n"


def machine() -> dict[str, str]:
    """The machine and software the figures were measured on."""
    import PySide6

    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = "unknown"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    return {
        "Date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "RAM": memory,
        "Kernel": platform.release(),
        "Python": platform.python_version(),
        "PySide6": PySide6.__version__,
    }
