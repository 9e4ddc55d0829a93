"""Checkpoints: where a habit's history stood some weeks ago, so years of it are not replayed.

Scoring a habit walks every occurrence since it started (DESIGN section 3); with ten years of a
daily habit that is thousands of steps, at every look. A :class:`Checkpoint` records the state after
one settled occurrence well in the past (the score, the recent outcomes the skip allowance needs);
:func:`trayhabit.core.report.evaluate` resumes from it and walks only the occurrences after it.

A checkpoint is derived data: it is kept only while it provably describes the history it came from.
It depends on the habit (any edit makes a new fingerprint), the settings that shape scores and days,
the time zone, and the events of the occurrences it covers. Events are never changed or deleted, so
those can change only by events added later: :func:`still_valid` checks that the months before the
cutoff's month are unchanged (a digest of the store's revisions of them, see
:meth:`~trayhabit.core.store.StoreView.month_revisions`: an import or a restored backup changes
them), so they need not even be read, that the habit's events of the
cutoff's month before the cutoff are as many as before, and that nothing recorded since concerns an
occurrence it covers (a back-filled check-off, an undo of an old one).
"""

from __future__ import annotations

import binascii
import struct
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cached_property
from typing import Any

from trayhabit.core import jsontext
from trayhabit.core.digest import stable_digest
from trayhabit.core.model import Event, EventKind, Habit, Outcome, State
from trayhabit.core.settings import Settings

# Bump when the meaning of a checkpoint, or the scoring it shortcuts, changes.
VERSION = 8
# The settings a history depends on: the score's parameters and where days begin.
_SETTINGS = (
    "day_boundary",
    "credit_preemptive",
    "credit_reminded",
    "credit_late",
    "half_life_base",
    "max_skips",
)
# The habit's fields a history depends on: its schedule, and its state since when.
_HABIT_FIELDS = ("id", "rrule", "at", "start", "state", "state_changed_at")
# The score curve before a checkpoint is kept at every this many settled occurrences (weekly for a
# daily habit): enough for a chart of years, small enough to keep for fifty habits.
MILESTONE_EVERY = 7
# How far back before a checkpoint the outcomes are kept, for a calendar of the last months.
OUTCOMES_SPAN = timedelta(days=154)
# A milestone packed as (day ordinal, score) and an outcome as (day ordinal, outcome's index), in
# records whose sizes are multiples of 3 bytes: their base64 texts then join by plain concatenation.
_MILESTONE = struct.Struct("<id")
_OUTCOME = struct.Struct("<ih")
_OUTCOMES = tuple(Outcome)
_LAST_ORDINAL = date.max.toordinal()
# Events of an occurrence are recorded once its window has opened; the margin absorbs the clocks of
# two machines that disagree a little (synced stores).
CUTOFF_MARGIN = timedelta(days=1)


class Charts:
    """A checkpoint's curve and calendar, packed: at hand, or read by *load* when first asked for.

    Packed, they are a string each instead of thousands of objects; read when asked, they cost the
    tray nothing all day (ten years of a weekly point are 8 kB a habit).
    """

    __slots__ = ("_load", "_packed")

    def __init__(
        self, milestones: str = "", outcomes: str = "", *, load: Callable[[], tuple[str, str]] | None = None
    ) -> None:
        """*milestones* and *outcomes* as :func:`pack_milestones` and :func:`pack_outcomes` give them,
        or *load*, which returns both (empty strings when they cannot be read)."""
        self._packed = None if load is not None else (milestones, outcomes)
        self._load = load

    @property
    def at_hand(self) -> bool:
        """Whether the charts are in memory (made here, or read already)."""
        return self._packed is not None

    def packed(self) -> tuple[str, str]:
        """The packed milestones and outcomes, read now if they were not at hand."""
        if self._packed is None:
            assert self._load is not None
            self._packed = self._load()
        return self._packed


