"""Writing the audit trail to a .csv or .xlsx file as a job (the audit dialog and ``iapt-desktop audit --out``).

Yields :class:`~iapt_desktop.jobs.backup_jobs.JobStep` (entries read of all) and returns how many entries
were written; the export itself is then recorded in the trail.  It runs on its own connection.  A stop
(``cancel``) or a failure leaves no file: the writers write a temporary file beside the target and rename
it at the end (interchange/audit_export.py), and a stop is checked as each entry is read.
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterator
from pathlib import Path

from iapt_desktop.domain import audit_actions
from iapt_desktop.domain.access import Action, User, require
from iapt_desktop.jobs.backup_jobs import JobStep
from iapt_desktop.jobs.reported_work import Reporter, reported_steps
from iapt_desktop.storage import audit_log
from iapt_desktop.storage.database import DatabaseLocation

EXPORTING = "Writing the audit trail"
REPORT_EVERY = 500  # entries between progress reports


def audit_export_job(location: DatabaseLocation, actor: User, path: Path, cancel: threading.Event | None = None,
                     ) -> Generator[JobStep, None, int]:
    """Write every audit entry to ``path`` (.csv or .xlsx); returns the number written."""
    require(actor, Action.VIEW_AUDIT)

    def work(reporter: Reporter) -> int:
        from iapt_desktop.interchange.audit_export import write_audit_file

        db = location.open()
        try:
            total = int(db.execute("SELECT count(*) FROM app_audit_log").fetchone()[0])
            reporter.report(JobStep(EXPORTING, 0, total))

            def counted() -> Iterator[audit_log.AuditEntry]:
                for done, entry in enumerate(audit_log.read_entries(db, actor), start=1):
                    reporter.check()
                    yield entry
                    if done % REPORT_EVERY == 0:
                        reporter.report(JobStep(EXPORTING, min(done, total), total))

            count = write_audit_file(Path(path), counted())
            reporter.report(JobStep(EXPORTING, total, total), may_stop=False)
            audit_log.append(db, actor.username, audit_actions.AUDIT_EXPORT, "app_audit_log", "",
                             {"file": Path(path).name, "entries": count})
            return count
        finally:
            db.close()

    return (yield from reported_steps(work, cancel))
