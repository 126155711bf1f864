"""Whole-database validation one table at a time, with the findings of :func:`engine.run_validation`.

The in-memory engine holds every stored row at once (millions of dicts on a
large service).  Here each table is streamed (parents first) and let go after
its row checks; what the later phases need is kept compactly:

- for the parent lookups of the row checks, per ancestor key only the few
  columns the date rules compare with (a patient's birth date, a referral's
  received date and patient);
- for the duplicate rules, one hash per row; only rows whose hash repeats are
  read again and compared exactly;
- for the links between tables (cascade and final phases), the linking
  columns per row, values shared between tables;
- the findings (row key and row id are looked up once at the end).

The phases run in the same order, with the same checks and the same "what is
dropped so far" state, so the findings, their order and the dropped rows are
those of the in-memory engine (``tests/validation/test_streamed.py`` compares
them).  Only the whole-database rule set is supported.
"""

from __future__ import annotations

import itertools
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from iapt_desktop.domain.dataset import ROW_ID, table, tables
from iapt_desktop.validation.check_registry import CASCADE, FINAL, SET, STRUCTURE
from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.engine import DROPPING, CompiledRules, DroppedRow, ValidationResult, default_rules
from iapt_desktop.validation.findings import REJECT_FILE, Finding
from iapt_desktop.validation.progress import Progress
from iapt_desktop.validation.row_checks import RowPredicate, allowed_values
from iapt_desktop.validation.row_environment import Row, RowEnvironment, parent_path
from iapt_desktop.validation.row_keys import row_key
from iapt_desktop.validation.rules import Rule
from iapt_desktop.validation.set_checks import APP_PREFIX, FileState, _key_text
from iapt_desktop.validation.value_checks import as_text, is_blank

# (table name) -> a fresh stream of its rows, in the same order every time
RowSource = Callable[[str], Iterator[Row]]
_UNIQUE_CHECKS = frozenset({"unique", "unique_where_blank", "unique_attended_contact"})
# Row checks whose verdict depends only on the rule's own field and the fixed context of the run.
_OWN_FIELD_CHECKS = frozenset({
    "not_blank", "text_length", "digits", "matches", "must_not_match", "in_code_list", "valid_date", "valid_time",
    "valid_datetime", "snomed_ct", "nhs_number", "assessment_tool_known", "birth_date_plausible", "not_after_now",
    "equals_context",
})
_OTHER_FIELD_CHECKS = frozenset({
    "blank_when_other_in", "blank_when_other_present", "present_when_other_in", "present_when_other_not_in",
})
_CACHE_LIMIT = 50_000  # distinct values remembered per field (ids are all distinct: no use keeping them all)
# A hit before its row is looked up again: (rule, table, index, field, value)
_Pending = tuple[Rule, str, int | None, str, str | None]


class _CompactState(FileState):
    """FileState over kept columns: ``table_rows`` gives light rows reading those lists."""

    def __init__(self, columns: dict[str, dict[str, list[Any]]], counts: dict[str, int],
                 context: ValidationContext) -> None:
        super().__init__({}, context)
        self.columns = columns
        self.counts = counts

    def table_rows(self, name: str) -> Sequence[Row]:
        return _ColumnRows(self.columns.get(name, {}), self.counts.get(name, 0))


class _ColumnRow:
    __slots__ = ("_columns", "_index")

    def __init__(self, columns: dict[str, list[Any]], index: int) -> None:
        self._columns = columns
        self._index = index

    def get(self, name: str, default: Any = None) -> Any:
        values = self._columns.get(name)
        if values is None:
            raise KeyError(f"column {name} was not kept for the links between tables")
        return values[self._index]


class _ColumnRows(Sequence):
    def __init__(self, columns: dict[str, list[Any]], count: int) -> None:
        self._columns = columns
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if not -self._count <= index < self._count:
            raise IndexError(index)
        return _ColumnRow(self._columns, index % self._count)

    def __iter__(self) -> Iterator[Any]:
        return (_ColumnRow(self._columns, index) for index in range(self._count))


