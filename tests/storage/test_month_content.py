"""Which rows a month's file carries (docs/submission.md): boundaries, discharges, parents, as-at values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlite_utils import Database

from iapt_desktop.domain.dataset import tables
from iapt_desktop.storage.month_content import (
    CONTENT_RULES,
    activity_left_out,
    month_content,
    month_rows,
    peq_tool_codes,
)
from tests.month_data import add_contact, add_patient, add_referral, add_staff, set_provider

CREATED = dt.datetime(2025, 5, 3, 9, 15, 42)

# Date columns that say when an activity row happened; never outside the period.
ACTIVITY_DATES = {
    "IDS201CareContact": "CareContDate",
    "IDS606CodedScoreAssessmentRefer": "AssToolCompDate",
    "IDS105OnwardReferral": "OnwardReferDate",
}


def _ids(rows: list[dict[str, object]], column: str) -> list[object]:
    return [row[column] for row in rows]


def _service(db: Database) -> None:
    set_provider(db)
    add_staff(db)
    for serial, patient in enumerate(["P1", "P2", "P3", "P4", "P5"], start=1):
        add_patient(db, patient, serial)
    add_referral(db, "R1", "P1", "2025-03-10")  # open, contacts around the April boundaries
    add_contact(db, "C-MAR31", "R1", "2025-03-31")
    add_contact(db, "C-APR01", "R1", "2025-04-01")
    add_contact(db, "C-APR30", "R1", "2025-04-30")
    add_contact(db, "C-MAY01", "R1", "2025-05-01")
    add_referral(db, "R2", "P2", "2025-01-10", "2025-03-20")  # discharged before April, follow-up in April
    add_contact(db, "C-FOLLOW", "R2", "2025-04-15", AppType="06")
    add_referral(db, "R3", "P3", "2025-01-10", "2025-03-20")  # discharged before April, nothing in April
    add_referral(db, "R4", "P4", "2025-05-02")  # received after April
    add_referral(db, "R5", "P5", "2025-02-01", "2025-05-10")  # discharged after April: open at the end
    db.table("IDS606CodedScoreAssessmentRefer").insert_all([
        {"ServiceRequestId": "R5", "CodedAssToolType": "720433000", "PersScore": "9",
         "AssToolCompDate": day, "AssToolCompTime": "09:00:00"}
        for day in ("2025-03-31", "2025-04-01", "2025-04-30", "2025-05-01")
    ])


def test_every_table_is_present_in_data_set_order_with_data_set_columns(db: Database) -> None:
    _service(db)
    rows = month_rows(db, "2025-04", created_at=CREATED)
    assert list(rows) == list(tables())
    for name, table_rows in rows.items():
        for row in table_rows:
            assert tuple(row) == tables()[name].column_names
            assert not any(column.startswith("app_") for column in row)
    assert {rule.table for rule in CONTENT_RULES} == set(tables()) - {"IDS000Header"}


def test_header_row(db: Database) -> None:
    _service(db)
    (header,) = month_rows(db, "2025-04", created_at=CREATED)["IDS000Header"]
    assert header == {
        "DatSetVer": "2.1", "OrgIDProv": "AB1", "OrgIDSubmit": "AB1", "PrimSystemInUse": "IAPT Desktop",
        "ReportingPeriodStartDate": "2025-04-01", "ReportingPeriodEndDate": "2025-04-30",
        "DateTimeDatSetCreate": "2025-05-03 09:15:42",
    }


def test_contacts_on_the_first_and_last_day_are_in_and_the_next_month_is_out(db: Database) -> None:
    _service(db)
    rows = month_rows(db, "2025-04", created_at=CREATED)
    assert _ids(rows["IDS201CareContact"], "CareContactId") == ["C-APR01", "C-APR30", "C-FOLLOW"]
    assert _ids(rows["IDS202CareActivity"], "CareActId") == ["C-APR01-A", "C-APR30-A", "C-FOLLOW-A"]
    assert _ids(rows["IDS607CodedScoreAssessmentAct"], "CareActId") == ["C-APR01-A", "C-APR30-A", "C-FOLLOW-A"]
    scores = rows["IDS606CodedScoreAssessmentRefer"]
    assert _ids(scores, "AssToolCompDate") == ["2025-04-01", "2025-04-30"]


def test_referrals_in_the_file(db: Database) -> None:
    _service(db)
    rows = month_rows(db, "2025-04", created_at=CREATED)
    # R2 discharged before April with a follow-up in April: in (IDS10129); R3 without activity: out;
    # R4 received after April: out.
    assert _ids(rows["IDS101Referral"], "ServiceRequestId") == ["R1", "R2", "R5"]
    assert _ids(rows["IDS001MPI"], "LocalPatientId") == ["P1", "P2", "P5"]
    assert _ids(rows["IDS002GP"], "LocalPatientId") == ["P1", "P2", "P5"]


def test_a_discharge_after_the_period_end_is_sent_empty_with_its_end_code(db: Database) -> None:
    _service(db)
    rows = {r["ServiceRequestId"]: r for r in month_rows(db, "2025-04", created_at=CREATED)["IDS101Referral"]}
    assert rows["R5"]["ServDischDate"] is None and rows["R5"]["EndCode"] is None
    assert rows["R2"]["ServDischDate"] == "2025-03-20" and rows["R2"]["EndCode"] == "10"
    may = {r["ServiceRequestId"]: r for r in month_rows(db, "2025-05", created_at=CREATED)["IDS101Referral"]}
    assert may["R5"]["ServDischDate"] == "2025-05-10"


def test_activity_rows_are_never_dated_outside_the_period_and_parents_are_present(db: Database) -> None:
    _service(db)
    for month in ("2025-03", "2025-04", "2025-05"):
        rows = month_rows(db, month, created_at=CREATED)
        start, end = rows["IDS000Header"][0]["ReportingPeriodStartDate"], rows["IDS000Header"][0][
            "ReportingPeriodEndDate"]
        for name, column in ACTIVITY_DATES.items():
            assert all(start <= str(row[column]) <= end for row in rows[name]), (month, name)
        assert_parents_present(rows)


def assert_parents_present(rows: dict[str, list[dict[str, object]]]) -> None:
    """Every row's parent is in the file, and every referenced staff member has an IDS902 row."""
    for name, definition in tables().items():
        if definition.parent is None:
            continue
        parent = tables()[definition.parent]
        parent_keys = {row[parent.primary_key[0]] for row in rows[definition.parent]}
        missing = [row for row in rows[name] if row[definition.parent_column] not in parent_keys]
        assert not missing, f"{name} rows without their {definition.parent} row"
    staff = {row["CarePersLocalId"] for row in rows["IDS902CarePersQual"]}
    for name in ("IDS202CareActivity", "IDS205InternetTherLog"):
        assert {row["CarePersLocalId"] for row in rows[name]} - {None} <= staff


