"""Lines with the same values (reliable recovery often equals recovery) must all still be seen."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage

from iapt_desktop.ui.charts.trend_chart import SERIES_STYLES, TrendChart, TrendLine

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen only


def pixels_near(image: QImage, colour: QColor, top: int) -> int:
    """How many pixels below ``top`` (under the legend) are close to ``colour``."""
    count = 0
    for y in range(top, image.height()):
        for x in range(0, image.width(), 2):
            pixel = image.pixelColor(x, y)
            if abs(pixel.red() - colour.red()) + abs(pixel.green() - colour.green()) \
                    + abs(pixel.blue() - colour.blue()) < 40:
                count += 1
    return count


def test_a_line_under_another_with_the_same_values_still_shows(qtbot) -> None:
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(600, 300)
    values = [0.4, 0.55, 0.5, 0.6, 0.45, 0.5]
    months = [f"2025-{m:02d}" for m in range(4, 10)]
    chart.set_trend(months, [TrendLine("Recovery", values), TrendLine("Reliable recovery", values)])
    chart.show()
    qtbot.waitExposed(chart)
    picture = chart.grab().toImage()
    top = picture.height() // 4  # below the legend
    headline, under = SERIES_STYLES[0][0], SERIES_STYLES[1][0]
    assert pixels_near(picture, headline, top) > 200
    assert pixels_near(picture, under, top) > 80  # its edges and markers show round the headline line (was ~15)
