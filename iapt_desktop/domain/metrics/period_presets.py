"""Ready-made reporting periods for the dashboard (relative to today)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from iapt_desktop.domain.reporting_period import ReportingPeriod


@dataclass(frozen=True)
class PeriodPreset:
    label: str
    dates: Callable[[dt.date], tuple[dt.date, dt.date]]


def _complete_months(count: int) -> Callable[[dt.date], tuple[dt.date, dt.date]]:
    def dates(today: dt.date) -> tuple[dt.date, dt.date]:
        last = ReportingPeriod.containing(today).previous()
        first = last
        for _ in range(count - 1):
            first = first.previous()
        return first.start, last.end

    return dates


def financial_year_start(day: dt.date) -> dt.date:
    """1 April on or before ``day`` (the NHS financial year)."""
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def _this_financial_year(today: dt.date) -> tuple[dt.date, dt.date]:
    return financial_year_start(today), today


def _last_financial_year(today: dt.date) -> tuple[dt.date, dt.date]:
    start = financial_year_start(today)
    return dt.date(start.year - 1, 4, 1), start - dt.timedelta(days=1)


PRESETS: tuple[PeriodPreset, ...] = (
    PeriodPreset("Last month", _complete_months(1)),
    PeriodPreset("Last 3 months", _complete_months(3)),
    PeriodPreset("Last 12 months", _complete_months(12)),
    PeriodPreset("This financial year so far", _this_financial_year),
    PeriodPreset("Last financial year", _last_financial_year),
)

DEFAULT_PRESET = "Last 12 months"


def preset(label: str) -> PeriodPreset:
    for item in PRESETS:
        if item.label == label:
            return item
    raise KeyError(label)
