"""Hand-made rows for one or a few referrals, keyed by the data set's technical names (synthetic)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from iapt_desktop.domain.assessment_scales import GAD7, PHQ9

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
