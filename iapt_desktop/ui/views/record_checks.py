"""NHS England's single-row validation rules, run as you type, for the forms.

Wraps ``validation.engine.validate_record`` with the context from Settings and
turns findings into words for people: what is wrong and how serious it is.
Findings never block a save.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database

from iapt_desktop.storage.settings_store import get_setting
from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.engine import validate_record
from iapt_desktop.validation.findings import Finding

SEVERITY_WORDS = {
    "reject_file": "would stop the monthly file",
    "reject_record": "would reject this record",
    "warning": "warning",
}


def finding_text(finding: Finding) -> str:
    return f"{finding.message} ({SEVERITY_WORDS.get(finding.severity, finding.severity)}; rule {finding.rule})"


class RecordChecker:
    """Checks rows of one table at a time against the rules; ``related`` gives parent rows by table name."""

    def __init__(self, db: Database) -> None:
        self.context = ValidationContext.for_database(get_setting(db, "provider_ods"),
                                                      get_setting(db, "submitter_ods"))

    def findings(self, table: str, row: Mapping[str, Any],
                 related: Mapping[str, Mapping[str, Any]] | None = None) -> list[Finding]:
        values = {k: (None if v == "" else v) for k, v in row.items()}
        return validate_record(table, values, self.context, {k: dict(v) for k, v in (related or {}).items()})

    def by_field(self, table: str, row: Mapping[str, Any],
                 related: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for finding in self.findings(table, row, related):
            grouped.setdefault(finding.field, []).append(finding_text(finding))
        return grouped


def summary(findings: Iterable[Finding], skip_fields: Iterable[str] = ()) -> str:
    """A short bulleted list for a panel ('' when nothing to say)."""
    skipped = set(skip_fields)
    lines = [f"• {finding_text(f)}" for f in findings if f.field not in skipped]
    return "Data set checks:\n" + "\n".join(lines) if lines else ""
