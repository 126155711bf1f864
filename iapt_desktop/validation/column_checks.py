"""A table's row checks, run a batch of rows at a time on the values they read.

Each row check of the rule table reads either only its own row's fields (code
lists, formats, lengths, dates against the period, a score against its tool:
:func:`fields_read`) or a field of its row and one of an ancestor row (a date
against the referral's or the patient's date).  Its verdict is a function of
those values, so the checks that read the same values are grouped and each
group's verdict is worked out once per distinct value (or pair of values) by
the compiled predicate itself, on a row made of those values only.  A batch's
column of values is compared with the values already known to pass as sets,
so a row only costs Python work when its value is new or breaks a rule.

Hits are ``(row index, place of the check in the table's rule order, rule, the field's text)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from iapt_desktop.validation.row_checks import COLUMN_FORMS, ColumnFilter, RowPredicate
from iapt_desktop.validation.row_environment import Row, RowEnvironment, parent_path
from iapt_desktop.validation.rules import Rule
from iapt_desktop.validation.value_checks import as_text

# Row checks whose verdict depends only on the rule's own field and the fixed context of the run.
_OWN_FIELD_CHECKS = frozenset({
    "not_blank", "text_length", "digits", "matches", "must_not_match", "in_code_list", "valid_date", "valid_time",
    "valid_datetime", "snomed_ct", "nhs_number", "assessment_tool_known", "birth_date_plausible", "not_after_now",
    "equals_context",
})
_OTHER_FIELD_CHECKS = frozenset({
    "blank_when_other_in", "blank_when_other_present", "present_when_other_in", "present_when_other_not_in",
})
_ANCESTOR_CHECKS = frozenset({"date_on_or_after", "date_on_or_before", "onset_not_before_birth"})
PASS_LIMIT = 20_000  # passing values remembered per group (ids are all distinct: no use keeping them all)
Hit = tuple[int, int, Rule, "str | None"]  # row index, place in the table's rule order, rule, the field's text
ColumnOf = Callable[[str], Sequence[Any]]  # a column's values in the batch
# (ancestor table, column) -> (key -> the ancestor's first row with the key or None, its codes, its values)
AncestorLookup = Callable[[str, str], tuple[Callable[[Any], "int | None"], Sequence[int], Sequence[Any]]]
Signature = frozenset[tuple[str, tuple[tuple[str, str], ...]]]
# (checks' signature, text keys of an earlier table that were checked the same way there, those that failed)
Voucher = tuple[Signature, dict[Any, int], frozenset[Any]]
NO_ROW = object()  # no stored ancestor row (the next hop is not looked up)
_LINK = object()  # stands for the key of an ancestor in a row made of values only
# A date comparison with an ancestor only ever reports ``value < other`` (on or after) or ``value > other``
# (on or before), ``other`` cut to its date (an onset: its year and month before the birth date's): a pair of
# texts ordered the other way cannot break it, whatever else the check looks at.  Such pairs are let through
# without running the check (tests/validation/test_streamed_checks.py holds this to the predicates of row_checks).
CANNOT_BREAK: dict[str, Callable[[str, str], bool]] = {
    "date_on_or_after": lambda value, other: value >= other[:10],
    "date_on_or_before": lambda value, other: value <= other[:10],
    # an onset (YYYY-MM or YYYY/MM) only breaks when its year and month come before the birth date's
    "onset_not_before_birth": lambda value, other: value[:4] + value[5:7] >= other[:4] + other[5:7],
}


def fields_read(item: Rule) -> tuple[str, ...] | None:
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


def ancestor_operand(item: Rule) -> tuple[str, str] | None:
    """(ancestor table, column) for a check comparing its field with an ancestor's (None otherwise)."""
    other = item.params.get("other", "")
    if item.check not in _ANCESTOR_CHECKS or "date" in item.params or "." not in other or other.startswith("period."):
        return None
    target_table, column = other.split(".")
    return target_table, column