@dataclass(frozen=True)
class Checkpoint:
    """The state of a habit's history after the occurrence ``through``, and what it depends on."""

    fingerprint: str
    through: date  # the key of the last occurrence folded in
    wall: datetime  # that occurrence's reminder as the schedule gives it (naive wall-clock time)
    closes: datetime  # when that occurrence's window closed (UTC)
    score: float
    recent: tuple[Outcome, ...]  # the outcomes before it that the skip allowance looks back on
    history: str  # a digest of the store's revisions of the months before the cutoff's month
    events_before: int  # the habit's events in the cutoff's month recorded before :attr:`cutoff`
    covered_since: int = 0  # of those recorded since, how many concerned the occurrences covered
    # The run of pre-emptive check-offs going on at ``through``, and the longest up to it (see
    # trayhabit.core.score.Streak): the streaks carry on from here, as the score does.
    run: int = 0
    best_run: int = 0
    # The score at some settled occurrences up to ``through`` (see MILESTONE_EVERY) and the outcomes of
    # those of the last months: only a chart or a calendar reads them, so they wait in a file of
    # their own until one does (see :class:`Charts`).
    charts: Charts = field(default_factory=Charts, compare=False, repr=False)

    @property
    def packed_milestones(self) -> str:
        """:attr:`milestones` packed (see :func:`pack_milestones`)."""
        return self.charts.packed()[0]

    @property
    def packed_outcomes(self) -> str:
        """:attr:`outcomes` packed (see :func:`pack_outcomes`)."""
        return self.charts.packed()[1]

    @cached_property
    def milestones(self) -> list[tuple[date, float]]:
        """The score at some settled occurrences up to ``through``, oldest first."""
        return [(day, float(score)) for day, score in _unpacked(self.packed_milestones, _MILESTONE)]

    @cached_property
    def outcomes(self) -> list[tuple[date, Outcome]]:
        """The outcomes of the settled occurrences of the last months up to ``through``."""
        return [
            (day, _OUTCOMES[int(index)])
            for day, index in _unpacked(self.packed_outcomes, _OUTCOME)
            if 0 <= index < len(_OUTCOMES)
        ]

    @property
    def outcome_count(self) -> int:
        """How many outcomes :attr:`outcomes` holds, without unpacking them."""
        return len(self.packed_outcomes) * 3 // 4 // _OUTCOME.size

    @property
    def cutoff(self) -> datetime:
        """Events recorded from this instant on are read again when resuming (UTC)."""
        return self.closes - CUTOFF_MARGIN

    def to_doc(self) -> dict[str, Any]:
        """A JSON-ready form, for the cache file."""
        return {
            "fingerprint": self.fingerprint,
            "through": self.through.isoformat(),
            "wall": self.wall.isoformat(),
            "closes": self.closes.isoformat(),
            "score": self.score,
            "history": self.history,
            "recent": [outcome.value for outcome in self.recent],
            "events_before": self.events_before,
            "covered_since": self.covered_since,
            "run": self.run,
            "best_run": self.best_run,
        }

    def charts_doc(self) -> dict[str, Any]:
        """A JSON-ready form of :attr:`charts`, for the charts file; it names the checkpoint it
        belongs to."""
        milestones, outcomes = self.charts.packed()
        return {
            "fingerprint": self.fingerprint,
            "through": self.through.isoformat(),
            "milestones": milestones,
            "outcomes": outcomes,
        }

    def charts_in(self, doc: Any) -> tuple[str, str] | None:
        """The packed charts in *doc* (a :meth:`charts_doc` form) if it is this checkpoint's and looks
        as written; else None."""
        try:
            if doc["fingerprint"] != self.fingerprint or doc["through"] != self.through.isoformat():
                return None
            return _checked(doc["milestones"], _MILESTONE), _checked(doc["outcomes"], _OUTCOME)
        except (KeyError, TypeError, ValueError):
            return None

    @classmethod
    def from_doc(cls, doc: dict[str, Any], charts: Charts | None = None) -> Checkpoint:
        """The checkpoint from :meth:`to_doc`'s form, with *charts*; raises on anything malformed."""
        closes = datetime.fromisoformat(doc["closes"])
        if closes.tzinfo is None:
            raise ValueError("a checkpoint's closing time has no offset")
        return cls(
            fingerprint=str(doc["fingerprint"]),
            through=date.fromisoformat(doc["through"]),
            wall=datetime.fromisoformat(doc["wall"]),
            closes=closes.astimezone(UTC),
            score=float(doc["score"]),
            history=str(doc["history"]),
            recent=tuple(Outcome(value) for value in doc["recent"]),
            events_before=int(doc["events_before"]),
            covered_since=int(doc["covered_since"]),
            run=int(doc["run"]),
            best_run=int(doc["best_run"]),
            charts=charts if charts is not None else Charts(),
        )


def pack_milestones(points: Iterable[tuple[date, float]]) -> str:
    """Score points in the packed form of :attr:`Checkpoint.packed_milestones`."""
    return _pack(_MILESTONE.pack(day.toordinal(), score) for day, score in points)


def pack_outcomes(outcomes: Iterable[tuple[date, Outcome]]) -> str:
    """Outcomes in the packed form of :attr:`Checkpoint.packed_outcomes`."""
    return _pack(_OUTCOME.pack(day.toordinal(), _OUTCOMES.index(outcome)) for day, outcome in outcomes)


def _pack(records: Iterable[bytes]) -> str:
    return binascii.b2a_base64(b"".join(records), newline=False).decode("ascii")


def _checked(value: Any, record: struct.Struct) -> str:
    """*value* if it looks like packed records as written; else ValueError. Only the shape is
    checked here, since this runs before a check-off; a record that does not unpack is left out
    when a chart asks (see :func:`_unpacked`)."""
    if not isinstance(value, str) or len(value) % 4 or not value.isascii():
        raise ValueError("packed records are base64 text")
    return value