def _linking_columns(compiled: CompiledRules) -> dict[str, set[str]]:
    """The columns the cascade and final checks read, per table."""
    needed: dict[str, set[str]] = defaultdict(set)
    for phase in (CASCADE, FINAL):
        for item, _ in compiled.set_checks[phase]:
            needed[item.table].update(item.fields)
            if item.check == "parent_exists":
                parent = table(item.params["parent"])
                needed[parent.name].add(parent.storage_key)
                needed[item.table].add(table(item.table).parent_column or "")
            elif item.check == "has_child":
                child = table(item.params["child"])
                needed[child.name].add(child.parent_column or "")
            elif item.check == "listed_in":
                target_table, target_column = item.params["target"].split(".")
                needed[target_table].add(target_column)
            elif item.check == "attended_contact_has_activity":
                needed[item.table].update({"AttendOrDNACode", "CareContactId"})
                needed["IDS202CareActivity"].add("CareContactId")
            else:
                raise ValueError(f"Rule {item.id}: {item.check} is not supported when streaming")
    return {name: columns - {""} for name, columns in needed.items()}


def _ancestor_columns(compiled: CompiledRules, order: Sequence[str]) -> dict[str, set[str]]:
    """Per ancestor table, the columns the row checks reach through a parent lookup."""
    needed: dict[str, set[str]] = defaultdict(set)
    position = {name: index for index, name in enumerate(order)}
    for name, checks in compiled.row_checks.items():
        for item, _ in checks:
            other = item.params.get("other", "")
            if "." not in other or other.startswith("period.") or "date" in item.params:
                continue
            target_table, column = other.split(".")
            hops = parent_path(name, target_table)
            for step, (parent_table, _) in enumerate(hops):
                if position.get(parent_table, len(order)) >= position.get(name, -1):
                    raise ValueError(f"{parent_table} must be streamed before {name}")
                needed[parent_table].add(hops[step + 1][1] if step + 1 < len(hops) else column)
    return needed


class _Run:
    def __init__(self, source: RowSource, names: Sequence[str], context: ValidationContext,
                 compiled: CompiledRules) -> None:
        self.source = source
        self.names = names
        self.context = context
        self.compiled = compiled
        self.counts: dict[str, int] = {}
        self.linking = _linking_columns(compiled)
        self.ancestors_needed = _ancestor_columns(compiled, names)
        self.ancestors: dict[str, dict[Any, dict[str, Any]]] = {}
        self.columns: dict[str, dict[str, list[Any]]] = {}
        self.shared: dict[Any, Any] = {}
        self.structure: list[_Pending] = []
        self.row_hits: list[_Pending] = []
        self.set_hits: dict[str, list[_Pending]] = defaultdict(list)  # rule id -> hits
        self.env = RowEnvironment(context, lambda name, key: self.ancestors.get(name, {}).get(key))

    def share(self, value: Any) -> Any:
        """One object per distinct text (a referral id kept for its contacts and for itself is stored once)."""
        return self.shared.setdefault(value, value) if type(value) is str else value

    def stream_table(self, name: str) -> None:
        checks = self.compiled.row_checks.get(name, ())
        keep_columns = sorted(self.linking.get(name, ()))
        kept: dict[str, list[Any]] = {column: [] for column in keep_columns}
        ancestors = sorted(self.ancestors_needed.get(name, ()))
        ancestor_index: dict[Any, dict[str, Any]] | None = {} if ancestors else None
        storage_key = table(name).storage_key
        set_rules = [item for item, _ in self.compiled.set_checks[SET] if item.table == name]
        hashers = [(item, *_unique_shape(item), array("q"), bytearray())
                   for item in set_rules if item.check in _UNIQUE_CHECKS]
        materialise = any(item.check not in _UNIQUE_CHECKS for item in set_rules)
        held: list[Row] = []
        env, row_hits = self.env, self.row_hits
        count = 0
        by_value, by_row = _split_checks(checks)
        position = {item.id: place for place, (item, _) in enumerate(checks)}
        caches: list[dict[Any, tuple[Rule, ...]]] = [{} for _ in by_value]
        for index, row in enumerate(self.source(name)):
            count += 1
            if index == 0:
                self.check_structure(name, row)
            broken_rules: list[Rule] = []
            for (fields, field_checks), cache in zip(by_value, caches, strict=True):
                if len(fields) == 1:
                    value = row.get(fields[0])
                    cacheable = value is None or type(value) is str
                else:
                    value = tuple(row.get(field) for field in fields)
                    cacheable = all(part is None or type(part) is str for part in value)
                found = cache.get(value) if cacheable else None
                if found is None:
                    found = tuple(item for item, broken in field_checks if broken(row, env))
                    if cacheable and len(cache) < _CACHE_LIMIT:
                        cache[value] = found
                if found:
                    broken_rules.extend(found)
            for item, broken in by_row:
                if broken(row, env):
                    broken_rules.append(item)
            if broken_rules:
                broken_rules.sort(key=lambda item: position[item.id])  # the in-memory engine's order
                for item in broken_rules:
                    row_hits.append((item, name, index, item.field, as_text(row.get(item.field))))
            for column, values in kept.items():
                values.append(self.share(row.get(column)))
            if ancestor_index is not None:
                ancestor_index.setdefault(row.get(storage_key), {column: row.get(column) for column in ancestors})
            for _, fields, keep, hashes, keeps in hashers:
                if keep(row):
                    hashes.append(hash(_row_key_text(row, fields)))
                    keeps.append(1)
                else:
                    hashes.append(0)
                    keeps.append(0)
            if materialise:
                held.append(row)
        self.counts[name] = count
        self.columns[name] = kept
        if ancestor_index is not None:
            self.ancestors[name] = ancestor_index
        for item, _, _, hashes, keeps in hashers:
            self.find_duplicates(name, item, hashes, keeps)
        for item, check in self.compiled.set_checks[SET]:
            if item.table == name and item.check not in _UNIQUE_CHECKS:
                state = FileState({name: held}, self.context)
                for hit_table, index, field, value in check(state):
                    self.set_hits[item.id].append((item, hit_table, index, field, value))

    def check_structure(self, name: str, row: Row) -> None:
        """Every row of one SELECT has the same columns, so the first row tells (IDSREJ001)."""
        expected = set(tables()[name].column_names)
        present = {key for key in row if not key.startswith(APP_PREFIX) and key != ROW_ID}
        odd = sorted(expected ^ present)
        if odd:
            for item, _ in self.compiled.set_checks[STRUCTURE]:
                self.structure.append((item, name, 0, odd[0], None))

    def find_duplicates(self, name: str, item: Rule, hashes: array, keeps: bytearray) -> None:
        kept_hashes = sorted(hashes[index] for index in range(len(hashes)) if keeps[index])
        repeated = {a for a, b in itertools.pairwise(kept_hashes) if a == b}
        del kept_hashes
        if not repeated:
            return
        fields, keep = _unique_shape(item)
        groups: dict[tuple[str, ...], list[tuple[int, Row]]] = defaultdict(list)
        for index, row in enumerate(self.source(name)):
            if keeps[index] and hashes[index] in repeated and keep(row):
                groups[_key_text(row, fields)].append((index, row))
        for members in groups.values():
            if len(members) > 1:
                for index, row in members:
                    if item.check == "unique_where_blank":
                        self.set_hits[item.id].append((item, name, index, item.params["blank"], None))
                    else:
                        self.set_hits[item.id].append((item, name, index, item.field, as_text(row.get(item.field))))


