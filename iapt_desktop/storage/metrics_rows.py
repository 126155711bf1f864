"""Reading the rows the outcome metrics need, for the referrals relevant to a date range.

A referral is relevant when it was received, ended or had a care contact in the range (entering
treatment and first assessment are contacts).  The relevant referrals are collected once into a
temporary table; each data set table is then read with one query joined on it, so the cost grows with
the rows read, never with one query per referral.
Only the columns the metrics use are read; no patient identifiers are.

:func:`read_metrics_row_batches` reads the same rows a batch of referrals at a time (each batch holds
every row of its referrals), so memory stays flat however many referrals a year has: the metrics job
works out each batch's outcomes and lets its rows go.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.metrics.measures import measures
from iapt_desktop.domain.metrics.rows import MetricsRows

# The relevant referrals are collected once into a temporary table (private to the connection, never in
# the database file) that every query below joins on.  The tables are scanned (NOT INDEXED): the date
# indexes do not hold ServiceRequestId, so using them means a lookup in the table for every contact of the
# year, in date order; on a service with 18 months of history that took 2.4 s of CPU against 0.3 s for
# reading the two tables straight through (5 years of history: 0.14 s against 0.2 s).
COLLECT_RELEVANT = (
    "DROP TABLE IF EXISTS temp.metrics_relevant",
    "CREATE TEMP TABLE metrics_relevant (ServiceRequestId TEXT PRIMARY KEY) WITHOUT ROWID",
    """INSERT OR IGNORE INTO temp.metrics_relevant (ServiceRequestId)
        SELECT ServiceRequestId FROM IDS101Referral NOT INDEXED
        WHERE ReferralRequestReceivedDate BETWEEN :start AND :end OR ServDischDate BETWEEN :start AND :end
        UNION
        SELECT ServiceRequestId FROM IDS201CareContact NOT INDEXED WHERE CareContDate BETWEEN :start AND :end""",
)
DROP_RELEVANT = "DROP TABLE IF EXISTS temp.metrics_relevant"
RELEVANT = "(SELECT ServiceRequestId FROM temp.metrics_relevant)"
# One batch of the relevant referrals, for reading a batch at a time.
MAKE_BATCH = (
    "DROP TABLE IF EXISTS temp.metrics_batch",
    "CREATE TEMP TABLE metrics_batch (ServiceRequestId TEXT PRIMARY KEY) WITHOUT ROWID",
)
DROP_BATCH = "DROP TABLE IF EXISTS temp.metrics_batch"
IN_BATCH = "(SELECT ServiceRequestId FROM temp.metrics_batch)"
BATCH_REFERRALS = 3000  # referrals per batch: ~30 MB of rows (about 9 KB a referral on the demo service)

# step name -> query; every query starts from the relevant referrals
QUERIES: dict[str, str] = {
    "referrals": """
        SELECT r.ServiceRequestId, r.ReferralRequestReceivedDate, r.ServDischDate, r.EndCode, a.CarePersLocalId
        FROM IDS101Referral r LEFT JOIN app_referral a ON a.ServiceRequestId = r.ServiceRequestId
        WHERE r.ServiceRequestId IN {relevant}
        ORDER BY r.ServiceRequestId""",
    "contacts": """
        SELECT CareContactId, ServiceRequestId, CareContDate, CareContTime, AttendOrDNACode, AppType
        FROM IDS201CareContact
        WHERE ServiceRequestId IN {relevant}""",
    "activities": """
        SELECT a.CareActId, a.CareContactId, a.CarePersLocalId
        FROM IDS202CareActivity a JOIN IDS201CareContact c ON c.CareContactId = a.CareContactId
        WHERE c.ServiceRequestId IN {relevant}""",
    "referral_scores": """
        SELECT ServiceRequestId, CodedAssToolType, PersScore, AssToolCompDate, AssToolCompTime
        FROM IDS606CodedScoreAssessmentRefer
        WHERE ServiceRequestId IN {relevant}
          AND CodedAssToolType IN (SELECT value FROM json_each(:tools))
        ORDER BY app_row_id""",
    "activity_scores": """
        SELECT s.CareActId, s.CodedAssToolType, s.PersScore
        FROM IDS607CodedScoreAssessmentAct s
        JOIN IDS202CareActivity a ON a.CareActId = s.CareActId
        JOIN IDS201CareContact c ON c.CareContactId = a.CareContactId
        WHERE c.ServiceRequestId IN {relevant}
          AND s.CodedAssToolType IN (SELECT value FROM json_each(:tools))
        ORDER BY s.app_row_id""",
    "presenting_complaints": """
        SELECT ServiceRequestId, PresComp, PresCompCodSig, PresCompDate
        FROM IDS603PresentingComplaints
        WHERE ServiceRequestId IN {relevant}
        ORDER BY app_row_id""",
    "pauses": """
        SELECT ServiceRequestId, PauseStartDate, PauseEndDate
        FROM IDS108WaitingTimePauses
        WHERE ServiceRequestId IN {relevant}""",
    "internet_therapy_logs": """
        SELECT ServiceRequestId, StartDateIntEnabledTherLog
        FROM IDS205InternetTherLog
        WHERE ServiceRequestId IN {relevant}""",
}

STEPS = tuple(QUERIES)


def outcome_tool_codes() -> list[str]:
    """SNOMED CT codes of the measures outcomes use (PHQ-9, GAD-7, ADSMs with thresholds): other scores
    (WSAS, PEQ, ...) are not read."""
    return sorted(m.snomed_code for m in measures().values() if m.usable)


def _rows(db: Database, query: str, relevant: str = RELEVANT) -> list[dict[str, Any]]:
    parameters = {"tools": json.dumps(outcome_tool_codes())} if ":tools" in query else {}
    cursor = db.execute(query.format(relevant=relevant), parameters)
    names = [description[0] for description in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _collect_relevant(db: Database, start: dt.date, end: dt.date) -> None:
    for statement in COLLECT_RELEVANT:
        db.execute(statement, {"start": start.isoformat(), "end": end.isoformat()} if ":start" in statement else {})
    db.conn.commit()


def _drop_relevant(db: Database) -> None:
    db.execute(DROP_RELEVANT)
    db.conn.commit()


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
    _collect_relevant(db, start, end)
    try:
        for step, query in QUERIES.items():
            found[step] = _rows(db, query)
            yield step, len(found[step])
    finally:
        _drop_relevant(db)
    return MetricsRows(counsellor_names=counsellor_names(db), **found)


def read_metrics_rows(db: Database, start: dt.date, end: dt.date) -> MetricsRows:
    """All rows the metrics of [start, end] need."""
    steps = read_metrics_rows_steps(db, start, end)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


@dataclass(frozen=True)
class MetricsBatch:
    """The rows of one batch of relevant referrals; ``done`` of ``total`` relevant referrals read so far."""

    rows: MetricsRows
    done: int
    total: int


def read_metrics_row_batches(
    db: Database, start: dt.date, end: dt.date, batch_referrals: int = BATCH_REFERRALS
) -> Iterator[MetricsBatch]:
    """The rows of :func:`read_metrics_rows`, ``batch_referrals`` referrals at a time in ServiceRequestId
    order (the order of ``referrals`` there), each batch with all its referrals' rows.  Close it to stop."""
    if batch_referrals < 1:
        raise ValueError("A batch needs at least one referral.")
    _collect_relevant(db, start, end)
    try:
        names = counsellor_names(db)
        keys = [row[0] for row in db.execute("SELECT ServiceRequestId FROM temp.metrics_relevant ORDER BY 1")]
        for first in range(0, len(keys), batch_referrals):
            batch = keys[first:first + batch_referrals]
            for statement in MAKE_BATCH:
                db.execute(statement)
            db.conn.executemany("INSERT INTO temp.metrics_batch (ServiceRequestId) VALUES (?)",
                                [(key,) for key in batch])
            found = {step: _rows(db, query, IN_BATCH) for step, query in QUERIES.items()}
            yield MetricsBatch(MetricsRows(counsellor_names=names, **found), first + len(batch), len(keys))
    finally:
        db.execute(DROP_BATCH)
        _drop_relevant(db)
