"""The role x action matrix, refused by the core (not only hidden in the UI).

Every cell, allowed or forbidden, is exercised through a real operation in test_matrix_operations.py;
this file covers caseload rules, read-only users and user management in more detail.
"""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from iapt_desktop.domain.access import PERMISSIONS, AccessDenied, Action, Role, User
from iapt_desktop.storage import audit_log
from iapt_desktop.storage.record_writes import delete_row, get_row, restore_rows, save_row
from iapt_desktop.storage.session import Session
from iapt_desktop.storage.users import add_user, change_role, deactivate_user, reset_password

ADMIN = User("admin", "Ada Admin", Role.ADMINISTRATOR)
COUNSELLOR = User("cy", "Cy Counsellor", Role.COUNSELLOR, "C1")
OTHER_COUNSELLOR = User("di", "Di Counsellor", Role.COUNSELLOR, "C2")
READER = User("rita", "Rita Reader", Role.READ_ONLY)


def test_the_matrix_forbids_what_the_issue_says() -> None:
    counsellor = PERMISSIONS[Role.COUNSELLOR]
    for action in (Action.MANAGE_USERS, Action.EXPORT, Action.SUBMIT, Action.IMPORT, Action.EDIT_OTHERS_CASELOAD,
                   Action.VIEW_AUDIT, Action.BACKUP, Action.MANAGE_SETTINGS):
        assert action not in counsellor
    assert PERMISSIONS[Role.READ_ONLY].isdisjoint(
        {Action.CREATE_RECORD, Action.EDIT_RECORD, Action.DELETE_RECORD, Action.IMPORT, Action.EXPORT,
         Action.SUBMIT, Action.MANAGE_USERS, Action.MANAGE_SETTINGS, Action.BACKUP})
    assert PERMISSIONS[Role.ADMINISTRATOR] == frozenset(Action)


def _caseloads(db: Database) -> None:
    """Two counsellors, each with a patient and a referral on their caseload, and a contact on each."""
    for staff, name in (("C1", "Cy"), ("C2", "Di")):
        save_row(db, ADMIN, "app_care_personnel", {"CarePersLocalId": staff, "display_name": name})
    for n, staff in ((1, "C1"), (2, "C2")):
        save_row(db, ADMIN, "IDS001MPI", {"LocalPatientId": f"P{n}"})
        save_row(db, ADMIN, "app_patient", {"LocalPatientId": f"P{n}", "family_name": f"Family{n}"})
        save_row(db, ADMIN, "IDS101Referral", {"ServiceRequestId": f"R{n}", "LocalPatientId": f"P{n}"})
        save_row(db, ADMIN, "app_referral", {"ServiceRequestId": f"R{n}", "CarePersLocalId": staff})
        save_row(db, ADMIN, "IDS201CareContact", {"CareContactId": f"CC{n}", "ServiceRequestId": f"R{n}",
                                                  "CareContDate": "2025-04-02"})
        save_row(db, ADMIN, "IDS202CareActivity", {"CareActId": f"A{n}", "CareContactId": f"CC{n}"})


def test_a_counsellor_changes_their_own_caseload(db: Database) -> None:
    _caseloads(db)
    save_row(db, COUNSELLOR, "IDS001MPI", {"Postcode": "ZZ99 3CZ"}, key="P1")
    save_row(db, COUNSELLOR, "app_patient", {"given_name": "Ann"}, key="P1")
    save_row(db, COUNSELLOR, "IDS201CareContact", {"CareContactId": "CC1b", "ServiceRequestId": "R1",
                                                   "CareContDate": "2025-04-09"})
    score = save_row(db, COUNSELLOR, "IDS607CodedScoreAssessmentAct",
                     {"CareActId": "A1", "CodedAssToolType": "720433000", "PersScore": "3"})
    save_row(db, COUNSELLOR, "app_questionnaire_answer", {"score_table": "IDS607CodedScoreAssessmentAct",
                                                          "score_row_id": score, "item": 1, "answer": "1"})
    snapshot = delete_row(db, COUNSELLOR, "IDS201CareContact", "CC1b")
    restore_rows(db, COUNSELLOR, snapshot)
    # and registers a new patient with a referral that they take on
    save_row(db, COUNSELLOR, "IDS001MPI", {"LocalPatientId": "P3"})
    save_row(db, COUNSELLOR, "IDS101Referral", {"ServiceRequestId": "R3", "LocalPatientId": "P3"})
    save_row(db, COUNSELLOR, "app_referral", {"ServiceRequestId": "R3", "CarePersLocalId": "C1"})
    save_row(db, COUNSELLOR, "IDS201CareContact", {"CareContactId": "CC3", "ServiceRequestId": "R3"})


