"""How the national v2.0 rules map onto this app's checks (data for derive_validation_rules.py).

Renamed and removed v2.1 columns, the operands of date comparisons, and the national ids whose
check is a comparison, header metadata, a placeholder in the public code, a message without code,
or a lookup in national reference data.
"""

from __future__ import annotations

SEVERITY = {"REJECT_FILE": "reject_file", "REJECT_GROUP": "reject_group",
            "REJECT_RECORD": "reject_record", "WARNING": "warning"}
RENAMED = {"SourceOfReferralMH": "SourceOfReferralIAPT", "ConsMediumUsed": "ConsMechanism"}
REMOVED = {"OrgIDResidenceResp": "IDS001MPI", "OrgIDGPPrac": "IDS002GP", "JSAInd": "IDS004EmpStatus",
           "OtherBenefitInd": "IDS004EmpStatus"}
PERIOD_OPERANDS = {"ReportingPeriodStartDate": "period.start", "ReportingPeriodEndDate": "period.end"}
PARENT_OPERANDS = {"PersonBirthDate": "IDS001MPI.PersonBirthDate",
                   "ReferralRequestReceivedDate": "IDS101Referral.ReferralRequestReceivedDate"}


# column_comparison_rule: what each national id compares (our named predicates)
COMPARISONS = {
    "IDSREJ008": ("IDS001MPI", "PersonBirthDate", "birth_date_plausible", "max_age=120"),
    "IDS00117": ("IDS001MPI", "NHSNumber", "present_when_other_in", "other=NHSNumberStatus; values=07"),
    "IDS00118": ("IDS001MPI", "NHSNumberStatus NHSNumber", "both_blank", ""),
    "IDS00153": ("IDS001MPI", "OrgIDLocalPatientId", "equals_context", "key=provider_code"),
    "IDS00161": ("IDS001MPI", "NHSNumber", "blank_when_other_in", "other=NHSNumberStatus; values=01 02"),
    "IDS00433": ("IDS004EmpStatus", "EmpSupportInd", "blank_when_other_present", "other=EmpSupportReferral"),
    "IDS00435": ("IDS004EmpStatus", "EmpSupportReferral", "blank_when_other_in", "other=EmpSupportInd; values=Y"),
    "IDS10137": ("IDS101Referral", "EndCode", "blank_when_other_present", "other=ServDischDate"),
    "IDS10138": ("IDS101Referral", "ServDischDate", "blank_when_other_present", "other=EndCode"),
    "IDS20166": ("IDS201CareContact", "Cancellation", "blank_when_other_in", "other=AttendOrDNACode; values=2"),
    "IDS20167": ("IDS201CareContact", "Cancellation", "present_when_other_not_in",
                 "other=AttendOrDNACode; values=2; other_blank_fires=no"),
    "IDS20214": ("IDS202CareActivity", "CodeFind", "present_when_other_not_in",
                 "other=FindSchemeInUse; codes=FindSchemeInUse; other_blank_fires=yes"),
    "IDS20216": ("IDS202CareActivity", "CodeFind", "blank_when_other_present", "other=FindSchemeInUse"),
    "IDS20226": ("IDS202CareActivity", "UnitMeasure", "blank_when_other_present", "other=ObsValue"),
}
HEADER_METADATA = {
    "IDS00016": ("ReportingPeriodStartDate", "key=period_start",
                 "Compared with the reporting period chosen for this file (no portal upload metadata offline)."),
    "IDS00019": ("ReportingPeriodEndDate", "key=period_end",
                 "Compared with the reporting period chosen for this file (no portal upload metadata offline)."),
    "IDS00030": ("OrgIDProv", "key=provider_code",
                 "Compared with the provider code in Settings, standing in for the portal login."),
    "IDS00033": ("OrgIDSubmit", "key=submitter_code",
                 "Compared with the submitting organisation code in Settings, standing in for the portal login."),
}
PLACEHOLDERS = {
    "IDSREJ001": ("", "", "row_structure", "", "replaced",
                  "Checks that every table and column is the data set's own (no missing or unknown columns); "
                  "the export itself writes into the official blank IDB."),
    "IDSREJ002": ("IDS000Header", "", "table_not_empty", "", "national", ""),
    "IDSREJ003": ("IDS001MPI", "", "table_not_empty", "", "national", ""),
    "IDSREJ004": ("IDS101Referral", "", "table_not_empty", "", "national", ""),
    "IDSREJ005": ("IDS002GP", "", "table_not_empty", "", "national", ""),
    "IDS00223": ("IDS002GP", "EndDateGMPRegistration", "gp_registration_followed", "", "replaced",
                 "A placeholder in the public code; our reading: a registration with an end date needs another "
                 "registration for the patient starting on that day or the next, at a different practice."),
    "IDSREJ012": ("", "", "period_has_records", "", "replaced",
                  "A placeholder in the public code; our reading: the file must carry a referral open in the "
                  "period or an activity row dated in it."),
    "IDSREJ015": ("IDS000Header", "", "single_valid_header", "", "national",
                  "Exactly one header row, with no record-level rejects."),
    "IDSREJ101": ("IDS101Referral", "", "all_records_failed", "", "national",
                  "Fires when no referral survives validation."),
}
MESSAGE_ONLY = {
    "IDS10129": ("IDS101Referral", "ServDischDate", "discharged_needs_follow_up", "", "national",
                 "Not in the public code; implemented from the message: a follow-up appointment is a care "
                 "contact (IDS201) for the referral dated in the period with AppType 06 (follow-up; NHS England's "
                 "reports treat 06 so, its label is unconfirmed), a PEQ an IDS606 row dated in the period with a "
                 "PEQ tool code. The month's file brings such referrals in by the same definition "
                 "(domain/discharged_follow_up.py)."),
    "IDS20169": ("IDS201CareContact", "AttendOrDNACode", "attended_contact_has_activity", "values=5 6", "national",
                 "Not in the public code; implemented from the message."),
}
REFERENCE_LOOKUPS = {
    "is_valid_organisation_identifier_or_null_ignoring_succession_rule": "ods_organisation",
    "is_valid_postcode_or_null_rule": "postcode_directory",
    "is_valid_gp_practice_code_or_null_rule": "gp_practice",
    "is_valid_site_id_or_null_rule": "ods_site",
}
OFFLINE_SOURCE = {
    "ods_organisation": "a downloaded ODS organisation extract (NHS England ODS 'etr'/'eccg' CSV files) with open/close dates",
    "postcode_directory": "the ONS National Statistics Postcode Lookup (NSPL) with introduction/termination dates",
    "gp_practice": "the ODS GP practice extract (epraccur.csv) with open/close dates",
    "ods_site": "the ODS site extracts (ets.csv and branch files) with open/close dates",
}
