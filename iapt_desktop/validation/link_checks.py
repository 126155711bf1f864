"""The checks between tables worked out on kept columns, a set at a time.

``set_checks`` defines ``parent_exists``, ``has_child``,
``attended_contact_has_activity`` and ``listed_in`` over rows; run over the
light rows of :class:`kept_columns.CompactState` they cost a Python object and
a look-up per row and per pass of the cascade.  Here the same questions are
put to whole columns: which link tokens (or values) have no surviving
counterpart, as set differences, and only then which rows carry them.  The
hits are those of the row-by-row check, in the same (row) order;
``tests/validation/test_streamed.py`` compares the two engines.  A check whose
columns are not kept in the expected form (or whose keys repeat) answers
``None``, and the row-by-row check runs instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from iapt_desktop.domain.dataset import table
from iapt_desktop.validation.kept_columns import CompactState, KeptTable, LinkColumn, ValueColumn
from iapt_desktop.validation.row_checks import allowed_values
from iapt_desktop.validation.rules import Rule
from iapt_desktop.validation.value_checks import as_text, is_blank

Hit = tuple[str, int, str, Any]


def link_hits(item: Rule, state: CompactState) -> list[Hit] | None:
    """The check's hits over the kept columns, or None when it must run row by row."""
    if item.check == "parent_exists":
        return _parent_exists(item, state)
    if item.check == "has_child":
        return _has_child(item, state)
    if item.check == "attended_contact_has_activity":
        return _attended_contact_has_activity(item, state)
    if item.check == "listed_in":
        return _listed_in(item, state)
    return None


def _column(state: CompactState, name: str, column: str, kind: type) -> tuple[KeptTable, Any] | None:
    kept = state.kept.get(name)
    found = kept.columns.get(column) if kept is not None else None
    return (kept, found) if isinstance(found, kind) else None


def _own_tokens_alive(state: CompactState, name: str, column: str) -> set[int] | None:
    """The tokens of a table's own key over its surviving rows (None when a key repeats)."""
    found = _column(state, name, column, LinkColumn)
    if found is None:
        return None
    tokens = found[1].tokens
    alive = set(tokens)
    if len(alive) != len(tokens):
        return None  # a key on several rows: a dropped one may share its token with a surviving one
    alive.difference_update(tokens[row] for row in state.dropped.get(name, ()))
    return alive


def _tokens_alive(state: CompactState, name: str, column: str) -> set[int] | None:
    found = _column(state, name, column, LinkColumn)
    if found is None:
        return None
    _, link = found
    gone = state.dropped.get(name)
    if not gone:
        return set(link.tokens)
    return {token for row, token in enumerate(link.tokens) if row not in gone}


def _rows_with(tokens: Any, wanted: set[Any], gone: set[int] | None) -> Iterator[int]:
    if not wanted:
        return
    for row, token in enumerate(tokens):
        if token in wanted and (not gone or row not in gone):
            yield row


def _parent_exists(item: Rule, state: CompactState) -> list[Hit] | None:
    parent, child = table(item.params["parent"]), table(item.table)
    keys = _own_tokens_alive(state, parent.name, parent.storage_key)
    found = _column(state, child.name, child.parent_column or "", LinkColumn)
    if keys is None or found is None:
        return None
    tokens = found[1].tokens
    orphaned = set(tokens) - keys
    return [(child.name, row, item.field, None) for row in _rows_with(tokens, orphaned, state.dropped.get(child.name))]


def _has_child(item: Rule, state: CompactState) -> list[Hit] | None:
    child = table(item.params["child"])
    linked = _tokens_alive(state, child.name, child.parent_column or "")
    found = _column(state, item.table, item.field, LinkColumn)
    if linked is None or found is None:
        return None
    tokens = found[1].tokens
    childless = set(tokens) - linked
    return [(item.table, row, item.field, None) for row in _rows_with(tokens, childless, state.dropped.get(item.table))]


def _attended_contact_has_activity(item: Rule, state: CompactState) -> list[Hit] | None:
    with_activity = _tokens_alive(state, "IDS202CareActivity", "CareContactId")
    contacts = _column(state, item.table, "CareContactId", LinkColumn)
    attendance = _column(state, item.table, "AttendOrDNACode", ValueColumn)
    if with_activity is None or contacts is None or attendance is None or item.field != "AttendOrDNACode":
        return None
    attended = allowed_values(item)
    codes = attendance[1]
    attended_codes = {code for code, value in enumerate(codes.values) if str(value) in attended}
    tokens = contacts[1].tokens
    without = set(tokens) - with_activity
    gone = state.dropped.get(item.table)
    return [(item.table, row, item.field, as_text(codes.values[codes.codes[row]]))
            for row in _rows_with(tokens, without, gone) if codes.codes[row] in attended_codes]


def _listed_in(item: Rule, state: CompactState) -> list[Hit] | None:
    target_table, target_column = item.params["target"].split(".")
    target = _column(state, target_table, target_column, ValueColumn)
    found = _column(state, item.table, item.field, ValueColumn)
    if target is None or found is None:
        return None
    known = {str(value) for value in state.surviving_values(target_table, target_column) if not is_blank(value)}
    column = found[1]
    unknown = {code for code, value in enumerate(column.values) if not is_blank(value) and str(value) not in known}
    return [(item.table, row, item.field, as_text(column.values[column.codes[row]]))
            for row in _rows_with(column.codes, unknown, state.dropped.get(item.table))]
