"""Synthetic referral pathways: IDS101 and everything that hangs off a referral.

Each referral follows one of three paths — never seen (EndCode 50), assessed
but not treated (10-16), or a course of treatment (46-48) — laid out in time
from the referral date.  Anything dated after the demo window's end is not
recorded: a referral whose discharge would fall later is still open.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass

from iapt_desktop.domain import demo_catalogue as catalogue
from iapt_desktop.domain import demo_scores as scores
from iapt_desktop.domain.assessment_scales import GAD7, PHQ9
from iapt_desktop.domain.demo_people import PatientFacts, WithDeclined
from iapt_desktop.domain.demo_rows import DemoIds, DemoRows, DemoWindow, Row, Weighted, iso
from iapt_desktop.domain.questionnaires import Entry, questionnaire_for_code

SCORE_ACT = "IDS607CodedScoreAssessmentAct"
SCORE_REFER = "IDS606CodedScoreAssessmentRefer"
ATTENDED = frozenset({"5", "6"})
ASSESSMENT, TREATMENT, FOLLOW_UP = "01", "02", "06"

_SOURCES = Weighted(("B1", 55), ("A1", 30), ("A3", 2), ("A4", 1), ("B2", 1), ("C1", 0.5), ("D2", 1.5), ("G4", 2),
                    ("H2", 2), ("M5", 0.5), ("M7", 2), ("N1", 1), ("P1", 1.5))
_PATHS = Weighted(("not_seen", 12), ("assessed", 22), ("treated", 66))
_ATTENDANCE = Weighted(("5", 72), ("6", 6), ("3", 10), ("2", 6), ("4", 4), ("7", 2))
_NOT_SEEN_ATTENDANCE = Weighted(("3", 60), ("2", 25), ("7", 15))
_MECHANISMS = Weighted(("01", 35), ("02", 40), ("11", 23), ("98", 2))
_ASSESSED_ENDS = Weighted(("10", 15), ("11", 20), ("12", 30), ("13", 12), ("14", 15), ("16", 8))
_TREATED_ENDS = Weighted(("46", 70), ("47", 15), ("48", 15))
_COMPLAINTS = Weighted(*((c, c.weight) for c in catalogue.COMPLAINTS))
_THERAPIES = {
    "low": Weighted(*catalogue.LOW_INTENSITY_THERAPIES),
    "high": Weighted(*catalogue.HIGH_INTENSITY_THERAPIES),
    "counselling": Weighted(*catalogue.COUNSELLING_THERAPIES),
}
_SESSIONS = {"low": (4, 7), "high": (6, 14), "counselling": (6, 12)}
_DURATIONS = {"low": (30, 45), "high": (50, 60), "counselling": (50, 60)}
_PREVIOUS_DIAGNOSIS = WithDeclined("PrevDiagCondInd", ("N", 82), ("U", 8), ("Y", 4), (None, 4))
_PSYCH_MED = WithDeclined("PsychMed", ("02", 35), ("03", 55), ("01", 3), ("UU", 3))
_KINDS = Weighted(("low", 60), ("high", 25), ("counselling", 15))
_INTERPRETER = Weighted(("1", 70), ("2", 15), ("4", 15))
_DEPRESSION_LED = ("F32", "F33", "F41.2")


@dataclass
class _Referral:
    """Working state of one referral while its rows are laid out."""

    id: str
    patient: PatientFacts
    received: dt.date
    staff_id: str
    kind: str
    mechanism: str
    ltc_service: str
    therapy: str | None = None
    programme: str | None = None
    group: bool = False
    open: bool = False  # something was planned after the window's end
    last_contact: dt.date | None = None
    assessment_activity: str = ""
    last_activity: str = ""


class PathwayGenerator:
    """Lays out referrals for patients; keeps the ids, window and staff it was given."""

    def __init__(self, rng: random.Random, ids: DemoIds, window: DemoWindow, staff: list[tuple[str, str]]) -> None:
        self.rng = rng
        self.ids = ids
        self.window = window
        self.staff = {kind: [sid for sid, k in staff if k == kind] for kind in ("low", "high", "counselling")}

    # -- referral -----------------------------------------------------------

    def add_referral(self, rows: DemoRows, patient: PatientFacts, received: dt.date) -> dt.date | None:
        """One referral and its activity; returns its discharge date (None while it is open)."""
        rng = self.rng
        path = _PATHS.pick(rng)
        kind = "low" if path != "treated" else _KINDS.pick(rng)
        has_ltc = rng.random() < 0.2
        ref = _Referral(
            id=self.ids.next_referral(), patient=patient, received=received,
            staff_id=rng.choice(self.staff[kind]), kind=kind, mechanism=_MECHANISMS.pick(rng),
            ltc_service="Y" if has_ltc and rng.random() < 0.3 else "N",
        )
        onset_earliest = max(patient.birth_date + dt.timedelta(days=15 * 366), received - dt.timedelta(days=5 * 365))
        onset = received - dt.timedelta(days=rng.randint(0, max(0, (received - onset_earliest).days)))
        referral = rows.add(
            "IDS101Referral", ServiceRequestId=ref.id, LocalPatientId=patient.local_id,
            OrgIDComm=catalogue.COMMISSIONER_ODS, ReferralRequestReceivedDate=received.isoformat(),
            SourceOfReferralIAPT=_SOURCES.pick(rng), OnsetDate=onset.strftime("%Y-%m") if rng.random() < 0.85 else None,
            PrevDiagCondInd="Y" if patient.previous_diagnosis else _PREVIOUS_DIAGNOSIS.pick(rng),
        )
        rows.add("app_referral", ServiceRequestId=ref.id, CarePersLocalId=ref.staff_id)
        if path == "not_seen":
            end_code, discharge = self._not_seen(rows, ref)
        else:
            end_code, discharge = self._assessed(rows, ref, treat=path == "treated", has_ltc=has_ltc)
        if discharge is None or discharge > self.window.end or ref.open:
            return None
        referral["EndCode"] = end_code
        referral["ServDischDate"] = discharge.isoformat()
        return discharge

    def _not_seen(self, rows: DemoRows, ref: _Referral) -> tuple[str, dt.date]:
        day = ref.received + dt.timedelta(days=self.rng.randint(5, 30))
        for _ in range(self.rng.choice((0, 1, 1, 2))):
            self._contact(rows, ref, day, ASSESSMENT, _NOT_SEEN_ATTENDANCE.pick(self.rng))
            day += dt.timedelta(days=self.rng.randint(7, 21))
        return "50", max(ref.last_contact or ref.received, ref.received + dt.timedelta(days=self.rng.randint(28, 60)))

    def _assessed(self, rows: DemoRows, ref: _Referral, *, treat: bool, has_ltc: bool) -> tuple[str, dt.date | None]:
        rng = self.rng
        day = ref.received + dt.timedelta(days=round(rng.triangular(1, 28, 5)))
        assessment = None
        for _ in range(3):
            attendance = _ATTENDANCE.pick(rng)
            contact = self._contact(rows, ref, day, ASSESSMENT, attendance)
            if contact is None:
                return "", None
            if attendance in ATTENDED:
                assessment = day = dt.date.fromisoformat(str(contact["CareContDate"]))
                break
            day = dt.date.fromisoformat(str(contact["CareContDate"])) + dt.timedelta(days=rng.randint(7, 14))
        if assessment is None:
            return "50", (ref.last_contact or ref.received) + dt.timedelta(days=rng.randint(7, 21))
        complaint = _COMPLAINTS.pick(rng)
        self._complaints(rows, ref, complaint, assessment)
        if has_ltc:
            for code in sorted(set(rng.sample(catalogue.LONG_TERM_CONDITIONS, rng.choice((1, 1, 2))))):
                rows.add("IDS602LongTermCondition", ServiceRequestId=ref.id, FindSchemeInUse="01",
                         LongTermCondition=code)
        depression_led = complaint.code.startswith(_DEPRESSION_LED)
        first = scores.baseline(rng, depression_led, caseness=rng.random() < 0.88)
        if not treat:
            self._scores(rows, ref.assessment_activity, first, complaint.adsm, wsas=True)
            if rng.random() < 0.4:
                self._referral_scores(rows, ref, assessment, scores.assessment_peq(rng))
            end_code = _ASSESSED_ENDS.pick(rng)
            discharge = assessment + dt.timedelta(days=rng.randint(0, 21))
            if end_code == "13" or (end_code in {"10", "11"} and rng.random() < 0.3):
                self._onward(rows, ref, discharge)
            return end_code, discharge
        return self._treatment(rows, ref, assessment, first, complaint)

    # -- treatment ----------------------------------------------------------

    def _treatment(self, rows: DemoRows, ref: _Referral, assessment: dt.date, first: tuple[int, int],
                   complaint: catalogue.Complaint) -> tuple[str, dt.date | None]:
        rng = self.rng
        end_code = _TREATED_ENDS.pick(rng)
        planned = rng.randint(*_SESSIONS[ref.kind])
        if end_code != "46":
            planned = rng.randint(2, max(2, planned // 2))
        if scores.at_caseness(*first):
            outcome = (scores.OUTCOMES_COMPLETED if end_code == "46" else scores.OUTCOMES_ENDED_EARLY).pick(rng)
        else:
            outcome = scores.UNCHANGED
        last = scores.last_scores(rng, *first, outcome)
        path = scores.trajectory(rng, first, last, planned)
        self._scores(rows, ref.assessment_activity, first, complaint.adsm, wsas=True)
        if rng.random() < 0.3:
            self._referral_scores(rows, ref, assessment, scores.assessment_peq(rng))
        ref.therapy = _THERAPIES[ref.kind].pick(rng)
        if ref.kind == "low":
            programme = catalogue.INTERNET_PROGRAMMES.get(complaint.adsm, catalogue.INTERNET_PROGRAMMES[None])
            ref.programme = programme if rng.random() < 0.15 else None
            ref.group = ref.programme is None and rng.random() < 0.06
            if ref.programme:
                ref.therapy = "748041000000107"  # guided self-help (computer)
        start = assessment + dt.timedelta(days=rng.randint(2, 14) if rng.random() < 0.85 else rng.randint(15, 60))
        if rng.random() < 0.05:
            start = self._pause(rows, ref, assessment)
        day, attended = start, 0
        while attended < planned:
            attendance = _ATTENDANCE.pick(rng)
            contact = self._contact(rows, ref, day, TREATMENT, attendance)
            if contact is None:
                return end_code, None
            if attendance in ATTENDED:
                attended += 1
                wsas = attended == planned or attended % 4 == 0
                self._scores(rows, ref.last_activity, path.at(attended), complaint.adsm, wsas=wsas)
            day = dt.date.fromisoformat(str(contact["CareContDate"])) + dt.timedelta(
                days=rng.choice((7, 7, 7, 14)) if ref.kind == "low" else 7)
        if ref.programme:
            self._internet_logs(rows, ref, start)
        discharge = (ref.last_contact or assessment) + dt.timedelta(days=rng.randint(0, 14))
        if end_code == "46" and rng.random() < 0.12:
            follow_up = (ref.last_contact or assessment) + dt.timedelta(days=rng.randint(28, 56))
            if self._contact(rows, ref, follow_up, FOLLOW_UP, "5") is None:
                return end_code, None
            discharge = ref.last_contact or follow_up
        if discharge <= self.window.end and rng.random() < 0.5:
            peq = scores.treatment_peq(rng, outcome == scores.RECOVERED)
            self._referral_scores(rows, ref, discharge, peq)
        if end_code == "47" and rng.random() < 0.1:
            self._onward(rows, ref, discharge)
        return end_code, discharge

    def _pause(self, rows: DemoRows, ref: _Referral, assessment: dt.date) -> dt.date:
        """A waiting-time pause after the assessment; returns the day treatment can start."""
        rng = self.rng
        start = assessment + dt.timedelta(days=rng.randint(3, 10))
        end = start + dt.timedelta(days=rng.randint(14, 42))
        if start > self.window.end:
            return end
        rows.add("IDS108WaitingTimePauses", PauseID="1", ServiceRequestId=ref.id, PauseStartDate=iso(start),
                 PauseEndDate=iso(end) if end <= self.window.end else None, PauseReason=f"0{rng.randint(1, 3)}")
        return end + dt.timedelta(days=rng.randint(3, 14))

    def _internet_logs(self, rows: DemoRows, ref: _Referral, start: dt.date) -> None:
        last = ref.last_contact or start
        week = start
        while week + dt.timedelta(days=6) <= min(last, self.window.end):
            rows.add("IDS205InternetTherLog", ServiceRequestId=ref.id, StartDateIntEnabledTherLog=iso(week),
                     EndDateIntEnabledTherLog=iso(week + dt.timedelta(days=6)), IntEnabledTherProg=ref.programme,
                     DurationIntEnabledTher=self.rng.randint(10, 30), CarePersLocalId=ref.staff_id,
                     IntegratedSoftwareInd="Y" if self.rng.random() < 0.7 else "N")
            week += dt.timedelta(days=14)

    # -- rows ---------------------------------------------------------------

    def _contact(self, rows: DemoRows, ref: _Referral, day: dt.date, app_type: str, attendance: str) -> Row | None:
        """A care contact (and its activity when attended); None when it falls after the window."""
        rng = self.rng
        day = _weekday(day)
        if day > self.window.end:
            ref.open = True
            return None
        attended = attendance in ATTENDED
        mechanism = ref.mechanism if rng.random() < 0.8 else _MECHANISMS.pick(rng)
        face_to_face = mechanism == "01"
        group = ref.group and app_type == TREATMENT
        low, high = (90, 120) if group else _DURATIONS[ref.kind]
        if app_type == ASSESSMENT:
            low, high = 45, 60
        elif app_type == FOLLOW_UP:
            low, high = 20, 30
        duration = rng.randint(low // 5, high // 5) * 5 if attended else None
        language = ref.patient.language or "en"
        interpreter = None
        if attended:
            interpreter = "4" if language == "en" else _INTERPRETER.pick(rng)
        contact = rows.add(
            "IDS201CareContact", CareContactId=self.ids.next_contact(), ServiceRequestId=ref.id,
            CareContDate=day.isoformat(), CareContTime=f"{rng.randint(9, 16):02d}:{rng.choice((0, 30)):02d}:00",
            OrgIDComm=catalogue.COMMISSIONER_ODS, PlannedCareContIndicator="Y" if rng.random() < 0.97 else "N",
            AttendOrDNACode=attendance,
            Cancellation=("Y" if rng.random() < 0.4 else "N") if attendance == "2" else None,
            ClinContDurOfCareCont=duration, IAPTLTCServiceInd=ref.ltc_service, AppType=app_type,
            ConsMechanism=mechanism, IntEnabledTherProg=ref.programme if app_type == TREATMENT else None,
            CareContPatientTherMode="3" if group else "1",
            NumGroupTherParticipants=rng.randint(6, 12) if group else None,
            NumGroupTherFacilitators=2 if group else None,
            PsychMed=_PSYCH_MED.pick(rng) if attended and app_type == ASSESSMENT else None,
            ActLocTypeCode="B01" if face_to_face else "A01",
            SiteIDOfTreat=rng.choice(catalogue.TREATMENT_SITES) if face_to_face else None,
            LanguageCodeTreat=language if attended else None, InterpreterPresentInd=interpreter,
        )
        ref.last_contact = day
        if attended:
            activity = rows.add(
                "IDS202CareActivity", CareActId=self.ids.next_activity(), CareContactId=contact["CareContactId"],
                CarePersLocalId=ref.staff_id, ClinContactDurOfCareAct=duration,
                CodeProcAndProcStatus=ref.therapy if app_type == TREATMENT else None,
            )
            if app_type == ASSESSMENT:
                ref.assessment_activity = str(activity["CareActId"])
            ref.last_activity = str(activity["CareActId"])
        return contact

    def _complaints(self, rows: DemoRows, ref: _Referral, complaint: catalogue.Complaint, day: dt.date) -> None:
        rows.add("IDS603PresentingComplaints", ServiceRequestId=ref.id, FindSchemeInUse="01", PresComp=complaint.code,
                 PresCompCodSig="1", PresCompDate=iso(day))
        if self.rng.random() < 0.15:
            second = _COMPLAINTS.pick(self.rng)
            if second.code != complaint.code:
                rows.add("IDS603PresentingComplaints", ServiceRequestId=ref.id, FindSchemeInUse="01",
                         PresComp=second.code, PresCompCodSig="2", PresCompDate=iso(day))

    def _scores(self, rows: DemoRows, activity: str, totals: tuple[int, int], adsm: str | None, *, wsas: bool) -> None:
        phq, gad = totals
        measures = [(PHQ9, phq), (GAD7, gad)]
        if adsm:
            measures.append((adsm, scores.adsm_score(adsm, gad)))
        for code, total in measures:
            row_id = self._score_row(rows, activity, code, str(total))
            if entered_item_by_item(code):
                rows.extend("app_questionnaire_answer", [
                    {"score_table": SCORE_ACT, "score_row_id": row_id, "item": item, "answer": str(answer)}
                    for item, answer in enumerate(scores.item_answers(self.rng, code, total), start=1)])
        if wsas:
            for code, value in zip(catalogue.WSAS_ITEMS, scores.wsas_items(self.rng, phq), strict=True):
                self._score_row(rows, activity, code, str(value))

    def _score_row(self, rows: DemoRows, activity: str, code: str, score: str) -> int:
        row_id = self.ids.next_score_row(SCORE_ACT)
        rows.add(SCORE_ACT, app_row_id=row_id, CareActId=activity, CodedAssToolType=code,
                 PersScore=scores.check_in_range(code, score))
        return row_id

    def _referral_scores(self, rows: DemoRows, ref: _Referral, day: dt.date, answers: list[tuple[str, str]]) -> None:
        if day > self.window.end:
            return
        time = f"{self.rng.randint(9, 17):02d}:{self.rng.randint(0, 59):02d}:00"
        for code, answer in answers:
            rows.add(SCORE_REFER, app_row_id=self.ids.next_score_row(SCORE_REFER), ServiceRequestId=ref.id,
                     CodedAssToolType=code, PersScore=scores.check_in_range(code, answer),
                     AssToolCompDate=iso(day), AssToolCompTime=time)

    def _onward(self, rows: DemoRows, ref: _Referral, day: dt.date) -> None:
        if day > self.window.end:
            return
        rows.add("IDS105OnwardReferral", ServiceRequestId=ref.id, OnwardReferDate=iso(day),
                 OnwardReferTime=f"{self.rng.randint(9, 17):02d}:{self.rng.randint(0, 59):02d}:00",
                 OnwardReferReason=self.rng.choice(("01", "02", "03", "04", "05", "06")),
                 OrgIDReceiving=self.rng.choice(catalogue.ONWARD_ORGANISATIONS))


@functools.cache
def entered_item_by_item(code: str) -> bool:
    """True for questionnaires whose items are recorded and summed (their answers are kept)."""
    found = questionnaire_for_code(code)
    return found is not None and found[0].entry is Entry.SUM


def _weekday(day: dt.date) -> dt.date:
    """The day itself, or the Monday after it when it falls at a weekend."""
    return day + dt.timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day

