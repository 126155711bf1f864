"""How much text a table holds: rows, values that are not empty, and their length as text.

For checks made before a long export (will the workbook be too large to read back?), in one
query per table; no values leave the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class TableSize:
    rows: int
    cells: int  # values that are not NULL
    characters: int  # their total length as text


def table_size(db: Database, table_name: str, columns: Sequence[str]) -> TableSize:
    """Rows, non-empty values and their characters over ``columns`` of ``table_name``."""
    if not columns:
        return TableSize(int(db.execute(f"SELECT count(*) FROM [{table_name}]").fetchone()[0]), 0, 0)
    cells = " + ".join(f"count([{c}])" for c in columns)
    characters = " + ".join(f"coalesce(sum(length([{c}])), 0)" for c in columns)
    rows, found_cells, found_characters = db.execute(
        f"SELECT count(*), {cells}, {characters} FROM [{table_name}]").fetchone()
    return TableSize(int(rows), int(found_cells), int(found_characters))