@dataclass
class _Group:
    """Checks reading the same values; the verdict per distinct value is remembered."""

    fields: tuple[str, ...]
    checks: list[tuple[int, Rule, RowPredicate]]
    ancestor: tuple[str, str] | None = None  # the second value is this ancestor's column
    hops: tuple[tuple[str, str], ...] = ()
    passing: set[Any] = field(default_factory=set)
    failing: dict[Any, tuple[tuple[int, Rule], ...]] = field(default_factory=dict)
    filters: list[ColumnFilter] | None = None  # column-wise forms of every check (None: some check has none)

    def may_break(self, new: set[Any], env: RowEnvironment) -> set[Any]:
        """The new values some check may break (column-wise forms); the others pass and are remembered."""
        assert self.filters is not None
        maybe: set[Any] = set().union(*(keep(new, env) for keep in self.filters))
        if len(self.passing) < PASS_LIMIT and len(maybe) < len(new):
            self.passing.update(new - maybe)
        return maybe

    @property
    def signature(self) -> frozenset[tuple[str, tuple[tuple[str, str], ...]]]:
        """What the checks are, whatever their rule ids: equal signatures give equal verdicts on a value."""
        return frozenset((item.check, tuple(sorted(item.params.items()))) for _, item, _ in self.checks)

    def evaluate(self, new: Iterable[Any], env: RowEnvironment) -> None:
        """Work out the verdict of each new value (one row dict, filled in turn: the checks keep no row)."""
        failing, passing, checks = self.failing, self.passing, self.checks
        first = self.fields[0]
        row: dict[str, Any] = dict.fromkeys(self.fields)
        ancestor: dict[str, Any] = {}
        pairs = _PairEnvironment(env) if self.ancestor is not None else None
        # one date comparison with an ancestor's date or another date of the row (value, other): its shortcut
        quick = [CANNOT_BREAK.get(item.check) for _, item, _ in checks] \
            if pairs is not None or len(self.fields) == 2 else []
        ordered = quick[0] if len(quick) == 1 else None
        if self.ancestor is not None:
            row[self.hops[0][1]] = _LINK
            ancestor.update((column, _LINK) for _, column in self.hops)
        for value in new:
            if value in failing:
                continue
            if pairs is not None:
                assert self.ancestor is not None
                if ordered is not None and type(value[0]) is str and type(value[1]) is str \
                        and ordered(value[0], value[1]):
                    continue  # passes: not remembered (cheap to tell again)
                row[first] = value[0]
                ancestor[self.ancestor[1]] = value[1]
                pairs.current = None if value[1] is None else ancestor
            elif len(self.fields) == 1:
                row[first] = value
            else:
                if ordered is not None and type(value[0]) is str and type(value[1]) is str \
                        and ordered(value[0], value[1]):
                    continue  # a date of the row not before (after) the other: passes, not remembered
                row.update(zip(self.fields, value, strict=True))
            found: tuple[tuple[int, Rule], ...] = ()
            for place, item, broken in checks:
                if broken(row, pairs or env):
                    found += ((place, item),)
            if found:
                failing[value] = found
            elif len(passing) < PASS_LIMIT:
                passing.add(value)


