"""What a row check can see besides its row: the context and the row's parents."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from iapt_desktop.domain.dataset import table
from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.value_checks import add_offset

Row = Mapping[str, Any]
# (table name, key value) -> the parent row with that key, or None
ParentLookup = Callable[[str, Any], Row | None]


def parent_path(from_table: str, to_table: str) -> tuple[tuple[str, str], ...]:
    """The hops (parent table, column in the child holding its key) from a table up to an ancestor."""
    hops: list[tuple[str, str]] = []
    current = table(from_table)
    while current.name != to_table:
        if current.parent is None or current.parent_column is None:
            raise ValueError(f"{to_table} is not an ancestor of {from_table}")
        hops.append((current.parent, current.parent_column))
        current = table(current.parent)
    return tuple(hops)


class RowEnvironment:
    """The context plus a way to reach a row's parent rows (patient, referral, ...)."""

    __slots__ = ("_lookup", "_period_values", "context")

    def __init__(self, context: ValidationContext, lookup: ParentLookup) -> None:
        self.context = context
        self._lookup = lookup
        self._period_values: dict[tuple[str, str], str] = {}

    def period_value(self, name: str, offset: str = "") -> str:
        """'period.start' / 'period.end' as ISO text, with an optional '1 day' / '2 years' offset."""
        cached = self._period_values.get((name, offset))
        if cached is None:
            base = self.context.period_start if name == "period.start" else self.context.period_end
            cached = add_offset(base, offset) if offset else base
            self._period_values[(name, offset)] = cached
        return cached

    def ancestor(self, row: Row, hops: tuple[tuple[str, str], ...]) -> Row | None:
        current: Row | None = row
        for parent_table, column in hops:
            if current is None:
                return None
            current = self._lookup(parent_table, current.get(column))
        return current
