"""Engine semantics: file rejects, group rejects carrying their children, record rejects, warnings."""

from __future__ import annotations

import datetime as dt

from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.engine import run_validation, validate, validate_record
from iapt_desktop.validation.findings import REJECT_FILE, REJECT_GROUP, REJECT_RECORD, WARNING
from iapt_desktop.validation.progress import Progress
from tests.validation.month_rows import NOW, context, full_row, nhs_number, valid_month


def second_referral(month: dict) -> None:
    """Add referral R2 for P1 with one contact, activity and activity score."""
    month["IDS101Referral"].append(full_row("IDS101Referral", ServiceRequestId="R2", LocalPatientId="P1",
                                            OrgIDComm="15F", ReferralRequestReceivedDate="2025-04-02"))
    month["IDS201CareContact"].append(full_row("IDS201CareContact", CareContactId="C2", ServiceRequestId="R2",
                                               CareContDate="2025-04-09", AttendOrDNACode="5",
                                               IAPTLTCServiceInd="N", AppType="01"))
    month["IDS202CareActivity"].append(full_row("IDS202CareActivity", CareActId="A2", CareContactId="C2"))
    month["IDS607CodedScoreAssessmentAct"].append(
        full_row("IDS607CodedScoreAssessmentAct", CareActId="A2", CodedAssToolType="720433000", PersScore="4"))


def test_a_record_reject_drops_only_that_row() -> None:
    month = valid_month()
    month["IDS606CodedScoreAssessmentRefer"][0]["AssToolCompDate"] = "2025-03-31"
    result = validate(month, context())
    assert [(f.rule, f.severity, f.key) for f in result.findings] == [
        ("IDS60618", REJECT_RECORD,
         "ServiceRequestId=R1, CodedAssToolType=720433000, AssToolCompDate=2025-03-31, AssToolCompTime=10:00:00")]
    assert result.surviving["IDS606CodedScoreAssessmentRefer"] == []
    assert len(result.surviving["IDS201CareContact"]) == 1
    assert not result.rejects_file


def test_a_rejected_parent_carries_its_children_along() -> None:
    month = valid_month()
    second_referral(month)
    month["IDS101Referral"][1]["OrgIDComm"] = None  # a record reject of the referral
    result = validate(month, context())
    by_rule = {(f.rule, f.table, f.key) for f in result.findings}
    assert ("IDS10108", "IDS101Referral", "R2") in by_rule
    assert ("IDS20142", "IDS201CareContact", "C2") in by_rule  # contact without a valid referral
    assert ("IDS20224", "IDS202CareActivity", "A2") in by_rule
    assert ("IDS60708", "IDS607CodedScoreAssessmentAct", "CareActId=A2, CodedAssToolType=720433000") in by_rule
    carried = {(d.table, d.key): d.carried_by for d in result.dropped}
    assert carried[("IDS201CareContact", "C2")] == ("IDS101Referral", "R2")
    assert carried[("IDS202CareActivity", "A2")] == ("IDS201CareContact", "C2")
    assert [r["ServiceRequestId"] for r in result.surviving["IDS101Referral"]] == ["R1"]
    assert [r["CareContactId"] for r in result.surviving["IDS201CareContact"]] == ["C1"]
    assert not result.rejects_file


def test_a_duplicate_key_is_a_group_reject_of_every_copy_and_their_children() -> None:
    month = valid_month()
    month["IDS201CareContact"].append(dict(month["IDS201CareContact"][0]))
    result = validate(month, context())
    duplicates = [f for f in result.findings if f.rule == "IDS20143"]
    assert [f.severity for f in duplicates] == [REJECT_GROUP, REJECT_GROUP]
    assert result.surviving["IDS201CareContact"] == []
    assert result.surviving["IDS202CareActivity"] == []  # carried along with the contact
    assert {f.rule for f in result.findings} >= {"IDS20143", "IDS20224", "IDS60708"}


def test_a_patient_left_without_a_valid_referral_goes_with_all_its_rows() -> None:
    month = valid_month()
    month["IDS101Referral"][0]["ReferralRequestReceivedDate"] = "2025-05-02"
    result = validate(month, context())
    rules = {f.rule for f in result.findings}
    assert {"IDS10113", "IDS00146", "IDS00220", "IDS00401", "IDSREJ101"} <= rules
    assert all(rows == [] for name, rows in result.surviving.items() if name != "IDS000Header"
               and name != "IDS902CarePersQual")
    assert result.rejects_file  # IDSREJ101: all records failed


