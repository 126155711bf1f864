"""Sessions (care contacts) with their care activity and questionnaires: load, start, save.

A session is saved in one transaction: the IDS201CareContact row, one IDS202CareActivity
row when the patient attended, one IDS607CodedScoreAssessmentAct row per score (totals
of summed questionnaires with their item answers in app_questionnaire_answer; item-coded
questionnaires such as WSAS and the PEQs as one row per item), incomplete questionnaires
in app_incomplete_answer, and acknowledged risk alerts in app_risk_alert. Every write
is permission-checked and audited.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.access import Action, User, require
from iapt_desktop.domain.care_session import (
    ACTIVITY_COLUMNS,
    CANCELLED_BY_PATIENT,
    CONTACT_COLUMNS,
    SessionRecord,
    default_session,
)
from iapt_desktop.domain.dataset import ROW_ID
from iapt_desktop.domain.questionnaires import ROUTINE, Entry, questionnaire_for_code, questionnaires
from iapt_desktop.storage import audit_log
from iapt_desktop.storage.record_visibility import require_referral_visible
from iapt_desktop.storage.record_writes import delete_row, get_row, save_row
from iapt_desktop.storage.session_queries import (
    SCORE_TABLE,
    activities,
    complaint_adsm,
    contacts,
    incomplete_rows,
    item_answers,
    referral,
    referral_holder,
    risk_alerts,
    score_rows,
)

CONTACT_PREFIX = "C"
ACTIVITY_PREFIX = "A"
_ID_DIGITS = 8


def _next_id(db: Database, table: str, column: str, prefix: str) -> str:
    """Prefix + zero-padded number one above the highest such id in use; never reused while present."""
    highest, digits = 0, _ID_DIGITS
    for (value,) in db.execute(f"SELECT [{column}] FROM [{table}] WHERE [{column}] LIKE ?", [f"{prefix}%"]):
        match = re.fullmatch(rf"{prefix}(\d+)", value or "")
        if match and int(match.group(1)) >= highest:
            highest, digits = int(match.group(1)), len(match.group(1))  # keep the width already in use
    return f"{prefix}{highest + 1:0{digits}d}"


def next_care_contact_id(db: Database) -> str:
    return _next_id(db, "IDS201CareContact", "CareContactId", CONTACT_PREFIX)


def next_care_activity_id(db: Database) -> str:
    return _next_id(db, "IDS202CareActivity", "CareActId", ACTIVITY_PREFIX)


def _questionnaire_keys(db: Database, care_activity_id: str) -> list[str]:
    keys = set()
    for row in [*score_rows(db, care_activity_id), *incomplete_rows(db, care_activity_id)]:
        found = questionnaire_for_code(row["CodedAssToolType"] or "")
        if found:
            keys.add(found[0].key)
    return [k for k in questionnaires() if k in keys]


def new_session(db: Database, user: User, service_request_id: str, now: dt.datetime) -> SessionRecord:
    """A new session with defaults: today, now, attended, and the rest as at the last session."""
    earlier = contacts(db, user, service_request_id)
    previous_contact = earlier[-1] if earlier else None
    previous_activity = None
    previous_questionnaires: list[str] = []
    for contact in reversed(earlier):  # the last attended session's activity and questionnaires
        found = activities(db, contact["CareContactId"])
        if found:
            previous_activity = found[0]
            previous_questionnaires = _questionnaire_keys(db, found[0]["CareActId"])
            break
    keys = [k for k in previous_questionnaires if k not in ("APEQ", "TPEQ")]  # PEQs are occasional
    if not keys:
        adsm = complaint_adsm(db, service_request_id)
        keys = [*ROUTINE, *([adsm] if adsm else [])]
    referral_row = referral(db, user, service_request_id)
    patient = get_row(db, "IDS001MPI", referral_row["LocalPatientId"]) if referral_row.get("LocalPatientId") else None
    return default_session(
        service_request_id, referral_row, previous_contact, previous_activity, keys,
        user.care_personnel_id or referral_holder(db, service_request_id), now,
        preferred_language=(patient or {}).get("LanguageCodePreferred") or None,
    )


def load_session(db: Database, viewer: User, care_contact_id: str) -> SessionRecord:
    """A saved session, ready for editing; AccessDenied unless ``viewer`` may see its referral."""
    contact = get_row(db, "IDS201CareContact", care_contact_id)
    if contact is None:
        raise LookupError(f"Session {care_contact_id} does not exist; it may have been deleted.")
    require_referral_visible(db, viewer, contact["ServiceRequestId"])
    record = SessionRecord(
        service_request_id=contact["ServiceRequestId"],
        care_contact_id=care_contact_id,
        contact={c: contact[c] for c in CONTACT_COLUMNS},
    )
    found = activities(db, care_contact_id)
    if found:
        activity = found[0]
        record.care_activity_id = activity["CareActId"]
        record.activity = {c: activity[c] for c in ACTIVITY_COLUMNS}
        for row in score_rows(db, activity["CareActId"]):
            known = questionnaire_for_code(row["CodedAssToolType"] or "")
            if known is None:
                continue
            form, item = known
            if form.entry is Entry.TOTAL:
                record.typed_totals[form.key] = row["PersScore"] or ""
            elif item is not None:
                record.answers.setdefault(form.key, {})[item.number] = row["PersScore"] or ""
            else:
                items = item_answers(db, row[ROW_ID])
                record.answers.setdefault(form.key, {}).update({n: a["answer"] for n, a in items.items()})
                if not items:
                    record.recorded_totals[form.key] = row["PersScore"] or ""
        for row in incomplete_rows(db, activity["CareActId"]):
            known = questionnaire_for_code(row["CodedAssToolType"])
            if known:
                record.answers.setdefault(known[0].key, {})[row["item"]] = row["answer"]
    else:
        record.activity = {c: None for c in ACTIVITY_COLUMNS}
    alerts = risk_alerts(db, viewer, care_contact_id)
    if alerts and all(
        any(a.tool == questionnaires()[r.questionnaire].code and a.item == r.item and a.answer == r.answer
            for a in alerts)
        for r in record.risks()
    ):
        record.risk_acknowledged = True
        record.risk_note = alerts[-1].note
    return record


def _insert_audited(db: Database, actor: User, table: str, values: Mapping[str, Any]) -> int:
    """Insert into an app table of this module, with its audit entry (inside the caller's transaction)."""
    require(actor, Action.CREATE_RECORD)
    names = list(values)
    db.execute(f"INSERT INTO [{table}] ({', '.join(f'[{n}]' for n in names)}) "
               f"VALUES ({', '.join('?' for _ in names)})", [values[n] for n in names])
    row_id = int(db.execute("SELECT last_insert_rowid()").fetchone()[0])
    audit_log.append(db, actor.username, "create", table, str(row_id), audit_log.field_changes(None, values))
    return row_id


def _delete_audited(db: Database, actor: User, table: str, row: Mapping[str, Any]) -> None:
    require(actor, Action.EDIT_RECORD)
    db.execute(f"DELETE FROM [{table}] WHERE {ROW_ID} = ?", [row[ROW_ID]])
    audit_log.append(db, actor.username, "delete", table, str(row[ROW_ID]),
                     audit_log.field_changes(dict(row), None))


def _check_caseload(db: Database, actor: User, service_request_id: str) -> None:
    holder = referral_holder(db, service_request_id)
    if holder and holder != actor.care_personnel_id:
        require(actor, Action.EDIT_OTHERS_CASELOAD)


def save_session(db: Database, actor: User, record: SessionRecord, now: dt.datetime | None = None) -> str:
    """Save the whole session in one transaction; returns its CareContactId.

    The caller checks :func:`~iapt_desktop.domain.care_session.session_problems` first;
    the data set's rules are enforced here too (Cancellation only for code 2; no care
    activity or scores unless the patient attended). ``record`` gets its ids only once
    everything is saved, so a failed save can simply be tried again.
    """
    now = now or dt.datetime.now()
    if record.risks() and not record.risk_acknowledged:
        raise ValueError("A risk answer was given (PHQ-9 item 9): confirm the risk procedure was followed first.")
    with db.atomic():
        _check_caseload(db, actor, record.service_request_id)
        contact = {c: record.contact.get(c) for c in CONTACT_COLUMNS}
        if contact["AttendOrDNACode"] != CANCELLED_BY_PATIENT:
            contact["Cancellation"] = None
        if not record.attended:
            contact["ClinContDurOfCareCont"] = None
        contact_id = record.care_contact_id
        if contact_id is None:
            contact_id = next_care_contact_id(db)
            save_row(db, actor, "IDS201CareContact", {
                "CareContactId": contact_id, "ServiceRequestId": record.service_request_id, **contact})
        else:
            save_row(db, actor, "IDS201CareContact", contact, key=contact_id)
        existing = activities(db, contact_id)
        activity_id = None
        if not record.attended:
            for activity in existing:
                delete_row(db, actor, "IDS202CareActivity", activity["CareActId"])
        else:
            activity_id = _save_activity(db, actor, record, contact_id, existing)
        _save_risk_alerts(db, actor, record, contact_id, now)
    record.care_contact_id, record.care_activity_id = contact_id, activity_id
    return contact_id


def _save_activity(
    db: Database, actor: User, record: SessionRecord, contact_id: str, existing: list[dict[str, Any]],
) -> str:
    values = {c: record.activity.get(c) for c in ACTIVITY_COLUMNS}
    if values["ClinContactDurOfCareAct"] is None:
        values["ClinContactDurOfCareAct"] = record.contact.get("ClinContDurOfCareCont")
    if existing:  # the session form edits the first activity; any further ones are left as they are
        activity_id = str(existing[0]["CareActId"])
        save_row(db, actor, "IDS202CareActivity", values, key=activity_id)
    else:
        activity_id = next_care_activity_id(db)
        save_row(db, actor, "IDS202CareActivity", {
            "CareActId": activity_id, "CareContactId": contact_id, **values})
    _save_scores(db, actor, record, activity_id)
    _save_incomplete(db, actor, record, activity_id)
    return activity_id


def _save_scores(db: Database, actor: User, record: SessionRecord, activity_id: str) -> None:
    known_codes = {c for form in questionnaires().values() for c in form.codes()}
    by_code: dict[str, list[dict[str, Any]]] = {}
    for row in score_rows(db, activity_id):
        by_code.setdefault(row["CodedAssToolType"] or "", []).append(row)
    for score in record.scores():
        rows = by_code.pop(score.code, [])
        if rows:
            row_id = rows[0][ROW_ID]
            save_row(db, actor, SCORE_TABLE, {"PersScore": score.score}, key=row_id)
            for extra in rows[1:]:
                delete_row(db, actor, SCORE_TABLE, extra[ROW_ID])
        else:
            row_id = save_row(db, actor, SCORE_TABLE, {
                "CareActId": activity_id, "CodedAssToolType": score.code, "PersScore": score.score})
        found = questionnaire_for_code(score.code) if score.item is None else None
        if found and found[0].entry is Entry.SUM:
            answers = record.answers.get(found[0].key, {})
            if found[0].total(answers) is not None:  # not for a recorded total kept without items
                _saveitem_answers(db, actor, int(row_id), answers)
    for code, rows in by_code.items():  # scores no longer given; codes we do not know stay untouched
        if code in known_codes:
            for row in rows:
                delete_row(db, actor, SCORE_TABLE, row[ROW_ID])


def _saveitem_answers(db: Database, actor: User, score_row_id: int, answers: Mapping[int, str]) -> None:
    existing = item_answers(db, score_row_id)
    for item, answer in sorted(answers.items()):
        if item in existing:
            save_row(db, actor, "app_questionnaire_answer", {"answer": answer}, key=existing.pop(item)[ROW_ID])
        else:
            save_row(db, actor, "app_questionnaire_answer", {
                "score_table": SCORE_TABLE, "score_row_id": score_row_id, "item": item, "answer": answer})
    for row in existing.values():
        delete_row(db, actor, "app_questionnaire_answer", row[ROW_ID])


def _save_incomplete(db: Database, actor: User, record: SessionRecord, activity_id: str) -> None:
    existing = {(r["CodedAssToolType"], r["item"]): r for r in incomplete_rows(db, activity_id)}
    for key, answers in record.incomplete().items():
        code = str(questionnaires()[key].code)
        for item, answer in sorted(answers.items()):
            row = existing.pop((code, item), None)
            if row is None:
                _insert_audited(db, actor, "app_incomplete_answer",
                                {"CareActId": activity_id, "CodedAssToolType": code, "item": item, "answer": answer})
            elif row["answer"] != answer:
                require(actor, Action.EDIT_RECORD)
                db.execute("UPDATE app_incomplete_answer SET answer = ? WHERE app_row_id = ?", [answer, row[ROW_ID]])
                audit_log.append(db, actor.username, "change", "app_incomplete_answer", str(row[ROW_ID]),
                                 {"answer": [row["answer"], answer]})
    for row in existing.values():
        _delete_audited(db, actor, "app_incomplete_answer", row)


def _save_risk_alerts(db: Database, actor: User, record: SessionRecord, contact_id: str, now: dt.datetime) -> None:
    """Record each risk answer once, with who confirmed following the risk procedure."""
    recorded = risk_alerts(db, actor, contact_id)
    for risk in record.risks():
        tool = str(questionnaires()[risk.questionnaire].code)
        if any(a.tool == tool and a.item == risk.item and a.answer == risk.answer for a in recorded):
            continue
        _insert_audited(db, actor, "app_risk_alert", {
            "CareContactId": contact_id, "ServiceRequestId": record.service_request_id,
            "tool": tool, "item": risk.item, "answer": risk.answer, "acknowledged_by": actor.username,
            "acknowledged_at": now.strftime("%Y-%m-%d %H:%M:%S"), "note": record.risk_note.strip()})
