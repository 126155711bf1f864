"""The validation report as an Excel workbook for people (openpyxl write-only, text cells only).

Sheets: Summary (verdict, counts by severity and by rule with what to do),
Findings (one row per finding, grouped by severity and rule), and Carried
along (rows dropped because their parent was).  Values from the data are
written as text cells and neutralised, so nothing from the data becomes a
formula.  The file is written next to the target and moved into place.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from iapt_desktop.interchange.formula_guard import escape_ooxml, neutralise
from iapt_desktop.validation.findings import SEVERITY_LABELS
from iapt_desktop.validation.report import ValidationReport
from iapt_desktop.validation.report_text import verdict
from iapt_desktop.validation.rules import rule

FINDING_COLUMNS = ("Rule", "Severity", "Table", "Key", "Field", "Value", "Message", "What to do")


def _text_cell(sheet: Any, value: object) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=neutralise(escape_ooxml("" if value is None else str(value))))
    cell.data_type = "s"
    return cell


def _row(sheet: Any, values: Iterable[object]) -> list[Any]:
    return [value if isinstance(value, int) else _text_cell(sheet, value) for value in values]


def _summary(workbook: Any, report: ValidationReport) -> None:
    sheet = workbook.create_sheet("Summary")
    sheet.append(_row(sheet, ["Validation", report.scope]))
    sheet.append(_row(sheet, ["Result", verdict(report)]))
    sheet.append(_row(sheet, ["Rows checked", sum(report.rows_checked.values())]))
    sheet.append(_row(sheet, ["Rows dropped", len(report.dropped)]))
    sheet.append([])
    sheet.append(_row(sheet, ["Severity", "Findings"]))
    for severity, count in report.counts_by_severity.items():
        sheet.append(_row(sheet, [SEVERITY_LABELS[severity], count]))
    sheet.append([])
    sheet.append(_row(sheet, ["Rule", "Severity", "Findings", "Message", "What to do", "Status"]))
    for rule_id, count in report.counts_by_rule.items():
        declared = rule(rule_id)
        sheet.append(_row(sheet, [rule_id, SEVERITY_LABELS[declared.severity], count, declared.message,
                                  declared.action, declared.status]))


def _findings(workbook: Any, report: ValidationReport) -> None:
    sheet = workbook.create_sheet("Findings")
    sheet.append(_row(sheet, FINDING_COLUMNS))
    for finding in report.findings:
        sheet.append(_row(sheet, [finding.rule, SEVERITY_LABELS[finding.severity], finding.table, finding.key,
                                  finding.field, finding.value, finding.message, rule(finding.rule).action]))


def _carried(workbook: Any, report: ValidationReport) -> None:
    sheet = workbook.create_sheet("Carried along")
    sheet.append(_row(sheet, ["Parent table", "Parent key", "Table", "Key", "Rule"]))
    for (parent_table, parent_key), children in sorted(report.carried.items()):
        for child in children:
            sheet.append(_row(sheet, [parent_table, parent_key, child.table, child.key, child.rule]))


def write_findings_workbook(report: ValidationReport, path: Path) -> Path:
    """Write the report to ``path`` (.xlsx), replacing it only once the new file is complete."""
    import openpyxl

    path = Path(path)
    workbook = openpyxl.Workbook(write_only=True)
    _summary(workbook, report)
    _findings(workbook, report)
    _carried(workbook, report)
    handle, temporary = tempfile.mkstemp(suffix=".xlsx", dir=path.parent or Path.cwd())
    os.close(handle)
    try:
        workbook.save(temporary)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path
