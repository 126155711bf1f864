"""How a finding names its row: the data set key, or the parent key and the distinguishing columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iapt_desktop.domain.dataset import table

# Tables without a key of their own: the columns that tell their rows apart (parent key first).
IDENTITY_COLUMNS: dict[str, tuple[str, ...]] = {
    "IDS000Header": ("OrgIDProv", "ReportingPeriodStartDate"),
    "IDS002GP": ("LocalPatientId", "GMPCodeReg", "StartDateGMPRegistration"),
    "IDS003AccommStatus": ("LocalPatientId", "AccommodationType", "AccommodationTypeDate"),
    "IDS004EmpStatus": ("LocalPatientId", "EmployStatus", "EmployStatusRecDate"),
    "IDS007DisabilityType": ("LocalPatientId", "DisabCode"),
    "IDS011SocPerCircumstances": ("LocalPatientId", "SocPerCircumstance", "SocPerCircumstanceRecDate"),
    "IDS012OverseasVisitorChargCat": ("LocalPatientId", "OvsVisChCat", "OvsVisChCatAppDate"),
    "IDS105OnwardReferral": ("ServiceRequestId", "OnwardReferDate", "OnwardReferReason"),
    "IDS108WaitingTimePauses": ("ServiceRequestId", "PauseID"),
    "IDS205InternetTherLog": ("ServiceRequestId", "StartDateIntEnabledTherLog", "IntEnabledTherProg"),
    "IDS601MedHistPrevDiag": ("LocalPatientId", "PrevDiag", "DiagDate"),
    "IDS602LongTermCondition": ("ServiceRequestId", "LongTermCondition"),
    "IDS603PresentingComplaints": ("ServiceRequestId", "PresComp", "PresCompDate"),
    "IDS606CodedScoreAssessmentRefer": ("ServiceRequestId", "CodedAssToolType", "AssToolCompDate", "AssToolCompTime"),
    "IDS607CodedScoreAssessmentAct": ("CareActId", "CodedAssToolType"),
    "IDS803CareCluster": ("LocalPatientId", "AMHCareClustCodeFin", "StartDateCareClust"),
    "IDS902CarePersQual": ("CarePersLocalId", "QualAttainLevelIAPT"),
}


def row_key(table_name: str, row: Mapping[str, Any]) -> str:
    """'P0001' for keyed tables; 'LocalPatientId=P0001, DisabCode=04' for the others."""
    try:
        definition = table(table_name)
    except KeyError:
        return ""
    if definition.has_own_key:
        value = row.get(definition.primary_key[0])
        return "" if value is None else str(value)
    columns = IDENTITY_COLUMNS.get(table_name, (definition.parent_column,) if definition.parent_column else ())
    return ", ".join(f"{name}={'' if row.get(name) is None else row.get(name)}" for name in columns)
