"""Compute a service's outcome metrics for a period, as a job that yields progress.

``compute_metrics_steps`` is a generator yielding :class:`MetricsProgress` and returning the
:class:`ServiceMetrics`; close it to cancel (it only reads).  ``compute_metrics`` runs it to the end.
The files made of the figures, and who may have them, are in jobs.metrics_reports.
The GUI runs the generator on a worker thread with its own connection.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass

from sqlite_utils import Database

from iapt_desktop.domain.access import Action, User, require
from iapt_desktop.domain.metrics.referral_outcome import ReferralOutcome, iter_referral_outcomes
from iapt_desktop.domain.metrics.service_metrics import ServiceMetrics, service_metrics
from iapt_desktop.storage.database import DatabaseLocation
from iapt_desktop.storage.metrics_rows import counsellor_names, read_metrics_row_batches

OUTCOMES_SHARE = 95  # percent of the progress bar for reading and working out outcomes, the rest for the tally

READING_MESSAGE = "Reading referrals"


@dataclass(frozen=True)
class MetricsProgress:
    message: str
    percent: int  # 0-100


def compute_metrics_steps(
    db: Database, start: dt.date, end: dt.date, *, actor: User | None = None
) -> Generator[MetricsProgress, None, ServiceMetrics]:
    """Read a batch of referrals, work out their outcomes, let the rows go; then add up the figures.

    Memory stays flat however many referrals the period has (see read_metrics_row_batches)."""
    if actor is not None:
        require(actor, Action.VIEW_REPORTS)
    if end < start:
        raise ValueError(f"The period ends ({end}) before it starts ({start}): swap the dates.")
    yield MetricsProgress(READING_MESSAGE, 0)
    outcomes: list[ReferralOutcome] = []
    names: Mapping[str, str] = {}
    batches = read_metrics_row_batches(db, start, end)
    try:
        while True:
            with _collector_paused():
                batch = next(batches, None)
                if batch is None:
                    break
                names = batch.rows.counsellor_names
                outcomes.extend(iter_referral_outcomes(batch.rows))
            yield MetricsProgress(f"Working out outcomes ({batch.done:,} of {batch.total:,} referrals)",
                                  OUTCOMES_SHARE * batch.done // max(batch.total, 1))
    finally:
        batches.close()
    yield MetricsProgress("Adding up the figures", OUTCOMES_SHARE)
    with _collector_paused():
        result = service_metrics(outcomes, start, end, names or counsellor_names(db))
    yield MetricsProgress("Done", 100)
    return result


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off for one stretch of work between two progress reports.

    A batch makes hundreds of thousands of small objects (rows, score records) and keeps ~100,000
    outcomes alive; the collector's passes over them were ~20 % of the CPU time on a busy service's year.
    None of them form cycles (reference counting frees them), so nothing waits for the collector.  It is
    switched back on before each yield, so code running between the steps (the GUI) never runs without
    it for long; two threads pausing it at once leave it on once both are done.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
