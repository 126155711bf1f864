"""Referrals and sessions are read by role in the core, like patients: a counsellor reads the referrals they hold
(and their sessions, scores, questionnaire answers and risk alerts), and changes nothing on a colleague's.
Real encrypted database; the loaders the screens call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from iapt_desktop.domain.access import AccessDenied, Role, User
from iapt_desktop.domain.assessment_scales import GAD7, PHQ9
from iapt_desktop.storage import referral_records, session_queries, session_records
from iapt_desktop.storage.record_visibility import referral_visible, require_care_contact_visible
from iapt_desktop.storage.record_writes import delete_row, get_row, save_row
from iapt_desktop.storage.session import Session

CY = User("cy", "Cy Counsellor", Role.COUNSELLOR, "C1")
DI = User("di", "Di Counsellor", Role.COUNSELLOR, "C2")
READER = User("rita", "Rita Reader", Role.READ_ONLY)
NOW = dt.datetime(2025, 4, 20, 10, 0)


@pytest.fixture
def service(admin_session: Session) -> Session:
    """P1 has R1 (Cy's) and R2 (Di's); each referral has an attended session with a PHQ-9 total (8) and its items."""
    db, admin = admin_session.db, admin_session.user
    for staff, name in (("C1", "Cy"), ("C2", "Di")):
        save_row(db, admin, "app_care_personnel", {"CarePersLocalId": staff, "display_name": name})
    save_row(db, admin, "IDS001MPI", {"LocalPatientId": "P1", "NHSNumber": "9990000018"})
    for n, staff in ((1, "C1"), (2, "C2")):
        save_row(db, admin, "IDS101Referral", {"ServiceRequestId": f"R{n}", "LocalPatientId": "P1",
                                               "ReferralRequestReceivedDate": "2025-04-01"})
        save_row(db, admin, "app_referral", {"ServiceRequestId": f"R{n}", "CarePersLocalId": staff})
        save_row(db, admin, "IDS201CareContact", {"CareContactId": f"CC{n}", "ServiceRequestId": f"R{n}",
                                                  "CareContDate": "2025-04-02", "AttendOrDNACode": "5"})
        save_row(db, admin, "IDS202CareActivity", {"CareActId": f"A{n}", "CareContactId": f"CC{n}"})
        score = save_row(db, admin, "IDS607CodedScoreAssessmentAct",
                         {"CareActId": f"A{n}", "CodedAssToolType": PHQ9, "PersScore": "8"})
        for item in range(1, 10):
            save_row(db, admin, "app_questionnaire_answer", {"score_table": "IDS607CodedScoreAssessmentAct",
                                                              "score_row_id": score, "item": item,
                                                              "answer": "0" if item == 9 else "1"})
    return admin_session


READS: dict[str, Callable[[Any, User, str, str], Any]] = {
    "load_referral": lambda db, u, r, c: referral_records.load_referral(db, u, r),
    "load_sessions": lambda db, u, r, c: referral_records.load_sessions(db, u, r),
    "referral_scores": lambda db, u, r, c: referral_records.referral_scores(db, u, r, (PHQ9, GAD7)),
    "load_session": lambda db, u, r, c: session_records.load_session(db, u, c),
    "new_session": lambda db, u, r, c: session_records.new_session(db, u, r, NOW),
    "referral": lambda db, u, r, c: session_queries.referral(db, u, r),
    "contacts": lambda db, u, r, c: session_queries.contacts(db, u, r),
    "session_scores": lambda db, u, r, c: session_queries.session_scores(db, u, c),
    "risk_alerts": lambda db, u, r, c: session_queries.risk_alerts(db, u, c),
}


@pytest.mark.parametrize("read", list(READS))
def test_a_counsellor_reads_their_own_referral_and_sessions_and_not_a_colleagues(service: Session, read: str) -> None:
    db = service.db
    READS[read](db, CY, "R1", "CC1")  # their own
    with pytest.raises(AccessDenied, match=r"Cy Counsellor .* own caseload\. Ask an administrator"):
        READS[read](db, CY, "R2", "CC2")
    for everyone in (service.user, READER):  # the roles that see every caseload
        READS[read](db, everyone, "R2", "CC2")
    READS[read](db, DI, "R2", "CC2")


def test_what_a_counsellor_reads_of_their_own_referral_is_all_of_it(service: Session) -> None:
    db = service.db
    assert referral_records.load_referral(db, CY, "R1").counsellor_id == "C1"  # type: ignore[union-attr]
    assert [s["CareContactId"] for s in referral_records.load_sessions(db, CY, "R1")] == ["CC1"]
    assert [(tool, score) for _day, tool, score in referral_records.referral_scores(db, CY, "R1", (PHQ9,))] \
        == [(PHQ9, 8.0)]
    assert session_records.load_session(db, CY, "CC1").answers["PHQ9"] == {**dict.fromkeys(range(1, 9), "1"), 9: "0"}
    assert session_queries.session_scores(db, CY, "CC1") == {PHQ9: "8"}


def test_the_referral_list_shows_a_counsellor_only_the_referrals_they_hold(service: Session) -> None:
    db = service.db
    assert [s.service_request_id for s in referral_records.list_referrals(db, CY, "P1")] == ["R1"]
    assert [s.service_request_id for s in referral_records.list_referrals(db, DI, "P1")] == ["R2"]
    assert sorted(s.service_request_id for s in referral_records.list_referrals(db, READER, "P1")) == ["R1", "R2"]
    assert referral_records.list_referrals(db, User("x", "X", Role.COUNSELLOR), "P1") == []  # no staff id: none


def test_a_referral_moved_to_a_colleague_is_no_longer_readable(service: Session) -> None:
    db = service.db
    assert referral_visible(db, CY, "R1")
    save_row(db, service.user, "app_referral", {"CarePersLocalId": "C2"}, key="R1")
    assert not referral_visible(db, CY, "R1") and referral_visible(db, DI, "R1")
    with pytest.raises(AccessDenied):
        referral_records.load_sessions(db, CY, "R1")
    with pytest.raises(AccessDenied):
        require_care_contact_visible(db, CY, "CC1")


def test_nothing_to_hide_about_a_referral_or_session_that_does_not_exist(service: Session) -> None:
    db = service.db
    assert referral_records.load_referral(db, CY, "R404") is None
    assert referral_records.load_sessions(db, CY, "R404") == []
    with pytest.raises(LookupError):
        session_records.load_session(db, CY, "CC404")


WRITES: dict[str, Callable[[Any, User], Any]] = {
    "edit the referral": lambda db, u: save_row(db, u, "IDS101Referral", {"SourceOfReferralIAPT": "B1"}, key="R2"),
    "take the referral over": lambda db, u: save_row(db, u, "app_referral", {"CarePersLocalId": "C1"}, key="R2"),
    "delete the referral": lambda db, u: delete_row(db, u, "IDS101Referral", "R2"),
    "edit the session": lambda db, u: save_row(db, u, "IDS201CareContact", {"CareContDate": "2025-04-03"},
                                               key="CC2"),
    "add a session": lambda db, u: save_row(db, u, "IDS201CareContact", {
        "CareContactId": "CC9", "ServiceRequestId": "R2", "CareContDate": "2025-04-09"}),
    "change a questionnaire answer": lambda db, u: save_row(
        db, u, "app_questionnaire_answer", {"answer": "3"}, key=db.execute(
            "SELECT q.app_row_id FROM app_questionnaire_answer q JOIN IDS607CodedScoreAssessmentAct s "
            "ON s.app_row_id = q.score_row_id WHERE s.CareActId = 'A2' LIMIT 1").fetchone()[0]),
    "save the session form": lambda db, u: session_records.save_session(
        db, u, session_records.load_session(db, DI, "CC2"), NOW),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_a_counsellor_cannot_change_a_colleagues_referral_or_sessions(service: Session, write: str) -> None:
    db = service.db
    before = get_row(db, "IDS101Referral", "R2"), get_row(db, "app_referral", "R2"), \
        get_row(db, "IDS201CareContact", "CC2")
    with pytest.raises(AccessDenied, match=r"outside your caseload|own caseload"):
        WRITES[write](db, CY)
    assert (get_row(db, "IDS101Referral", "R2"), get_row(db, "app_referral", "R2"),
            get_row(db, "IDS201CareContact", "CC2")) == before
    WRITES[write](db, service.user)  # the administrator may (EDIT_OTHERS_CASELOAD)
