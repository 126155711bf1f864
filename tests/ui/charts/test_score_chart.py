"""The score chart paints lines where the scores are (checked on the grabbed image)."""

from __future__ import annotations

import datetime as dt
import itertools

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage

from iapt_desktop.ui.charts.chart_painting import plot_area, x_tick_labels
from iapt_desktop.ui.charts.score_chart import GAD7_COLOR, PHQ9_COLOR, ScoreChart, ScorePoint
from iapt_desktop.ui.charts.trend_chart import TrendChart, TrendLine

START = dt.date(2025, 1, 6)


def weekly(tool: str, scores: list[int]) -> list[tuple[dt.date, str, int]]:
    return [(START + dt.timedelta(days=7 * n), tool, s) for n, s in enumerate(scores)]


def near(image: QImage, x: float, y: float, color: QColor, reach: int = 3, tolerance: int = 40) -> bool:
    """True when a pixel within ``reach`` of (x, y) has about this colour."""
    for dx in range(-reach, reach + 1):
        for dy in range(-reach, reach + 1):
            pixel = image.pixelColor(int(x) + dx, int(y) + dy)
            if all(abs(a - b) < tolerance for a, b in zip(pixel.getRgb()[:3], color.getRgb()[:3], strict=True)):
                return True
    return False


def grab(chart) -> QImage:
    return chart.grab().toImage()


def test_lines_are_painted_at_the_scores_and_caseness(qtbot) -> None:
    chart = ScoreChart()
    qtbot.addWidget(chart)
    chart.resize(560, 300)
    chart.set_scores(weekly("PHQ9", [20, 15, 12, 6]) + weekly("GAD-7", [16, 12, 9, 3]))
    image = grab(chart)
    area = plot_area(chart.rect().toRectF(), chart.chart_spec(), chart.fontMetrics().__class__(chart.font()))
    assert near(image, area.x(0.0), area.y(20), PHQ9_COLOR)
    assert near(image, area.x(1.0), area.y(6), PHQ9_COLOR)
    assert near(image, area.x(0.0), area.y(16), GAD7_COLOR)
    assert near(image, area.x(1.0), area.y(3), GAD7_COLOR)
    middle = (area.rect.left() + area.rect.right()) / 2
    assert near(image, middle, area.y(10), PHQ9_COLOR, reach=6)  # the dashed PHQ-9 caseness line
    assert not near(image, area.x(0.0), area.y(3), PHQ9_COLOR)  # nothing painted where there is no score


def test_empty_chart_says_so_and_paints_no_series(qtbot) -> None:
    chart = ScoreChart()
    qtbot.addWidget(chart)
    chart.resize(400, 240)
    chart.set_scores([])
    assert chart.chart_spec().empty
    image = grab(chart)
    colours = {image.pixelColor(x, y).rgb() for x in range(0, 400, 3) for y in range(0, 240, 3)}
    assert PHQ9_COLOR.rgb() not in colours and GAD7_COLOR.rgb() not in colours


def test_set_scores_accepts_codes_and_points_and_ignores_other_tools(qtbot) -> None:
    chart = ScoreChart()
    qtbot.addWidget(chart)
    chart.set_scores(
        [
            (START, "720433000", 14),
            ScorePoint(START + dt.timedelta(days=14), "PHQ9", 9),
            (START, "445455005", 11),
            (START, "WSAS", 20),
            (None, "PHQ9", 3),
        ]
    )
    shown = chart.scores()
    assert shown["PHQ9"] == [(START, 14.0), (START + dt.timedelta(days=14), 9.0)]
    assert shown["GAD7"] == [(START, 11.0)]


def test_a_single_session_sits_in_the_middle(qtbot) -> None:
    chart = ScoreChart()
    qtbot.addWidget(chart)
    chart.set_scores([(START, "PHQ9", 12)])
    (series, _gad) = chart.chart_spec().series
    assert series.points == [(0.5, 12.0)]


