"""Filling a copy of the official blank IAPT v2.1 Intermediate Database (IDB, .accdb).

Copy the blank master IDB (IAPTMasterIDB_2.1, from TRUD), then append rows
only - no table is created, dropped or altered.  Before writing, the copy's
structure is checked against the data set (every table and column present,
nothing extra, every column of a type that can hold the data set's values,
every table empty); afterwards the row counts are checked.

The SQL is plain parameterised ``INSERT INTO [table] ([column], ...) VALUES
(?, ...)``, one row per parameter set, through any DB-API connection.  On
Windows the connection is pyodbc with the Microsoft Access ODBC driver
(:class:`AccessOdbcDialect`, imported lazily; pyodbc is not a dependency on
other systems).

What has been tested: the structure check, the conversions and the SQL, with
SQLite standing in for Access (tests/interchange/test_idb_writer.py).  What has
NOT been tested: writing through the real Access driver, and whether SDCS
Cloud accepts the result.  See docs/submission.md.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from iapt_desktop.domain.dataset import tables
from iapt_desktop.interchange.idb_types import IdbValueError, TemplateColumn, to_access, type_problem

ACCESS_ODBC_DRIVER = "Microsoft Access Driver (*.mdb, *.accdb)"
ACCESS_TESTING_NOTE = (
    "The IDB writer has not been tested against Microsoft Access or its ODBC driver: its checks, "
    "conversions and SQL were tested with SQLite standing in for Access. Check the first IDB it "
    "writes by opening it in Access before you upload it."
)
_BATCH = 500


class IdbUnavailable(Exception):
    """The IDB cannot be written on this computer; the message says why and what to do."""


class IdbTemplateError(Exception):
    """The template is not the blank official IDB (or not one this version understands)."""


@dataclass(frozen=True)
class IdbProgress:
    table: str
    done: int
    total: int


class IdbDialect(Protocol):
    """How to reach a template file through a DB-API driver and read its catalogue."""

    def connect(self, path: Path) -> Any: ...

    def table_names(self, connection: Any) -> set[str]: ...

    def columns(self, connection: Any, table_name: str) -> list[TemplateColumn]: ...


def columns_from_catalogue(rows: Iterable[Any]) -> list[TemplateColumn]:
    """TemplateColumns from ODBC SQLColumns rows (attributes column_name, type_name, column_size)."""
    result = []
    for row in rows:
        size = getattr(row, "column_size", None)
        result.append(TemplateColumn(str(row.column_name), str(row.type_name), int(size) if size else None))
    return result


class AccessOdbcDialect:
    """The Microsoft Access ODBC driver through pyodbc (Windows only; untested here)."""

    def connect(self, path: Path) -> Any:
        problem = access_driver_problem()
        if problem:
            raise IdbUnavailable(problem)
        import pyodbc  # Windows only, optional

        return pyodbc.connect(f"DRIVER={{{ACCESS_ODBC_DRIVER}}};DBQ={path};", autocommit=False)

    def table_names(self, connection: Any) -> set[str]:
        return {str(row.table_name) for row in connection.cursor().tables(tableType="TABLE")}

    def columns(self, connection: Any, table_name: str) -> list[TemplateColumn]:
        return columns_from_catalogue(connection.cursor().columns(table=table_name))


def access_driver_problem() -> str | None:
    """Why the Access route cannot run on this computer, or None when it can."""
    if sys.platform != "win32":
        return (
            "Filling the IDB needs Windows with the Microsoft Access ODBC driver; this computer is not "
            "running Windows. The CSV files and workbook of the package were written; fill the IDB on a "
            "Windows computer."
        )
    try:
        import pyodbc
    except ImportError:
        return "Filling the IDB needs the pyodbc package, which is not installed with this copy of the app."
    if ACCESS_ODBC_DRIVER not in pyodbc.drivers():
        bits = "64" if sys.maxsize > 2**32 else "32"
        return (
            f"The '{ACCESS_ODBC_DRIVER}' ODBC driver is not installed for {bits}-bit programs. Install the "
            f"Microsoft Access Database Engine ({bits}-bit) redistributable, or Microsoft Office of the same "
            "bitness, and try again."
        )
    return None


@dataclass(frozen=True)
class TemplateTable:
    """A template table matched to the data set: its own spelling, and its columns by data set name."""

    name: str
    columns: dict[str, TemplateColumn]


def read_template(connection: Any, dialect: IdbDialect) -> tuple[dict[str, TemplateTable], list[str]]:
    """The template's tables matched to the data set's (names compared without regard to case, as
    Access and the national structure check do), and every way it differs; [] when it fits."""
    expected = tables()
    present = {name.lower(): name for name in dialect.table_names(connection)}
    problems = [f"the table {name} is missing" for name in expected if name.lower() not in present]
    known = {name.lower() for name in expected}
    problems += [f"the template has a table the data set does not: {present[lower]}"
                 for lower in sorted(set(present) - known)]
    layout: dict[str, TemplateTable] = {}
    for name, definition in expected.items():
        if name.lower() not in present:
            continue
        template_name = present[name.lower()]
        by_lower = {c.name.lower(): c for c in dialect.columns(connection, template_name)}
        matched: dict[str, TemplateColumn] = {}
        for column in definition.columns:
            found = by_lower.get(column.name.lower())
            if found is None:
                problems.append(f"{name}.{column.name} is missing")
                continue
            matched[column.name] = found
            problem = type_problem(column, found)
            if problem:
                problems.append(problem)
        extra = sorted(set(by_lower) - {c.lower() for c in definition.column_names})
        problems += [f"{name}.{by_lower[column].name} is not a column of the data set" for column in extra]
        if _count(connection, template_name):
            problems.append(f"{name} already holds rows (the template must be the blank one)")
        layout[name] = TemplateTable(template_name, matched)
    return layout, problems


def template_problems(connection: Any, dialect: IdbDialect) -> list[str]:
    """Every way the template differs from the blank v2.1 IDB this writer expects; [] when it fits."""
    return read_template(connection, dialect)[1]


def _count(connection: Any, table_name: str) -> int:
    cursor = connection.cursor()
    cursor.execute(f"SELECT COUNT(*) FROM [{table_name}]")
    return int(cursor.fetchone()[0])


def write_idb(
    rows_by_table: Mapping[str, Sequence[Mapping[str, Any]]],
    template: Path,
    out_path: Path,
    *,
    dialect: IdbDialect | None = None,
    overwrite: bool = False,
) -> Iterator[IdbProgress]:
    """Copy ``template`` to ``out_path`` and append the rows; yields progress per batch.

    Raises IdbUnavailable, IdbTemplateError, IdbValueError or FileExistsError
    with a message for people; on any failure no file is left at ``out_path``.
    """
    dialect = dialect or AccessOdbcDialect()
    if not template.is_file():
        raise IdbUnavailable(
            f"The blank IDB template {template} was not found. Download IAPTMasterIDB_2.1 from TRUD and set "
            "its path in Settings (Blank IDB template)."
        )
    if out_path.exists() and not overwrite:
        raise FileExistsError(f"{out_path} already exists; choose another folder or remove it first.")
    partial = out_path.with_name(f"{out_path.stem}.partial{out_path.suffix}")
    shutil.copyfile(template, partial)
    os.chmod(partial, 0o600)  # it will hold the month's patient rows: owner-only, as every export
    connection = None
    try:
        connection = dialect.connect(partial)
        layout, problems = read_template(connection, dialect)
        if problems:
            shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
            raise IdbTemplateError(
                f"{template} is not the blank IAPT v2.1 IDB template this version writes: {shown}. "
                "Use the official blank template from TRUD (IAPTMasterIDB_2.1), unchanged."
            )
        yield from _insert_all(connection, layout, rows_by_table)
        connection.commit()
        _check_counts(connection, layout, rows_by_table)
    except BaseException:
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.rollback()
        _close_and_remove(connection, partial)
        raise
    connection.close()
    os.replace(partial, out_path)


def _insert_all(
    connection: Any, layout: Mapping[str, TemplateTable], rows_by_table: Mapping[str, Sequence[Mapping[str, Any]]]
) -> Iterator[IdbProgress]:
    for name, definition in tables().items():
        rows = rows_by_table.get(name, ())
        target = layout[name]
        names = [target.columns[column].name for column in definition.column_names]  # the template's spelling
        sql = (f"INSERT INTO [{target.name}] ({', '.join(f'[{c}]' for c in names)}) "
               f"VALUES ({', '.join('?' for _ in names)})")
        key = definition.primary_key[0] if definition.has_own_key else None
        cursor = connection.cursor()
        batch: list[list[Any]] = []
        for number, row in enumerate(rows, start=1):
            place = f"{name} row {number}" + (f" ({key} {row.get(key)})" if key else "")
            batch.append([
                to_access(column, target.columns[column.name], row.get(column.name), f"{place}, {column.name}")
                for column in definition.columns
            ])
            if len(batch) >= _BATCH:
                cursor.executemany(sql, batch)
                batch = []
                yield IdbProgress(name, number, len(rows))
        if batch:
            cursor.executemany(sql, batch)
        yield IdbProgress(name, len(rows), len(rows))


def _check_counts(
    connection: Any, layout: Mapping[str, TemplateTable], rows_by_table: Mapping[str, Sequence[Mapping[str, Any]]]
) -> None:
    for name in tables():
        written, expected = _count(connection, layout[name].name), len(rows_by_table.get(name, ()))
        if written != expected:
            raise IdbValueError(f"{name}: {written} rows in the IDB after writing, {expected} expected.")


def _close_and_remove(connection: Any, partial: Path) -> None:
    if connection is not None:
        with contextlib.suppress(Exception):
            connection.close()
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
