"""PHQ-9 and GAD-7 scores of one referral over its sessions, with the caseness lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from iapt_desktop.domain.assessment_scales import GAD7, PHQ9
from iapt_desktop.ui.charts.chart_painting import CIRCLE, SQUARE, ChartSpec, ReferenceLine, Series, paint_chart

PHQ9_COLOR = QColor("#1d4ed8")  # blue
GAD7_COLOR = QColor("#c2410c")  # orange

# tool names accepted by set_scores -> (canonical tool, label, colour, marker, caseness, maximum)
TOOLS = {
    "PHQ9": ("PHQ9", "PHQ-9", PHQ9_COLOR, CIRCLE, 10, 27),
    "GAD7": ("GAD7", "GAD-7", GAD7_COLOR, SQUARE, 8, 21),
}
ALIASES = {PHQ9: "PHQ9", GAD7: "GAD7", "PHQ-9": "PHQ9", "GAD-7": "GAD7", "PHQ9": "PHQ9", "GAD7": "GAD7"}
Y_MAX = 27


@dataclass(frozen=True)
class ScorePoint:
    """One total: when it was taken, which tool, the score."""

    date: dt.date
    tool: str  # "PHQ9" / "GAD7" (also accepted: "PHQ-9", "GAD-7" or the SNOMED CT codes)
    score: float


def _short_date(day: dt.date, with_year: bool) -> str:
    text = f"{day.day} {day.strftime('%b')}"
    return f"{text} {day.strftime('%y')}" if with_year else text


class ScoreChart(QWidget):
    """PHQ-9 and GAD-7 totals over a referral's sessions, painted with QPainter.

    Usage::

        chart = ScoreChart(parent)
        chart.set_scores([(date(2025, 1, 6), "PHQ9", 18), (date(2025, 1, 6), "GAD7", 14), ...])
        chart.set_scores([])  # clears it: shows "No PHQ-9 or GAD-7 scores yet"

    ``set_scores`` takes any iterable of ``(date, tool, score)`` tuples or :class:`ScorePoint`; ``tool``
    is "PHQ9" or "GAD7" (or "PHQ-9", "GAD-7", or the SNOMED CT codes 720433000 / 445455005).  Other tools
    and points without a date or score are left out.  Dates run along the x axis in proportion to
    time; scores on the y axis (0-27).  Dashed lines mark caseness (PHQ-9 10, GAD-7 8): a score at or
    above its line is at caseness.  The widget keeps no reference to the caller's data.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: dict[str, list[tuple[dt.date, float]]] = {"PHQ9": [], "GAD7": []}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip("PHQ-9 and GAD-7 over the sessions; dashed lines mark caseness (PHQ-9 10, GAD-7 8)")

    def set_scores(self, points: Iterable[ScorePoint | tuple[dt.date, str, float]]) -> None:
        grouped: dict[str, list[tuple[dt.date, float]]] = {"PHQ9": [], "GAD7": []}
        for point in points:
            day, tool, score = (point.date, point.tool, point.score) if isinstance(point, ScorePoint) else point
            canonical = ALIASES.get(str(tool))
            if canonical is None or day is None or score is None:
                continue
            grouped[canonical].append((day, float(score)))
        for series in grouped.values():
            series.sort(key=lambda item: item[0])
        self._points = grouped
        self.update()

    def scores(self) -> dict[str, list[tuple[dt.date, float]]]:
        """The points shown, by tool ("PHQ9", "GAD7"), in date order."""
        return {tool: list(points) for tool, points in self._points.items()}

    def sizeHint(self) -> QSize:
        return QSize(520, 260)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, 160)

    def chart_spec(self) -> ChartSpec:
        days = [day for series in self._points.values() for day, _ in series]
        first, last = (min(days), max(days)) if days else (dt.date.today(), dt.date.today())
        span = (last - first).days

        def fraction(day: dt.date) -> float:
            return (day - first).days / span if span else 0.5

        series, references = [], []
        for tool, (_, label, color, marker, caseness, _maximum) in TOOLS.items():
            series.append(Series(label, color, [(fraction(d), s) for d, s in self._points[tool]], marker))
            references.append(ReferenceLine(f"{label} caseness {caseness}", color, caseness))
        distinct = sorted(set(days))
        with_year = first.year != last.year
        return ChartSpec(
            series=series,
            references=references,
            y_min=0,
            y_max=Y_MAX,
            y_ticks=[(v, str(v)) for v in (0, 5, 10, 15, 20, 25)],
            x_ticks=[(fraction(d), _short_date(d, with_year)) for d in distinct],
            x_title="Session date",
            y_title="Score",
            empty_text="No PHQ-9 or GAD-7 scores yet",
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            paint_chart(painter, QRectF(self.rect()), self.chart_spec(), self.palette())
        finally:
            painter.end()
