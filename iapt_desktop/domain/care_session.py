"""A session (care contact) as the counsellor records it, its defaults and its checks.

Pure: works on rows keyed by the data set's technical column names. Storage turns a
:class:`SessionRecord` into IDS201 / IDS202 / IDS607 rows (storage/session_records.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from iapt_desktop.domain.field_checks import date_not_in_future_problem
from iapt_desktop.domain.questionnaires import ROUTINE, Entry, RiskFinding, Score, questionnaires

ATTENDED = frozenset({"5", "6"})  # attended codes for every national metric
CANCELLED_BY_PATIENT = "2"  # the only attendance code that takes a Cancellation indicator
ATTENDED_ON_TIME = "5"

# IDS201 columns the session form sets; anything else on the row is left as it was.
CONTACT_COLUMNS = (
    "CareContDate", "CareContTime", "OrgIDComm", "PlannedCareContIndicator", "AttendOrDNACode",
    "Cancellation", "ClinContDurOfCareCont", "IAPTLTCServiceInd", "AppType", "ConsMechanism",
    "CareContPatientTherMode", "ActLocTypeCode", "LanguageCodeTreat", "InterpreterPresentInd",
)
# IDS202 columns the session form sets.
ACTIVITY_COLUMNS = ("CarePersLocalId", "CodeProcAndProcStatus", "ClinContactDurOfCareAct")
# Columns carried over from the referral's previous session when a new one starts.
CARRIED_OVER = (
    "ConsMechanism", "CareContPatientTherMode", "ActLocTypeCode", "LanguageCodeTreat",
    "InterpreterPresentInd", "IAPTLTCServiceInd", "ClinContDurOfCareCont",
)

FIRST_APPOINTMENT_TYPE = "01"  # assessment
# After an appointment of this type, the next one is usually of that type.
NEXT_APPOINTMENT_TYPE: dict[str, str] = {"01": "02", "03": "02", "05": "02"}

FIXED_DEFAULTS: dict[str, Any] = {
    "PlannedCareContIndicator": "Y",
    "AttendOrDNACode": ATTENDED_ON_TIME,
    "IAPTLTCServiceInd": "N",
    "ConsMechanism": "01",
    "CareContPatientTherMode": "1",
    "ClinContDurOfCareCont": 50,
}


@dataclass
class SessionRecord:
    service_request_id: str
    care_contact_id: str | None = None  # None until saved
    care_activity_id: str | None = None
    contact: dict[str, Any] = field(default_factory=dict)  # CONTACT_COLUMNS
    activity: dict[str, Any] = field(default_factory=dict)  # ACTIVITY_COLUMNS
    answers: dict[str, dict[int, str]] = field(default_factory=dict)  # questionnaire key -> item -> answer
    typed_totals: dict[str, str] = field(default_factory=dict)  # questionnaire key -> total (TOTAL entry)
    # Totals of summed questionnaires saved without item answers (imported, or from another system):
    # kept as they are until every item is entered.
    recorded_totals: dict[str, str] = field(default_factory=dict)
    risk_acknowledged: bool = False
    risk_note: str = ""

    @property
    def attended(self) -> bool:
        return self.contact.get("AttendOrDNACode") in ATTENDED

    def shown_questionnaires(self) -> list[str]:
        """Keys of the questionnaires this session carries, in declaration order."""
        keys = set(self.answers) | set(self.typed_totals)
        return [k for k in questionnaires() if k in keys]

    def scores(self) -> list[Score]:
        """The IDS607 rows; none when the patient did not attend."""
        if not self.attended:
            return []
        found: list[Score] = []
        for key in self.shown_questionnaires():
            form = questionnaires()[key]
            made = form.scores(self.answers.get(key, {}), self.typed_totals.get(key))
            if not made and key in self.recorded_totals and form.code:
                made = [Score(form.code, self.recorded_totals[key], None)]
            found.extend(made)
        return found

    def risks(self) -> list[RiskFinding]:
        if not self.attended:
            return []
        return [r for key, answers in self.answers.items() for r in questionnaires()[key].risks(answers)]

    def incomplete(self) -> dict[str, dict[int, str]]:
        """Summed questionnaires begun but not finished: their answers, saved without a total."""
        if not self.attended:
            return {}
        result = {}
        for key, answers in self.answers.items():
            form = questionnaires()[key]
            given = {n: a for n, a in answers.items() if a}
            if given and form.entry is Entry.SUM and form.total(given) is None:
                result[key] = given
        return result


@dataclass(frozen=True)
class Problem:
    column: str  # the field it is about ("" for the whole session)
    message: str


def rounded_time(now: dt.datetime, minutes: int = 15) -> dt.time:
    """The time rounded down to the quarter hour (sessions start on the hour or quarter; never in the future)."""
    total = (now.hour * 60 + now.minute) // minutes * minutes
    return dt.time(total // 60, total % 60)


def default_session(
    service_request_id: str,
    referral: Mapping[str, Any],
    previous_contact: Mapping[str, Any] | None,
    previous_activity: Mapping[str, Any] | None,
    questionnaire_keys: list[str],
    care_personnel_id: str | None,
    now: dt.datetime,
    preferred_language: str | None = None,
) -> SessionRecord:
    """A new session as it most likely happened: today, now, attended, as last time; the language as last
    time, else (a first session, or none recorded yet) the patient's preferred language (IDS001)."""
    contact: dict[str, Any] = dict(FIXED_DEFAULTS)
    contact["CareContDate"] = now.date().isoformat()
    contact["CareContTime"] = rounded_time(now).strftime("%H:%M:%S")
    contact["OrgIDComm"] = referral.get("OrgIDComm")
    contact["AppType"] = FIRST_APPOINTMENT_TYPE
    if previous_contact:
        for column in CARRIED_OVER:
            if previous_contact.get(column) not in (None, ""):
                contact[column] = previous_contact[column]
        last_type = previous_contact.get("AppType")
        if last_type:
            contact["AppType"] = NEXT_APPOINTMENT_TYPE.get(last_type, last_type)
    if not contact.get("LanguageCodeTreat") and preferred_language:
        contact["LanguageCodeTreat"] = preferred_language
    activity: dict[str, Any] = {
        "CarePersLocalId": care_personnel_id or (previous_activity or {}).get("CarePersLocalId"),
        "CodeProcAndProcStatus": (previous_activity or {}).get("CodeProcAndProcStatus"),
        "ClinContactDurOfCareAct": contact.get("ClinContDurOfCareCont"),
    }
    keys = questionnaire_keys or list(ROUTINE)
    return SessionRecord(
        service_request_id=service_request_id,
        contact=contact,
        activity=activity,
        answers={k: {} for k in keys if questionnaires()[k].entry is not Entry.TOTAL},
        typed_totals={k: "" for k in keys if questionnaires()[k].entry is Entry.TOTAL},
    )


