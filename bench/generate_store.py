"""The benchmark's stores: a large one (50 daily habits, 10 years of history) and an empty one.

The large store is written through the public API only (``Store``, ``HabitService.add_habit``,
``StoreTransaction.add_event``), so it has exactly the shape the app itself writes. The history is what
the app would have recorded for a user who keeps it running: most occurrences checked off before the
reminder (with the ``beaten`` event the reminder driver writes when it comes due), some after the
reminder fired, a few back-filled the next day (late), some missed (only ``fired``) and a few skipped.

No reminder may come due while the benchmark measures an idle app, so every reminder time lies between
3 and 5 hours ahead of the moment of generation, and every occurrence whose reminder has passed is
settled (the one still open is checked off). ``valid_until`` in the cache's ``bench-meta.json`` is the
first reminder still ahead; a cached store is reused only while the benchmark ends well before it.

Events go in one transaction per month: a month's events share one partition file, so each commit
writes one file once instead of rewriting all 120 months for every habit.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import trayhabit.core
from trayhabit.core.clock import SystemClock, monotonic, wall_ns
from trayhabit.core.model import Event, EventKind
from trayhabit.core.service import HabitService
from trayhabit.core.store import Store

ZONE = "Europe/Stockholm"
BOUNDARY = time(4, 0)  # the default day boundary (settings "day_boundary")
REMINDER_AHEAD = timedelta(hours=3)  # the first reminder time after "now"
REMINDER_STEP = timedelta(minutes=5)  # habits' reminder times are 5 minutes apart ...
REMINDER_SLOTS = 25  # ... over two hours, two habits per slot
CACHE_DIR = Path(__file__).resolve().parent.parent / "build" / "bench"
CORE_DIR = Path(trayhabit.core.__file__).parent
META_FILE = "bench-meta.json"

NAMES = (
    "Stretch",
    "Drink water",
    "Read",
    "Meditate",
    "Walk",
    "Floss",
    "Journal",
    "Push-ups",
    "Practise piano",
    "Learn Swedish",
    "Tidy the desk",
    "Plan tomorrow",
    "Call a friend",
    "Vitamins",
    "Inbox zero",
    "Water the plants",
    "Sit-ups",
    "Posture check",
    "Eye break",
    "Review notes",
    "Gratitude",
    "No phone in bed",
    "Cook at home",
    "Fruit",
    "Take the stairs",
)


@dataclass(frozen=True)
class _Odds:
    """One habit's chances per occurrence; the rest is "checked off before the reminder"."""

    reminded: float
    late: float
    missed: float
    skipped: float


class _FixedClock:
    """A clock that tells one time until it is set to another: habits are "created" when their
    history starts, and the history is written at the time of generation."""

    def __init__(self, now: datetime) -> None:
        self._now = now

    @property
    def tz(self) -> tzinfo:
        return self._now.tzinfo or UTC

    def now(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        self._now = now

    def wall_ns(self) -> int:
        # The real clock: the file system stamps the store's files with it.
        return wall_ns()

    def monotonic(self) -> float:
        # The real clock: the store's lock waits in real time.
        return monotonic()


def _localize(wall: datetime, zone: tzinfo) -> datetime:
    # As trayhabit.core.days.localize: a skipped time moves forward, a repeated one is the first.
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC).astimezone(zone)


def reminder_times(now: datetime, count: int) -> list[time]:
    """*count* reminder times of day, 3 to 5 hours after *now* (wall clock), 5 minutes apart."""
    wall = now.replace(tzinfo=None, second=0, microsecond=0) + REMINDER_AHEAD
    wall += timedelta(minutes=-wall.minute % 5)
    return [(wall + REMINDER_STEP * (i % REMINDER_SLOTS)).time() for i in range(count)]


def generate(
    folder: Path,
    habits: int = 50,
    years: int = 10,
    *,
    days: int | None = None,
    now: datetime | None = None,
    seed: int = 1,
) -> datetime | None:
    """Write the store into *folder* (created if missing); return the first reminder still ahead.

    The history starts *years* before *now* (default: the present), or *days* before it if given.
    """
    zone = ZoneInfo(ZONE)
    now = now or datetime.now(zone)
    if days is not None:
        start = now.date() - timedelta(days=days)
    else:
        start = date(now.year - years, now.month, min(now.day, 28))
    clock = _FixedClock(_localize(datetime.combine(start, time(9)), zone))
    store = Store(folder, clock=clock)
    store.open()
    service = HabitService(store, clock)
    service.set_setting("welcomed", "true")
    rng = random.Random(seed)
    by_month: dict[str, list[Event]] = {}
    first_ahead: datetime | None = None
    with store.reading() as view:
        device = view.device_id
    for index, at in enumerate(reminder_times(now, habits)):
        name = NAMES[index % len(NAMES)] + (f" {index // len(NAMES) + 1}" if index >= len(NAMES) else "")
        habit = service.add_habit(name, "FREQ=DAILY", at, why=f"Because {name.lower()} matters.", start=start)
        assert habit.habit is not None
        odds = _Odds(
            reminded=rng.uniform(0.08, 0.25),
            late=rng.uniform(0.0, 0.03),
            missed=rng.uniform(0.03, 0.12),
            skipped=rng.uniform(0.0, 0.04),
        )
        ahead = _history(
            habit.habit.id, device=device, at=at, start=start, now=now, odds=odds, rng=rng, by_month=by_month
        )
        if ahead is not None and (first_ahead is None or ahead < first_ahead):
            first_ahead = ahead
    clock.set(now)  # the history is written now, as the app recorded it over the years
    for month in sorted(by_month):
        with store.writing() as tx:
            for event in by_month[month]:
                tx.add_event(event.to_doc())
    # Score every habit once, as the app does when it starts, so that whatever the store keeps
    # between runs (derived data such as cached scores) is there, as for a user who ran the app before.
    HabitService(store, clock).reports()
    return first_ahead


