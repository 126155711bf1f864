"""Published England figures (NHS England annual reports) and targets, as data.

Data: ``resources/measures/national_figures.csv`` (measure, period, value, source, unconfirmed); the
measure names are the keys of the service figures so the two can stand side by side.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass

from iapt_desktop.paths import resource

TARGET = "target"


@dataclass(frozen=True)
class NationalFigure:
    measure: str
    period: str  # '2024-25' or 'target'
    value: float
    source: str
    unconfirmed: bool


@functools.cache
def national_figures() -> tuple[NationalFigure, ...]:
    with open(resource("measures", "national_figures.csv"), newline="", encoding="utf-8") as handle:
        return tuple(
            NationalFigure(row["measure"], row["period"], float(row["value"]), row["source"], row["unconfirmed"] == "1")
            for row in csv.DictReader(handle)
        )


def latest_year() -> str:
    return max(f.period for f in national_figures() if f.period != TARGET)


def national_figure(measure: str, period: str | None = None) -> NationalFigure | None:
    """The figure for a measure in a year (default: the latest published year)."""
    wanted = period or latest_year()
    for figure in national_figures():
        if figure.measure == measure and figure.period == wanted:
            return figure
    return None


def target(measure: str) -> NationalFigure | None:
    return national_figure(measure, TARGET)