def session_problems(
    record: SessionRecord, today: dt.date, now: dt.datetime | None = None, referral_received: str | None = None,
) -> list[Problem]:
    """What stops the session being saved, each with a message saying how to fix it."""
    problems: list[Problem] = []
    contact = record.contact
    text = contact.get("CareContDate") or ""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        problems.append(Problem("CareContDate", "Enter the date of the session (YYYY-MM-DD)."))
        day = None
    if day is not None:
        future = date_not_in_future_problem(day, "session date", today)
        if future:
            problems.append(Problem("CareContDate", f"{future} Record a session after it has happened."))
        elif (now is not None and day == now.date() and contact.get("CareContTime")
              and dt.time.fromisoformat(contact["CareContTime"]) > now.time()):
            problems.append(Problem("CareContTime", "The session time is later than now. Check the time."))
        if referral_received and text < referral_received:
            problems.append(Problem(
                "CareContDate", f"The session date is before the referral was received ({referral_received})."))
    if not contact.get("AppType"):
        problems.append(Problem("AppType", "Choose the appointment type."))
    if contact.get("IAPTLTCServiceInd") not in ("Y", "N"):
        problems.append(Problem(
            "IAPTLTCServiceInd", "Say whether the session was in a long-term-condition service (LTC service: Y or N)."))
    attendance = contact.get("AttendOrDNACode")
    if not attendance:
        problems.append(Problem("AttendOrDNACode", "Choose whether the patient attended."))
    if attendance == CANCELLED_BY_PATIENT and contact.get("Cancellation") not in ("Y", "N"):
        problems.append(Problem(
            "Cancellation", "The patient cancelled: say whether it was at short notice (Y or N)."))
    for key, total in record.typed_totals.items():
        if record.attended and total.strip():
            problem = questionnaires()[key].total_problem(total)
            if problem:
                problems.append(Problem(key, problem))
    if record.risks() and not record.risk_acknowledged:
        problems.append(Problem(
            "risk", "Confirm that you have followed the risk procedure before saving (PHQ-9 item 9)."))
    return problems
