"""The interchange layout: which tables and columns go out, and how each value is written and read back.

Driven entirely by :func:`iapt_desktop.domain.dataset.tables`: every one of the
21 data set tables, its technical column names in the data set's order, and
never an ``app_`` table or column (``app_row_id`` included).

Text form of a value (CSV field, xlsx text cell):

- TEXT: as stored; DATE ``YYYY-MM-DD``; TIME ``HH:MM:SS``; DATETIME
  ``YYYY-MM-DD HH:MM:SS``; INTEGER in decimal; null: empty.

Reading accepts that form (plus the few unambiguous variants listed in
docs/interchange.md, such as the cell types a spreadsheet program may leave
behind) and refuses anything that does not parse, with a reason for people.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from iapt_desktop.domain.dataset import APP_COLUMN_PREFIX, Column, ColumnType, Table, parent_first_order, tables


class ValueRefused(ValueError):
    """A value that cannot be stored in its column; the message says why, for people."""


def exported_tables() -> tuple[Table, ...]:
    """All data set tables in submission order (never an app table)."""
    return tuple(t for t in tables().values() if not t.name.startswith(APP_COLUMN_PREFIX))


def header(table: Table) -> tuple[str, ...]:
    """The technical column names of ``table`` in the data set's order (no app columns)."""
    return tuple(c.name for c in table.columns if not c.name.startswith(APP_COLUMN_PREFIX))


def exported_columns(table: Table) -> tuple[Column, ...]:
    return tuple(c for c in table.columns if not c.name.startswith(APP_COLUMN_PREFIX))


def import_order(names: list[str]) -> list[str]:
    """``names`` (tables as files or sheets name them) in the order an import reads them.

    Names that are not data set tables come first (they are refused at once),
    then the tables parents before children, so a child's parent is already
    stored when the child is checked.
    """
    rank = {name: index for index, name in enumerate(parent_first_order())}
    return sorted(names, key=lambda name: (name in rank, rank.get(name, 0), name))


# ---------------------------------------------------------------- writing


def format_value(column: Column, value: Any) -> str:
    """The interchange text form of a stored (or Python) value; '' for null.

    Accepts what the database holds (text in the canonical form, int) and the
    Python types a caller may hand over (date, time, datetime, int).
    """
    if value is None:
        return ""
    kind = column.type
    if kind is ColumnType.DATE:
        if isinstance(value, dt.datetime):
            value = value.date()
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if kind is ColumnType.TIME:
        if isinstance(value, dt.datetime):
            value = value.time()
        return value.strftime("%H:%M:%S") if isinstance(value, dt.time) else str(value)
    if kind is ColumnType.DATETIME:
        return value.strftime("%Y-%m-%d %H:%M:%S") if isinstance(value, dt.datetime) else str(value)
    if kind is ColumnType.INTEGER and isinstance(value, bool):
        return str(int(value))
    return str(value)


def format_row(table: Table, row: Mapping[str, Any]) -> list[str]:
    """One row as text fields in header order; keys not in the layout (app_row_id ...) are left out."""
    return [format_value(column, row.get(column.name)) for column in exported_columns(table)]


# ---------------------------------------------------------------- reading

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2}))?$")
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)$")
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")
ACCESS_TIME_DATE = dt.date(1899, 12, 30)  # Access and Excel keep a time of day on this date


def parse_value(column: Column, value: Any) -> Any:
    """The value to store for what a file holds in ``column``; None for empty.

    ``value`` is text (CSV, xlsx text cells) or what a spreadsheet cell held
    (int, float, datetime, date, time, bool).  Raises :class:`ValueRefused`.
    """
    if value is None:
        return None
    if isinstance(value, str) and value == "":
        return None
    kind = column.type
    if kind is ColumnType.TEXT:
        return _text(value)
    if kind is ColumnType.INTEGER:
        return _integer(value)
    if kind is ColumnType.DATE:
        return _date(value)
    if kind is ColumnType.TIME:
        return _time(value)
    return _datetime(value)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueRefused("is TRUE/FALSE, not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueRefused("is not a whole number")
    if isinstance(value, str):
        text = value.strip()
        if _INTEGER.match(text):
            return int(text)
        if re.match(r"^[+-]?\d+\.0*$", text) and len(text) < 20:
            return int(text.split(".")[0])
    raise ValueRefused("is not a whole number (write digits only, e.g. 50)")


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0):
            raise ValueRefused("is a date and time; this column holds a date only (YYYY-MM-DD)")
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        if _DATE.match(text):
            try:
                return dt.date.fromisoformat(text).isoformat()
            except ValueError:
                raise ValueRefused("is not a real date") from None
    raise ValueRefused("is not a date in the form YYYY-MM-DD (e.g. 2025-04-30)")


def _time(value: Any) -> str:
    if isinstance(value, dt.datetime):
        if value.date() != ACCESS_TIME_DATE:
            raise ValueRefused("is a date and time; this column holds a time of day (HH:MM:SS)")
        value = value.time()
    if isinstance(value, dt.time):
        return value.replace(microsecond=0).strftime("%H:%M:%S")
    if isinstance(value, str):
        text = value.strip()
        if text.startswith(ACCESS_TIME_DATE.isoformat() + " "):
            text = text[11:]
        match = _TIME.match(text)
        if match:
            hour, minute, second = (int(part or 0) for part in match.groups())
            try:
                return dt.time(hour, minute, second).strftime("%H:%M:%S")
            except ValueError:
                raise ValueRefused("is not a real time of day") from None
    raise ValueRefused("is not a time of day in the form HH:MM:SS (e.g. 14:30:00)")


def _datetime(value: Any) -> str:
    if isinstance(value, dt.datetime):
        if value.microsecond >= 500_000:
            value = value + dt.timedelta(seconds=1)
        return value.replace(microsecond=0).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return f"{value.isoformat()} 00:00:00"
    if isinstance(value, str):
        match = _DATETIME.match(value.strip())
        if match:
            try:
                day = dt.date.fromisoformat(match.group(1))
                moment = dt.time.fromisoformat(match.group(2))
            except ValueError:
                raise ValueRefused("is not a real date and time") from None
            return dt.datetime.combine(day, moment).strftime("%Y-%m-%d %H:%M:%S")
    raise ValueRefused("is not a date and time in the form YYYY-MM-DD HH:MM:SS (e.g. 2025-04-30 14:30:00)")
