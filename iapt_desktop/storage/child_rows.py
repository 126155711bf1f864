"""Saving the lists of rows that hang under a patient or a referral (IDS002, IDS004, IDS603 ...).

The forms edit a list of rows in memory; :func:`save_child_rows` compares it
with what was loaded and inserts, updates and deletes through
``record_writes`` (permission checks and audit entries), inside the caller's
transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.access import User
from iapt_desktop.domain.dataset import ROW_ID, table
from iapt_desktop.storage.record_writes import delete_row, save_row

Row = dict[str, Any]


def load_child_rows(db: Database, table_name: str, parent_key: str) -> list[Row]:
    spec = table(table_name)
    cursor = db.execute(
        f"SELECT * FROM [{table_name}] WHERE [{spec.parent_column}] = ? ORDER BY [{spec.storage_key}]",
        [parent_key],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def is_blank(row: Mapping[str, Any], ignore: Sequence[str]) -> bool:
    return all(value in (None, "") for name, value in row.items() if name not in ignore)


def save_child_rows(
    db: Database,
    actor: User,
    table_name: str,
    parent_key: str,
    rows: Sequence[Mapping[str, Any]],
    original: Sequence[Mapping[str, Any]],
) -> None:
    """Make the stored rows of ``table_name`` under ``parent_key`` equal ``rows``."""
    spec = table(table_name)
    key = spec.storage_key
    parent_column = spec.parent_column or ""
    columns = [c for c in spec.column_names if c != parent_column]
    before = {row[key]: row for row in original if row.get(key) is not None}
    kept = set()
    for row in rows:
        if is_blank(row, (key, parent_column)):
            continue
        values = {c: (row.get(c) if row.get(c) != "" else None) for c in columns}
        existing = row.get(key) if key == ROW_ID else None
        if existing is not None and existing in before:
            kept.add(existing)
            old = before[existing]
            if any(old.get(c) != values[c] for c in columns):
                save_row(db, actor, table_name, values, key=existing)
        else:
            save_row(db, actor, table_name, {parent_column: parent_key, **values})
    for gone in set(before) - kept:
        delete_row(db, actor, table_name, gone)