def _split_checks(
    checks: Sequence[tuple[Rule, RowPredicate]],
) -> tuple[list[tuple[tuple[str, ...], list[tuple[Rule, RowPredicate]]]], list[tuple[Rule, RowPredicate]]]:
    """Checks that read only fields of their own row (and the run's fixed context), grouped by those fields.

    The verdicts for one set of text values hold for every row with those values, so they are worked
    out once per distinct value (codes, dates, score and tool) and looked up after that.
    """
    by_fields: dict[tuple[str, ...], list[tuple[Rule, RowPredicate]]] = {}
    by_row: list[tuple[Rule, RowPredicate]] = []
    for item, broken in checks:
        fields = _fields_read(item)
        if fields is None:
            by_row.append((item, broken))
        else:
            by_fields.setdefault(fields, []).append((item, broken))
    return list(by_fields.items()), by_row


def _fields_read(item: Rule) -> tuple[str, ...] | None:
    """The row fields a row check reads, when it reads nothing else that varies (None otherwise)."""
    params = item.params
    if item.check in _OWN_FIELD_CHECKS:
        return (item.field,)
    if item.check in {"score_format", "score_in_range", "both_blank"}:
        return item.fields[0], item.fields[1]
    if item.check == "coded_entry":
        return item.field, params["scheme"]
    if item.check in _OTHER_FIELD_CHECKS:
        return item.field, params["other"]
    if item.check in {"date_on_or_after", "date_on_or_before"}:
        if "date" in params or params.get("other", "").startswith("period."):
            return (item.field,)
        if "." not in params.get("other", "."):
            return item.field, params["other"]
    return None


