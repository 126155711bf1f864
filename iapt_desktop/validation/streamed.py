"""Whole-database validation one table at a time, with the findings of :func:`engine.run_validation`.

The in-memory engine holds every stored row at once (millions of dicts on a
large service).  Here each table is read a batch of tuples at a time (parents
first) and let go after its row checks; what the later phases need is kept
compactly:

- the row checks run per distinct value on whole columns of a batch
  (:mod:`column_checks`); for the checks comparing with an ancestor (a date
  against the referral's), per ancestor key only the columns they compare with;
- for the duplicate rules, one hash per row; only rows whose hash repeats are
  read again and compared exactly (:mod:`duplicate_hashes`);
- for the links between tables (cascade and final phases), the linking
  columns as 32-bit codes and tokens (:mod:`kept_columns`);
- the findings (row key, row id and the text of linked ids are read again,
  for the rows findings point at only).

The phases run in the same order, with the same checks and the same "what is
dropped so far" state, so the findings, their order and the dropped rows are
those of the in-memory engine (``tests/validation/test_streamed.py`` compares
them).  Only the whole-database rule set is supported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from iapt_desktop.domain.dataset import ROW_ID, table, tables
from iapt_desktop.validation.check_registry import CASCADE, FINAL, SET, STRUCTURE
from iapt_desktop.validation.column_checks import Signature, TableChecks, Voucher
from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.duplicate_hashes import DUPLICATE_CHECKS, DuplicateRule
from iapt_desktop.validation.engine import DROPPING, CompiledRules, DroppedRow, ValidationResult, default_rules
from iapt_desktop.validation.findings import REJECT_FILE, Finding
from iapt_desktop.validation.kept_columns import (
    MISSING,
    CompactState,
    KeptTable,
    KeyIndex,
    LinkColumn,
    ValueColumn,
    link_roles,
)
from iapt_desktop.validation.link_checks import link_hits
from iapt_desktop.validation.progress import Progress
from iapt_desktop.validation.row_environment import RowEnvironment
from iapt_desktop.validation.row_keys import row_key
from iapt_desktop.validation.rules import Rule
from iapt_desktop.validation.set_checks import APP_PREFIX, FileState
from iapt_desktop.validation.stored_tables import StoredTables
from iapt_desktop.validation.value_checks import as_text


class Reread:
    """A hit's value to be read again with its row (the column holds tokens, not the ids' text)."""

    __slots__ = ("column",)

    def __init__(self, column: str) -> None:
        self.column = column


# A hit before its row is looked up again: (rule, table, index, field, value)
_Pending = tuple[Rule, str, int | None, str, "str | Reread | None"]


class _Run:
    def __init__(self, store: StoredTables, names: Sequence[str], context: ValidationContext,
                 compiled: CompiledRules) -> None:
        self.store = store
        self.names = names
        self.context = context
        self.compiled = compiled
        self.links, self.values = link_roles([item for phase in (CASCADE, FINAL)
                                              for item, _ in compiled.set_checks[phase]])
        self.checks = {name: TableChecks(name, compiled.row_checks.get(name, ())) for name in names}
        self.ancestor_needs: dict[str, set[str]] = defaultdict(set)
        position = {name: place for place, name in enumerate(names)}
        last_use: dict[str, int] = {}
        for name, checks in self.checks.items():
            for parent_table, columns in checks.ancestor_columns().items():
                self.ancestor_needs[parent_table].update(columns)
                last_use[parent_table] = max(last_use.get(parent_table, -1), position[name])
        for (name, _), owner in self.links.items():
            if position.get(owner, len(names)) > position.get(name, -1):
                raise ValueError(f"{owner} must be streamed before {name}")
            last_use[owner] = max(last_use.get(owner, -1), position.get(name, -1))
        self.last_use = last_use
        self.key_index: dict[str, KeyIndex] = {}
        self.ancestors: dict[str, dict[str, ValueColumn]] = {}
        self.key_verdicts: dict[str, tuple[Signature, frozenset[Any]]] = {}  # a table's own key checks
        self.kept: dict[str, KeptTable] = {}
        self.structure: list[_Pending] = []
        self.row_hits: list[_Pending] = []
        self.set_hits: dict[str, list[_Pending]] = defaultdict(list)  # rule id -> hits
        self.env = RowEnvironment(context, lambda name, key: None)

    def ancestor_value(self, name: str, column: str) -> tuple[Callable[[Any], int | None], Sequence[int], list[Any]]:
        """(key -> the first row of ``name`` with that key or None, the kept codes of ``column``, its values)."""
        kept = self.ancestors[name][column]
        return self.key_index[name].first.get, kept.codes, kept.values

    def stream_table(self, name: str, place: int) -> None:
        store, env = self.store, self.env
        columns = store.columns(name)
        positions = {column: index for index, column in enumerate(columns)}
        checks = self.checks.pop(name)  # its remembered verdicts go with it
        set_rules = [item for item, _ in self.compiled.set_checks[SET] if item.table == name]
        duplicates = [DuplicateRule(item) for item in set_rules if item.check in DUPLICATE_CHECKS]
        whole = ({column: ValueColumn() for column in columns}
                 if any(item.check not in DUPLICATE_CHECKS for item in set_rules) else None)
        kept = KeptTable({column: (LinkColumn() if (name, column) in self.links else ValueColumn())
                          for (owner_table, column) in sorted(self.links.keys() | self.values)
                          if owner_table == name})
        storage_key = table(name).storage_key
        key_index = KeyIndex() if name in self.last_use else None
        ancestor_columns = {column: ValueColumn() for column in sorted(self.ancestor_needs.get(name, ()))}
        hits: list[tuple[int, int, Rule, str | None]] = []
        vouched = self.vouchers(name, columns)
        start = 0
        for batch in store.batches(name):
            if start == 0:
                self.check_structure(name, columns)
            size = len(batch)
            by_column = list(zip(*batch, strict=True))

            def column(column_name: str, by_column: list[Any] = by_column, size: int = size) -> Sequence[Any]:
                found = positions.get(column_name)
                return by_column[found] if found is not None else (None,) * size

            hits.extend(checks.run(column, start, env, self.ancestor_value, vouched))
            own_tokens = key_index.add(column(storage_key), start) if key_index is not None else None
            for column_name, kept_column in kept.columns.items():
                if isinstance(kept_column, LinkColumn):
                    owner = self.links[(name, column_name)]
                    if owner == name and column_name == storage_key and own_tokens is not None:
                        kept_column.tokens.extend(own_tokens)
                    elif owner in self.key_index:
                        kept_column.tokens.extend(self.key_index[owner].tokens(column(column_name)))
                    else:
                        kept_column.tokens.extend([MISSING] * size)
                else:
                    kept_column.extend(column(column_name))
            for column_name, ancestor_column in ancestor_columns.items():
                ancestor_column.extend(column(column_name))
            for rule in duplicates:
                if own_tokens is not None and tuple(rule.fields) == (storage_key,):
                    rule.add_keyed(column(storage_key), own_tokens, start)  # the key index tells repeats
                else:
                    rule.add(column)
            if whole is not None:
                for column_name, whole_column in whole.items():
                    whole_column.extend(column(column_name))
            start += size
        kept.count = start
        self.kept[name] = kept
        for owner, last in self.last_use.items():  # keys no later table links to: let them go before the rest
            if last <= place:
                self.key_index.pop(owner, None)
                self.ancestors.pop(owner, None)
        if key_index is not None and self.last_use[name] > place:
            self.key_index[name] = key_index
            own = checks.verdicts().get(storage_key)
            if own is not None:
                self.key_verdicts[name] = own
            self.ancestors[name] = ancestor_columns
        hits.sort(key=lambda hit: (hit[0], hit[1]))  # the in-memory engine's order: by row, then rule
        self.row_hits.extend((item, name, index, item.field, value) for index, _, item, value in hits)
        for rule in duplicates:
            candidates = rule.candidates()
            if candidates:
                self.set_hits[rule.item.id].extend(rule.hits(name, store.rows_at(name, candidates)))
        if whole is not None:
            whole_table = KeptTable(dict(whole))
            whole_table.count = start
            state = FileState({name: CompactState({name: whole_table}, self.context).table_rows(name)}, self.context)
            for item, check in self.compiled.set_checks[SET]:
                if item.table == name and item.check not in DUPLICATE_CHECKS:
                    for hit_table, index, field, value in check(state):
                        self.set_hits[item.id].append((item, hit_table, index, field, value))

    def vouchers(self, name: str, columns: Sequence[str]) -> dict[str, Voucher]:
        """Link columns whose values, when they are a stored parent's key, passed the parent's own checks."""
        found: dict[str, Voucher] = {}
        for column in columns:
            owner = self.links.get((name, column))
            if owner is None or owner == name or owner not in self.key_index or owner not in self.key_verdicts:
                continue
            signature, failing = self.key_verdicts[owner]
            index = self.key_index[owner]
            if index.text_only:  # a value equal to a text key is that text: the same verdict
                found[column] = (signature, index.first, failing)
        return found

    def check_structure(self, name: str, columns: Sequence[str]) -> None:
        """Every row of one SELECT has the same columns, so the first row tells (IDSREJ001)."""
        expected = set(tables()[name].column_names)
        present = {key for key in columns if not key.startswith(APP_PREFIX) and key != ROW_ID}
        odd = sorted(expected ^ present)
        if odd:
            for item, _ in self.compiled.set_checks[STRUCTURE]:
                self.structure.append((item, name, 0, odd[0], None))

    def value_of(self, item: Rule, name: str, value: str | None) -> str | Reread | None:
        """A cascade or final hit's value, or where to read it when its column holds tokens."""
        column = table(item.table).parent_column if item.check == "parent_exists" else item.field
        kept = self.kept.get(name)
        if column and kept is not None and isinstance(kept.columns.get(column), LinkColumn):
            return Reread(column)
        return value


