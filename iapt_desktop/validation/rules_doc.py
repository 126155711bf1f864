"""docs/rules.md, generated from the rule table (scripts/write_rules_doc.py writes it; a test keeps it fresh)."""

from __future__ import annotations

from collections import Counter

from iapt_desktop.validation.check_registry import CHECKS
from iapt_desktop.validation.findings import SEVERITY_LABELS
from iapt_desktop.validation.rules import STATUSES, all_rules


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_rules_doc() -> str:
    rules = all_rules()
    statuses = Counter(item.status for item in rules)
    lines = [
        "# Validation rules",
        "",
        "<!-- Generated from resources/rules/rules.csv by scripts/write_rules_doc.py; do not edit by hand. -->",
        "",
        "IAPT Desktop runs NHS England's IAPT validation rules before you submit, with the same rule ids and",
        "severities, so that its findings match the SDCS data quality report. The only public rule list is the",
        "v2.0 one; it is adapted here to the v2.1 data set, and v2.1's new tables and columns get local rules",
        "(ids starting `LOCAL-`) inferred by analogy. Anything marked (unconfirmed) or (inferred) is not confirmed",
        "by NHS England.",
        "",
        "## Severities",
        "",
        "| Severity | Effect |",
        "|---|---|",
        f"| {SEVERITY_LABELS['reject_file']} | The whole file fails; nothing is loaded. Fix these first. |",
        f"| {SEVERITY_LABELS['reject_group']} | The row is dropped, and the rows that belong to it go with it "
        "(they fail their own link rule, e.g. IDS20142). |",
        f"| {SEVERITY_LABELS['reject_record']} | The row is dropped; the rest of the file is processed. |",
        f"| {SEVERITY_LABELS['warning']} | The row is kept; the issue appears in the data quality report. |",
        "",
        "## Status of each rule",
        "",
        "| Status | Meaning | Rules |",
        "|---|---|---|",
    ]
    lines += [f"| {name} | {meaning} | {statuses.get(name, 0)} |" for name, meaning in STATUSES.items()]
    lines += [
        "",
        f"{len(rules)} rules in all. Whole-database checks (`iapt-desktop validate --all`, and the forms) skip the",
        "rules that only say which rows belong in one month's file: dates compared with the reporting period",
        "start, the header and file-content rules (IDSREJ002-005, IDSREJ012, IDSREJ015, IDSREJ101, IDS10129), and",
        "IDS00146 (a stored patient without a referral is simply not sent).",
        "There, \"the reporting period end\" means the end of the current month, which catches dates in the future.",
        "",
        "Reference-data rules (status `reference_data`) are listed with how they could be checked offline; they",
        "are not run. To change a rule, edit `resources/rules/rules.csv` (one row per rule: the check is a name",
        "from the check types below, with its parameters) and run `scripts/write_rules_doc.py`.",
        "",
        "## Rules",
        "",
        "| Id | Severity | Table | Field | Status | Check | Message | What to do | Note |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for item in rules:
        check = item.check if item.check not in CHECKS else f"`{item.check}`"
        params = f" ({'; '.join(f'{k}={v}' for k, v in item.params.items())})" if item.params else ""
        lines.append(
            f"| {item.id} | {SEVERITY_LABELS[item.severity]} | {item.table or '(file)'} | {' '.join(item.fields)} "
            f"| {item.status} | {_cell(check + params)} | {_cell(item.message)} | {_cell(item.action)} "
            f"| {_cell(item.note)} |"
        )
    lines += ["", "## Check types", "", "| Check | What it tests |", "|---|---|"]
    lines += [f"| `{name}` | {kind.description} |" for name, kind in CHECKS.items()]
    return "\n".join(lines) + "\n"
