"""Where a validation finding's row lives in the app: which patient, referral, session or staff member.

The findings panel opens that record and puts the cursor in the field at
fault.  A finding names its row by the data set key ('P000001') or, for tables
without one, by its identity columns ('LocalPatientId=P000001, DisabCode=04',
see validation/row_keys.py); rows read for a whole-database check also carry
their ``app_row_id``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.dataset import ROW_ID, tables
from iapt_desktop.storage.record_access import owner

HEADER_TABLE = "IDS000Header"
STAFF_TABLE = "IDS902CarePersQual"
SESSION_TABLES = ("IDS201CareContact", "IDS202CareActivity", "IDS607CodedScoreAssessmentAct")


@dataclass(frozen=True)
class FindingRecord:
    """The record to open for a finding.  ``kind``: patient, referral, session, staff, settings or ''."""

    kind: str
    local_patient_id: str | None = None
    service_request_id: str | None = None
    care_contact_id: str | None = None
    care_personnel_id: str | None = None
    row_values: dict[str, str] = field(default_factory=dict)  # identity values of a listed row (to select it)


def parse_row_key(key: str) -> dict[str, str]:
    """'LocalPatientId=P1, DisabCode=04' -> {'LocalPatientId': 'P1', 'DisabCode': '04'}; {} for a plain key."""
    values: dict[str, str] = {}
    for part in key.split(", "):
        name, equals, value = part.partition("=")
        if not equals:
            return {}
        values[name.strip()] = value
    return values


def _row(db: Database, table: str, column: str, value: Any) -> dict[str, Any] | None:
    cursor = db.execute(f"SELECT * FROM [{table}] WHERE [{column}] = ?", [value])
    found = cursor.fetchone()
    return dict(zip([d[0] for d in cursor.description], found, strict=True)) if found else None


def _stored_row(db: Database, table: str, key: str, row_id: int | None) -> dict[str, Any] | None:
    definition = tables().get(table)
    if definition is None:
        return None
    if definition.has_own_key:
        return _row(db, table, definition.primary_key[0], key) if key else None
    if row_id is not None:
        found = _row(db, table, ROW_ID, row_id)
        if found is not None:
            return found
    parsed = parse_row_key(key)
    return dict(parsed) if parsed else None


def _care_contact(db: Database, table: str, row: dict[str, Any]) -> str | None:
    if table in ("IDS201CareContact", "IDS202CareActivity"):
        return row.get("CareContactId")
    activity = _row(db, "IDS202CareActivity", "CareActId", row.get("CareActId"))
    return activity.get("CareContactId") if activity else None


def locate_finding(db: Database, table: str, key: str, row_id: int | None = None) -> FindingRecord:
    """The record behind a finding; kind '' when it cannot be found (the row was deleted since)."""
    if table == HEADER_TABLE or not table:
        return FindingRecord("settings")
    if table == STAFF_TABLE:
        row = _stored_row(db, table, key, row_id) or {}
        return FindingRecord("staff", care_personnel_id=row.get("CarePersLocalId"))
    row = _stored_row(db, table, key, row_id)
    if row is None:
        return FindingRecord("")
    patient, referral = owner(db, table, row)
    if patient is None:
        return FindingRecord("")
    identity = {name: value for name, value in parse_row_key(key).items()}
    if table in SESSION_TABLES:
        contact = _care_contact(db, table, row)
        if contact is not None and referral is not None:
            return FindingRecord("session", patient, referral, contact, row_values=identity)
    if referral is not None:
        return FindingRecord("referral", patient, referral, row_values=identity)
    return FindingRecord("patient", patient, row_values=identity)
