"""Compute a service's outcome metrics for a period, as a job that yields progress.

``compute_metrics_steps`` is a generator yielding :class:`MetricsProgress` and returning the
:class:`ServiceMetrics`; close it to cancel (it only reads).  ``compute_metrics`` runs it to the end.
``export_metrics_workbook_steps`` writes the Excel report the same way.
The GUI runs the generator on a worker thread with its own connection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from iapt_desktop.domain.access import Action, User, require
from iapt_desktop.domain.metrics.referral_outcome import ReferralOutcome, iter_referral_outcomes
from iapt_desktop.domain.metrics.service_metrics import ServiceMetrics, service_metrics
from iapt_desktop.interchange.metrics_workbook import write_metrics_workbook
from iapt_desktop.storage.database import DatabaseLocation
from iapt_desktop.storage.metrics_rows import STEPS, read_metrics_rows_steps

READING_SHARE = 40  # percent of the progress bar for reading, the rest for computing
PROGRESS_EVERY = 500  # referrals between progress reports

STEP_MESSAGES = {
    "referrals": "Reading referrals",
    "contacts": "Reading appointments",
    "activities": "Reading care activities",
    "referral_scores": "Reading scores",
    "activity_scores": "Reading session scores",
    "presenting_complaints": "Reading presenting complaints",
    "pauses": "Reading waiting-time pauses",
    "internet_therapy_logs": "Reading internet therapy logs",
}


@dataclass(frozen=True)
class MetricsProgress:
    message: str
    percent: int  # 0-100


def compute_metrics_steps(
    db: Database, start: dt.date, end: dt.date, *, actor: User | None = None
) -> Generator[MetricsProgress, None, ServiceMetrics]:
    if actor is not None:
        require(actor, Action.VIEW_REPORTS)
    if end < start:
        raise ValueError(f"The period ends ({end}) before it starts ({start}): swap the dates.")
    reading = read_metrics_rows_steps(db, start, end)
    index = 0
    while True:
        try:
            step, _count = next(reading)
        except StopIteration as done:
            rows = done.value
            break
        index += 1
        yield MetricsProgress(STEP_MESSAGES.get(step, step), READING_SHARE * index // len(STEPS))
    total = max(len(rows.referrals), 1)
    outcomes: list[ReferralOutcome] = []
    for outcome in iter_referral_outcomes(rows):
        outcomes.append(outcome)
        if len(outcomes) % PROGRESS_EVERY == 0:
            share = (100 - READING_SHARE - 5) * len(outcomes) // total
            yield MetricsProgress(
                f"Working out outcomes ({len(outcomes):,} of {total:,} referrals)", READING_SHARE + share
            )
    yield MetricsProgress("Adding up the figures", 95)
    names = rows.counsellor_names
    del rows  # the rows can go before the tally: outcomes hold all it needs
    result = service_metrics(outcomes, start, end, names)
    yield MetricsProgress("Done", 100)
    return result


def compute_metrics_at(
    location: DatabaseLocation, start: dt.date, end: dt.date, *, actor: User | None = None
) -> Generator[MetricsProgress, None, ServiceMetrics]:
    """The job for a worker thread: opens its own connection, closes it however the job ends."""
    yield MetricsProgress("Opening the database", 0)
    db = location.open()
    try:
        return (yield from compute_metrics_steps(db, start, end, actor=actor))
    finally:
        db.close()


def compute_metrics(db: Database, start: dt.date, end: dt.date, *, actor: User | None = None) -> ServiceMetrics:
    steps = compute_metrics_steps(db, start, end, actor=actor)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def export_metrics_workbook_steps(
    metrics: ServiceMetrics, path: Path, *, by_counsellor: bool = False
) -> Generator[MetricsProgress, None, Path]:
    """Write the Excel report (see interchange.metrics_workbook) as a job; returns the path written."""
    yield MetricsProgress("Writing the Excel workbook", 10)
    written = write_metrics_workbook(metrics, path, by_counsellor=by_counsellor)
    yield MetricsProgress("Done", 100)
    return written
