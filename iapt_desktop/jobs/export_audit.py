"""The audit entry of a file export, for exports written as jobs (the metrics workbook from the dashboard).

:func:`audited` runs an export job to its end and then appends the entry
(storage.audit_log.record_export: what, scope, who, file name; no record value),
on the job's own connection when given a :class:`DatabaseLocation` (a worker
thread), or on the given database.  A failed or cancelled export is not recorded:
no file was written.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database

from iapt_desktop.domain.access import SYSTEM_USER, User
from iapt_desktop.storage import audit_log
from iapt_desktop.storage.database import DatabaseLocation

ProgressItem = TypeVar("ProgressItem")


def audited(
    steps: Generator[ProgressItem, None, Path],
    database: DatabaseLocation | Database,
    actor: User | None,
    what: str,
    scope: str,
    *,
    pseudonymised: bool = False,
) -> Generator[ProgressItem, None, Path]:
    """Yield the export's progress; when it has written its file, record the export; return the path."""
    written = yield from steps
    db = database.open() if isinstance(database, DatabaseLocation) else database
    try:
        audit_log.record_export(db, actor or SYSTEM_USER, what, scope, Path(written).name,
                                pseudonymised=pseudonymised)
    finally:
        if isinstance(database, DatabaseLocation):
            db.close()
    return written


def metrics_scope(start: object, end: object, *, by_counsellor: bool = False, own_only: bool = False) -> str:
    """How the metrics export is described in its audit entry."""
    scope = f"{start} to {end}"
    if by_counsellor:
        scope += ", by counsellor"
    if own_only:
        scope += ", own caseload"
    return scope