def _history(
    habit_id: str,
    *,
    device: str,
    at: time,
    start: date,
    now: datetime,
    odds: _Odds,
    rng: random.Random,
    by_month: dict[str, list[Event]],
) -> datetime | None:
    """Add one habit's events to *by_month*; return its first reminder after *now*."""
    zone = now.tzinfo
    assert zone is not None
    day = start
    while True:
        reminder = _localize(datetime.combine(day, at), zone)
        if reminder > now:
            return reminder
        # The occurrence's window: the local day (from the day boundary) that holds its reminder.
        opens_day = day if at >= BOUNDARY else day - timedelta(days=1)
        opens = _localize(datetime.combine(opens_day, BOUNDARY), zone)
        closes = _localize(datetime.combine(opens_day + timedelta(days=1), BOUNDARY), zone)
        for kind, moment, recorded in _occurrence(reminder, opens, closes, now=now, odds=odds, rng=rng):
            event = Event(
                id=str(uuid.uuid4()),
                habit_id=habit_id,
                kind=kind,
                at=moment,
                recorded_at=recorded.astimezone(UTC),
                occurrence=day,
                device=device,
            )
            by_month.setdefault(event.recorded_at.strftime("%Y-%m"), []).append(event)
        day += timedelta(days=1)


def _occurrence(
    reminder: datetime, opens: datetime, closes: datetime, *, now: datetime, odds: _Odds, rng: random.Random
) -> list[tuple[EventKind, datetime, datetime]]:
    """The events (kind, at, recorded at) of one occurrence whose reminder has passed."""
    fired = (EventKind.FIRED, reminder, reminder)
    roll = rng.random()
    if closes > now:
        roll = 1.0  # still open: checked off already, so no reminder is waiting
    if roll < odds.missed:
        return [fired]
    roll -= odds.missed
    if roll < odds.skipped:
        moment = max(opens, reminder - timedelta(minutes=rng.randint(5, 240)))
        return [(EventKind.SKIP, moment, moment)]
    roll -= odds.skipped
    if roll < odds.late:
        # Back-filled the next day: done that evening, recorded after the window closed.
        moment = min(closes - timedelta(minutes=30), reminder + timedelta(minutes=rng.randint(30, 300)))
        recorded = closes + timedelta(minutes=rng.randint(60, 600))
        if recorded <= now:
            return [fired, (EventKind.DONE, moment, recorded)]
        roll = 0.0  # too recent to be back-filled yet: checked off after the reminder instead
    else:
        roll -= odds.late
    if roll < odds.reminded:
        moment = min(closes - timedelta(minutes=5), reminder + timedelta(minutes=rng.randint(1, 180)))
        return [fired, (EventKind.DONE, moment, moment)]
    moment = max(opens + timedelta(minutes=10), reminder - timedelta(minutes=rng.randint(5, 360)))
    return [(EventKind.DONE, moment, moment), (EventKind.BEATEN, reminder, reminder)]


def make_empty(folder: Path) -> None:
    """An empty store as the app leaves it after the first run (welcome shown, no habits)."""
    clock = SystemClock(ZoneInfo(ZONE))
    store = Store(folder, clock=clock)
    store.open()
    HabitService(store, clock).set_setting("welcomed", "true")


def size_on_disk(folder: Path) -> int:
    """Bytes of every file under *folder*."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def cache_key(habits: int, years: int) -> str:
    """The cache's key: this file, the core's sources, the store's schema version and its size.

    The core's sources count too: what a store holds besides the schema's files (derived data such as
    cached scores) can change without a new schema version.
    """
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for source in sorted(CORE_DIR.glob("*.py")):
        digest.update(source.name.encode() + source.read_bytes())
    digest.update(f"schema={Store.SCHEMA_VERSION};habits={habits};years={years}".encode())
    return digest.hexdigest()[:16]


def cached_large_store(needed: timedelta, habits: int = 50, years: int = 10) -> Path:
    """The generated store in build/bench/large-store, made again unless it is good for *needed* more."""
    folder = CACHE_DIR / "large-store"
    meta_path = CACHE_DIR / META_FILE
    key = cache_key(habits, years)
    now = datetime.now(ZoneInfo(ZONE))
    if meta_path.exists() and folder.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("key") == key and now + needed < datetime.fromisoformat(meta["valid_until"]):
            return folder
    shutil.rmtree(folder, ignore_errors=True)
    meta_path.unlink(missing_ok=True)
    folder.mkdir(parents=True)
    print(f"generating the large store ({habits} habits, {years} years) in {folder} ...", flush=True)
    first_ahead = generate(folder, habits, years, now=now)
    assert first_ahead is not None
    meta_path.write_text(json.dumps({"key": key, "valid_until": first_ahead.isoformat()}))
    print(f"  {size_on_disk(folder) / 2**20:.1f} MiB on disk; reminders from {first_ahead:%H:%M}", flush=True)
    return folder


def copy_store(source: Path, target: Path) -> Path:
    """A fresh copy of a store for a run that may write to it."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".lock"))
    return target


if __name__ == "__main__":
    path = cached_large_store(timedelta(hours=1))
    print(f"{path}: {size_on_disk(path) / 2**20:.1f} MiB")
