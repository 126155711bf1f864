"""Derive resources/rules/rules.csv from the national v2.0 rule list (run once, then edit the CSV as data).

    python scripts/derive_validation_rules.py [REFERENCE_DATA_DIR]

Reads iapt_v2_0_validation_rules.csv and iapt_v2_0_validation_messages.csv from the
reference pack and writes one row per rule id: every national id (adapted to the
v2.1 data set) plus our own LOCAL-* rules for what v2.1 added.  The app never reads
the reference pack; it reads only the CSV written here.  After generation the CSV
is the source of truth: edit it, then run scripts/write_rules_doc.py.

Columns: id, status, severity, table, fields, check, params, message, action, note
  status   national | adapted | replaced | local | reference_data | not_applicable
  check    a name from iapt_desktop.validation.check_registry.CHECKS
  params   "key=value; key=value"
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference" / "data"
OUT = ROOT / "resources" / "rules" / "rules.csv"

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
                 "Not in the public code; implemented from the message: a follow-up appointment is any care "
                 "contact (IDS201) for the referral dated in the period, a PEQ an IDS606 row with a PEQ tool code."),
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

# Our own rules for what v2.1 added (no national ids exist): clearly local and inferred.
LOCAL_RULES = [
    # id, severity, table, fields, check, params, message, note
    ("LOCAL-IDS001-01", "warning", "IDS001MPI", "GenderIdentity", "in_code_list", "codes=GenderIdentity",
     "Gender Identity Code contains an invalid Gender Identity Code.", "By analogy with IDS00131 (Gender)."),
    ("LOCAL-IDS001-02", "warning", "IDS001MPI", "GenderIdentitySameAtBirth", "in_code_list",
     "codes=GenderIdentitySameAtBirth",
     "Gender Identity Same At Birth Indicator contains an invalid value.", "By analogy with IDS00131."),
    ("LOCAL-IDS003-01", "reject_record", "IDS003AccommStatus", "LocalPatientId", "not_blank", "",
     "Local Patient Identifier (Extended) is blank.", "By analogy with IDS00403."),
    ("LOCAL-IDS003-02", "reject_record", "IDS003AccommStatus", "LocalPatientId", "text_length", "min=0; max=20",
     "Local Patient Identifier (Extended) has an incorrect data format.", "By analogy with IDS00404."),
    ("LOCAL-IDS003-03", "reject_record", "IDS003AccommStatus", "AccommodationType", "not_blank", "",
     "Accommodation Type is blank.", "AccommodationType is M in the v2.1 Data Dictionary."),
    ("LOCAL-IDS003-04", "reject_record", "IDS003AccommStatus", "AccommodationTypeDate", "not_blank", "",
     "Accommodation Type Recorded Date is blank.", "AccommodationTypeDate is M in the v2.1 Data Dictionary."),
    ("LOCAL-IDS003-05", "warning", "IDS003AccommStatus", "SettledAccommodationInd", "in_code_list",
     "codes=SettledAccommodationInd", "Settled Accommodation Indicator contains an invalid value.",
     "Value set (unconfirmed) from the Data Dictionary element."),
    ("LOCAL-IDS003-06", "reject_record", "IDS003AccommStatus", "AccommodationTypeDate", "valid_date", "",
     "Accommodation Type Recorded Date has incorrect date format.", "By analogy with IDS00408."),
    ("LOCAL-IDS003-07", "reject_record", "IDS003AccommStatus", "AccommodationTypeStartDate", "valid_date", "",
     "Accommodation Type Start Date has incorrect date format.", "By analogy with IDS00408."),
    ("LOCAL-IDS003-08", "reject_record", "IDS003AccommStatus", "AccommodationTypeEndDate", "valid_date", "",
     "Accommodation Type End Date has incorrect date format.", "By analogy with IDS00408."),
    ("LOCAL-IDS003-09", "reject_record", "IDS003AccommStatus", "AccommodationTypeDate", "date_on_or_before",
     "other=period.end", "Accommodation Type Recorded Date is after the end of the reporting period.",
     "By analogy with IDS00436."),
    ("LOCAL-IDS003-10", "reject_record", "IDS003AccommStatus", "AccommodationTypeDate", "date_on_or_after",
     "other=IDS001MPI.PersonBirthDate", "Accommodation Type Recorded Date is before Person Birth Date.",
     "By analogy with IDS00438."),
    ("LOCAL-IDS003-11", "reject_record", "IDS003AccommStatus", "AccommodationTypeEndDate", "date_on_or_after",
     "other=AccommodationTypeStartDate", "Accommodation Type End Date is prior to the Accommodation Type Start Date.",
     "By analogy with IDS00216."),
    ("LOCAL-IDS003-12", "reject_group", "IDS003AccommStatus", "LocalPatientId", "parent_exists",
     "parent=IDS001MPI", "No valid IDS001 group transmitted for this Local Patient Identifier (Extended).",
     "By analogy with IDS00401; the v2.1 constants link IDS003 to IDS001."),
    ("LOCAL-IDS003-13", "reject_group", "IDS003AccommStatus", "LocalPatientId AccommodationTypeDate AccommodationType",
     "unique", "", "More than one IDS003 provided for this Local Patient Identifier (Extended) + Accommodation Type "
     "Recorded Date + Accommodation Type combination.", "By analogy with IDS00402."),
    ("LOCAL-IDS004-01", "reject_record", "IDS004EmpStatus", "EmpSupportDischargeDate", "valid_date", "",
     "Discharge Date (Employment Support) has incorrect data format.", "By analogy with IDS00434."),
    ("LOCAL-IDS004-02", "reject_record", "IDS004EmpStatus", "EmpSupportDischargeDate", "date_on_or_before",
     "other=period.end", "Discharge Date (Employment Support) is after the end of the reporting period.",
     "By analogy with IDS00437."),
    ("LOCAL-IDS004-03", "reject_record", "IDS004EmpStatus", "EmpSupportDischargeDate", "date_on_or_after",
     "other=EmpSupportReferral", "Discharge Date (Employment Support) is before the Employment Support Referral Date.",
     "By analogy with IDS10128."),
    ("LOCAL-IDS004-04", "reject_record", "IDS004EmpStatus", "EmpSupportDischargeDate", "date_on_or_after",
     "other=IDS001MPI.PersonBirthDate", "Discharge Date (Employment Support) is before Person Birth Date.",
     "By analogy with IDS00439."),
    ("LOCAL-IDS202-01", "warning", "IDS202CareActivity", "CarePersLocalId", "listed_in",
     "target=IDS902CarePersQual.CarePersLocalId",
     "Care Personnel Local Identifier has no IDS902 qualification row in this file.",
     "v2.0 has no such rule; NHS England links activity to IDS902 by this id downstream."),
    ("LOCAL-IDS205-01", "warning", "IDS205InternetTherLog", "CarePersLocalId", "listed_in",
     "target=IDS902CarePersQual.CarePersLocalId",
     "Care Personnel Local Identifier has no IDS902 qualification row in this file.",
     "v2.0 has no such rule; NHS England links activity to IDS902 by this id downstream."),
    ("LOCAL-IDS601-01", "reject_record", "IDS601MedHistPrevDiag", "LocalPatientId", "not_blank", "",
     "Local Patient Identifier (Extended) is blank.", "By analogy with IDS00403."),
    ("LOCAL-IDS601-02", "reject_record", "IDS601MedHistPrevDiag", "LocalPatientId", "text_length", "min=0; max=20",
     "Local Patient Identifier (Extended) has an incorrect data format.", "By analogy with IDS00404."),
    ("LOCAL-IDS601-03", "reject_record", "IDS601MedHistPrevDiag", "DiagSchemeInUse", "not_blank", "",
     "Diagnosis Scheme In Use is blank.", "By analogy with IDS60204."),
    ("LOCAL-IDS601-04", "warning", "IDS601MedHistPrevDiag", "DiagSchemeInUse", "in_code_list", "codes=DiagSchemeInUse",
     "Diagnosis Scheme In Use contains an invalid Diagnosis Scheme In Use.",
     "By analogy with IDS60206; value set (unconfirmed)."),
    ("LOCAL-IDS601-05", "reject_record", "IDS601MedHistPrevDiag", "PrevDiag", "not_blank", "",
     "Previous Diagnosis (Coded Clinical Entry) is blank.", "By analogy with IDS60207."),
    ("LOCAL-IDS601-06", "reject_record", "IDS601MedHistPrevDiag", "PrevDiag", "coded_entry", "scheme=DiagSchemeInUse",
     "Previous Diagnosis (Coded Clinical Entry) format does not match expected format from selected Diagnosis "
     "Scheme In Use.", "By analogy with IDS60209 (ICD-10 4 to 6 characters, SNOMED CT checked id)."),
    ("LOCAL-IDS601-07", "reject_record", "IDS601MedHistPrevDiag", "DiagDate", "valid_date", "",
     "Diagnosis Date has incorrect date format.", "By analogy with IDS60313."),
    ("LOCAL-IDS601-08", "reject_record", "IDS601MedHistPrevDiag", "DiagDate", "date_on_or_before", "other=period.end",
     "Diagnosis Date is after the end of the reporting period.", "By analogy with IDS60314."),
    ("LOCAL-IDS601-09", "reject_record", "IDS601MedHistPrevDiag", "DiagDate", "date_on_or_after",
     "other=IDS001MPI.PersonBirthDate", "Diagnosis Date is before Person Birth Date.", "By analogy with IDS60316."),
    ("LOCAL-IDS601-10", "reject_group", "IDS601MedHistPrevDiag", "LocalPatientId", "parent_exists", "parent=IDS001MPI",
     "No valid IDS001 group transmitted for this Local Patient Identifier (Extended).",
     "By analogy with IDS00401; the v2.1 constants link IDS601 to IDS001."),
    ("LOCAL-IDS601-11", "reject_group", "IDS601MedHistPrevDiag", "LocalPatientId PrevDiag DiagDate", "unique", "",
     "More than one IDS601 provided for this Local Patient Identifier (Extended) + Previous Diagnosis + Diagnosis "
     "Date combination.", "By analogy with IDS60210."),
]

PARENT_WORDS = {"IDS001MPI": "patient", "IDS101Referral": "referral", "IDS201CareContact": "appointment",
                "IDS202CareActivity": "care activity"}
ACRONYMS = {"NHS", "GP", "GMP", "SNOMED", "CT", "ICD-10", "IAPT", "UCUM", "ODS", "PEQ", "ID", "(SNOMED", "CT)",
            "(GMP", "(IAPT)"}


def label(column: str, names: dict[str, str]) -> str:
    words = names.get(column, column).split()
    out = []
    for i, word in enumerate(words):
        if word in ACRONYMS or word.strip("()") in {"NHS", "GP", "GMP", "SNOMED", "CT", "IAPT", "UCUM", "PEQ"}:
            out.append(word)
        else:
            out.append(word.capitalize() if i == 0 else word.lower())
    return " ".join(out)


def table_for(rule_id: str, tables: list[str]) -> str:
    number = rule_id[3:6]
    for name in tables:
        if name[3:6] == number:
            return name
    raise KeyError(rule_id)


def action_for(check: str, severity: str, fields: list[str], params: dict[str, str], names: dict[str, str]) -> str:
    """A plain-words 'what to do' for the findings panel, generated once and kept as data."""
    f = label(fields[0], names) if fields else ""
    consequence = {
        "reject_file": "NHS England refuses the whole file until this is fixed.",
        "reject_group": "NHS England drops this row and the rows that belong to it.",
        "reject_record": "NHS England drops this row.",
        "warning": "The row is accepted, but the data quality report will list it.",
    }[severity]
    other = params.get("other", "")
    other_label = ""
    if other.startswith("period."):
        other_label = "the reporting period " + ("start" if other.endswith("start") else "end")
    elif other:
        other_label = label(other.split(".")[-1], names)
    text = {
        "not_blank": f"Fill in {f}.",
        "text_length": (f"Correct {f}: it must be at most {params.get('max')} characters long."
                        if params.get("min") == "0" else
                        f"Correct {f}: it must be {params.get('min')} to {params.get('max')} characters long."
                        if params.get("min") != params.get("max") else
                        f"Correct {f}: it must be exactly {params.get('max')} characters long."),
        "digits": f"Correct {f}: whole number, digits only, at most {params.get('max')} digits.",
        "matches": f"Correct the format of {f}.",
        "must_not_match": f"Write {f} as YYYY-MM (with a hyphen).",
        "in_code_list": f"Choose {f} from its code list.",
        "valid_date": f"Enter {f} as a real date.",
        "valid_time": f"Enter {f} as a time of day (HH:MM).",
        "valid_datetime": f"Enter {f} as a date and time.",
        "snomed_ct": f"Check {f}: it must be a SNOMED CT code with a valid check digit; pick it from the list.",
        "coded_entry": f"Make {f} match its scheme: ICD-10 codes have 4 to 6 characters (e.g. F32X), "
                       "SNOMED CT codes are checked concept ids.",
        "date_on_or_after": f"Correct {f}: it must not be before {other_label or params.get('date', '')}.",
        "date_on_or_before": f"Correct {f}: it must not be after {other_label}"
                             + (f" plus {params['offset']}" if params.get("offset") else "") + ".",
        "not_after_now": "Create the file again: its creation time is in the future (check the computer clock).",
        "onset_not_before_birth": "Correct the month of symptom onset or the date of birth: onset cannot be before birth.",
        "nhs_number": "Correct the NHS number (a digit is probably mistyped) or leave it blank and set the NHS number status.",
        "birth_date_plausible": "Correct the date of birth: it is after the reporting period or makes the person over 120.",
        "both_blank": f"Fill in {f} or {label(fields[1], names) if len(fields) > 1 else ''}.",
        "blank_when_other_in": f"Fill in {f}, or change {other_label}.",
        "blank_when_other_present": f"Fill in {f}, or clear {other_label} if it was entered by mistake.",
        "present_when_other_in": f"Clear {f} or change {other_label}: the two contradict each other.",
        "present_when_other_not_in": f"Clear {f} or correct {other_label}: the two contradict each other.",
        "equals_context": {
            "provider_code": f"Make {f} the provider code set in Settings (or correct Settings).",
            "submitter_code": f"Make {f} the submitting organisation code set in Settings (or correct Settings).",
            "period_start": "Produce the file again for the intended month; the header must carry its start date.",
            "period_end": "Produce the file again for the intended month; the header must carry its end date.",
        }.get(params.get("key", ""), f"Correct {f}."),
        "unique": f"Remove or merge the duplicate rows (same {', '.join(label(x, names) for x in fields)}).",
        "unique_where_blank": f"Only one row per patient may have {label(params.get('blank', ''), names)} blank: "
                              "fill in the end date of the older one or remove the duplicate.",
        "unique_attended_contact": "Two attended appointments share a date and time for this referral: "
                                   "remove the duplicate or correct the time.",
        "parent_exists": f"This row's {PARENT_WORDS.get(params.get('parent', ''), 'parent row')} is missing from "
                         "the file or was rejected: fix that row's own problems first, or link this row to the "
                         f"right {PARENT_WORDS.get(params.get('parent', ''), 'parent row')}.",
        "has_child": f"Add the missing {params.get('child', '')} row for this patient, or fix the problems in it.",
        "table_not_empty": "Record at least one row of this kind for the month before exporting.",
        "single_valid_header": "Fix the problems reported for the header (IDS000Header) row: it is built from "
                               "Settings and the chosen month.",
        "period_has_records": "Check the chosen month: nothing in the file belongs to it.",
        "all_records_failed": "Fix the record-level problems listed: every referral was rejected.",
        "row_structure": "Export with this app only: the file's tables or columns differ from the data set.",
        "gp_registration_followed": "Add the patient's next GP registration (starting the day the old one ended) "
                                    "or clear the end date.",
        "discharged_needs_follow_up": "Leave this referral out of this month's file, or record the follow-up "
                                      "appointment or PEQ that brings it in.",
        "attended_contact_has_activity": "Record the therapy activity (what was done) for this attended appointment.",
        "assessment_tool_known": "Choose the questionnaire from the list of accepted tools.",
        "score_format": "Correct the score: its format does not fit the questionnaire (e.g. PHQ-9 takes 0 to 27).",
        "score_in_range": "Correct the score: it is outside the questionnaire's range.",
        "listed_in": "Add this practitioner's qualification (IDS902) row, or correct the practitioner id.",
        "national_reference_data": "Check the code against the national list (not checked offline).",
        "not_applicable": "Nothing to do in v2.1.",
    }[check]
    if check in {"national_reference_data", "not_applicable"}:
        return text
    return f"{text} {consequence}"


ACTION_OVERRIDES = {
    "IDSREJ007": "Write the postcode as outward code, space, inward code (e.g. LS1 4AP), or leave it blank if "
                 "unknown. NHS England refuses the whole file until this is fixed.",
    "IDS00004": "The data set version must look like 2.1. NHS England drops this row.",
    "IDS10132": "Write the month of symptom onset as YYYY-MM (e.g. 2024-11). NHS England drops this row.",
}


def parse_len(parameters: str) -> dict[str, str]:
    match = re.search(r"len (\d+)\.\.(\d+)", parameters)
    return {"min": match.group(1), "max": match.group(2)} if match else {}


def params_text(params: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in params.items() if v != "")


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_REFERENCE
    columns = list(csv.DictReader(open(ROOT / "resources" / "dataset" / "columns.csv", encoding="utf-8")))
    names = {c["column"]: c["data_dictionary_name"] for c in columns}
    tables = list(dict.fromkeys(c["table"] for c in columns))
    table_columns = {t: {c["column"] for c in columns if c["table"] == t} for t in tables}
    code_lists: dict[str, set[str]] = {}
    for row in csv.DictReader(open(ROOT / "resources" / "dataset" / "code_lists.csv", encoding="utf-8")):
        code_lists.setdefault(row["column"], set()).add(row["code"])
    messages = {r["rule_id"]: r for r in csv.DictReader(open(data / "iapt_v2_0_validation_messages.csv", encoding="utf-8"))}
    national = list(csv.DictReader(open(data / "iapt_v2_0_validation_rules.csv", encoding="utf-8")))
    out: list[dict[str, str]] = []

    def emit(rule_id, status, severity, table, fields, check, params, note, message=None):
        fields_list = fields.split()
        out.append({
            "id": rule_id, "status": status, "severity": severity, "table": table, "fields": fields,
            "check": check, "params": params_text(params),
            "message": message if message is not None else messages[rule_id]["message"],
            "action": ACTION_OVERRIDES.get(rule_id) or action_for(check, severity, fields_list, params, names),
            "note": note,
        })

    for rule in national:
        rid, fn = rule["rule_id"], rule["check_function"]
        severity = SEVERITY[messages[rid]["severity"]]
        raw_fields = rule["fields"].split()
        fields = [RENAMED.get(f, f) for f in raw_fields]
        renamed = [f for f in raw_fields if f in RENAMED]
        removed = [f for f in raw_fields if f in REMOVED]
        note = f"Column renamed in v2.1: {', '.join(f'{f} -> {RENAMED[f]}' for f in renamed)}." if renamed else ""
        status = "adapted" if renamed else "national"
        params: dict[str, str] = {}
        if removed:
            table = REMOVED[removed[0]]
            emit(rid, "not_applicable", severity, table, " ".join(fields), "not_applicable", {},
                 f"Column {removed[0]} was removed from the data set in v2.1, so this rule cannot apply.")
            continue
        if rid in PLACEHOLDERS:
            table, fld, check, prm, status, note = PLACEHOLDERS[rid]
            emit(rid, status, severity, table, fld, check, dict(p.split("=") for p in prm.split("; ") if p), note)
            continue
        if fn in REFERENCE_LOOKUPS:
            lookup = REFERENCE_LOOKUPS[fn]
            table = table_for(rid, tables)
            emit(rid, "reference_data", severity, table, " ".join(fields), "national_reference_data",
                 {"lookup": lookup},
                 f"Needs national reference data. Offline option: {OFFLINE_SOURCE[lookup]}, imported into the app "
                 "and looked up for the reporting period.")
            continue
        table = rule["tables"] if rule["tables"] in tables else (
            "IDS001MPI" if rid.startswith("IDSREJ") else table_for(rid, tables))
        check = ""
        if fn == "column_not_blank_rule":
            check = "not_blank"
        elif fn == "column_is_alphanumeric_rule":
            check, params = "text_length", parse_len(rule["parameters"])
        elif fn == "column_is_numeric_rule":
            check, params = "digits", parse_len(rule["parameters"])
        elif fn in {"column_format_rule", "column_not_in_format_rule"}:
            check = "matches" if fn == "column_format_rule" else "must_not_match"
            params = {"pattern": rule["parameters"].split()[-1]}
        elif fn == "column_value_in_set_rule":
            check = "in_code_list"
            field = fields[0]
            v20 = set(rule["parameters"].removeprefix("values: ").split())
            if field == "DatSetVer":
                params, status = {"values": "2.1"}, "adapted"
                note = "v2.0 accepted only 2.0; this data set is v2.1 (inferred)."
            elif field.startswith("LanguageCode"):
                params = {"codes": "@language"}
                note = "ISO 639-1 two-letter codes plus q1 to q5, as in the national code."
            elif field in code_lists:
                params = {"codes": field}
                added, dropped = sorted(code_lists[field] - v20), sorted(v20 - code_lists[field])
                if added or dropped:
                    status = "adapted"
                    note = (note + " " if note else "") + "Uses the app's v2.1 code list" + (
                        f"; adds {' '.join(added)}" if added else "") + (
                        f"; drops {' '.join(dropped)}" if dropped else "") + " compared with v2.0 (unconfirmed)."
            else:
                params = {"values": " ".join(sorted(v20))}
        elif fn == "is_valid_date_column_rule":
            check = "valid_date"
        elif fn == "is_valid_time_column_rule":
            check = "valid_time"
        elif fn == "is_valid_datetime_column_rule":
            check = "valid_datetime"
        elif fn == "is_valid_snomed_ct_rule":
            check, params = "snomed_ct", parse_len(rule["parameters"])
        elif fn == "is_valid_find_code_rule":
            check, params = "coded_entry", {"scheme": fields[0]}
            fields = fields[1:]
            note = "v2.1 checks SNOMED CT codes fully (check digit, partition), as DSP's IcdSnomedFindCodeIsValid."
        elif fn in {"iapt_date_on_or_after_date_rule", "iapt_date_before_or_on_date_rule"}:
            check = "date_on_or_after" if "after" in fn else "date_on_or_before"
            if rid == "IDS00027":
                check, status = "not_after_now", "replaced"
                note = "Compared with the time of validation (no upload time offline)."
            else:
                other = fields[1]
                fields = fields[:1]
                if other in PERIOD_OPERANDS:
                    other = PERIOD_OPERANDS[other]
                elif other in PARENT_OPERANDS and other not in table_columns[table]:
                    other = PARENT_OPERANDS[other]
                params = {"other": other}
                offset = re.search(r"offset \+(\d+) (day|year)s?", rule["parameters"])
                if offset:
                    params["offset"] = f"{offset.group(1)} {offset.group(2)}s" if offset.group(1) != "1" else f"1 {offset.group(2)}"
        elif fn == "date_before_specified_date":
            check, params = "date_on_or_after", {"date": "2005-01-01"}
        elif fn == "onset_date_is_after_birth_date_rule":
            check, params, fields = "onset_not_before_birth", {"other": "IDS001MPI.PersonBirthDate"}, fields[:1]
        elif fn == "column_not_blank_with_condition_rule":
            check, fields = "both_blank", ["QualAwardedDate", "QualPlannedCompletionDate"]
        elif fn == "column_comparison_rule":
            table, fld, check, prm = COMPARISONS[rid]
            fields = fld.split()
            params = dict(p.split("=", 1) for p in prm.split("; ") if p)
            if rid == "IDS00153":
                status, note = "replaced", "Compared with the provider code in Settings (the header is built from it)."
        elif fn == "values_are_equal_rule":
            fld, prm, note = HEADER_METADATA[rid]
            check, fields, params, status = "equals_context", [fld], dict([prm.split("=")]), "replaced"
        elif fn == "uniqueness_rule":
            check = "unique"
            if rid == "IDSREJ009":
                params = {"skip_blank": "yes"}
                note = "Blank NHS numbers are allowed (IDS00111) and are not compared."
            if rid == "IDS00702":
                fields = ["LocalPatientId", "DisabCode"]
                note = "The public code lists only LocalPatientId; the message (and sense) says + Disability Code."
        elif fn == "uniqueness_with_condition_rule":
            check = "unique_where_blank"
            params = {"blank": fields[-1]}
            fields = fields[:-1]
        elif fn == "uniqueness_rule_iapt_carecontact":
            check, params = "unique_attended_contact", {"values": "5 6"}
        elif fn == "referential_integrity_rule":
            a, b = rule["tables"].split()
            if rid in {"IDS00145", "IDS00146"}:
                table, check, params = table_for("IDS001", tables), "has_child", {"child": table_for(b, tables)}
                fields = ["LocalPatientId"]
            else:
                table = table_for(a, tables)
                parent = table_for(b, tables)
                check, params = "parent_exists", {"parent": parent}
                fields = [next(c["column"] for c in columns if c["table"] == table and "FK" in c["key"])]
        elif fn == "column_value_valid_nhs_number_rule":
            check = "nhs_number"
        elif fn == "is_valid_assessment_scale_code_rule":
            check, fields = "assessment_tool_known", ["CodedAssToolType"]
        elif fn == "is_valid_score_format_for_snomed_code":
            check, fields = "score_format", ["PersScore", "CodedAssToolType"]
        elif fn == "is_valid_assessment_scale_score_rule":
            check, fields = "score_in_range", ["PersScore", "CodedAssToolType"]
        else:
            raise SystemExit(f"{rid}: unmapped check {fn}")
        emit(rid, status, severity, table, " ".join(fields), check, params, note.strip())

    for rid, (table, fld, check, prm, status, note) in MESSAGE_ONLY.items():
        emit(rid, status, SEVERITY[messages[rid]["severity"]], table, fld, check,
             dict(p.split("=") for p in prm.split("; ") if p), note)
    for rid, severity, table, fields, check, prm, message, note in LOCAL_RULES:
        emit(rid, "local", severity, table, fields, check, dict(p.split("=", 1) for p in prm.split("; ") if p),
             "Local rule (inferred, no national id). " + note, message=message)

    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(out[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    print(f"wrote {len(out)} rules to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
