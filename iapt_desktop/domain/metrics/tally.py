"""Counting referral outcomes into the figures of one period (the whole period, a month, a counsellor)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from iapt_desktop.domain.metrics.definitions import (
    ATTENDED_CODES,
    DID_NOT_ATTEND_CODES,
    EIGHTEEN_WEEKS_DAYS,
    FIRST_ASSESSMENT_PROMPT_DAYS,
    SIX_WEEKS_DAYS,
)
from iapt_desktop.domain.metrics.referral_outcome import ReferralOutcome

Figure = int | float | None


def rate(numerator: int, denominator: int) -> float | None:
    """A fraction between 0 and 1, or None when nothing is counted in the denominator."""
    return numerator / denominator if denominator else None


def mean(total: int, count: int) -> float | None:
    return round(total / count, 1) if count else None


@dataclass
class Tally:
    """Running counts for one period; ``add`` places a referral's dates inside or outside it."""

    start: dt.date
    end: dt.date
    referrals_received: int = 0
    first_assessments: int = 0
    first_assessed_within_28_days: int = 0
    first_assessment_wait_total: int = 0
    entered_treatment: int = 0
    entered_waited_6_weeks: int = 0
    entered_waited_18_weeks: int = 0
    referrals_ended: int = 0
    ended_not_seen: int = 0
    ended_seen_not_treated: int = 0
    ended_before_treatment: int = 0
    ended_after_one_treatment: int = 0
    finished_treatment: int = 0
    finished_treatment_appointments: int = 0
    at_caseness: int = 0
    not_at_caseness: int = 0
    recovered: int = 0
    reliably_improved: int = 0
    reliably_deteriorated: int = 0
    no_reliable_change: int = 0
    reliably_recovered: int = 0
    paired_phq9: int = 0
    paired_anxiety: int = 0
    paired_scores: int = 0
    appropriate_adsm_paired: int = 0
    waited_6_weeks: int = 0
    waited_18_weeks: int = 0
    wait_first_treatment_total: int = 0
    wait_first_treatment_count: int = 0
    wait_excluding_pauses_total: int = 0
    appointments: int = 0
    appointments_attended: int = 0
    appointments_dna: int = 0

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def add(self, outcome: ReferralOutcome) -> None:
        start, end = self.start, self.end  # contains(), spelled out: this runs for every outcome and tally
        day = outcome.received
        if day is not None and start <= day <= end:
            self.referrals_received += 1
        day = outcome.first_assessment
        if day is not None and start <= day <= end:
            self._add_first_assessment(outcome)
        day = outcome.first_treatment
        if day is not None and start <= day <= end:
            self._add_entered_treatment(outcome)
        day = outcome.ended
        if day is not None and start <= day <= end:
            self._add_ended(outcome)
        for day, attendance in outcome.appointments:
            if day is not None and start <= day <= end:
                self.appointments += 1
                self.appointments_attended += attendance in ATTENDED_CODES
                self.appointments_dna += attendance in DID_NOT_ATTEND_CODES

    def _add_first_assessment(self, outcome: ReferralOutcome) -> None:
        self.first_assessments += 1
        wait = outcome.wait_first_assessment_days
        if wait is not None:
            self.first_assessment_wait_total += wait
            self.first_assessed_within_28_days += wait <= FIRST_ASSESSMENT_PROMPT_DAYS

    def _add_entered_treatment(self, outcome: ReferralOutcome) -> None:
        self.entered_treatment += 1
        wait = outcome.wait_first_treatment_days
        if wait is not None:
            self.entered_waited_6_weeks += wait <= SIX_WEEKS_DAYS
            self.entered_waited_18_weeks += wait <= EIGHTEEN_WEEKS_DAYS

    def _add_ended(self, outcome: ReferralOutcome) -> None:
        self.referrals_ended += 1
        attended, treatments = outcome.attended_appointments, outcome.treatment_appointments
        self.ended_not_seen += attended == 0
        self.ended_seen_not_treated += attended > 0 and treatments == 0
        self.ended_before_treatment += outcome.first_treatment is None and not outcome.internet_therapy
        self.ended_after_one_treatment += treatments == 1
        if not outcome.finished:
            return
        self.finished_treatment += 1
        self.finished_treatment_appointments += treatments
        (at_caseness, not_at_caseness, recovered, improved, deteriorated, no_change, reliably_recovered,
         phq9_paired, anxiety_paired, paired_both, adsm_paired) = outcome.tally_flags
        self.at_caseness += at_caseness
        self.not_at_caseness += not_at_caseness
        self.recovered += recovered
        self.reliably_improved += improved
        self.reliably_deteriorated += deteriorated
        self.no_reliable_change += no_change
        self.reliably_recovered += reliably_recovered
        self.paired_phq9 += phq9_paired
        self.paired_anxiety += anxiety_paired
        self.paired_scores += paired_both
        self.appropriate_adsm_paired += adsm_paired
        wait = outcome.wait_first_treatment_days
        if wait is not None:
            self.waited_6_weeks += wait <= SIX_WEEKS_DAYS
            self.waited_18_weeks += wait <= EIGHTEEN_WEEKS_DAYS
            self.wait_first_treatment_total += wait
            self.wait_first_treatment_count += 1
            self.wait_excluding_pauses_total += outcome.wait_first_treatment_days_excluding_pauses or 0

    def figures(self) -> dict[str, Figure]:
        """Counts as integers, rates as fractions (None when the denominator is 0), means in days."""
        recovery_base = self.finished_treatment - self.not_at_caseness
        finished = self.finished_treatment
        return {
            "referrals_received": self.referrals_received,
            "first_assessments": self.first_assessments,
            "first_assessed_within_28_days": self.first_assessed_within_28_days,
            "first_assessment_within_28_days_rate": rate(self.first_assessed_within_28_days, self.first_assessments),
            "mean_wait_first_assessment_days": mean(self.first_assessment_wait_total, self.first_assessments),
            "entered_treatment": self.entered_treatment,
            "entered_waited_6_weeks_rate": rate(self.entered_waited_6_weeks, self.entered_treatment),
            "entered_waited_18_weeks_rate": rate(self.entered_waited_18_weeks, self.entered_treatment),
            "referrals_ended": self.referrals_ended,
            "ended_not_seen": self.ended_not_seen,
            "ended_seen_not_treated": self.ended_seen_not_treated,
            "ended_before_treatment": self.ended_before_treatment,
            "ended_after_one_treatment": self.ended_after_one_treatment,
            "finished_treatment": finished,
            "finished_rate": rate(finished, self.referrals_ended),
            "mean_treatment_appointments": mean(self.finished_treatment_appointments, finished),
            "at_caseness": self.at_caseness,
            "not_at_caseness": self.not_at_caseness,
            "recovery_denominator": recovery_base,
            "recovered": self.recovered,
            "recovery_rate": rate(self.recovered, recovery_base),
            "reliably_improved": self.reliably_improved,
            "reliable_improvement_rate": rate(self.reliably_improved, finished),
            "reliably_deteriorated": self.reliably_deteriorated,
            "reliable_deterioration_rate": rate(self.reliably_deteriorated, finished),
            "no_reliable_change": self.no_reliable_change,
            "no_reliable_change_rate": rate(self.no_reliable_change, finished),
            "reliably_recovered": self.reliably_recovered,
            "reliable_recovery_rate": rate(self.reliably_recovered, recovery_base),
            "waited_6_weeks": self.waited_6_weeks,
            "waited_6_weeks_rate": rate(self.waited_6_weeks, finished),
            "waited_18_weeks": self.waited_18_weeks,
            "waited_18_weeks_rate": rate(self.waited_18_weeks, finished),
            "mean_wait_first_treatment_days": mean(self.wait_first_treatment_total, self.wait_first_treatment_count),
            "mean_wait_first_treatment_days_excluding_pauses": mean(
                self.wait_excluding_pauses_total, self.wait_first_treatment_count
            ),
            "paired_phq9_rate": rate(self.paired_phq9, finished),
            "paired_anxiety_rate": rate(self.paired_anxiety, finished),
            "paired_scores": self.paired_scores,
            "paired_scores_rate": rate(self.paired_scores, finished),
            "appropriate_adsm_paired_rate": rate(self.appropriate_adsm_paired, finished),
            "appointments": self.appointments,
            "appointments_attended": self.appointments_attended,
            "appointments_dna": self.appointments_dna,
            "dna_rate": rate(self.appointments_dna, self.appointments),
        }
