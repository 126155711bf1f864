"""A referral (IDS101) with its assigned counsellor and the rows below it, loaded and saved as one record.

Presenting complaints (IDS603), long-term conditions (IDS602), onward referrals
(IDS105) and waiting-time pauses (IDS108) are edited with the referral; care
contacts (IDS201) are listed here and edited in the session dialog.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.access import User
from iapt_desktop.domain.dataset import table
from iapt_desktop.storage.child_rows import load_child_rows, save_child_rows
from iapt_desktop.storage.record_visibility import referral_visible, require_referral_visible
from iapt_desktop.storage.record_writes import get_row, save_row
from iapt_desktop.storage.settings_store import get_setting

REFERRAL_CHILD_TABLES: tuple[str, ...] = (
    "IDS603PresentingComplaints",
    "IDS602LongTermCondition",
    "IDS105OnwardReferral",
    "IDS108WaitingTimePauses",
)
SESSION_COLUMNS: tuple[str, ...] = (
    "CareContactId", "CareContDate", "CareContTime", "AppType", "AttendOrDNACode", "ConsMechanism",
    "ClinContDurOfCareCont",
)
REFERRAL_ID_PREFIX = "R"
REFERRAL_ID_DIGITS = 6

Row = dict[str, Any]


@dataclass
class ReferralRecord:
    referral: Row  # IDS101Referral columns
    counsellor_id: str | None  # app_referral.CarePersLocalId
    children: dict[str, list[Row]] = field(default_factory=dict)
    is_new: bool = False

    @property
    def service_request_id(self) -> str:
        return str(self.referral["ServiceRequestId"])

    def copy(self) -> ReferralRecord:
        return copy.deepcopy(self)


@dataclass(frozen=True)
class ReferralSummary:
    service_request_id: str
    received: str
    discharged: str
    counsellor: str
    sessions: int

    @property
    def title(self) -> str:
        state = f"discharged {self.discharged}" if self.discharged else "open"
        return f"Referral {self.service_request_id} — received {self.received or '?'}, {state}"


def next_service_request_id(db: Database) -> str:
    row = db.execute(
        "SELECT max(CAST(substr(ServiceRequestId, 2) AS INTEGER)) FROM IDS101Referral WHERE ServiceRequestId GLOB ?",
        [REFERRAL_ID_PREFIX + "[0-9]*"],
    ).fetchone()
    return f"{REFERRAL_ID_PREFIX}{(row[0] or 0) + 1:0{REFERRAL_ID_DIGITS}d}"


def counsellors(db: Database) -> list[tuple[str, str]]:
    """(CarePersLocalId, display name) of active staff, by name."""
    rows = db.execute(
        "SELECT CarePersLocalId, display_name FROM app_care_personnel WHERE active = 1 ORDER BY display_name"
    ).fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


def list_referrals(db: Database, viewer: User, local_patient_id: str) -> list[ReferralSummary]:
    """The patient's referrals ``viewer`` may see (a counsellor: the ones they hold), open ones first."""
    rows = db.execute(
        """SELECT r.ServiceRequestId, coalesce(r.ReferralRequestReceivedDate, ''), coalesce(r.ServDischDate, ''),
                  coalesce(cp.display_name, ''),
                  (SELECT count(*) FROM IDS201CareContact c WHERE c.ServiceRequestId = r.ServiceRequestId)
           FROM IDS101Referral r
           LEFT JOIN app_referral a ON a.ServiceRequestId = r.ServiceRequestId
           LEFT JOIN app_care_personnel cp ON cp.CarePersLocalId = a.CarePersLocalId
           WHERE r.LocalPatientId = ?
           ORDER BY r.ServDischDate IS NOT NULL, r.ReferralRequestReceivedDate DESC, r.ServiceRequestId DESC""",
        [local_patient_id],
    ).fetchall()
    return [ReferralSummary(*row) for row in rows if referral_visible(db, viewer, row[0])]


