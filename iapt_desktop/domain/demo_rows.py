"""Options, identifiers and the row container shared by the demo generators.

The demo generators are pure: they fill a :class:`DemoRows` (table name ->
list of rows keyed by technical column names) that the demo job writes in
bulk.  Nothing here reads a clock: every date derives from ``as_of``.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass, field
from typing import Any

from iapt_desktop.domain.dataset import table

Row = dict[str, object]

# Columns of the app-only tables the demo fills (the data set tables come from dataset.py).
APP_TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "app_patient": ("LocalPatientId", "given_name", "family_name", "preferred_name", "address", "phone", "email"),
    "app_care_personnel": ("CarePersLocalId", "display_name", "professional_role", "active"),
    "app_referral": ("ServiceRequestId", "CarePersLocalId"),
    "app_questionnaire_answer": ("score_table", "score_row_id", "item", "answer"),
}
SCORE_TABLES = ("IDS606CodedScoreAssessmentRefer", "IDS607CodedScoreAssessmentAct")

DEFAULT_PATIENTS = 400
DEFAULT_MONTHS = 18
DEFAULT_SEED = 1
MINIMUM_PATIENTS_FOR_FAULTS = 20


@dataclass(frozen=True)
class DemoOptions:
    """What to generate.  ``as_of`` plays the part of "today" (the CLI passes the real date)."""

    as_of: dt.date
    patients: int = DEFAULT_PATIENTS
    months: int = DEFAULT_MONTHS
    seed: int = DEFAULT_SEED
    with_faults: bool = False

    def problems(self) -> list[str]:
        found = []
        if self.patients < 1:
            found.append("The number of patients must be at least 1.")
        if not 1 <= self.months <= 120:
            found.append("The number of months must be between 1 and 120.")
        if self.with_faults and self.patients < MINIMUM_PATIENTS_FOR_FAULTS:
            found.append(f"Planting faults needs at least {MINIMUM_PATIENTS_FOR_FAULTS} patients.")
        return found

    @property
    def window(self) -> DemoWindow:
        return DemoWindow.ending_before(self.as_of, self.months)


@dataclass(frozen=True)
class DemoWindow:
    """The months the demo covers: whole calendar months ending with the month before ``as_of``."""

    start: dt.date
    end: dt.date

    @classmethod
    def ending_before(cls, as_of: dt.date, months: int) -> DemoWindow:
        end = as_of.replace(day=1) - dt.timedelta(days=1)
        index = as_of.year * 12 + (as_of.month - 1) - months
        start = dt.date(index // 12, index % 12 + 1, 1)
        return cls(start, end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def months(self) -> list[tuple[dt.date, dt.date]]:
        """First and last day of each calendar month in the window."""
        found = []
        first = self.start
        while first <= self.end:
            following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            found.append((first, following - dt.timedelta(days=1)))
            first = following
        return found


@functools.cache
def _blank_row(table_name: str) -> Row:
    if table_name in APP_TABLE_COLUMNS:
        return dict.fromkeys(APP_TABLE_COLUMNS[table_name])
    return dict.fromkeys(table(table_name).column_names)


@dataclass
class DemoRows:
    """Rows generated for a batch of patients, by table; every row carries all its table's columns."""

    tables: dict[str, list[Row]] = field(default_factory=dict)

    def add(self, table_name: str, **values: object) -> Row:
        row = dict(_blank_row(table_name))
        row.update(values)
        self.tables.setdefault(table_name, []).append(row)
        return row

    def extend(self, table_name: str, rows: list[Row]) -> None:
        """Add rows that already carry every column of the table (the fast path for bulk rows)."""
        self.tables.setdefault(table_name, []).extend(rows)

    def rows(self, table_name: str) -> list[Row]:
        return self.tables.get(table_name, [])

    def count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


@dataclass
class DemoIds:
    """Stable local identifiers, handed out in generation order (max 20 characters)."""

    patient: int = 0
    referral: int = 0
    contact: int = 0
    activity: int = 0
    score_607: int = 0
    score_606: int = 0

    def next_patient(self) -> str:
        self.patient += 1
        return f"P{self.patient:06d}"

    def next_referral(self) -> str:
        self.referral += 1
        return f"R{self.referral:06d}"

    def next_contact(self) -> str:
        self.contact += 1
        return f"C{self.contact:07d}"

    def next_activity(self) -> str:
        self.activity += 1
        return f"A{self.activity:07d}"

    def next_score_row(self, score_table: str) -> int:
        """The app_row_id of the next IDS606/IDS607 row (item answers point at it)."""
        if score_table == SCORE_TABLES[0]:
            self.score_606 += 1
            return self.score_606
        self.score_607 += 1
        return self.score_607


def staff_id(index: int) -> str:
    return f"ST{index + 1:03d}"



class Weighted:
    """A weighted choice among values, prepared once: ``Weighted(("a", 3), ("b", 1)).pick(rng)``."""

    def __init__(self, *pairs: tuple[object, float]) -> None:
        self.values = tuple(value for value, _ in pairs)
        total = 0.0
        cumulative = []
        for _, weight in pairs:
            total += weight
            cumulative.append(total)
        self.cumulative = tuple(cumulative)

    def pick(self, rng: random.Random) -> Any:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def days_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A day in [first, last] (first when last is earlier)."""
    span = (last - first).days
    return first + dt.timedelta(days=rng.randint(0, span)) if span > 0 else first
