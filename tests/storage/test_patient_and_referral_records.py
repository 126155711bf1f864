"""Loading and saving a whole patient / referral record: one transaction, audited, child rows diffed."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from iapt_desktop.domain.access import AccessDenied, Role, User
from iapt_desktop.storage import audit_log
from iapt_desktop.storage.patient_records import load_patient, new_patient_record, save_patient
from iapt_desktop.storage.referral_records import (
    list_referrals,
    load_referral,
    load_sessions,
    new_referral_record,
    save_referral,
)
from iapt_desktop.storage.settings_store import set_setting

ADMIN = User("admin", "Ada Admin", Role.ADMINISTRATOR)
READER = User("reader", "Rita Reader", Role.READ_ONLY)


def test_new_patients_get_the_next_local_id_and_the_provider_code(db: Database) -> None:
    set_setting(db, "provider_ods", "AB1")
    first = new_patient_record(db)
    assert first.local_patient_id == "P000001" and first.mpi["OrgIDLocalPatientId"] == "AB1"
    save_patient(db, ADMIN, first, None)
    db.execute("INSERT INTO IDS001MPI (LocalPatientId) VALUES ('IMPORTED-7')")
    assert new_patient_record(db).local_patient_id == "P000002"


def test_save_and_reload_with_child_rows_then_edit_and_remove(db: Database) -> None:
    record = new_patient_record(db)
    record.mpi["NHSNumber"] = "9990000018"
    record.person.update(family_name="Canary", given_name="Cal")
    record.children["IDS007DisabilityType"] = [{"DisabCode": "01"}, {"DisabCode": "04"}]
    record.children["IDS004EmpStatus"] = [{"EmployStatus": "01", "EmployStatusRecDate": "2025-04-01"}]
    key = save_patient(db, ADMIN, record, None)
    loaded = load_patient(db, ADMIN, key)
    assert loaded and loaded.person["family_name"] == "Canary" and loaded.mpi["NHSNumber"] == "9990000018"
    assert [r["DisabCode"] for r in loaded.children["IDS007DisabilityType"]] == ["01", "04"]

    edited = loaded.copy()
    edited.children["IDS007DisabilityType"] = [loaded.children["IDS007DisabilityType"][1]]
    edited.children["IDS004EmpStatus"][0]["EmployStatus"] = "02"
    edited.mpi["Postcode"] = "LS1 4AP"
    save_patient(db, ADMIN, edited, loaded)
    again = load_patient(db, ADMIN, key)
    assert again and [r["DisabCode"] for r in again.children["IDS007DisabilityType"]] == ["04"]
    assert again.children["IDS004EmpStatus"][0]["EmployStatus"] == "02" and again.mpi["Postcode"] == "LS1 4AP"
    actions = [(e.action, e.table_name) for e in audit_log.entries(db)]
    assert ("delete", "IDS007DisabilityType") in actions and ("change", "IDS001MPI") in actions
    assert audit_log.verify_chain(db) is None


def test_a_refused_save_leaves_nothing_behind(db: Database) -> None:
    record = new_patient_record(db)
    with pytest.raises(AccessDenied):
        save_patient(db, READER, record, None)
    assert db.execute("SELECT count(*) FROM IDS001MPI").fetchone()[0] == 0


def test_referral_round_trip_with_counsellor_and_complaints(db: Database) -> None:
    set_setting(db, "default_commissioner", "XYZ")
    db.execute("INSERT INTO app_care_personnel (CarePersLocalId, display_name) VALUES ('C1', 'Casey')")
    patient = new_patient_record(db)
    save_patient(db, ADMIN, patient, None)
    referral = new_referral_record(db, patient.local_patient_id, "C1")
    assert referral.referral["OrgIDComm"] == "XYZ" and referral.service_request_id == "R000001"
    referral.referral["SourceOfReferralIAPT"] = "B1"
    referral.children["IDS603PresentingComplaints"] = [{"FindSchemeInUse": "01", "PresComp": "F411"}]
    key = save_referral(db, ADMIN, referral, None)
    loaded = load_referral(db, ADMIN, key)
    assert loaded and loaded.counsellor_id == "C1" and loaded.referral["SourceOfReferralIAPT"] == "B1"
    assert loaded.children["IDS603PresentingComplaints"][0]["PresComp"] == "F411"
    db.execute("INSERT INTO IDS201CareContact (CareContactId, ServiceRequestId, CareContDate, AppType, "
               "AttendOrDNACode) VALUES ('C9', ?, '2025-05-01', '01', '5')", [key])
    [summary] = list_referrals(db, ADMIN, patient.local_patient_id)
    assert summary.counsellor == "Casey" and summary.sessions == 1
    assert load_sessions(db, ADMIN, key)[0]["CareContactId"] == "C9"
