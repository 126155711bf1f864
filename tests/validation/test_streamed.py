"""Streamed whole-database validation gives exactly the in-memory engine's findings and drops."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.access import SYSTEM_USER
from iapt_desktop.domain.demo_rows import DemoOptions
from iapt_desktop.jobs.demo_service import run_demo
from iapt_desktop.jobs.validate_period import organisation_codes, run_to_report, validate_database
from iapt_desktop.storage.all_rows import all_rows, stored_tables
from iapt_desktop.storage.database import open_database
from iapt_desktop.storage.validation_reads import StoredValidationTables
from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.engine import ValidationResult, validate
from iapt_desktop.validation.report import ValidationReport
from iapt_desktop.validation.streamed import run_streamed_validation

NOW = dt.datetime(2025, 6, 15, 12, 0)


def streamed(db: Database, context: ValidationContext, batch: int) -> ValidationResult:
    *_, result = run_streamed_validation(StoredValidationTables(db, batch), stored_tables(), context)
    assert isinstance(result, ValidationResult)
    return result


def assert_same_as_in_memory(db: Database) -> ValidationResult:
    context = ValidationContext.for_database(*organisation_codes(db), NOW)
    rows = all_rows(db)
    expected = validate(rows, context)
    for batch in (1000, 7, 1):  # verdicts, hashes and links carried from batch to batch
        result = streamed(db, context, batch)
        assert result.findings == expected.findings  # same order, keys, row indices and row ids
        assert result.dropped == expected.dropped
        assert result.rejects_file == expected.rejects_file
    report = run_to_report(validate_database(db, actor=SYSTEM_USER, now=NOW))
    assert report is not None
    old_report = ValidationReport.from_result("whole database", rows, expected)
    assert report.findings == old_report.findings
    assert report.dropped == old_report.dropped
    assert report.rows_checked == old_report.rows_checked
    assert report.surviving_rows == {}
    return expected


def first_row(db: Database, name: str, where: str = "1") -> dict[str, Any]:
    cursor = db.execute(f"SELECT * FROM [{name}] WHERE {where} LIMIT 1")
    names = [d[0] for d in cursor.description]
    found = cursor.fetchone()
    assert found is not None, f"no {name} row where {where}"
    return dict(zip(names, found, strict=True))


def copy_row(db: Database, name: str, where: str = "1", **changes: Any) -> None:
    row = first_row(db, name, where)
    row.pop("app_row_id", None)
    row.update(changes)
    db.table(name).insert(row)


def test_the_demo_with_planted_faults(tmp_path: Path) -> None:
    db = open_database(tmp_path / "faults.db")
    try:
        run_demo(db, DemoOptions(as_of=NOW.date(), patients=40, months=6, seed=11, with_faults=True))
        expected = assert_same_as_in_memory(db)
    finally:
        db.close()
    assert len(expected.findings) > 10 and expected.dropped and expected.rejects_file


def test_a_database_exercising_every_phase(tmp_path: Path) -> None:
    db = open_database(tmp_path / "phases.db")
    try:
        run_demo(db, DemoOptions(as_of=NOW.date(), patients=25, months=6, seed=3))
        db.execute("PRAGMA foreign_keys = OFF")
        with db.atomic():
            contact = first_row(db, "IDS201CareContact")
            activity = first_row(db, "IDS202CareActivity")
            # orphans three levels deep: contact without referral, its activity, the activity's score
            copy_row(db, "IDS201CareContact", ServiceRequestId="R-NONE", CareContactId="C-ORPHAN")
            copy_row(db, "IDS202CareActivity", CareContactId="C-ORPHAN", CareActId="A-ORPHAN",
                     CarePersLocalId="NOT-STAFF")
            copy_row(db, "IDS607CodedScoreAssessmentAct", CareActId="A-ORPHAN")
            # a row rule drops a referral; its contacts, activities and scores go with it
            db.execute("UPDATE IDS101Referral SET ReferralRequestReceivedDate = '2031-01-01' "
                       "WHERE ServiceRequestId = ?", [contact["ServiceRequestId"]])
            # a patient without a GP row: dropped by has_child, carrying their referrals along
            patient = first_row(db, "IDS001MPI", "LocalPatientId <> (SELECT LocalPatientId FROM IDS101Referral "
                                "WHERE ServiceRequestId = '" + contact["ServiceRequestId"] + "')")
            db.execute("DELETE FROM IDS002GP WHERE LocalPatientId = ?", [patient["LocalPatientId"]])
            # duplicates: NHS number (file rejected), keyless rows, blanks of different kinds
            copy_row(db, "IDS001MPI", LocalPatientId="P-TWIN", NHSNumber=patient["NHSNumber"])
            copy_row(db, "IDS002GP", f"LocalPatientId = '{activity_patient(db, activity)}'")
            copy_row(db, "IDS004EmpStatus", EmployStatusRecDate=None)
            copy_row(db, "IDS004EmpStatus", EmployStatusRecDate=None)
            copy_row(db, "IDS007DisabilityType", LocalPatientId="P-TWIN", DisabCode="04")
            copy_row(db, "IDS007DisabilityType", LocalPatientId="P-TWIN", DisabCode="04")
            copy_row(db, "IDS007DisabilityType", LocalPatientId="P-TWIN", DisabCode=" ")
            copy_row(db, "IDS007DisabilityType", LocalPatientId="P-TWIN", DisabCode=None)
            copy_row(db, "IDS007DisabilityType", LocalPatientId="P-TWIN", DisabCode="\u3000\t")
            # keys whose hashes collide (CPython: hash(-1) == hash(-2)) are not duplicates; equal ones are
            for duration in (-1, -2, -2):
                db.table("IDS205InternetTherLog").insert({
                    "ServiceRequestId": patient_referral(db, patient), "IntEnabledTherProg": "XX-COLLIDE",
                    "StartDateIntEnabledTherLog": "2024-12-01", "DurationIntEnabledTher": duration})
            # an attended contact without an activity; dates before the parent's dates
            copy_row(db, "IDS201CareContact", "ServiceRequestId <> 'R-NONE' ORDER BY rowid DESC",
                     CareContactId="C-ALONE", AttendOrDNACode="5")
            copy_row(db, "IDS201CareContact", CareContactId="C-EARLY", CareContDate="1990-01-01")
            copy_row(db, "IDS002GP", StartDateGMPRegistration="1900-01-01", GMPCodeReg="Y00001")
            last_activity = first_row(db, "IDS202CareActivity", "CareActId <> 'A-ORPHAN' ORDER BY rowid DESC")
            db.execute("UPDATE IDS202CareActivity SET CarePersLocalId = 'GONE' WHERE CareActId = ?",
                       [last_activity["CareActId"]])
            # ids too long for the data set: the patient's own and their GP row's (checked in both tables),
            # and a GP row of a patient not stored
            long_id = "P-" + "X" * 25
            copy_row(db, "IDS001MPI", LocalPatientId=long_id, NHSNumber=None)
            for blank in (" ", "\t"):  # distinct keys to SQLite, one blank key to the duplicate rule
                copy_row(db, "IDS001MPI", LocalPatientId=blank, NHSNumber=None)
            copy_row(db, "IDS002GP", LocalPatientId=long_id)
            copy_row(db, "IDS002GP", LocalPatientId="Q-" + "Y" * 25)
            # a referral missing its patient, and a contact of it: the cascade carries the contact along
            copy_row(db, "IDS101Referral", ServiceRequestId="R-LOST", LocalPatientId="P-NOBODY")
            copy_row(db, "IDS201CareContact", ServiceRequestId="R-LOST", CareContactId="C-LOST")
        expected = assert_same_as_in_memory(db)
    finally:
        db.close()
    rules = {finding.rule for finding in expected.findings}
    assert {"IDS20142", "IDS20224", "IDS60708", "IDS00145", "IDS10101", "IDSREJ009", "IDS00702",
            "IDS20169", "LOCAL-IDS202-01", "IDS20171"} <= rules, sorted(rules)
    assert any(row.carried_by for row in expected.dropped)
    assert ("IDS201CareContact", "C-LOST") in {(row.table, row.key) for row in expected.dropped}
    assert {"IDS00102", "IDS00202"} <= rules
    assert [f.key for f in expected.findings if f.rule == "IDSREJ010"] == ["\t", " "]
    assert len([f for f in expected.findings if f.rule == "IDS00202"]) == 2
    collided = [f for f in expected.findings if f.rule == "IDS20519" and "XX-COLLIDE" in f.key]
    assert len(collided) == 2  # the two rows with -2, not the one with -1


def activity_patient(db: Database, activity: dict[str, Any]) -> str:
    found = db.execute(
        "SELECT r.LocalPatientId FROM IDS201CareContact c JOIN IDS101Referral r USING (ServiceRequestId) "
        "WHERE c.CareContactId = ?", [activity["CareContactId"]]).fetchone()
    return str(found[0])


def patient_referral(db: Database, patient: dict[str, Any]) -> str:
    found = db.execute("SELECT ServiceRequestId FROM IDS101Referral WHERE LocalPatientId = ?",
                       [patient["LocalPatientId"]]).fetchone()
    return str(found[0])
