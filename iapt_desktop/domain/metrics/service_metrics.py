"""The figures of a service for a chosen period: headline, monthly trend, ending reasons, per counsellor.

``service_metrics(outcomes, start, end)`` makes one pass over the referral outcomes.  ``as_dict`` gives
the JSON shape of the CLI; the only identifier in it is ServiceRequestId.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from iapt_desktop.domain.codes import code_list
from iapt_desktop.domain.metrics.definitions import NO_END_CODE_LABEL
from iapt_desktop.domain.metrics.referral_outcome import ReferralOutcome
from iapt_desktop.domain.metrics.tally import Figure, Tally
from iapt_desktop.domain.reporting_period import ReportingPeriod

UNASSIGNED = ""  # counsellor key of referrals nobody holds


@dataclass(frozen=True)
class MonthFigures:
    month: str  # 'YYYY-MM'
    start: dt.date  # clipped to the chosen period
    end: dt.date
    figures: dict[str, Figure]


@dataclass(frozen=True)
class EndingReason:
    code: str  # '' when no EndCode was recorded
    label: str
    count: int
    unconfirmed: bool


@dataclass(frozen=True)
class CounsellorFigures:
    counsellor: str  # CarePersLocalId ('' = not assigned)
    name: str
    figures: dict[str, Figure]


@dataclass(frozen=True)
class ServiceMetrics:
    start: dt.date
    end: dt.date
    figures: dict[str, Figure]
    monthly: tuple[MonthFigures, ...]
    ending_reasons: tuple[EndingReason, ...]
    by_counsellor: tuple[CounsellorFigures, ...]
    referrals: tuple[ReferralOutcome, ...] = field(repr=False)  # those counted in the period

    def as_dict(self, *, by_counsellor: bool = False) -> dict[str, Any]:
        result: dict[str, Any] = {"period": {"from": self.start.isoformat(), "to": self.end.isoformat()}}
        result.update(self.figures)
        result["monthly"] = [{"month": m.month, **m.figures} for m in self.monthly]
        result["ending_reasons"] = [
            {"code": r.code or None, "label": r.label, "count": r.count, "unconfirmed": r.unconfirmed}
            for r in self.ending_reasons
        ]
        if by_counsellor:
            result["by_counsellor"] = [
                {"counsellor": c.counsellor or None, "name": c.name, **c.figures} for c in self.by_counsellor
            ]
        result["per_referral"] = [referral_record(o, self.start, self.end) for o in self.referrals]
        return result


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def referral_record(outcome: ReferralOutcome, start: dt.date, end: dt.date) -> dict[str, Any]:
    """One referral's part in the period's figures, keyed by ServiceRequestId only."""

    def within(day: dt.date | None) -> bool:
        return day is not None and start <= day <= end

    ended = within(outcome.ended)
    return {
        "key": outcome.key,
        "received_in_period": within(outcome.received),
        "ended_in_period": ended,
        "entered_treatment_in_period": within(outcome.first_treatment),
        "end_code": outcome.end_code,
        "treatment_appointments": outcome.treatment_appointments,
        "finished": ended and outcome.finished,
        "caseness": ended and outcome.at_caseness,
        "not_at_caseness": ended and outcome.not_at_caseness,
        "recovered": ended and outcome.recovered,
        "reliably_improved": ended and outcome.reliably_improved,
        "reliably_deteriorated": ended and outcome.reliably_deteriorated,
        "reliably_recovered": ended and outcome.reliably_recovered,
        "wait_days": outcome.wait_first_treatment_days,
        "wait_first_assessment_days": outcome.wait_first_assessment_days,
        "anxiety_measure": outcome.anxiety_measure,
        "phq9_first": _number(outcome.phq9.first_value),
        "phq9_last": _number(outcome.phq9.last_value),
        "anxiety_first": _number(outcome.anxiety.first_value),
        "anxiety_last": _number(outcome.anxiety.last_value),
    }


def months_between(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """Calendar months touching [start, end], each clipped to it."""
    months = []
    period = ReportingPeriod.containing(start)
    while period.start <= end:
        months.append((str(period), max(period.start, start), min(period.end, end)))
        period = period.next()
    return months


def service_metrics(
    outcomes: Iterable[ReferralOutcome],
    start: dt.date,
    end: dt.date,
    counsellor_names: Mapping[str, str] | None = None,
    on_each: Callable[[int], None] | None = None,
) -> ServiceMetrics:
    """Count every outcome into the period, its months and its counsellor, in one pass.

    An outcome counts when one of its dates (received, ended, first assessment, first treatment, any
    appointment) falls in the period, and in each month holding one of them."""
    if end < start:
        raise ValueError(f"The period ends ({end}) before it starts ({start}): swap the dates.")
    names = counsellor_names or {}
    total = Tally(start, end)
    months = {key: Tally(first, last) for key, first, last in months_between(start, end)}
    month_key = {(tally.start.year, tally.start.month): key for key, tally in months.items()}
    counsellors: dict[str, Tally] = {}
    end_codes: Counter[str] = Counter()
    counted: list[ReferralOutcome] = []
    for index, outcome in enumerate(outcomes):
        if on_each is not None:
            on_each(index)
        milestones = [day for day in (outcome.received, outcome.ended, outcome.first_assessment,
                                      outcome.first_treatment) if day is not None and start <= day <= end]
        touched = {(day.year, day.month) for day in milestones}
        touched.update((day.year, day.month) for day, _ in outcome.appointments
                       if day is not None and start <= day <= end)
        if not touched:
            continue
        total.add(outcome)
        counsellors.setdefault(outcome.counsellor or UNASSIGNED, Tally(start, end)).add(outcome)
        for year_month in touched:
            months[month_key[year_month]].add(outcome)
        if total.contains(outcome.ended):
            end_codes[outcome.end_code or ""] += 1
        if milestones:
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


def ending_reasons(end_codes: Counter[str]) -> tuple[EndingReason, ...]:
    """Counts by EndCode, in the order of the code list, with the code list's labels."""
    codes = code_list("EndCode")
    listed = codes.codes if codes else ()
    reasons = [EndingReason(c.code, c.label, end_codes[c.code], c.unconfirmed) for c in listed if end_codes[c.code]]
    known = {c.code for c in listed}
    reasons += [
        EndingReason(code, f"Code {code} (not in the code list)", n, True)
        for code, n in sorted(end_codes.items())
        if code and code not in known
    ]
    if end_codes[""]:
        reasons.append(EndingReason("", NO_END_CODE_LABEL, end_codes[""], False))
    return tuple(reasons)
