"""The rule table: every national IAPT rule id (adapted to v2.1) and our local ones, as data.

Read once from ``resources/rules/rules.csv``; one row per rule.  A new rule is a
new row naming a check from :mod:`iapt_desktop.validation.check_registry`.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass

from iapt_desktop.paths import resource
from iapt_desktop.validation.findings import SEVERITIES

# What a rule's status means (shown in docs/rules.md and the findings panel).
STATUSES: dict[str, str] = {
    "national": "Implemented as NHS England publishes it.",
    "adapted": "National rule adapted to v2.1 (renamed column, v2.1 value set or version).",
    "replaced": "Replaced by the nearest local check (portal metadata, placeholders in the public code).",
    "local": "Our own rule for what v2.1 added; inferred, no national id.",
    "reference_data": "Needs national reference data (ODS, GP practices, postcodes); not checked offline.",
    "not_applicable": "Does not apply to v2.1 (the column was removed).",
}
RUNNABLE_STATUSES = frozenset({"national", "adapted", "replaced", "local"})


@dataclass(frozen=True)
class Rule:
    id: str
    status: str
    severity: str
    table: str
    fields: tuple[str, ...]
    check: str
    params: dict[str, str]
    message: str
    action: str  # what to do, in plain words
    note: str

    @property
    def field(self) -> str:
        """The field a finding points at: the one to change."""
        return self.fields[0] if self.fields else ""

    @property
    def runnable(self) -> bool:
        return self.status in RUNNABLE_STATUSES

    def __hash__(self) -> int:
        return hash(self.id)


def parse_params(text: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for part in text.split("; "):
        if part:
            name, _, value = part.partition("=")
            params[name.strip()] = value
    return params


@functools.cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule id, in the order of the rule table."""
    with open(resource("rules", "rules.csv"), newline="", encoding="utf-8") as handle:
        rules = tuple(
            Rule(
                id=row["id"],
                status=row["status"],
                severity=row["severity"],
                table=row["table"],
                fields=tuple(row["fields"].split()),
                check=row["check"],
                params=parse_params(row["params"]),
                message=row["message"],
                action=row["action"],
                note=row["note"],
            )
            for row in csv.DictReader(handle)
        )
    for item in rules:
        if item.severity not in SEVERITIES or item.status not in STATUSES:
            raise ValueError(f"resources/rules/rules.csv: rule {item.id} has an unknown severity or status")
    return rules


@functools.cache
def rules_by_id() -> dict[str, Rule]:
    return {item.id: item for item in all_rules()}


def rule(rule_id: str) -> Rule:
    try:
        return rules_by_id()[rule_id]
    except KeyError:
        raise KeyError(f"{rule_id!r} is not a rule id of this app") from None


def explanation(rule_id: str) -> str:
    """What to do about a finding of this rule, in plain words (for the findings panel)."""
    return rule(rule_id).action


def runnable_rules() -> tuple[Rule, ...]:
    return tuple(item for item in all_rules() if item.runnable)
