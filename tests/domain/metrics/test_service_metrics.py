"""A small hand-worked service: the national denominators, monthly split and ending reasons."""

from __future__ import annotations

import datetime as dt

import pytest

from iapt_desktop.domain.metrics.referral_outcome import iter_referral_outcomes
from iapt_desktop.domain.metrics.service_metrics import months_between, service_metrics
from tests.domain.metrics.referral_rows import small_service

START, END = dt.date(2025, 4, 1), dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def metrics():
    rows = small_service()
    return service_metrics(iter_referral_outcomes(rows), START, END, rows.counsellor_names)


def test_headline_counts_and_national_denominators(metrics) -> None:
    f = metrics.figures
    assert f["referrals_received"] == 3  # R4, R5, R7
    assert f["referrals_ended"] == 5  # R1, R2, R3, R4, R7
    assert f["finished_treatment"] == 3
    assert f["at_caseness"] == 2 and f["not_at_caseness"] == 1
    assert f["recovery_denominator"] == 2
    assert f["recovered"] == 1 and f["recovery_rate"] == 0.5
    assert f["reliably_improved"] == 3 and f["reliable_improvement_rate"] == 1.0
    assert f["reliably_recovered"] == 1 and f["reliable_recovery_rate"] == 0.5
    assert f["reliable_deterioration_rate"] == 0.0
    assert f["waited_6_weeks"] == 2 and f["waited_6_weeks_rate"] == pytest.approx(2 / 3)
    assert f["waited_18_weeks_rate"] == 1.0
    assert f["mean_wait_first_treatment_days"] == round((28 + 49 + 21) / 3, 1)
    assert f["paired_scores_rate"] == 1.0
    assert f["ended_after_one_treatment"] == 1 and f["ended_not_seen"] == 1
    assert f["entered_treatment"] == 2  # R4 (May) and R5 (June)


def test_appointments_in_the_period_and_did_not_attend(metrics) -> None:
    f = metrics.figures
    # R1: T4 on 2025-03-24 is outside; inside the period: R2 (2025-04-07, -14, -21), R3 (2025-04-07),
    # R4 (assessment, T0, DNA), R5 (assessment, T0, T1).
    assert f["appointments"] == 10
    assert f["appointments_dna"] == 1
    assert f["dna_rate"] == pytest.approx(0.1)


def test_rates_are_none_when_nothing_is_counted() -> None:
    metrics = service_metrics(iter_referral_outcomes(small_service()), dt.date(2030, 1, 1), dt.date(2030, 1, 31))
    assert metrics.figures["finished_treatment"] == 0
    assert metrics.figures["recovery_rate"] is None and metrics.figures["waited_6_weeks_rate"] is None
    assert metrics.figures["mean_wait_first_treatment_days"] is None


def test_monthly_trend_places_each_referral_in_its_month(metrics) -> None:
    months = {m.month: m.figures for m in metrics.monthly}
    assert list(months) == ["2025-04", "2025-05", "2025-06"]
    assert [months[m]["referrals_ended"] for m in months] == [1, 2, 2]
    assert [months[m]["finished_treatment"] for m in months] == [1, 2, 0]
    assert months["2025-05"]["recovery_rate"] == 0.0  # R2 not at caseness, R3 not recovered
    assert months["2025-04"]["recovery_rate"] == 1.0


def test_ending_reasons_with_labels(metrics) -> None:
    reasons = {r.code: (r.label, r.count) for r in metrics.ending_reasons}
    assert reasons["46"] == ("Mutually agreed completion of treatment", 3)
    assert reasons["47"][1] == 1
    assert reasons[""] == ("No reason recorded", 1)


def test_per_counsellor_tallies_follow_the_referral_holder(metrics) -> None:
    by = {c.name: c.figures for c in metrics.by_counsellor}
    assert set(by) == {"Alex", "Sam", "Not assigned"}
    assert by["Alex"]["finished_treatment"] == 2 and by["Alex"]["recovery_rate"] == 1.0
    assert by["Sam"]["finished_treatment"] == 1 and by["Sam"]["recovery_rate"] == 0.0
    assert by["Not assigned"]["referrals_ended"] == 1


def test_per_referral_records_trace_the_figures(metrics) -> None:
    records = {r["key"]: r for r in metrics.as_dict()["per_referral"]}
    assert set(records) == {"R1", "R2", "R3", "R4", "R5", "R7"}
    assert records["R1"]["recovered"] and records["R1"]["wait_days"] == 28
    assert records["R3"]["caseness"] and not records["R3"]["recovered"] and records["R3"]["phq9_last"] == 10
    assert not records["R5"]["finished"] and records["R5"]["entered_treatment_in_period"]
    assert sum(r["recovered"] for r in records.values()) == metrics.figures["recovered"]


def test_months_are_clipped_to_the_period() -> None:
    months = months_between(dt.date(2025, 1, 15), dt.date(2025, 3, 10))
    assert months[0] == ("2025-01", dt.date(2025, 1, 15), dt.date(2025, 1, 31))
    assert months[-1] == ("2025-03", dt.date(2025, 3, 1), dt.date(2025, 3, 10))


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="swap"):
        service_metrics([], END, START)
