"""The validation report as plain text for people: counts first, then findings by severity and rule."""

from __future__ import annotations

from itertools import groupby

from iapt_desktop.validation.findings import SEVERITY_LABELS
from iapt_desktop.validation.report import ValidationReport
from iapt_desktop.validation.rules import rule

MAX_ROWS_PER_RULE = 200  # more are counted, not listed


def verdict(report: ValidationReport) -> str:
    if report.rejects_file:
        return "NHS England would REJECT THE WHOLE FILE: fix the file-level problems first."
    if report.dropped:
        return f"The file would be accepted, but {len(report.dropped)} row(s) would be dropped."
    if report.findings:
        return "The file would be accepted with warnings."
    return "No problems found."


def render_text(report: ValidationReport) -> str:
    lines = [f"IAPT Desktop validation: {report.scope}", "", verdict(report), ""]
    lines.append(f"Rows checked: {sum(report.rows_checked.values())}; rows dropped: {len(report.dropped)}.")
    lines.append("")
    lines.append("Findings by severity:")
    for severity, count in report.counts_by_severity.items():
        lines.append(f"  {SEVERITY_LABELS[severity]:<16} {count}")
    for severity, by_severity in groupby(report.findings, key=lambda f: f.severity):
        lines += ["", "=" * 78, SEVERITY_LABELS[severity].upper(), "=" * 78]
        for rule_id, group in groupby(by_severity, key=lambda f: f.rule):
            items = list(group)
            declared = rule(rule_id)
            lines += ["", f"{rule_id} ({len(items)}): {declared.message}", f"  What to do: {declared.action}"]
            if declared.status in {"adapted", "replaced", "local"}:
                lines.append(f"  Note ({declared.status}): {declared.note}")
            for finding in items[:MAX_ROWS_PER_RULE]:
                where = f"{finding.table} {finding.key}".strip() or "the file"
                value = "" if finding.value is None else f" = {finding.value!r}"
                lines.append(f"  - {where}: {finding.field or '(row)'}{value}")
            if len(items) > MAX_ROWS_PER_RULE:
                lines.append(f"  ... and {len(items) - MAX_ROWS_PER_RULE} more")
    carried = report.carried
    if carried:
        lines += ["", "=" * 78, "ROWS DROPPED WITH THEIR PARENT", "=" * 78]
        for (parent_table, parent_key), children in sorted(carried.items()):
            lines.append(f"{parent_table} {parent_key}:")
            lines += [f"  - {child.table} {child.key} ({child.rule})" for child in children]
    return "\n".join(lines) + "\n"