def test_a_file_reject_fails_the_file_but_every_problem_is_still_reported() -> None:
    month = valid_month()
    month["IDS001MPI"][0]["NHSNumber"] = nhs_number(1)[:9] + "0" if not nhs_number(1).endswith("0") else "9990000000"
    month["IDS201CareContact"][0]["AttendOrDNACode"] = "9"
    result = validate(month, context())
    assert result.rejects_file
    assert {("IDSREJ006", REJECT_FILE), ("IDS20128", REJECT_RECORD)} <= {(f.rule, f.severity) for f in result.findings}
    assert all(rows == [] for rows in result.loaded.values())
    assert result.surviving["IDS001MPI"]  # the patient row itself is not dropped, the file is


def test_warnings_keep_the_row() -> None:
    month = valid_month()
    month["IDS001MPI"][0]["Gender"] = "7"
    result = validate(month, context())
    assert [(f.rule, f.severity, f.field, f.value) for f in result.findings] == [("IDS00131", WARNING, "Gender", "7")]
    assert result.surviving["IDS001MPI"] == month["IDS001MPI"]


def test_findings_export_exactly_the_agreed_keys() -> None:
    month = valid_month()
    month["IDS001MPI"][0]["Gender"] = "7"
    finding = validate(month, context()).findings[0]
    assert list(finding.as_json()) == ["rule", "severity", "table", "key", "field", "value", "message"]
    assert finding.as_json()["key"] == "P1"


def test_progress_is_reported_and_the_result_comes_last() -> None:
    items = list(run_validation(valid_month(), context()))
    progress = [i for i in items[:-1] if isinstance(i, Progress)]
    assert len(progress) == len(items) - 1
    assert progress[-1].done == progress[-1].total
    assert [p.done for p in progress] == sorted(p.done for p in progress)


def test_validate_record_checks_one_row_with_its_parents() -> None:
    ctx = ValidationContext.for_database("RX1", "RX1", NOW)
    contact = valid_month()["IDS201CareContact"][0] | {"CareContDate": "2025-03-01", "AppType": "99"}
    referral = valid_month()["IDS101Referral"][0]
    found = validate_record("IDS201CareContact", contact, ctx, {"IDS101Referral": referral})
    assert {f.rule for f in found} == {"IDS20156", "IDS20171"}  # bad AppType; before the referral date
    # without the referral row the comparison with it is skipped
    assert {f.rule for f in validate_record("IDS201CareContact", contact, ctx)} == {"IDS20156"}
    assert validate_record("IDS201CareContact", valid_month()["IDS201CareContact"][0], ctx) == []


def test_whole_database_mode_skips_month_file_rules_and_flags_future_dates() -> None:
    month = valid_month()
    del month["IDS000Header"]
    month["IDS201CareContact"][0]["CareContDate"] = "2024-01-10"  # long ago: fine for the database
    month["IDS606CodedScoreAssessmentRefer"][0]["AssToolCompDate"] = "2026-01-10"  # in the future
    ctx = ValidationContext.for_database("RX1", "RX1", dt.datetime(2025, 6, 15, 12, 0))
    result = validate(month, ctx)
    rules = {f.rule for f in result.findings}
    assert "IDS60610" in rules  # after the end of the current month
    assert not rules & {"IDS20170", "IDSREJ002", "IDSREJ012", "IDSREJ015"}
    assert "IDS20171" in rules  # still before its referral's date (2025-03-15)


def test_a_stored_patient_without_referral_is_only_a_problem_in_a_file() -> None:
    month = valid_month()
    month["IDS001MPI"].append(full_row("IDS001MPI", **(month["IDS001MPI"][0] | {"LocalPatientId": "P2",
                                                                                   "NHSNumber": nhs_number(40)})))
    month["IDS002GP"].append(full_row("IDS002GP", LocalPatientId="P2", GMPCodeReg="B86012"))
    in_file = {f.rule for f in validate(month, context()).findings}
    assert in_file == {"IDS00146", "IDS00220"}  # the patient goes, its GP row with it
    del month["IDS000Header"]
    in_database = {f.rule for f in validate(month, ValidationContext.for_database("RX1", "RX1", NOW)).findings}
    assert in_database == set()


def test_context_codes_are_normalised_as_the_header_carries_them() -> None:
    ctx = ValidationContext.for_month("2025-04", " rx1 ", "", NOW)
    assert (ctx.provider_code, ctx.submitter_code) == ("RX1", "RX1")
    assert validate(valid_month(), ctx).findings == ()
