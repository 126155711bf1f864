"""Reporting periods (one calendar month) and the monthly submission windows."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum


class Window(Enum):
    PRIMARY = "primary"
    REFRESH = "refresh"


@dataclass(frozen=True, order=True)
class ReportingPeriod:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"Month {self.month} is not 1 to 12.")

    @classmethod
    def parse(cls, text: str) -> ReportingPeriod:
        """'2025-04' -> ReportingPeriod(2025, 4); a clear ValueError otherwise."""
        match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
        if not match:
            raise ValueError(f"'{text}' is not a reporting period: write the month as YYYY-MM, e.g. 2025-04.")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: dt.date) -> ReportingPeriod:
        return cls(day.year, day.month)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> ReportingPeriod:
        return ReportingPeriod(self.year - (self.month == 1), 12 if self.month == 1 else self.month - 1)

    def next(self) -> ReportingPeriod:
        return ReportingPeriod(self.year + (self.month == 12), 1 if self.month == 12 else self.month + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return self.start.strftime("%B %Y")


def proposed_windows(today: dt.date) -> dict[Window, ReportingPeriod]:
    """The window open around ``today`` takes last month as Primary and the month before as Refresh."""
    primary = ReportingPeriod.containing(today).previous()
    return {Window.PRIMARY: primary, Window.REFRESH: primary.previous()}