def test_staff_rows_follow_the_activities_in_the_file(db: Database) -> None:
    _service(db)
    add_staff(db, "S2")  # no activity
    add_staff(db, "S3", QualAwardedDate=None, QualPlannedCompletionDate="2025-01-31")  # planned before April
    add_contact(db, "C-S3", "R1", "2025-04-10", staff="S3")
    rows = month_rows(db, "2025-04", created_at=CREATED)
    assert _ids(rows["IDS902CarePersQual"], "CarePersLocalId") == ["S1"]
    add_staff(db, "S4", level="11", QualAwardedDate="2025-06-01", QualPlannedCompletionDate="2025-06-30")
    add_contact(db, "C-S4", "R1", "2025-04-11", staff="S4")
    rows = month_rows(db, "2025-04", created_at=CREATED)
    s4 = [row for row in rows["IDS902CarePersQual"] if row["CarePersLocalId"] == "S4"]
    assert s4 == [{"CarePersLocalId": "S4", "QualAttainLevelIAPT": "11", "QualAwardedDate": None,
                   "QualPlannedCompletionDate": "2025-06-30"}]


def test_patient_rows_with_recorded_dates_after_the_period_end_are_left_out(db: Database) -> None:
    _service(db)
    db.table("IDS011SocPerCircumstances").insert_all([
        {"LocalPatientId": "P1", "SocPerCircumstance": "160549006", "SocPerCircumstanceRecDate": "2025-04-30"},
        {"LocalPatientId": "P1", "SocPerCircumstance": "160550006", "SocPerCircumstanceRecDate": "2025-05-01"},
    ])
    db.table("IDS002GP").insert_all([
        {"LocalPatientId": "P2", "GMPCodeReg": "B86002", "StartDateGMPRegistration": "2001-01-01",
         "EndDateGMPRegistration": "2009-12-31"},  # ended before April: out
    ])
    db.table("IDS108WaitingTimePauses").insert_all([
        {"PauseID": "1", "ServiceRequestId": "R1", "PauseStartDate": "2025-03-20", "PauseEndDate": "2025-03-31"},
        {"PauseID": "2", "ServiceRequestId": "R1", "PauseStartDate": "2025-04-20", "PauseEndDate": "2025-05-05"},
        {"PauseID": "3", "ServiceRequestId": "R1", "PauseStartDate": "2025-05-20"},
    ])
    rows = month_rows(db, "2025-04", created_at=CREATED)
    assert _ids(rows["IDS011SocPerCircumstances"], "SocPerCircumstanceRecDate") == ["2025-04-30"]
    assert [r["GMPCodeReg"] for r in rows["IDS002GP"] if r["LocalPatientId"] == "P2"] == ["B86001"]
    assert [(r["PauseID"], r["PauseEndDate"]) for r in rows["IDS108WaitingTimePauses"]] == [("2", None)]


