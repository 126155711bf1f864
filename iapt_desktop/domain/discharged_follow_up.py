"""What brings a referral discharged before the reporting period into the month's file, declared once.

National rule IDS10129 (record reject) refuses a referral whose ServDischDate is before the period start
"unless a follow-up appointment or PEQ has been submitted" for it in the same file.  NHS England's
implementation of IDS10129 is not public, so this is our reading, used by BOTH the rule
(validation.set_checks.discharged_needs_follow_up) and the month's content (storage.month_content), so
the file never carries a referral the rule would reject, nor leaves out one it would accept:

- a follow-up appointment is a care contact (IDS201CareContact) dated in the period whose AppType is a
  follow-up type: 06, "follow-up / post-treatment review".  NHS England's own reports treat AppType 06 as
  the follow-up appointment (and exclude it from treatment counts); the code's label is (unconfirmed).
  A treatment or assessment contact dated after the discharge does not count: it is left out of the
  file and the submission says so (activity left out).
- a PEQ is a coded score (IDS606CodedScoreAssessmentRefer) dated in the period (AssToolCompDate) whose
  tool is a Patient Experience Questionnaire.
"""

from __future__ import annotations

from collections.abc import Mapping

from iapt_desktop.domain.assessment_scales import assessment_scales
from iapt_desktop.domain.metrics.definitions import FOLLOW_UP_APPOINTMENT_TYPES

__all__ = ["FOLLOW_UP_APPOINTMENT_TYPES", "is_follow_up_appointment", "is_peq_in_period", "peq_tool_codes"]


def peq_tool_codes() -> list[str]:
    """CodedAssToolType codes of the Patient Experience Questionnaires (from the assessment scales)."""
    return sorted(code for code, found in assessment_scales().items() if "PEQ" in found.tool)


def _in_period(value: object, start: str, end: str) -> bool:
    return isinstance(value, str) and start <= value <= end


def is_follow_up_appointment(contact: Mapping[str, object], start: str, end: str) -> bool:
    """An IDS201CareContact row that brings its discharged referral in: a follow-up type dated start..end."""
    return (str(contact.get("AppType") or "") in FOLLOW_UP_APPOINTMENT_TYPES
            and _in_period(contact.get("CareContDate"), start, end))


def is_peq_in_period(score: Mapping[str, object], start: str, end: str, peq_codes: frozenset[str]) -> bool:
    """An IDS606CodedScoreAssessmentRefer row that brings its discharged referral in: a PEQ dated start..end."""
    return (str(score.get("CodedAssToolType") or "") in peq_codes
            and _in_period(score.get("AssToolCompDate"), start, end))
