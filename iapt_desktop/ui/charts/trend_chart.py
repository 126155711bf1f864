"""Rates by month (recovery, reliable improvement, ...) as lines, with national reference lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from iapt_desktop.ui.charts.chart_painting import (
    BAR,
    CIRCLE,
    DIAMOND,
    SQUARE,
    ChartSpec,
    ReferenceLine,
    Series,
    paint_chart,
)

SERIES_STYLES = ((QColor("#1d4ed8"), CIRCLE), (QColor("#15803d"), SQUARE), (QColor("#7c3aed"), DIAMOND))
REFERENCE_COLOR = QColor("#64748b")


@dataclass(frozen=True)
class TrendLine:
    label: str
    values: Sequence[float | None]  # one per month, fractions 0..1; None where nothing was counted
    bars: bool = False  # drawn as bars (side by side with the other bar lines) instead of a line


class TrendChart(QWidget):
    """Monthly rates as lines (or bars) on a 0-100% axis.

    ``set_trend(months, lines, references)``: ``months`` are labels ('2025-04'), ``lines`` up to three
    :class:`TrendLine`, ``references`` (label, fraction) pairs drawn dashed in the colour of the line with
    the same position (e.g. the England recovery rate beside the recovery line).
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        y_title: str = "Share of referrals",
        empty_text: str = "No referral finished treatment in this period",
    ) -> None:
        super().__init__(parent)
        self._y_title = y_title
        self._empty_text = empty_text
        self._months: list[str] = []
        self._lines: list[TrendLine] = []
        self._references: list[tuple[str, float]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_trend(
        self, months: Sequence[str], lines: Sequence[TrendLine], references: Sequence[tuple[str, float]] = ()
    ) -> None:
        self._months = list(months)
        self._lines = list(lines)[: len(SERIES_STYLES)]
        self._references = list(references)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(560, 260)

    def minimumSizeHint(self) -> QSize:
        return QSize(280, 160)

    def chart_spec(self) -> ChartSpec:
        count = len(self._months)
        with_bars = any(line.bars for line in self._lines)

        def fraction(index: int) -> float:
            if with_bars:
                return (index + 0.5) / count
            return index / (count - 1) if count > 1 else 0.5

        series = [
            Series(
                line.label, color, [(fraction(i), v) for i, v in enumerate(line.values)], BAR if line.bars else marker
            )
            for line, (color, marker) in zip(self._lines, SERIES_STYLES, strict=False)
        ]
        colors = [color for color, _ in SERIES_STYLES]
        return ChartSpec(
            series=series,
            references=[
                ReferenceLine(label, colors[i].darker(130) if i < len(self._lines) else REFERENCE_COLOR, value)
                for i, (label, value) in enumerate(self._references)
            ],
            categories=count if with_bars else 0,
            y_min=0,
            y_max=1,
            y_ticks=[(v / 100, f"{v}%") for v in range(0, 101, 25)],
            x_ticks=[(fraction(i), _month_label(m)) for i, m in enumerate(self._months)],
            x_title="Month",
            y_title=self._y_title,
            empty_text=self._empty_text,
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            paint_chart(painter, QRectF(self.rect()), self.chart_spec(), self.palette())
        finally:
            painter.end()


def _month_label(month: str) -> str:
    """'2025-04' -> 'Apr 25'."""
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    year, number = month.split("-")
    return f"{names[int(number) - 1]} {year[2:]}"
