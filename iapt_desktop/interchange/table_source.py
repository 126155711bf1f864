"""What a reader of interchange files hands on: tables as they stand in the file, row by row.

Readers (csv_tables, xlsx_tables) produce :class:`SourceTable` objects whose
rows are read lazily; :mod:`iapt_desktop.interchange.table_parsing` turns them
into values to store, or into :class:`RowProblem` entries.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RowProblem:
    """Why (part of) a file cannot be stored: where it is and what is wrong."""

    table: str
    row: int | None  # the file's row number (header = 1); None for the file or sheet as a whole
    column: str  # '' when the problem is not about one column
    value: str  # the offending value as text ('' when none), shortened
    reason: str

    def describe(self) -> str:
        place = self.table if self.row is None else f"{self.table} row {self.row}"
        if self.column:
            place += f", {self.column}"
        shown = f" '{self.value}'" if self.value else ""
        return f"{place}:{shown} {self.reason}"


def shorten(value: Any, limit: int = 60) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class SourceRow:
    """One row of a file: its number and its values in header order (text or spreadsheet cell values)."""

    number: int
    values: tuple[Any, ...]
    problems: tuple[RowProblem, ...] = ()  # reading problems on this row (e.g. not UTF-8)


@dataclass
class SourceTable:
    """One table as a file or sheet holds it."""

    name: str  # the table name the file or sheet carries (may be unknown to the data set)
    location: str  # for people: 'IDS101Referral.csv' or 'sheet IDS101Referral'
    header: tuple[Any, ...]
    rows: Iterator[SourceRow] = field(repr=False)
    cells_are_text: bool = True  # False for xlsx: cells may hold numbers and dates


@dataclass(frozen=True)
class TableProgress:
    """How far an export or import has got: ``table`` being worked on, rows done in it.

    An import reads only the tables it is given, so its last item is ``table=''``
    with every table done and ``rows`` the rows stored in all.
    """

    table: str
    rows: int
    tables_done: int
    tables_total: int

    @property
    def done(self) -> int:
        """Tables finished (named like the other jobs' progress, for progress bars)."""
        return self.tables_done

    @property
    def total(self) -> int:
        return self.tables_total

    @property
    def message(self) -> str:
        if not self.table:
            return f"Done: {self.rows:,} rows"
        return f"{self.table}: {self.rows:,} rows ({self.tables_done} of {self.tables_total} tables done)"
