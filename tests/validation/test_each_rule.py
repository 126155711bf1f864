"""Every runnable rule of the rule table fires on a row that breaks it and stays quiet on a near miss."""

from __future__ import annotations

import pytest

from iapt_desktop.validation.engine import validate
from iapt_desktop.validation.rules import runnable_rules
from tests.validation.month_rows import context, valid_month
from tests.validation.rule_examples import examples

CASES = [
    pytest.param(rule, label, change, fires, id=f"{rule.id}-{label}")
    for rule in runnable_rules()
    for label, change, fires in examples(rule)
]


def test_the_valid_month_breaks_no_rule() -> None:
    result = validate(valid_month(), context())
    assert result.findings == ()
    assert not result.rejects_file


def test_every_runnable_rule_has_a_firing_example_and_a_near_miss() -> None:
    for rule in runnable_rules():
        outcomes = {fires for _, _, fires in examples(rule)}
        assert outcomes == {True, False}, rule.id


@pytest.mark.parametrize(("rule", "label", "change", "fires"), CASES)
def test_rule(rule, label, change, fires) -> None:
    month = valid_month()
    change(month)
    found = [f for f in validate(month, context()).findings if f.rule == rule.id]
    if fires:
        assert found, f"{rule.id} should fire ({label})"
        assert {f.severity for f in found} == {rule.severity}
        assert {f.table for f in found} <= {rule.table, "IDS201CareContact", "IDS999Bogus", ""}
    else:
        assert not found, f"{rule.id} should not fire ({label}): {found}"
