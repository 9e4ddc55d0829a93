"""ReminderDriver: carries out the core's reminder plan with one single-shot timer.

At each wake-up the driver asks :func:`trayhabit.core.reminders.plan_reminders` what to do, shows the
due reminders through the :class:`~trayhabit.app.notifications.Notifier`, records what was shown or
beaten, and sets its one timer to the next event, never further than 15 minutes ahead: a sleeping
laptop, a DST change or a jump of the system clock is then noticed within 15 minutes (QTimer runs
on a monotonic clock that stops while the machine sleeps). There is no other periodic wake-up.

With a :class:`~trayhabit.app.holding.Presence`, the driver asks it when reminders come due
whether the person is there (:func:`trayhabit.core.presence.hold_reason`): if not, it holds them
(records ``held``, shows nothing, changes nothing on the tray) and watches the source until the person
is back, then shows them, several as one summary. The source's wake from sleep plans again at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

from PySide6.QtCore import QObject, QTimer, Signal

from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.holding import Presence
from trayhabit.app.notifications import ACTION_DONE, ACTION_SNOOZE, Notifier
from trayhabit.core.changes import Change
from trayhabit.core.presence import Absence, HoldRules, hold_reason
from trayhabit.core.reminders import QuietHours, Reminder, ReminderPlan, plan_reminders
from trayhabit.core.settings import Settings

log = logging.getLogger(__name__)

MAX_WAIT = timedelta(minutes=15)


class ReminderDriver(QObject):
    """Shows reminders on time and keeps the tray told what is waiting.

    Signals:
        state_changed(list, object, object): the waiting reminders (list of Reminder), the time
            reminders are paused until (datetime or None) and the next reminder (datetime or None).
    """

    state_changed = Signal(list, object, object)

    def __init__(
        self,
        model: HabitsModel,
        notifier: Notifier,
        parent: QObject | None = None,
        *,
        refresh: Callable[[], bool | None] | None = None,
        presence: Presence | None = None,
    ) -> None:
        """*refresh* brings in other computers' changes before a reminder is shown (the sync
        driver's); it returns whether anything changed, or None while a sync runs on the worker:
        the due reminders then wait for it, and :meth:`wake` is called when it ends. *presence*
        says whether the person is there to see a reminder; without it, nothing is held."""
        super().__init__(parent)
        self._model = model
        self._notifier = notifier
        self._refresh = refresh
        self._snoozed: dict[tuple[str, date], datetime] = {}
        self._paused_until: datetime | None = None
        self._shown: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)
        model.changed.connect(self._on_model_changed)
        notifier.action_invoked.connect(self._on_notifier_action_invoked)
        self._last_plan = ReminderPlan()
        # The reminders held because the person is not there, and why; watched while there are any.
        self._presence = presence
        self._held: dict[tuple[str, date], Absence] = {}
        self._watching = False
        if presence is not None:
            presence.changed.connect(self._on_presence_changed)
            presence.woke.connect(self._on_presence_woke)

    # -- public -----------------------------------------------------------------------------------

    @property
    def paused_until(self) -> datetime | None:
        """When paused reminders resume, or None."""
        return self._paused_until

    @property
    def held(self) -> dict[tuple[str, date], Absence]:
        """The reminders held now because the person is not there, by (habit id, occurrence)."""
        return dict(self._held)

    @property
    def next_wake(self) -> datetime | None:
        """When the timer fires next (for tests and the log)."""
        if not self._timer.isActive():
            return None
        return self._model.now() + timedelta(milliseconds=self._timer.remainingTime())

    def start(self) -> None:
        """Give back the reminders of habits that relapsed while the app was not running, process
        what is due now and start timing."""
        self._model.apply_relapses()
        self.process_due()

    def wake(self) -> ReminderPlan:
        """What the timer does when it fires: time has passed, so a graduated habit's missed
        occurrences may have made its relapse due; then whatever is due now."""
        self._model.apply_relapses()
        return self.process_due()

    def process_due(self) -> ReminderPlan:
        """Show what is due, record what was beaten, and set the timer to the next event."""
        now = self._model.now()
        zone = self._model.zone
        settings = self._model.settings()
        if self._paused_until is not None and self._paused_until <= now:
            self._paused_until = None
        quiet_hours = QuietHours.parse(settings.quiet_hours)

        def plan_now() -> ReminderPlan:
            return plan_reminders(
                # Not on a score whose history is being walked: its schedule may have changed.
                self._model.reports(include_stale=False),
                now,
                zone,
                snoozed=self._snoozed,
                paused_until=self._paused_until,
                quiet_hours=quiet_hours,
            )

        plan = plan_now()
        if plan.due and self._refresh is not None:
            fresh = self._refresh()
            if fresh is None:
                # A sync is bringing the other computers' changes in (one of them may have checked it
                # off): the due reminders wait for it; its end wakes this driver again.
                plan = replace(plan, due=[], summary=False)
            elif fresh:
                plan = plan_now()  # another computer may have checked it off a moment ago
        if settings.remind_here:
            plan = self._hold_if_away(plan, settings)
        self._last_plan = plan
        # With "remind on this computer" off, nothing is shown or recorded here: another computer
        # reminds, and its record reaches this one through the sync folder.
        if settings.remind_here:
            self._show(plan)
            # Recording changes the store; the next pass sees those events and records nothing more.
            for reminder in plan.beaten:
                log.info("reminder beaten: %s", reminder.name)
                self._model.record_reminder(reminder.habit_id, reminder.occurrence, fired=False)
            for reminder in plan.due:
                key = (reminder.habit_id, reminder.occurrence)
                if self._snoozed.pop(key, None) is None:
                    self._model.record_reminder(reminder.habit_id, reminder.occurrence, fired=True)
        self._withdraw_done(plan)
        self._schedule(plan.next_wake, now)
        waiting = plan.waiting + plan.due
        next_reminder = min(
            (r.next_reminder for r in self._model.reports() if r.next_reminder is not None), default=None
        )
        if self._presence is not None and next_reminder is not None and next_reminder - now <= MAX_WAIT:
            # A reminder comes due within the timer's longest wait: the presence sources get ready
            # now, so that they have the desktop's answers when it does.
            self._presence.prepare()
        self.state_changed.emit(waiting, self._paused_until, next_reminder)
        return plan

    def process_soon(self, *_args: object) -> None:
        """Process what is due at the next turn of the event loop (a sync that held the due
        reminders back has ended)."""
        self._timer.start(0)

    def done(self, habit_id: str) -> None:
        """The user did it, from a notification or the menu's Due now section."""
        if self._model.check_off(habit_id) is not None:
            self._notifier.withdraw(habit_id)
            report = self._model.report(habit_id)
            log.info("checked off: %s", report.habit.name if report else habit_id)

    def snooze(self, habit_id: str) -> None:
        """Remind again after the snooze length."""
        report = self._model.report(habit_id)
        if report is None or report.current is None:
            return
        minutes = self._model.settings().snooze_minutes
        until = self._model.now() + timedelta(minutes=minutes)
        self._snoozed[(habit_id, report.current.occurrence.key)] = until
        self._notifier.withdraw(habit_id)
        log.info("snoozed %s until %s", report.habit.name, until.isoformat())
        self.process_due()

    def pause(self, until: datetime | None) -> None:
        """Hold every reminder back until *until*; None resumes at once."""
        self._paused_until = until
        log.info("paused until %s", until.isoformat() if until else "resumed")
        self.process_due()

    # -- slots --------------------------------------------------------------------------------------

    def _on_timer_timeout(self) -> None:
        self.wake()

    def _on_model_changed(self, _change: Change, _by: object) -> None:
        # Coalesce: a burst of changes (and the driver's own records) gives one pass, after them.
        self._timer.start(0)

    def _on_presence_changed(self) -> None:
        # The person may be back: show what was held (a pass that finds them still away holds on).
        if self._held:
            self.process_due()

    def _on_presence_woke(self) -> None:
        # The timer stood still while the computer slept: what came due meanwhile is due now.
        log.info("the system woke from sleep")
        self.wake()

    def _on_notifier_action_invoked(self, habit_id: str, action: str) -> None:
        if action == ACTION_DONE:
            self.done(habit_id)
        elif action == ACTION_SNOOZE:
            self.snooze(habit_id)

    # -- helpers ------------------------------------------------------------------------------------

    def _hold_if_away(self, plan: ReminderPlan, settings: Settings) -> ReminderPlan:
        """*plan* with its due reminders held when the person is not there to see them (recorded
        once each, with the reason), or, when they are back, several that were held as one summary.
        Watches the presence source while something is held, and only then."""
        before, self._held = self._held, {}
        if plan.due and self._presence is not None:
            reason = hold_reason(self._presence.reading(), HoldRules.from_settings(settings))
            if reason is not None:
                for reminder in plan.due:
                    key = (reminder.habit_id, reminder.occurrence)
                    self._held[key] = before.get(key, reason)
                    if key not in before and not self._recorded_held(reminder):
                        log.info("reminder held (%s): %s", reason.value, reminder.name)
                        self._model.record_reminder(
                            reminder.habit_id, reminder.occurrence, fired=False, held=reason
                        )
                plan = replace(plan, due=[], summary=False, held=[*plan.held, *plan.due])
            elif len(plan.due) > 1 and any((r.habit_id, r.occurrence) in before for r in plan.due):
                # Back after holding several: one summary, as after sleep, not a flood.
                plan = replace(plan, summary=True)
        self._watch(bool(self._held))
        return plan

    def _recorded_held(self, reminder: Reminder) -> bool:
        """Whether the store already says this reminder was held (by this app before a restart)."""
        report = self._model.report(reminder.habit_id)
        current = report.current if report is not None else None
        return current is not None and current.occurrence.key == reminder.occurrence and current.reminder_held

    def _watch(self, on: bool) -> None:
        if self._presence is not None and on != self._watching:
            self._watching = on
            self._presence.watch(on)

    def _show(self, plan: ReminderPlan) -> None:
        if not plan.due:
            return
        if plan.summary:
            log.info("notified summary: %s", ", ".join(r.name for r in plan.due))
            self._notifier.notify_summary(plan.due)
        else:
            for reminder in plan.due:
                log.info("notified: %s", reminder.name)
                self._notifier.notify(reminder)
        self._shown.update(r.habit_id for r in plan.due)

    def _withdraw_done(self, plan: ReminderPlan) -> None:
        still_waiting = {r.habit_id for r in plan.waiting + plan.due}
        for habit_id in self._shown - still_waiting:
            self._notifier.withdraw(habit_id)
        self._shown &= still_waiting

    def _schedule(self, wake: datetime | None, now: datetime) -> None:
        wait = MAX_WAIT if wake is None else max(min(wake - now, MAX_WAIT), timedelta(0))
        # A whole second past the event, so the clock has surely reached it when we look.
        self._timer.start(
            int(wait.total_seconds() * 1000) + (1000 if wake is not None and wait < MAX_WAIT else 0)
        )
