"""Export every data set table in the data set's own layout (CSV files or one workbook), as a job.

``export_tables_steps`` is a generator yielding :class:`TableProgress`; close
it to cancel (nothing is left behind).  It never exports app tables or app
columns; with a pseudonymisation key, direct identifiers are replaced.

A workbook is refused before anything is written (:class:`WorkbookTooLarge`)
when a table has more rows than an Excel sheet holds, or when the workbook
would unpack to more than import-tables reads back; CSV files have neither
limit.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain import audit_actions
from iapt_desktop.domain.access import Action, User, require
from iapt_desktop.interchange.hostile_files import LIMITS, FileLimits, WorkbookTooLarge, workbook_problem
from iapt_desktop.interchange.pseudonymise import Pseudonymiser
from iapt_desktop.interchange.table_columns import exported_columns, exported_tables
from iapt_desktop.interchange.table_files import is_workbook_target, write_tables_steps
from iapt_desktop.interchange.table_source import TableProgress
from iapt_desktop.storage import audit_log
from iapt_desktop.storage.database import DatabaseLocation
from iapt_desktop.storage.table_rows import count_rows, iter_rows, read_snapshot
from iapt_desktop.storage.table_sizes import table_size

__all__ = ["WorkbookTooLarge", "export_tables", "export_tables_job", "export_tables_steps"]

COMMAND_LINE_USER = "command line"


def export_tables_steps(
    db: Database,
    out: Path,
    *,
    pseudonymise_key: bytes | None = None,
    actor: User | None = None,
    limits: FileLimits = LIMITS,
) -> Generator[TableProgress, None, list[Path]]:
    """Write all 21 tables to ``out`` (a folder, or a file ending in .xlsx); returns the files written.

    Raises :class:`WorkbookTooLarge` (nothing written) when ``out`` is a workbook the tables do not fit.
    """
    if actor is not None:
        require(actor, Action.EXPORT)
    pseudonymiser = Pseudonymiser(pseudonymise_key) if pseudonymise_key is not None else None
    with read_snapshot(db):
        if is_workbook_target(out):
            problem = workbook_problem(_sizes(db), limits)
            if problem:
                raise WorkbookTooLarge(problem)
        tables = {t.name: _StoredRows(db, t.name, pseudonymiser) for t in exported_tables()}
        written = yield from write_tables_steps(out, tables)
    counts = {name: rows.count for name, rows in tables.items()}
    with db.atomic():
        audit_log.append(
            db,
            actor.username if actor else COMMAND_LINE_USER,
            audit_actions.EXPORT,
            changes={
                "format": "xlsx" if is_workbook_target(out) else "csv",
                "pseudonymised": pseudonymiser is not None,
                "rows": {name: n for name, n in counts.items() if n},
            },
        )
    return written


def _sizes(db: Database) -> dict[str, tuple[int, int, int]]:
    """Rows, non-empty values and characters of every exported table (pseudonyms are about as long)."""
    sizes = {}
    for table in exported_tables():
        size = table_size(db, table.name, [c.name for c in exported_columns(table)])
        sizes[table.name] = (size.rows, size.cells, size.characters)
    return sizes


class _StoredRows:
    """The rows of one table, read when iterated; ``len()`` is known beforehand (for workbook dimensions)."""

    def __init__(self, db: Database, table_name: str, pseudonymiser: Pseudonymiser | None) -> None:
        self._db = db
        self._table = table_name
        self._pseudonymiser = pseudonymiser
        self._expected = count_rows(db, table_name)
        self.count = 0

    def __len__(self) -> int:
        return self._expected

    def __iter__(self) -> Iterator[dict[str, Any]]:
        source = iter_rows(self._db, self._table)
        for row in self._pseudonymiser.rows(source) if self._pseudonymiser else source:
            self.count += 1
            yield row


def export_tables_job(location: DatabaseLocation, out: Path, *, pseudonymise_key: bytes | None = None,
                      actor: User | None = None) -> Generator[TableProgress, None, list[Path]]:
    """:func:`export_tables_steps` on a connection of its own (for ``ui.workers.run_job``)."""
    db = location.open()
    try:
        return (yield from export_tables_steps(db, out, pseudonymise_key=pseudonymise_key, actor=actor))
    finally:
        db.close()


def export_tables(db: Database, out: Path, *, pseudonymise_key: bytes | None = None,
                  actor: User | None = None) -> list[Path]:
    steps = export_tables_steps(db, out, pseudonymise_key=pseudonymise_key, actor=actor)
    while True:
        try:
            next(steps)
        except StopIteration as finished:
            return finished.value