def run_streamed_validation(
    store: StoredTables, names: Sequence[str], context: ValidationContext, compiled: CompiledRules | None = None
) -> Iterator[Progress | ValidationResult]:
    """Validate every stored row table by table; Progress after each step, the result last.

    ``names`` are the stored tables in parent-first (data set) order.  The result's ``surviving`` is
    empty: the rows are not kept.
    """
    if not context.whole_database:
        raise ValueError("streamed validation is for the whole database")
    compiled = compiled or default_rules(True)
    run = _Run(store, names, context, compiled)
    total = len(names) + 4
    yield Progress(1, total, "Checked tables and columns")
    for step, name in enumerate(names, start=2):
        run.stream_table(name, step - 2)
        yield Progress(step, total, f"Checked {name}")
    run.key_index.clear()
    run.ancestors.clear()
    pending: list[_Pending] = list(run.structure) + run.row_hits
    for item, _ in compiled.set_checks[SET]:
        pending.extend(run.set_hits.pop(item.id, ()))
    state = CompactState(run.kept, context)
    dropped: dict[tuple[str, int], tuple[Rule, Any]] = {}

    def record(hits: list[_Pending]) -> int:
        """Note the rows these hits drop (the first dropping rule per row); how many were new."""
        before = len(dropped)
        for item, name, index, _field, value in hits:
            if index is not None and item.severity in DROPPING and (name, index) not in dropped:
                dropped[(name, index)] = (item, value)
                state.dropped[name].add(index)
        return len(dropped) - before

    def linked_hits(item: Rule, check: Callable[[FileState], Any]) -> list[_Pending]:
        found = link_hits(item, state)
        if found is None:
            found = list(check(state))
        return [(item, name, index, field, run.value_of(item, name, value)) for name, index, field, value in found]

    record(pending)
    yield Progress(total - 2, total, "Checked duplicates")
    while True:
        added = 0
        for item, check in compiled.set_checks[CASCADE]:
            hits = linked_hits(item, check)
            pending.extend(hits)
            added += record(hits)
        if not added:
            break
    yield Progress(total - 1, total, "Checked links between tables")
    for item, check in compiled.set_checks[FINAL]:
        hits = linked_hits(item, check)
        pending.extend(hits)
        record(hits)
    run.kept.clear()
    findings, drops = _resolve(store, pending, dropped)
    yield Progress(total, total, "Validation finished")
    yield ValidationResult(findings, drops, {}, any(f.severity == REJECT_FILE for f in findings))