def test_month_rows_leaves_no_temporary_tables_and_can_run_twice(db: Database) -> None:
    _service(db)
    first = month_rows(db, "2025-04", created_at=CREATED)
    assert month_rows(db, "2025-04", created_at=CREATED) == first
    assert db.execute("SELECT count(*) FROM sqlite_temp_master").fetchone()[0] == 0


def test_a_discharged_referral_comes_in_only_with_a_follow_up_appointment_or_a_peq(db: Database) -> None:
    _service(db)
    for serial, patient in enumerate(["P6", "P7", "P8"], start=6):
        add_patient(db, patient, serial)
        add_referral(db, f"R{serial}", patient, "2025-01-10", "2025-03-20")
    add_contact(db, "C-TREAT", "R6", "2025-04-15")  # a treatment appointment (AppType 02) does not bring it in
    scores = [("R7", "747891000000106"), ("R8", "720433000")]  # a PEQ does; a PHQ-9 does not
    db.table("IDS606CodedScoreAssessmentRefer").insert_all([
        {"ServiceRequestId": referral, "CodedAssToolType": tool, "PersScore": "3", "AssToolCompDate": "2025-04-10",
         "AssToolCompTime": "09:00:00"} for referral, tool in scores])
    assert "747891000000106" in peq_tool_codes()
    rows = month_rows(db, "2025-04", created_at=CREATED)
    assert _ids(rows["IDS101Referral"], "ServiceRequestId") == ["R1", "R2", "R5", "R7"]
    assert activity_left_out(db, "2025-04") == {"IDS201CareContact": 1, "IDS606CodedScoreAssessmentRefer": 1}


def test_activity_of_a_referral_not_in_the_file_is_counted_as_left_out(db: Database) -> None:
    _service(db)
    add_contact(db, "C-EARLY", "R4", "2025-04-20")  # R4 was received in May: the contact cannot be sent
    db.table("IDS105OnwardReferral").insert({"ServiceRequestId": "R3", "OnwardReferDate": "2025-04-02",
                                             "OnwardReferTime": "10:00:00", "OnwardReferReason": "01"})
    assert activity_left_out(db, "2025-04") == {"IDS201CareContact": 1, "IDS105OnwardReferral": 1}
    assert activity_left_out(db, "2025-03") == {}
    rows = month_rows(db, "2025-04", created_at=CREATED)
    assert "C-EARLY" not in _ids(rows["IDS201CareContact"], "CareContactId")
    for period in ("2025-03", "2025-04"):  # the submission's one-pass collection gives the same
        both = month_content(db, period, created_at=CREATED)
        assert both.rows == month_rows(db, period, created_at=CREATED)
        assert both.left_out == activity_left_out(db, period)


def test_every_inclusion_rule_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "submission.md").read_text(encoding="utf-8")
    for rule in CONTENT_RULES:
        assert f"| `{rule.table}` | {rule.explanation} | {rule.sources} |" in doc, rule.table


def test_month_rows_works_inside_a_callers_transaction(db: Database) -> None:
    _service(db)
    outside = month_rows(db, "2025-04", created_at=CREATED)
    with db.atomic():
        db.execute("UPDATE IDS201CareContact SET ClinContDurOfCareCont = 30 WHERE CareContactId = 'C-APR01'")
        inside = month_rows(db, "2025-04", created_at=CREATED)
    assert inside["IDS201CareContact"][0]["ClinContDurOfCareCont"] == 30
    assert inside["IDS101Referral"] == outside["IDS101Referral"]
    assert db.execute("SELECT ClinContDurOfCareCont FROM IDS201CareContact WHERE CareContactId = 'C-APR01'"
                      ).fetchone()[0] == 30
