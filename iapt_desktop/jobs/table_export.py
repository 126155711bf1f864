"""Export every data set table in the data set's own layout (CSV files or one workbook), as a job.

``export_tables_steps`` is a generator yielding :class:`TableProgress`; close
it to cancel (nothing is left behind).  It never exports app tables or app
columns; with a pseudonymisation key, direct identifiers are replaced.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain import audit_actions
from iapt_desktop.domain.access import Action, User, require
from iapt_desktop.interchange.pseudonymise import Pseudonymiser
from iapt_desktop.interchange.table_columns import exported_tables
from iapt_desktop.interchange.table_files import is_workbook_target, write_tables_steps
from iapt_desktop.interchange.table_source import TableProgress
from iapt_desktop.storage import audit_log
from iapt_desktop.storage.database import DatabaseLocation
from iapt_desktop.storage.table_rows import iter_rows

COMMAND_LINE_USER = "command line"


def export_tables_steps(
    db: Database,
    out: Path,
    *,
    pseudonymise_key: bytes | None = None,
    actor: User | None = None,
) -> Generator[TableProgress, None, list[Path]]:
    """Write all 21 tables to ``out`` (a folder, or a file ending in .xlsx); returns the files written."""
    if actor is not None:
        require(actor, Action.EXPORT)
    pseudonymiser = Pseudonymiser(pseudonymise_key) if pseudonymise_key is not None else None
    counts: dict[str, int] = {}

    def rows(table_name: str) -> Iterator[dict[str, Any]]:
        count = 0
        source = iter_rows(db, table_name)
        for row in pseudonymiser.rows(source) if pseudonymiser else source:
            count += 1
            yield row
        counts[table_name] = count

    written = yield from write_tables_steps(out, {t.name: rows(t.name) for t in exported_tables()})
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
