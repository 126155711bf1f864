"""Saves and deletes: permission, one transaction, audit trail, undo."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from iapt_desktop.domain.access import AccessDenied, Role, User
from iapt_desktop.storage import audit_log
from iapt_desktop.storage.record_writes import delete_row, get_row, restore_rows, save_row

ADMIN = User("admin", "Ada Admin", Role.ADMINISTRATOR)
READER = User("reader", "Rita Reader", Role.READ_ONLY)


def _patient_with_referral_and_score(db: Database) -> int:
    save_row(db, ADMIN, "IDS001MPI", {"LocalPatientId": "P1", "NHSNumber": "9990000018"})
    save_row(db, ADMIN, "app_patient", {"LocalPatientId": "P1", "family_name": "Canary", "given_name": "Cal"})
    save_row(db, ADMIN, "IDS101Referral", {"ServiceRequestId": "R1", "LocalPatientId": "P1"})
    save_row(db, ADMIN, "IDS201CareContact", {"CareContactId": "C1", "ServiceRequestId": "R1",
                                             "CareContDate": "2025-04-02"})
    save_row(db, ADMIN, "IDS202CareActivity", {"CareActId": "A1", "CareContactId": "C1"})
    score = save_row(db, ADMIN, "IDS607CodedScoreAssessmentAct",
                     {"CareActId": "A1", "CodedAssToolType": "720433000", "PersScore": "3"})
    for item in range(1, 4):
        save_row(db, ADMIN, "app_questionnaire_answer", {
            "score_table": "IDS607CodedScoreAssessmentAct", "score_row_id": score, "item": item, "answer": "1"})
    return int(score)


def test_create_change_and_the_audit_trail_records_old_and_new_values(db: Database) -> None:
    save_row(db, ADMIN, "IDS001MPI", {"LocalPatientId": "P1", "Postcode": "LS1 4AP"})
    save_row(db, ADMIN, "IDS001MPI", {"Postcode": "LS2 7EY"}, key="P1")
    trail = list(audit_log.entries(db))
    assert [e.action for e in trail] == ["create", "change"]
    assert trail[1].changes == {"Postcode": ["LS1 4AP", "LS2 7EY"]}
    assert trail[1].username == "admin" and trail[1].record_key == "P1"
    assert audit_log.verify_chain(db) is None


def test_an_unchanged_save_writes_no_audit_entry(db: Database) -> None:
    save_row(db, ADMIN, "IDS001MPI", {"LocalPatientId": "P1", "Gender": "2"})
    save_row(db, ADMIN, "IDS001MPI", {"Gender": "2"}, key="P1")
    assert len(list(audit_log.entries(db))) == 1


def test_read_only_users_cannot_write_and_nothing_changes(db: Database) -> None:
    with pytest.raises(AccessDenied, match="may not create records"):
        save_row(db, READER, "IDS001MPI", {"LocalPatientId": "P1"})
    assert db.table("IDS001MPI").count == 0
    assert list(audit_log.entries(db)) == []


def test_a_failed_save_leaves_no_row_and_no_audit_entry(db: Database) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"):
        save_row(db, ADMIN, "IDS101Referral", {"ServiceRequestId": "R1", "LocalPatientId": "missing"})
    assert db.table("IDS101Referral").count == 0
    assert list(audit_log.entries(db)) == []


def test_unknown_columns_are_refused(db: Database) -> None:
    with pytest.raises(KeyError, match="Nickname"):
        save_row(db, ADMIN, "IDS001MPI", {"LocalPatientId": "P1", "Nickname": "x"})


def test_delete_takes_children_along_and_undo_restores_everything(db: Database) -> None:
    score = _patient_with_referral_and_score(db)
    before = {name: db.table(name).count for name in db.table_names() if name != "app_audit_log"}
    snapshot = delete_row(db, ADMIN, "IDS001MPI", "P1")
    assert db.table("IDS607CodedScoreAssessmentAct").count == 0
    assert db.table("app_questionnaire_answer").count == 0
    assert db.table("app_patient").count == 0
    restore_rows(db, ADMIN, snapshot)
    after = {name: db.table(name).count for name in db.table_names() if name != "app_audit_log"}
    assert after == before
    assert get_row(db, "IDS607CodedScoreAssessmentAct", score)["PersScore"] == "3"
    assert [e.action for e in audit_log.entries(db)][-2:] == ["delete", "undo delete"]
    assert audit_log.verify_chain(db) is None


def test_an_edit_behind_the_apps_back_breaks_the_chain(db: Database) -> None:
    save_row(db, ADMIN, "IDS001MPI", {"LocalPatientId": "P1"})
    save_row(db, ADMIN, "IDS001MPI", {"Gender": "1"}, key="P1")
    db.execute("DROP TRIGGER app_audit_log_refuse_update")  # migration 0003 refuses edits through SQL
    db.execute("UPDATE app_audit_log SET username = 'mallory' WHERE id = 1")
    problem = audit_log.verify_chain(db)
    assert problem is not None and problem.entry_id == 1


def test_undo_brings_back_the_answers_of_an_unfinished_questionnaire(db: Database) -> None:
    _patient_with_referral_and_score(db)
    db.execute("INSERT INTO app_incomplete_answer (CareActId, CodedAssToolType, item, answer) "
               "VALUES ('A1', '445455005', 1, '2'), ('A1', '445455005', 2, '1')")
    snapshot = delete_row(db, ADMIN, "IDS201CareContact", "C1")
    assert db.table("app_incomplete_answer").count == 0
    restore_rows(db, ADMIN, snapshot)
    assert db.execute("SELECT item, answer FROM app_incomplete_answer ORDER BY item").fetchall() == [
        (1, "2"), (2, "1")]
