"""Saving and loading whole sessions: one transaction, audited, scores and item answers consistent."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlite_utils import Database

from iapt_desktop.domain.access import AccessDenied
from iapt_desktop.domain.care_session import session_problems
from iapt_desktop.storage import audit_log
from iapt_desktop.storage.record_writes import save_row
from iapt_desktop.storage.session_queries import risk_alerts, staff
from iapt_desktop.storage.session_records import load_session, new_session, next_care_contact_id, save_session
from tests.session_data import ADMIN, COUNSELLOR, OTHER_COUNSELLOR, READER, referral_with_staff

NOW = dt.datetime(2025, 4, 10, 14, 7, 40)
PHQ = {1: "2", 2: "2", 3: "1", 4: "3", 5: "0", 6: "1", 7: "2", 8: "1", 9: "0"}  # 12
GAD = {1: "1", 2: "2", 3: "2", 4: "1", 5: "0", 6: "1", 7: "1"}  # 8


def rows(db: Database, sql: str, *params: object) -> list[tuple]:
    return db.execute(sql, list(params)).fetchall()


def test_a_new_session_defaults_to_today_now_attended_me_and_an_assessment(db: Database) -> None:
    referral_with_staff(db)
    record = new_session(db, COUNSELLOR, "R1", NOW)
    assert record.contact["CareContDate"] == "2025-04-10"
    assert record.contact["CareContTime"] == "14:00:00"
    assert record.contact["AttendOrDNACode"] == "5"
    assert record.contact["AppType"] == "01"
    assert record.contact["OrgIDComm"] == "15F"
    assert record.contact["IAPTLTCServiceInd"] == "N"
    assert record.activity["CarePersLocalId"] == "CP1"
    assert record.shown_questionnaires() == ["PHQ9", "GAD7"]


def test_save_writes_contact_activity_scores_and_item_answers_with_audit(db: Database) -> None:
    referral_with_staff(db)
    record = new_session(db, COUNSELLOR, "R1", NOW)
    record.activity["CodeProcAndProcStatus"] = "304891004"
    record.answers = {"PHQ9": dict(PHQ), "GAD7": dict(GAD)}
    before = len(list(audit_log.entries(db)))
    contact_id = save_session(db, COUNSELLOR, record, NOW)
    assert contact_id == "C00000001"
    contact = db.table("IDS201CareContact").get(contact_id)
    assert (contact["ServiceRequestId"], contact["CareContDate"], contact["CareContTime"]) == (
        "R1", "2025-04-10", "14:00:00")
    assert (contact["AttendOrDNACode"], contact["AppType"], contact["Cancellation"]) == ("5", "01", None)
    [activity] = rows(db, "SELECT CareActId, CarePersLocalId, CodeProcAndProcStatus, ClinContactDurOfCareAct "
                          "FROM IDS202CareActivity WHERE CareContactId = ?", contact_id)
    assert activity == ("A00000001", "CP1", "304891004", 50)
    scores = rows(db, "SELECT app_row_id, CodedAssToolType, PersScore FROM IDS607CodedScoreAssessmentAct "
                      "WHERE CareActId = 'A00000001' ORDER BY app_row_id")
    assert [(code, score) for _, code, score in scores] == [("720433000", "12"), ("445455005", "8")]
    phq_items = rows(db, "SELECT item, answer FROM app_questionnaire_answer WHERE score_table = "
                         "'IDS607CodedScoreAssessmentAct' AND score_row_id = ? ORDER BY item", scores[0][0])
    assert dict(phq_items) == PHQ
    trail = list(audit_log.entries(db))[before:]
    assert {e.table_name for e in trail} == {"IDS201CareContact", "IDS202CareActivity",
                                             "IDS607CodedScoreAssessmentAct", "app_questionnaire_answer"}
    assert all(e.username == "casey" for e in trail) and len(trail) == 1 + 1 + 2 + 16
    assert audit_log.verify_chain(db) is None
    assert next_care_contact_id(db) == "C00000002"


def test_the_next_session_continues_treatment_with_last_times_choices(db: Database) -> None:
    referral_with_staff(db)
    first = new_session(db, COUNSELLOR, "R1", NOW)
    first.contact["ConsMechanism"] = "11"
    first.activity["CodeProcAndProcStatus"] = "286711000000107"
    first.answers = {"PHQ9": dict(PHQ), "GAD7": dict(GAD), "WSAS": {1: "3", 2: "3", 3: "3", 4: "3", 5: "3"}}
    save_session(db, COUNSELLOR, first, NOW)
    second = new_session(db, COUNSELLOR, "R1", NOW + dt.timedelta(days=7))
    assert second.contact["AppType"] == "02"
    assert second.contact["ConsMechanism"] == "11"
    assert second.activity["CodeProcAndProcStatus"] == "286711000000107"
    assert second.shown_questionnaires() == ["PHQ9", "GAD7", "WSAS"]
    assert all(not answers for answers in second.answers.values())


def test_load_and_edit_replaces_scores_and_keeps_item_answers_consistent(db: Database) -> None:
    referral_with_staff(db)
    record = new_session(db, COUNSELLOR, "R1", NOW)
    record.answers = {"PHQ9": dict(PHQ), "GAD7": dict(GAD)}
    contact_id = save_session(db, COUNSELLOR, record, NOW)

    loaded = load_session(db, COUNSELLOR, contact_id)
    assert loaded.answers == {"PHQ9": PHQ, "GAD7": GAD}
    assert loaded.care_activity_id == "A00000001"
    loaded.answers["PHQ9"][1] = "0"  # 12 -> 10
    del loaded.answers["GAD7"][7]  # GAD-7 now incomplete: no score, answers kept apart
    save_session(db, COUNSELLOR, loaded, NOW)

    scores = rows(db, "SELECT app_row_id, CodedAssToolType, PersScore FROM IDS607CodedScoreAssessmentAct")
    assert [(c, s) for _, c, s in scores] == [("720433000", "10")]
    assert rows(db, "SELECT count(*), sum(answer) FROM app_questionnaire_answer") == [(9, 10)]
    assert rows(db, "SELECT CodedAssToolType, count(*) FROM app_incomplete_answer GROUP BY 1") == [("445455005", 6)]
    again = load_session(db, COUNSELLOR, contact_id)
    assert again.answers["GAD7"] == {k: v for k, v in GAD.items() if k != 7}
    assert again.answers["PHQ9"][1] == "0"

    again.answers["GAD7"][7] = "3"  # complete again: score back, incomplete answers gone
    save_session(db, COUNSELLOR, again, NOW)
    assert rows(db, "SELECT PersScore FROM IDS607CodedScoreAssessmentAct WHERE CodedAssToolType = '445455005'") == [
        ("10",)]
    assert rows(db, "SELECT count(*) FROM app_incomplete_answer") == [(0,)]
    assert rows(db, "SELECT count(*) FROM app_questionnaire_answer") == [(16,)]
    assert db.table("IDS201CareContact").count == 1 and db.table("IDS202CareActivity").count == 1
    assert audit_log.verify_chain(db) is None


def test_a_did_not_attend_session_saves_no_activity_and_no_scores(db: Database) -> None:
    referral_with_staff(db)
    record = new_session(db, COUNSELLOR, "R1", NOW)
    record.contact["AttendOrDNACode"] = "3"
    record.contact["Cancellation"] = "Y"  # only for code 2: dropped
    record.answers = {"PHQ9": dict(PHQ)}
    contact_id = save_session(db, COUNSELLOR, record, NOW)
    contact = db.table("IDS201CareContact").get(contact_id)
    assert contact["AttendOrDNACode"] == "3" and contact["Cancellation"] is None
    assert contact["ClinContDurOfCareCont"] is None
    assert db.table("IDS202CareActivity").count == 0 and db.table("IDS607CodedScoreAssessmentAct").count == 0


def test_changing_an_attended_session_to_cancelled_removes_its_activity_and_scores(db: Database) -> None:
    referral_with_staff(db)
    record = new_session(db, COUNSELLOR, "R1", NOW)
    record.answers = {"PHQ9": dict(PHQ)}
    contact_id = save_session(db, COUNSELLOR, record, NOW)
    loaded = load_session(db, COUNSELLOR, contact_id)
    loaded.contact["AttendOrDNACode"] = "2"
    assert [p.column for p in session_problems(loaded, NOW.date())] == ["Cancellation"]
    loaded.contact["Cancellation"] = "Y"
    save_session(db, COUNSELLOR, loaded, NOW)
    assert db.table("IDS201CareContact").get(contact_id)["Cancellation"] == "Y"
    assert db.table("IDS202CareActivity").count == 0
    assert rows(db, "SELECT count(*) FROM app_questionnaire_answer") == [(0,)]


def test_item9_risk_needs_acknowledging_and_is_recorded_once(db: Database) -> None:
    referral_with_staff(db)
    record = new_session(db, COUNSELLOR, "R1", NOW)
    record.answers = {"PHQ9": {**PHQ, 9: "2"}}
    assert [p.column for p in session_problems(record, NOW.date())] == ["risk"]
    with pytest.raises(ValueError, match="risk procedure"):
        save_session(db, COUNSELLOR, record, NOW)
    assert db.table("IDS201CareContact").count == 0  # nothing half-saved
    record.risk_acknowledged = True
    record.risk_note = "Safety plan reviewed; GP informed."
    contact_id = save_session(db, COUNSELLOR, record, NOW)
    [alert] = risk_alerts(db, COUNSELLOR, contact_id)
    assert (alert.tool, alert.item, alert.answer, alert.acknowledged_by) == ("720433000", 9, "2", "casey")
    assert alert.acknowledged_at == "2025-04-10 14:07:40" and alert.note.startswith("Safety plan")
    loaded = load_session(db, COUNSELLOR, contact_id)
    assert loaded.risk_acknowledged
    save_session(db, COUNSELLOR, loaded, NOW)
    assert len(risk_alerts(db, COUNSELLOR, contact_id)) == 1
    loaded.answers["PHQ9"][9] = "3"  # a different answer is a new alert and needs confirming again
    loaded.risk_acknowledged = False
    assert session_problems(loaded, NOW.date())
    loaded.risk_acknowledged = True
    save_session(db, COUNSELLOR, loaded, NOW)
    assert [a.answer for a in risk_alerts(db, COUNSELLOR, contact_id)] == ["2", "3"]


def test_checks_future_date_and_time_and_before_referral(db: Database) -> None:
    referral_with_staff(db)
    record = new_session(db, COUNSELLOR, "R1", NOW)
    record.contact["CareContDate"] = "2025-04-11"
    assert "in the future" in session_problems(record, NOW.date())[0].message
    record.contact["CareContDate"] = "2025-04-10"
    record.contact["CareContTime"] = "15:00:00"
    assert session_problems(record, NOW.date(), NOW)[0].column == "CareContTime"
    record.contact["CareContDate"] = "2025-02-01"
    assert "before the referral" in session_problems(record, NOW.date(), NOW, "2025-03-01")[0].message


def test_permissions_read_only_and_other_caseloads(db: Database) -> None:
    referral_with_staff(db)
    record = new_session(db, COUNSELLOR, "R1", NOW)
    with pytest.raises(AccessDenied):
        save_session(db, READER, record, NOW)
    with pytest.raises(AccessDenied, match="outside your caseload"):
        save_session(db, OTHER_COUNSELLOR, record, NOW)
    assert db.table("IDS201CareContact").count == 0


def test_wsas_and_peq_save_one_row_per_item_and_typed_totals_are_kept(db: Database) -> None:
    referral_with_staff(db)
    record = new_session(db, COUNSELLOR, "R1", NOW)
    record.answers = {"WSAS": {1: "9", 2: "4", 3: "4", 4: "2", 5: "1"}, "APEQ": {1: "Y", 4: "NA", 5: "3"}}
    record.typed_totals = {"OCI": "44"}
    contact_id = save_session(db, COUNSELLOR, record, NOW)
    scores = dict(rows(db, "SELECT CodedAssToolType, PersScore FROM IDS607CodedScoreAssessmentAct"))
    assert scores["932621000000100"] == "9" and scores["747861000000100"] == "Y" and scores["450324005"] == "44"
    assert len(scores) == 5 + 3 + 1
    loaded = load_session(db, COUNSELLOR, contact_id)
    assert loaded.answers["WSAS"][1] == "9" and loaded.answers["APEQ"] == {1: "Y", 4: "NA", 5: "3"}
    assert loaded.typed_totals == {"OCI": "44"}
    loaded.typed_totals["OCI"] = ""
    del loaded.answers["APEQ"][1]
    save_session(db, COUNSELLOR, loaded, NOW)
    scores = dict(rows(db, "SELECT CodedAssToolType, PersScore FROM IDS607CodedScoreAssessmentAct"))
    assert "450324005" not in scores and "747861000000100" not in scores and len(scores) == 7


def test_staff_list_shows_active_members_and_keeps_a_named_inactive_one(db: Database) -> None:
    referral_with_staff(db)
    assert [s.care_personnel_id for s in staff(db)] == ["CP1", "CP2"]
    assert [s.care_personnel_id for s in staff(db, ["CP3"])] == ["CP1", "CP3", "CP2"]


def test_a_total_saved_without_item_answers_is_kept_until_every_item_is_entered(db: Database) -> None:
    """Imported sessions carry totals only: opening and saving them must not lose the score."""
    referral_with_staff(db)
    save_row(db, ADMIN, "IDS201CareContact", {"CareContactId": "IMP1", "ServiceRequestId": "R1",
                                             "CareContDate": "2025-04-01", "AttendOrDNACode": "5", "AppType": "02"})
    save_row(db, ADMIN, "IDS202CareActivity", {"CareActId": "IMPA1", "CareContactId": "IMP1"})
    save_row(db, ADMIN, "IDS607CodedScoreAssessmentAct",
             {"CareActId": "IMPA1", "CodedAssToolType": "720433000", "PersScore": "17"})
    loaded = load_session(db, COUNSELLOR, "IMP1")
    assert loaded.recorded_totals == {"PHQ9": "17"} and loaded.shown_questionnaires() == ["PHQ9"]
    save_session(db, COUNSELLOR, loaded, NOW)
    assert rows(db, "SELECT PersScore FROM IDS607CodedScoreAssessmentAct") == [("17",)]
    loaded = load_session(db, COUNSELLOR, "IMP1")
    loaded.answers["PHQ9"] = {1: "3", 2: "3"}  # begun: the recorded total stays, the answers wait
    save_session(db, COUNSELLOR, loaded, NOW)
    assert rows(db, "SELECT PersScore FROM IDS607CodedScoreAssessmentAct") == [("17",)]
    assert rows(db, "SELECT count(*) FROM app_incomplete_answer") == [(2,)]
    loaded = load_session(db, COUNSELLOR, "IMP1")
    assert loaded.answers["PHQ9"] == {1: "3", 2: "3"} and loaded.recorded_totals == {"PHQ9": "17"}
    loaded.answers["PHQ9"] = dict(PHQ)  # every item: the computed total replaces the recorded one
    save_session(db, COUNSELLOR, loaded, NOW)
    assert rows(db, "SELECT PersScore FROM IDS607CodedScoreAssessmentAct") == [("12",)]
    assert rows(db, "SELECT count(*) FROM app_questionnaire_answer") == [(9,)]
    assert rows(db, "SELECT count(*) FROM app_incomplete_answer") == [(0,)]


def test_new_ids_follow_the_highest_existing_one_and_its_width(db: Database) -> None:
    referral_with_staff(db)
    for contact_id in ("C0000326", "C0000009", "X99"):
        save_row(db, ADMIN, "IDS201CareContact", {"CareContactId": contact_id, "ServiceRequestId": "R1"})
    assert next_care_contact_id(db) == "C0000327"


@pytest.mark.parametrize(("complaint", "adsm"), [("F40.1", "SPIN"), ("F431", "PCL5"), ("F410", "PDSS"),
                                                 ("F32", None)])
def test_a_first_session_offers_the_adsm_the_presenting_complaint_calls_for(
        db: Database, complaint: str, adsm: str | None) -> None:
    referral_with_staff(db)
    save_row(db, ADMIN, "IDS603PresentingComplaints", {
        "ServiceRequestId": "R1", "FindSchemeInUse": "01", "PresComp": complaint, "PresCompCodSig": "1"})
    record = new_session(db, COUNSELLOR, "R1", NOW)
    assert record.shown_questionnaires() == ["PHQ9", "GAD7", *([adsm] if adsm else [])]
