"""A small, fully valid month of rows (April 2025) built directly in Python, for the engine tests."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from iapt_desktop.domain.dataset import tables
from iapt_desktop.domain.field_checks import nhs_number_check_digit
from iapt_desktop.validation.context import ValidationContext

PERIOD = "2025-04"
PROVIDER = "RX1"
NOW = dt.datetime(2025, 5, 3, 9, 30)


def nhs_number(serial: int) -> str:
    """A valid NHS number in the 999 test range."""
    while True:
        first_nine = f"999{serial:06d}"
        check = nhs_number_check_digit(first_nine)
        number = f"{first_nine}{check}" if check is not None else ""
        if number and number[:5] != number[5:][::-1]:
            return number
        serial += 1


def context(**changes: Any) -> ValidationContext:
    return ValidationContext.for_month(PERIOD, changes.pop("provider", PROVIDER), PROVIDER, NOW)


def full_row(table_name: str, **values: Any) -> dict[str, Any]:
    row = dict.fromkeys(tables()[table_name].column_names)
    unknown = set(values) - set(row)
    assert not unknown, f"{table_name} has no columns {unknown}"
    row.update(values)
    return row


_TEMPLATE: dict[str, list[dict[str, Any]]] = {
    "IDS000Header": [dict(DatSetVer="2.1", OrgIDProv=PROVIDER, OrgIDSubmit=PROVIDER, PrimSystemInUse="IAPT Desktop",
                          ReportingPeriodStartDate="2025-04-01", ReportingPeriodEndDate="2025-04-30",
                          DateTimeDatSetCreate="2025-05-02 10:00:00")],
    "IDS001MPI": [dict(LocalPatientId="P1", OrgIDLocalPatientId=PROVIDER, NHSNumber=nhs_number(1),
                       NHSNumberStatus="01", PersonBirthDate="1980-05-01", Postcode="LS1 4AP", Gender="1",
                       GenderIdentity="1", GenderIdentitySameAtBirth="Y", EthnicCategory="A", ExBAFIndicator="03",
                       LanguageCodePreferred="en", EduEstabTypeIAPT="8")],
    "IDS002GP": [dict(LocalPatientId="P1", GMPCodeReg="B86012", StartDateGMPRegistration="2010-01-01")],
    "IDS003AccommStatus": [dict(LocalPatientId="P1", AccommodationType="01", SettledAccommodationInd="Y",
                                AccommodationTypeDate="2025-04-02")],
    "IDS004EmpStatus": [dict(LocalPatientId="P1", EmployStatus="01", EmployStatusRecDate="2025-04-02",
                             WeekHoursWorked="01", SelfEmployInd="N", SickAbsenceInd="N", SSPInd="N",
                             BenefitRecInd="N", ESAInd="N", UCInd="N", PIPInd="N", EmpSupportInd="N")],
    "IDS007DisabilityType": [dict(LocalPatientId="P1", DisabCode="NN")],
    "IDS011SocPerCircumstances": [dict(LocalPatientId="P1", SocPerCircumstance="15167005",
                                       SocPerCircumstanceRecDate="2025-04-02")],
    "IDS012OverseasVisitorChargCat": [dict(LocalPatientId="P1", OvsVisChCat="A", OvsVisChCatAppDate="2025-04-02")],
    "IDS101Referral": [dict(ServiceRequestId="R1", LocalPatientId="P1", OrgIDComm="15F",
                            ReferralRequestReceivedDate="2025-03-15", SourceOfReferralIAPT="B1", OnsetDate="2024-11",
                            PrevDiagCondInd="N")],
    "IDS105OnwardReferral": [dict(ServiceRequestId="R1", OnwardReferDate="2025-04-20", OnwardReferTime="10:00:00",
                                  OnwardReferReason="01", OrgIDReceiving="RX2")],
    "IDS108WaitingTimePauses": [dict(PauseID="1", ServiceRequestId="R1", PauseStartDate="2025-04-05",
                                     PauseEndDate="2025-04-10", PauseReason="01")],
    "IDS201CareContact": [dict(CareContactId="C1", ServiceRequestId="R1", CareContDate="2025-04-08",
                               CareContTime="10:00:00", OrgIDComm="15F", PlannedCareContIndicator="Y",
                               AttendOrDNACode="5", ClinContDurOfCareCont=50, IAPTLTCServiceInd="N", AppType="02",
                               ConsMechanism="01", CareContPatientTherMode="1", PsychMed="02",
                               LanguageCodeTreat="en", InterpreterPresentInd="4")],
    "IDS202CareActivity": [dict(CareActId="A1", CareContactId="C1", CarePersLocalId="CP1", ClinContactDurOfCareAct=50,
                                CodeProcAndProcStatus="304891004", FindSchemeInUse="01", CodeFind="F320")],
    "IDS205InternetTherLog": [dict(ServiceRequestId="R1", StartDateIntEnabledTherLog="2025-04-01",
                                   EndDateIntEnabledTherLog="2025-04-30", IntEnabledTherProg="SilverCloud",
                                   DurationIntEnabledTher=30, CarePersLocalId="CP1", IntegratedSoftwareInd="Y")],
    "IDS601MedHistPrevDiag": [dict(LocalPatientId="P1", DiagSchemeInUse="01", PrevDiag="F329", DiagDate="2020-01-01")],
    "IDS602LongTermCondition": [dict(ServiceRequestId="R1", FindSchemeInUse="01", LongTermCondition="E119")],
    "IDS603PresentingComplaints": [dict(ServiceRequestId="R1", FindSchemeInUse="01", PresComp="F411",
                                        PresCompCodSig="1", PresCompDate="2025-04-08")],
    "IDS606CodedScoreAssessmentRefer": [dict(ServiceRequestId="R1", CodedAssToolType="720433000", PersScore="12",
                                             AssToolCompDate="2025-04-08", AssToolCompTime="10:00:00")],
    "IDS607CodedScoreAssessmentAct": [dict(CareActId="A1", CodedAssToolType="445455005", PersScore="9")],
    "IDS803CareCluster": [dict(LocalPatientId="P1", AMHCareClustCodeFin="01", StartDateCareClust="2025-04-01")],
    "IDS902CarePersQual": [dict(CarePersLocalId="CP1", QualAttainLevelIAPT="10", QualAwardedDate="2015-06-01")],
}


def valid_month() -> dict[str, list[dict[str, Any]]]:
    """Every table filled with rows that break no rule (not even a warning)."""
    return {name: [full_row(name, **values) for values in copy.deepcopy(rows)] for name, rows in _TEMPLATE.items()}
