"""Hand-made rows for one or a few referrals, keyed by the data set's technical names (synthetic)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from iapt_desktop.domain.assessment_scales import GAD7, PHQ9
from iapt_desktop.domain.metrics.rows import MetricsRows

SPIN = "445552006"
MI = "473354003"


def day(text: str, plus: int = 0) -> str:
    return (dt.date.fromisoformat(text) + dt.timedelta(days=plus)).isoformat()


def referral(
    key: str = "R1",
    received: str = "2025-01-06",
    ended: str | None = "2025-04-30",
    end_code: str | None = "46",
    counsellor: str | None = "C1",
) -> dict[str, Any]:
    return {
        "ServiceRequestId": key,
        "ReferralRequestReceivedDate": received,
        "ServDischDate": ended,
        "EndCode": end_code if ended else None,
        "CarePersLocalId": counsellor,
    }


def contact(key: str, ref: str, on: str, app_type: str = "02", attend: str = "5") -> dict[str, Any]:
    return {
        "CareContactId": key,
        "ServiceRequestId": ref,
        "CareContDate": on,
        "CareContTime": "10:00:00",
        "AttendOrDNACode": attend,
        "AppType": app_type,
    }


def score(ref: str, tool: str, value: str | int, on: str) -> dict[str, Any]:
    return {
        "ServiceRequestId": ref,
        "CodedAssToolType": tool,
        "PersScore": str(value),
        "AssToolCompDate": on,
        "AssToolCompTime": None,
    }


def course(
    ref: str,
    received: str,
    first_treatment: str,
    treatments: int = 3,
    *,
    assessment: str | None = None,
) -> list[dict[str, Any]]:
    """An assessment (AppType 01) then ``treatments`` weekly attended treatment appointments."""
    rows = [contact(f"{ref}-A", ref, assessment or received, "01")]
    rows += [contact(f"{ref}-T{n}", ref, day(first_treatment, 7 * n)) for n in range(treatments)]
    return rows


def paired_scores(ref: str, phq9: tuple[int, int], gad7: tuple[int | None, int | None], first: str, last: str):
    rows = [score(ref, PHQ9, phq9[0], first), score(ref, PHQ9, phq9[1], last)]
    if gad7[0] is not None:
        rows.append(score(ref, GAD7, gad7[0], first))
    if gad7[1] is not None:
        rows.append(score(ref, GAD7, gad7[1], last))
    return rows


def small_service() -> MetricsRows:
    """Seven referrals worked by hand for April-June 2025 (see test_service_metrics)."""
    referrals = [
        referral("R1", "2025-02-03", "2025-04-30", counsellor="C1"),  # at caseness, recovered
        referral("R2", "2025-02-10", "2025-05-15", counsellor="C1"),  # not at caseness
        referral("R3", "2025-02-17", "2025-05-20", counsellor="C2"),  # at caseness, PHQ-9 ends on 10
        referral("R4", "2025-04-07", "2025-06-10", "47", counsellor="C2"),  # one treatment only
        referral("R5", "2025-05-05", None, counsellor="C2"),  # open, entered treatment in June
        referral("R6", "2024-11-04", "2025-03-01", counsellor="C1"),  # ended before the period
        referral("R7", "2025-06-02", "2025-06-20", None, counsellor=None),  # not seen, no end code
    ]
    contacts = [
        *course("R1", "2025-02-03", "2025-03-03", 4),  # wait 28 days
        *course("R2", "2025-02-10", "2025-03-31", 4),  # wait 49 days
        *course("R3", "2025-02-17", "2025-03-10", 5),  # wait 21 days
        *course("R4", "2025-04-07", "2025-05-05", 1),
        contact("R4-DNA", "R4", "2025-05-12", attend="3"),
        *course("R5", "2025-05-05", "2025-06-02", 2),
        *course("R6", "2024-11-04", "2024-12-02", 4),
    ]
    scores = [
        *paired_scores("R1", (16, 5), (13, 4), "2025-02-03", "2025-03-24"),
        *paired_scores("R2", (9, 2), (7, 1), "2025-02-10", "2025-04-21"),
        *paired_scores("R3", (18, 10), (12, 6), "2025-02-17", "2025-04-07"),
        *paired_scores("R6", (18, 3), (12, 2), "2024-11-04", "2024-12-23"),
    ]
    return MetricsRows(referrals, contacts, referral_scores=scores, counsellor_names={"C1": "Alex", "C2": "Sam"})
