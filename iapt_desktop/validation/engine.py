"""Run the rule table over a month's rows (or all stored rows) and say what survives.

Input: rows per table, dicts keyed by technical column names with values as
stored (dates 'YYYY-MM-DD' text, ...), plus a :class:`ValidationContext`.
Output: findings and the outcome, as NHS England would apply it:

- a ``reject_file`` finding fails the whole file (nothing is loaded); every
  other rule is still run so that all problems are reported at once;
- ``reject_record`` drops the row;
- ``reject_group`` drops the row, and the rows that belong to it then fail
  their own link rule (IDS20142 etc.) and are dropped too, carried along by it;
- ``warning`` keeps the row.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from iapt_desktop.domain.dataset import table, tables
from iapt_desktop.validation.check_registry import CASCADE, FINAL, NOT_RUN, ROW, SET, STRUCTURE, check_type
from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.findings import REJECT_FILE, REJECT_GROUP, REJECT_RECORD, Finding
from iapt_desktop.validation.progress import Progress
from iapt_desktop.validation.row_checks import RowPredicate
from iapt_desktop.validation.row_environment import Row, RowEnvironment
from iapt_desktop.validation.row_keys import row_key
from iapt_desktop.validation.rules import Rule, all_rules
from iapt_desktop.validation.set_checks import FileState, SetCheck
from iapt_desktop.validation.value_checks import as_text

Rows = Mapping[str, Sequence[Row]]
DROPPING = frozenset({REJECT_RECORD, REJECT_GROUP})


@dataclass(frozen=True)
class CompiledRules:
    """Rules turned into predicates once: row checks per table, set checks per phase."""

    row_checks: dict[str, tuple[tuple[Rule, RowPredicate], ...]]
    set_checks: dict[str, tuple[tuple[Rule, SetCheck], ...]]


def compile_rules(rules: Sequence[Rule], whole_database: bool = False) -> CompiledRules:
    by_table: dict[str, list[tuple[Rule, RowPredicate]]] = {}
    by_phase: dict[str, list[tuple[Rule, SetCheck]]] = {STRUCTURE: [], SET: [], CASCADE: [], FINAL: []}
    for item in rules:
        if not item.runnable or item.check in NOT_RUN:
            continue
        kind = check_type(item.check)
        if whole_database and not kind.in_whole_database(item):
            continue
        if kind.phase == ROW:
            by_table.setdefault(item.table, []).append((item, kind.factory(item)))
        else:
            by_phase[kind.phase].append((item, kind.factory(item)))
    order = {name: position for position, name in enumerate(tables())}
    by_phase[CASCADE].sort(key=lambda pair: order.get(pair[0].table, 0))
    return CompiledRules(
        {name: tuple(checks) for name, checks in by_table.items()},
        {phase: tuple(checks) for phase, checks in by_phase.items()},
    )


@functools.cache
def default_rules(whole_database: bool = False) -> CompiledRules:
    """The app's rule table, compiled once per mode."""
    return compile_rules(all_rules(), whole_database)


@dataclass(frozen=True)
class DroppedRow:
    """A row NHS England would not load, and why."""

    table: str
    key: str
    rule: str
    severity: str
    carried_by: tuple[str, str] | None = None  # (parent table, parent key) when it went with its parent


@dataclass(frozen=True)
class ValidationResult:
    findings: tuple[Finding, ...]
    dropped: tuple[DroppedRow, ...]
    surviving: dict[str, list[Row]]  # rows that pass record and group rules
    rejects_file: bool

    @property
    def loaded(self) -> dict[str, list[Row]]:
        """What NHS England would load: nothing when the file is rejected."""
        return {name: [] for name in self.surviving} if self.rejects_file else self.surviving


def _keyed_index(rows: Rows) -> Callable[[str, Any], Row | None]:
    """Parent lookup by key, built per table on first use (first row wins for duplicated keys)."""
    indexes: dict[str, dict[Any, Row]] = {}

    def lookup(name: str, key: Any) -> Row | None:
        index = indexes.get(name)
        if index is None:
            column = table(name).storage_key
            index = {}
            for row in rows.get(name, ()):
                index.setdefault(row.get(column), row)
            indexes[name] = index
        return index.get(key)

    return lookup


