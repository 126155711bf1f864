"""Painting a simple line chart: axes, grid, ticks, series with markers, reference lines and a legend.

The widgets (ScoreChart, TrendChart) turn their data into a :class:`ChartSpec` with x positions as
fractions 0..1 of the plot width, and call :func:`paint_chart` from ``paintEvent``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPalette, QPen

CIRCLE = "circle"
SQUARE = "square"
DIAMOND = "diamond"
BAR = "bar"  # a series drawn as bars (grouped side by side with the chart's other bar series)

MARKER_RADIUS = 3.5
LINE_WIDTH = 2.0
UNDERLINE_WIDENING = 1.0  # per line drawn over it: its edges show beside the line on top
MARKER_WIDENING = 1.5  # per line drawn over it: its markers show round the markers on top
EDGE_PAD = 14.0  # space between the axis and the first/last point, so markers are not cut
GAP = 6.0


@dataclass(frozen=True)
class Series:
    label: str
    color: QColor
    points: Sequence[tuple[float, float | None]]  # (x fraction 0..1, y value or None for a gap)
    marker: str = CIRCLE


@dataclass(frozen=True)
class ReferenceLine:
    """A dashed horizontal line (a caseness threshold, a national figure) labelled at its right end."""

    label: str
    color: QColor
    value: float


@dataclass(frozen=True)
class ChartSpec:
    series: Sequence[Series]
    y_min: float
    y_max: float
    y_ticks: Sequence[tuple[float, str]]
    x_ticks: Sequence[tuple[float, str]]
    x_title: str
    y_title: str
    references: Sequence[ReferenceLine] = field(default_factory=tuple)
    empty_text: str = "Nothing to show yet"
    categories: int = 0  # for bar series: how many x positions share the width

    @property
    def empty(self) -> bool:
        return not any(y is not None for s in self.series for _, y in s.points)


@dataclass(frozen=True)
class PlotArea:
    """Where the data goes, and how values map into it."""

    rect: QRectF
    y_min: float
    y_max: float

    def x(self, fraction: float) -> float:
        usable = max(self.rect.width() - 2 * EDGE_PAD, 1.0)
        return self.rect.left() + EDGE_PAD + fraction * usable

    def y(self, value: float) -> float:
        span = (self.y_max - self.y_min) or 1.0
        return self.rect.bottom() - (value - self.y_min) / span * self.rect.height()


@dataclass(frozen=True)
class LegendEntry:
    label: str
    color: QColor
    marker: str | None  # None: a dashed reference line
    width: float


SWATCH = 22.0


def legend_entries(spec: ChartSpec, metrics: QFontMetricsF) -> list[LegendEntry]:
    items = [(s.label, s.color, s.marker) for s in spec.series]
    items += [(r.label, r.color, None) for r in spec.references]
    return [
        LegendEntry(label, color, marker, SWATCH + 4 + metrics.horizontalAdvance(label))
        for label, color, marker in items
    ]


def legend_rows(entries: list[LegendEntry], width: float) -> list[list[LegendEntry]]:
    """Entries flowed into rows no wider than ``width``."""
    rows: list[list[LegendEntry]] = []
    used = width + 1
    for entry in entries:
        if used + 2 * GAP + entry.width > width and (not rows or rows[-1]):
            rows.append([])
            used = -2 * GAP
        rows[-1].append(entry)
        used += 2 * GAP + entry.width
    return rows


def plot_area(rect: QRectF, spec: ChartSpec, metrics: QFontMetricsF) -> PlotArea:
    line = metrics.height()
    tick_width = max((metrics.horizontalAdvance(text) for _, text in spec.y_ticks), default=0.0)
    left = rect.left() + line + GAP + tick_width + GAP
    rows = len(legend_rows(legend_entries(spec, metrics), rect.width() - 2 * GAP)) if not spec.empty else 0
    top = rect.top() + GAP + rows * (line + 2) + GAP
    bottom = rect.bottom() - (2 * line + 2 * GAP)  # tick labels and the x title
    right = rect.right() - GAP
    return PlotArea(QRectF(left, top, max(right - left, 10.0), max(bottom - top, 10.0)), spec.y_min, spec.y_max)


def paint_chart(painter: QPainter, rect: QRectF, spec: ChartSpec, palette: QPalette) -> PlotArea:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    metrics = QFontMetricsF(painter.font())
    text_color = palette.color(QPalette.ColorRole.WindowText)
    area = plot_area(rect, spec, metrics)
    _paint_axes(painter, area, spec, metrics, text_color)
    if spec.empty:
        painter.setPen(text_color)
        painter.drawText(area.rect, Qt.AlignmentFlag.AlignCenter, spec.empty_text)
        return area
    painter.save()
    painter.setClipRect(
        area.rect.adjusted(-MARKER_RADIUS - 1, -MARKER_RADIUS - 1, MARKER_RADIUS + 1, MARKER_RADIUS + 1)
    )
    bars = [series for series in spec.series if series.marker == BAR]
    for index, series in enumerate(bars):
        _paint_bars(painter, area, series, index, len(bars), spec.categories)
    for reference in spec.references:  # over the bars, under the lines
        _paint_reference(painter, area, reference)
    lines = [series for series in spec.series if series.marker != BAR]
    for depth, series in reversed(list(enumerate(lines))):  # the first series (the headline one) on top
        _paint_series(painter, area, series, depth)
    painter.restore()
    _paint_legend(painter, rect, area, spec, metrics, text_color)
    return area


def _paint_axes(painter: QPainter, area: PlotArea, spec: ChartSpec, metrics: QFontMetricsF, text: QColor) -> None:
    plot = area.rect
    grid = QColor(text)
    grid.setAlpha(40)
    line = metrics.height()
    for value, label in spec.y_ticks:
        y = area.y(value)
        painter.setPen(QPen(grid, 1))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(text)
        box = QRectF(plot.left() - GAP - 200, y - line / 2, 200, line)
        painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
    painter.setPen(QPen(text, 1))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    painter.drawLine(plot.bottomLeft(), plot.topLeft())
    for fraction, _label in spec.x_ticks:
        x = area.x(fraction)
        painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4))
    for box, label in x_tick_labels(area, spec, metrics):
        painter.drawText(box, Qt.AlignmentFlag.AlignLeft, label)
    title_top = plot.bottom() + 4 + line + GAP / 2
    painter.drawText(QRectF(plot.left(), title_top, plot.width(), line), Qt.AlignmentFlag.AlignHCenter, spec.x_title)
    painter.save()
    painter.translate(
        plot.left() - GAP - max(metrics.horizontalAdvance(t) for _, t in spec.y_ticks) - GAP, plot.center().y()
    )
    painter.rotate(-90)
    painter.drawText(
        QRectF(-plot.height() / 2, -line, plot.height(), line), Qt.AlignmentFlag.AlignHCenter, spec.y_title
    )
    painter.restore()


def x_tick_labels(area: PlotArea, spec: ChartSpec, metrics: QFontMetricsF) -> list[tuple[QRectF, str]]:
    """Where each drawn x label goes: the first and the last tick always (the latest wins when only one
    fits), and between them every n-th counted from the latest, leaving out any that would touch another."""
    plot, line, ticks = area.rect, metrics.height(), spec.x_ticks
    boxes = []
    for fraction, label in ticks:
        width = metrics.horizontalAdvance(label)
        left = min(max(area.x(fraction) - width / 2, plot.left() - GAP), plot.right() - width)
        boxes.append(QRectF(left, plot.bottom() + 4, width + 1, line))
    if not boxes:
        return []
    step = _label_step(area, ticks, metrics)
    last = len(ticks) - 1
    wanted = [last, 0] + [i for i in range(last - step, 0, -step)]
    chosen: list[int] = []
    for index in wanted:
        box = boxes[index]
        if all(box.right() + GAP < boxes[j].left() or boxes[j].right() + GAP < box.left() for j in chosen):
            chosen.append(index)
    return [(boxes[i], ticks[i][1]) for i in sorted(set(chosen))]


def _label_step(area: PlotArea, ticks: Sequence[tuple[float, str]], metrics: QFontMetricsF) -> int:
    """Label every n-th tick, n the smallest that keeps evenly spaced labels apart (overlaps are also skipped)."""
    if len(ticks) < 2:
        return 1
    widest = max(metrics.horizontalAdvance(label) for _, label in ticks) + 2 * GAP
    average = abs(area.x(ticks[-1][0]) - area.x(ticks[0][0])) / (len(ticks) - 1) or 1.0
    return max(1, int(-(-widest // average)))


def _paint_reference(painter: QPainter, area: PlotArea, reference: ReferenceLine) -> None:
    if not area.y_min <= reference.value <= area.y_max:
        return
    y = area.y(reference.value)
    painter.setPen(QPen(reference.color, 1.4, Qt.PenStyle.DashLine))
    painter.drawLine(QPointF(area.rect.left(), y), QPointF(area.rect.right(), y))


def _paint_series(painter: QPainter, area: PlotArea, series: Series, depth: int = 0) -> None:
    """``depth``: how many lines are drawn over this one; a deeper line is drawn wider, with larger markers,
    so where lines share their values (reliable recovery often equals recovery) each still shows."""
    path = QPainterPath()
    started = False
    points: list[QPointF] = []
    for fraction, value in series.points:
        if value is None:
            started = False
            continue
        point = QPointF(area.x(fraction), area.y(value))
        points.append(point)
        if started:
            path.lineTo(point)
        else:
            path.moveTo(point)
            started = True
    painter.setPen(QPen(series.color, LINE_WIDTH + depth * UNDERLINE_WIDENING))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.setPen(QPen(series.color, LINE_WIDTH))
    painter.setBrush(series.color)
    for point in points:
        draw_marker(painter, point, series.marker, MARKER_RADIUS + depth * MARKER_WIDENING)
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _paint_bars(painter: QPainter, area: PlotArea, series: Series, index: int, count: int, categories: int) -> None:
    slot = (area.rect.width() - 2 * EDGE_PAD) / max(categories, 1)
    width = max(min(slot * 0.8 / max(count, 1), 28.0), 2.0)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(series.color)
    for fraction, value in series.points:
        if value is None:
            continue
        left = area.x(fraction) - width * count / 2 + index * width
        top = area.y(value)
        painter.drawRect(QRectF(left, top, width - 1, area.rect.bottom() - top))
    painter.setBrush(Qt.BrushStyle.NoBrush)


def draw_marker(painter: QPainter, point: QPointF, marker: str, radius: float = MARKER_RADIUS) -> None:
    if marker == BAR:
        painter.drawRect(QRectF(point.x() - 5, point.y() - 5, 10, 10))
    elif marker == SQUARE:
        painter.drawRect(QRectF(point.x() - radius, point.y() - radius, 2 * radius, 2 * radius))
    elif marker == DIAMOND:
        path = QPainterPath(QPointF(point.x(), point.y() - radius - 1))
        path.lineTo(point.x() + radius + 1, point.y())
        path.lineTo(point.x(), point.y() + radius + 1)
        path.lineTo(point.x() - radius - 1, point.y())
        path.closeSubpath()
        painter.drawPath(path)
    else:
        painter.drawEllipse(point, radius, radius)


def _paint_legend(
    painter: QPainter, rect: QRectF, area: PlotArea, spec: ChartSpec, metrics: QFontMetricsF, text: QColor
) -> None:
    line = metrics.height()
    y = rect.top() + GAP
    for row in legend_rows(legend_entries(spec, metrics), rect.width() - 2 * GAP):
        total = sum(e.width for e in row) + 2 * GAP * (len(row) - 1)
        x = max(area.rect.right() - total, rect.left() + GAP)
        for entry in row:
            middle = y + line / 2
            style = Qt.PenStyle.SolidLine if entry.marker else Qt.PenStyle.DashLine
            painter.setPen(QPen(entry.color, LINE_WIDTH if entry.marker else 1.4, style))
            if entry.marker != BAR:
                painter.drawLine(QPointF(x, middle), QPointF(x + SWATCH, middle))
            if entry.marker:
                painter.setBrush(entry.color)
                draw_marker(painter, QPointF(x + SWATCH / 2, middle), entry.marker)
                painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(text)
            painter.drawText(QRectF(x + SWATCH + 4, y, entry.width, line), Qt.AlignmentFlag.AlignLeft, entry.label)
            x += entry.width + 2 * GAP
        y += line + 2
