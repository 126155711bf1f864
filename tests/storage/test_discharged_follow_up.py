"""IDS10129 and the month's content agree on what brings a referral discharged before the period in.

One definition (domain.discharged_follow_up) serves both: a referral the month's content leaves out is
one the rule would reject if it were sent, and one it brings in is one the rule accepts.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from iapt_desktop.domain.discharged_follow_up import is_follow_up_appointment, peq_tool_codes
from iapt_desktop.storage.month_content import activity_left_out, month_rows
from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.engine import ValidationResult, run_validation
from tests.month_data import add_contact, add_patient, add_referral, add_staff, set_provider

CREATED = dt.datetime(2025, 5, 3, 9, 0, 0)
DISCHARGED = "2025-03-20"  # before the April period
PHQ9 = "720433000"


def _discharged_service(db: Database) -> None:
    set_provider(db)
    add_staff(db)
    add_patient(db, "P0", 10)
    add_referral(db, "R-OPEN", "P0", "2025-02-01")
    add_contact(db, "C-OPEN", "R-OPEN", "2025-04-08")
    for serial, name in enumerate(("TREATMENT", "ASSESSMENT", "FOLLOW-UP", "FOLLOW-UP-MAY", "PEQ", "PHQ9", "NONE"),
                                  start=11):
        add_patient(db, f"P-{name}", serial)
        add_referral(db, f"R-{name}", f"P-{name}", "2025-01-10", DISCHARGED)
    add_contact(db, "C-TREATMENT", "R-TREATMENT", "2025-04-15")  # AppType 02 after the discharge
    add_contact(db, "C-ASSESSMENT", "R-ASSESSMENT", "2025-04-01", AppType="01")
    add_contact(db, "C-FOLLOW-UP", "R-FOLLOW-UP", "2025-04-30", AppType="06")  # last day of the period
    add_contact(db, "C-FOLLOW-UP-MAY", "R-FOLLOW-UP-MAY", "2025-05-01", AppType="06")  # first day after
    db.table("IDS606CodedScoreAssessmentRefer").insert_all([
        {"ServiceRequestId": referral, "CodedAssToolType": tool, "PersScore": "3", "AssToolCompDate": "2025-04-10",
         "AssToolCompTime": "09:00:00"} for referral, tool in (("R-PEQ", peq_tool_codes()[0]), ("R-PHQ9", PHQ9))])


def _as_if_sent(db: Database, rows: dict[str, list[dict[str, object]]], referral: str) -> None:
    """Add a left-out referral and its April contacts and scores to the file's rows, as if it were sent."""
    def fetch(sql: str) -> list[dict[str, object]]:
        cursor = db.execute(sql, [referral])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    rows["IDS101Referral"] += fetch("SELECT * FROM IDS101Referral WHERE ServiceRequestId = ?")
    rows["IDS201CareContact"] += fetch("SELECT * FROM IDS201CareContact WHERE ServiceRequestId = ? "
                                       "AND CareContDate BETWEEN '2025-04-01' AND '2025-04-30'")
    rows["IDS606CodedScoreAssessmentRefer"] += fetch(
        "SELECT * FROM IDS606CodedScoreAssessmentRefer WHERE ServiceRequestId = ?")


def _ids10129(rows: dict[str, list[dict[str, object]]]) -> set[str]:
    result = None
    for item in run_validation(rows, ValidationContext.for_month("2025-04", "AB1", "AB1", now=CREATED)):
        if isinstance(item, ValidationResult):
            result = item
    assert result is not None
    return {f.key for f in result.findings if f.rule == "IDS10129"}


def test_a_discharged_referral_is_in_the_file_exactly_when_ids10129_accepts_it(db: Database) -> None:
    _discharged_service(db)
    rows = month_rows(db, "2025-04", created_at=CREATED)
    sent = {str(r["ServiceRequestId"]) for r in rows["IDS101Referral"]}
    assert sent == {"R-OPEN", "R-FOLLOW-UP", "R-PEQ"}
    assert _ids10129(rows) == set()  # what the content sends, the rule accepts
    discharged = ["R-TREATMENT", "R-ASSESSMENT", "R-FOLLOW-UP-MAY", "R-PHQ9", "R-NONE"]
    for referral in discharged:
        _as_if_sent(db, rows, referral)
    assert _ids10129(rows) == set(discharged)  # what it leaves out, the rule would reject
    # the treatment and assessment contacts after the discharge are not sent, and the submission says so
    assert activity_left_out(db, "2025-04")["IDS201CareContact"] == 2


def test_the_follow_up_definition_is_the_follow_up_appointment_type_dated_in_the_period() -> None:
    contact = {"AppType": "06", "CareContDate": "2025-04-30"}
    assert is_follow_up_appointment(contact, "2025-04-01", "2025-04-30")
    assert not is_follow_up_appointment(contact | {"CareContDate": "2025-05-01"}, "2025-04-01", "2025-04-30")
    assert not is_follow_up_appointment(contact | {"AppType": "02"}, "2025-04-01", "2025-04-30")
    assert not is_follow_up_appointment(contact | {"CareContDate": None}, "2025-04-01", "2025-04-30")
