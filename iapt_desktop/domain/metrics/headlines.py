"""The headline figures shown to people (cards, text report, workbook), with their labels, declared once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from iapt_desktop.domain.metrics.national_figures import national_figure, target
from iapt_desktop.domain.metrics.tally import Figure

COUNT = "count"
RATE = "rate"
DAYS = "days"
MEAN = "mean"


@dataclass(frozen=True)
class Headline:
    key: str  # key in the figures dict (and in the national figures)
    label: str
    kind: str  # count, rate, days or mean
    explanation: str
    basis: tuple[str, str] | None = None  # (numerator, denominator) keys of a rate

    def format(self, value: Figure) -> str:
        return format_figure(value, self.kind)

    def basis_text(self, figures: Mapping[str, Figure]) -> str:
        """'83 of 168': the counts behind a rate, so small numbers are seen for what they are."""
        if self.basis is None:
            return ""
        numerator, denominator = (figures.get(key) for key in self.basis)
        if numerator is None or denominator is None:
            return ""
        return f"{int(numerator):,} of {int(denominator):,}"

    def national_text(self, separator: str = "; ") -> str:
        """The latest England figure and the target, for display beside the service's own."""
        parts = []
        if (figure := national_figure(self.key)) is not None:
            parts.append(f"England {figure.period}: {format_figure(figure.value, self.kind)}")
        if (goal := target(self.key)) is not None:
            mark = " (unconfirmed)" if goal.unconfirmed else ""
            parts.append(f"{'target' if parts else 'Target'} {format_figure(goal.value, self.kind)}{mark}")
        return separator.join(parts)


def format_figure(value: Figure, kind: str) -> str:
    if value is None:
        return "–"
    if kind == RATE:
        return f"{value * 100:.1f}%"
    if kind == DAYS:
        return f"{value:.1f} days"
    if kind == MEAN:
        return f"{value:.1f}"
    return f"{int(value):,}"


HEADLINES: tuple[Headline, ...] = (
    Headline("referrals_received", "Referrals received", COUNT, "referrals received in the period"),
    Headline("referrals_ended", "Referrals ended", COUNT, "referrals with a discharge date in the period"),
    Headline("entered_treatment", "Entered treatment", COUNT, "first attended treatment appointment in the period"),
    Headline(
        "finished_treatment",
        "Finished a course of treatment",
        COUNT,
        "ended in the period with at least two attended treatment appointments",
    ),
    Headline(
        "recovery_rate",
        "Recovery",
        RATE,
        "recovered ÷ (finished − not at caseness at the start)",
        basis=("recovered", "recovery_denominator"),
    ),
    Headline(
        "reliable_improvement_rate",
        "Reliable improvement",
        RATE,
        "paired scores fell reliably on a measure and rose reliably on neither ÷ finished",
        basis=("reliably_improved", "finished_treatment"),
    ),
    Headline(
        "reliable_recovery_rate",
        "Reliable recovery",
        RATE,
        "recovered and reliably improved ÷ recovery denominator",
        basis=("reliably_recovered", "recovery_denominator"),
    ),
    Headline(
        "reliable_deterioration_rate",
        "Reliable deterioration",
        RATE,
        "paired scores rose reliably on either measure ÷ finished",
        basis=("reliably_deteriorated", "finished_treatment"),
    ),
    Headline(
        "waited_6_weeks_rate",
        "Waited 6 weeks or less",
        RATE,
        "finished, referral to first treatment ≤ 42 days",
        basis=("waited_6_weeks", "finished_treatment"),
    ),
    Headline(
        "waited_18_weeks_rate",
        "Waited 18 weeks or less",
        RATE,
        "finished, referral to first treatment ≤ 126 days",
        basis=("waited_18_weeks", "finished_treatment"),
    ),
    Headline(
        "mean_wait_first_treatment_days", "Mean wait for treatment", DAYS, "finished: referral to first treatment"
    ),
    Headline(
        "paired_scores_rate",
        "Paired scores",
        RATE,
        "finished with a first and last PHQ-9 and anxiety score",
        basis=("paired_scores", "finished_treatment"),
    ),
    Headline(
        "dna_rate",
        "Did not attend",
        RATE,
        "appointments in the period coded 3 (did not attend) ÷ all",
        basis=("appointments_dna", "appointments"),
    ),
    Headline(
        "first_assessment_within_28_days_rate",
        "Assessed within 28 days",
        RATE,
        "first assessment in the period, 28 days or less after the referral",
        basis=("first_assessed_within_28_days", "first_assessments"),
    ),
    Headline(
        "mean_treatment_appointments",
        "Mean treatment appointments",
        MEAN,
        "attended treatment appointments per referral that finished a course of treatment",
    ),
)

# Columns of the monthly trend and the per-counsellor table.
TREND_COLUMNS: tuple[Headline, ...] = (
    Headline("referrals_received", "Received", COUNT, ""),
    Headline("referrals_ended", "Ended", COUNT, ""),
    Headline("finished_treatment", "Finished", COUNT, ""),
    Headline("recovered", "Recovered", COUNT, ""),
    Headline("recovery_rate", "Recovery", RATE, ""),
    Headline("reliable_improvement_rate", "Reliable improvement", RATE, ""),
    Headline("reliable_recovery_rate", "Reliable recovery", RATE, ""),
    Headline("waited_6_weeks_rate", "≤ 6 weeks", RATE, ""),
    Headline("waited_18_weeks_rate", "≤ 18 weeks", RATE, ""),
    Headline("mean_wait_first_treatment_days", "Mean wait", DAYS, ""),
)

COUNSELLOR_COLUMNS: tuple[Headline, ...] = (
    Headline("referrals_ended", "Ended", COUNT, ""),
    Headline("finished_treatment", "Finished", COUNT, ""),
    Headline("at_caseness", "At caseness", COUNT, ""),
    Headline("recovery_rate", "Recovery", RATE, ""),
    Headline("reliable_improvement_rate", "Reliable improvement", RATE, ""),
    Headline("reliable_deterioration_rate", "Reliable deterioration", RATE, ""),
    Headline("paired_scores_rate", "Paired scores", RATE, ""),
    Headline("mean_treatment_appointments", "Mean treatment appointments", MEAN, ""),
    Headline("appointments", "Appointments", COUNT, ""),
    Headline("dna_rate", "Did not attend", RATE, ""),
)
