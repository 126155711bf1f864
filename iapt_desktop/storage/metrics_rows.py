"""Reading the rows the outcome metrics need, for the referrals relevant to a date range.

A referral is relevant when it was received, ended or had a care contact in the range (entering
treatment and first assessment are contacts).  Each table is read with one query that joins on the set
of relevant referrals, so the cost grows with the rows read, never with one query per referral.
Only the columns the metrics use are read; no patient identifiers are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.metrics.rows import MetricsRows

RELEVANT_REFERRALS = """
WITH relevant(ServiceRequestId) AS (
    SELECT ServiceRequestId FROM IDS101Referral WHERE ReferralRequestReceivedDate BETWEEN :start AND :end
    UNION
    SELECT ServiceRequestId FROM IDS101Referral WHERE ServDischDate BETWEEN :start AND :end
    UNION
    SELECT ServiceRequestId FROM IDS201CareContact WHERE CareContDate BETWEEN :start AND :end
)
"""

# step name -> query; every query starts from the relevant referrals
QUERIES: dict[str, str] = {
    "referrals": """
        SELECT r.ServiceRequestId, r.ReferralRequestReceivedDate, r.ServDischDate, r.EndCode, a.CarePersLocalId
        FROM IDS101Referral r LEFT JOIN app_referral a ON a.ServiceRequestId = r.ServiceRequestId
        WHERE r.ServiceRequestId IN (SELECT ServiceRequestId FROM relevant)
        ORDER BY r.ServiceRequestId""",
    "contacts": """
        SELECT CareContactId, ServiceRequestId, CareContDate, CareContTime, AttendOrDNACode, AppType
        FROM IDS201CareContact
        WHERE ServiceRequestId IN (SELECT ServiceRequestId FROM relevant)""",
    "activities": """
        SELECT a.CareActId, a.CareContactId, a.CarePersLocalId
        FROM IDS202CareActivity a JOIN IDS201CareContact c ON c.CareContactId = a.CareContactId
        WHERE c.ServiceRequestId IN (SELECT ServiceRequestId FROM relevant)""",
    "referral_scores": """
        SELECT ServiceRequestId, CodedAssToolType, PersScore, AssToolCompDate, AssToolCompTime
        FROM IDS606CodedScoreAssessmentRefer
        WHERE ServiceRequestId IN (SELECT ServiceRequestId FROM relevant)
        ORDER BY app_row_id""",
    "activity_scores": """
        SELECT s.CareActId, s.CodedAssToolType, s.PersScore
        FROM IDS607CodedScoreAssessmentAct s
        JOIN IDS202CareActivity a ON a.CareActId = s.CareActId
        JOIN IDS201CareContact c ON c.CareContactId = a.CareContactId
        WHERE c.ServiceRequestId IN (SELECT ServiceRequestId FROM relevant)
        ORDER BY s.app_row_id""",
    "presenting_complaints": """
        SELECT ServiceRequestId, PresComp, PresCompCodSig, PresCompDate
        FROM IDS603PresentingComplaints
        WHERE ServiceRequestId IN (SELECT ServiceRequestId FROM relevant)
        ORDER BY app_row_id""",
    "pauses": """
        SELECT ServiceRequestId, PauseStartDate, PauseEndDate
        FROM IDS108WaitingTimePauses
        WHERE ServiceRequestId IN (SELECT ServiceRequestId FROM relevant)""",
    "internet_therapy_logs": """
        SELECT ServiceRequestId, StartDateIntEnabledTherLog
        FROM IDS205InternetTherLog
        WHERE ServiceRequestId IN (SELECT ServiceRequestId FROM relevant)""",
}

STEPS = tuple(QUERIES)


def _rows(db: Database, query: str, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    cursor = db.execute(RELEVANT_REFERRALS + query, {"start": start.isoformat(), "end": end.isoformat()})
    names = [description[0] for description in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def counsellor_names(db: Database) -> dict[str, str]:
    """CarePersLocalId -> display name of the staff list (staff names, not patient data)."""
    return {
        str(key): str(name) for key, name in db.execute("SELECT CarePersLocalId, display_name FROM app_care_personnel")
    }


def read_metrics_rows_steps(
    db: Database, start: dt.date, end: dt.date
) -> Generator[tuple[str, int], None, MetricsRows]:
    """Read table by table, yielding (step, rows read) after each; returns the rows.  Close it to stop."""
    found: dict[str, list[dict[str, Any]]] = {}
    for step, query in QUERIES.items():
        found[step] = _rows(db, query, start, end)
        yield step, len(found[step])
    return MetricsRows(counsellor_names=counsellor_names(db), **found)


def read_metrics_rows(db: Database, start: dt.date, end: dt.date) -> MetricsRows:
    """All rows the metrics of [start, end] need."""
    steps = read_metrics_rows_steps(db, start, end)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value
