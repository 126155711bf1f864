"""The validation report: findings, counts, what would be dropped and what survives."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from iapt_desktop.validation.engine import DroppedRow, ValidationResult
from iapt_desktop.validation.findings import SEVERITIES, Finding, severity_rank
from iapt_desktop.validation.row_environment import Row
from iapt_desktop.validation.rules import explanation, rules_by_id


@dataclass(frozen=True)
class ValidationReport:
    """Everything the findings panel, the CLI and the export need to know about one validation.

    ``scope`` is the reporting period ('2025-04') or 'whole database'.
    ``surviving_rows`` are the rows that pass record and group rules; when
    ``rejects_file`` is true NHS England would load none of them.  A whole
    database check streams its rows and keeps none: there it is empty.
    """

    scope: str
    findings: tuple[Finding, ...]
    dropped: tuple[DroppedRow, ...]
    surviving_rows: dict[str, list[Row]]
    rejects_file: bool
    rows_checked: dict[str, int]

    @classmethod
    def from_result(cls, scope: str, rows: Mapping[str, Sequence[Row]], result: ValidationResult) -> ValidationReport:
        return cls.from_counts(scope, {name: len(table_rows) for name, table_rows in rows.items()}, result)

    @classmethod
    def from_counts(cls, scope: str, rows_checked: Mapping[str, int], result: ValidationResult) -> ValidationReport:
        """The report when only the number of rows checked per table is known (streamed validation)."""
        order = {rule_id: position for position, rule_id in enumerate(rules_by_id())}
        findings = tuple(
            sorted(result.findings, key=lambda f: (severity_rank(f.severity), order.get(f.rule, 0), f.table, f.key))
        )
        return cls(scope, findings, result.dropped, result.surviving, result.rejects_file, dict(rows_checked))

    @property
    def counts_by_severity(self) -> dict[str, int]:
        counted = Counter(f.severity for f in self.findings)
        return {severity: counted.get(severity, 0) for severity in SEVERITIES}

    @property
    def counts_by_rule(self) -> dict[str, int]:
        return dict(Counter(f.rule for f in self.findings))

    @property
    def carried(self) -> dict[tuple[str, str], list[DroppedRow]]:
        """Rows dropped because their parent was: (parent table, parent key) -> those rows."""
        grouped: dict[tuple[str, str], list[DroppedRow]] = {}
        for row in self.dropped:
            if row.carried_by is not None:
                grouped.setdefault(row.carried_by, []).append(row)
        return grouped

    @property
    def surviving_count(self) -> int:
        return sum(len(rows) for rows in self.surviving_rows.values())

    def explanation(self, rule_id: str) -> str:
        return explanation(rule_id)

    def findings_for(self, table: str, key: str) -> list[Finding]:
        return [f for f in self.findings if f.table == table and f.key == key]
