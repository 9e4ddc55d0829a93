"""What the use-case modules share: finding a habit, the rules for names, changes of state, relapses.

:mod:`trayhabit.core.service` (habits, check-offs, settings) and :mod:`trayhabit.core.service_transfer`
(export, import, calendars, sync) both write through these, so each rule holds the same whichever way
a change comes in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo

from trayhabit.core.errors import UserError
from trayhabit.core.hlc import next_stamp
from trayhabit.core.i18n import _
from trayhabit.core.model import MAX_NAME_LENGTH, Habit, State
from trayhabit.core.score_cache import CheckpointCache
from trayhabit.core.settings import Settings
from trayhabit.core.store import StoreTransaction, StoreView

_NEVER = datetime.min.replace(tzinfo=UTC)


class ServiceError(UserError):
    """A use case refused: unknown habit, duplicate name, impossible time and the like."""


def apply_due_relapses(
    tx: StoreTransaction,
    cache: CheckpointCache,
    now: datetime,
    zone: tzinfo,
    habit_ids: Iterable[str] | None = None,
) -> tuple[Habit, ...]:
    """Give the graduated habits whose record now calls for a relapse their reminder back, in *tx*.

    Looks at the habits *habit_ids* (None: every habit), and among them only at graduated ones: the
    rule (DESIGN section 3, :func:`trayhabit.core.score.judge`) is the score's, applied
    to the store as *tx* holds it, the write's own changes included. Returns the habits that
    relapsed, each with its reminder back and the reason in ``state_reason``.
    """
    wanted = None if habit_ids is None else set(habit_ids)
    if wanted is not None and not wanted:
        return ()
    settings = Settings(tx.settings())
    relapsed: list[Habit] = []
    for habit in habits_in(tx, include_archived=False):
        if habit.state is not State.GRADUATED or (wanted is not None and habit.id not in wanted):
            continue
        graduation = cache.evaluate(tx, habit, now, zone, settings).graduation
        if graduation.relapse:
            relapsed.append(put_state(tx, habit, State.LEARNING, now, graduation.reason))
    return tuple(relapsed)


def put_state(
    tx: StoreTransaction,
    habit: Habit,
    state: State,
    now: datetime,
    reason: str = "",
    *,
    graduated_score: float | None = None,
) -> Habit:
    """Record a change of *habit*'s state, with why and when, and return the changed habit.

    *graduated_score*, the score when the reminder is retired, goes with a graduation; any other
    change of state clears it.
    """
    changed = habit.with_changes(
        state=state,
        state_reason=reason,
        state_changed_at=now,
        graduated_score=graduated_score,
        updated_at=next_stamp(now, [habit.updated_at]),
        updated_by=tx.device_id,
    )
    tx.put_habit(changed.to_doc())
    return changed


def habits_in(view: StoreView, *, include_archived: bool) -> list[Habit]:
    """The habits not deleted (archived ones on request), in the person's order: by position, then
    those without one (never reordered, or added since) in the order they were added (created).

    Every list of habits (the habits window, the check-off window, the tray menu, ``trayhabit
    list``) comes from here, so all follow one order.
    """
    habits = [Habit.from_doc(doc) for doc in view.habits()]
    return sorted(
        (
            habit
            for habit in habits
            if habit.deleted_at is None and (include_archived or habit.state is not State.ARCHIVED)
        ),
        key=_place,
    )


def _place(habit: Habit) -> tuple[bool, float, datetime, str]:
    # Habits never reordered come after the others, by when they were added: the store's own order
    # differs between computers that sync (each writes what arrives as it arrives). Equal positions
    # (two computers that reordered at once, each stamping only what it moved) fall back on the id,
    # so that every computer shows the merged habits in one order. The sort is stable for the rest.
    if habit.position is None:
        added = habit.created_at.astimezone(UTC) if habit.created_at is not None else _NEVER
        return (True, 0.0, added, "")
    return (False, habit.position, _NEVER, habit.id)


def find_habit(view: StoreView, reference: str, *, for_check_off: bool = False) -> Habit:
    """The habit named by *reference*: its id, its name (any case) or a unique id prefix."""
    reference = reference.strip()
    habits = habits_in(view, include_archived=True)
    found = next((habit for habit in habits if habit.id == reference), None)
    if found is None:
        folded = reference.casefold()
        named = [habit for habit in habits if habit.name.casefold() == folded]
        # An archived habit may share its name with a newer one; the one in use wins.
        in_use = [habit for habit in named if habit.state is not State.ARCHIVED]
        candidates = in_use or named
        found = candidates[0] if candidates else None
    if found is None and len(reference) >= 4:
        prefixed = [habit for habit in habits if habit.id.startswith(reference.lower())]
        if len(prefixed) > 1:
            raise ServiceError(
                _("“{reference}” matches several habits; give more of the id or the full name.").format(
                    reference=reference
                )
            )
        found = prefixed[0] if prefixed else None
    if found is None:
        raise ServiceError(
            _("There is no habit “{reference}”; `trayhabit list` shows the habits.").format(
                reference=reference
            )
        )
    if for_check_off and found.state is State.ARCHIVED:
        raise ServiceError(_("“{name}” is archived; it is no longer tracked.").format(name=found.name))
    return found


def clean_name(name: str) -> str:
    """A habit's name with its spaces tidied; refused when empty or too long."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ServiceError(_("A habit needs a name."))
    if len(cleaned) > MAX_NAME_LENGTH:
        raise ServiceError(_("A habit's name can have at most {n} characters.").format(n=MAX_NAME_LENGTH))
    return cleaned


def refuse_duplicate_name(view: StoreView, name: str, *, except_id: str | None = None) -> None:
    """Refuse *name* if a habit in use (other than *except_id*) has it already, in any case."""
    folded = name.casefold()
    for habit in habits_in(view, include_archived=False):
        if habit.name.casefold() == folded and habit.id != except_id:
            raise ServiceError(_("There is already a habit called “{name}”.").format(name=habit.name))


def show_time(instant: datetime) -> str:
    """A time in a message: ``YYYY-MM-DD HH:MM``."""
    return instant.strftime("%Y-%m-%d %H:%M")