class _Run:
    """One validation run: collects findings and drops."""

    def __init__(self, rows: Rows, context: ValidationContext) -> None:
        self.rows = rows
        self.state = FileState(rows, context)
        self.findings: list[Finding] = []
        self.dropped: dict[tuple[str, int], DroppedRow] = {}

    def add(self, item: Rule, name: str, index: int | None, field: str, value: str | None) -> None:
        row = self.rows[name][index] if index is not None and name in self.rows else None
        key = row_key(name, row) if row is not None else ""
        self.findings.append(
            Finding(item.id, item.severity, name, key, field, value, item.message, index,
                    row.get("app_row_id") if row is not None else None)
        )
        if row is not None and index is not None and item.severity in DROPPING and (name, index) not in self.dropped:
            self.dropped[(name, index)] = DroppedRow(name, key, item.id, item.severity, self._carried_by(item, value))
            self.state.dropped[name].add(index)

    @staticmethod
    def _carried_by(item: Rule, value: str | None) -> tuple[str, str] | None:
        if item.check == "parent_exists" and value is not None:
            return item.params["parent"], value
        return None

    def run_set_phase(self, checks: Sequence[tuple[Rule, SetCheck]]) -> int:
        before = len(self.dropped)
        for item, check in checks:
            for name, index, field, value in list(check(self.state)):
                self.add(item, name, index, field, value)
        return len(self.dropped) - before


def run_validation(
    rows: Rows, context: ValidationContext, compiled: CompiledRules | None = None
) -> Iterator[Progress | ValidationResult]:
    """Validate, yielding Progress after each step and the ValidationResult last."""
    compiled = compiled or default_rules(context.whole_database)
    run = _Run(rows, context)
    names = [name for name in tables() if rows.get(name)]
    total = len(names) + 4
    run.run_set_phase(compiled.set_checks[STRUCTURE])
    yield Progress(1, total, "Checked tables and columns")
    env = RowEnvironment(context, _keyed_index(rows))
    for step, name in enumerate(names, start=2):
        checks = compiled.row_checks.get(name, ())
        for index, row in enumerate(rows[name]):
            for item, broken in checks:
                if broken(row, env):
                    run.add(item, name, index, item.field, as_text(row.get(item.field)))
        yield Progress(step, total, f"Checked {name}")
    run.run_set_phase(compiled.set_checks[SET])
    yield Progress(total - 2, total, "Checked duplicates")
    while run.run_set_phase(compiled.set_checks[CASCADE]):
        pass  # a dropped parent drops its children; a patient left without referrals drops too
    yield Progress(total - 1, total, "Checked links between tables")
    run.run_set_phase(compiled.set_checks[FINAL])
    surviving = {
        name: [row for index, row in enumerate(table_rows) if index not in run.state.dropped.get(name, ())]
        for name, table_rows in rows.items()
    }
    yield Progress(total, total, "Validation finished")
    yield ValidationResult(
        tuple(run.findings),
        tuple(run.dropped.values()),
        surviving,
        any(finding.severity == REJECT_FILE for finding in run.findings),
    )


def validate(rows: Rows, context: ValidationContext, compiled: CompiledRules | None = None) -> ValidationResult:
    """Validate in one go (see :func:`run_validation` for progress)."""
    for item in run_validation(rows, context, compiled):
        if isinstance(item, ValidationResult):
            return item
    raise AssertionError("run_validation ended without a result")


def validate_record(
    table_name: str,
    row: Row,
    context: ValidationContext,
    related: Mapping[str, Row] | None = None,
) -> list[Finding]:
    """The single-row rules for one row, fast enough for every keystroke of a form.

    ``related`` gives the row's ancestors by table name (e.g. the patient row
    for a referral, or the referral and patient rows for a contact); rules
    comparing with a missing ancestor are skipped.  Cross-row rules
    (duplicates, links between tables) are not run here.
    """
    parents = related or {}
    env = RowEnvironment(context, lambda name, key: parents.get(name))
    found: list[Finding] = []
    key = row_key(table_name, row)
    for item, broken in default_rules(context.whole_database).row_checks.get(table_name, ()):
        if broken(row, env):
            found.append(
                Finding(item.id, item.severity, table_name, key, item.field, as_text(row.get(item.field)),
                        item.message, None, row.get("app_row_id"))
            )
    return found
