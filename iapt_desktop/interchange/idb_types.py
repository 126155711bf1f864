"""Access column types of the IDB template, as its ODBC catalogue names them, and value conversion.

The template, not this code, is the source of truth for types and lengths
(NHS England's IDB guidance: its tables and fields must not be altered): the
writer reads each column's type from the copy it fills and converts every value
to that type.  This module declares

- which Access types a data set column may have (a Text column of the data
  set must be Text or Memo in the template, a whole number an integer type,
  a date, time or date-time a Date/Time), and
- how a stored value becomes a value of the template's type: text with its
  length checked, whole numbers with their range checked, dates as datetime at
  midnight, times of day as datetime on 1899-12-30 (Access's date-time
  convention, as NHS England's MHSDS IDB guidance documents it; for IAPT (unconfirmed)).

Type names are those the Microsoft Access ODBC driver reports in its column
catalogue (SQLColumns TYPE_NAME); the DSP/UCanAccess names are in the comments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Any

from iapt_desktop.domain.dataset import Column, ColumnType

ACCESS_TIME_DATE = dt.date(1899, 12, 30)  # Access keeps a time of day on this date


class AccessKind(Enum):
    TEXT = "Text"  # VARCHAR(n); UCanAccess CHARACTER VARYING(n)
    MEMO = "Memo"  # LONGCHAR
    LONG_INTEGER = "Long Integer"  # INTEGER; UCanAccess INTEGER
    INTEGER = "Integer"  # SMALLINT; UCanAccess SMALLINT
    BYTE = "Byte"  # BYTE / TINYINT; UCanAccess SMALLINT
    DATE_TIME = "Date/Time"  # DATETIME; UCanAccess TIMESTAMP
    OTHER = "other"  # anything the data set never uses (Double, Decimal, Yes/No, AutoNumber ...)


# ODBC TYPE_NAME (upper case, without length) -> kind
ODBC_TYPE_NAMES: dict[str, AccessKind] = {
    "VARCHAR": AccessKind.TEXT,
    "CHAR": AccessKind.TEXT,
    "TEXT": AccessKind.TEXT,
    "LONGCHAR": AccessKind.MEMO,
    "MEMO": AccessKind.MEMO,
    "INTEGER": AccessKind.LONG_INTEGER,
    "LONG": AccessKind.LONG_INTEGER,
    "SMALLINT": AccessKind.INTEGER,
    "SHORT": AccessKind.INTEGER,
    "BYTE": AccessKind.BYTE,
    "TINYINT": AccessKind.BYTE,
    "DATETIME": AccessKind.DATE_TIME,
}

# Which template kinds each data set type may be written to.
ALLOWED_KINDS: dict[ColumnType, frozenset[AccessKind]] = {
    ColumnType.TEXT: frozenset({AccessKind.TEXT, AccessKind.MEMO}),
    ColumnType.INTEGER: frozenset({AccessKind.LONG_INTEGER, AccessKind.INTEGER, AccessKind.BYTE}),
    ColumnType.DATE: frozenset({AccessKind.DATE_TIME}),
    ColumnType.TIME: frozenset({AccessKind.DATE_TIME}),
    ColumnType.DATETIME: frozenset({AccessKind.DATE_TIME}),
}

INTEGER_RANGES: dict[AccessKind, tuple[int, int]] = {
    AccessKind.LONG_INTEGER: (-(2**31), 2**31 - 1),
    AccessKind.INTEGER: (-(2**15), 2**15 - 1),
    AccessKind.BYTE: (0, 255),
}


@dataclass(frozen=True)
class TemplateColumn:
    """One column of a template table as its catalogue describes it."""

    name: str
    type_name: str  # as the driver reports it, e.g. VARCHAR
    size: int | None  # Text length; None when not applicable

    @property
    def kind(self) -> AccessKind:
        return ODBC_TYPE_NAMES.get(self.type_name.strip().upper(), AccessKind.OTHER)

    def describe(self) -> str:
        if self.kind is AccessKind.TEXT and self.size:
            return f"Text({self.size})"
        return self.kind.value if self.kind is not AccessKind.OTHER else self.type_name


class IdbValueError(ValueError):
    """A value that does not fit its template column.  The message names the place, never the value."""


def type_problem(column: Column, template_column: TemplateColumn) -> str | None:
    """Why the template's column cannot hold the data set column, or None."""
    if template_column.kind in ALLOWED_KINDS[column.type]:
        return None
    allowed = " or ".join(sorted(kind.value for kind in ALLOWED_KINDS[column.type]))
    return f"{column.table}.{column.name} is {template_column.describe()} in the template; expected {allowed}"


def to_access(column: Column, template_column: TemplateColumn, value: Any, where: str) -> Any:
    """``value`` (as stored: text, int or None) converted to the template column's type.

    ``where`` names the place for messages (e.g. "IDS201CareContact row 3, CareContDate").
    """
    if value is None or value == "":
        return None
    kind = template_column.kind
    if kind in (AccessKind.TEXT, AccessKind.MEMO):
        text = str(value)
        if kind is AccessKind.TEXT and template_column.size and len(text) > template_column.size:
            raise IdbValueError(
                f"{where}: {len(text)} characters, but the template's field holds at most "
                f"{template_column.size}. Shorten the value in the record and write the file again."
            )
        return text
    if kind in INTEGER_RANGES:
        number = _whole_number(value, where)
        low, high = INTEGER_RANGES[kind]
        if not low <= number <= high:
            raise IdbValueError(f"{where}: {number} is outside the template field's range {low} to {high}.")
        return number
    if kind is AccessKind.DATE_TIME:
        return _moment(column, value, where)
    raise IdbValueError(f"{where}: the template field's type {template_column.type_name} is not supported.")


def _whole_number(value: Any, where: str) -> int:
    if isinstance(value, bool):
        raise IdbValueError(f"{where}: not a whole number.")
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text.lstrip("+-").isdigit():
        return int(text)
    raise IdbValueError(f"{where}: not a whole number.")


def _moment(column: Column, value: Any, where: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value.replace(microsecond=0, tzinfo=None)
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    elif isinstance(value, dt.time):
        moment = dt.datetime.combine(ACCESS_TIME_DATE, value.replace(microsecond=0))
    else:
        try:
            moment = _parse_stored(column.type, str(value).strip())
        except ValueError:
            raise IdbValueError(f"{where}: not a valid {_TYPE_WORDS[column.type]}.") from None
    if column.type is ColumnType.DATE:
        return dt.datetime.combine(moment.date(), dt.time())
    if column.type is ColumnType.TIME:
        return dt.datetime.combine(ACCESS_TIME_DATE, moment.time())
    return moment


_TYPE_WORDS = {ColumnType.DATE: "date (YYYY-MM-DD)", ColumnType.TIME: "time of day (HH:MM:SS)",
               ColumnType.DATETIME: "date and time (YYYY-MM-DD HH:MM:SS)"}


def _parse_stored(kind: ColumnType, text: str) -> dt.datetime:
    if kind is ColumnType.DATE:
        return dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
    if kind is ColumnType.TIME:
        return dt.datetime.combine(ACCESS_TIME_DATE, dt.time.fromisoformat(text))
    return dt.datetime.fromisoformat(text)
