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

from derive_validation_rules_actions import ACTION_OVERRIDES, action_for
from derive_validation_rules_local import LOCAL_RULES
from derive_validation_rules_mapping import (
    COMPARISONS,
    HEADER_METADATA,
    MESSAGE_ONLY,
    OFFLINE_SOURCE,
    PARENT_OPERANDS,
    PERIOD_OPERANDS,
    PLACEHOLDERS,
    REFERENCE_LOOKUPS,
    REMOVED,
    RENAMED,
    SEVERITY,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference" / "data"
OUT = ROOT / "resources" / "rules" / "rules.csv"


def table_for(rule_id: str, tables: list[str]) -> str:
    number = rule_id[3:6]
    for name in tables:
        if name[3:6] == number:
            return name
    raise KeyError(rule_id)


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
