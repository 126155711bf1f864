"""What streamed validation keeps of a table after its rows are gone, compactly.

Two kinds of column are kept:

- **value columns**: each distinct value once, and a 32-bit code per row
  (codes, staff ids, dates: few distinct values);
- **link columns**: the ids that tie a row to its parent.  The checks across
  tables only ask whether two ids are equal (``parent_exists``, ``has_child``,
  ``attended_contact_has_activity``), so a table's own key is kept as the
  index of the first row with that key, and a child's link to it as that same
  index (or -1 when no such parent was stored).  Equal ids give equal tokens
  and different ids different ones, so the checks give the same hits; the text
  of a hit's value is read again with its row.  Nothing of the id's text is
  kept once the tables linking to it have streamed.

:class:`CompactState` shows the checks a ``FileState`` over these columns.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from typing import Any

from iapt_desktop.domain.dataset import table
from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.rules import Rule
from iapt_desktop.validation.set_checks import FileState

MISSING = -1  # the token of a link to a parent key no stored row has


class ValueColumn:
    __slots__ = ("codes", "index", "values")

    def __init__(self) -> None:
        self.codes = array("i")
        self.values: list[Any] = []
        self.index: dict[Any, int] = {}

    def extend(self, values: Sequence[Any]) -> None:
        index = self.index
        for value in set(values) - index.keys():
            index[value] = len(self.values)
            self.values.append(value)
        self.codes.extend(map(index.__getitem__, values))

    def value(self, row: int) -> Any:
        return self.values[self.codes[row]]

    def distinct(self, rows: Iterator[int] | None = None) -> set[Any]:
        if rows is None:
            return {self.values[code] for code in set(self.codes)}
        return {self.values[self.codes[row]] for row in rows}


class LinkColumn:
    __slots__ = ("tokens",)

    def __init__(self) -> None:
        self.tokens = array("i")

    def value(self, row: int) -> int:
        return self.tokens[row]

    def distinct(self, rows: Iterator[int] | None = None) -> set[Any]:
        if rows is None:
            return set(self.tokens)
        return {self.tokens[row] for row in rows}


class KeyIndex:
    """A table's storage key -> the index of its first row with that key (while later tables need it)."""

    __slots__ = ("first", "text_only")

    def __init__(self) -> None:
        self.first: dict[Any, int] = {}
        self.text_only = True  # every key is text (str itself)

    def add(self, keys: Sequence[Any], start: int) -> list[int]:
        """Index these keys (rows ``start``...); the token of each row (its key's first row)."""
        first = self.first
        if self.text_only and set(map(type, keys)) - {str}:
            self.text_only = False
        return [first.setdefault(key, row) for row, key in enumerate(keys, start)]

    def tokens(self, keys: Sequence[Any]) -> list[int]:
        get = self.first.get
        return [get(key, MISSING) for key in keys]


Column = ValueColumn | LinkColumn


def link_roles(set_checks: Sequence[Rule]) -> tuple[dict[tuple[str, str], str], set[tuple[str, str]]]:
    """Which kept columns are link columns ((table, column) -> the table whose keys they hold) and which values.

    A column both compared as a value somewhere and as a link elsewhere is kept as a value everywhere,
    with every column it is compared with.
    """
    links: dict[tuple[str, str], str] = {}
    pairs: list[tuple[tuple[str, str], tuple[str, str]]] = []
    values: set[tuple[str, str]] = set()
    for item in set_checks:
        here = table(item.table)
        if item.check == "parent_exists":
            parent = table(item.params["parent"])
            own, child = (parent.name, parent.storage_key), (here.name, here.parent_column or "")
            links[own], links[child] = parent.name, parent.name
            pairs.append((own, child))
        elif item.check == "has_child":
            child_table = table(item.params["child"])
            own, child = (here.name, item.field), (child_table.name, child_table.parent_column or "")
            if item.field == here.storage_key and child_table.parent == here.name:
                links[own], links[child] = here.name, here.name
            else:
                values.update({own, child})
            pairs.append((own, child))
        elif item.check == "attended_contact_has_activity":
            own, child = (here.name, "CareContactId"), ("IDS202CareActivity", "CareContactId")
            if here.storage_key == "CareContactId" and table("IDS202CareActivity").parent == here.name:
                links[own], links[child] = here.name, here.name
            else:
                values.update({own, child})
            pairs.append((own, child))
            values.add((here.name, "AttendOrDNACode"))
        elif item.check == "listed_in":
            target_table, target_column = item.params["target"].split(".")
            values.update({(here.name, item.field), (target_table, target_column)})
        else:
            raise ValueError(f"Rule {item.id}: {item.check} is not supported when streaming")
    changed = True
    while changed:  # a value somewhere is a value everywhere it is compared
        changed = False
        for first, second in pairs:
            if (first in values) != (second in values):
                values.update({first, second})
                changed = True
    return {column: owner for column, owner in links.items() if column not in values}, values


class KeptTable:
    """The kept columns of one streamed table and its row count."""

    def __init__(self, columns: dict[str, Column]) -> None:
        self.columns = columns
        self.count = 0


class _ColumnRow:
    __slots__ = ("_columns", "_index")

    def __init__(self, columns: dict[str, Column], index: int) -> None:
        self._columns = columns
        self._index = index

    def get(self, name: str, default: Any = None) -> Any:
        column = self._columns.get(name)
        if column is None:
            raise KeyError(f"column {name} was not kept for the links between tables")
        return column.value(self._index)


class _ColumnRows(Sequence):
    def __init__(self, kept: KeptTable) -> None:
        self._kept = kept

    def __len__(self) -> int:
        return self._kept.count

    def __getitem__(self, index: Any) -> Any:
        count = self._kept.count
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(count))]
        if not -count <= index < count:
            raise IndexError(index)
        return _ColumnRow(self._kept.columns, index % count)

    def __iter__(self) -> Iterator[Any]:
        columns = self._kept.columns
        return (_ColumnRow(columns, index) for index in range(self._kept.count))


class CompactState(FileState):
    """FileState over kept columns: the set checks read light rows; the distinct values come from the columns."""

    def __init__(self, kept: dict[str, KeptTable], context: ValidationContext) -> None:
        super().__init__({}, context)
        self.kept = kept

    def table_rows(self, name: str) -> Sequence[Any]:
        return _ColumnRows(self.kept.get(name) or KeptTable({}))

    def surviving_values(self, name: str, column: str) -> set[Any]:
        kept = self.kept.get(name)
        if kept is None or column not in kept.columns:
            return super().surviving_values(name, column)
        gone = self.dropped.get(name, set())
        if not gone:
            return kept.columns[column].distinct()
        return kept.columns[column].distinct(row for row in range(kept.count) if row not in gone)
