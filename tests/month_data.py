"""Synthetic rows for submission tests, inserted directly (no demo service needed).

NHS numbers are from the 999 test range; every value is made up.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from iapt_desktop.domain.field_checks import nhs_number_check_digit
from iapt_desktop.storage.settings_store import set_setting


def make_nhs_number(serial: int) -> str:
    """A valid NHS number in the 999 test range for ``serial``."""
    for offset in range(20):
        stem = f"999{(serial * 7 + offset) % 1000000:06d}"
        digit = nhs_number_check_digit(stem)
        if digit is not None:
            return stem + str(digit)
    raise AssertionError("no valid NHS number found")


def set_provider(db: Database, ods: str = "AB1") -> None:
    set_setting(db, "provider_ods", ods)
    set_setting(db, "submitter_ods", ods)


def add_patient(db: Database, patient: str, serial: int = 1, **values: Any) -> None:
    row = {
        "LocalPatientId": patient, "OrgIDLocalPatientId": "AB1", "NHSNumber": make_nhs_number(serial),
        "NHSNumberStatus": "01", "PersonBirthDate": "1980-05-17", "Postcode": "LS1 4AP", "Gender": "2",
        "GenderIdentity": "2", "GenderIdentitySameAtBirth": "Y", "EthnicCategory": "A",
        "LanguageCodePreferred": "en",
    }
    row.update(values)
    db.table("IDS001MPI").insert(row)
    db.table("IDS002GP").insert({"LocalPatientId": patient, "GMPCodeReg": "B86001",
                                 "StartDateGMPRegistration": "2010-01-01"})


def add_referral(db: Database, referral: str, patient: str, received: str, discharged: str | None = None,
                 **values: Any) -> None:
    row = {
        "ServiceRequestId": referral, "LocalPatientId": patient, "OrgIDComm": "15F",
        "ReferralRequestReceivedDate": received, "SourceOfReferralIAPT": "B1", "PrevDiagCondInd": "N",
        "ServDischDate": discharged, "EndCode": "10" if discharged else None,
    }
    row.update(values)
    db.table("IDS101Referral").insert(row)


def add_contact(db: Database, contact: str, referral: str, day: str, *, staff: str | None = "S1",
                score: str | None = "12", **values: Any) -> None:
    row = {
        "CareContactId": contact, "ServiceRequestId": referral, "CareContDate": day, "CareContTime": "10:00:00",
        "PlannedCareContIndicator": "Y", "AttendOrDNACode": "5", "ClinContDurOfCareCont": 50, "AppType": "02",
        "ConsMechanism": "01", "ActLocTypeCode": "A01", "IAPTLTCServiceInd": "N", "CareContPatientTherMode": "1",
        "SiteIDOfTreat": "AB1AA",
    }
    row.update(values)
    db.table("IDS201CareContact").insert(row)
    db.table("IDS202CareActivity").insert({
        "CareActId": f"{contact}-A", "CareContactId": contact, "CarePersLocalId": staff,
        "ClinContactDurOfCareAct": 50, "CodeProcAndProcStatus": "1127281000000100",
    })
    if score is not None:
        db.table("IDS607CodedScoreAssessmentAct").insert({
            "CareActId": f"{contact}-A", "CodedAssToolType": "720433000", "PersScore": score})


def add_staff(db: Database, staff: str = "S1", level: str = "10", **values: Any) -> None:
    row = {"CarePersLocalId": staff, "QualAttainLevelIAPT": level, "QualAwardedDate": "2015-06-30"}
    row.update(values)
    db.table("IDS902CarePersQual").insert(row)
