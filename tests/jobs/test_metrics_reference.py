"""The tally's faster counting gives the figures of the straightforward counting it replaced.

``reference_metrics`` is the counting as it was before the speed work (every flag asked of the outcome
in every tally it is added to, months found by formatting each date): the figures, months, counsellors,
ending reasons and counted referrals must be equal on the demo service for several periods.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

import pytest
from sqlite_utils import Database

from iapt_desktop.domain.metrics.definitions import (
    ATTENDED_CODES,
    DID_NOT_ATTEND_CODES,
    EIGHTEEN_WEEKS_DAYS,
    SIX_WEEKS_DAYS,
)
from iapt_desktop.domain.metrics.referral_outcome import ReferralOutcome, iter_referral_outcomes
from iapt_desktop.domain.metrics.service_metrics import (
    UNASSIGNED,
    CounsellorFigures,
    MonthFigures,
    ServiceMetrics,
    ending_reasons,
    months_between,
    service_metrics,
)
from iapt_desktop.domain.metrics.tally import Tally
from iapt_desktop.jobs.compute_metrics import compute_metrics
from iapt_desktop.storage.metrics_rows import read_metrics_rows
from tests.conftest import DEMO_AS_OF


class ReferenceTally(Tally):
    """Tally.add and _add_ended as they were: every flag from the outcome's properties, every time."""

    def add(self, outcome: ReferralOutcome) -> None:
        if self.contains(outcome.received):
            self.referrals_received += 1
        if self.contains(outcome.first_assessment):
            self._add_first_assessment(outcome)
        if self.contains(outcome.first_treatment):
            self._add_entered_treatment(outcome)
        if self.contains(outcome.ended):
            self._add_ended(outcome)
        for day, attendance in outcome.appointments:
            if self.contains(day):
                self.appointments += 1
                self.appointments_attended += attendance in ATTENDED_CODES
                self.appointments_dna += attendance in DID_NOT_ATTEND_CODES

    def _add_ended(self, outcome: ReferralOutcome) -> None:
        self.referrals_ended += 1
        self.ended_not_seen += outcome.attended_appointments == 0
        self.ended_seen_not_treated += outcome.attended_appointments > 0 and outcome.treatment_appointments == 0
        self.ended_before_treatment += outcome.first_treatment is None and not outcome.internet_therapy
        self.ended_after_one_treatment += outcome.treatment_appointments == 1
        if not outcome.finished:
            return
        self.finished_treatment += 1
        self.finished_treatment_appointments += outcome.treatment_appointments
        self.at_caseness += outcome.at_caseness
        self.not_at_caseness += outcome.not_at_caseness
        self.recovered += outcome.recovered
        self.reliably_improved += outcome.reliably_improved
        self.reliably_deteriorated += outcome.reliably_deteriorated
        self.no_reliable_change += outcome.no_reliable_change
        self.reliably_recovered += outcome.reliably_recovered
        self.paired_phq9 += outcome.phq9.paired
        self.paired_anxiety += outcome.anxiety.paired
        self.paired_scores += outcome.paired_both
        self.appropriate_adsm_paired += outcome.adsm_paired
        wait = outcome.wait_first_treatment_days
        if wait is not None:
            self.waited_6_weeks += wait <= SIX_WEEKS_DAYS
            self.waited_18_weeks += wait <= EIGHTEEN_WEEKS_DAYS
            self.wait_first_treatment_total += wait
            self.wait_first_treatment_count += 1
            self.wait_excluding_pauses_total += outcome.wait_first_treatment_days_excluding_pauses or 0


def _dates(outcome: ReferralOutcome) -> Iterable[dt.date | None]:
    yield outcome.received
    yield outcome.ended
    yield outcome.first_assessment
    yield outcome.first_treatment
    for day, _ in outcome.appointments:
        yield day


def reference_metrics(outcomes: list[ReferralOutcome], start: dt.date, end: dt.date,
                      names: dict[str, str]) -> ServiceMetrics:
    """service_metrics as it was before the speed work."""
    total = ReferenceTally(start, end)
    months = {key: ReferenceTally(first, last) for key, first, last in months_between(start, end)}
    counsellors: dict[str, Tally] = {}
    end_codes: Counter[str] = Counter()
    counted: list[ReferralOutcome] = []
    for outcome in outcomes:
        if not any(total.contains(day) for day in _dates(outcome)):
            continue
        total.add(outcome)
        counsellors.setdefault(outcome.counsellor or UNASSIGNED, ReferenceTally(start, end)).add(outcome)
        for key in {f"{day.year:04d}-{day.month:02d}" for day in _dates(outcome) if total.contains(day)}:
            months[key].add(outcome)
        if total.contains(outcome.ended):
            end_codes[outcome.end_code or ""] += 1
        milestones = (outcome.received, outcome.ended, outcome.first_assessment, outcome.first_treatment)
        if any(total.contains(day) for day in milestones):
            counted.append(outcome)
    return ServiceMetrics(
        start=start,
        end=end,
        figures=total.figures(),
        monthly=tuple(MonthFigures(key, t.start, t.end, t.figures()) for key, t in months.items()),
        ending_reasons=ending_reasons(end_codes),
        by_counsellor=tuple(
            CounsellorFigures(key, names.get(key, key) if key else "Not assigned", tally.figures())
            for key, tally in sorted(
                counsellors.items(), key=lambda i: (i[0] == UNASSIGNED, names.get(i[0], i[0]).lower())
            )
        ),
        referrals=tuple(sorted(counted, key=lambda o: o.key)),
    )


AS_OF = dt.date.fromisoformat(DEMO_AS_OF)
PERIODS = [
    (AS_OF - dt.timedelta(days=365), AS_OF),  # a year
    (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),  # a quarter
    (dt.date(2026, 2, 10), dt.date(2026, 2, 20)),  # part of a month
]


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_figures_equal_those_of_the_straightforward_counting(demo_db: Database, start: dt.date,
                                                             end: dt.date) -> None:
    rows = read_metrics_rows(demo_db, start, end)
    outcomes = list(iter_referral_outcomes(rows))
    expected = reference_metrics(list(iter_referral_outcomes(rows)), start, end, dict(rows.counsellor_names))
    found = service_metrics(outcomes, start, end, rows.counsellor_names)
    assert found.figures == expected.figures
    assert found.monthly == expected.monthly
    assert found.by_counsellor == expected.by_counsellor
    assert found.ending_reasons == expected.ending_reasons
    assert [o.key for o in found.referrals] == [o.key for o in expected.referrals]
    assert found.figures["finished_treatment"] > 0 or end - start < dt.timedelta(days=31)
    assert compute_metrics(demo_db, start, end).as_dict(by_counsellor=True) == found.as_dict(by_counsellor=True)


def test_the_cycle_collector_is_on_between_the_steps_and_after(demo_db: Database) -> None:
    import gc

    from iapt_desktop.jobs.compute_metrics import compute_metrics_steps

    assert gc.isenabled()
    steps = compute_metrics_steps(demo_db, *PERIODS[0])
    seen = 0
    while True:
        try:
            next(steps)
        except StopIteration as done:
            result = done.value
            break
        assert gc.isenabled()  # the GUI runs between the steps: never without the collector
        seen += 1
    assert seen >= 3 and gc.isenabled()
    assert result.figures["finished_treatment"] > 0
    cancelled = compute_metrics_steps(demo_db, *PERIODS[0])
    next(cancelled)
    next(cancelled)
    cancelled.close()
    assert gc.isenabled()
