"""Findings made pseudonymous: record keys of every form, identifying values, rows carried along."""

from __future__ import annotations

from iapt_desktop.interchange.pseudonymise import Pseudonymiser
from iapt_desktop.interchange.pseudonymised_reports import (
    pseudonymised_report,
    pseudonymised_row_key,
    pseudonymised_value,
)
from iapt_desktop.validation.engine import DroppedRow
from iapt_desktop.validation.findings import REJECT_FILE, REJECT_GROUP, WARNING, Finding
from iapt_desktop.validation.report import ValidationReport

KEY = bytes(range(32))
P = Pseudonymiser(KEY)


def test_keys_of_tables_with_their_own_key_become_that_ids_pseudonym() -> None:
    assert pseudonymised_row_key(P, "IDS001MPI", "PAT-0001") == P.identifier("LocalPatientId", "PAT-0001")
    assert pseudonymised_row_key(P, "IDS201CareContact", "CC-9") == P.identifier("CareContactId", "CC-9")
    assert pseudonymised_row_key(P, "IDS001MPI", "") == ""


def test_composite_keys_keep_their_codes_and_dates_and_hide_the_ids() -> None:
    key = "LocalPatientId=PAT-0001, DisabCode=04"
    assert pseudonymised_row_key(P, "IDS007DisabilityType", key) == (
        f"LocalPatientId={P.identifier('LocalPatientId', 'PAT-0001')}, DisabCode=04")
    score = "CareActId=ACT, 7, CodedAssToolType=445455005"  # an id holding ', ' stays one value
    assert pseudonymised_row_key(P, "IDS607CodedScoreAssessmentAct", score) == (
        f"CareActId={P.identifier('CareActId', 'ACT, 7')}, CodedAssToolType=445455005")
    header = "OrgIDProv=8JK01, ReportingPeriodStartDate=2025-04-01"
    assert pseudonymised_row_key(P, "IDS000Header", header) == header  # nothing identifies a person


def test_values_at_fault_are_pseudonymised_by_their_field() -> None:
    assert pseudonymised_value(P, "NHSNumber", "9999999990") == P.identifier("NHSNumber", "9999999990")
    assert pseudonymised_value(P, "Postcode", "LS1 4AP") == "LS1"
    assert pseudonymised_value(P, "Postcode", "XD32GG") == "XD3"  # only the district, valid or not
    assert pseudonymised_value(P, "Postcode", "NO POSTCODE") is None  # no inward part: nothing of it is kept
    assert pseudonymised_value(P, "PersonBirthDate", "1980-05-17") == "1980-05-01"
    assert pseudonymised_value(P, "AttendOrDNACode", "9") == "9"


def test_a_report_keeps_its_rules_and_counts_and_loses_its_identifiers() -> None:
    findings = (
        Finding("IDSREJ006", REJECT_FILE, "IDS001MPI", "PAT-0001", "NHSNumber", "9999999990", "Failed NHS Number Check",
                row_index=3, row_id=17),
        Finding("IDS60708", REJECT_GROUP, "IDS607CodedScoreAssessmentAct", "CareActId=ACT-1, CodedAssToolType=1",
                "CareActId", "ACT-1", "The activity was dropped"),
        Finding("IDS00107", WARNING, "IDS001MPI", "PAT-0001", "Postcode", "LS1 4AP", "Postcode"),
    )
    dropped = (DroppedRow("IDS202CareActivity", "ACT-1", "IDS20224", REJECT_GROUP,
                          carried_by=("IDS201CareContact", "CC-1")),)
    report = ValidationReport("2025-04", findings, dropped, {"IDS001MPI": [{"NHSNumber": "9999999990"}]}, True,
                              {"IDS001MPI": 1})
    hidden = pseudonymised_report(report, P)
    text = repr(hidden)
    for identifying in ("PAT-0001", "9999999990", "LS1 4AP", "ACT-1", "CC-1"):
        assert identifying not in text, identifying
    assert [f.rule for f in hidden.findings] == ["IDSREJ006", "IDS60708", "IDS00107"]
    assert hidden.counts_by_severity == report.counts_by_severity and hidden.rejects_file
    assert hidden.findings[0].row_index is None and hidden.findings[0].row_id is None
    assert hidden.surviving_rows == {}
    assert list(hidden.carried) == [("IDS201CareContact", P.identifier("CareContactId", "CC-1"))]
