"""Hand-worked referrals, one boundary each (definitions: docs/metrics.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from iapt_desktop.domain.assessment_scales import GAD7, PHQ9
from iapt_desktop.domain.metrics.referral_outcome import ReferralOutcome, iter_referral_outcomes
from iapt_desktop.domain.metrics.rows import MetricsRows
from tests.domain.metrics.referral_rows import MI, SPIN, contact, course, day, paired_scores, referral, score


def outcome_of(referrals, contacts=(), scores=(), **more) -> ReferralOutcome:
    (result,) = list(iter_referral_outcomes(MetricsRows(referrals, contacts, referral_scores=scores, **more)))
    return result


def finished_with(phq9, gad7, **more) -> ReferralOutcome:
    return outcome_of(
        [referral()],
        course("R1", "2025-01-06", "2025-02-03", 4),
        paired_scores("R1", phq9, gad7, "2025-01-06", "2025-02-24"),
        **more,
    )


def test_a_course_of_two_or_more_attended_treatments_is_finished() -> None:
    outcome = finished_with((15, 6), (12, 5))
    assert outcome.finished and outcome.treatment_appointments == 4
    assert outcome.first_assessment == dt.date(2025, 1, 6)
    assert outcome.first_treatment == dt.date(2025, 2, 3)
    assert outcome.second_treatment == dt.date(2025, 2, 10)
    assert outcome.at_caseness and outcome.recovered and outcome.reliably_improved and outcome.reliably_recovered
    assert not outcome.reliably_deteriorated


@pytest.mark.parametrize(
    ("wait", "within_6", "within_18"), [(42, True, True), (43, False, True), (126, False, True), (127, False, False)]
)
def test_waits_count_whole_days_from_referral_to_first_treatment(wait: int, within_6: bool, within_18: bool) -> None:
    from iapt_desktop.domain.metrics.tally import Tally

    start = day("2025-01-06", wait)
    outcome = outcome_of(
        [referral(ended=day(start, 30))],
        course("R1", "2025-01-06", start, 2),
        paired_scores("R1", (12, 4), (9, 3), start, day(start, 7)),
    )
    assert outcome.wait_first_treatment_days == wait
    tally = Tally(dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    tally.add(outcome)
    assert tally.figures()["waited_6_weeks"] == int(within_6)
    assert tally.figures()["waited_18_weeks"] == int(within_18)


def test_a_last_phq9_of_exactly_10_is_still_caseness_so_not_recovered() -> None:
    outcome = finished_with((18, 10), (12, 3))
    assert outcome.case_start and outcome.case_end is True
    assert not outcome.recovered
    assert outcome.reliably_improved  # fell by 8, GAD-7 by 9: improvement does not need recovery


def test_caseness_on_the_anxiety_measure_only() -> None:
    outcome = finished_with((8, 4), (12, 5))
    assert outcome.case_start and outcome.at_caseness and outcome.recovered
    assert outcome.reliably_improved  # GAD-7 fell by 7


def test_neither_measure_at_caseness_is_not_at_caseness_and_leaves_the_recovery_base() -> None:
    outcome = finished_with((9, 2), (7, 1))
    assert not outcome.case_start and outcome.not_at_caseness
    assert not outcome.recovered
    assert outcome.reliably_improved  # PHQ-9 fell by 7: improvement is counted for all finished


def test_improvement_on_one_measure_with_deterioration_on_the_other_is_deterioration() -> None:
    outcome = finished_with((20, 10), (5, 10))
    assert outcome.reliably_deteriorated
    assert not outcome.reliably_improved and not outcome.no_reliable_change and not outcome.reliably_recovered


@pytest.mark.parametrize(("last", "improved"), [(9, True), (10, False)])
def test_reliable_change_on_phq9_is_a_fall_of_6_or_more(last: int, improved: bool) -> None:
    outcome = finished_with((15, last), (6, 6))
    assert outcome.reliably_improved is improved
    assert outcome.no_reliable_change is not improved


def test_gad7_reliable_change_is_4() -> None:
    assert finished_with((6, 6), (12, 8)).reliably_improved
    assert not finished_with((6, 6), (12, 9)).reliably_improved
    assert finished_with((6, 6), (4, 8)).reliably_deteriorated


def test_one_treatment_only_is_not_finished() -> None:
    outcome = outcome_of(
        [referral()],
        course("R1", "2025-01-06", "2025-02-03", 1),
        paired_scores("R1", (15, 6), (12, 5), "2025-01-06", "2025-02-03"),
    )
    assert not outcome.finished and outcome.treatment_appointments == 1
    assert not outcome.recovered and not outcome.at_caseness and not outcome.reliably_improved


def test_an_open_referral_is_never_finished() -> None:
    outcome = outcome_of(
        [referral(ended=None)],
        course("R1", "2025-01-06", "2025-02-03", 6),
        paired_scores("R1", (15, 6), (12, 5), "2025-01-06", "2025-03-03"),
    )
    assert outcome.ended is None and outcome.first_treatment == dt.date(2025, 2, 3)
    assert not outcome.finished and not outcome.recovered


def test_a_missing_last_anxiety_score_is_unpaired_and_not_recovered() -> None:
    outcome = finished_with((15, 4), (12, None))
    assert outcome.phq9.paired and not outcome.anxiety.paired and not outcome.paired_both
    assert outcome.at_caseness and not outcome.not_at_caseness  # stays in the recovery base
    assert not outcome.recovered and not outcome.reliably_improved and not outcome.reliably_deteriorated


def test_no_scores_at_all_stays_in_the_recovery_base() -> None:
    outcome = outcome_of([referral()], course("R1", "2025-01-06", "2025-02-03", 3))
    assert outcome.finished and not outcome.at_caseness and not outcome.not_at_caseness and not outcome.recovered


def test_follow_up_appointments_are_not_treatment_and_their_scores_are_not_used() -> None:
    contacts = [*course("R1", "2025-01-06", "2025-02-03", 1), contact("R1-F", "R1", "2025-05-01", app_type="06")]
    activities = [{"CareActId": "A1", "CareContactId": "R1-F", "CarePersLocalId": "C1"}]
    activity_scores = [{"CareActId": "A1", "CodedAssToolType": PHQ9, "PersScore": "3"}]
    outcome = outcome_of(
        [referral(ended="2025-05-02")],
        contacts,
        [score("R1", PHQ9, 15, "2025-01-06")],
        activities=activities,
        activity_scores=activity_scores,
    )
    assert outcome.treatment_appointments == 1 and not outcome.finished
    assert outcome.attended_appointments == 3
    assert outcome.phq9.first_value == 15 and not outcome.phq9.paired


def test_activity_scores_take_the_date_of_their_contact() -> None:
    contacts = course("R1", "2025-01-06", "2025-02-03", 3)
    activities = [
        {"CareActId": "A1", "CareContactId": "R1-T0", "CarePersLocalId": "C2"},
        {"CareActId": "A2", "CareContactId": "R1-T2", "CarePersLocalId": "C2"},
    ]
    activity_scores = [
        {"CareActId": "A2", "CodedAssToolType": PHQ9, "PersScore": "5"},
        {"CareActId": "A1", "CodedAssToolType": PHQ9, "PersScore": "17"},
    ]
    outcome = outcome_of([referral(counsellor=None)], contacts, activities=activities, activity_scores=activity_scores)
    assert (outcome.phq9.first_value, outcome.phq9.last_value) == (17, 5)
    assert outcome.counsellor == "C2"  # nobody holds the referral: the counsellor who saw the client


def test_scores_on_the_same_occasion_do_not_pair_and_scores_after_the_end_are_ignored() -> None:
    scores = [
        score("R1", PHQ9, 15, "2025-01-06"),
        score("R1", PHQ9, 14, "2025-01-06"),
        score("R1", PHQ9, 2, "2025-05-20"),
    ]
    outcome = outcome_of([referral()], course("R1", "2025-01-06", "2025-02-03", 3), scores)
    assert outcome.phq9.first_value == 15 and not outcome.phq9.paired


def test_invalid_scores_are_not_scores() -> None:
    scores = [
        score("R1", PHQ9, 15, "2025-01-06"),
        score("R1", PHQ9, 28, "2025-02-24"),
        score("R1", GAD7, "x", "2025-02-24"),
    ]
    outcome = outcome_of([referral()], course("R1", "2025-01-06", "2025-02-03", 3), scores)
    assert not outcome.phq9.paired and outcome.anxiety.first is None


def test_the_matching_adsm_is_the_anxiety_measure_when_paired() -> None:
    complaints = [{"ServiceRequestId": "R1", "PresComp": "F40.1", "PresCompCodSig": "1", "PresCompDate": "2025-01-06"}]
    scores = [
        *paired_scores("R1", (6, 4), (6, 6), "2025-01-06", "2025-02-24"),
        score("R1", SPIN, 40, "2025-01-06"),
        score("R1", SPIN, 12, "2025-02-24"),
    ]
    outcome = outcome_of(
        [referral()], course("R1", "2025-01-06", "2025-02-03", 4), scores, presenting_complaints=complaints
    )
    assert outcome.anxiety_measure == "SPIN" and outcome.matched_adsm == "SPIN" and outcome.adsm_paired
    assert outcome.case_start  # SPIN 40 >= 19 while PHQ-9 and GAD-7 are below caseness
    assert outcome.recovered and outcome.reliably_improved  # SPIN fell by 28 (reliable change 10)


def test_gad7_is_used_when_the_matching_adsm_is_not_paired() -> None:
    complaints = [{"ServiceRequestId": "R1", "PresComp": "F401", "PresCompCodSig": "1", "PresCompDate": "2025-01-06"}]
    scores = [*paired_scores("R1", (6, 4), (12, 5), "2025-01-06", "2025-02-24"), score("R1", SPIN, 40, "2025-01-06")]
    outcome = outcome_of(
        [referral()], course("R1", "2025-01-06", "2025-02-03", 4), scores, presenting_complaints=complaints
    )
    assert outcome.anxiety_measure == "GAD7" and outcome.matched_adsm == "SPIN" and not outcome.adsm_paired
    assert outcome.recovered  # on GAD-7 12 -> 5


def test_the_primary_presenting_complaint_chooses_the_measure() -> None:
    complaints = [
        {"ServiceRequestId": "R1", "PresComp": "F401", "PresCompCodSig": "2", "PresCompDate": "2025-01-20"},
        {"ServiceRequestId": "R1", "PresComp": "F411", "PresCompCodSig": "1", "PresCompDate": "2025-01-06"},
    ]
    scores = [score("R1", SPIN, 40, "2025-01-06"), score("R1", SPIN, 12, "2025-02-24")]
    outcome = outcome_of(
        [referral()], course("R1", "2025-01-06", "2025-02-03", 4), scores, presenting_complaints=complaints
    )
    assert outcome.matched_adsm is None and outcome.anxiety_measure == "GAD7"


@pytest.mark.parametrize(("first", "caseness"), [("2.30", False), ("2.31", True)])
def test_mobility_inventory_caseness_is_strictly_above_2_3(first: str, caseness: bool) -> None:
    complaints = [{"ServiceRequestId": "R1", "PresComp": "F400", "PresCompCodSig": "1", "PresCompDate": "2025-01-06"}]
    scores = [
        *paired_scores("R1", (4, 4), (4, 4), "2025-01-06", "2025-02-24"),
        score("R1", MI, first, "2025-01-06"),
        score("R1", MI, "1.58", "2025-02-24"),
    ]
    outcome = outcome_of(
        [referral()], course("R1", "2025-01-06", "2025-02-03", 4), scores, presenting_complaints=complaints
    )
    assert outcome.anxiety_measure == "MI"
    assert outcome.case_start is caseness
    assert outcome.reliably_improved is caseness  # 2.31 - 1.58 = 0.73 (reliable); 2.30 - 1.58 = 0.72 (not)


def test_pauses_are_reported_beside_the_raw_wait_without_changing_it() -> None:
    pauses = [
        {"ServiceRequestId": "R1", "PauseStartDate": "2025-01-10", "PauseEndDate": "2025-01-20"},  # 10 days
        {"ServiceRequestId": "R1", "PauseStartDate": "2025-01-15", "PauseEndDate": "2025-01-25"},  # 5 more
        {"ServiceRequestId": "R1", "PauseStartDate": "2025-01-30", "PauseEndDate": None},  # open: to treatment
        {"ServiceRequestId": "R1", "PauseStartDate": "2025-03-01", "PauseEndDate": "2025-03-10"},  # after
    ]
    outcome = outcome_of(
        [referral()],
        course("R1", "2025-01-06", "2025-02-03", 3),
        pauses=pauses,
    )
    assert outcome.wait_first_treatment_days == 28  # raw days: the national measure
    assert outcome.paused_days_before_treatment == 15 + 4
    assert outcome.wait_first_treatment_days_excluding_pauses == 28 - 19


def test_ended_before_treatment_unless_internet_therapy() -> None:
    contacts = [contact("R1-A", "R1", "2025-01-06", "01")]
    logs = [{"ServiceRequestId": "R1", "StartDateIntEnabledTherLog": "2025-01-20"}]
    plain = outcome_of([referral(ended="2025-02-01")], contacts)
    online = outcome_of([referral(ended="2025-02-01")], contacts, internet_therapy_logs=logs)
    assert plain.first_treatment is None and not plain.internet_therapy
    assert online.internet_therapy and not online.finished


def test_recovery_without_reliable_improvement_is_not_reliable_recovery() -> None:
    outcome = finished_with((11, 9), (9, 6))  # below caseness at the end, but falls of 2 and 3 only
    assert outcome.recovered and not outcome.reliably_improved and outcome.no_reliable_change
    assert not outcome.reliably_recovered
