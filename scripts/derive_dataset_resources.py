"""Regenerate resources/dataset/*.csv from the IAPT v2.1 reference pack.

Run by a developer when the reference pack changes:

    python scripts/derive_dataset_resources.py PATH/TO/reference

The application and its tests read only the generated files in resources/,
never the reference pack itself.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "resources" / "dataset"

# Columns the data set types as datetime but which carry a time of day only
# (the date part is Access's 1899-12-30 placeholder).
TIME_ONLY = {
    "CareContTime",
    "OnwardReferTime",
    "AssToolCompTime",
    "StartTimeCareClust",
    "EndTimeCareClust",
}

# Code lists the reference pack has no values for, taken from the NHS Data
# Dictionary definitions of the same elements; every value is marked
# unconfirmed so the UI and the docs say so.
EXTRA_CODES = [
    ("GenderIdentitySameAtBirth", "Y", "Yes - the person's gender identity is the same as at birth"),
    ("GenderIdentitySameAtBirth", "N", "No - the person's gender identity is not the same as at birth"),
    ("GenderIdentitySameAtBirth", "X", "Not known (not recorded)"),
    ("GenderIdentitySameAtBirth", "Z", "Not stated (person asked but declined to provide a response)"),
    ("SettledAccommodationInd", "Y", "Yes - in settled accommodation"),
    ("SettledAccommodationInd", "N", "No - not in settled accommodation"),
    ("SettledAccommodationInd", "Z", "Not stated (person asked but declined to provide a response)"),
    ("SettledAccommodationInd", "9", "Not known"),
    ("DiagSchemeInUse", "01", "ICD-10"),
    ("DiagSchemeInUse", "04", "SNOMED CT"),
]
EXTRA_SOURCE = "NHS Data Dictionary element definition; value set not in the reference pack (unconfirmed)"

# Probable wording for codes whose label the reference pack leaves
# unconfirmed.  They stay marked unconfirmed in the output.
_YES_NO_UNKNOWN = {"Y": "Yes", "N": "No", "U": "Unknown", "Z": "Not stated (person asked but declined to provide a response)"}
PROBABLE_LABELS = {
    "ExBAFIndicator": {"02": "Yes - ex-British armed forces", "03": "No", "05": "Not known",
                       "UU": "Unknown (person asked and does not know or is not sure)",
                       "ZZ": "Not stated (person asked but declined to provide a response)"},
    "EduEstabTypeIAPT": {"1": "School", "2": "Further education", "3": "Higher education",
                         "4": "Other educational establishment", "8": "Not applicable - not in education",
                         "X": "Not known", "Z": "Not stated (person asked but declined to provide a response)"},
    "NHSNumberStatus": {"01": "Number present and verified", "02": "Number present but not traced",
                        "03": "Trace required", "04": "Trace attempted - no match or multiple match found",
                        "05": "Trace needs to be resolved (NHS number or patient detail conflict)",
                        "06": "Trace in progress", "07": "Number not present and trace not required"},
    "SelfEmployInd": {"Y": "Yes - self-employed", "N": "No - not self-employed", "8": "Not applicable",
                      "X": "Not known", "Z": "Not stated (person asked but declined to provide a response)"},
    "SSPInd": _YES_NO_UNKNOWN, "BenefitRecInd": _YES_NO_UNKNOWN, "ESAInd": _YES_NO_UNKNOWN,
    "UCInd": _YES_NO_UNKNOWN, "PIPInd": _YES_NO_UNKNOWN, "PrevDiagCondInd": _YES_NO_UNKNOWN,
    "EmpSupportInd": {"Y": "Yes - suitable for employment support", "N": "No - not suitable", "NA": "Not applicable"},
    "PsychMed": {"01": "Prescribed but not taking", "02": "Prescribed and taking", "03": "Not prescribed",
                 "UU": "Unknown", "ZZ": "Not stated (person asked but declined to provide a response)"},
    "FindSchemeInUse": {"01": "ICD-10", "04": "SNOMED CT"},
    "PresCompCodSig": {"1": "Primary", "2": "Secondary"},
    "AppType": {"07": "Other (07)", "08": "Other (08)", "10": "Employment support"},
    "CodeProcAndProcStatus": {"228557008": "Other therapy 228557008 (high intensity)"},
}
GENERIC_LABELS = {"OnwardReferReason": "Onward referral reason", "PauseReason": "Pause reason",
                  "QualAttainLevelIAPT": "Qualification level", "OvsVisChCat": "Charging category",
                  "AMHCareClustCodeFin": "Care cluster"}

V20_ONLY = {"JSAInd (v2.0 only)", "OtherBenefitInd (v2.0 only)", "ConsMediumUsed"}


def parse_mro(dataset_md: str) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(table, column) -> (length/format text, M/R/O text, key text) from dataset.md section 6."""
    result: dict[tuple[str, str], tuple[str, str, str]] = {}
    table = None
    for line in dataset_md.splitlines():
        heading = re.match(r"^#### (IDS\d{3}\w+)", line)
        if heading:
            table = heading.group(1)
            continue
        if table and line.startswith("| ") and "`" in line:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 7 and cells[0].isdigit():
                column = cells[1].strip("`")
                result[(table, column)] = (cells[4], cells[5], cells[6])
    return result


