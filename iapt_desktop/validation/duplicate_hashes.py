"""Duplicate rules over a streamed table: a hash per row, then an exact look at the rows whose hash repeats.

The rule compares keys as ``set_checks._key_text`` spells them: a blank value
(None, or text of whitespace only) is ``""``, any other value its ``str()``.
Hashing that text for every row is the costly part, so the hash is taken of
the values themselves, blanks made ``""``: within a column of one type (all
text, or all whole numbers, besides blanks) two values have the same text
exactly when they are equal.  A column mixing types (or holding any other
type) makes every row a candidate.  Candidates are read again and compared on
their exact key (and the rule's own choice of rows), so a hash collision can
neither invent nor hide a duplicate.  Finding repeats sorts the hashes a
slice at a time (by their low bits), never all of them at once.
"""

from __future__ import annotations

import itertools
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from iapt_desktop.validation.row_checks import allowed_values
from iapt_desktop.validation.row_environment import Row
from iapt_desktop.validation.rules import Rule
from iapt_desktop.validation.set_checks import _key_text
from iapt_desktop.validation.value_checks import as_text, is_blank

DUPLICATE_CHECKS = frozenset({"unique", "unique_where_blank", "unique_attended_contact"})
_SLICES = 64  # hashes are looked at in this many slices (by their low bits) to find repeats
_PLAIN_TYPES = frozenset({str, int, type(None)})
Pending = tuple[Rule, str, int, str, str | None]


def duplicate_shape(item: Rule) -> tuple[Sequence[str], Callable[[Row], bool]]:
    """The fields a duplicate rule compares and which rows it looks at (as in set_checks)."""
    if item.check == "unique_where_blank":
        blank = item.params["blank"]
        return item.fields, lambda row: is_blank(row.get(blank))
    if item.check == "unique_attended_contact":
        attended = allowed_values(item)
        return item.fields[:3], lambda row: str(row.get("AttendOrDNACode")) in attended
    skip_blank = item.params.get("skip_blank") == "yes"
    return item.fields, lambda row: not (skip_blank and any(is_blank(row.get(name)) for name in item.fields))


def _blanks_made_empty(values: Sequence[Any]) -> Sequence[Any]:
    if None in values or "" in values or _any_space_only(values):
        return ["" if is_blank(value) else value for value in values]
    return values


def _any_space_only(values: Sequence[Any]) -> bool:
    try:
        return any(map(str.isspace, values))  # all text (the usual case): looked at without a Python loop
    except TypeError:
        return any(type(value) is str and value.isspace() for value in values)


class DuplicateRule:
    """One duplicate rule over one table: hashes while streaming, exact hits after."""

    def __init__(self, item: Rule) -> None:
        self.item = item
        self.fields, self.keep = duplicate_shape(item)
        self.hashes = array("q")
        self.types: list[set[type]] = [set() for _ in self.fields]
        self.keyed_rows: int | None = None  # rows seen through add_keyed (no hashes then)
        self.repeats: set[int] = set()

    def add(self, column: Callable[[str], Sequence[Any]]) -> None:
        """Hash one batch's keys (``column(name)``: its values in that column)."""
        parts = []
        for types, name in zip(self.types, self.fields, strict=True):
            values = column(name)
            types.update(map(type, values))
            parts.append(_blanks_made_empty(values))
        self.hashes.extend(map(hash, parts[0] if len(parts) == 1 else zip(*parts, strict=True)))

    def add_keyed(self, keys: Sequence[Any], tokens: Sequence[int], start: int) -> None:
        """One batch of a rule on the table's own key alone, from the key index's tokens (no hashing).

        A row whose token is not its own index repeats an earlier key (both are candidates), and blank
        keys (all one key once made ``""``) are candidates; with keys all text, no other rows can match.
        """
        self.types[0].update(map(type, keys))
        self.keyed_rows = (self.keyed_rows or 0) + len(keys)
        if tokens != list(range(start, start + len(keys))):
            for row, token in enumerate(tokens, start):
                if token != row:
                    self.repeats.update((row, token))
        if None in keys or "" in keys or _any_space_only(keys):
            self.repeats.update(row for row, key in enumerate(keys, start) if is_blank(key))

    def candidates(self) -> Iterable[int]:
        """Row indices that may break the rule (every row when a column's types do not allow the shortcut)."""
        plain = all(len(types - {type(None)}) <= 1 and types <= _PLAIN_TYPES for types in self.types)
        if self.keyed_rows is not None:
            return sorted(self.repeats) if plain else range(self.keyed_rows)
        hashes, self.hashes = self.hashes, array("q")
        if not plain:
            return range(len(hashes))
        slices = [array("q") for _ in range(_SLICES)]
        for value in hashes:
            slices[value % _SLICES].append(value)
        repeated: set[int] = set()
        for part in slices:
            if len(set(part)) < len(part):
                ordered = sorted(part)
                repeated.update(a for a, b in itertools.pairwise(ordered) if a == b)
            part[:] = array("q")
        if not repeated:
            return ()
        return [index for index, value in enumerate(hashes) if value in repeated]

    def hits(self, name: str, rows: Iterator[tuple[int, Row]]) -> list[Pending]:
        """The rule's hits among the candidate rows (ascending), in the in-memory engine's order."""
        groups: dict[tuple[str, ...], list[tuple[int, Row]]] = defaultdict(list)
        for index, row in rows:
            if self.keep(row):
                groups[_key_text(row, self.fields)].append((index, row))
        item, found = self.item, []
        for members in groups.values():
            if len(members) > 1:
                for index, row in members:
                    if item.check == "unique_where_blank":
                        found.append((item, name, index, item.params["blank"], None))
                    else:
                        found.append((item, name, index, item.field, as_text(row.get(item.field))))
        return found
