"""Words shown for the data set's columns on the forms (technical names stay in tooltips)."""

from __future__ import annotations

from iapt_desktop.domain.circumstance_labels import circumstance_code_list
from iapt_desktop.domain.codes import CodeList, code_list

LABELS: dict[str, str] = {
    "LocalPatientId": "Local patient ID",
    "OrgIDLocalPatientId": "Organisation of the ID",
    "NHSNumber": "NHS number",
    "NHSNumberStatus": "NHS number status",
    "PersonBirthDate": "Date of birth",
    "Postcode": "Postcode",
    "Gender": "Stated gender",
    "GenderIdentity": "Gender identity",
    "GenderIdentitySameAtBirth": "Gender same as at birth",
    "EthnicCategory": "Ethnic category",
    "EthnicCategory2021": "Ethnic category (2021)",
    "ExBAFIndicator": "Ex-British armed forces",
    "LanguageCodePreferred": "Preferred language",
    "EduEstabTypeIAPT": "Education establishment",
    "GMPCodeReg": "GP practice code",
    "StartDateGMPRegistration": "Registered from",
    "EndDateGMPRegistration": "Registered until",
    "AccommodationType": "Accommodation type",
    "SettledAccommodationInd": "Settled accommodation",
    "AccommodationTypeDate": "Recorded on",
    "AccommodationTypeStartDate": "From",
    "AccommodationTypeEndDate": "Until",
    "EmployStatus": "Employment status",
    "EmployStatusRecDate": "Recorded on",
    "WeekHoursWorked": "Weekly hours",
    "SelfEmployInd": "Self-employed",
    "SickAbsenceInd": "Sickness absence",
    "SSPInd": "Statutory sick pay",
    "BenefitRecInd": "Benefits",
    "ESAInd": "ESA",
    "UCInd": "Universal Credit",
    "PIPInd": "PIP",
    "EmpSupportInd": "Employment support suitable",
    "EmpSupportReferral": "Employment support referral",
    "EmpSupportDischargeDate": "Employment support discharge",
    "DisabCode": "Disability",
    "SocPerCircumstance": "Circumstance",
    "SocPerCircumstanceRecDate": "Recorded on",
    "OvsVisChCat": "Overseas visitor charging category",
    "OvsVisChCatAppDate": "Applies from",
    "DiagSchemeInUse": "Diagnosis scheme",
    "PrevDiag": "Previous diagnosis (code)",
    "DiagDate": "Diagnosed on",
    "ServiceRequestId": "Referral ID",
    "OrgIDComm": "Commissioner",
    "ReferralRequestReceivedDate": "Received on",
    "SourceOfReferralIAPT": "Source of referral",
    "OnsetDate": "Symptoms began (yyyy-mm)",
    "PrevDiagCondInd": "Previously diagnosed",
    "EndCode": "Discharge reason",
    "ServDischDate": "Discharged on",
    "OnwardReferDate": "Referred on",
    "OnwardReferTime": "Time",
    "OnwardReferReason": "Reason",
    "OrgIDReceiving": "Receiving organisation",
    "PauseID": "Pause ID",
    "PauseStartDate": "Paused from",
    "PauseEndDate": "Paused until",
    "PauseReason": "Reason",
    "FindSchemeInUse": "Coding scheme",
    "LongTermCondition": "Condition (code)",
    "PresComp": "Complaint (code)",
    "PresCompCodSig": "Significance",
    "PresCompDate": "Recorded on",
    "CareContDate": "Date",
    "CareContTime": "Time",
    "AppType": "Appointment type",
    "AttendOrDNACode": "Attendance",
    "ConsMechanism": "How",
    "ClinContDurOfCareCont": "Minutes",
    "QualAttainLevelIAPT": "Qualification level",
    "QualAwardedDate": "Awarded",
    "QualPlannedCompletionDate": "Planned completion",
}

HINTS: dict[str, str] = {
    "PresComp": "ICD-10 (e.g. F411) or SNOMED CT, as the coding scheme says",
    "LongTermCondition": "ICD-10 or SNOMED CT code, as the coding scheme says",
    "PrevDiag": "Code in the diagnosis scheme",
    "OnsetDate": "Year and month, e.g. 2024-11",
}


def label(column: str) -> str:
    return LABELS.get(column, column)


def codes_for(column: str) -> CodeList | None:
    """The code list a column is picked from (social circumstances get worded SNOMED lists)."""
    if column == "SocPerCircumstance":
        return circumstance_code_list()
    return code_list(column)
