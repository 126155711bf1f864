"""The questionnaires a session records, as data: items, answers, totals, bands, risk.

Declared in ``resources/questionnaires/*.csv``:

- ``questionnaires.csv``: one row per questionnaire; ``entry`` says how it is recorded:
  ``sum`` (items answered one by one, the total is their sum and is submitted under
  ``code``), ``item_codes`` (every item is submitted under its own SNOMED CT code, e.g.
  WSAS and the PEQs) or ``total`` (the total is entered from a scored form and checked
  against the tool's range in ``resources/dataset/assessment_scales.csv``);
  ``total_only_reason`` says, for the counsellor, why such a questionnaire is not entered item by item.
- ``items.csv``: item wording, the item's own code, a different answer set, and
  ``risk_from`` (an answer at or above it raises a clinical risk alert: PHQ-9 item 9).
- ``answer_sets.csv``: the answers of each set, with the key that enters them.
- ``bands.csv``: severity bands of a total.

A total is computed only when every item is answered (no prorating): an incomplete
questionnaire has item answers but no total.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from iapt_desktop.domain.assessment_scales import scale
from iapt_desktop.paths import resource


class Entry(Enum):
    SUM = "sum"  # items entered, total = sum, one score row under the questionnaire's code
    ITEM_CODES = "item_codes"  # each answered item is its own score row under the item's code
    TOTAL = "total"  # the total is typed from a scored form


@dataclass(frozen=True)
class AnswerOption:
    value: str  # as stored (PersScore / item answer)
    key: str  # the key that enters it
    label: str
    unconfirmed: bool

    @property
    def caption(self) -> str:
        """'2 · More than half the days'; the bare value when the scale point has no label."""
        return f"{self.value} · {self.label}" if self.label else self.value


@dataclass(frozen=True)
class Item:
    number: int
    text: str
    code: str | None  # the item's own SNOMED CT code (ITEM_CODES questionnaires)
    options: tuple[AnswerOption, ...]
    risk_from: int | None  # an answer >= this raises a risk alert

    def option(self, value: str | None) -> AnswerOption | None:
        for option in self.options:
            if option.value == value:
                return option
        return None

    def option_for_key(self, key: str) -> AnswerOption | None:
        for option in self.options:
            if option.key == key.lower():
                return option
        return None

    def is_risk(self, value: str | None) -> bool:
        return self.risk_from is not None and value is not None and value.isdigit() and int(value) >= self.risk_from


@dataclass(frozen=True)
class Band:
    minimum: float
    maximum: float
    label: str
    unconfirmed: bool


@dataclass(frozen=True)
class RiskFinding:
    questionnaire: str  # key, e.g. PHQ9
    item: int
    answer: str
    message: str


@dataclass(frozen=True)
class Score:
    """One row the questionnaire puts in IDS607CodedScoreAssessmentAct."""

    code: str  # CodedAssToolType
    score: str  # PersScore
    item: int | None  # the item for ITEM_CODES questionnaires; None for a total


@dataclass(frozen=True)
class Questionnaire:
    key: str
    name: str
    title: str
    group: str  # Core, Anxiety disorder specific, Patient experience, Other tools
    code: str | None  # SNOMED CT of the total; None when each item has its own code
    entry: Entry
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    stem: str
    wording_unconfirmed: bool
    caseness: float | None  # a total at or above is "a case"
    caseness_unconfirmed: bool
    reliable_change: float | None
    note: str
    total_only_reason: str = ""  # TOTAL questionnaires: why the items are not entered one by one

    def item(self, number: int) -> Item:
        return self.items[number - 1]

    def codes(self) -> frozenset[str]:
        """Every CodedAssToolType this questionnaire writes."""
        if self.entry is Entry.ITEM_CODES:
            return frozenset(i.code for i in self.items if i.code)
        return frozenset({self.code}) if self.code else frozenset()

    def missing_items(self, answers: Mapping[int, str]) -> list[int]:
        return [i.number for i in self.items if answers.get(i.number) in (None, "")]

    def is_complete(self, answers: Mapping[int, str]) -> bool:
        return not self.missing_items(answers)

    @property
    def shows_total(self) -> bool:
        """True when a sum of the items means something (summed scales, and WSAS which has bands)."""
        return self.entry is Entry.SUM or (self.entry is Entry.ITEM_CODES and bool(self.bands))

    def total(self, answers: Mapping[int, str]) -> int | None:
        """Sum of the item answers, or None unless every item has a numeric answer in range."""
        if not self.shows_total or not self.items:
            return None
        total = 0
        for item in self.items:
            option = item.option(answers.get(item.number))
            if option is None or not option.value.isdigit():
                return None
            if item.code == WSAS_WORK_ITEM_CODE and option.value == WSAS_NOT_APPLICABLE:
                return None
            total += int(option.value)
        return total

    def maximum_total(self) -> int | None:
        if not self.shows_total:
            return None
        numbers = [max((int(o.value) for o in i.options if o.value.isdigit()), default=0) for i in self.items]
        return sum(min(n, 8) if i.code == WSAS_WORK_ITEM_CODE else n for i, n in zip(self.items, numbers, strict=True))

    def band(self, total: float | None) -> Band | None:
        if total is None:
            return None
        for band in self.bands:
            if band.minimum <= total <= band.maximum:
                return band
        return None

    def is_case(self, total: float | None) -> bool | None:
        if total is None or self.caseness is None:
            return None
        if self.key.startswith("MI_"):  # mobility inventory: above the mean-score threshold
            return total > self.caseness
        return total >= self.caseness

    def risks(self, answers: Mapping[int, str]) -> list[RiskFinding]:
        found = []
        for item in self.items:
            value = answers.get(item.number)
            if item.is_risk(value):
                option = item.option(value)
                found.append(RiskFinding(
                    self.key, item.number, str(value),
                    f"{self.name} item {item.number} ({item.text[0].lower()}{item.text[1:]}) was answered "
                    f"{value}" + (f" ({option.label.lower()})." if option and option.label else "."),
                ))
        return found

    def total_problem(self, text: str) -> str | None:
        """For TOTAL questionnaires: why a typed total is not acceptable, or None."""
        accepted = scale(self.code) if self.code else None
        if accepted is None:
            return f"{self.name} has no accepted score range."
        if not accepted.accepts(text.strip()):
            if accepted.allowed_values:
                return f"{self.name} must be one of {', '.join(sorted(accepted.allowed_values))}."
            low = _number(accepted.minimum)
            high = _number(accepted.maximum)
            return f"{self.name} must be a score from {low} to {high} (written like {_example(accepted.format_regex)})."
        return None

    def scores(self, answers: Mapping[int, str], typed_total: str | None = None) -> list[Score]:
        """The IDS607 rows these answers make (none for an incomplete SUM questionnaire)."""
        if self.entry is Entry.TOTAL:
            text = (typed_total or "").strip()
            if not text or self.total_problem(text) or self.code is None:
                return []
            return [Score(self.code, text, None)]
        if self.entry is Entry.ITEM_CODES:
            return [  # an answer that is not on the scale (imported) is kept for validation to report, not dropped
                Score(str(item.code), str(answers[item.number]), item.number)
                for item in self.items
                if item.code and answers.get(item.number) not in (None, "")
            ]
        total = self.total(answers)
        if total is None or self.code is None:
            return []
        return [Score(self.code, str(total), None)]


WSAS_WORK_ITEM_CODE = "932621000000100"
WSAS_NOT_APPLICABLE = "9"

# The questionnaires a new session shows when the referral has no earlier session to copy.
ROUTINE = ("PHQ9", "GAD7")


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if value == int(value) else str(value)


def _example(regex: str) -> str:
    return "2.35" if r"\." in regex else "12"


def _rows(name: str) -> list[dict[str, str]]:
    with open(resource("questionnaires", name), newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _float(text: str) -> float | None:
    return float(text) if text.strip() else None


@functools.cache
def questionnaires() -> dict[str, Questionnaire]:
    """Every questionnaire, by key, in the order declared."""
    options: dict[str, list[AnswerOption]] = {}
    for row in _rows("answer_sets.csv"):
        options.setdefault(row["answer_set"], []).append(
            AnswerOption(row["value"], row["key"], row["label"], row["unconfirmed"] == "1"))
    item_rows: dict[tuple[str, int], dict[str, str]] = {
        (row["questionnaire"], int(row["number"])): row for row in _rows("items.csv")}
    bands: dict[str, list[Band]] = {}
    for row in _rows("bands.csv"):
        bands.setdefault(row["questionnaire"], []).append(
            Band(float(row["minimum"]), float(row["maximum"]), row["label"], row["unconfirmed"] == "1"))
    result: dict[str, Questionnaire] = {}
    for row in _rows("questionnaires.csv"):
        key = row["key"]
        items = []
        for number in range(1, int(row["item_count"] or 0) + 1):
            item_row = item_rows.get((key, number), {})
            answer_set = item_row.get("answer_set") or row["answer_set"]
            items.append(Item(
                number=number,
                text=item_row.get("text") or f"Item {number} (wording as on the paper form)",
                code=item_row.get("code") or None,
                options=tuple(options[answer_set]),
                risk_from=int(item_row["risk_from"]) if item_row.get("risk_from") else None,
            ))
        result[key] = Questionnaire(
            key=key,
            name=row["name"],
            title=row["title"],
            group=row["group"],
            code=row["code"] or None,
            entry=Entry(row["entry"]),
            items=tuple(items),
            bands=tuple(bands.get(key, ())),
            stem=row["stem"],
            wording_unconfirmed=row["wording_unconfirmed"] == "1",
            caseness=_float(row["caseness"]),
            caseness_unconfirmed=row["caseness_unconfirmed"] == "1",
            reliable_change=_float(row["reliable_change"]),
            note=row["note"],
            total_only_reason=row["total_only_reason"],
        )
    return result


def questionnaire(key: str) -> Questionnaire:
    return questionnaires()[key]


def questionnaire_for_code(code: str) -> tuple[Questionnaire, Item | None] | None:
    """The questionnaire (and item, for item-coded ones) a CodedAssToolType belongs to."""
    for found in questionnaires().values():
        if found.entry is Entry.ITEM_CODES:
            for item in found.items:
                if item.code == code:
                    return found, item
        elif found.code == code:
            return found, None
    return None