OUTSIDE_CASELOAD = [
    ("edit another's referral", lambda db: save_row(db, COUNSELLOR, "IDS101Referral", {"OrgIDComm": "X01"},
                                                    key="R2")),
    ("edit another's patient", lambda db: save_row(db, COUNSELLOR, "IDS001MPI", {"Postcode": "ZZ99 3CZ"}, key="P2")),
    ("edit another's patient's name", lambda db: save_row(db, COUNSELLOR, "app_patient", {"given_name": "X"},
                                                          key="P2")),
    ("add a contact to another's referral", lambda db: save_row(
        db, COUNSELLOR, "IDS201CareContact", {"CareContactId": "CCx", "ServiceRequestId": "R2"})),
    ("add a score to another's activity", lambda db: save_row(
        db, COUNSELLOR, "IDS607CodedScoreAssessmentAct", {"CareActId": "A2", "CodedAssToolType": "720433000"})),
    ("move own contact onto another's referral", lambda db: save_row(
        db, COUNSELLOR, "IDS201CareContact", {"ServiceRequestId": "R2"}, key="CC1")),
    ("delete another's contact", lambda db: delete_row(db, COUNSELLOR, "IDS201CareContact", "CC2")),
    ("delete another's patient", lambda db: delete_row(db, COUNSELLOR, "IDS001MPI", "P2")),
    ("take another's referral", lambda db: save_row(db, COUNSELLOR, "app_referral", {"CarePersLocalId": "C1"},
                                                    key="R2")),
    ("hand own referral to someone else", lambda db: save_row(db, COUNSELLOR, "app_referral",
                                                              {"CarePersLocalId": "C2"}, key="R1")),
    ("add a referral to another's patient", lambda db: save_row(
        db, COUNSELLOR, "IDS101Referral", {"ServiceRequestId": "R9", "LocalPatientId": "P2"})),
    ("change the staff list", lambda db: save_row(db, COUNSELLOR, "app_care_personnel",
                                                  {"CarePersLocalId": "C7", "display_name": "New"})),
    ("manage users", lambda db: save_row(db, COUNSELLOR, "app_user", {"role": "administrator"}, key="admin")),
    ("restore another's deleted contact", lambda db: restore_rows(db, COUNSELLOR, delete_row(
        db, ADMIN, "IDS201CareContact", "CC2"))),
]


@pytest.mark.parametrize("attempt", [a for _, a in OUTSIDE_CASELOAD], ids=[n for n, _ in OUTSIDE_CASELOAD])
def test_a_counsellor_is_refused_outside_their_caseload_and_nothing_changes(db: Database, attempt) -> None:  # type: ignore[no-untyped-def]
    _caseloads(db)
    db.execute("INSERT INTO app_user (username, display_name, role, created_at) "
               "VALUES ('admin', 'Ada', 'administrator', '2025-01-01')")
    trail = len(list(audit_log.entries(db)))
    contact = get_row(db, "IDS201CareContact", "CC1")
    with pytest.raises(AccessDenied):
        attempt(db)
    assert get_row(db, "IDS201CareContact", "CC1") == contact
    assert get_row(db, "app_referral", "R2") == {"ServiceRequestId": "R2", "CarePersLocalId": "C2"}
    assert len([e for e in audit_log.entries(db) if e.username == "cy"]) == 0
    assert len(list(audit_log.entries(db))) in (trail, trail + 1)  # +1: the admin's delete in the last case


READ_ONLY_ATTEMPTS = [
    ("create a patient", lambda db: save_row(db, READER, "IDS001MPI", {"LocalPatientId": "P9"})),
    ("create a contact", lambda db: save_row(db, READER, "IDS201CareContact",
                                             {"CareContactId": "C9", "ServiceRequestId": "R1"})),
    ("edit", lambda db: save_row(db, READER, "IDS001MPI", {"Postcode": "ZZ99 3CZ"}, key="P1")),
    ("delete", lambda db: delete_row(db, READER, "IDS201CareContact", "CC1")),
    ("undo a delete", lambda db: restore_rows(db, READER, {"IDS001MPI": [{"LocalPatientId": "P9"}]})),
    ("add staff", lambda db: save_row(db, READER, "app_care_personnel", {"CarePersLocalId": "C9",
                                                                         "display_name": "N"})),
    ("add a user row", lambda db: save_row(db, READER, "app_user", {"username": "x", "display_name": "X",
                                                                    "role": "administrator",
                                                                    "created_at": "2025-01-01"})),
]


@pytest.mark.parametrize("attempt", [a for _, a in READ_ONLY_ATTEMPTS], ids=[n for n, _ in READ_ONLY_ATTEMPTS])
def test_a_read_only_user_creates_changes_and_deletes_nothing(db: Database, attempt) -> None:  # type: ignore[no-untyped-def]
    _caseloads(db)
    before = len(list(audit_log.entries(db)))
    with pytest.raises(AccessDenied, match="Read only"):
        attempt(db)
    assert len(list(audit_log.entries(db))) == before


def _counsellor_session(admin_session: Session) -> Session:
    user = User("cy", "Cy Counsellor", Role.COUNSELLOR, "C1")
    return Session(admin_session.db, admin_session.location, user)


@pytest.mark.parametrize("attempt", [
    lambda s: add_user(s, "newbie", "New Bie", Role.READ_ONLY, "a long new password"),
    lambda s: reset_password(s, "admin", "taking over the admin"),
    lambda s: change_role(s, "cy", Role.ADMINISTRATOR),
    lambda s: deactivate_user(s, "admin"),
], ids=["add user", "reset password", "change role", "deactivate"])
def test_only_administrators_manage_users(admin_session: Session, attempt) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AccessDenied, match="may not manage users"):
        attempt(_counsellor_session(admin_session))
    reader = Session(admin_session.db, admin_session.location, READER)
    with pytest.raises(AccessDenied, match="may not manage users"):
        attempt(reader)


@pytest.mark.parametrize("user", [COUNSELLOR, READER], ids=["counsellor", "read only"])
def test_only_administrators_export_or_import_through_the_jobs(db: Database, tmp_path, user: User) -> None:  # type: ignore[no-untyped-def]
    from iapt_desktop.jobs.table_export import export_tables
    from iapt_desktop.jobs.table_import import import_tables_steps

    _caseloads(db)
    with pytest.raises(AccessDenied, match="may not export data"):
        export_tables(db, tmp_path / "out.xlsx", actor=user)
    assert not (tmp_path / "out.xlsx").exists()
    export_tables(db, tmp_path / "tables", actor=ADMIN)
    with pytest.raises(AccessDenied, match="may not import data"):
        next(import_tables_steps(db, tmp_path / "tables", actor=user))
