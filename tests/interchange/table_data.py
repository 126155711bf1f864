"""A synthetic database that fills every data set table and every column type, by direct inserts.

Values are made up; NHS numbers come from the 999 test range.  Text includes
what tends to break interchange: leading zeros, 18-digit SNOMED CT ids,
commas, quotes, line breaks, non-ASCII letters, formula-like text and nulls.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.dataset import ROW_ID, ColumnType, parent_first_order, tables
from iapt_desktop.domain.field_checks import nhs_number_check_digit

AWKWARD_TEXT = (
    "01",
    "007",
    "ZZ",
    "123456789012345678",  # 18-digit SNOMED CT id
    "a, b",
    'say "hi"',
    "line1\nline2",
    "crlf\r\nend",
    "Zoë Ångström – naïve",
    "=1+1",
    "+44",
    "-3",
    "@SUM(A1)",
    "'quoted",
    "\tleading tab",
    " padded ",
    "=cmd|'/c calc'!A1",
)


def nhs_number(serial: int) -> str:
    for offset in range(30):
        stem = f"999{(serial * 13 + offset) % 1000000:06d}"
        digit = nhs_number_check_digit(stem)
        if digit is not None and stem[:5] != (stem + str(digit))[5:][::-1]:
            return stem + str(digit)
    raise AssertionError("no NHS number")


def _value(table: str, column: Any, index: int) -> Any:
    if (index + column.ordinal) % 7 == 6 and column.name not in _never_null(table):
        return None
    kind = column.type
    if kind is ColumnType.DATE:
        return f"20{10 + index % 15:02d}-{1 + index % 12:02d}-{1 + index % 28:02d}"
    if kind is ColumnType.TIME:
        return f"{index % 24:02d}:{(index * 7) % 60:02d}:{(index * 13) % 60:02d}"
    if kind is ColumnType.DATETIME:
        return f"2025-{1 + index % 12:02d}-{1 + index % 28:02d} {index % 24:02d}:{index % 60:02d}:05"
    if kind is ColumnType.INTEGER:
        return (index * 37) % 1000 - (1 if index % 11 == 0 else 0) * 1000
    if column.name == "NHSNumber":
        return nhs_number(index)
    if column.name == "Postcode":
        return ("LS1 4AP", "SW1A1AA", "b33 8th", "not a postcode")[index % 4]
    return AWKWARD_TEXT[(index + column.ordinal) % len(AWKWARD_TEXT)]


def _never_null(table_name: str) -> set[str]:
    table = tables()[table_name]
    names = set(table.primary_key) | set(table.unique_together)
    if table.parent_column:
        names.add(table.parent_column)
    return names


def fill_every_table(db: Database, rows_per_table: int = 12) -> dict[str, int]:
    """Insert ``rows_per_table`` rows into each of the 21 tables; returns the counts."""
    keys: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    with db.atomic():
        for name in parent_first_order():
            table = tables()[name]
            own: list[str] = []
            for index in range(rows_per_table):
                row = {c.name: _value(name, c, index) for c in table.columns if c.name != ROW_ID}
                if table.has_own_key:
                    key = f"{name[:5]}-{index:03d}"
                    row[table.primary_key[0]] = key
                    own.append(key)
                if table.parent_column:
                    parents = keys[table.parent]
                    row[table.parent_column] = parents[index % len(parents)]
                for position, column in enumerate(table.unique_together):
                    if column != table.parent_column:
                        row[column] = f"U{index:03d}{position}"
                db.table(name).insert(row)
            keys[name] = own
            counts[name] = rows_per_table
    return counts