class TableChecks:
    """The row checks of one table, bound to its column positions."""

    def __init__(self, name: str, checks: Sequence[tuple[Rule, RowPredicate]]) -> None:
        self.name = name
        groups: dict[tuple[Any, ...], _Group] = {}
        for place, (item, broken) in enumerate(checks):
            fields = fields_read(item)
            ancestor = ancestor_operand(item) if fields is None else None
            if fields is None and ancestor is None:
                raise ValueError(f"Rule {item.id}: {item.check} reads values a batch cannot give")
            if ancestor is not None:
                fields = (item.field,)
            group_key = (fields, ancestor)
            if group_key not in groups:
                groups[group_key] = _Group(fields, [], ancestor,
                                           parent_path(name, ancestor[0]) if ancestor is not None else ())
            groups[group_key].checks.append((place, item, broken))
        self.groups = list(groups.values())
        for group in self.groups:
            if group.ancestor is None and len(group.fields) == 1:
                forms = [COLUMN_FORMS[item.check](item) if item.check in COLUMN_FORMS else None
                         for _, item, _ in group.checks]
                group.filters = None if None in forms else [form for form in forms if form is not None]

    def ancestor_columns(self) -> dict[str, set[str]]:
        """Per ancestor table, the columns these checks reach through it (the next hop's key, or the value)."""
        needed: dict[str, set[str]] = {}
        for group in self.groups:
            if group.ancestor is None:
                continue
            for step, (parent_table, _) in enumerate(group.hops):
                column = group.hops[step + 1][1] if step + 1 < len(group.hops) else group.ancestor[1]
                needed.setdefault(parent_table, set()).add(column)
        return needed

    def verdicts(self) -> dict[str, tuple[Signature, frozenset[Any]]]:
        """Per column checked on its own: the checks' signature and the values that broke them."""
        return {group.fields[0]: (group.signature, frozenset(group.failing))
                for group in self.groups if group.ancestor is None and len(group.fields) == 1}

    def run(self, column: ColumnOf, first_index: int, env: RowEnvironment,
            ancestor_value: AncestorLookup, vouched: dict[str, Voucher] | None = None) -> list[Hit]:
        """The hits of one batch (``column(name)``: its values in that column; the batch's first row index).

        ``vouched``: per column, the signature of checks an earlier table ran on its keys (a link's parent),
        those keys and the ones that failed; a value equal to a key that passed is not checked again.
        """
        hits: list[Hit] = []
        for group in self.groups:
            values = self._values(group, column, ancestor_value)
            if group.passing.issuperset(values):  # the usual batch: every value known to pass
                continue
            new = set(values) - group.passing
            voucher = vouched.get(group.fields[0]) if vouched and group.ancestor is None else None
            if new and voucher is not None and len(group.fields) == 1 and voucher[0] == group.signature:
                keys, failed = voucher[1], voucher[2]
                new -= (new & keys.keys()) - failed
            if new and group.filters is not None:
                new = group.may_break(new, env)
            if not new:
                continue
            failing = group.failing
            group.evaluate(new, env)
            bad = new & failing.keys()
            if not bad:
                continue
            for offset, value in enumerate(values):
                if value in bad:
                    for place, item in failing[value]:
                        hits.append((first_index + offset, place, item, as_text(column(item.field)[offset])))
        return hits

    @staticmethod
    def _values(group: _Group, column: ColumnOf, ancestor_value: AncestorLookup) -> Sequence[Any]:
        if group.ancestor is not None:
            keys: Sequence[Any] = column(group.hops[0][1])
            for step, (parent_table, _) in enumerate(group.hops):
                name = group.hops[step + 1][1] if step + 1 < len(group.hops) else group.ancestor[1]
                rows_of, codes, kept = ancestor_value(parent_table, name)
                keys = [NO_ROW if row is None else kept[codes[row]] for row in map(rows_of, keys)]
            return list(zip(column(group.fields[0]), [None if key is NO_ROW else key for key in keys], strict=True))
        if len(group.fields) == 1:
            return column(group.fields[0])
        return list(zip(*map(column, group.fields), strict=True))


class _PairEnvironment(RowEnvironment):
    """The run's environment, with every ancestor lookup answering the ancestor row of the pair at hand."""

    __slots__ = ("current",)

    def __init__(self, env: RowEnvironment) -> None:
        self.current: Row | None = None
        super().__init__(env.context, self._current)

    def _current(self, name: str, key: Any) -> Row | None:
        return self.current

    def ancestor(self, row: Row, hops: tuple[tuple[str, str], ...]) -> Row | None:
        return self.current  # what walking the hops through _current gives, without the walk
