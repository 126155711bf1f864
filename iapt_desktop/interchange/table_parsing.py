"""From a table as a file holds it to values that can be stored, or the reasons they cannot.

Only what cannot be stored is a problem here: an unknown table or column, a
value that does not parse as its column's type, a value too long for any
cell.  Data-quality faults (a bad check digit, an out-of-list code) pass
through untouched for validation to report.  Keys and parent links are
checked against the database by the import job.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from iapt_desktop.domain.dataset import APP_COLUMN_PREFIX, DATASET_VERSION, Column, Table, tables
from iapt_desktop.interchange.formula_guard import restore
from iapt_desktop.interchange.hostile_files import LIMITS, FileLimits
from iapt_desktop.interchange.table_columns import ValueRefused, exported_columns, parse_value
from iapt_desktop.interchange.table_source import RowProblem, SourceTable, shorten


@dataclass(frozen=True)
class ParsedRow:
    """One row ready to store (``problems`` empty), or the values that did parse and what did not."""

    table: str
    number: int
    values: dict[str, Any]  # technical column name -> value to store; columns the file lacks are absent
    problems: tuple[RowProblem, ...] = ()


def known_table(source: SourceTable) -> Table | None:
    return tables().get(source.name)


def header_problems(source: SourceTable) -> list[RowProblem]:
    """Problems with the table name or header; when there are any, the rows are not read.

    A completely empty file or sheet whose name is not a table is no problem
    (check :func:`known_table` before reading its rows).
    """
    table = known_table(source)
    if table is None:
        if not source.header and next(source.rows, None) is None:
            return []  # an empty extra sheet (such as Excel's 'Sheet1') holds nothing to store
        return [RowProblem(source.name, None, "", "", _unknown_table_reason(source))]
    known = {c.name for c in exported_columns(table)}
    problems: list[RowProblem] = []
    seen: set[str] = set()
    for position, name in enumerate(source.header, start=1):
        text = "" if name is None else str(name)
        if not text:
            problems.append(RowProblem(table.name, 1, "", "", f"column {position} has no name in the header row"))
        elif text in seen:
            problems.append(RowProblem(table.name, 1, text, "", "the column appears twice in the header row"))
        elif text not in known:
            problems.append(RowProblem(table.name, 1, text, "", _unknown_column_reason(table, text)))
        seen.add(text)
    return problems


def _unknown_table_reason(source: SourceTable) -> str:
    reason = f"{source.location} is not a table of the IAPT data set v{DATASET_VERSION}"
    for name in tables():
        if name.lower() == source.name.lower():
            return f"{reason}; did you mean {name}? (names are case-sensitive)"
    return f"{reason}; files and sheets must be named after the tables, e.g. IDS101Referral"


def _unknown_column_reason(table: Table, name: str) -> str:
    if name.startswith(APP_COLUMN_PREFIX):
        return "app-only columns are never imported; remove the column"
    if ";" in name or "\t" in name:
        return "the header looks separated by ';' or tabs; save the file as 'CSV UTF-8 (comma delimited)'"
    for column in table.columns:
        if column.name.lower() == name.strip().lower():
            return f"is not a column of {table.name}; did you mean {column.name}? (names are case-sensitive)"
    return f"is not a column of {table.name} in the IAPT data set v{DATASET_VERSION}"


def parse_rows(source: SourceTable, limits: FileLimits = LIMITS) -> Iterator[ParsedRow]:
    """The rows of a table whose name and header are known (see :func:`header_problems`)."""
    table = tables()[source.name]
    columns: list[Column] = [table.column(str(name)) for name in source.header]
    width = len(columns)
    for row in source.rows:
        problems = list(row.problems)
        values: dict[str, Any] = {}
        if len(row.values) > width:
            extra = next((v for v in row.values[width:] if v not in (None, "")), "")
            if extra != "":
                problems.append(RowProblem(
                    table.name, row.number, "", shorten(extra),
                    f"the row has {len(row.values)} values but the header names {width} columns",
                ))
        for column, raw in zip(columns, row.values, strict=False):
            if isinstance(raw, str):
                if len(raw) > limits.field_chars:
                    problems.append(RowProblem(table.name, row.number, column.name, shorten(raw),
                                               f"is longer than {limits.field_chars:,} characters"))
                    continue
                if "\x00" in raw:
                    problems.append(RowProblem(table.name, row.number, column.name, shorten(raw.replace("\x00", "")),
                                               "contains a NUL character, which is never part of text"))
                    continue
                raw = restore(raw)
            try:
                value = parse_value(column, raw)
            except ValueRefused as refused:
                problems.append(RowProblem(table.name, row.number, column.name, shorten(raw), str(refused)))
                continue
            values[column.name] = value
        yield ParsedRow(table.name, row.number, values, tuple(problems))
