"""Two small charts of a habit's progress: the score over time and a calendar of outcomes.

Both paint with the palette (so they follow a light or a dark theme), size themselves from the font
(so they scale with the screen), and state their numbers in their accessible description, for
screen readers and for anyone who would rather read than look.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, QLocale, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from trayhabit.app.datetime_text import LONG_DATE_PATTERN
from trayhabit.app.formatting import format_score
from trayhabit.core.describe import count_label, outcome_label
from trayhabit.core.model import Outcome, Settled

# Fixed colours that read on light and dark backgrounds alike; the order is the legend's.
OUTCOME_COLOURS: dict[Outcome, QColor] = {
    Outcome.PREEMPTIVE: QColor("#1f9d55"),
    Outcome.REMINDED: QColor("#9ad8a4"),
    Outcome.LATE: QColor("#e8a317"),
    Outcome.MISSED: QColor("#d64545"),
    Outcome.SKIPPED: QColor("#9aa0a6"),
}
CALENDAR_WEEKS = 20


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _with_alpha(colour: QColor, alpha: float) -> QColor:
    result = QColor(colour)
    result.setAlphaF(alpha)
    return result


def _small_font(widget: QWidget) -> QFont:
    font = QFont(widget.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * 0.85)
    else:
        font.setPixelSize(max(8, round(font.pixelSize() * 0.85)))
    return font


def _show_tooltip(widget: QWidget, event: QEvent, text_at: Callable[[QPointF], str]) -> bool:
    """Answer a tooltip event with the text for the point under the pointer; False for other events."""
    if event.type() != QEvent.Type.ToolTip or not isinstance(event, QHelpEvent):
        return False
    text = text_at(QPointF(event.pos()))
    if text:
        QToolTip.showText(event.globalPos(), text, widget)
    else:
        QToolTip.hideText()
        event.ignore()
    return True


class ScoreCurve(QWidget):
    """The habit-formation score after each settled occurrence, on a 0-1 axis over time.

    Dashed lines mark the score from which retiring the reminder is suggested and the score below
    which a retired reminder comes back.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._curve: list[tuple[date, float]] = []
        self._graduation = 0.80
        self._relapse = 0.60
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName(self.tr("Score curve"))
        self._describe()

    def set_curve(
        self, curve: Sequence[tuple[date, float]], *, graduation: float = 0.80, relapse: float = 0.60
    ) -> None:
        """Show *curve* (date, score) with the two thresholds in force."""
        self._curve = list(curve)
        self._graduation = graduation
        self._relapse = relapse
        self._describe()
        self.update()

    def points(self) -> list[tuple[date, float]]:
        """The (date, score) points shown."""
        return list(self._curve)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        metrics = self.fontMetrics()
        return QSize(metrics.averageCharWidth() * 64, metrics.height() * 11)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        metrics = self.fontMetrics()
        return QSize(metrics.averageCharWidth() * 28, metrics.height() * 7)

    # -- painting ---------------------------------------------------------------------------------

    def _plot_rect(self) -> QRectF:
        metrics = self.fontMetrics()
        left = metrics.horizontalAdvance("0.5") + metrics.averageCharWidth() * 2
        top = metrics.height() * 0.6
        bottom = metrics.height() * 1.5
        right = metrics.averageCharWidth() * 2
        return QRectF(self.rect()).adjusted(left, top, -right, -bottom)

    def _point(self, plot: QRectF, day: date, score: float) -> QPointF:
        first, last = self._curve[0][0], self._curve[-1][0]
        span = (last - first).days
        x = plot.center().x() if span == 0 else plot.left() + plot.width() * (day - first).days / span
        return QPointF(x, plot.bottom() - plot.height() * max(0.0, min(1.0, score)))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        plot = self._plot_rect()
        self._paint_frame(painter, plot)
        self._paint_thresholds(painter, plot)
        if not self._curve:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.tr("No settled occurrences yet"))
            return
        self._paint_curve(painter, plot)
        self._paint_dates(painter, plot)

    def _paint_frame(self, painter: QPainter, plot: QRectF) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        metrics = self.fontMetrics()
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(plot, 3, 3)
        painter.setPen(QPen(_with_alpha(text, 0.10), 1))
        for level in (0.25, 0.5, 0.75):
            y = plot.bottom() - plot.height() * level
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(_with_alpha(text, 0.7))
        gutter = QRectF(0, 0, plot.left() - metrics.averageCharWidth(), metrics.height())
        # The middle label in the locale's notation ("0,5" in Swedish); 0 and 1 read the same everywhere.
        for level, label in ((0.0, "0"), (0.5, QLocale().toString(0.5)), (1.0, "1")):
            gutter.moveCenter(QPointF(gutter.center().x(), plot.bottom() - plot.height() * level))
            painter.drawText(gutter, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)

    def _paint_thresholds(self, painter: QPainter, plot: QRectF) -> None:
        text = self.palette().color(QPalette.ColorRole.WindowText)
        small = _small_font(self)
        height = QFontMetrics(small).height()
        painter.setFont(small)
        for value, colour, label in (
            (
                self._graduation,
                OUTCOME_COLOURS[Outcome.PREEMPTIVE],
                self.tr("retire the reminder from {score}").format(score=format_score(self._graduation)),
            ),
            (
                self._relapse,
                OUTCOME_COLOURS[Outcome.LATE],
                self.tr("relapse below {score}").format(score=format_score(self._relapse)),
            ),
        ):
            y = plot.bottom() - plot.height() * value
            painter.setPen(QPen(colour, 1.5, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            # On the left, where the curve starts low; on a veil of the base colour, so the curve
            # passing behind never makes it unreadable.
            label_width = QFontMetrics(small).horizontalAdvance(label) + 6
            label_rect = QRectF(plot.left() + 4, y - height - 1, label_width, height)
            painter.fillRect(label_rect, _with_alpha(self.palette().color(QPalette.ColorRole.Base), 0.8))
            painter.setPen(_with_alpha(text, 0.8))
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, label)
        painter.setFont(self.font())

    def _paint_curve(self, painter: QPainter, plot: QRectF) -> None:
        palette = self.palette()
        metrics = self.fontMetrics()
        points = [self._point(plot, day, score) for day, score in self._curve]
        line_colour = palette.color(QPalette.ColorRole.Highlight)
        if len(points) > 1:
            path = QPainterPath(points[0])
            for point in points[1:]:
                path.lineTo(point)
            area = QPainterPath(path)
            area.lineTo(QPointF(points[-1].x(), plot.bottom()))
            area.lineTo(QPointF(points[0].x(), plot.bottom()))
            area.closeSubpath()
            painter.fillPath(area, _with_alpha(line_colour, 0.15))
            painter.setPen(
                QPen(
                    line_colour, 2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
                )
            )
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        radius = max(2.5, metrics.height() / 6)
        last = points[-1]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(line_colour)
        painter.drawEllipse(last, radius, radius)

        # The score now, by the last point: above it unless that leaves the plot.
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        score_text = format_score(self._curve[-1][1])
        width = metrics.horizontalAdvance(score_text) + metrics.averageCharWidth()
        above = last.y() - metrics.height() * 1.1 > plot.top()
        score_rect = QRectF(
            max(plot.left(), min(last.x() - width / 2, plot.right() - width)),
            last.y() - metrics.height() * 1.2 if above else last.y() + radius,
            width,
            metrics.height(),
        )
        painter.drawText(score_rect, Qt.AlignmentFlag.AlignCenter, score_text)

    def _paint_dates(self, painter: QPainter, plot: QRectF) -> None:
        metrics = self.fontMetrics()
        painter.setPen(_with_alpha(self.palette().color(QPalette.ColorRole.WindowText), 0.7))
        axis = QRectF(plot.left(), plot.bottom() + 2, plot.width(), metrics.height())
        first_day, last_day = self._curve[0][0], self._curve[-1][0]
        painter.drawText(axis, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, self._short(first_day))
        if last_day != first_day:
            painter.drawText(
                axis, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, self._short(last_day)
            )

    def _short(self, day: date) -> str:
        first, last = self._curve[0][0], self._curve[-1][0]
        pattern = "d MMM" if first.year == last.year else "d MMM yyyy"
        return QLocale().toString(_qdate(day), pattern)

    # -- tooltips and accessibility ---------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        return _show_tooltip(self, event, self._tooltip_at) or super().event(event)

    def _tooltip_at(self, position: QPointF) -> str:
        if not self._curve:
            return ""
        plot = self._plot_rect()
        if not plot.adjusted(-4, -4, 4, 4).contains(position):
            return ""
        day, score = min(self._curve, key=lambda item: abs(self._point(plot, *item).x() - position.x()))
        return self.tr("{day}: score {score}").format(
            day=QLocale().toString(_qdate(day), LONG_DATE_PATTERN), score=format_score(score)
        )

    def _describe(self) -> None:
        if not self._curve:
            self.setAccessibleDescription(self.tr("No settled occurrences yet."))
            return
        # No count of occurrences: the curve thins the years before a report's checkpoint to a
        # point a week, so its length is not how many occurrences were settled.
        first, last = self._curve[0][0], self._curve[-1][0]
        if len(self._curve) == 1:
            text = self.tr("Score {score} on {last}.")
        else:
            text = self.tr("Score {score} on {last}, from {first}; highest {best}.")
        text = text.format(
            score=format_score(self._curve[-1][1]),
            first=first.isoformat(),
            last=last.isoformat(),
            best=format_score(max(score for _day, score in self._curve)),
        )
        thresholds = self.tr(
            "Retiring the reminder is suggested from {graduation}; a retired reminder comes back below {relapse}."
        ).format(graduation=format_score(self._graduation), relapse=format_score(self._relapse))
        self.setAccessibleDescription(text + " " + thresholds)


class OutcomeCalendar(QWidget):
    """The outcome of each occurrence over the last weeks: rows are weekdays, columns weeks.

    Like a contribution calendar: a coloured square per occurrence (strong green before the reminder,
    light green after it, amber late, red missed, grey skipped), an outline for the open one, a faint
    square for a day without a reminder. A legend below; a tooltip names the day and the outcome, and
    the note on the check-off if it has one.
    """

    def __init__(self, parent: QWidget | None = None, *, weeks: int = CALENDAR_WEEKS) -> None:
        super().__init__(parent)
        self._weeks = weeks
        self._today = date(2000, 1, 3)
        self._outcomes: dict[date, Outcome] = {}
        self._open: date | None = None
        # The notes on check-offs, read when a tooltip first needs them: reading them reads weeks of
        # events, months the store may not hold yet, which opening the window must not wait for.
        self._notes: dict[date, str] | None = {}
        self._read_notes: Callable[[], dict[date, str]] | None = None
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAccessibleName(self.tr("Calendar of outcomes"))
        self._describe()

    def set_history(
        self, outcomes: Sequence[tuple[date, Outcome]], current: Settled | None, today: date
    ) -> None:
        """Show the outcomes (by occurrence date) up to *today*, and the open one (*current* unsettled)."""
        self._today = today
        first = self._first_day()
        self._outcomes = {key: outcome for key, outcome in outcomes if key >= first}
        self._open = current.occurrence.key if current is not None and current.outcome is None else None
        self._describe()
        self.updateGeometry()
        self.update()

    def set_notes(self, notes: dict[date, str] | Callable[[], dict[date, str]]) -> None:
        """The notes on check-offs, by occurrence date, for the tooltips; or how to read them, when
        a tooltip first shows one."""
        if callable(notes):
            self._notes, self._read_notes = None, notes
        else:
            self._notes, self._read_notes = dict(notes), None

    def _notes_by_day(self) -> dict[date, str]:
        if self._notes is None:
            self._notes = dict(self._read_notes()) if self._read_notes is not None else {}
        return self._notes

    def first_day(self) -> date:
        """The first day the calendar shows."""
        return self._first_day()

    def outcome_on(self, day: date) -> Outcome | None:
        """The outcome shown for *day* (None when nothing settled there)."""
        return self._outcomes.get(day)

    # -- geometry ---------------------------------------------------------------------------------

    def _first_day(self) -> date:
        """The Monday of the first column."""
        return self._today - timedelta(days=self._today.weekday() + 7 * (self._weeks - 1))

    def _cell(self) -> tuple[float, float]:
        """The side of a square and the gap between squares, from the font so it scales."""
        height = self.fontMetrics().height()
        side = max(8.0, round(height * 0.9))
        return side, max(2.0, round(side / 5))

    def _gutter(self) -> float:
        metrics = self.fontMetrics()
        locale = QLocale()
        names = [locale.dayName(day, QLocale.FormatType.ShortFormat) for day in (1, 3, 5)]
        return max(metrics.horizontalAdvance(name) for name in names) + metrics.averageCharWidth()

    def _grid_origin(self) -> QPointF:
        return QPointF(self._gutter(), self.fontMetrics().height() * 1.2)

    def _legend_items(self) -> list[tuple[Outcome | None, str]]:
        items: list[tuple[Outcome | None, str]] = [
            (outcome, outcome_label(outcome)) for outcome in OUTCOME_COLOURS
        ]
        items.append((None, outcome_label(None)))
        return items

    def _legend_layout(self, width: float) -> list[tuple[QPointF, Outcome | None, str]]:
        """Where each legend entry goes, wrapping to the next line when the width runs out."""
        side, gap = self._cell()
        metrics = self.fontMetrics()
        origin = self._grid_origin()
        top = origin.y() + 7 * (side + gap) + metrics.height() * 0.5
        line = metrics.height() + gap
        x, y = origin.x(), top
        placed: list[tuple[QPointF, Outcome | None, str]] = []
        for outcome, label in self._legend_items():
            item_width = side + metrics.averageCharWidth() + metrics.horizontalAdvance(label)
            if x > origin.x() and x + item_width > width:
                x, y = origin.x(), y + line
            placed.append((QPointF(x, y), outcome, label))
            x += item_width + metrics.averageCharWidth() * 2
        return placed

    def _grid_width(self) -> float:
        side, gap = self._cell()
        return self._grid_origin().x() + self._weeks * (side + gap)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        last = self._legend_layout(max(width, self._grid_width()))[-1][0]
        return int(last.y() + self.fontMetrics().height() + 2)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        width = int(self._grid_width() + self.fontMetrics().averageCharWidth())
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self.sizeHint()

    def _rect_of(self, day: date) -> QRectF:
        side, gap = self._cell()
        origin = self._grid_origin()
        column = (day - self._first_day()).days // 7
        return QRectF(
            origin.x() + column * (side + gap), origin.y() + day.weekday() * (side + gap), side, side
        )

    def _day_at(self, position: QPointF) -> date | None:
        side, gap = self._cell()
        origin = self._grid_origin()
        column = int((position.x() - origin.x()) // (side + gap))
        row = int((position.y() - origin.y()) // (side + gap))
        if not (0 <= column < self._weeks and 0 <= row < 7):
            return None
        day = self._first_day() + timedelta(days=column * 7 + row)
        if not self._rect_of(day).contains(position) or (day > self._today and day != self._open):
            return None
        return day

    # -- painting ---------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_labels(painter)
        self._paint_cells(painter)
        self._paint_legend(painter)

    def _outline(self) -> QPen:
        side, _gap = self._cell()
        return QPen(self.palette().color(QPalette.ColorRole.Highlight), max(1.5, side / 7))

    def _paint_labels(self, painter: QPainter) -> None:
        """Mon, Wed and Fri down the side; the month names along the top where a month begins."""
        metrics = self.fontMetrics()
        side, gap = self._cell()
        origin = self._grid_origin()
        locale = QLocale()
        first = self._first_day()
        painter.setFont(_small_font(self))
        painter.setPen(_with_alpha(self.palette().color(QPalette.ColorRole.WindowText), 0.7))
        for row, qt_day in ((0, 1), (2, 3), (4, 5)):
            rect = QRectF(0, origin.y() + row * (side + gap), origin.x() - metrics.averageCharWidth(), side)
            painter.drawText(
                rect,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                locale.dayName(qt_day, QLocale.FormatType.ShortFormat),
            )
        label_end = -1.0
        for column in range(self._weeks):
            monday = first + timedelta(days=7 * column)
            if column > 0 and monday.month == (monday - timedelta(days=7)).month:
                continue
            x = origin.x() + column * (side + gap)
            if x < label_end:
                continue  # no room after the previous month's name
            name = locale.monthName(monday.month, QLocale.FormatType.ShortFormat)
            painter.drawText(QPointF(x, origin.y() - metrics.descent() - gap), name)
            label_end = x + metrics.horizontalAdvance(name) + metrics.averageCharWidth()
        painter.setFont(self.font())

    def _paint_cells(self, painter: QPainter) -> None:
        side, _gap = self._cell()
        radius = side / 5
        empty = _with_alpha(self.palette().color(QPalette.ColorRole.WindowText), 0.07)
        last = max(self._today, self._open or self._today)
        day = self._first_day()
        while day <= last:
            if day <= self._today or day == self._open:
                rect = self._rect_of(day)
                outcome = self._outcomes.get(day)
                if outcome is not None:
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(OUTCOME_COLOURS[outcome])
                elif day == self._open:
                    painter.setPen(self._outline())
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    rect = rect.adjusted(1, 1, -1, -1)
                else:
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(empty)
                painter.drawRoundedRect(rect, radius, radius)
            day += timedelta(days=1)

    def _paint_legend(self, painter: QPainter) -> None:
        metrics = self.fontMetrics()
        side, _gap = self._cell()
        radius = side / 5
        text = self.palette().color(QPalette.ColorRole.WindowText)
        for position, outcome, label in self._legend_layout(self.width()):
            swatch = QRectF(position.x(), position.y() + (metrics.height() - side) / 2, side, side)
            if outcome is None:
                painter.setPen(self._outline())
                painter.setBrush(Qt.BrushStyle.NoBrush)
                swatch = swatch.adjusted(1, 1, -1, -1)
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(OUTCOME_COLOURS[outcome])
            painter.drawRoundedRect(swatch, radius, radius)
            painter.setPen(text)
            text_rect = QRectF(
                position.x() + side + metrics.averageCharWidth(), position.y(), self.width(), metrics.height()
            )
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)

    # -- tooltips and accessibility ---------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        return _show_tooltip(self, event, self.tooltip_at) or super().event(event)

    def tooltip_at(self, position: QPointF) -> str:
        """The tooltip for a point in the widget: the day and its outcome, or empty."""
        day = self._day_at(position)
        if day is None:
            return ""
        name = QLocale().toString(_qdate(day), LONG_DATE_PATTERN)
        outcome = self._outcomes.get(day)
        if outcome is not None:
            label = outcome_label(outcome)
        elif day == self._open:
            label = outcome_label(None)
        else:
            label = self.tr("no reminder")
        note = self._notes_by_day().get(day) if outcome is not None else None
        if note:
            return self.tr("{day}: {outcome}\nNote: {note}").format(day=name, outcome=label, note=note)
        return self.tr("{day}: {outcome}").format(day=name, outcome=label)

    def cell_center(self, day: date) -> QPointF:
        """The middle of *day*'s square, in widget coordinates (for tests and tooltips)."""
        return self._rect_of(day).center()

    def _describe(self) -> None:
        counts = dict.fromkeys(OUTCOME_COLOURS, 0)
        for outcome in self._outcomes.values():
            counts[outcome] += 1
        text = self.tr("Last {weeks} weeks: {counts}.").format(
            weeks=self._weeks,
            counts=", ".join(count_label(outcome, counts[outcome]) for outcome in OUTCOME_COLOURS),
        )
        if self._open is not None:
            text += " " + self.tr("The occurrence of {day} is open.").format(day=self._open.isoformat())
        self.setAccessibleDescription(text)
