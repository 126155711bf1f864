"""Checks that look at one row: each factory turns a rule row into a compiled predicate.

A predicate takes (row, environment) and returns True when the rule is broken.
Blank values pass every check except the blank checks themselves, as in the
national pipeline ("or null" rules).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable

from iapt_desktop.domain.assessment_scales import scale
from iapt_desktop.domain.codes import code_list
from iapt_desktop.domain.field_checks import MAX_PERSON_AGE, age_on, nhs_number_problem
from iapt_desktop.paths import resource
from iapt_desktop.validation.row_environment import Row, RowEnvironment, parent_path
from iapt_desktop.validation.rules import Rule
from iapt_desktop.validation.value_checks import (
    coded_entry_fits_scheme,
    is_blank,
    is_valid_date,
    is_valid_datetime,
    is_valid_snomed_ct,
    is_valid_time,
)

RowPredicate = Callable[[Row, RowEnvironment], bool]


@functools.cache
def language_codes() -> frozenset[str]:
    with open(resource("rules", "language_codes.csv"), encoding="utf-8") as handle:
        return frozenset(line.split(",")[0] for line in handle.read().splitlines()[1:] if line)


def allowed_values(rule: Rule) -> frozenset[str]:
    """The value set a rule names: 'values=a b c', 'codes=<column>' (the app's code list) or '@language'."""
    if "values" in rule.params:
        return frozenset(rule.params["values"].split())
    name = rule.params.get("codes", "")
    if name == "@language":
        return language_codes()
    codes = code_list(name)
    if codes is None:
        raise ValueError(f"Rule {rule.id}: there is no code list for {name!r}")
    return codes.values()


def _text(value: object) -> str:
    return value if isinstance(value, str) else str(value)


def not_blank(rule: Rule) -> RowPredicate:
    field = rule.field
    return lambda row, env: is_blank(row.get(field))


def text_length(rule: Rule) -> RowPredicate:
    field, low, high = rule.field, int(rule.params.get("min", 0)), int(rule.params.get("max", 10**6))

    def broken(row: Row, env: RowEnvironment) -> bool:
        value = row.get(field)
        if is_blank(value):
            return False
        text = _text(value)
        return not low <= len(text) <= high or "\n" in text or "\r" in text

    return broken


def digits(rule: Rule) -> RowPredicate:
    field, low, high = rule.field, int(rule.params.get("min", 0)), int(rule.params.get("max", 10**6))

    def broken(row: Row, env: RowEnvironment) -> bool:
        value = row.get(field)
        if is_blank(value):
            return False
        text = _text(value)
        return not (text.isascii() and text.isdigit() and low <= len(text) <= high)

    return broken


def matches(rule: Rule) -> RowPredicate:
    field, pattern = rule.field, re.compile(rule.params["pattern"])
    return lambda row, env: not is_blank(row.get(field)) and not pattern.search(_text(row.get(field)))


def must_not_match(rule: Rule) -> RowPredicate:
    field, pattern = rule.field, re.compile(rule.params["pattern"])
    return lambda row, env: not is_blank(row.get(field)) and bool(pattern.search(_text(row.get(field))))


def in_code_list(rule: Rule) -> RowPredicate:
    field, allowed = rule.field, allowed_values(rule)
    return lambda row, env: not is_blank(row.get(field)) and _text(row.get(field)) not in allowed


def _format_check(valid: Callable[[str], bool]) -> Callable[[Rule], RowPredicate]:
    def factory(rule: Rule) -> RowPredicate:
        field = rule.field
        return lambda row, env: not is_blank(row.get(field)) and not valid(_text(row.get(field)))

    return factory


valid_date = _format_check(is_valid_date)
valid_time = _format_check(is_valid_time)
valid_datetime = _format_check(is_valid_datetime)


def snomed_ct(rule: Rule) -> RowPredicate:
    field, low, high = rule.field, int(rule.params.get("min", 6)), int(rule.params.get("max", 56))
    return lambda row, env: not is_blank(row.get(field)) and not is_valid_snomed_ct(_text(row.get(field)), low, high)


def coded_entry(rule: Rule) -> RowPredicate:
    field, scheme = rule.field, rule.params["scheme"]
    return lambda row, env: not coded_entry_fits_scheme(row.get(scheme), row.get(field))


def _operand(rule: Rule) -> Callable[[Row, RowEnvironment], str | None]:
    """The date a comparison rule compares with: a literal, the period, a field of this row or of a parent."""
    if "date" in rule.params:
        literal = rule.params["date"]
        return lambda row, env: literal
    other, offset = rule.params["other"], rule.params.get("offset", "")
    if other.startswith("period."):
        return lambda row, env: env.period_value(other, offset)
    if "." in other:
        target_table, column = other.split(".")
        hops = parent_path(rule.table, target_table)

        def from_parent(row: Row, env: RowEnvironment) -> str | None:
            parent = env.ancestor(row, hops)
            return None if parent is None else parent.get(column)

        return from_parent
    return lambda row, env: row.get(other)


def _date_comparison(after: bool) -> Callable[[Rule], RowPredicate]:
    def factory(rule: Rule) -> RowPredicate:
        field, operand = rule.field, _operand(rule)

        def broken(row: Row, env: RowEnvironment) -> bool:
            value = row.get(field)
            if is_blank(value) or not is_valid_date(_text(value)):
                return False
            other = operand(row, env)
            if is_blank(other) or not is_valid_date(_text(other)[:10]):
                return False
            other_text = _text(other)[:10]
            return value < other_text if after else value > other_text

        return broken

    return factory


date_on_or_after = _date_comparison(after=True)
date_on_or_before = _date_comparison(after=False)


def not_after_now(rule: Rule) -> RowPredicate:
    field = rule.field

    def broken(row: Row, env: RowEnvironment) -> bool:
        value = row.get(field)
        if is_blank(value) or not is_valid_datetime(_text(value)):
            return False
        return dt.datetime.fromisoformat(_text(value)) > env.context.now

    return broken


def onset_not_before_birth(rule: Rule) -> RowPredicate:
    field, birth = rule.field, _operand(rule)
    onset_format = re.compile(r"^(\d{4})[-/](\d{2})$")

    def broken(row: Row, env: RowEnvironment) -> bool:
        onset = row.get(field)
        born = birth(row, env)
        if is_blank(onset) or is_blank(born) or not is_valid_date(_text(born)):
            return False
        match = onset_format.match(_text(onset))
        return bool(match) and (int(match.group(1)), int(match.group(2))) < (int(born[:4]), int(born[5:7]))

    return broken


def nhs_number(rule: Rule) -> RowPredicate:
    field = rule.field

    def broken(row: Row, env: RowEnvironment) -> bool:
        value = row.get(field)
        if is_blank(value):
            return False
        text = _text(value)
        return not (len(text) == 10 and text.isdigit()) or nhs_number_problem(text) is not None

    return broken


def birth_date_plausible(rule: Rule) -> RowPredicate:
    field, max_age = rule.field, int(rule.params.get("max_age", MAX_PERSON_AGE))

    def broken(row: Row, env: RowEnvironment) -> bool:
        value = row.get(field)
        if is_blank(value) or not is_valid_date(_text(value)):
            return False
        born = dt.date.fromisoformat(value)
        period = env.context.period
        return born > period.end or age_on(born, period.start) > max_age

    return broken


def both_blank(rule: Rule) -> RowPredicate:
    first, second = rule.fields[0], rule.fields[1]
    return lambda row, env: is_blank(row.get(first)) and is_blank(row.get(second))


def blank_when_other_in(rule: Rule) -> RowPredicate:
    field, other, values = rule.field, rule.params["other"], allowed_values(rule)
    return lambda row, env: is_blank(row.get(field)) and _text(row.get(other)) in values


def blank_when_other_present(rule: Rule) -> RowPredicate:
    field, other = rule.field, rule.params["other"]
    return lambda row, env: is_blank(row.get(field)) and not is_blank(row.get(other))


def present_when_other_in(rule: Rule) -> RowPredicate:
    field, other, values = rule.field, rule.params["other"], allowed_values(rule)
    return lambda row, env: not is_blank(row.get(field)) and _text(row.get(other)) in values


def present_when_other_not_in(rule: Rule) -> RowPredicate:
    field, other, values = rule.field, rule.params["other"], allowed_values(rule)
    blank_fires = rule.params.get("other_blank_fires", "no") == "yes"

    def broken(row: Row, env: RowEnvironment) -> bool:
        if is_blank(row.get(field)):
            return False
        other_value = row.get(other)
        if is_blank(other_value):
            return blank_fires
        return _text(other_value) not in values

    return broken


def equals_context(rule: Rule) -> RowPredicate:
    field, key = rule.field, rule.params["key"]

    def broken(row: Row, env: RowEnvironment) -> bool:
        expected = env.context.value(key)
        value = row.get(field)
        return bool(expected) and not is_blank(value) and _text(value).strip() != expected.strip()

    return broken


def assessment_tool_known(rule: Rule) -> RowPredicate:
    field = rule.field
    return lambda row, env: not is_blank(row.get(field)) and scale(_text(row.get(field))) is None


def _score_problem(rule: Rule, in_range: bool) -> RowPredicate:
    score_field, tool_field = rule.fields[0], rule.fields[1]

    def broken(row: Row, env: RowEnvironment) -> bool:
        score, tool = row.get(score_field), row.get(tool_field)
        if is_blank(score) or is_blank(tool):
            return False
        found = scale(_text(tool))
        if found is None:
            return False
        text = _text(score)
        if not re.fullmatch(found.format_regex, text):
            return not in_range  # a wrong format is the format rule's finding
        return in_range and not found.accepts(text)

    return broken


def score_format(rule: Rule) -> RowPredicate:
    return _score_problem(rule, in_range=False)


def score_in_range(rule: Rule) -> RowPredicate:
    return _score_problem(rule, in_range=True)


# Column-wise forms of the cheapest checks: given a set of a field's values (and the run's environment), the
# values that MAY break the rule (every value that breaks it is among them; the others certainly pass).  Streamed
# validation asks the row predicate only about those, so the predicate stays the one meaning of the check
# (tests/validation/test_streamed_checks.py holds each form to its predicate on awkward values).  A factory
# returns None for a rule its form does not cover.
ColumnFilter = Callable[[set[object], RowEnvironment], set[object]]


def _not_blank_column(rule: Rule) -> ColumnFilter:
    # is_blank: None or text of white space only; whole numbers never are; anything else is asked of the predicate.
    return lambda values, env: {value for value in values
                                if type(value) is not int and (type(value) is not str or not value.strip())}


def _text_length_column(rule: Rule) -> ColumnFilter:
    low, high = int(rule.params.get("min", 0)), int(rule.params.get("max", 10**6))
    return lambda values, env: {value for value in values
                                if type(value) is not str or not low <= len(value) <= high
                                or "\n" in value or "\r" in value}


def _date_comparison_column(after: bool) -> Callable[[Rule], ColumnFilter | None]:
    # A comparison with a literal date or the period only breaks on text before (after) the operand's date text.
    def factory(rule: Rule) -> ColumnFilter | None:
        if "date" not in rule.params and not rule.params.get("other", "").startswith("period."):
            return None
        operand = _operand(rule)

        def may_break(values: set[object], env: RowEnvironment) -> set[object]:
            other = operand({}, env)
            if type(other) is not str:
                return values
            other = other[:10]
            if after:
                return {value for value in values if type(value) is not str or value < other}
            return {value for value in values if type(value) is not str or value > other}

        return may_break

    return factory


def _in_code_list_column(rule: Rule) -> ColumnFilter:
    allowed = allowed_values(rule)
    return lambda values, env: {value for value in values if type(value) is not str or value not in allowed}


def _pattern_column(rule: Rule, found_breaks: bool) -> ColumnFilter:
    search = re.compile(rule.params["pattern"]).search
    return lambda values, env: {value for value in values
                                if type(value) is not str or (search(value) is not None) is found_breaks}


_VALID_DATES: set[str] = set()  # texts is_valid_date accepted, shared by runs (at most _VALID_DATES_KEPT)
_VALID_DATES_KEPT = 200_000


def _valid_date_column(rule: Rule) -> ColumnFilter:
    def may_break(values: set[object], env: RowEnvironment) -> set[object]:
        maybe = {value for value in values if type(value) is not str or value not in _VALID_DATES}
        valid = {value for value in maybe if type(value) is str and is_valid_date(value)}
        if len(_VALID_DATES) < _VALID_DATES_KEPT:
            _VALID_DATES.update(valid)
        return maybe - valid if valid else maybe

    return may_break


COLUMN_FORMS: dict[str, Callable[[Rule], ColumnFilter | None]] = {
    "not_blank": _not_blank_column,
    "text_length": _text_length_column,
    "in_code_list": _in_code_list_column,
    "matches": lambda rule: _pattern_column(rule, found_breaks=False),
    "must_not_match": lambda rule: _pattern_column(rule, found_breaks=True),
    "valid_date": _valid_date_column,
    "date_on_or_after": _date_comparison_column(after=True),
    "date_on_or_before": _date_comparison_column(after=False),
}
