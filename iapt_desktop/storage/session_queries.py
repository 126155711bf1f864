"""Reading sessions and what they need: the staff list, the referral, earlier sessions, scores, risk alerts.

Used by the session form (ui/session) and by storage/session_records.py, which loads and saves sessions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.access import User
from iapt_desktop.domain.dataset import ROW_ID
from iapt_desktop.domain.metrics.measures import adsm_for_complaint
from iapt_desktop.domain.questionnaires import questionnaire_for_code
from iapt_desktop.storage.record_visibility import require_care_contact_visible, require_referral_visible
from iapt_desktop.storage.record_writes import get_row

SCORE_TABLE = "IDS607CodedScoreAssessmentAct"


@dataclass(frozen=True)
class StaffMember:
    care_personnel_id: str
    display_name: str
    active: bool


@dataclass(frozen=True)
class RiskAlert:
    care_contact_id: str
    tool: str
    item: int
    answer: str
    acknowledged_by: str
    acknowledged_at: str
    note: str


def fetch_rows(db: Database, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    cursor = db.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def staff(db: Database, include: Iterable[str | None] = ()) -> list[StaffMember]:
    """The staff list: active members, plus any inactive ones named in ``include``."""
    wanted = {i for i in include if i}
    return [
        StaffMember(row["CarePersLocalId"], row["display_name"], bool(row["active"]))
        for row in fetch_rows(db, "SELECT CarePersLocalId, display_name, active FROM app_care_personnel "
                             "ORDER BY display_name COLLATE NOCASE")
        if row["active"] or row["CarePersLocalId"] in wanted
    ]


def referral(db: Database, viewer: User, service_request_id: str) -> dict[str, Any]:
    """The IDS101 row; LookupError when there is none, AccessDenied unless ``viewer`` may see it."""
    found = get_row(db, "IDS101Referral", service_request_id)
    if found is None:
        raise LookupError(f"Referral {service_request_id} does not exist; it may have been deleted.")
    require_referral_visible(db, viewer, service_request_id)
    return found


def referral_holder(db: Database, service_request_id: str) -> str | None:
    row = db.execute("SELECT CarePersLocalId FROM app_referral WHERE ServiceRequestId = ?",
                     [service_request_id]).fetchone()
    return row[0] if row else None


def contacts(db: Database, viewer: User, service_request_id: str) -> list[dict[str, Any]]:
    """The referral's sessions, oldest first (AccessDenied unless ``viewer`` may see the referral)."""
    require_referral_visible(db, viewer, service_request_id)
    return fetch_rows(db, "SELECT * FROM IDS201CareContact WHERE ServiceRequestId = ? "
                     "ORDER BY CareContDate, CareContTime, CareContactId", [service_request_id])


def activities(db: Database, care_contact_id: str) -> list[dict[str, Any]]:
    return fetch_rows(db, "SELECT * FROM IDS202CareActivity WHERE CareContactId = ? ORDER BY CareActId",
                 [care_contact_id])


def score_rows(db: Database, care_activity_id: str) -> list[dict[str, Any]]:
    return fetch_rows(db, f"SELECT * FROM {SCORE_TABLE} WHERE CareActId = ? ORDER BY {ROW_ID}", [care_activity_id])


def item_answers(db: Database, score_row_id: int) -> dict[int, dict[str, Any]]:
    return {row["item"]: row for row in fetch_rows(
        db, "SELECT * FROM app_questionnaire_answer WHERE score_table = ? AND score_row_id = ?",
        [SCORE_TABLE, score_row_id])}


def incomplete_rows(db: Database, care_activity_id: str) -> list[dict[str, Any]]:
    return fetch_rows(db, "SELECT * FROM app_incomplete_answer WHERE CareActId = ? ORDER BY CodedAssToolType, item",
                 [care_activity_id])


def risk_alerts(db: Database, viewer: User, care_contact_id: str) -> list[RiskAlert]:
    require_care_contact_visible(db, viewer, care_contact_id)
    return [
        RiskAlert(r["CareContactId"], r["tool"], r["item"], r["answer"], r["acknowledged_by"],
                  r["acknowledged_at"], r["note"])
        for r in fetch_rows(db, "SELECT * FROM app_risk_alert WHERE CareContactId = ? ORDER BY app_row_id",
                       [care_contact_id])
    ]


def session_scores(db: Database, viewer: User, care_contact_id: str) -> dict[str, str]:
    """CodedAssToolType -> PersScore of a session's score rows (the first of each code)."""
    require_care_contact_visible(db, viewer, care_contact_id)
    found: dict[str, str] = {}
    for code, score in db.execute(
            f"SELECT s.CodedAssToolType, s.PersScore FROM {SCORE_TABLE} s JOIN IDS202CareActivity a USING (CareActId) "
            f"WHERE a.CareContactId = ? ORDER BY s.{ROW_ID}", [care_contact_id]):
        found.setdefault(code, score)
    return found


def complaint_adsm(db: Database, service_request_id: str) -> str | None:
    """The questionnaire key of the anxiety disorder specific measure the referral's presenting complaint
    calls for (primary complaint first), or None."""
    for (code,) in db.execute(
            "SELECT PresComp FROM IDS603PresentingComplaints WHERE ServiceRequestId = ? "
            "ORDER BY PresCompCodSig IS NOT '1', PresCompDate, app_row_id", [service_request_id]):
        measure = adsm_for_complaint(code)
        found = questionnaire_for_code(measure.snomed_code) if measure else None
        if found:
            return found[0].key
    return None


def showcase_session(db: Database) -> tuple[str, str | None] | None:
    """(ServiceRequestId, CareContactId) of the first referral's last attended session, for screenshots.

    The contact is None when the referral has no attended session yet; None when there is no referral.
    """
    row = db.execute("SELECT ServiceRequestId FROM IDS101Referral ORDER BY ServiceRequestId LIMIT 1").fetchone()
    if row is None:
        return None
    found = db.execute(
        "SELECT c.CareContactId FROM IDS201CareContact c JOIN IDS202CareActivity a USING (CareContactId) "
        "WHERE c.ServiceRequestId = ? ORDER BY c.CareContDate DESC, c.CareContTime DESC LIMIT 1", [row[0]]).fetchone()
    return row[0], found[0] if found else None
