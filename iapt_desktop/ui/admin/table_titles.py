"""What each data set table holds, in a few words, for the administrator's screens (from the data set's table list)."""

from __future__ import annotations

TABLE_TITLES: dict[str, str] = {
    "IDS000Header": "File header",
    "IDS001MPI": "Patients",
    "IDS002GP": "GP practice registrations",
    "IDS003AccommStatus": "Accommodation status",
    "IDS004EmpStatus": "Employment status and benefits",
    "IDS007DisabilityType": "Disabilities",
    "IDS011SocPerCircumstances": "Social and personal circumstances",
    "IDS012OverseasVisitorChargCat": "Overseas visitor charging categories",
    "IDS101Referral": "Referrals",
    "IDS105OnwardReferral": "Onward referrals",
    "IDS108WaitingTimePauses": "Waiting-time pauses",
    "IDS201CareContact": "Appointments (care contacts)",
    "IDS202CareActivity": "Care activities (therapy given)",
    "IDS205InternetTherLog": "Internet-enabled therapy logs",
    "IDS601MedHistPrevDiag": "Previous diagnoses",
    "IDS602LongTermCondition": "Long-term physical health conditions",
    "IDS603PresentingComplaints": "Presenting complaints",
    "IDS606CodedScoreAssessmentRefer": "Scores recorded on the referral",
    "IDS607CodedScoreAssessmentAct": "Scores recorded in sessions",
    "IDS803CareCluster": "Care clusters",
    "IDS902CarePersQual": "Staff qualifications",
}


def table_title(name: str) -> str:
    return TABLE_TITLES.get(name, name)