def test_trend_chart_draws_months_with_gaps(qtbot) -> None:
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(600, 300)
    chart.set_trend(["2025-04", "2025-05", "2025-06"], [TrendLine("Recovery", [0.4, None, 0.6])], [("England", 0.9)])
    spec = chart.chart_spec()
    assert [label for _, label in spec.x_ticks] == ["Apr 25", "May 25", "Jun 25"]
    image = grab(chart)
    area = plot_area(chart.rect().toRectF(), spec, chart.fontMetrics().__class__(chart.font()))
    blue = spec.series[0].color
    assert near(image, area.x(0.0), area.y(0.4), blue)
    assert near(image, area.x(1.0), area.y(0.6), blue)
    assert not near(image, area.x(0.5), area.y(0.5), blue, reach=2)  # no line across the empty month


def test_trend_chart_draws_bars_up_to_their_value_with_targets_over_them(qtbot) -> None:
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(600, 300)
    chart.set_trend(
        ["2025-04", "2025-05"],
        [TrendLine("6 weeks", [0.5, 1.0], bars=True), TrendLine("18 weeks", [0.9, 1.0], bars=True)],
        [("Target 75%", 0.75)],
    )
    spec = chart.chart_spec()
    assert [f for f, _ in spec.x_ticks] == [0.25, 0.75] and spec.categories == 2
    image = grab(chart)
    area = plot_area(chart.rect().toRectF(), spec, chart.fontMetrics().__class__(chart.font()))
    blue, green = (s.color for s in spec.series)
    left_of_april = area.x(0.25) - 8
    assert near(image, left_of_april, area.y(0.4), blue, reach=2)  # inside the 50% bar
    assert not near(image, left_of_april, area.y(0.6), blue, reach=2)  # above it
    assert near(image, area.x(0.25) + 8, area.y(0.85), green, reach=2)
    target = spec.references[0].color
    clear = range(int(area.x(0.9)), int(area.rect.right()))  # right of the last bars
    along = [near(image, x, area.y(0.75), target, reach=1, tolerance=90) for x in clear]
    assert sum(along) > len(along) / 3  # dashed: at least a third of the pixels


def _ink_in(image: QImage, box) -> bool:
    """True when some pixel in ``box`` is dark (text), the chart's background being light."""
    for x in range(int(box.left()), int(box.right())):
        for y in range(int(box.top()), int(box.bottom())):
            if image.pixelColor(x, y).lightness() < 128:
                return True
    return False


def test_the_first_and_last_session_dates_are_labelled_and_every_date_is_on_the_axis(qtbot) -> None:
    chart = ScoreChart()
    qtbot.addWidget(chart)
    chart.resize(300, 260)  # as narrow as beside the sessions table: not every date has room for a label
    days = [START + dt.timedelta(days=7 * n) for n in range(8)]
    chart.set_scores([(d, "PHQ9", 10 + n % 3) for n, d in enumerate(days)] + [(days[0], "GAD7", 9)])
    spec = chart.chart_spec()
    metrics = chart.fontMetrics().__class__(chart.font())
    area = plot_area(chart.rect().toRectF(), spec, metrics)
    fractions = [f for series in spec.series for f, _ in series.points]
    assert min(fractions) == 0.0 and max(fractions) == 1.0  # the range runs from the first date to the last
    assert all(area.rect.left() < area.x(f) < area.rect.right() for f in fractions)
    ticks = dict(spec.x_ticks)
    assert len(ticks) == len(days)
    image = grab(chart)
    below = area.rect.bottom() + 5
    line = metrics.height()
    for fraction in (0.0, 1.0):
        width = metrics.horizontalAdvance(ticks[fraction])
        x = area.x(fraction)
        left = min(max(x - width / 2, area.rect.left() - 8), area.rect.right() - width)
        box = QRectF(left, below, width, line - 2)
        assert chart.rect().toRectF().contains(box)  # not cut at the widget's edge
        assert _ink_in(image, box), f"no label drawn for {ticks[fraction]}"
    drawn = [label for _, label in x_tick_labels(area, spec, metrics)]
    assert drawn[0] == ticks[0.0] and drawn[-1] == ticks[1.0] and len(drawn) >= 3
    boxes = [box for box, _ in x_tick_labels(area, spec, metrics)]
    assert all(a.right() < b.left() for a, b in itertools.pairwise(boxes))  # none overlap
