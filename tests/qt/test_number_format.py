"""Scores are written the way the UI language writes numbers: "0,67" in Swedish, "0.67" in English.

The habits window's list, progress tab and score chart format through the Qt locale; the graduation
reason comes from the core, formatted through gettext's language. Both follow the language setting.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QLabel, QListWidget

from tests.helpers.builders import event
from tests.qt.conftest import STOCKHOLM
from trayhabit.app.habits_model import HabitsModel
from trayhabit.app.i18n import install_translators, remove_translators
from trayhabit.app.windows.charts import ScoreCurve
from trayhabit.app.windows.habits import HabitsWindow
from trayhabit.core import i18n as core_i18n
from trayhabit.core.model import EventKind

# The decimal separator each language must show, and the one it must not.
SEPARATORS = {"sv": (",", "."), "en": (".", ",")}


@pytest.fixture(params=["sv", "en"])
def language(request, qapp) -> Iterator[str]:
    before = QLocale()
    assert install_translators(qapp, request.param) == request.param
    yield request.param
    remove_translators(qapp)
    QLocale.setDefault(before)
    core_i18n.set_language("system")


def _stretch_with_history(model: HabitsModel) -> str:
    """A daily habit done before the reminder three times, after it once, and missed five times."""
    habit = model.add_habit("Stretch", "FREQ=DAILY", time(9), start=date(2026, 11, 16))
    assert habit is not None
    done = [(date(2026, 11, day), time(8)) for day in (16, 17, 20)] + [(date(2026, 11, 18), time(10))]
    with model.service.store.writing() as tx:
        for day, at in done:
            moment = datetime.combine(day, at, STOCKHOLM)
            tx.add_event(event(EventKind.DONE, moment, day, habit_id=habit.id).to_doc())
    model.reload()
    return habit.id


def _two_decimals(value: float, separator: str) -> str:
    return f"{value:.2f}".replace(".", separator)


def test_the_habits_window_writes_scores_with_the_languages_decimal_separator(
    qtbot, model: HabitsModel, language: str
) -> None:
    separator, other = SEPARATORS[language]
    habit_id = _stretch_with_history(model)
    window = HabitsWindow(model)
    qtbot.addWidget(window)
    window.show_habit(habit_id)
    report = model.report(habit_id)
    assert 0 < report.score < 1
    score = _two_decimals(report.score, separator)

    # The progress tab: the big number, its spoken summary, what one more time would make it.
    label = window.findChild(QLabel, "score")
    assert label is not None
    assert label.text() == score
    assert label.accessibleDescription().split(";")[0].endswith(" " + score)
    text = window.progress().text()
    assert _two_decimals(report.if_preemptive, separator) in text
    assert _two_decimals(report.if_reminded, separator) in text
    assert not re.search(rf"\d{re.escape(other)}\d", text)

    # The graduation reason comes from the core and names the score and the 0.80 threshold.
    reason = window.findChild(QLabel, "graduation_reason")
    assert reason is not None
    assert score in reason.text() and _two_decimals(0.8, separator) in reason.text()

    # The list's second line and the chart's description.
    habits = window.findChild(QListWidget, "habit_list")
    assert habits is not None
    assert habits.currentItem().data(Qt.ItemDataRole.AccessibleTextRole).endswith(" " + score)
    curve = window.findChild(ScoreCurve)
    assert curve is not None
    assert score in curve.accessibleDescription()
    assert not re.search(rf"\d{re.escape(other)}\d", curve.accessibleDescription())
