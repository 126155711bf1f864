"""Reading and writing whole rows of the data set tables, for export and import.

Rows are dicts keyed by technical column names.  :func:`iter_rows` reads in
key order (the data set key, or the app row id in insertion order for tables
without one), so the same database always exports the same files.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.dataset import ROW_ID, table


def iter_rows(db: Database, table_name: str, *, batch: int = 1000) -> Iterator[dict[str, Any]]:
    """Every row of a data set table in key order (app_row_id included where the table has it)."""
    key = table(table_name).storage_key
    cursor = db.execute(f"SELECT * FROM [{table_name}] ORDER BY [{key}]")
    names = [description[0] for description in cursor.description]
    while rows := cursor.fetchmany(batch):
        for row in rows:
            yield dict(zip(names, row, strict=True))


def count_rows(db: Database, table_name: str) -> int:
    table(table_name)  # refuses names that are not data set tables
    return int(db.execute(f"SELECT count(*) FROM [{table_name}]").fetchone()[0])


def stored_columns(db: Database, table_name: str) -> tuple[str, ...]:
    return tuple(row[1] for row in db.execute(f"PRAGMA table_info([{table_name}])"))


def required_columns(db: Database, table_name: str) -> tuple[str, ...]:
    """Columns the database refuses to leave empty (NOT NULL), apart from the app row id."""
    return tuple(
        row[1] for row in db.execute(f"PRAGMA table_info([{table_name}])")
        if row[3] and row[1] != ROW_ID
    )


def row_exists(db: Database, table_name: str, columns: Sequence[str], values: Sequence[Any]) -> bool:
    """True when a row of ``table_name`` has ``values`` in ``columns``."""
    condition = " AND ".join(f"[{name}] = ?" for name in columns)
    return db.execute(f"SELECT 1 FROM [{table_name}] WHERE {condition} LIMIT 1", list(values)).fetchone() is not None


def insert_row(db: Database, table_name: str, values: Mapping[str, Any]) -> None:
    """Insert one row (the caller holds the transaction); raises the driver's IntegrityError on a clash."""
    names = list(values)
    db.execute(
        f"INSERT INTO [{table_name}] ({', '.join(f'[{n}]' for n in names)}) VALUES ({', '.join('?' for _ in names)})",
        [values[n] for n in names],
    )


def insert_rows(db: Database, table_name: str, rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert rows in one transaction (all or none); returns how many."""
    count = 0
    with db.atomic():
        for row in rows:
            insert_row(db, table_name, row)
            count += 1
    return count


@contextlib.contextmanager
def read_snapshot(db: Database) -> Iterator[Database]:
    """Read every table as of one moment (one read transaction), so parents and children agree.

    Nothing is written inside; if the caller already holds a transaction it is used as it is.
    """
    if db.conn.in_transaction:
        yield db
        return
    db.execute("BEGIN")
    try:
        yield db
    finally:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
