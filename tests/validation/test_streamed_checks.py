"""Row checks run per distinct value in streamed validation: the shortcuts they take are sound."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from iapt_desktop.validation.column_checks import CANNOT_BREAK, ancestor_operand, fields_read
from iapt_desktop.validation.context import ValidationContext
from iapt_desktop.validation.engine import default_rules
from iapt_desktop.validation.row_checks import COLUMN_FORMS
from iapt_desktop.validation.row_environment import RowEnvironment, parent_path

CONTEXT = ValidationContext.for_database("RX1", "RX1")

DATE_TEXTS = st.one_of(
    st.dates().map(str), st.sampled_from(["", " ", "2024-02-30", "2024-1-01", "20240101", "2024-01-01 09:30:00",
                                          "2024-01-01T09:30", "9999-12-31", "0001-01-01"]),
    st.text(alphabet="0123456789-: T", max_size=19),
    st.sampled_from(["2024-01", "2024/01", "2023-12", "2024-1", "2024/13", "1899-12", "20241", "2024-01-"]),
    st.text(alphabet="0123456789-/", max_size=8))


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


AWKWARD_VALUES = st.one_of(
    st.none(), st.integers(), st.floats(allow_nan=False), st.binary(max_size=4),
    st.sampled_from(["", " ", "\t", "\u3000\t", "\n", "a\nb", "a\rb", "x" * 200, "A1", " A1 ", "é" * 20]),
    st.text(max_size=40), st.text(alphabet=" \t\r\nab1", max_size=8), DATE_TEXTS,
    st.sampled_from(["1", "01", "A", "Y", "N", "ZZ", "99", "SW1A 1AA", "2024-12", "2024/12", "1899-12-30"]))


def _rules_with_column_forms() -> list[tuple[object, object]]:
    return [(item, broken) for checks in default_rules(True).row_checks.values() for item, broken in checks
            if item.check in COLUMN_FORMS]


@settings(max_examples=300, deadline=None)
@given(st.lists(AWKWARD_VALUES, max_size=12))
def test_column_forms_keep_every_value_the_predicate_breaks(values: list[object]) -> None:
    env = RowEnvironment(CONTEXT, lambda table_name, key: None)
    checked = set()
    for item, broken in _rules_with_column_forms():
        hashable = set(values)
        form = COLUMN_FORMS[item.check](item)
        if form is None:
            continue
        maybe = form(hashable, env)
        assert maybe <= hashable
        for value in hashable:
            if broken({item.field: value}, env):
                assert value in maybe, (item.id, value)
        checked.add(item.check)
    assert checked == set(COLUMN_FORMS)


def test_column_forms_let_plain_ids_through_and_keep_awkward_ones() -> None:
    env = RowEnvironment(CONTEXT, lambda table_name, key: None)
    awkward = {None, "", " ", "\u3000\t", "a\nb", "a\rb", "x" * 5000, 7, b"x", "2024-02-30", "9999-12-31"}
    for item, broken in _rules_with_column_forms():
        form = COLUMN_FORMS[item.check](item)
        if form is None:
            continue
        maybe = form(awkward | {"A1"}, env)
        if item.check in {"not_blank", "text_length"}:  # a plain id is let through unless it breaks the rule
            assert "A1" not in maybe or broken({item.field: "A1"}, env)
        if item.check == "valid_date":
            assert "2024-02-29" not in form({"2024-02-29"}, env)
        assert {value for value in awkward if broken({item.field: value}, env)} <= maybe
    assert any(broken({item.field: None}, env) for item, broken in _rules_with_column_forms())
    assert any(broken({item.field: "x" * 5000}, env) for item, broken in _rules_with_column_forms())


@settings(max_examples=300, deadline=None)
@given(DATE_TEXTS, DATE_TEXTS)
def test_pairs_of_one_row_let_through_unchecked_cannot_break_the_date_rules(value: str, other: str) -> None:
    env = RowEnvironment(CONTEXT, lambda table_name, key: None)
    checked = 0
    for checks in default_rules(True).row_checks.values():
        for item, broken in checks:
            fields = fields_read(item)
            if fields is None or len(fields) != 2 or item.check not in CANNOT_BREAK:
                continue
            if CANNOT_BREAK[item.check](value, other):
                assert not broken({fields[0]: value, fields[1]: other}, env), (item.id, value, other)
            checked += 1
    assert checked >= 4
