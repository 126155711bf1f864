"""SQLite standing in for Microsoft Access in the IDB writer's tests.

The "template" has the 21 tables with Access-like column types as the Access
ODBC driver names them (VARCHAR(n), INTEGER, SMALLINT, DATETIME); the dialect
reads them back the way AccessOdbcDialect reads the ODBC catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

from iapt_desktop.domain.dataset import ColumnType, tables
from iapt_desktop.interchange.idb_types import TemplateColumn

ACCESS_LIKE = {ColumnType.INTEGER: "INTEGER", ColumnType.DATE: "DATETIME", ColumnType.TIME: "DATETIME",
               ColumnType.DATETIME: "DATETIME"}


def access_type(table_name: str, column_name: str) -> str:
    column = tables()[table_name].column(column_name)
    if column.type is ColumnType.TEXT:
        return f"VARCHAR({column.max_length or 255})"
    return ACCESS_LIKE[column.type]


def make_template(path: Path, *, overrides: dict[tuple[str, str], str | None] | None = None,
                  extra_tables: tuple[str, ...] = (), upper_case: bool = False) -> Path:
    """A blank stand-in template; ``overrides`` change a column's type (None drops the column).

    ``upper_case``: every table and column name in upper case (a spelling Access treats as the same).
    """
    spell = str.upper if upper_case else str
    overrides = overrides or {}
    connection = sqlite3.connect(path)
    for name, definition in tables().items():
        columns = []
        for column in definition.columns:
            declared = overrides.get((name, column.name), access_type(name, column.name))
            if declared is not None:
                columns.append(f"[{spell(column.name)}] {declared}")
        connection.execute(f"CREATE TABLE [{spell(name)}] ({', '.join(columns)})")
    for name in extra_tables:
        connection.execute(f"CREATE TABLE [{name}] (x VARCHAR(10))")
    connection.commit()
    connection.close()
    return path


class SqliteStandInDialect:
    def connect(self, path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(path)
        # what the Access driver receives is a datetime; SQLite keeps its text form
        sqlite3.register_adapter(dt.datetime, lambda value: value.isoformat(sep=" "))
        return connection

    def table_names(self, connection: sqlite3.Connection) -> set[str]:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        return {row[0] for row in rows}

    def columns(self, connection: sqlite3.Connection, table_name: str) -> list[TemplateColumn]:
        result = []
        for _cid, name, declared, *_rest in connection.execute(f"PRAGMA table_info([{table_name}])"):
            match = re.fullmatch(r"(\w+)(?:\((\d+)\))?", declared)
            assert match, declared
            result.append(TemplateColumn(name, match.group(1), int(match.group(2)) if match.group(2) else None))
        return result


def schema_of(path: Path) -> list[tuple[str, str]]:
    connection = sqlite3.connect(path)
    try:
        return sorted(connection.execute("SELECT name, sql FROM sqlite_master").fetchall())
    finally:
        connection.close()


def read_table(path: Path, table_name: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(f"SELECT * FROM [{table_name}] ORDER BY rowid").fetchall()
    finally:
        connection.close()
