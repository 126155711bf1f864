"""Row-level access: a counsellor changes only their own caseload.

:func:`require_record_access` is called by storage/record_writes.py for every
save and delete, after the role check (domain/access.py).  A row belongs to a
caseload through its referral (``app_referral.CarePersLocalId``); rows that
hang off a patient rather than a referral belong to every counsellor holding
one of that patient's referrals.  A patient with no referral yet (just being
registered) may be edited by any counsellor.  Staff, settings, header and
user rows are not caseload rows: they need the settings or users permission.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.access import AccessDenied, Action, User, require
from iapt_desktop.domain.dataset import ROW_ID, tables

# Tables that are not anyone's caseload, and the permission they need.
ADMINISTRATIVE_TABLES: dict[str, Action] = {
    "app_user": Action.MANAGE_USERS,
    "app_care_personnel": Action.MANAGE_SETTINGS,
    "app_setting": Action.MANAGE_SETTINGS,
    "IDS000Header": Action.MANAGE_SETTINGS,
    "IDS902CarePersQual": Action.MANAGE_SETTINGS,
}

_OUTSIDE = "{name} may only change records of referrals on their own caseload."


def _row(db: Database, table: str, column: str, value: Any) -> dict[str, Any] | None:
    cursor = db.execute(f"SELECT * FROM [{table}] WHERE [{column}] = ?", [value])
    found = cursor.fetchone()
    return dict(zip([d[0] for d in cursor.description], found, strict=True)) if found else None


def owner(db: Database, table: str, row: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(LocalPatientId, ServiceRequestId) a row belongs to, walking up the data set hierarchy."""
    if table == "app_questionnaire_answer":
        score = _row(db, str(row.get("score_table")), ROW_ID, row.get("score_row_id"))
        return owner(db, str(row.get("score_table")), score) if score else (None, None)
    if table in ("app_patient", "IDS001MPI"):
        return row.get("LocalPatientId"), None
    if table in ("app_referral", "IDS101Referral"):
        referral = row.get("ServiceRequestId")
        stored = _row(db, "IDS101Referral", "ServiceRequestId", referral)
        patient = row.get("LocalPatientId") or (stored or {}).get("LocalPatientId")
        return patient, referral
    current, values = table, row
    while True:
        definition = tables().get(current)
        if definition is None or definition.parent is None or definition.parent_column is None:
            return None, None
        parent_key = values.get(definition.parent_column)
        if definition.parent == "IDS101Referral":
            return owner(db, "IDS101Referral", {"ServiceRequestId": parent_key})
        if definition.parent == "IDS001MPI":
            return parent_key, None
        parent = _row(db, definition.parent, tables()[definition.parent].storage_key, parent_key)
        if parent is None:
            return None, None
        current, values = definition.parent, parent


def referral_holder(db: Database, referral: str) -> str | None:
    found = db.execute("SELECT CarePersLocalId FROM app_referral WHERE ServiceRequestId = ?", [referral]).fetchone()
    return found[0] if found else None


def _holders(db: Database, patient: str) -> list[str | None]:
    """Who holds each of the patient's referrals (None: not assigned to anyone)."""
    return [row[0] for row in db.execute(
        "SELECT a.CarePersLocalId FROM IDS101Referral AS r "
        "LEFT JOIN app_referral AS a ON a.ServiceRequestId = r.ServiceRequestId WHERE r.LocalPatientId = ?",
        [patient])]


def _patient_is_theirs_or_new(db: Database, user: User, patient: str) -> bool:
    holders = _holders(db, patient)
    return not holders or user.care_personnel_id in holders


def _row_is_theirs(db: Database, user: User, table: str, row: Mapping[str, Any], *, new: bool) -> bool:
    if user.care_personnel_id is None:
        return False
    patient, referral = owner(db, table, row)
    if table == "app_referral":
        # Taking on a referral: onto their own caseload only, and not from a patient another counsellor sees.
        return (row.get("CarePersLocalId") == user.care_personnel_id and patient is not None
                and all(holder in (None, user.care_personnel_id) for holder in _holders(db, patient)))
    if referral is not None and not (new and table == "IDS101Referral"):
        return referral_holder(db, referral) == user.care_personnel_id
    if patient is not None:
        return _patient_is_theirs_or_new(db, user, patient)
    return False


def require_record_access(db: Database, user: User, table: str, key: Any = None,
                          values: Mapping[str, Any] | None = None) -> None:
    """Raise :class:`AccessDenied` unless ``user`` may write this row.

    ``key`` None: a new row with ``values``; else the existing row ``key``,
    changed by ``values`` (None for a delete).
    """
    if table in ADMINISTRATIVE_TABLES:
        require(user, ADMINISTRATIVE_TABLES[table])
        return
    if user.can(Action.EDIT_OTHERS_CASELOAD):
        return
    from iapt_desktop.storage.record_writes import get_row

    denied = AccessDenied(_OUTSIDE.format(name=user.display_name) + " Ask an administrator.")
    if key is None:
        if not _row_is_theirs(db, user, table, dict(values or {}), new=True):
            raise denied
        return
    existing = get_row(db, table, key)
    if existing is None:
        return  # the writer reports the missing row
    if table == "app_referral":
        if referral_holder(db, str(key)) != user.care_personnel_id:
            raise denied
        if values is not None and values.get("CarePersLocalId", user.care_personnel_id) != user.care_personnel_id:
            raise denied
        return
    if not _row_is_theirs(db, user, table, existing, new=False):
        raise denied
    if values and not _row_is_theirs(db, user, table, {**existing, **values}, new=False):
        raise denied