def _resolve(
    store: StoredTables, pending: list[_Pending], dropped: dict[tuple[str, int], tuple[Rule, Any]]
) -> tuple[tuple[Finding, ...], tuple[DroppedRow, ...]]:
    """Read the hit rows once more for their keys, row ids and linked ids, and build findings and drops."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for _, name, index, _, _ in pending:
        if index is not None:
            wanted[name].add(index)
    identity: dict[tuple[str, int], tuple[str, Any]] = {}
    rows: dict[tuple[str, int], Any] = {}
    rereads = {(name, index) for _, name, index, _, value in pending if isinstance(value, Reread)}
    for name, indices in wanted.items():
        for index, row in store.rows_at(name, sorted(indices)):
            identity[(name, index)] = (row_key(name, row), row.get("app_row_id"))
            if (name, index) in rereads:
                rows[(name, index)] = row

    def text(name: str, index: int | None, value: Any) -> str | None:
        return as_text(rows[(name, index)].get(value.column)) if isinstance(value, Reread) else value

    findings = []
    for item, name, index, field, value in pending:
        key, row_id = identity.get((name, index), ("", None)) if index is not None else ("", None)
        findings.append(Finding(item.id, item.severity, name, key, field, text(name, index, value), item.message,
                                index, row_id))
    drops = []
    for (name, index), (item, value) in dropped.items():
        carried_value = text(name, index, value)
        carried = None
        if item.check == "parent_exists" and carried_value is not None:
            carried = (item.params["parent"], carried_value)
        drops.append(DroppedRow(name, identity[(name, index)][0], item.id, item.severity, carried))
    return tuple(findings), tuple(drops)
