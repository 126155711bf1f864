"""What whole-database validation reads from the store.

:func:`iapt_desktop.validation.streamed.run_streamed_validation` reads through
this protocol so that validation stays free of SQL (``storage/validation_reads``
answers it from the database).  A table is read as batches of tuples in one
fixed order, a row's position in it being its index; a few rows are read again
by index (duplicate candidates, and the rows findings point at).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from iapt_desktop.validation.row_environment import Row

Batch = list[tuple[Any, ...]]


class StoredTables(Protocol):
    def columns(self, name: str) -> tuple[str, ...]:
        """The table's column names, in the order of the tuples :meth:`batches` gives."""

    def batches(self, name: str) -> Iterator[Batch]:
        """The table's rows as tuples, a batch at a time, in the same order on every call."""

    def rows_at(self, name: str, indices: Iterable[int]) -> Iterator[tuple[int, Row]]:
        """The rows at these positions (as dicts, ascending) of that same order."""