def new_referral_record(
    db: Database, local_patient_id: str, counsellor_id: str | None, today: dt.date | None = None
) -> ReferralRecord:
    referral: Row = dict.fromkeys(table("IDS101Referral").column_names)
    referral["ServiceRequestId"] = next_service_request_id(db)
    referral["LocalPatientId"] = local_patient_id
    referral["OrgIDComm"] = get_setting(db, "default_commissioner") or None
    referral["ReferralRequestReceivedDate"] = (today or dt.date.today()).isoformat()
    children: dict[str, list[Row]] = {name: [] for name in REFERRAL_CHILD_TABLES}
    return ReferralRecord(referral, counsellor_id, children, is_new=True)


def load_referral(db: Database, viewer: User, service_request_id: str) -> ReferralRecord | None:
    """The whole referral, or None when there is none; AccessDenied unless ``viewer`` may see it."""
    referral = get_row(db, "IDS101Referral", service_request_id)
    if referral is None:
        return None
    require_referral_visible(db, viewer, service_request_id)
    assignment = get_row(db, "app_referral", service_request_id) or {}
    children = {name: load_child_rows(db, name, service_request_id) for name in REFERRAL_CHILD_TABLES}
    return ReferralRecord(referral, assignment.get("CarePersLocalId"), children)


def load_sessions(db: Database, viewer: User, service_request_id: str) -> list[Row]:
    require_referral_visible(db, viewer, service_request_id)
    cursor = db.execute(
        f"SELECT {', '.join(SESSION_COLUMNS)} FROM IDS201CareContact WHERE ServiceRequestId = ? "
        "ORDER BY CareContDate, CareContTime, CareContactId",
        [service_request_id],
    )
    return [dict(zip(SESSION_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def save_referral(db: Database, actor: User, record: ReferralRecord, original: ReferralRecord | None) -> str:
    key = record.service_request_id
    values = {k: (v if v != "" else None) for k, v in record.referral.items()}
    with db.atomic():
        if original is None or record.is_new:
            save_row(db, actor, "IDS101Referral", values)
            save_row(db, actor, "app_referral", {"ServiceRequestId": key, "CarePersLocalId": record.counsellor_id})
        else:
            changed = {k: v for k, v in values.items() if k != "ServiceRequestId" and original.referral.get(k) != v}
            if changed:
                save_row(db, actor, "IDS101Referral", changed, key=key)
            if get_row(db, "app_referral", key) is None:
                save_row(db, actor, "app_referral", {"ServiceRequestId": key, "CarePersLocalId": record.counsellor_id})
            elif original.counsellor_id != record.counsellor_id:
                save_row(db, actor, "app_referral", {"CarePersLocalId": record.counsellor_id}, key=key)
        for name in REFERRAL_CHILD_TABLES:
            before = [] if original is None or record.is_new else original.children.get(name, [])
            save_child_rows(db, actor, name, key, record.children.get(name, []), before)
    return key


def referral_scores(
    db: Database, viewer: User, service_request_id: str, tools: tuple[str, ...]
) -> list[tuple[dt.date, str, float]]:
    """(date, tool code, score) of the referral's scores for the given tools, from sessions and the referral."""
    require_referral_visible(db, viewer, service_request_id)
    marks = ", ".join("?" for _ in tools)
    rows = db.execute(
        f"""SELECT c.CareContDate, s.CodedAssToolType, s.PersScore
            FROM IDS201CareContact c
            JOIN IDS202CareActivity a ON a.CareContactId = c.CareContactId
            JOIN IDS607CodedScoreAssessmentAct s ON s.CareActId = a.CareActId
            WHERE c.ServiceRequestId = ? AND s.CodedAssToolType IN ({marks})
            UNION ALL
            SELECT r.AssToolCompDate, r.CodedAssToolType, r.PersScore
            FROM IDS606CodedScoreAssessmentRefer r
            WHERE r.ServiceRequestId = ? AND r.CodedAssToolType IN ({marks})""",
        [service_request_id, *tools, service_request_id, *tools],
    ).fetchall()
    points = []
    for day, tool, score in rows:
        try:
            points.append((dt.date.fromisoformat(str(day)), str(tool), float(score)))
        except (TypeError, ValueError):
            continue
    return sorted(points)
