"""Every stored row of the data set tables, for whole-database validation.

The header table is left out: a header belongs to one month's file and is
built from Settings when that file is made.  Rows carry ``app_row_id`` where the
table has one, so findings can lead back to the stored row.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.dataset import tables
from iapt_desktop.storage.table_rows import count_rows, iter_rows

HEADER_TABLE = "IDS000Header"


def stored_tables() -> tuple[str, ...]:
    return tuple(name for name in tables() if name != HEADER_TABLE)


def iter_all_rows(db: Database) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """(table, its rows as a stream) for every data set table but the header, parents first."""
    for name in stored_tables():
        yield name, iter_rows(db, name)


def all_rows(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Every stored row per table (the header excluded), in key order."""
    return {name: list(rows) for name, rows in iter_all_rows(db)}


def all_row_counts(db: Database) -> dict[str, int]:
    return {name: count_rows(db, name) for name in stored_tables()}
