"""The assessment tools the data set accepts in CodedAssToolType, as data."""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass

from iapt_desktop.paths import resource


@dataclass(frozen=True)
class AssessmentScale:
    code: str  # SNOMED CT concept id
    tool: str  # PHQ9, GAD7, WSAS, ...
    minimum: float | None
    maximum: float | None
    allowed_values: frozenset[str]  # for Y/N style answers
    format_regex: str

    def accepts(self, score: str) -> bool:
        """True when the score has the tool's format and lies in its range or value set."""
        if not re.fullmatch(self.format_regex, score):
            return False
        if self.allowed_values:
            return score in self.allowed_values
        value = float(score)
        return (self.minimum is None or value >= self.minimum) and (
            self.maximum is None or value <= self.maximum
        )


@functools.cache
def assessment_scales() -> dict[str, AssessmentScale]:
    with open(resource("dataset", "assessment_scales.csv"), newline="", encoding="utf-8") as handle:
        return {
            row["code"]: AssessmentScale(
                code=row["code"],
                tool=row["tool"],
                minimum=float(row["minimum"]) if row["minimum"] else None,
                maximum=float(row["maximum"]) if row["maximum"] else None,
                allowed_values=frozenset(row["allowed_values"].split()),
                format_regex=row["format_regex"],
            )
            for row in csv.DictReader(handle)
        }


def scale(code: str) -> AssessmentScale | None:
    return assessment_scales().get(code)


PHQ9 = "720433000"
GAD7 = "445455005"
