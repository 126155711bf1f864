"""A patient with everything the data set carries about them, loaded and saved as one record.

``IDS001MPI`` plus name and contact details (``app_patient``, never exported) and
the rows below the patient: GP registration, accommodation, employment,
disabilities, social and personal circumstances, overseas visitor category and
previous diagnoses.  A save is one transaction through ``record_writes``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.access import User
from iapt_desktop.domain.dataset import table
from iapt_desktop.storage.child_rows import load_child_rows, save_child_rows
from iapt_desktop.storage.record_visibility import require_patient_visible
from iapt_desktop.storage.record_writes import get_row, save_row
from iapt_desktop.storage.settings_store import get_setting

PATIENT_CHILD_TABLES: tuple[str, ...] = (
    "IDS002GP",
    "IDS003AccommStatus",
    "IDS004EmpStatus",
    "IDS007DisabilityType",
    "IDS011SocPerCircumstances",
    "IDS012OverseasVisitorChargCat",
    "IDS601MedHistPrevDiag",
)
PERSON_COLUMNS: tuple[str, ...] = ("given_name", "family_name", "preferred_name", "address", "phone", "email")
LOCAL_ID_PREFIX = "P"
LOCAL_ID_DIGITS = 6

Row = dict[str, Any]


@dataclass
class PatientRecord:
    mpi: Row  # IDS001MPI columns
    person: Row  # app_patient columns (name and contact details)
    children: dict[str, list[Row]] = field(default_factory=dict)
    is_new: bool = False

    @property
    def local_patient_id(self) -> str:
        return str(self.mpi["LocalPatientId"])

    def copy(self) -> PatientRecord:
        return copy.deepcopy(self)


def next_local_patient_id(db: Database) -> str:
    """P + zero-padded number, one more than the highest such id in use (never reused while it exists)."""
    row = db.execute(
        "SELECT max(CAST(substr(LocalPatientId, 2) AS INTEGER)) FROM IDS001MPI "
        "WHERE LocalPatientId GLOB ? ",
        [LOCAL_ID_PREFIX + "[0-9]*"],
    ).fetchone()
    return f"{LOCAL_ID_PREFIX}{(row[0] or 0) + 1:0{LOCAL_ID_DIGITS}d}"


def new_patient_record(db: Database) -> PatientRecord:
    mpi: Row = dict.fromkeys(table("IDS001MPI").column_names)
    mpi["LocalPatientId"] = next_local_patient_id(db)
    mpi["OrgIDLocalPatientId"] = get_setting(db, "provider_ods") or None
    person: Row = dict.fromkeys(PERSON_COLUMNS, "")
    return PatientRecord(mpi, person, {name: [] for name in PATIENT_CHILD_TABLES}, is_new=True)


def load_patient(db: Database, viewer: User, local_patient_id: str) -> PatientRecord | None:
    """The whole record, or None when there is no such patient.

    Raises AccessDenied unless ``viewer`` may see it: a counsellor only the patients on their own caseload
    (storage.record_visibility), the other roles every patient."""
    mpi = get_row(db, "IDS001MPI", local_patient_id)
    if mpi is None:
        return None
    require_patient_visible(db, viewer, local_patient_id)
    stored = get_row(db, "app_patient", local_patient_id) or {}
    person = {name: stored.get(name) or "" for name in PERSON_COLUMNS}
    children = {name: load_child_rows(db, name, local_patient_id) for name in PATIENT_CHILD_TABLES}
    return PatientRecord(mpi, person, children)


def save_patient(db: Database, actor: User, record: PatientRecord, original: PatientRecord | None) -> str:
    """Insert or update the whole record in one transaction; returns the local patient id."""
    key = record.local_patient_id
    mpi = {k: (v if v != "" else None) for k, v in record.mpi.items()}
    with db.atomic():
        if original is None or record.is_new:
            save_row(db, actor, "IDS001MPI", mpi)
            save_row(db, actor, "app_patient", {"LocalPatientId": key, **record.person})
        else:
            changed = {k: v for k, v in mpi.items() if k != "LocalPatientId" and original.mpi.get(k) != v}
            if changed:
                save_row(db, actor, "IDS001MPI", changed, key=key)
            person_changed = {k: v for k, v in record.person.items() if original.person.get(k) != v}
            if get_row(db, "app_patient", key) is None:
                save_row(db, actor, "app_patient", {"LocalPatientId": key, **record.person})
            elif person_changed:
                save_row(db, actor, "app_patient", person_changed, key=key)
        for name in PATIENT_CHILD_TABLES:
            before = [] if original is None or record.is_new else original.children.get(name, [])
            save_child_rows(db, actor, name, key, record.children.get(name, []), before)
    return key
