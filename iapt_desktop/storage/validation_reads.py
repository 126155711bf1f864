"""The reads of whole-database validation (``validation.stored_tables.StoredTables``) from the database.

A table streams in key order (the order of :func:`table_rows.iter_rows`) as
batches of tuples.  Rows wanted again by position are found with one pass
over the key alone (cheap: SQLite walks the key's index) and then fetched by
key, so a finding on the last row of two million rows does not read the
table again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.dataset import table

BATCH = 1000
_FETCH_CHUNK = 500


class StoredValidationTables:
    """``StoredTables`` over an open database; counts the rows each table streamed."""

    def __init__(self, db: Database, batch: int = BATCH) -> None:
        self.db = db
        self.batch = batch
        self.rows_read: dict[str, int] = {}

    def columns(self, name: str) -> tuple[str, ...]:
        return tuple(row[1] for row in self.db.execute(f"PRAGMA table_info([{table(name).name}])"))

    def batches(self, name: str) -> Iterator[list[tuple[Any, ...]]]:
        key = table(name).storage_key
        cursor = self.db.execute(f"SELECT * FROM [{name}] ORDER BY [{key}]")
        count = 0
        while batch := cursor.fetchmany(self.batch):
            count += len(batch)
            self.rows_read[name] = max(self.rows_read.get(name, 0), count)
            yield batch
        self.rows_read.setdefault(name, 0)

    def rows_at(self, name: str, indices: Iterable[int]) -> Iterator[tuple[int, dict[str, Any]]]:
        wanted = sorted(set(indices))
        if not wanted:
            return
        key = table(name).storage_key
        keys: dict[int, Any] = {}
        look_for, last = set(wanted), wanted[-1]
        for index, (value,) in enumerate(self.db.execute(f"SELECT [{key}] FROM [{name}] ORDER BY [{key}]")):
            if index in look_for:
                keys[index] = value
            if index >= last:
                break
        if None in keys.values() or len(set(keys.values())) != len(keys):
            yield from self._rows_at_by_scan(name, wanted)  # no usable key: read the table in order
            return
        names = self.columns(name)
        by_key: dict[Any, dict[str, Any]] = {}
        values = list(keys.values())
        for start in range(0, len(values), _FETCH_CHUNK):
            chunk = values[start:start + _FETCH_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            for row in self.db.execute(f"SELECT * FROM [{name}] WHERE [{key}] IN ({marks})", chunk):
                found = dict(zip(names, row, strict=True))
                by_key[found[key]] = found
        for index in wanted:
            if index in keys and keys[index] in by_key:
                yield index, by_key[keys[index]]

    def _rows_at_by_scan(self, name: str, wanted: list[int]) -> Iterator[tuple[int, dict[str, Any]]]:
        names = self.columns(name)
        look_for, last, index = set(wanted), wanted[-1], -1
        for batch in self.batches(name):
            for values in batch:
                index += 1
                if index in look_for:
                    yield index, dict(zip(names, values, strict=True))
                if index >= last:
                    return
