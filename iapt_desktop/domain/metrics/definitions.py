"""The codes and limits the national metrics are built on, declared once.

Sources are tagged as docs/metrics.md explains ([META-A] NHS England's annual report metadata, [META-M]
its monthly metadata with measure ids, [TT] nhsengland/Talking-Therapies); choices where the national
definition is unconfirmed are explained there.
"""

from __future__ import annotations

# AttendOrDNACode: attended = 5 (on time or seen before the professional was ready) or 6 (late, seen).
# [META-M M083-M088]
ATTENDED_CODES = frozenset({"5", "6"})

# AttendOrDNACode 3: did not attend, no advance warning.  [META-M M082-M088]
DID_NOT_ATTEND_CODES = frozenset({"3"})

# AppType counted as treatment appointments: 02 treatment, 03 assessment and treatment, 05 review and
# treatment; follow-up (06) is excluded.  [META-A; nhsengland/Talking-Therapies KM monthly update.sql]
TREATMENT_APPOINTMENT_TYPES = frozenset({"02", "03", "05"})

# AppType 06: follow-up / post-treatment review.  Scores taken at follow-ups are not used as first or
# last scores (choice; the reference marks this unconfirmed).
FOLLOW_UP_APPOINTMENT_TYPES = frozenset({"06"})

# AppType 10 (v2.1): employment support.  Not an assessment: never the first assessment.
EMPLOYMENT_SUPPORT_APPOINTMENT_TYPES = frozenset({"10"})

# A finished course of treatment: ended with at least two attended treatment appointments.
# [META-A Count_FinishedCourseTreatment; META-M M076]
FINISHED_MINIMUM_TREATMENT_APPOINTMENTS = 2

# Waiting-time limits in days, "wait <= 42 / <= 126 days".  [META-M M052-M055]
SIX_WEEKS_DAYS = 42
EIGHTEEN_WEEKS_DAYS = 126

# First assessment within 28 days: (first assessment - referral received) < 29 days.  [META-M M024]
FIRST_ASSESSMENT_PROMPT_DAYS = 28

# Label shown for a referral that ended without an EndCode.  [META-M M056]
NO_END_CODE_LABEL = "No reason recorded"
