"""The plain-words 'what to do' text of each rule (data for derive_validation_rules.py)."""

from __future__ import annotations

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
