"""Row checks run per distinct value in streamed validation: the shortcuts they take are sound."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from iapt_desktop.validation.column_checks import CANNOT_BREAK, ancestor_operand
from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.engine import default_rules
from iapt_desktop.validation.row_environment import RowEnvironment, parent_path

CONTEXT = ValidationContext.for_database("RX1", "RX1")

DATE_TEXTS = st.one_of(
    st.dates().map(str), st.sampled_from(["", " ", "2024-02-30", "2024-1-01", "20240101", "2024-01-01 09:30:00",
                                          "2024-01-01T09:30", "9999-12-31", "0001-01-01"]),
    st.text(alphabet="0123456789-: T", max_size=19))


@settings(max_examples=300, deadline=None)
@given(DATE_TEXTS, DATE_TEXTS)
def test_pairs_let_through_unchecked_cannot_break_the_date_rules(value: str, other: str) -> None:
    checked = 0
    for name, checks in default_rules(True).row_checks.items():
        for item, broken in checks:
            ancestor = ancestor_operand(item)
            if ancestor is None or item.check not in CANNOT_BREAK:
                continue
            hops = parent_path(name, ancestor[0])
            parent = {column: "K" for _, column in hops} | {ancestor[1]: other}
            env = RowEnvironment(CONTEXT, lambda table_name, key, parent=parent: parent)
            row = {item.field: value, hops[0][1]: "K"}
            if CANNOT_BREAK[item.check](value, other):
                assert not broken(row, env), (item.id, value, other)
            checked += 1
    assert checked > 10