def _unpacked(packed: str, record: struct.Struct) -> Iterator[tuple[date, int | float]]:
    """The records in *packed* as (date, second field); what no date could come from is left out
    (a damaged cache may cost a chart some points, never a crash)."""
    try:
        raw = binascii.a2b_base64(packed, strict_mode=True)
    except binascii.Error:
        return
    for day, second in record.iter_unpack(raw[: len(raw) - len(raw) % record.size]):
        if 1 <= day <= _LAST_ORDINAL:
            yield date.fromordinal(day), second


def fingerprint(habit: Habit, settings: Settings, zone: tzinfo) -> str:
    """What a habit's history depends on besides its events, as a short digest.

    Of the habit, that is its schedule and its state since when (where a checkpoint may lie, see
    :func:`choose_point`): a new name or why keeps the checkpoint, where a full evaluation would
    read every month of history.
    """
    doc = habit.to_doc()
    material = {
        "version": VERSION,
        "habit": {key: doc[key] for key in _HABIT_FIELDS},
        "settings": {key: str(settings[key]) for key in _SETTINGS},
        "zone": str(zone),
    }
    # A digest against accidents, not forgery (see core/digest.py): hashlib would load libcrypto.
    return stable_digest(jsontext.dumps(material, sort_keys=True))


def cutoff_key(instant: datetime) -> str:
    """*instant* as the store orders events by ``recorded_at`` (ISO text in UTC)."""
    return instant.astimezone(UTC).isoformat()


def still_valid(
    checkpoint: Checkpoint, history: str, events_before: int, recorded_since: Sequence[Event]
) -> bool:
    """Whether *checkpoint* still describes the habit's history.

    *history* is a digest of the store's revisions of the months before the cutoff's month now, *events_before*
    how many of the habit's events in that month are recorded before the cutoff, and
    *recorded_since* the events recorded from the cutoff on. Events are only ever added, so the
    history it covers is unchanged when none of the three moved.
    """
    return (
        history == checkpoint.history
        and events_before == checkpoint.events_before
        and covered_count(checkpoint, recorded_since) == checkpoint.covered_since
    )


def anchored(
    checkpoint: Checkpoint, history: str, events_before: int, recorded_since: Sequence[Event]
) -> Checkpoint:
    """*checkpoint* with what it depends on in the store now, as :func:`still_valid` takes it."""
    return replace(
        checkpoint,
        history=history,
        events_before=events_before,
        covered_since=covered_count(checkpoint, recorded_since),
    )


def covered_count(checkpoint: Checkpoint, recorded_since: Sequence[Event]) -> int:
    """How many of *recorded_since* concern an occurrence the checkpoint covers: a check-off, skip
    or reminder of one, or an undo of something recorded before the cutoff."""
    since_ids = {event.id for event in recorded_since}
    count = 0
    for event in recorded_since:
        if event.kind is EventKind.NOTE:
            covered = False  # a note on a check-off changes no outcome, score or streak
        elif event.kind is EventKind.UNDO:
            covered = event.target is not None and event.target not in since_ids
        elif event.occurrence is not None:
            covered = event.occurrence <= checkpoint.through
        else:
            covered = event.at.astimezone(UTC) < checkpoint.closes  # placed by its time
        count += covered
    return count


def choose_point(habit: Habit, settled_reminders: Sequence[datetime], keep: int) -> int | None:
    """The index, among a habit's settled occurrences, to checkpoint at; None when too few.

    *keep* occurrences stay after it, at least: the counts, graduation and relapse look back over
    the most recent ones. A graduated habit's rules also look at every occurrence since it
    graduated, so the point lies before those.
    """
    index = len(settled_reminders) - keep - 1
    if habit.state is State.GRADUATED and habit.state_changed_at is not None:
        # The first occurrence reminded at or after graduating (the rule that counts them is ">=").
        first_after = bisect_left(settled_reminders, habit.state_changed_at.astimezone(UTC))
        index = min(index, first_after - 1)
    return index if index >= 0 else None


def keep_for(recent: int) -> int:
    """How many settled occurrences a checkpoint leaves after it: the recent span that counts,
    graduation and relapse look back on, two weeks' worth at least (the check-off window offers the
    last two weeks' misses for a back-fill; the calendar's months come with the checkpoint).

    The fewer, the less history a look needs: with a daily habit, resuming reads the last three
    weeks of events at most, so the months before this one need not stay in memory."""
    return max(recent, 14)


def due_to_advance(settled: int, recent: int) -> bool:
    """Whether a resumed report has walked far enough past its checkpoint to make a newer one: a
    short walk keeps every look cheap, and each new checkpoint costs one write of the cache."""
    return settled > keep_for(recent) + 7


def thin(
    points: Sequence[tuple[date, float]], every: int = MILESTONE_EVERY
) -> tuple[tuple[date, float], ...]:
    """Every *every*-th point of a score curve, and its last one."""
    kept = list(points[::every])
    if points and (not kept or kept[-1] != points[-1]):
        kept.append(points[-1])
    return tuple(kept)


def recent_outcomes(outcomes: Iterable[Outcome], span: int) -> tuple[Outcome, ...]:
    """The last *span* outcomes, oldest first."""
    if span <= 0:
        return ()
    return tuple(list(outcomes)[-span:])
