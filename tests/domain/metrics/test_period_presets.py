from __future__ import annotations

import datetime as dt

import pytest

from iapt_desktop.domain.metrics.period_presets import PRESETS, financial_year_start, preset

TODAY = dt.date(2025, 2, 14)


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("Last month", dt.date(2025, 1, 1), dt.date(2025, 1, 31)),
        ("Last 3 months", dt.date(2024, 11, 1), dt.date(2025, 1, 31)),
        ("Last 12 months", dt.date(2024, 2, 1), dt.date(2025, 1, 31)),
        ("This financial year so far", dt.date(2024, 4, 1), TODAY),
        ("Last financial year", dt.date(2023, 4, 1), dt.date(2024, 3, 31)),
    ],
)
def test_presets(label: str, start: dt.date, end: dt.date) -> None:
    assert preset(label).dates(TODAY) == (start, end)


def test_financial_year_starts_on_1_april() -> None:
    assert financial_year_start(dt.date(2025, 4, 1)) == dt.date(2025, 4, 1)
    assert financial_year_start(dt.date(2025, 3, 31)) == dt.date(2024, 4, 1)
    assert len({p.label for p in PRESETS}) == len(PRESETS)
