"""First assessment and first treatment of a referral, and the waits, from its care contacts.

Pure: works on rows keyed by the data set's technical column names.  As in NHS
England's metrics, a contact counts when attended (``AttendOrDNACode`` 5 or 6);
assessment appointments are ``AppType`` 01 or 03 and treatment appointments 02,
03 or 05.  Waits are raw date differences from ``ReferralRequestReceivedDate``;
whether waiting-time pauses (IDS108) reduce a wait is unconfirmed, so paused days
are reported beside the wait rather than taken off it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

ATTENDED = frozenset({"5", "6"})
ASSESSMENT_TYPES = frozenset({"01", "03"})
TREATMENT_TYPES = frozenset({"02", "03", "05"})
SIX_WEEKS_DAYS = 42
EIGHTEEN_WEEKS_DAYS = 126


@dataclass(frozen=True)
class ReferralWaits:
    received: dt.date | None
    first_assessment: dt.date | None
    first_treatment: dt.date | None
    days_to_assessment: int | None
    days_to_treatment: int | None
    attended_sessions: int
    treatment_sessions: int
    paused_days_before_treatment: int

    def describe_treatment_wait(self) -> str:
        if self.days_to_treatment is None:
            return "Not yet started treatment"
        weeks = self.days_to_treatment / 7
        within = (
            "within 6 weeks" if self.days_to_treatment <= SIX_WEEKS_DAYS
            else "within 18 weeks" if self.days_to_treatment <= EIGHTEEN_WEEKS_DAYS
            else "over 18 weeks"
        )
        return f"{self.days_to_treatment} days ({weeks:.1f} weeks, {within})"

    def describe_assessment_wait(self) -> str:
        if self.days_to_assessment is None:
            return "Not yet assessed"
        return f"{self.days_to_assessment} days ({self.days_to_assessment / 7:.1f} weeks)"


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _paused_days(pauses: Iterable[Mapping[str, Any]], start: dt.date, end: dt.date) -> int:
    total = 0
    for pause in pauses:
        begin = _date(pause.get("PauseStartDate"))
        if begin is None:
            continue
        finish = _date(pause.get("PauseEndDate")) or end
        overlap = (min(finish, end) - max(begin, start)).days
        total += max(0, overlap)
    return total


def referral_waits(
    referral: Mapping[str, Any],
    contacts: Iterable[Mapping[str, Any]],
    pauses: Iterable[Mapping[str, Any]] = (),
) -> ReferralWaits:
    received = _date(referral.get("ReferralRequestReceivedDate"))
    attended = sorted(
        (d, str(c.get("AppType") or ""))
        for c in contacts
        if str(c.get("AttendOrDNACode") or "") in ATTENDED and (d := _date(c.get("CareContDate"))) is not None
    )
    assessment = next((d for d, kind in attended if kind in ASSESSMENT_TYPES), None)
    treatment = next((d for d, kind in attended if kind in TREATMENT_TYPES), None)

    def days(day: dt.date | None) -> int | None:
        return (day - received).days if day and received else None

    paused = _paused_days(list(pauses), received, treatment) if received and treatment else 0
    return ReferralWaits(
        received=received,
        first_assessment=assessment,
        first_treatment=treatment,
        days_to_assessment=days(assessment),
        days_to_treatment=days(treatment),
        attended_sessions=len(attended),
        treatment_sessions=sum(1 for _, kind in attended if kind in TREATMENT_TYPES),
        paused_days_before_treatment=paused,
    )
