"""The metrics job: progress, result, cancel."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlite_utils import Database

from iapt_desktop.jobs.compute_metrics import MetricsProgress, compute_metrics_steps
from tests.domain.metrics.referral_rows import small_service
from tests.metrics_database import insert_metrics_rows

START, END = dt.date(2025, 4, 1), dt.date(2025, 6, 30)


def test_the_job_reports_rising_progress_then_returns_the_metrics(db: Database) -> None:
    insert_metrics_rows(db, small_service())
    steps = compute_metrics_steps(db, START, END)
    progress: list[MetricsProgress] = []
    while True:
        try:
            progress.append(next(steps))
        except StopIteration as done:
            result = done.value
            break
    percents = [p.percent for p in progress]
    assert percents == sorted(percents) and percents[-1] == 100
    assert progress[0].message == "Reading referrals"
    assert result.figures["finished_treatment"] == 3 and result.figures["recovery_rate"] == 0.5


def test_closing_the_job_cancels_it(db: Database) -> None:
    insert_metrics_rows(db, small_service())
    steps = compute_metrics_steps(db, START, END)
    next(steps)
    steps.close()
    with pytest.raises(StopIteration):
        next(steps)


def test_the_demo_service_is_plausible_against_the_national_figures(demo_db: Database) -> None:
    from iapt_desktop.jobs.compute_metrics import compute_metrics
    from tests.conftest import DEMO_AS_OF

    as_of = dt.date.fromisoformat(DEMO_AS_OF)
    figures = compute_metrics(demo_db, as_of - dt.timedelta(days=365), as_of).figures
    assert figures["finished_treatment"] >= 20
    assert 0.35 <= figures["recovery_rate"] <= 0.65  # England 2024-25: 0.505
    assert 0.45 <= figures["reliable_improvement_rate"] <= 0.9  # England: 0.675
    assert figures["reliable_deterioration_rate"] <= 0.15  # England: 0.058
    assert figures["reliable_recovery_rate"] <= figures["recovery_rate"]
    assert figures["waited_18_weeks_rate"] >= figures["waited_6_weeks_rate"] > 0.5
    assert 0 < figures["appointments_dna"] < figures["appointments"]
