"""The validation findings for people: what a user may see, and the file for someone else to work through.

The validation panel's "Export to Excel…" and ``iapt-desktop validate`` both come here, so one set of
rules applies:

- every role may check; a user who may not view every caseload (a counsellor) sees the findings without
  the values at fault (as the panel shows them);
- writing the findings to a file needs "export data" (an administrator);
- a file is pseudonymised on request (record keys, NHS numbers, postcodes, dates of birth and local ids
  replaced: see interchange.pseudonymised_reports).

``actor=None`` is the app itself (a database without users): nothing is restricted.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from iapt_desktop.domain.access import Action, User, require
from iapt_desktop.interchange.private_files import write_private_text
from iapt_desktop.interchange.pseudonymise import Pseudonymiser
from iapt_desktop.interchange.pseudonymised_reports import pseudonymised_report
from iapt_desktop.validation.report import ValidationReport

FORMATS = ("text", "json", "xlsx")


def findings_visible_to(report: ValidationReport, user: User | None) -> ValidationReport:
    """The report with the values at fault left out for a user who may not view every caseload."""
    if user is None or user.can(Action.VIEW_ALL_CASELOADS):
        return report
    return dataclasses.replace(report, findings=tuple(dataclasses.replace(f, value=None) for f in report.findings),
                               surviving_rows={})


def require_findings_export(user: User | None) -> None:
    if user is not None:
        require(user, Action.EXPORT)


def findings_text(report: ValidationReport, output_format: str, *, actor: User | None,
                  pseudonymise_key: bytes | None = None, to_file: bool = False) -> str:
    """The findings as plain text or JSON (a list of findings with the agreed keys)."""
    if to_file:
        require_findings_export(actor)
    shown = _shown(report, actor, pseudonymise_key)
    if output_format == "json":
        return json.dumps([finding.as_json() for finding in shown.findings], indent=2, ensure_ascii=False) + "\n"
    if output_format == "text":
        from iapt_desktop.validation.report_text import render_text

        return render_text(shown)
    raise ValueError(f"unknown format {output_format!r}")


def write_findings_file(report: ValidationReport, path: Path, output_format: str = "xlsx", *,
                        actor: User | None, pseudonymise_key: bytes | None = None) -> Path:
    """Write the findings to ``path`` (a workbook, JSON or text); needs "export data". Returns the path."""
    require_findings_export(actor)
    if output_format == "xlsx":
        from iapt_desktop.interchange.findings_workbook import write_findings_workbook

        return write_findings_workbook(_shown(report, actor, pseudonymise_key), Path(path))
    text = findings_text(report, output_format, actor=actor, pseudonymise_key=pseudonymise_key, to_file=True)
    write_private_text(Path(path), text)  # findings quote NHS numbers, postcodes and dates
    return Path(path)


def _shown(report: ValidationReport, actor: User | None, pseudonymise_key: bytes | None) -> ValidationReport:
    shown = findings_visible_to(report, actor)
    return pseudonymised_report(shown, Pseudonymiser(pseudonymise_key)) if pseudonymise_key else shown
