"""What validation reports: severities and findings.

A finding names the national (or local) rule id, its severity, the table and
row key it concerns, the field to change, the offending value and the message.
"""

from __future__ import annotations

from dataclasses import dataclass

REJECT_FILE = "reject_file"  # the whole file fails; nothing is loaded
REJECT_GROUP = "reject_group"  # the row is dropped with the rows that belong to it
REJECT_RECORD = "reject_record"  # the row is dropped
WARNING = "warning"  # the row is kept and the issue reported

SEVERITIES: tuple[str, ...] = (REJECT_FILE, REJECT_GROUP, REJECT_RECORD, WARNING)  # most severe first
SEVERITY_LABELS: dict[str, str] = {
    REJECT_FILE: "File rejected",
    REJECT_GROUP: "Group rejected",
    REJECT_RECORD: "Record rejected",
    WARNING: "Warning",
}
JSON_KEYS: tuple[str, ...] = ("rule", "severity", "table", "key", "field", "value", "message")


@dataclass(frozen=True)
class Finding:
    """One broken rule on one row (or on the file, when ``key`` is empty)."""

    rule: str
    severity: str
    table: str
    key: str
    field: str
    value: str | None
    message: str
    row_index: int | None = None  # position of the row in its table's input list (not exported)
    row_id: int | None = None  # the row's app_row_id when the input carried it (not exported)

    def as_json(self) -> dict[str, str | None]:
        """Exactly the exported keys: rule, severity, table, key, field, value, message."""
        return {name: getattr(self, name) for name in JSON_KEYS}

    @property
    def rejects(self) -> bool:
        return self.severity != WARNING


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)