def parse_length(rule: str, fmt: str) -> tuple[str, str]:
    match = re.match(r"len (\d+)\.\.(\d+)", rule)
    if match:
        return match.group(1), match.group(2)
    match = re.search(r"max (\d+)", fmt)
    if match and "digit" not in fmt:
        return "0", match.group(1)
    return "", ""


def main(reference: Path) -> None:
    data = reference / "data"
    mro = parse_mro((reference / "dataset.md").read_text(encoding="utf-8"))
    elements = {
        (r["table"], r["column"]): r
        for r in csv.DictReader(open(data / "iapt_v2_1_data_elements.csv", encoding="utf-8"))
    }
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "columns.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            ["table", "ordinal", "column", "type", "min_length", "max_length", "format",
             "obligation", "key", "uid", "data_dictionary_name", "format_rule_id"]
        )
        for row in csv.DictReader(open(data / "iapt_v2_1_columns_ordered.csv", encoding="utf-8")):
            table, column = row["table"], row["column"]
            kind = row["dsp_python_type"]
            if column in TIME_ONLY:
                kind = "time"
            fmt, obligation, key = mro.get((table, column), ("", "", ""))
            lo, hi = parse_length(row["v2_0_format_rule"], fmt)
            element = elements.get((table, column), {})
            writer.writerow(
                [table, row["ordinal"], column, kind, lo, hi, fmt, obligation, key,
                 element.get("uid", ""), element.get("data_dictionary_name", ""),
                 row["v2_0_format_rule_id"]]
            )
    with open(OUT / "code_lists.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["column", "code", "label", "unconfirmed", "source"])
        for row in csv.DictReader(open(data / "iapt_code_lists.csv", encoding="utf-8")):
            if row["column"] in V20_ONLY:
                continue
            label = row["label"]
            unconfirmed = "unconfirmed" in (label + row["note"]).lower()
            clean = re.sub(r"\s*\((label |labels )?unconfirmed[^)]*\)", "", label).strip()
            clean = re.sub(r"\s*\[[^\]]*\]$", "", clean).strip()
            probable = PROBABLE_LABELS.get(row["column"], {}).get(row["code"])
            if probable:
                clean = probable
            elif row["column"] in GENERIC_LABELS:
                clean = f"{GENERIC_LABELS[row['column']]} {row['code']}"
            elif not clean or clean.startswith("(see NHS DD"):
                clean = f"Code {row['code']}"
            if row["column"] in {"PlannedCareContIndicator", "Cancellation", "IAPTLTCServiceInd",
                                 "IntegratedSoftwareInd"}:
                clean = "Yes" if row["code"] == "Y" else "No"
            writer.writerow([row["column"], row["code"], clean, int(unconfirmed), row["source"]])
        for column, code, label in EXTRA_CODES:
            writer.writerow([column, code, label, 1, EXTRA_SOURCE])
    with open(OUT / "assessment_scales.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "tool", "minimum", "maximum", "allowed_values", "format_regex"])
        for row in csv.DictReader(open(data / "iapt_assessment_scales.csv", encoding="utf-8")):
            allowed = row["allowed"]
            if ".." in allowed:
                lo, hi = allowed.split("..")
                writer.writerow([row["snomed_ct_concept_id"], row["tool"], lo, hi, "", row["format_regex"]])
            else:
                writer.writerow([row["snomed_ct_concept_id"], row["tool"], "", "", allowed, row["format_regex"]])
    with open(OUT / "social_personal_circumstances.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "group", "suspect_precision_loss"])
        for row in csv.DictReader(
            open(data / "iapt_social_personal_circumstance_groups.csv", encoding="utf-8")
        ):
            code = row["snomed_ct_concept_id"]
            writer.writerow([code, row["nhse_group"], int(len(code) >= 16 and code.endswith("00"))])


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/reference"))