def _row_key_text(row: Row, fields: Sequence[str]) -> tuple[str, ...]:
    """set_checks._key_text without its generator (the same tuple: str of a str is itself)."""
    return tuple([
        "" if value is None or (isinstance(value, str) and not value.strip()) else value if type(value) is str
        else str(value)
        for value in [row.get(name) for name in fields]
    ])


def _unique_shape(item: Rule) -> tuple[Sequence[str], Callable[[Row], bool]]:
    """The fields a duplicate rule compares and which rows it looks at (as in set_checks)."""
    if item.check == "unique_where_blank":
        blank = item.params["blank"]
        return item.fields, lambda row: is_blank(row.get(blank))
    if item.check == "unique_attended_contact":
        attended = allowed_values(item)
        return item.fields[:3], lambda row: str(row.get("AttendOrDNACode")) in attended
    skip_blank = item.params.get("skip_blank") == "yes"
    return item.fields, lambda row: not (skip_blank and any(is_blank(row.get(name)) for name in item.fields))


def run_streamed_validation(
    source: RowSource, names: Sequence[str], context: ValidationContext, compiled: CompiledRules | None = None
) -> Iterator[Progress | ValidationResult]:
    """Validate every stored row table by table; Progress after each step, the result last.

    ``names`` are the stored tables in parent-first (data set) order; ``source(name)`` streams a table's
    rows in the same order on every call.  The result's ``surviving`` is empty: the rows are not kept.
    """
    if not context.whole_database:
        raise ValueError("streamed validation is for the whole database")
    compiled = compiled or default_rules(True)
    run = _Run(source, names, context, compiled)
    total = len(names) + 4
    yield Progress(1, total, "Checked tables and columns")
    for step, name in enumerate(names, start=2):
        run.stream_table(name)
        yield Progress(step, total, f"Checked {name}")
    run.shared.clear()
    run.ancestors.clear()
    pending: list[_Pending] = list(run.structure) + run.row_hits
    for item, _ in compiled.set_checks[SET]:
        pending.extend(run.set_hits.pop(item.id, ()))
    state = _CompactState(run.columns, run.counts, context)
    dropped: dict[tuple[str, int], tuple[Rule, str | None]] = {}

    def record(hits: list[_Pending]) -> int:
        """Note the rows these hits drop (the first dropping rule per row); how many were new."""
        before = len(dropped)
        for item, name, index, _field, value in hits:
            if index is not None and item.severity in DROPPING and (name, index) not in dropped:
                dropped[(name, index)] = (item, value)
                state.dropped[name].add(index)
        return len(dropped) - before

    record(pending)
    yield Progress(total - 2, total, "Checked duplicates")
    while True:
        added = 0
        for item, check in compiled.set_checks[CASCADE]:
            hits = [(item, name, index, field, value) for name, index, field, value in list(check(state))]
            pending.extend(hits)
            added += record(hits)
        if not added:
            break
    yield Progress(total - 1, total, "Checked links between tables")
    for item, check in compiled.set_checks[FINAL]:
        hits = [(item, name, index, field, value) for name, index, field, value in list(check(state))]
        pending.extend(hits)
        record(hits)
    run.columns.clear()
    findings, drops = _resolve(source, pending, dropped)
    yield Progress(total, total, "Validation finished")
    yield ValidationResult(findings, drops, {}, any(f.severity == REJECT_FILE for f in findings))


def _resolve(
    source: RowSource, pending: list[_Pending], dropped: dict[tuple[str, int], tuple[Rule, str | None]]
) -> tuple[tuple[Finding, ...], tuple[DroppedRow, ...]]:
    """Look the hit rows up once more for their keys and row ids, and build findings and drops."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for _, name, index, _, _ in pending:
        if index is not None:
            wanted[name].add(index)
    identity: dict[tuple[str, int], tuple[str, Any]] = {}
    for name, indices in wanted.items():
        last = max(indices)
        for index, row in enumerate(source(name)):
            if index in indices:
                identity[(name, index)] = (row_key(name, row), row.get("app_row_id"))
            if index >= last:
                break
    findings = []
    for item, name, index, field, value in pending:
        key, row_id = identity.get((name, index), ("", None)) if index is not None else ("", None)
        findings.append(Finding(item.id, item.severity, name, key, field, value, item.message, index, row_id))
    drops = []
    for (name, index), (item, value) in dropped.items():
        carried = (item.params["parent"], value) if item.check == "parent_exists" and value is not None else None
        drops.append(DroppedRow(name, identity[(name, index)][0], item.id, item.severity, carried))
    return tuple(findings), tuple(drops)
