"""The outcome measures and their thresholds, and which anxiety measure fits a presenting complaint.

Data: ``resources/measures/measures.csv`` (tool, SNOMED CT code, caseness threshold and comparison,
reliable change, source, unconfirmed flag) and ``resources/measures/problem_descriptors.csv``
(presenting complaint code -> problem descriptor -> anxiety disorder specific measure).
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from iapt_desktop.domain.assessment_scales import GAD7, PHQ9, scale
from iapt_desktop.paths import resource

AT_OR_ABOVE = ">="
ABOVE = ">"


@dataclass(frozen=True)
class Measure:
    """A questionnaire used for outcomes, with the national thresholds."""

    tool: str  # PHQ9, GAD7, SPIN, ...
    snomed_code: str
    name: str
    role: str  # depression, anxiety or adsm
    caseness_comparison: str  # ">=" or ">"
    caseness_threshold: Decimal | None
    reliable_change: Decimal | None
    source: str
    unconfirmed: bool
    note: str

    @property
    def usable(self) -> bool:
        """True when the measure has the thresholds that outcome metrics need."""
        return self.caseness_threshold is not None and self.reliable_change is not None

    def at_caseness(self, score: Decimal) -> bool:
        if self.caseness_threshold is None:
            raise ValueError(f"{self.name} has no caseness threshold.")
        if self.caseness_comparison == ABOVE:
            return score > self.caseness_threshold
        return score >= self.caseness_threshold

    def reliable_fall(self, first: Decimal, last: Decimal) -> bool:
        return self.reliable_change is not None and first - last >= self.reliable_change

    def reliable_rise(self, first: Decimal, last: Decimal) -> bool:
        return self.reliable_change is not None and last - first >= self.reliable_change

    def caseness_text(self) -> str:
        if self.caseness_threshold is None:
            return "no threshold"
        sign = "≥" if self.caseness_comparison == AT_OR_ABOVE else ">"
        return f"{sign} {self.caseness_threshold}"


@dataclass(frozen=True)
class ProblemDescriptor:
    code_prefix: str
    descriptor: str
    adsm_tool: str  # empty when no anxiety disorder specific measure applies
    source: str
    unconfirmed: bool


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


@functools.cache
def measures() -> dict[str, Measure]:
    """All outcome measures by tool name."""
    with open(resource("measures", "measures.csv"), newline="", encoding="utf-8") as handle:
        return {
            row["tool"]: Measure(
                tool=row["tool"],
                snomed_code=row["snomed_code"],
                name=row["name"],
                role=row["role"],
                caseness_comparison=row["caseness_comparison"] or AT_OR_ABOVE,
                caseness_threshold=_decimal(row["caseness_threshold"]),
                reliable_change=_decimal(row["reliable_change"]),
                source=row["source"],
                unconfirmed=row["unconfirmed"] == "1",
                note=row["note"],
            )
            for row in csv.DictReader(handle)
        }


@functools.cache
def measures_by_code() -> dict[str, Measure]:
    return {m.snomed_code: m for m in measures().values()}


def measure(tool: str) -> Measure:
    return measures()[tool]


def phq9() -> Measure:
    return measures_by_code()[PHQ9]


def gad7() -> Measure:
    return measures_by_code()[GAD7]


@functools.cache
def problem_descriptors() -> tuple[ProblemDescriptor, ...]:
    """Longest prefix first, so that F401 wins over a shorter F40 entry."""
    with open(resource("measures", "problem_descriptors.csv"), newline="", encoding="utf-8") as handle:
        rows = [
            ProblemDescriptor(
                code_prefix=row["code_prefix"],
                descriptor=row["descriptor"],
                adsm_tool=row["adsm_tool"],
                source=row["source"],
                unconfirmed=row["unconfirmed"] == "1",
            )
            for row in csv.DictReader(handle)
        ]
    return tuple(sorted(rows, key=lambda d: -len(d.code_prefix)))


def normalise_complaint_code(code: str | None) -> str:
    """'f40.1 ' -> 'F401': ICD-10 codes are matched without dots, spaces or case."""
    return "".join((code or "").split()).replace(".", "").upper()


@functools.lru_cache(maxsize=4096)
def problem_descriptor(complaint_code: str | None) -> ProblemDescriptor | None:
    """The problem descriptor of a presenting complaint code (ICD-10 by prefix, SNOMED CT exactly)."""
    code = normalise_complaint_code(complaint_code)
    if not code:
        return None
    for descriptor in problem_descriptors():
        if code.isdigit() or descriptor.code_prefix.isdigit():
            if code == descriptor.code_prefix:
                return descriptor
        elif code.startswith(descriptor.code_prefix):
            return descriptor
    return None


def adsm_for_complaint(complaint_code: str | None) -> Measure | None:
    """The anxiety disorder specific measure that fits a complaint, when one applies and is usable."""
    descriptor = problem_descriptor(complaint_code)
    if descriptor is None or not descriptor.adsm_tool:
        return None
    found = measures().get(descriptor.adsm_tool)
    return found if found is not None and found.usable else None


@functools.lru_cache(maxsize=65536)
def parse_score(snomed_code: str | None, text: str | None) -> Decimal | None:
    """A valid total as a Decimal, or None when the tool is unknown or the score is not valid for it.

    Cached: a service's scores repeat a small set of (tool, text) pairs.
    """
    if snomed_code is None or text is None:
        return None
    tool_scale = scale(snomed_code)
    score = text.strip()
    if tool_scale is None or not score or not tool_scale.accepts(score):
        return None
    try:
        return Decimal(score)
    except InvalidOperation:
        return None
