"""The wizard's review step as a job (no Qt): validate the month's file and compare it with the last one sent.

Runs on a worker thread: the ``validate_period`` job,
then ``preview_changes`` of the submission log on the job's own connection.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from iapt_desktop.domain.access import User
from iapt_desktop.domain.reporting_period import ReportingPeriod
from iapt_desktop.jobs.validate_period import ValidationReport, validate_period
from iapt_desktop.jobs.write_submission import preview_changes
from iapt_desktop.storage.submission_log import SubmissionRecord, TableChanges
from iapt_desktop.validation.progress import Progress


@dataclass(frozen=True)
class SubmissionReview:
    period: ReportingPeriod
    report: ValidationReport
    previous: SubmissionRecord | None
    changes: dict[str, TableChanges] | None

    @property
    def counts(self) -> dict[str, int]:
        """Rows per table the file would carry."""
        return dict(self.report.rows_checked)


def review_submission(location: Any, period: ReportingPeriod, actor: User) -> Generator[
        Progress, None, SubmissionReview | None]:
    """Yield progress; return the review (None when the validation stopped early)."""
    report: ValidationReport | None = None
    for item in validate_period(location, period, actor=actor):
        if isinstance(item, ValidationReport):
            report = item
        else:
            yield item
    if report is None:
        return None
    yield Progress(1, 1, "Comparing with the last submission for the month")
    db = location.open()
    try:
        previous, changes = preview_changes(db, period)
    finally:
        db.close()
    return SubmissionReview(period, report, previous, changes)
